//! Assessment: panels, anonymous reading, conflicts, rubric scoring, aggregates, decisions,
//! exports and identity reveals. Assessors see only vacancies they sit on, and essays only after
//! the deadline (unless the vacancy allows earlier reading); never names or emails.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Duration, Utc};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
};
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;

use entity::{
    accounts, applications, blobs, conflicts, decisions, document_versions, panel_members, rubrics,
    scores,
};

use crate::domain::Role;
use crate::error::ApiError;
use crate::service::audit::{self, Actor};
use crate::service::vacancies::{self, Vacancy};

/// Spread of weighted means (on the 1–5 scale) at which assessors are said to disagree.
pub const DISAGREEMENT_SPREAD: f64 = 1.5;

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq)]
pub struct Criterion {
    pub id: String,
    pub title: String,
    pub descriptor: String,
    pub weight: f64,
}

/// The default rubric: one criterion per key challenge, plus the quality of the writing.
pub fn default_rubric(vacancy: &Vacancy) -> Vec<Criterion> {
    let mut criteria: Vec<Criterion> = vacancy
        .key_challenges
        .iter()
        .enumerate()
        .map(|(i, challenge)| Criterion {
            id: format!("challenge-{}", i + 1),
            title: format!("Key challenge {}", i + 1),
            descriptor: format!("How well the essay understands and addresses: {challenge}"),
            weight: 1.0,
        })
        .collect();
    if criteria.is_empty() {
        criteria.push(Criterion {
            id: "substance".into(),
            title: "Substance".into(),
            descriptor:
                "Understanding of the post's key challenges and credible ways to address them"
                    .into(),
            weight: 2.0,
        });
    }
    criteria.push(Criterion {
        id: "writing".into(),
        title: "Quality of the writing".into(),
        descriptor: "Clear, structured, concise writing within the page limit".into(),
        weight: 1.0,
    });
    criteria
}

pub async fn rubric(
    db: &impl ConnectionTrait,
    vacancy: &Vacancy,
) -> Result<Vec<Criterion>, ApiError> {
    match rubrics::Entity::find_by_id(vacancy.model.id.clone())
        .one(db)
        .await?
    {
        Some(row) => serde_json::from_str(&row.criteria).map_err(ApiError::internal),
        None => Ok(default_rubric(vacancy)),
    }
}

pub async fn set_rubric(
    db: &impl ConnectionTrait,
    vacancy: &Vacancy,
    criteria: Vec<Criterion>,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<Vec<Criterion>, ApiError> {
    if criteria.is_empty()
        || criteria.iter().any(|c| {
            c.id.trim().is_empty() || c.weight.is_nan() || c.weight <= 0.0 || c.weight > 100.0
        })
    {
        return Err(ApiError::Validation(
            "each criterion needs an id and a weight above 0 (at most 100)".into(),
        ));
    }
    let text = serde_json::to_string(&criteria).map_err(ApiError::internal)?;
    rubrics::Entity::delete_by_id(vacancy.model.id.clone())
        .exec(db)
        .await?;
    rubrics::Entity::insert(rubrics::ActiveModel {
        vacancy_id: Set(vacancy.model.id.clone()),
        criteria: Set(text),
        updated_at: Set(now),
    })
    .exec(db)
    .await?;
    audit::record(
        db,
        actor,
        "rubric.updated",
        Some(&vacancy.model.reference),
        json!({ "criteria": criteria.len() }),
        now,
    )
    .await?;
    Ok(criteria)
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct PanelMemberInput {
    pub account_id: String,
    #[serde(default)]
    pub chair: bool,
}

/// Replaces a vacancy's panel: assessors only, exactly one chair.
pub async fn set_panel(
    db: &DatabaseConnection,
    vacancy: &Vacancy,
    members: Vec<PanelMemberInput>,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<(), ApiError> {
    if members.iter().filter(|m| m.chair).count() != 1 {
        return Err(ApiError::Validation("a panel has exactly one chair".into()));
    }
    let txn = crate::database::begin_write(db).await?;
    for member in &members {
        let account = accounts::Entity::find_by_id(member.account_id.clone())
            .one(&txn)
            .await?
            .ok_or(ApiError::NotFound("account"))?;
        if account.role != Role::Assessor.as_str() {
            return Err(ApiError::Validation(format!(
                "{} is not an assessor",
                account.email
            )));
        }
    }
    panel_members::Entity::delete_many()
        .filter(panel_members::Column::VacancyId.eq(vacancy.model.id.clone()))
        .exec(&txn)
        .await?;
    for member in &members {
        panel_members::Entity::insert(panel_members::ActiveModel {
            vacancy_id: Set(vacancy.model.id.clone()),
            account_id: Set(member.account_id.clone()),
            is_chair: Set(member.chair),
            created_at: Set(now),
        })
        .exec(&txn)
        .await?;
    }
    let ids: Vec<&str> = members.iter().map(|m| m.account_id.as_str()).collect();
    audit::record(
        &txn,
        actor,
        "panel.set",
        Some(&vacancy.model.reference),
        json!({ "members": ids }),
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// An assessor's seat on a vacancy's panel.
pub struct Seat {
    pub vacancy: Vacancy,
    pub is_chair: bool,
}

/// The seat, or 404 for a vacancy the assessor does not sit on (its existence is not revealed).
pub async fn seat(
    db: &impl ConnectionTrait,
    assessor_id: &str,
    reference: &str,
) -> Result<Seat, ApiError> {
    let vacancy = vacancies::find_by_reference(db, reference)
        .await
        .map_err(|_| ApiError::NotFound("vacancy"))?;
    let member = panel_members::Entity::find()
        .filter(panel_members::Column::VacancyId.eq(vacancy.model.id.clone()))
        .filter(panel_members::Column::AccountId.eq(assessor_id))
        .one(db)
        .await?
        .ok_or(ApiError::NotFound("vacancy"))?;
    Ok(Seat {
        vacancy,
        is_chair: member.is_chair,
    })
}

/// Essays become readable when the deadline (and grace) has passed, unless the vacancy says otherwise.
pub fn essays_readable(vacancy: &Vacancy, now: DateTime<Utc>) -> bool {
    vacancy.model.assessors_see_before_deadline
        || vacancy
            .rules
            .deadline
            .is_some_and(|d| now >= d + Duration::seconds(i64::from(vacancy.rules.grace_seconds)))
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PanelVacancy {
    pub reference: String,
    pub title_en: String,
    pub title_fr: String,
    pub deadline: Option<DateTime<Utc>>,
    pub is_chair: bool,
    pub essays_readable: bool,
}

pub async fn my_vacancies(
    db: &impl ConnectionTrait,
    assessor_id: &str,
    now: DateTime<Utc>,
) -> Result<Vec<PanelVacancy>, ApiError> {
    let seats = panel_members::Entity::find()
        .filter(panel_members::Column::AccountId.eq(assessor_id))
        .all(db)
        .await?;
    let mut out = Vec::new();
    for seat in seats {
        let vacancy = vacancies::find_by_id(db, &seat.vacancy_id).await?;
        out.push(PanelVacancy {
            reference: vacancy.model.reference.clone(),
            title_en: vacancy.model.title_en.clone(),
            title_fr: vacancy.model.title_fr.clone(),
            deadline: vacancy.rules.deadline,
            is_chair: seat.is_chair,
            essays_readable: essays_readable(&vacancy, now),
        });
    }
    Ok(out)
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Flag {
    pub code: String,
    pub message: String,
}

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

struct CurrentEssay {
    application: applications::Model,
    version: document_versions::Model,
}

async fn current_essays(
    db: &impl ConnectionTrait,
    vacancy: &Vacancy,
) -> Result<Vec<CurrentEssay>, ApiError> {
    let apps = applications::Entity::find()
        .filter(applications::Column::VacancyId.eq(vacancy.model.id.clone()))
        .filter(applications::Column::Status.eq("active"))
        .all(db)
        .await?;
    let ids: Vec<String> = apps.iter().map(|a| a.id.clone()).collect();
    let versions = document_versions::Entity::find()
        .filter(document_versions::Column::ApplicationId.is_in(ids))
        .filter(document_versions::Column::IsCurrent.eq(true))
        .all(db)
        .await?;
    let by_id: HashMap<String, applications::Model> =
        apps.into_iter().map(|a| (a.id.clone(), a)).collect();
    let mut essays: Vec<CurrentEssay> = versions
        .into_iter()
        .filter_map(|version| {
            by_id
                .get(&version.application_id)
                .cloned()
                .map(|application| CurrentEssay {
                    application,
                    version,
                })
        })
        .collect();
    essays.sort_by(|a, b| {
        a.application
            .anon_code
            .cmp(&b.application.anon_code)
            .then(a.version.document_kind.cmp(&b.version.document_kind))
    });
    Ok(essays)
}

/// Only the `details` of a stored inspection, and of them only what `T` names: the stored JSON
/// also holds the essay's HTML (up to 4 MiB), which essay lists and image requests would
/// otherwise copy out for every essay or image.
#[derive(Deserialize)]
struct StoredDetails<T> {
    details: T,
}

#[derive(Deserialize)]
struct AnonymityEvidence {
    #[serde(default)]
    text_excerpt: Option<String>,
    #[serde(default)]
    metadata: Vec<(String, String)>,
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

/// Advisory rule warnings, plus the anonymity check: the candidate's name or email in the text
/// or the document's properties.
fn flags(version: &document_versions::Model, candidate: Option<&accounts::Model>) -> Vec<Flag> {
    let mut flags = Vec::new();
    if let Ok(verdict) = serde_json::from_str::<policy::Verdict>(&version.verdict) {
        for rule in verdict
            .rules
            .iter()
            .filter(|r| r.status == policy::RuleStatus::Warn)
        {
            flags.push(Flag {
                code: format!("advisory-{}", rule.rule),
                message: rule.message.en.clone(),
            });
        }
    }
    if let (Some(candidate), Ok(inspection)) = (
        candidate,
        serde_json::from_str::<StoredDetails<AnonymityEvidence>>(&version.inspection),
    ) {
        let needles: Vec<String> = [
            candidate.full_name.to_lowercase(),
            candidate.email.to_lowercase(),
        ]
        .into_iter()
        .filter(|n| n.chars().count() >= 4)
        .collect();
        let in_text = inspection
            .details
            .text_excerpt
            .as_deref()
            .map(str::to_lowercase)
            .is_some_and(|text| needles.iter().any(|n| text.contains(n.as_str())));
        let in_properties: Vec<String> = inspection
            .details
            .metadata
            .iter()
            .filter(|(_, value)| {
                needles
                    .iter()
                    .any(|n| value.to_lowercase().contains(n.as_str()))
            })
            .map(|(key, _)| key.clone())
            .collect();
        if in_text {
            flags.push(Flag {
                code: "anonymity-text".into(),
                message: "The essay's text contains the candidate's name or email.".into(),
            });
        }
        if !in_properties.is_empty() {
            flags.push(Flag {
                code: "anonymity-properties".into(),
                message: format!(
                    "The document's properties ({}) contain the candidate's name or email.",
                    in_properties.join(", ")
                ),
            });
        }
    }
    flags
}

async fn conflicted(
    db: &impl ConnectionTrait,
    application_id: &str,
    assessor_id: &str,
) -> Result<bool, ApiError> {
    Ok(
        conflicts::Entity::find_by_id((application_id.to_owned(), assessor_id.to_owned()))
            .one(db)
            .await?
            .is_some(),
    )
}

fn ensure_readable(seat: &Seat, now: DateTime<Utc>) -> Result<(), ApiError> {
    if essays_readable(&seat.vacancy, now) {
        Ok(())
    } else {
        Err(ApiError::Forbidden(
            "essays can be read once the deadline has passed".into(),
        ))
    }
}

pub async fn essays(
    db: &DatabaseConnection,
    assessor_id: &str,
    reference: &str,
    now: DateTime<Utc>,
) -> Result<Vec<EssaySummary>, ApiError> {
    let seat = seat(db, assessor_id, reference).await?;
    ensure_readable(&seat, now)?;
    let my_conflicts: Vec<String> = conflicts::Entity::find()
        .filter(conflicts::Column::AccountId.eq(assessor_id))
        .all(db)
        .await?
        .into_iter()
        .map(|c| c.application_id)
        .collect();
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

/// Whether this candidate's own deadline (their extension included) and its grace have passed,
/// so that the essay can no longer be replaced; always true where the vacancy lets assessors read
/// before the deadline (scores then belong to the version that was read).
async fn closed_for_candidate(
    db: &impl ConnectionTrait,
    vacancy: &Vacancy,
    application: &applications::Model,
    now: DateTime<Utc>,
) -> Result<bool, ApiError> {
    if vacancy.model.assessors_see_before_deadline {
        return Ok(true);
    }
    let extension =
        vacancies::extension_for(db, &vacancy.model.id, &application.candidate_id).await?;
    Ok(crate::service::submissions::closes_at(vacancy, extension)
        .is_some_and(|closes| now >= closes))
}

/// The essay version an assessor may open: on their panel, readable, not conflicted, current.
async fn readable_version(
    db: &impl ConnectionTrait,
    assessor_id: &str,
    version_id: &str,
    now: DateTime<Utc>,
) -> Result<(document_versions::Model, applications::Model, Seat), ApiError> {
    let version = document_versions::Entity::find_by_id(version_id.to_owned())
        .one(db)
        .await?
        .ok_or(ApiError::NotFound("essay"))?;
    let application = applications::Entity::find_by_id(version.application_id.clone())
        .one(db)
        .await?
        .ok_or(ApiError::NotFound("essay"))?;
    let vacancy = vacancies::find_by_id(db, &application.vacancy_id).await?;
    let seat = seat(db, assessor_id, &vacancy.model.reference).await?;
    ensure_readable(&seat, now)?;
    // Only what the panel is meant to judge: the current version of an application still in
    // the competition, once that candidate can no longer change it.
    if !version.is_current
        || application.status != "active"
        || !closed_for_candidate(db, &seat.vacancy, &application, now).await?
    {
        return Err(ApiError::NotFound("essay"));
    }
    if conflicted(db, &application.id, assessor_id).await? {
        return Err(ApiError::Forbidden(
            "you declared a conflict of interest for this essay".into(),
        ));
    }
    Ok((version, application, seat))
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct EssayReading {
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
}

pub async fn read(
    db: &DatabaseConnection,
    inspector: &crate::service::inspector::Inspector,
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
    })
}

/// The file, renamed to the candidate's code, in a copy without the metadata that names its
/// author (PDF Info and XMP; .docx properties and comment and revision authors). The copy is made
/// by an inspection worker; admins still download the original.
pub async fn file(
    db: &DatabaseConnection,
    inspector: &crate::service::inspector::Inspector,
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

/// `<candidate code>-<document>.<extension>`: what assessors and exports call a file, so that
/// the candidate's own file name (which often holds their name) never reaches them.
fn anonymous_file_name(
    application: &applications::Model,
    version: &document_versions::Model,
) -> String {
    let extension = version
        .original_filename
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .filter(|e| e.len() <= 5 && e.chars().all(|c| c.is_ascii_alphanumeric()))
        .unwrap_or_else(|| "bin".into());
    format!(
        "{}-{}.{}",
        application.anon_code, version.document_kind, extension
    )
}

pub async fn declare_conflict(
    db: &DatabaseConnection,
    assessor: &Actor,
    assessor_id: &str,
    application_id: &str,
    reason: &str,
    now: DateTime<Utc>,
) -> Result<(), ApiError> {
    let application = applications::Entity::find_by_id(application_id.to_owned())
        .one(db)
        .await?
        .ok_or(ApiError::NotFound("essay"))?;
    let vacancy = vacancies::find_by_id(db, &application.vacancy_id).await?;
    seat(db, assessor_id, &vacancy.model.reference).await?;
    if reason.trim().is_empty() {
        return Err(ApiError::Validation(
            "say briefly why (kept in the audit log)".into(),
        ));
    }
    if conflicted(db, application_id, assessor_id).await? {
        return Ok(());
    }
    let txn = crate::database::begin_write(db).await?;
    conflicts::Entity::insert(conflicts::ActiveModel {
        application_id: Set(application_id.to_owned()),
        account_id: Set(assessor_id.to_owned()),
        reason: Set(reason.trim().to_owned()),
        created_at: Set(now),
    })
    .exec(&txn)
    .await?;
    audit::record(
        &txn,
        assessor,
        "conflict.declared",
        Some(&vacancy.model.reference),
        json!({ "candidate_code": application.anon_code, "reason": reason.trim() }),
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct ScoreInput {
    /// Criterion id → mark from 1 to 5, for every criterion of the rubric.
    pub marks: BTreeMap<String, u8>,
    #[serde(default)]
    pub comment: String,
}

/// The weighted mean of marks over the rubric.
pub fn weighted_mean(rubric: &[Criterion], marks: &BTreeMap<String, u8>) -> Result<f64, String> {
    let mut total = 0.0;
    let mut weights = 0.0;
    for criterion in rubric {
        let mark = *marks
            .get(&criterion.id)
            .ok_or_else(|| format!("give a mark for '{}'", criterion.title))?;
        if !(1..=5).contains(&mark) {
            return Err(format!(
                "marks are from 1 to 5; '{}' has {mark}",
                criterion.title
            ));
        }
        total += f64::from(mark) * criterion.weight;
        weights += criterion.weight;
    }
    if let Some(unknown) = marks.keys().find(|k| !rubric.iter().any(|c| &c.id == *k)) {
        return Err(format!("'{unknown}' is not a criterion of this rubric"));
    }
    Ok(if weights > 0.0 { total / weights } else { 0.0 })
}

pub async fn submit_score(
    db: &DatabaseConnection,
    assessor: &Actor,
    assessor_id: &str,
    application_id: &str,
    input: ScoreInput,
    now: DateTime<Utc>,
) -> Result<f64, ApiError> {
    let version = document_versions::Entity::find()
        .filter(document_versions::Column::ApplicationId.eq(application_id))
        .filter(document_versions::Column::IsCurrent.eq(true))
        .one(db)
        .await?
        .ok_or(ApiError::NotFound("essay"))?;
    let (_, application, seat) = readable_version(db, assessor_id, &version.id, now).await?;
    let criteria = rubric(db, &seat.vacancy).await?;
    let mean = weighted_mean(&criteria, &input.marks).map_err(ApiError::Validation)?;
    if input.comment.chars().count() > 10_000 {
        return Err(ApiError::Validation(
            "the comment is longer than 10 000 characters".into(),
        ));
    }
    let txn = crate::database::begin_write(db).await?;
    scores::Entity::delete_by_id((application.id.clone(), assessor_id.to_owned()))
        .exec(&txn)
        .await?;
    scores::Entity::insert(scores::ActiveModel {
        application_id: Set(application.id.clone()),
        account_id: Set(assessor_id.to_owned()),
        marks: Set(serde_json::to_string(&input.marks).map_err(ApiError::internal)?),
        comment: Set(input.comment.clone()),
        weighted_mean: Set(mean),
        submitted_at: Set(now),
        version_id: Set(Some(version.id.clone())),
    })
    .exec(&txn)
    .await?;
    audit::record(
        &txn,
        assessor,
        "essay.scored",
        Some(&seat.vacancy.model.reference),
        json!({ "candidate_code": application.anon_code, "weighted_mean": mean }),
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(mean)
}

/// Whether a score was given to `version` (scores from before versions were recorded count for
/// whatever is current, as they always did).
fn scored_this_version(score: &scores::Model, version_id: &str) -> bool {
    score
        .version_id
        .as_deref()
        .is_none_or(|scored| scored == version_id)
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ScoreView {
    /// "you" for the caller's own score; "assessor 1", "assessor 2"… for the others.
    pub assessor: String,
    pub marks: BTreeMap<String, u8>,
    pub comment: String,
    pub weighted_mean: f64,
}

/// The scores of one essay. Others' scores are shown only once the caller has submitted their own,
/// so that nobody is anchored by them.
pub async fn scores_of(
    db: &DatabaseConnection,
    assessor_id: &str,
    application_id: &str,
    now: DateTime<Utc>,
) -> Result<Vec<ScoreView>, ApiError> {
    let version = document_versions::Entity::find()
        .filter(document_versions::Column::ApplicationId.eq(application_id))
        .filter(document_versions::Column::IsCurrent.eq(true))
        .one(db)
        .await?
        .ok_or(ApiError::NotFound("essay"))?;
    readable_version(db, assessor_id, &version.id, now).await?;
    let rows: Vec<scores::Model> = scores::Entity::find()
        .filter(scores::Column::ApplicationId.eq(application_id))
        .all(db)
        .await?
        .into_iter()
        .filter(|score| scored_this_version(score, &version.id))
        .collect();
    if !rows.iter().any(|r| r.account_id == assessor_id) {
        return Err(ApiError::Conflict(
            "submit your own score first; then you will see the others'".into(),
        ));
    }
    let mut others = 0;
    Ok(rows
        .into_iter()
        .map(|row| {
            let assessor = if row.account_id == assessor_id {
                "you".to_owned()
            } else {
                others += 1;
                format!("assessor {others}")
            };
            ScoreView {
                assessor,
                marks: serde_json::from_str(&row.marks).unwrap_or_default(),
                comment: row.comment,
                weighted_mean: row.weighted_mean,
            }
        })
        .collect())
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct EssayResult {
    pub application_id: String,
    pub candidate_code: String,
    pub scores: usize,
    pub mean: Option<f64>,
    pub spread: Option<f64>,
    pub disagreement: bool,
    pub decision: Option<String>,
}

/// Mean and spread (max − min) of the assessors' weighted means; disagreement at a spread of 1.5 or more.
pub fn aggregate(means: &[f64]) -> (Option<f64>, Option<f64>, bool) {
    if means.is_empty() {
        return (None, None, false);
    }
    let mean = means.iter().sum::<f64>() / means.len() as f64;
    let max = means.iter().cloned().fold(f64::MIN, f64::max);
    let min = means.iter().cloned().fold(f64::MAX, f64::min);
    let spread = max - min;
    (Some(mean), Some(spread), spread >= DISAGREEMENT_SPREAD)
}

pub async fn results(
    db: &impl ConnectionTrait,
    vacancy: &Vacancy,
) -> Result<Vec<EssayResult>, ApiError> {
    let mut out = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for essay in current_essays(db, vacancy).await? {
        if !seen.insert(essay.application.id.clone()) {
            continue;
        }
        let rows: Vec<scores::Model> = scores::Entity::find()
            .filter(scores::Column::ApplicationId.eq(essay.application.id.clone()))
            .all(db)
            .await?
            .into_iter()
            .filter(|score| scored_this_version(score, &essay.version.id))
            .collect();
        let means: Vec<f64> = rows.iter().map(|r| r.weighted_mean).collect();
        let (mean, spread, disagreement) = aggregate(&means);
        let decision = decisions::Entity::find_by_id(essay.application.id.clone())
            .one(db)
            .await?
            .map(|d| d.decision);
        out.push(EssayResult {
            application_id: essay.application.id.clone(),
            candidate_code: essay.application.anon_code.clone(),
            scores: rows.len(),
            mean: mean.map(|m| (m * 100.0).round() / 100.0),
            spread: spread.map(|s| (s * 100.0).round() / 100.0),
            disagreement,
            decision,
        });
    }
    out.sort_by(|a, b| {
        b.mean
            .unwrap_or(0.0)
            .total_cmp(&a.mean.unwrap_or(0.0))
            .then(a.candidate_code.cmp(&b.candidate_code))
    });
    Ok(out)
}

pub async fn chair_results(
    db: &DatabaseConnection,
    assessor_id: &str,
    reference: &str,
    now: DateTime<Utc>,
) -> Result<Vec<EssayResult>, ApiError> {
    let seat = seat(db, assessor_id, reference).await?;
    if !seat.is_chair {
        return Err(ApiError::Forbidden(
            "only the panel's chair sees the aggregates".into(),
        ));
    }
    ensure_readable(&seat, now)?;
    results(db, &seat.vacancy).await
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct DecisionInput {
    pub application_id: String,
    /// `longlisted` or `not-longlisted`.
    pub decision: String,
    #[serde(default)]
    pub note: String,
}

pub async fn record_decision(
    db: &DatabaseConnection,
    chair: &Actor,
    assessor_id: &str,
    reference: &str,
    input: DecisionInput,
    now: DateTime<Utc>,
) -> Result<(), ApiError> {
    let seat = seat(db, assessor_id, reference).await?;
    if !seat.is_chair {
        return Err(ApiError::Forbidden(
            "only the panel's chair records decisions".into(),
        ));
    }
    ensure_readable(&seat, now)?;
    if !matches!(input.decision.as_str(), "longlisted" | "not-longlisted") {
        return Err(ApiError::Validation(
            "the decision is 'longlisted' or 'not-longlisted'".into(),
        ));
    }
    let application = applications::Entity::find_by_id(input.application_id.clone())
        .one(db)
        .await?
        .filter(|a| a.vacancy_id == seat.vacancy.model.id)
        .ok_or(ApiError::NotFound("essay"))?;
    let txn = crate::database::begin_write(db).await?;
    decisions::Entity::delete_by_id(application.id.clone())
        .exec(&txn)
        .await?;
    decisions::Entity::insert(decisions::ActiveModel {
        application_id: Set(application.id.clone()),
        decision: Set(input.decision.clone()),
        decided_by: Set(assessor_id.to_owned()),
        note: Set(input.note.clone()),
        decided_at: Set(now),
    })
    .exec(&txn)
    .await?;
    audit::record(
        &txn,
        chair,
        "decision.recorded",
        Some(&seat.vacancy.model.reference),
        json!({ "candidate_code": application.anon_code, "decision": input.decision }),
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Identity {
    pub candidate_code: String,
    pub full_name: String,
    pub email: String,
    pub nationality: Option<String>,
}

/// Admins only; every reveal is audited.
pub async fn reveal(
    db: &DatabaseConnection,
    admin: &Actor,
    reference: &str,
    code: &str,
    now: DateTime<Utc>,
) -> Result<Identity, ApiError> {
    let vacancy = vacancies::find_by_reference(db, reference).await?;
    let application = applications::Entity::find()
        .filter(applications::Column::VacancyId.eq(vacancy.model.id.clone()))
        .filter(applications::Column::AnonCode.eq(code))
        .one(db)
        .await?
        .ok_or(ApiError::NotFound("candidate"))?;
    let account = accounts::Entity::find_by_id(application.candidate_id.clone())
        .one(db)
        .await?
        .ok_or(ApiError::NotFound("candidate"))?;
    audit::record(
        db,
        admin,
        "identity.revealed",
        Some(&vacancy.model.reference),
        json!({ "candidate_code": code }),
        now,
    )
    .await?;
    Ok(Identity {
        candidate_code: application.anon_code,
        full_name: account.full_name,
        email: account.email,
        nationality: account.nationality,
    })
}

/// Results as CSV: one row per essay, anonymous.
pub fn results_csv(results: &[EssayResult]) -> Result<Vec<u8>, ApiError> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer
        .write_record([
            "candidate_code",
            "scores",
            "mean",
            "spread",
            "disagreement",
            "decision",
        ])
        .map_err(ApiError::internal)?;
    for r in results {
        writer
            .write_record([
                r.candidate_code.clone(),
                r.scores.to_string(),
                r.mean.map(|m| format!("{m:.2}")).unwrap_or_default(),
                r.spread.map(|s| format!("{s:.2}")).unwrap_or_default(),
                r.disagreement.to_string(),
                r.decision.clone().unwrap_or_default(),
            ])
            .map_err(ApiError::internal)?;
    }
    writer
        .into_inner()
        .map_err(|e| ApiError::Internal(e.to_string().into()))
}

pub fn results_xlsx(reference: &str, results: &[EssayResult]) -> Result<Vec<u8>, ApiError> {
    use rust_xlsxwriter::Workbook;
    let fail = |e: rust_xlsxwriter::XlsxError| ApiError::Internal(e.to_string().into());
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet
        .set_name(format!(
            "Results {}",
            reference.chars().take(20).collect::<String>()
        ))
        .map_err(fail)?;
    for (col, title) in [
        "candidate_code",
        "scores",
        "mean",
        "spread",
        "disagreement",
        "decision",
    ]
    .iter()
    .enumerate()
    {
        sheet.write_string(0, col as u16, *title).map_err(fail)?;
    }
    for (i, r) in results.iter().enumerate() {
        let row = (i + 1) as u32;
        sheet
            .write_string(row, 0, &r.candidate_code)
            .map_err(fail)?;
        sheet.write_number(row, 1, r.scores as f64).map_err(fail)?;
        if let Some(mean) = r.mean {
            sheet.write_number(row, 2, mean).map_err(fail)?;
        }
        if let Some(spread) = r.spread {
            sheet.write_number(row, 3, spread).map_err(fail)?;
        }
        sheet.write_boolean(row, 4, r.disagreement).map_err(fail)?;
        sheet
            .write_string(row, 5, r.decision.as_deref().unwrap_or(""))
            .map_err(fail)?;
    }
    workbook.save_to_buffer().map_err(fail)
}

/// Every current essay in one ZIP, named by candidate code. Built on the blocking pool.
pub async fn essays_zip(
    db: &DatabaseConnection,
    inspector: &crate::service::inspector::Inspector,
    admin: &Actor,
    vacancy: &Vacancy,
    now: DateTime<Utc>,
) -> Result<Vec<u8>, ApiError> {
    // The ZIP is for the panel: each file is the anonymous copy, under the candidate's code.
    let mut files = Vec::new();
    for essay in current_essays(db, vacancy).await? {
        let blob = blobs::Entity::find_by_id(essay.version.blob_sha256.clone())
            .one(db)
            .await?
            .ok_or(ApiError::NotFound("essay"))?;
        let name = anonymous_file_name(&essay.application, &essay.version);
        match inspector.anonymize(&blob.bytes).await {
            Ok(copy) => files.push((name, copy)),
            Err(reason) => files.push((
                format!("{name}.NOT-INCLUDED.txt"),
                format!("This file could not be made anonymous ({reason}); an admin can download the original.\n")
                    .into_bytes(),
            )),
        }
    }
    audit::record(
        db,
        admin,
        "essays.exported",
        Some(&vacancy.model.reference),
        json!({ "files": files.len() }),
        now,
    )
    .await?;
    tokio::task::spawn_blocking(move || {
        use std::io::Write;
        let mut cursor = std::io::Cursor::new(Vec::new());
        {
            let mut zip = zip::ZipWriter::new(&mut cursor);
            let options = zip::write::SimpleFileOptions::default()
                .compression_method(zip::CompressionMethod::Stored);
            for (name, bytes) in files {
                zip.start_file(name, options).map_err(|e| e.to_string())?;
                zip.write_all(&bytes).map_err(|e| e.to_string())?;
            }
            zip.finish().map_err(|e| e.to_string())?;
        }
        Ok::<_, String>(cursor.into_inner())
    })
    .await
    .map_err(ApiError::internal)?
    .map_err(|e| ApiError::Internal(e.into()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aggregates_flag_disagreement_from_a_spread_of_one_and_a_half() {
        type Case<'a> = (&'a [f64], Option<f64>, Option<f64>, bool);
        let cases: [Case; 4] = [
            (&[], None, None, false),
            (&[3.0], Some(3.0), Some(0.0), false),
            (&[2.0, 3.4], Some(2.7), Some(1.4), false),
            (&[2.0, 3.5, 3.0], Some(8.5 / 3.0), Some(1.5), true),
        ];
        for (means, mean, spread, disagreement) in cases {
            let (m, s, d) = aggregate(means);
            assert_eq!(
                m.map(|v| (v * 1000.0).round()),
                mean.map(|v| (v * 1000.0).round())
            );
            assert_eq!(
                s.map(|v| (v * 1000.0).round()),
                spread.map(|v| (v * 1000.0).round())
            );
            assert_eq!(d, disagreement, "{means:?}");
        }
    }

    #[test]
    fn weighted_mean_needs_every_criterion_and_marks_from_one_to_five() {
        let rubric = vec![
            Criterion {
                id: "a".into(),
                title: "A".into(),
                descriptor: String::new(),
                weight: 2.0,
            },
            Criterion {
                id: "b".into(),
                title: "B".into(),
                descriptor: String::new(),
                weight: 1.0,
            },
        ];
        let marks = |pairs: &[(&str, u8)]| {
            pairs
                .iter()
                .map(|(k, v)| (k.to_string(), *v))
                .collect::<BTreeMap<_, _>>()
        };
        assert_eq!(
            weighted_mean(&rubric, &marks(&[("a", 5), ("b", 2)])),
            Ok(4.0)
        );
        assert!(weighted_mean(&rubric, &marks(&[("a", 5)])).is_err());
        assert!(weighted_mean(&rubric, &marks(&[("a", 6), ("b", 2)])).is_err());
        assert!(weighted_mean(&rubric, &marks(&[("a", 5), ("b", 2), ("c", 1)])).is_err());
    }
}
