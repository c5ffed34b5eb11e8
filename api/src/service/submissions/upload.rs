//! An upload from the request to the answer: checks before the body is read, the body read
//! within the memory budget, inspection, then storing (see `store`), with metrics throughout.

use std::sync::Arc;
use std::time::Duration;

use actix_web::http::header::{self, HeaderMap};
use actix_web::web::Payload;
use chrono::{DateTime, Utc};
use inspection::Inspection;
use policy::Verdict;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};
use sha2::{Digest, Sha256};

use entity::{accounts, applications, document_versions};

use super::applications::upload_context;
use super::deadlines::{deadline_passed, may_begin};
use super::prune::Limits;
use super::store::store_upload;
use super::versions::{latest_version, version_view, VersionView};
use crate::error::ApiError;
use crate::service::audit::Actor;
use crate::service::vacancies::Vacancy;
use crate::startup::AppState;
use crate::telemetry::Metrics;
use crate::uploads::{self, BodyRules, ReceivedBody};

/// An upload request, before a byte of its body is read.
pub struct UploadRequest<'a> {
    pub candidate: &'a accounts::Model,
    pub actor: &'a Actor,
    pub application_id: &'a str,
    pub kind: &'a str,
    pub idempotency_key: Option<String>,
    /// When the request arrived: the instant that counts against the deadline.
    pub began: DateTime<Utc>,
}

/// Checks that the upload may happen, reads the body, inspects and judges the file and stores it
/// when accepted. A retry with a known `Idempotency-Key` gets the first answer, body unread.
pub async fn upload(
    state: &AppState,
    metrics: &Metrics,
    request: UploadRequest<'_>,
    headers: &HeaderMap,
    payload: Payload,
) -> Result<UploadOutcome, ApiError> {
    let stage = |name: &str, since: std::time::Instant| {
        metrics
            .upload_stage_seconds
            .with_label_values(&[name])
            .observe(since.elapsed().as_secs_f64());
    };
    let started = std::time::Instant::now();
    let ticket = prepare_upload(
        &state.db,
        &request.candidate.id,
        request.application_id,
        request.kind,
        request.idempotency_key.as_deref(),
        request.began,
        Limits::of(&state.settings),
    )
    .await?;
    stage("checks", started);
    // The memory reserved for the body is held (in `body`) until the upload is answered.
    let started = std::time::Instant::now();
    let body = receive_body(state, metrics, &ticket, headers, payload).await?;
    stage("body", started);
    let (bytes, filename, completed) = (body.bytes, body.filename, body.arrived);
    let sha256 = hex::encode(Sha256::digest(&bytes));
    // A retry of an attempt that was stored gets that answer. The key names one attempt, so the
    // retry must carry the same file: a page that built keys from a file's name and size once
    // replayed a candidate's earlier draft as "accepted" without storing it.
    if let Some(existing) = ticket.existing {
        if existing.blob_sha256 == sha256 && existing.original_filename == filename {
            return replay(&state.db, existing).await;
        }
        return Err(key_reused(&existing));
    }
    if ticket.current_sha256.as_deref() == Some(sha256.as_str()) {
        if let Some(current) = current_version(&state.db, &ticket).await? {
            if current.original_filename == filename {
                return unchanged(current);
            }
        }
    }
    let bytes = Arc::new(bytes);
    let started = std::time::Instant::now();
    let inspection = inspect(state, metrics, bytes.clone(), &filename).await;
    stage("inspection", started);
    let file = ReceivedFile {
        bytes,
        filename,
        sha256,
        began: request.began,
        completed,
    };
    let started = std::time::Instant::now();
    let stored = store_upload(
        &state.db,
        &state.group_commit,
        &state.signer,
        &state.mail,
        ticket,
        file,
        inspection,
        request.idempotency_key,
        request.candidate,
        request.actor,
    )
    .await;
    let outcome = match stored {
        Ok(outcome) => outcome,
        Err(error) => return Err(gone_if_erased(&state.db, &request.candidate.id, error).await),
    };
    stage("store", started);
    let (result, reason) = match &outcome {
        UploadOutcome::Accepted { .. } => ("accepted", "none"),
        UploadOutcome::Unchanged { .. } => ("unchanged", "none"),
        UploadOutcome::Rejected { verdict, .. } => ("rejected", first_failing_rule(verdict)),
    };
    metrics.uploads.with_label_values(&[result, reason]).inc();
    Ok(outcome)
}

/// What a store that failed means when the account was erased while its file arrived: the
/// application it belonged to is gone (its rows could not be written), which is no server fault
/// and deserves an answer that says so, not a 500.
async fn gone_if_erased(db: &DatabaseConnection, account_id: &str, error: ApiError) -> ApiError {
    match accounts::Entity::find_by_id(account_id.to_owned())
        .one(db)
        .await
    {
        Ok(None) => ApiError::Rejected {
            problem_type: "account-erased",
            status: actix_web::http::StatusCode::GONE,
            detail: "your account was erased while this file was arriving, so it was not stored"
                .into(),
            extensions: serde_json::Map::new(),
        },
        _ => error,
    }
}

/// The body, read under the vacancy's size limit and the server's pace and memory limits; a body
/// refused on the way is counted in the metrics with its reason.
async fn receive_body(
    state: &AppState,
    metrics: &Metrics,
    ticket: &UploadTicket,
    headers: &HeaderMap,
    payload: Payload,
) -> Result<ReceivedBody, ApiError> {
    let settings = &state.settings;
    let limit = (ticket.document.max_bytes as usize).min(settings.upload_limit_bytes);
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    let rules = BodyRules {
        file_limit: limit,
        idle: Duration::from_secs(settings.upload_idle_seconds.max(1)),
        total: Duration::from_secs(settings.upload_body_seconds.max(1)),
    };
    let received = uploads::receive(headers, payload, declared, rules, &state.upload_budget).await;
    received.inspect_err(|error| {
        let reason = match error {
            ApiError::PayloadTooLarge { .. } => "size",
            ApiError::UploadStalled { .. } => "stalled",
            _ => "unreadable-body",
        };
        metrics
            .uploads
            .with_label_values(&["rejected", reason])
            .inc();
    })
}

/// Inspects the file in a sandboxed worker, timing it by format.
async fn inspect(
    state: &AppState,
    metrics: &Metrics,
    bytes: Arc<Vec<u8>>,
    filename: &str,
) -> Inspection {
    let (inspection, took) = state.inspector.inspect(bytes, filename).await;
    let format = serde_json::to_value(inspection.facts.format)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default();
    metrics
        .inspection_seconds
        .with_label_values(&[format.as_str()])
        .observe(took.as_secs_f64());
    inspection
}

/// What is known of an upload before a byte of its body is read.
pub(super) struct UploadTicket {
    pub(super) application: applications::Model,
    pub(super) vacancy: Vacancy,
    pub(super) document: policy::DocumentRules,
    pub(super) extension: Option<DateTime<Utc>>,
    pub(super) existing: Option<document_versions::Model>,
    /// The number of the document's newest version when the upload began. SQLite numbers the
    /// new version from it; a unique index catches a number taken meanwhile.
    pub(super) latest_version: Option<i32>,
    /// The SHA-256 of the document's current version, if any.
    pub(super) current_sha256: Option<String>,
    /// The versions and refused attempts the document keeps.
    pub(super) limits: Limits,
}

/// Checks, before a byte of the body is read, that this candidate may upload this document now.
/// A retry with a known `Idempotency-Key` finds the version it created.
async fn prepare_upload(
    db: &DatabaseConnection,
    candidate_id: &str,
    application_id: &str,
    kind: &str,
    idempotency_key: Option<&str>,
    began: DateTime<Utc>,
    limits: Limits,
) -> Result<UploadTicket, ApiError> {
    let context = upload_context(db, candidate_id, application_id, kind, idempotency_key).await?;
    let (application, vacancy, extension) =
        (context.application, context.vacancy, context.extension);
    let document = vacancy
        .rules
        .document(kind)
        .cloned()
        .ok_or(ApiError::NotFound("document"))?;
    let existing = match context.stored_under_key {
        Some(id) => Some(
            document_versions::Entity::find_by_id(id)
                .one(db)
                .await?
                .ok_or(ApiError::NotFound("document version"))?,
        ),
        None => None,
    };
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
        latest_version: context.latest_version,
        current_sha256: context.current_sha256,
        limits,
    })
}

/// The outcome of an upload that was read and judged.
pub enum UploadOutcome {
    Accepted {
        version: VersionView,
        verdict: Verdict,
        inspection: Inspection,
        replayed: bool,
        /// The number of the document's current version now (a replayed version may have been
        /// replaced since).
        current_version: i32,
    },
    /// The file (bytes and name) is the document's current version already: nothing was stored.
    Unchanged {
        version: VersionView,
        verdict: Verdict,
        inspection: Inspection,
    },
    Rejected {
        verdict: Verdict,
        inspection: Inspection,
    },
}

pub(super) struct ReceivedFile {
    pub(super) bytes: Arc<Vec<u8>>,
    pub(super) filename: String,
    pub(super) sha256: String,
    pub(super) began: DateTime<Utc>,
    pub(super) completed: DateTime<Utc>,
}

/// The answer to a retried upload: the version the first attempt created, and which version is
/// current now.
pub(super) async fn replay(
    db: &DatabaseConnection,
    existing: document_versions::Model,
) -> Result<UploadOutcome, ApiError> {
    let current_version = if existing.is_current {
        existing.version
    } else {
        latest_version(db, &existing.application_id, &existing.document_kind)
            .await?
            .unwrap_or(existing.version)
    };
    let (version, verdict, inspection) = decoded(&existing)?;
    Ok(UploadOutcome::Accepted {
        version,
        verdict,
        inspection,
        replayed: true,
        current_version,
    })
}

fn unchanged(current: document_versions::Model) -> Result<UploadOutcome, ApiError> {
    let (version, verdict, inspection) = decoded(&current)?;
    Ok(UploadOutcome::Unchanged {
        version,
        verdict,
        inspection,
    })
}

fn decoded(
    model: &document_versions::Model,
) -> Result<(VersionView, Verdict, Inspection), ApiError> {
    let verdict: Verdict = serde_json::from_str(&model.verdict).map_err(ApiError::internal)?;
    let inspection: Inspection =
        serde_json::from_str(&model.inspection).map_err(ApiError::internal)?;
    Ok((version_view(model), verdict, inspection))
}

/// The document's current version, whole.
async fn current_version(
    db: &DatabaseConnection,
    ticket: &UploadTicket,
) -> Result<Option<document_versions::Model>, ApiError> {
    Ok(document_versions::Entity::find()
        .filter(document_versions::Column::ApplicationId.eq(ticket.application.id.as_str()))
        .filter(document_versions::Column::DocumentKind.eq(ticket.document.kind.as_str()))
        .filter(document_versions::Column::IsCurrent.eq(true))
        .one(db)
        .await?)
}

/// An `Idempotency-Key` sent again with a different file: the key names one attempt, and that
/// attempt stored another file. Nothing is stored; the candidate chooses the file again.
fn key_reused(existing: &document_versions::Model) -> ApiError {
    let mut extensions = serde_json::Map::new();
    extensions.insert("version".into(), serde_json::json!(existing.version));
    ApiError::Rejected {
        problem_type: "idempotency-key-reused",
        status: actix_web::http::StatusCode::UNPROCESSABLE_ENTITY,
        detail: format!(
            "This upload repeats the Idempotency-Key of an earlier upload (version {}, \"{}\") with a different file, so it was not stored. Choose the file again: each new choice needs a new key.",
            existing.version, existing.original_filename
        ),
        extensions,
    }
}

/// The language-neutral summary of a verdict for metrics: the first blocking failure.
fn first_failing_rule(verdict: &Verdict) -> &str {
    verdict
        .rules
        .iter()
        .find(|r| r.blocking && r.status == policy::RuleStatus::Fail)
        .map_or("none", |r| r.rule.as_str())
}
