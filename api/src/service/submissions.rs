//! Applications and their documents: apply, upload (inspect, judge, store), replace, withdraw,
//! receipts. An accepted upload's bytes, hash, facts, verdict and receipt are committed in one
//! transaction before the candidate is told "accepted".

use std::sync::Arc;

use chrono::{DateTime, Utc};
use inspection::Inspection;
use policy::{Lang, Verdict};
use rand::Rng;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait,
    DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, QuerySelect, SqlErr,
};
use serde::{Deserialize, Serialize};
use serde_json::json;
use sha2::{Digest, Sha256};
use utoipa::ToSchema;

use entity::{accounts, applications, blobs, document_versions, upload_attempts};

use crate::domain::Nationality;
use crate::error::ApiError;
use crate::service::audit::{self, Actor};
use crate::service::outbox;
use crate::service::receipts::{ReceiptSigner, SignedReceipt};
use crate::service::vacancies::{self, LocalizedText, Vacancy, VacancyStatus};
use crate::service::verdicts::{judge, UploadContext};

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct VersionView {
    pub id: String,
    pub version: i32,
    pub original_filename: String,
    pub size_bytes: i64,
    pub sha256: String,
    pub pages: Option<i32>,
    pub upload_began_at: DateTime<Utc>,
    pub upload_completed_at: DateTime<Utc>,
    #[schema(value_type = Object)]
    pub verdict: serde_json::Value,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ApplicationDocumentView {
    pub kind: String,
    pub title_en: String,
    pub title_fr: String,
    pub current: Option<VersionView>,
    pub versions: Vec<VersionView>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ApplicationView {
    pub id: String,
    pub reference: String,
    pub title_en: String,
    pub title_fr: String,
    pub status: String,
    pub posts: Vec<String>,
    /// This candidate's deadline (their extension, if any).
    pub deadline: Option<DateTime<Utc>>,
    pub deadline_display: Option<LocalizedText>,
    /// True once the deadline (plus grace) has passed or the application was withdrawn.
    pub read_only: bool,
    pub documents: Vec<ApplicationDocumentView>,
}

fn version_view(model: &document_versions::Model) -> VersionView {
    VersionView {
        id: model.id.clone(),
        version: model.version,
        original_filename: model.original_filename.clone(),
        size_bytes: model.size_bytes,
        sha256: model.blob_sha256.clone(),
        pages: model.pages,
        upload_began_at: model.upload_began_at,
        upload_completed_at: model.upload_completed_at,
        verdict: serde_json::from_str(&model.verdict).unwrap_or(serde_json::Value::Null),
    }
}

/// The instant after which nothing may change for this candidate (deadline + grace).
pub(crate) fn closes_at(
    vacancy: &Vacancy,
    extension: Option<DateTime<Utc>>,
) -> Option<DateTime<Utc>> {
    let deadline = effective_deadline(vacancy, extension)?;
    Some(deadline + chrono::Duration::seconds(i64::from(vacancy.rules.grace_seconds)))
}

/// An extension never shortens a candidate's time.
fn effective_deadline(
    vacancy: &Vacancy,
    extension: Option<DateTime<Utc>>,
) -> Option<DateTime<Utc>> {
    match (vacancy.rules.deadline, extension) {
        (Some(d), Some(e)) => Some(d.max(e)),
        (d, None) => d,
        (None, Some(e)) => Some(e),
    }
}

/// Whether a new upload may *begin* at `now` (the grace period only serves uploads already begun).
fn may_begin(vacancy: &Vacancy, extension: Option<DateTime<Utc>>, now: DateTime<Utc>) -> bool {
    vacancy.status() == VacancyStatus::Open
        && effective_deadline(vacancy, extension).is_none_or(|d| now < d)
}

async fn build_view(
    db: &impl ConnectionTrait,
    application: &applications::Model,
    vacancy: &Vacancy,
    now: DateTime<Utc>,
) -> Result<ApplicationView, ApiError> {
    let extension =
        vacancies::extension_for(db, &vacancy.model.id, &application.candidate_id).await?;
    let versions = document_versions::Entity::find()
        .filter(document_versions::Column::ApplicationId.eq(application.id.clone()))
        .order_by_desc(document_versions::Column::Version)
        .all(db)
        .await?;
    let documents = vacancy
        .rules
        .documents
        .iter()
        .map(|rules| {
            let of_kind: Vec<&document_versions::Model> = versions
                .iter()
                .filter(|v| v.document_kind == rules.kind)
                .collect();
            ApplicationDocumentView {
                kind: rules.kind.clone(),
                title_en: rules.title_en.clone(),
                title_fr: rules.title_fr.clone(),
                current: of_kind
                    .iter()
                    .find(|v| v.is_current)
                    .map(|v| version_view(v)),
                versions: of_kind.iter().map(|v| version_view(v)).collect(),
            }
        })
        .collect();
    let deadline = effective_deadline(vacancy, extension);
    Ok(ApplicationView {
        id: application.id.clone(),
        reference: vacancy.model.reference.clone(),
        title_en: vacancy.model.title_en.clone(),
        title_fr: vacancy.model.title_fr.clone(),
        status: application.status.clone(),
        posts: serde_json::from_str(&application.posts).unwrap_or_default(),
        deadline,
        deadline_display: vacancy.deadline_display(deadline),
        read_only: application.status != "active" || !may_begin(vacancy, extension, now),
        documents,
    })
}

fn anon_code() -> String {
    const ALPHABET: &[u8] = b"23456789ABCDEFGHJKLMNPQRSTUVWXYZ";
    let mut rng = rand::thread_rng();
    let code: String = (0..5)
        .map(|_| ALPHABET[rng.gen_range(0..ALPHABET.len())] as char)
        .collect();
    format!("C-{code}")
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct ApplyInput {
    /// The posts applied for, when the vacancy has several.
    #[serde(default)]
    pub posts: Vec<String>,
    /// The ids of the eligibility statements the candidate affirms; all are required.
    #[serde(default)]
    pub affirmations: Vec<String>,
}

pub async fn apply(
    db: &DatabaseConnection,
    candidate: &accounts::Model,
    reference: &str,
    input: ApplyInput,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<ApplicationView, ApiError> {
    let vacancy = vacancies::find_public(db, reference).await?;
    let extension = vacancies::extension_for(db, &vacancy.model.id, &candidate.id).await?;
    if !may_begin(&vacancy, extension, now) {
        return Err(deadline_passed(&vacancy, extension));
    }
    let posts = if vacancy.posts.len() > 1 {
        if input.posts.is_empty() {
            return Err(ApiError::Validation(
                "choose at least one post to apply for".into(),
            ));
        }
        if let Some(unknown) = input.posts.iter().find(|p| !vacancy.posts.contains(p)) {
            return Err(ApiError::Validation(format!(
                "'{unknown}' is not a post of this vacancy"
            )));
        }
        input.posts.clone()
    } else {
        vacancy.posts.clone()
    };
    for statement in &vacancy.rules.eligibility {
        let id = vacancies::eligibility_id(*statement);
        if !input.affirmations.contains(&id) {
            return Err(ApiError::Validation(format!(
                "please affirm: {}",
                statement.text().en
            )));
        }
        if *statement == policy::EligibilityStatement::MemberStateNational {
            let national = candidate
                .nationality
                .as_deref()
                .and_then(|n| Nationality::parse(n).ok())
                .is_some_and(|n| n.is_member_state());
            if !national {
                return Err(ApiError::Forbidden(
                    "this vacancy is open to nationals of member states only; your account gives another nationality".into(),
                ));
            }
        }
    }
    let txn = crate::database::begin_write(db).await?;
    let existing = applications::Entity::find()
        .filter(applications::Column::VacancyId.eq(vacancy.model.id.clone()))
        .filter(applications::Column::CandidateId.eq(candidate.id.clone()))
        .one(&txn)
        .await?;
    let application = match existing {
        Some(existing) if existing.status == "active" => {
            return Err(ApiError::Conflict(
                "you have already applied for this vacancy".into(),
            ))
        }
        Some(withdrawn) => {
            let mut active: applications::ActiveModel = withdrawn.into();
            active.status = Set("active".into());
            active.withdrawn_at = Set(None);
            active.posts = Set(json!(posts).to_string());
            active.affirmations = Set(json!(input.affirmations).to_string());
            active.update(&txn).await?
        }
        None => {
            applications::ActiveModel {
                id: Set(uuid::Uuid::new_v4().to_string()),
                vacancy_id: Set(vacancy.model.id.clone()),
                candidate_id: Set(candidate.id.clone()),
                posts: Set(json!(posts).to_string()),
                affirmations: Set(json!(input.affirmations).to_string()),
                anon_code: Set(anon_code()),
                status: Set("active".into()),
                created_at: Set(now),
                withdrawn_at: Set(None),
            }
            .insert(&txn)
            .await?
        }
    };
    audit::record(
        &txn,
        actor,
        "application.created",
        Some(&vacancy.model.reference),
        json!({ "application_id": application.id }),
        now,
    )
    .await?;
    txn.commit().await?;
    build_view(db, &application, &vacancy, now).await
}

/// The candidate's own application, or 404: another candidate's is indistinguishable from none.
async fn own_application(
    db: &impl ConnectionTrait,
    candidate_id: &str,
    application_id: &str,
) -> Result<(applications::Model, Vacancy), ApiError> {
    let application = applications::Entity::find_by_id(application_id.to_owned())
        .one(db)
        .await?
        .filter(|a| a.candidate_id == candidate_id)
        .ok_or(ApiError::NotFound("application"))?;
    let vacancy = vacancies::find_by_id(db, &application.vacancy_id).await?;
    Ok((application, vacancy))
}

pub async fn list_own(
    db: &DatabaseConnection,
    candidate_id: &str,
    now: DateTime<Utc>,
) -> Result<Vec<ApplicationView>, ApiError> {
    let rows = applications::Entity::find()
        .filter(applications::Column::CandidateId.eq(candidate_id))
        .order_by_desc(applications::Column::CreatedAt)
        .all(db)
        .await?;
    let mut views = Vec::with_capacity(rows.len());
    for application in rows {
        let vacancy = vacancies::find_by_id(db, &application.vacancy_id).await?;
        views.push(build_view(db, &application, &vacancy, now).await?);
    }
    Ok(views)
}

pub async fn get_own(
    db: &DatabaseConnection,
    candidate_id: &str,
    application_id: &str,
    now: DateTime<Utc>,
) -> Result<ApplicationView, ApiError> {
    let (application, vacancy) = own_application(db, candidate_id, application_id).await?;
    build_view(db, &application, &vacancy, now).await
}

pub async fn withdraw(
    db: &DatabaseConnection,
    candidate_id: &str,
    application_id: &str,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<ApplicationView, ApiError> {
    let (application, vacancy) = own_application(db, candidate_id, application_id).await?;
    let extension = vacancies::extension_for(db, &vacancy.model.id, candidate_id).await?;
    if !may_begin(&vacancy, extension, now) {
        return Err(deadline_passed(&vacancy, extension));
    }
    if application.status != "active" {
        return Err(ApiError::Conflict(
            "this application is already withdrawn".into(),
        ));
    }
    let txn = crate::database::begin_write(db).await?;
    let mut active: applications::ActiveModel = application.into();
    active.status = Set("withdrawn".into());
    active.withdrawn_at = Set(Some(now));
    let application = active.update(&txn).await?;
    audit::record(
        &txn,
        actor,
        "application.withdrawn",
        Some(&vacancy.model.reference),
        json!({ "application_id": application.id }),
        now,
    )
    .await?;
    txn.commit().await?;
    build_view(db, &application, &vacancy, now).await
}

fn deadline_passed(vacancy: &Vacancy, extension: Option<DateTime<Utc>>) -> ApiError {
    let deadline = effective_deadline(vacancy, extension);
    let shown = vacancy
        .deadline_display(deadline)
        .map(|d| d.en)
        .unwrap_or_else(|| "the deadline".into());
    let (detail, status) = if vacancy.status() == VacancyStatus::Open {
        (
            format!("The deadline was {shown}; this application can no longer change."),
            actix_web::http::StatusCode::CONFLICT,
        )
    } else {
        (
            "This vacancy is not open for applications.".to_owned(),
            actix_web::http::StatusCode::CONFLICT,
        )
    };
    let mut extensions = serde_json::Map::new();
    extensions.insert("deadline".into(), json!(deadline));
    ApiError::Rejected {
        problem_type: "deadline-passed",
        status,
        detail,
        extensions,
    }
}

/// What the upload handler knows before reading the body.
pub struct UploadTicket {
    pub application: applications::Model,
    pub vacancy: Vacancy,
    pub document: policy::DocumentRules,
    pub extension: Option<DateTime<Utc>>,
    pub existing: Option<document_versions::Model>,
}

/// Checks, before a byte of the body is read, that this candidate may upload this document now.
/// A retry with a known `Idempotency-Key` finds the version it created.
pub async fn prepare_upload(
    db: &DatabaseConnection,
    candidate_id: &str,
    application_id: &str,
    kind: &str,
    idempotency_key: Option<&str>,
    began: DateTime<Utc>,
) -> Result<UploadTicket, ApiError> {
    let (application, vacancy) = own_application(db, candidate_id, application_id).await?;
    let document = vacancy
        .rules
        .document(kind)
        .cloned()
        .ok_or(ApiError::NotFound("document"))?;
    let existing = find_by_idempotency_key(db, &application.id, kind, idempotency_key).await?;
    let extension = vacancies::extension_for(db, &vacancy.model.id, candidate_id).await?;
    if existing.is_none() {
        if application.status != "active" {
            return Err(ApiError::Conflict(
                "this application was withdrawn; apply again first".into(),
            ));
        }
        if !may_begin(&vacancy, extension, began) {
            return Err(deadline_passed(&vacancy, extension));
        }
    }
    Ok(UploadTicket {
        application,
        vacancy,
        document,
        extension,
        existing,
    })
}

/// The outcome of an upload that was read and judged.
pub enum UploadOutcome {
    Accepted {
        version: VersionView,
        verdict: Verdict,
        inspection: Inspection,
        replayed: bool,
    },
    Rejected {
        verdict: Verdict,
        inspection: Inspection,
    },
}

pub struct ReceivedFile {
    pub bytes: Arc<Vec<u8>>,
    pub filename: String,
    pub began: DateTime<Utc>,
    pub completed: DateTime<Utc>,
}

fn closes_message(vacancy: &Vacancy, at: DateTime<Utc>) -> (String, String) {
    let tz = vacancy.rules.time_zone;
    (
        at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        at.with_timezone(&tz)
            .format("%Y-%m-%d %H:%M:%S %Z")
            .to_string(),
    )
}

/// The number of the newest version of one document of an application, if any.
async fn latest_version(
    conn: &impl ConnectionTrait,
    application_id: &str,
    kind: &str,
) -> Result<Option<i32>, sea_orm::DbErr> {
    Ok(document_versions::Entity::find()
        .filter(document_versions::Column::ApplicationId.eq(application_id))
        .filter(document_versions::Column::DocumentKind.eq(kind))
        .order_by_desc(document_versions::Column::Version)
        .one(conn)
        .await?
        .map(|v| v.version))
}

/// The version already stored under this idempotency key, if a key was given.
async fn find_by_idempotency_key(
    conn: &impl ConnectionTrait,
    application_id: &str,
    kind: &str,
    key: Option<&str>,
) -> Result<Option<document_versions::Model>, sea_orm::DbErr> {
    let Some(key) = key else {
        return Ok(None);
    };
    document_versions::Entity::find()
        .filter(document_versions::Column::ApplicationId.eq(application_id))
        .filter(document_versions::Column::DocumentKind.eq(kind))
        .filter(document_versions::Column::IdempotencyKey.eq(key))
        .one(conn)
        .await
}

/// Judges the file and, when accepted, stores it with its receipt in one transaction.
#[allow(clippy::too_many_arguments)]
pub async fn store_upload(
    db: &DatabaseConnection,
    signer: &ReceiptSigner,
    ticket: UploadTicket,
    mut file: ReceivedFile,
    inspection: Inspection,
    idempotency_key: Option<String>,
    candidate: &accounts::Model,
    actor: &Actor,
) -> Result<UploadOutcome, ApiError> {
    let context = UploadContext {
        filename: &file.filename,
        size_bytes: file.bytes.len() as u64,
        upload_began: file.began,
        upload_completed: file.completed,
        extended_deadline: ticket.extension,
    };
    let verdict = judge(
        &inspection,
        &context,
        &ticket.vacancy.rules,
        &ticket.document,
    );
    let sha256 = hex::encode(Sha256::digest(file.bytes.as_slice()));
    let verdict_json = serde_json::to_string(&verdict).map_err(ApiError::internal)?;
    let now = file.completed;
    if !verdict.accepted() {
        let _turn = crate::database::write_turn(db).await;
        upload_attempts::Entity::insert(upload_attempts::ActiveModel {
            application_id: Set(ticket.application.id.clone()),
            document_kind: Set(ticket.document.kind.clone()),
            at: Set(now),
            sha256: Set(sha256),
            size_bytes: Set(file.bytes.len() as i64),
            accepted: Set(false),
            verdict: Set(verdict_json),
            ..Default::default()
        })
        .exec(db)
        .await?;
        return Ok(UploadOutcome::Rejected {
            verdict,
            inspection,
        });
    }

    // Everything that can be worked out before the write is, so that SQLite's single writer is
    // held as briefly as possible: at a rush that write section is what every upload queues for.
    // The version number read here may be overtaken by a concurrent upload of the same document;
    // the unique index on (application, document, version) catches that below and the number is
    // read again, so it is never wrong.
    let application_id = ticket.application.id.clone();
    let kind = ticket.document.kind.clone();
    let mut previous = latest_version(db, &application_id, &kind).await?;
    // The bytes move into the blob row rather than being copied: a large upload is then held
    // once, not twice, while it is written.
    let size_bytes = file.bytes.len();
    let blob_bytes = Arc::try_unwrap(std::mem::take(&mut file.bytes))
        .unwrap_or_else(|shared| shared.as_ref().clone());
    let version_id = uuid::Uuid::new_v4().to_string();
    let (began_utc, began_local) = closes_message(&ticket.vacancy, file.began);
    let (completed_utc, completed_local) = closes_message(&ticket.vacancy, file.completed);
    let inspection_json = serde_json::to_string(&inspection).map_err(ApiError::internal)?;
    // The version that follows `previous` (the newest stored number, if any).
    let new_version = |previous: Option<i32>| -> Result<document_versions::ActiveModel, ApiError> {
        let version_number = previous.map_or(1, |p| p + 1);
        let receipt = signer.sign(json!({
            "submission_id": version_id,
            "application_id": ticket.application.id,
            "vacancy_reference": ticket.vacancy.model.reference,
            "document": ticket.document.kind,
            "document_title": ticket.document.title_en,
            "version": version_number,
            "original_filename": file.filename,
            "size_bytes": size_bytes,
            "sha256": sha256,
            "upload_began_at": began_utc,
            "upload_began_local": began_local,
            "upload_completed_at": completed_utc,
            "upload_completed_local": completed_local,
            "time_zone": ticket.vacancy.rules.time_zone.name(),
            "pages": inspection.facts.pages,
            "rules": verdict.rules.iter().map(|r| json!({"rule": r.rule, "status": r.status, "found": r.found})).collect::<Vec<_>>(),
            "verdict": verdict.verdict,
        }));
        Ok(document_versions::ActiveModel {
            id: Set(version_id.clone()),
            application_id: Set(ticket.application.id.clone()),
            document_kind: Set(ticket.document.kind.clone()),
            version: Set(version_number),
            blob_sha256: Set(sha256.clone()),
            original_filename: Set(file.filename.clone()),
            size_bytes: Set(size_bytes as i64),
            pages: Set(inspection.facts.pages.map(|p| p as i32)),
            inspection: Set(inspection_json.clone()),
            verdict: Set(verdict_json.clone()),
            upload_began_at: Set(file.began),
            upload_completed_at: Set(file.completed),
            receipt: Set(serde_json::to_string(&receipt).map_err(ApiError::internal)?),
            idempotency_key: Set(idempotency_key.clone()),
            is_current: Set(true),
        })
    };
    let mut version = new_version(previous)?;

    let _turn = crate::database::write_turn(db).await;
    let txn = crate::database::begin_write(db).await?;
    if db.get_database_backend() == sea_orm::DatabaseBackend::Postgres {
        // PostgreSQL runs uploads truly in parallel: the application's row lock orders uploads
        // of one candidate's documents, and the number is read again under it. (SQLite's single
        // writer already orders them.)
        applications::Entity::find_by_id(ticket.application.id.clone())
            .lock_exclusive()
            .one(&txn)
            .await?;
        // One query for both: the current version (always the newest) and any version stored
        // under this upload's idempotency key by a retry that raced it.
        let mut either = Condition::any().add(document_versions::Column::IsCurrent.eq(true));
        if let Some(key) = &idempotency_key {
            either = either.add(document_versions::Column::IdempotencyKey.eq(key.clone()));
        }
        let rows = document_versions::Entity::find()
            .filter(document_versions::Column::ApplicationId.eq(application_id.clone()))
            .filter(document_versions::Column::DocumentKind.eq(kind.clone()))
            .filter(either)
            .all(&txn)
            .await?;
        if let Some(existing) = rows
            .iter()
            .find(|v| idempotency_key.is_some() && v.idempotency_key == idempotency_key)
        {
            let existing = existing.clone();
            txn.rollback().await?;
            return replay(existing);
        }
        let latest = rows.iter().find(|v| v.is_current).map(|v| v.version);
        if latest != previous {
            previous = latest;
            version = new_version(previous)?;
        }
    }
    blobs::Entity::insert(blobs::ActiveModel {
        sha256: Set(sha256.clone()),
        size: Set(size_bytes as i64),
        bytes: Set(blob_bytes),
        created_at: Set(now),
    })
    .on_conflict_do_nothing_on([blobs::Column::Sha256])
    .exec(&txn)
    .await?;
    let mut attempts = 0;
    let model = loop {
        attempts += 1;
        if previous.is_some() {
            document_versions::Entity::update_many()
                .col_expr(
                    document_versions::Column::IsCurrent,
                    sea_orm::sea_query::Expr::value(false),
                )
                .filter(document_versions::Column::ApplicationId.eq(application_id.clone()))
                .filter(document_versions::Column::DocumentKind.eq(kind.clone()))
                .filter(document_versions::Column::IsCurrent.eq(true))
                .exec(&txn)
                .await?;
        }
        match version.insert(&txn).await {
            Ok(model) => break model,
            Err(error) if matches!(error.sql_err(), Some(SqlErr::UniqueConstraintViolation(_))) => {
                // PostgreSQL aborts the whole transaction on an error, but its row lock above
                // leaves nothing to collide with; this is a last resort there.
                if db.get_database_backend() != sea_orm::DatabaseBackend::Sqlite || attempts >= 3 {
                    txn.rollback().await?;
                    return Err(ApiError::Conflict(
                        "Another upload of this document was being saved at the same moment, so this one was not stored. Please upload it again.".into(),
                    ));
                }
                // On SQLite the failed statement alone is undone and the transaction goes on. A
                // retry with the same key that raced its first attempt gets that answer; otherwise
                // another upload of this document took the number first, and the next one is used.
                if let Some(existing) = find_by_idempotency_key(
                    &txn,
                    &application_id,
                    &kind,
                    idempotency_key.as_deref(),
                )
                .await?
                {
                    txn.rollback().await?;
                    return replay(existing);
                }
                previous = latest_version(&txn, &application_id, &kind).await?;
                version = new_version(previous)?;
            }
            Err(error) => return Err(error.into()),
        }
    };
    upload_attempts::Entity::insert(upload_attempts::ActiveModel {
        application_id: Set(ticket.application.id.clone()),
        document_kind: Set(ticket.document.kind.clone()),
        at: Set(now),
        sha256: Set(sha256.clone()),
        size_bytes: Set(size_bytes as i64),
        accepted: Set(true),
        verdict: Set(verdict_json),
        ..Default::default()
    })
    .exec(&txn)
    .await?;
    outbox::enqueue(
        &txn,
        &candidate.email,
        &format!("Receipt: {} for vacancy {} / Accusé de réception", ticket.document.title_en, ticket.vacancy.model.reference),
        &format!(
            "We received your {} for vacancy {}.\nFile: {}\nSHA-256: {}\nReceived: {} ({})\nSubmission id: {}\n\n\
             Nous avons bien reçu votre document ({}) pour le poste {}.\n",
            ticket.document.title_en,
            ticket.vacancy.model.reference,
            file.filename,
            sha256,
            completed_local,
            completed_utc,
            version_id,
            ticket.document.title_fr,
            ticket.vacancy.model.reference,
        ),
        now,
    )
    .await?;
    audit::record(
        &txn,
        actor,
        "document.uploaded",
        Some(&ticket.vacancy.model.reference),
        json!({ "version_id": version_id, "sha256": sha256 }),
        now,
    )
    .await?;
    // Only after this commit returns is the upload reported as accepted.
    txn.commit().await?;
    Ok(UploadOutcome::Accepted {
        version: version_view(&model),
        verdict,
        inspection,
        replayed: false,
    })
}

/// The answer to a retried upload: the version the first attempt created.
pub fn replay(existing: document_versions::Model) -> Result<UploadOutcome, ApiError> {
    let verdict: Verdict = serde_json::from_str(&existing.verdict).map_err(ApiError::internal)?;
    let inspection: Inspection =
        serde_json::from_str(&existing.inspection).map_err(ApiError::internal)?;
    Ok(UploadOutcome::Accepted {
        version: version_view(&existing),
        verdict,
        inspection,
        replayed: true,
    })
}

/// A version the candidate owns, with its application.
async fn own_version(
    db: &impl ConnectionTrait,
    candidate_id: &str,
    version_id: &str,
) -> Result<document_versions::Model, ApiError> {
    let version = document_versions::Entity::find_by_id(version_id.to_owned())
        .one(db)
        .await?
        .ok_or(ApiError::NotFound("document"))?;
    own_application(db, candidate_id, &version.application_id).await?;
    Ok(version)
}

pub async fn own_file(
    db: &DatabaseConnection,
    candidate_id: &str,
    version_id: &str,
) -> Result<(document_versions::Model, Vec<u8>), ApiError> {
    let version = own_version(db, candidate_id, version_id).await?;
    let blob = blobs::Entity::find_by_id(version.blob_sha256.clone())
        .one(db)
        .await?
        .ok_or(ApiError::NotFound("document"))?;
    Ok((version, blob.bytes))
}

pub async fn own_receipt(
    db: &DatabaseConnection,
    candidate_id: &str,
    version_id: &str,
) -> Result<SignedReceipt, ApiError> {
    let version = own_version(db, candidate_id, version_id).await?;
    serde_json::from_str(&version.receipt).map_err(ApiError::internal)
}

/// The language-neutral summary of a verdict for metrics: the first blocking failure.
pub fn first_failing_rule(verdict: &Verdict) -> &str {
    verdict
        .rules
        .iter()
        .find(|r| r.blocking && r.status == policy::RuleStatus::Fail)
        .map_or("none", |r| r.rule.as_str())
}

pub fn lang_or_en(raw: Option<&str>) -> Lang {
    match raw {
        Some(l) if l.starts_with("fr") => Lang::Fr,
        _ => Lang::En,
    }
}

/// Used by the deadline rule on every path: when does this application freeze?
pub fn application_closes_at(
    vacancy: &Vacancy,
    extension: Option<DateTime<Utc>>,
) -> Option<DateTime<Utc>> {
    closes_at(vacancy, extension)
}
