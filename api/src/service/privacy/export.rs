//! Everything held about a person, as one ZIP: the account, each application with its posts and
//! statements, every stored version (the file itself and its signed receipt), every upload
//! attempt with its verdict, and extensions granted. Assessors' scores, comments and the
//! panel's decisions are not included: they are the panel's working notes while a
//! recruitment runs, and are deleted with the rest when its retention ends (README, "Personal data").

use std::io::Write;

use chrono::{DateTime, Utc};
use sea_orm::{
    ColumnTrait, DatabaseConnection, EntityTrait, FromQueryResult, QueryFilter, QueryOrder,
    QuerySelect,
};
use serde_json::{json, Value};

use entity::{
    accounts, applications, blobs, document_versions, extensions, upload_attempts, vacancies,
};

use crate::downloads::{zip_download, ExportSlots, ZipDownload};
use crate::error::ApiError;
use crate::service::audit::{self, Actor};

fn parsed(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|_| Value::String(text.to_owned()))
}

/// A name safe inside a ZIP on every system: no folders, no control characters.
fn safe_name(name: &str) -> String {
    let cleaned: String = name
        .chars()
        .map(|c| {
            if c.is_control() || matches!(c, '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|') {
                '_'
            } else {
                c
            }
        })
        .collect();
    let trimmed = cleaned.trim_matches(|c: char| c == '.' || c.is_whitespace());
    if trimmed.is_empty() {
        "file".to_owned()
    } else {
        trimmed.chars().take(120).collect()
    }
}

/// A stored version as the export shows it: every column but the inspection (up to megabytes of
/// the essay's text, which the export does not carry).
#[derive(Debug, FromQueryResult)]
struct VersionRow {
    id: String,
    document_kind: String,
    version: i32,
    blob_sha256: String,
    original_filename: String,
    size_bytes: i64,
    pages: Option<i32>,
    verdict: String,
    upload_began_at: DateTime<Utc>,
    upload_completed_at: DateTime<Utc>,
    receipt: String,
    is_current: bool,
}

/// A file of the archive, in its order.
enum Entry {
    /// An uploaded file, read from the database when its turn comes.
    Upload { path: String, sha256: String },
    /// A signed receipt (already in hand: a few kilobytes).
    Receipt { path: String, text: String },
}

const README: &str = "Everything essay-portal holds about you.\n\
     data.json: your account, applications, versions, upload attempts and extensions.\n\
     applications/<id>/<document>-v<n>/: each file you uploaded and its signed receipt.\n\n\
     Tout ce qu'essay-portal conserve à votre sujet.\n\
     data.json : votre compte, vos candidatures, versions, tentatives d'envoi et prolongations.\n\
     applications/<id>/<document>-v<n>/ : chaque fichier envoyé et son accusé de réception signé.\n";

/// The ZIP of everything held about `account_id`, written while it is sent (see
/// [`crate::downloads`]). Audited (`account.exported`), with who asked, before the first byte
/// leaves. The account that asks may have one export being prepared at a time.
pub async fn export(
    db: &DatabaseConnection,
    slots: &ExportSlots,
    account_id: &str,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<ZipDownload, ApiError> {
    let asking = actor.account_id.as_deref().unwrap_or(account_id);
    let slot = slots.take(asking).ok_or(ApiError::ExportInProgress {
        own: asking == account_id,
    })?;
    let account = accounts::Entity::find_by_id(account_id.to_owned())
        .one(db)
        .await?
        .ok_or(ApiError::NotFound("account"))?;
    let mut entries: Vec<Entry> = Vec::new();
    let mut applications_json = Vec::new();
    let applied = applications::Entity::find()
        .filter(applications::Column::CandidateId.eq(account.id.clone()))
        .order_by_asc(applications::Column::CreatedAt)
        .all(db)
        .await?;
    for application in applied {
        let vacancy = vacancies::Entity::find_by_id(application.vacancy_id.clone())
            .one(db)
            .await?;
        let versions = document_versions::Entity::find()
            .select_only()
            .columns([
                document_versions::Column::Id,
                document_versions::Column::DocumentKind,
                document_versions::Column::Version,
                document_versions::Column::BlobSha256,
                document_versions::Column::OriginalFilename,
                document_versions::Column::SizeBytes,
                document_versions::Column::Pages,
                document_versions::Column::Verdict,
                document_versions::Column::UploadBeganAt,
                document_versions::Column::UploadCompletedAt,
                document_versions::Column::Receipt,
                document_versions::Column::IsCurrent,
            ])
            .filter(document_versions::Column::ApplicationId.eq(application.id.clone()))
            .order_by_asc(document_versions::Column::UploadCompletedAt)
            .into_model::<VersionRow>()
            .all(db)
            .await?;
        let mut versions_json = Vec::new();
        for version in versions {
            let folder = format!(
                "applications/{}/{}-v{}",
                application.id,
                safe_name(&version.document_kind),
                version.version
            );
            let file_path = format!("{folder}/{}", safe_name(&version.original_filename));
            versions_json.push(json!({
                "id": version.id,
                "document_kind": version.document_kind,
                "version": version.version,
                "original_filename": version.original_filename,
                "size_bytes": version.size_bytes,
                "sha256": version.blob_sha256,
                "pages": version.pages,
                "verdict": parsed(&version.verdict),
                "upload_began_at": version.upload_began_at,
                "upload_completed_at": version.upload_completed_at,
                "is_current": version.is_current,
                "file": file_path,
                "receipt": format!("{folder}/receipt.json"),
            }));
            entries.push(Entry::Upload {
                path: file_path,
                sha256: version.blob_sha256,
            });
            entries.push(Entry::Receipt {
                path: format!("{folder}/receipt.json"),
                text: version.receipt,
            });
        }
        let attempts: Vec<Value> = upload_attempts::Entity::find()
            .filter(upload_attempts::Column::ApplicationId.eq(application.id.clone()))
            .order_by_asc(upload_attempts::Column::At)
            .all(db)
            .await?
            .into_iter()
            .map(|a| {
                json!({
                    "document_kind": a.document_kind,
                    "original_filename": a.original_filename,
                    "at": a.at,
                    "size_bytes": a.size_bytes,
                    "accepted": a.accepted,
                    "verdict": parsed(&a.verdict),
                })
            })
            .collect();
        applications_json.push(json!({
            "id": application.id,
            "vacancy": vacancy.as_ref().map(|v| json!({
                "reference": v.reference, "title_en": v.title_en, "title_fr": v.title_fr,
            })),
            "candidate_code": application.anon_code,
            "posts": parsed(&application.posts),
            "statements_confirmed": parsed(&application.affirmations),
            "status": application.status,
            "created_at": application.created_at,
            "withdrawn_at": application.withdrawn_at,
            "reminders_stopped_at": application.reminders_stopped_at,
            "versions": versions_json,
            "upload_attempts": attempts,
        }));
    }
    let extensions_json: Vec<Value> = extensions::Entity::find()
        .filter(extensions::Column::AccountId.eq(account.id.clone()))
        .all(db)
        .await?
        .into_iter()
        .map(|e| json!({ "deadline": e.deadline, "reason": e.reason, "granted_at": e.created_at }))
        .collect();
    let summary = json!({
        "exported_at": now,
        "account": {
            "id": account.id,
            "email": account.email,
            "full_name": account.full_name,
            "nationality": account.nationality,
            "role": account.role,
            "created_at": account.created_at,
            "password_changed_at": account.password_changed_at,
            "disabled": account.disabled,
            "language": account.language,
        },
        "applications": applications_json,
        "extensions": extensions_json,
        "not_included": "assessors' scores, comments and decisions (the panel's working notes), \
                         which are deleted with the rest when the vacancy's retention period ends",
    });
    let data = serde_json::to_vec_pretty(&summary).map_err(ApiError::internal)?;
    audit::record(
        db,
        actor,
        "account.exported",
        Some(&account.id),
        json!({ "files": entries.len() }),
        now,
    )
    .await?;
    let db = db.clone();
    Ok(zip_download(slot, move |zip, runtime| {
        let text = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        // Uploaded files are PDF and Word files, already compressed: deflating them again would
        // cost CPU that uploads need, for next to nothing.
        let upload = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Stored);
        let failed = |e: &dyn std::fmt::Display| ApiError::Internal(e.to_string().into());
        let mut add = |path: &str, options: zip::write::SimpleFileOptions, bytes: &[u8]| {
            zip.start_file(path, options).map_err(|e| failed(&e))?;
            zip.write_all(bytes).map_err(|e| failed(&e))
        };
        add("README.txt", text, README.as_bytes())?;
        add("data.json", text, &data)?;
        for entry in entries {
            match entry {
                Entry::Upload { path, sha256 } => {
                    let stored = blobs::Entity::find_by_id(sha256)
                        .select_only()
                        .column(blobs::Column::Bytes)
                        .into_tuple::<Vec<u8>>()
                        .one(&db);
                    // A version deleted since the listing (replaced beyond the limit) has no
                    // file any more; as before, a missing file is left out.
                    if let Some(bytes) = runtime.block_on(stored)? {
                        add(&path, upload, &bytes)?;
                    }
                }
                Entry::Receipt {
                    path,
                    text: receipt,
                } => add(&path, text, receipt.as_bytes())?,
            }
        }
        Ok(())
    }))
}
