//! Everything held about a person, as one ZIP: the account, each application with its posts and
//! statements, every stored version (the file itself and its signed receipt), every upload
//! attempt with its verdict, and extensions granted. Assessors' scores, comments and the
//! panel's decisions are not included: they are the panel's working notes while a
//! recruitment runs, and are deleted with the rest when its retention ends (README, "Personal data").

use std::io::Write;

use chrono::{DateTime, Utc};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder};
use serde_json::{json, Value};

use entity::{
    accounts, applications, blobs, document_versions, extensions, upload_attempts, vacancies,
};

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

/// The ZIP of everything held about `account_id`. Audited (`account.exported`), with who asked.
pub async fn export(
    db: &DatabaseConnection,
    account_id: &str,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<Vec<u8>, ApiError> {
    let account = accounts::Entity::find_by_id(account_id.to_owned())
        .one(db)
        .await?
        .ok_or(ApiError::NotFound("account"))?;
    let mut files: Vec<(String, Vec<u8>)> = Vec::new();
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
            .filter(document_versions::Column::ApplicationId.eq(application.id.clone()))
            .order_by_asc(document_versions::Column::UploadCompletedAt)
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
            if let Some(blob) = blobs::Entity::find_by_id(version.blob_sha256.clone())
                .one(db)
                .await?
            {
                files.push((file_path.clone(), blob.bytes));
            }
            files.push((
                format!("{folder}/receipt.json"),
                version.receipt.clone().into_bytes(),
            ));
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
        },
        "applications": applications_json,
        "extensions": extensions_json,
        "not_included": "assessors' scores, comments and decisions (the panel's working notes), \
                         which are deleted with the rest when the vacancy's retention period ends",
    });
    let mut buffer = std::io::Cursor::new(Vec::new());
    {
        let mut zip = zip::ZipWriter::new(&mut buffer);
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        let error = |e: &dyn std::fmt::Display| {
            ApiError::Internal(Box::new(std::io::Error::other(e.to_string())))
        };
        zip.start_file("README.txt", options)
            .map_err(|e| error(&e))?;
        zip.write_all(
            "Everything essay-portal holds about you.\n\
             data.json: your account, applications, versions, upload attempts and extensions.\n\
             applications/<id>/<document>-v<n>/: each file you uploaded and its signed receipt.\n\n\
             Tout ce qu'essay-portal conserve à votre sujet.\n\
             data.json : votre compte, vos candidatures, versions, tentatives d'envoi et prolongations.\n\
             applications/<id>/<document>-v<n>/ : chaque fichier envoyé et son accusé de réception signé.\n"
                .as_bytes(),
        )
        .map_err(|e| error(&e))?;
        zip.start_file("data.json", options)
            .map_err(|e| error(&e))?;
        let data = serde_json::to_vec_pretty(&summary).map_err(|e| error(&e))?;
        zip.write_all(&data).map_err(|e| error(&e))?;
        for (path, bytes) in &files {
            zip.start_file(path.as_str(), options)
                .map_err(|e| error(&e))?;
            zip.write_all(bytes).map_err(|e| error(&e))?;
        }
        zip.finish().map_err(|e| error(&e))?;
    }
    audit::record(
        db,
        actor,
        "account.exported",
        Some(&account.id),
        json!({ "files": files.len() }),
        now,
    )
    .await?;
    Ok(buffer.into_inner())
}
