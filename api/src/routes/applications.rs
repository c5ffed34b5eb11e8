//! A candidate's applications: apply, upload, replace, withdraw, download, receipts.
use actix_web::{get, post, put, web, HttpRequest, HttpResponse};
use chrono::Utc;
use serde::Serialize;
use serde_json::json;
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::auth::CandidateUser;
use crate::error::{ApiError, Problem};
use crate::service::receipts::SignedReceipt;
use crate::service::submissions::{
    self, ApplicationView, ApplyInput, UploadOutcome, UploadRequest, VersionView,
};
use crate::startup::AppState;
use crate::telemetry::Metrics;

/// Applies for a vacancy: posts chosen and eligibility statements affirmed.
#[utoipa::path(tag = "applications", request_body = ApplyInput, params(("reference" = String, Path)), responses(
    (status = 201, body = ApplicationView), (status = 403, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
#[post("/api/vacancies/{reference}/application")]
pub async fn apply(
    candidate: CandidateUser,
    path: web::Path<String>,
    body: web::Json<ApplyInput>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let view = submissions::apply(
        &state.db,
        &candidate.account,
        &path,
        body.into_inner(),
        &candidate.actor,
        submissions::versions_kept(&state.settings),
        Utc::now(),
    )
    .await?;
    Ok(HttpResponse::Created().json(view))
}

/// The candidate's own applications.
#[utoipa::path(tag = "applications", responses((status = 200, body = Vec<ApplicationView>)))]
#[get("/api/applications")]
pub async fn list(
    candidate: CandidateUser,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let kept = submissions::versions_kept(&state.settings);
    let views = submissions::list_own(&state.db, candidate.id(), kept, Utc::now()).await?;
    Ok(HttpResponse::Ok().json(views))
}

/// One of the candidate's own applications, with every document version.
#[utoipa::path(tag = "applications", params(("id" = String, Path)), responses((status = 200, body = ApplicationView), (status = 404, body = Problem)))]
#[get("/api/applications/{id}")]
pub async fn get(
    candidate: CandidateUser,
    path: web::Path<String>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let kept = submissions::versions_kept(&state.settings);
    let view = submissions::get_own(&state.db, candidate.id(), &path, kept, Utc::now()).await?;
    Ok(HttpResponse::Ok().json(view))
}

/// Withdraws the application (before the deadline only).
#[utoipa::path(tag = "applications", params(("id" = String, Path)), responses((status = 200, body = ApplicationView), (status = 409, body = Problem)))]
#[post("/api/applications/{id}/withdraw")]
pub async fn withdraw(
    candidate: CandidateUser,
    path: web::Path<String>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Ok().json(
        submissions::withdraw(
            &state.db,
            candidate.id(),
            &path,
            &candidate.actor,
            submissions::versions_kept(&state.settings),
            Utc::now(),
        )
        .await?,
    ))
}

#[derive(Serialize, ToSchema)]
pub struct UploadAccepted {
    pub accepted: bool,
    /// The version this answer is about: the one stored now, the one a retry of the same attempt
    /// stored, or (when `unchanged`) the current one the file is identical to.
    pub version: VersionView,
    /// The number of the document's current version after this upload.
    pub current_version: i32,
    /// The file (bytes and name) was already the current version: nothing new was stored.
    pub unchanged: bool,
    /// A retry of an attempt already stored (same Idempotency-Key, same file).
    pub replayed: bool,
    #[schema(value_type = Object)]
    pub verdict: serde_json::Value,
    /// The inspection facts (format, pages, paper, last_page_fill, page_starts, problems).
    #[schema(value_type = Object)]
    pub inspection: serde_json::Value,
}

fn idempotency_key(request: &HttpRequest) -> Result<Option<String>, ApiError> {
    let Some(value) = request.headers().get("idempotency-key") else {
        return Ok(None);
    };
    let key = value
        .to_str()
        .ok()
        .map(str::trim)
        .filter(|k| !k.is_empty() && k.len() <= 200)
        .ok_or_else(|| {
            ApiError::Validation("Idempotency-Key must be 1 to 200 visible ASCII characters".into())
        })?;
    Ok(Some(key.to_owned()))
}

fn outcome_response(outcome: UploadOutcome) -> Result<HttpResponse, ApiError> {
    let answer = |version: VersionView,
                  verdict,
                  inspection: inspection::Inspection,
                  current_version,
                  unchanged,
                  replayed| {
        Ok::<_, ApiError>(UploadAccepted {
            accepted: true,
            version,
            current_version,
            unchanged,
            replayed,
            verdict: serde_json::to_value(&verdict).map_err(ApiError::internal)?,
            inspection: serde_json::to_value(&inspection.facts).map_err(ApiError::internal)?,
        })
    };
    match outcome {
        UploadOutcome::Accepted {
            version,
            verdict,
            inspection,
            replayed,
            current_version,
        } => {
            let body = answer(
                version,
                verdict,
                inspection,
                current_version,
                false,
                replayed,
            )?;
            Ok(if replayed {
                HttpResponse::Ok().json(body)
            } else {
                HttpResponse::Created().json(body)
            })
        }
        UploadOutcome::Unchanged {
            version,
            verdict,
            inspection,
        } => {
            let current = version.version;
            Ok(
                HttpResponse::Ok()
                    .json(answer(version, verdict, inspection, current, true, false)?),
            )
        }
        UploadOutcome::Rejected {
            verdict,
            inspection,
        } => {
            let failing: Vec<String> = verdict
                .rules
                .iter()
                .filter(|r| r.blocking && r.status == policy::RuleStatus::Fail)
                .map(|r| r.message.en.clone())
                .collect();
            let mut extensions = serde_json::Map::new();
            extensions.insert(
                "verdict".into(),
                serde_json::to_value(&verdict).map_err(ApiError::internal)?,
            );
            extensions.insert(
                "inspection".into(),
                serde_json::to_value(&inspection.facts).map_err(ApiError::internal)?,
            );
            Err(ApiError::Rejected {
                problem_type: "document-rejected",
                status: actix_web::http::StatusCode::UNPROCESSABLE_ENTITY,
                detail: format!(
                    "The document does not meet the vacancy's rules. {}",
                    failing.join(" ")
                ),
                extensions,
            })
        }
    }
}

/// Uploads a document (multipart field `file`). It is inspected and judged against the vacancy's
/// rules at once; when accepted it becomes the current version and a signed receipt is issued.
/// The instant the request's headers arrived is the one that counts against the deadline.
#[utoipa::path(tag = "applications", params(("id" = String, Path), ("kind" = String, Path),
    ("Idempotency-Key" = Option<String>, Header, description = "A retry with the same key returns the first result")),
    request_body(content_type = "multipart/form-data", description = "one field named 'file'"),
    responses((status = 201, body = UploadAccepted), (status = 200, body = UploadAccepted, description = "a retry of an accepted upload (`replayed`), or the current version's own file sent again (`unchanged`)"),
        (status = 413, body = Problem), (status = 422, body = Problem, description = "rejected: the checklist is in `verdict`"),
        (status = 409, body = Problem, description = "after the deadline")))]
#[post("/api/applications/{id}/documents/{kind}")]
pub async fn upload(
    candidate: CandidateUser,
    path: web::Path<(String, String)>,
    request: HttpRequest,
    payload: web::Payload,
    state: web::Data<AppState>,
    metrics: web::Data<Metrics>,
) -> Result<HttpResponse, ApiError> {
    use actix_web::HttpMessage;
    // The instant the request's headers arrived (see `uploads::Arrival`), not the handler's.
    let began = request
        .extensions()
        .get::<crate::uploads::Arrival>()
        .map_or_else(Utc::now, |arrival| arrival.0);
    let _slot = state
        .upload_slots
        .take(candidate.id(), state.settings.uploads_per_candidate)?;
    let _shared_slot = crate::uploads::take_shared_slot(
        &state.db,
        candidate.id(),
        state.settings.uploads_per_candidate,
    )
    .await?;
    let (application_id, kind) = path.into_inner();
    let upload = UploadRequest {
        candidate: &candidate.account,
        actor: &candidate.actor,
        application_id: &application_id,
        kind: &kind,
        idempotency_key: idempotency_key(&request)?,
        began,
    };
    let outcome = submissions::upload(&state, &metrics, upload, request.headers(), payload).await?;
    outcome_response(outcome)
}

/// Downloads one of the candidate's own documents.
#[utoipa::path(tag = "applications", params(("id" = String, Path)), responses(
    (status = 200, description = "the file", content_type = "application/octet-stream"), (status = 404, body = Problem)))]
#[get("/api/versions/{id}/file")]
pub async fn download(
    candidate: CandidateUser,
    path: web::Path<String>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let (version, bytes) = submissions::own_file(&state.db, candidate.id(), &path).await?;
    let disposition = super::disposition(&version.original_filename, false);
    Ok(HttpResponse::Ok()
        .content_type("application/octet-stream")
        .insert_header(disposition)
        .insert_header(("Cache-Control", "private, no-store"))
        .body(bytes))
}

/// The signed receipt of one of the candidate's own documents.
#[utoipa::path(tag = "applications", params(("id" = String, Path)), responses((status = 200, body = SignedReceipt), (status = 404, body = Problem)))]
#[get("/api/versions/{id}/receipt")]
pub async fn receipt(
    candidate: CandidateUser,
    path: web::Path<String>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let receipt = submissions::own_receipt(&state.db, candidate.id(), &path).await?;
    Ok(HttpResponse::Ok()
        .insert_header(("Cache-Control", "private, no-store"))
        .json(json!(receipt)))
}

#[derive(serde::Deserialize, ToSchema)]
pub struct RemindersRequest {
    /// True: no more reminder mails for this application; false: reminders again.
    pub stopped: bool,
}

/// Stops (or resumes) the reminder mails sent while the application is incomplete.
#[utoipa::path(tag = "applications", request_body = RemindersRequest, params(("id" = String, Path)), responses((status = 200, body = ApplicationView), (status = 404, body = Problem), (status = 422, body = Problem)))]
#[put("/api/applications/{id}/reminders")]
pub async fn reminders(
    candidate: CandidateUser,
    path: web::Path<String>,
    body: Option<web::Json<RemindersRequest>>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let now = Utc::now();
    let kept = submissions::versions_kept(&state.settings);
    // Someone else's application is not found, whatever the body: its owner is checked first.
    submissions::get_own(&state.db, candidate.id(), &path, kept, now).await?;
    let body = body.ok_or_else(|| {
        ApiError::Validation("send {\"stopped\": true} or {\"stopped\": false}".into())
    })?;
    crate::service::reminders::set_stopped(
        &state.db,
        &candidate.account,
        &path,
        body.stopped,
        &candidate.actor,
        now,
    )
    .await?;
    let view = submissions::get_own(&state.db, candidate.id(), &path, kept, now).await?;
    Ok(HttpResponse::Ok().json(view))
}

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(apply)
        .service(list)
        .service(get)
        .service(withdraw)
        .service(upload)
        .service(download)
        .service(receipt)
        .service(reminders);
}
