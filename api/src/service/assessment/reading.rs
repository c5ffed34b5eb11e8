//! Anonymous reading: the list of essays, one essay as HTML, its images, and its anonymous file.
//! Every view and download is audited.

use chrono::{DateTime, Utc};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;

use entity::{accounts, blobs, scores};

use super::access::{
    anonymous_file_name, closed_for_candidate, current_essays, readable_version, StoredDetails,
};
use super::flags::{flags, Flag};
use super::panel::{ensure_readable, seat};
use super::rubric::rubric;
use super::scoring::{my_score, scored_this_version, MyScore};
use crate::domain::scoring::Criterion;
use crate::error::ApiError;
use crate::service::audit::{self, Actor};
use crate::service::inspector::Inspector;

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct EssaySummary {
    pub application_id: String,
    pub candidate_code: String,
    pub document_kind: String,
    pub version_id: String,
    pub pages: Option<i32>,
    pub flags: Vec<Flag>,
    pub scored_by_me: bool,
}

#[derive(Deserialize)]
struct EssayImages {
    #[serde(default)]
    essay_html: Option<ImageParts>,
}

#[derive(Deserialize)]
struct ImageParts {
    images: Vec<String>,
}

pub async fn essays(
    db: &DatabaseConnection,
    assessor_id: &str,
    reference: &str,
    now: DateTime<Utc>,
) -> Result<Vec<EssaySummary>, ApiError> {
    let seat = seat(db, assessor_id, reference).await?;
    ensure_readable(&seat, now)?;
    let my_conflicts = super::conflicts::declared_by(db, assessor_id).await?;
    let my_scores: Vec<scores::Model> = scores::Entity::find()
        .filter(scores::Column::AccountId.eq(assessor_id))
        .all(db)
        .await?;
    let mut out = Vec::new();
    for essay in current_essays(db, &seat.vacancy).await? {
        if my_conflicts.contains(&essay.application.id)
            || !closed_for_candidate(db, &seat.vacancy, &essay.application, now).await?
        {
            continue;
        }
        let candidate = accounts::Entity::find_by_id(essay.application.candidate_id.clone())
            .one(db)
            .await?;
        out.push(EssaySummary {
            application_id: essay.application.id.clone(),
            candidate_code: essay.application.anon_code.clone(),
            document_kind: essay.version.document_kind.clone(),
            version_id: essay.version.id.clone(),
            pages: essay.version.pages,
            flags: flags(&essay.version, candidate.as_ref()),
            scored_by_me: my_scores.iter().any(|score| {
                score.application_id == essay.application.id
                    && scored_this_version(score, &essay.version.id)
            }),
        });
    }
    Ok(out)
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct EssayReading {
    /// The vacancy's reference: the page lists the panel's other essays from it ("next essay").
    pub reference: String,
    pub candidate_code: String,
    pub application_id: String,
    pub version_id: String,
    pub document_kind: String,
    /// Escaped HTML of a DOCX, built from the laid-out document; null for PDFs (shown inline
    /// from the file URL). Images are `<img data-essay-image="N">`, N indexing `image_urls`.
    pub html: Option<String>,
    pub image_urls: Vec<String>,
    pub format: String,
    #[schema(value_type = Object)]
    pub facts: serde_json::Value,
    pub flags: Vec<Flag>,
    pub rubric: Vec<Criterion>,
    pub file_url: String,
    /// The caller's own score of this version, if saved: the latest revision and its history.
    pub my_score: Option<MyScore>,
}

pub async fn read(
    db: &DatabaseConnection,
    inspector: &Inspector,
    assessor: &Actor,
    assessor_id: &str,
    version_id: &str,
    now: DateTime<Utc>,
) -> Result<EssayReading, ApiError> {
    let (version, application, seat) = readable_version(db, assessor_id, version_id, now).await?;
    let inspection: inspection::Inspection =
        serde_json::from_str(&version.inspection).map_err(ApiError::internal)?;
    let format = serde_json::to_value(inspection.facts.format)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default();
    // Built at upload, inside the sandboxed worker, from the document the page rule counted.
    // Versions stored before that have none and are read again by a worker (never here).
    let essay_html = match inspection.details.essay_html {
        Some(essay_html) => Some(essay_html),
        None if matches!(inspection.facts.format, inspection::Format::Docx) => {
            let blob = blobs::Entity::find_by_id(version.blob_sha256.clone())
                .one(db)
                .await?
                .ok_or(ApiError::NotFound("essay"))?;
            let (again, _) = inspector
                .inspect(std::sync::Arc::new(blob.bytes), &version.original_filename)
                .await;
            again.details.essay_html
        }
        None => None,
    };
    let image_urls = essay_html
        .as_ref()
        .map(|essay| {
            (0..essay.images.len())
                .map(|n| format!("/api/assessor/essays/{}/images/{n}", version.id))
                .collect()
        })
        .unwrap_or_default();
    let html = match (&essay_html, inspection.facts.format) {
        (Some(essay), _) => Some(essay.html.clone()),
        (None, inspection::Format::Docx) => Some(
            "<p>This document could not be shown here; download the file to read it.</p>".into(),
        ),
        (None, _) => None,
    };
    let candidate = accounts::Entity::find_by_id(application.candidate_id.clone())
        .one(db)
        .await?;
    audit::record(
        db,
        assessor,
        "essay.viewed",
        Some(&seat.vacancy.model.reference),
        json!({ "version_id": version.id, "candidate_code": application.anon_code }),
        now,
    )
    .await?;
    Ok(EssayReading {
        reference: seat.vacancy.model.reference.clone(),
        candidate_code: application.anon_code.clone(),
        application_id: application.id.clone(),
        version_id: version.id.clone(),
        document_kind: version.document_kind.clone(),
        html,
        image_urls,
        format,
        facts: serde_json::to_value(&inspection.facts).map_err(ApiError::internal)?,
        flags: flags(&version, candidate.as_ref()),
        rubric: rubric(db, &seat.vacancy).await?,
        file_url: format!("/api/assessor/essays/{}/file", version.id),
        my_score: my_score(db, assessor_id, &application.id, &version.id).await?,
    })
}

/// The file, renamed to the candidate's code, in a copy without the metadata that names its
/// author (PDF Info and XMP; .docx properties and comment and revision authors). The copy is made
/// by an inspection worker; admins still download the original.
pub async fn file(
    db: &DatabaseConnection,
    inspector: &Inspector,
    assessor: &Actor,
    assessor_id: &str,
    version_id: &str,
    now: DateTime<Utc>,
) -> Result<(String, Vec<u8>), ApiError> {
    let (version, application, seat) = readable_version(db, assessor_id, version_id, now).await?;
    let blob = blobs::Entity::find_by_id(version.blob_sha256.clone())
        .one(db)
        .await?
        .ok_or(ApiError::NotFound("essay"))?;
    let copy = inspector.anonymize(&blob.bytes).await.map_err(|reason| {
        ApiError::Conflict(format!(
            "this file could not be made anonymous for the panel ({reason}); read it on the page, or ask an admin"
        ))
    })?;
    audit::record(
        db,
        assessor,
        "essay.downloaded",
        Some(&seat.vacancy.model.reference),
        json!({ "version_id": version.id, "candidate_code": application.anon_code }),
        now,
    )
    .await?;
    Ok((anonymous_file_name(&application, &version), copy))
}

/// Image `index` of an essay's HTML: its bytes and content type, read from the stored file.
/// Only parts the worker listed are served, PNG/JPEG/GIF only, each at most 4 MiB.
pub async fn image(
    db: &DatabaseConnection,
    assessor_id: &str,
    version_id: &str,
    index: usize,
    now: DateTime<Utc>,
) -> Result<(&'static str, Vec<u8>), ApiError> {
    const MAX_IMAGE_BYTES: u64 = 4 * 1024 * 1024;
    let (version, _, _) = readable_version(db, assessor_id, version_id, now).await?;
    let stored: StoredDetails<EssayImages> =
        serde_json::from_str(&version.inspection).map_err(ApiError::internal)?;
    let part = stored
        .details
        .essay_html
        .and_then(|essay| essay.images.into_iter().nth(index))
        .ok_or(ApiError::NotFound("image"))?;
    let content_type =
        inspection::essay_image_content_type(&part).ok_or(ApiError::NotFound("image"))?;
    let blob = blobs::Entity::find_by_id(version.blob_sha256.clone())
        .one(db)
        .await?
        .ok_or(ApiError::NotFound("image"))?;
    let bytes = tokio::task::spawn_blocking(move || {
        use std::io::Read;
        let mut archive = zip::ZipArchive::new(std::io::Cursor::new(blob.bytes.as_slice())).ok()?;
        let entry = archive.by_name(&part).ok()?;
        let mut bytes = Vec::new();
        entry
            .take(MAX_IMAGE_BYTES + 1)
            .read_to_end(&mut bytes)
            .ok()?;
        (bytes.len() as u64 <= MAX_IMAGE_BYTES).then_some(bytes)
    })
    .await
    .map_err(ApiError::internal)?
    .ok_or(ApiError::NotFound("image"))?;
    Ok((content_type, bytes))
}
