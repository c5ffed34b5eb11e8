//! Assessors read essays anonymously, declare conflicts, score on the rubric; the chair sees
//! aggregates and records the longlist decision.
use actix_web::{get, post, web, HttpResponse};
use chrono::Utc;
use serde::Deserialize;
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::auth::AssessorUser;
use crate::error::{ApiError, Problem};
use crate::service::assessment::{
    self, DecisionInput, EssayReading, EssayResult, EssaySummary, PanelVacancy, SavedScore,
    ScoreInput, ScoreView,
};
use crate::startup::AppState;

/// The vacancies on whose panel the assessor sits.
#[utoipa::path(tag = "assessment", responses((status = 200, body = Vec<PanelVacancy>)))]
#[get("/api/assessor/vacancies")]
pub async fn vacancies(
    assessor: AssessorUser,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Ok()
        .json(assessment::my_vacancies(&state.db, assessor.id(), Utc::now()).await?))
}

/// The current essays of a vacancy, by candidate code, without those the assessor is conflicted on.
#[utoipa::path(tag = "assessment", params(("reference" = String, Path)), responses((status = 200, body = Vec<EssaySummary>), (status = 403, body = Problem), (status = 404, body = Problem)))]
#[get("/api/assessor/vacancies/{reference}/essays")]
pub async fn essays(
    assessor: AssessorUser,
    path: web::Path<String>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Ok()
        .json(assessment::essays(&state.db, assessor.id(), &path, Utc::now()).await?))
}

/// One essay to read: sanitised HTML for DOCX, facts, flags, the rubric.
#[utoipa::path(tag = "assessment", params(("id" = String, Path)), responses((status = 200, body = EssayReading), (status = 403, body = Problem), (status = 404, body = Problem)))]
#[get("/api/assessor/essays/{id}")]
pub async fn read(
    assessor: AssessorUser,
    path: web::Path<String>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Ok().json(
        assessment::read(
            &state.db,
            &state.inspector,
            &assessor.actor,
            assessor.id(),
            &path,
            Utc::now(),
        )
        .await?,
    ))
}

/// Image N of an essay's HTML (PNG, JPEG or GIF from the file itself).
#[utoipa::path(tag = "assessment", params(("id" = String, Path), ("index" = usize, Path)), responses((status = 200, description = "the image"), (status = 403, body = Problem), (status = 404, body = Problem)))]
#[get("/api/assessor/essays/{id}/images/{index}")]
pub async fn image(
    assessor: AssessorUser,
    path: web::Path<(String, usize)>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let (version_id, index) = path.into_inner();
    let (content_type, bytes) =
        assessment::image(&state.db, assessor.id(), &version_id, index, Utc::now()).await?;
    Ok(HttpResponse::Ok()
        .content_type(content_type)
        .insert_header(("Cache-Control", "private, max-age=3600"))
        .body(bytes))
}

/// The original file, renamed to the candidate's code. PDFs are shown inline.
#[utoipa::path(tag = "assessment", params(("id" = String, Path)), responses((status = 200, description = "the file"), (status = 403, body = Problem), (status = 404, body = Problem)))]
#[get("/api/assessor/essays/{id}/file")]
pub async fn file(
    assessor: AssessorUser,
    path: web::Path<String>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let (name, bytes) = assessment::file(
        &state.db,
        &state.inspector,
        &assessor.actor,
        assessor.id(),
        &path,
        Utc::now(),
    )
    .await?;
    let pdf = name.ends_with(".pdf");
    let disposition = super::disposition(&name, pdf);
    Ok(HttpResponse::Ok()
        .content_type(if pdf {
            "application/pdf"
        } else {
            "application/octet-stream"
        })
        .insert_header(disposition)
        .insert_header(("Cache-Control", "private, no-store"))
        .body(bytes))
}

#[derive(Deserialize, ToSchema)]
pub struct ConflictInput {
    pub reason: String,
}

/// Declares a conflict of interest: the essay leaves the assessor's list for good.
#[utoipa::path(tag = "assessment", request_body = ConflictInput, params(("application" = String, Path)), responses((status = 204), (status = 404, body = Problem)))]
#[post("/api/assessor/applications/{application}/conflict")]
pub async fn conflict(
    assessor: AssessorUser,
    path: web::Path<String>,
    body: web::Json<ConflictInput>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    assessment::declare_conflict(
        &state.db,
        &assessor.actor,
        assessor.id(),
        &path,
        &body.reason,
        Utc::now(),
    )
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Saves the assessor's score of an essay as a new revision (1, 2, …); earlier revisions are kept.
#[utoipa::path(tag = "assessment", request_body = ScoreInput, params(("application" = String, Path)), responses((status = 200, body = SavedScore, description = "the weighted mean and the revision saved"), (status = 403, body = Problem, description = "`/problems/conflict-of-interest`: the assessor declared a conflict for this essay"), (status = 409, body = Problem), (status = 422, body = Problem, description = "a criterion is not scored, or a mark is outside 1–5")))]
#[post("/api/assessor/applications/{application}/score")]
pub async fn score(
    assessor: AssessorUser,
    path: web::Path<String>,
    body: web::Json<ScoreInput>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let saved = assessment::submit_score(
        &state.db,
        &assessor.actor,
        assessor.id(),
        &path,
        body.into_inner(),
        Utc::now(),
    )
    .await?;
    Ok(HttpResponse::Ok().json(saved))
}

/// Every assessor's score of an essay, once the caller has submitted their own.
#[utoipa::path(tag = "assessment", params(("application" = String, Path)), responses((status = 200, body = Vec<ScoreView>), (status = 409, body = Problem, description = "submit your own score first")))]
#[get("/api/assessor/applications/{application}/scores")]
pub async fn scores(
    assessor: AssessorUser,
    path: web::Path<String>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Ok()
        .json(assessment::scores_of(&state.db, assessor.id(), &path, Utc::now()).await?))
}

/// The chair's view: per-essay mean, spread and disagreement, best first, counting only scores of
/// the current version by members without a conflict (the others listed in `excluded_scores`).
#[utoipa::path(tag = "assessment", params(("reference" = String, Path)), responses((status = 200, body = Vec<EssayResult>), (status = 403, body = Problem)))]
#[get("/api/assessor/vacancies/{reference}/results")]
pub async fn results(
    assessor: AssessorUser,
    path: web::Path<String>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Ok()
        .json(assessment::chair_results(&state.db, assessor.id(), &path, Utc::now()).await?))
}

/// The chair records the longlist decision for the essay's current version; while fewer than all
/// panel members have scored it, only with `confirm_incomplete`; while the candidate's extension
/// runs, only with `override_extension` and a reason (audited as `decision.extension_overridden`).
/// Never by a chair who declared a conflict of interest for it.
#[utoipa::path(tag = "assessment", request_body = DecisionInput, params(("reference" = String, Path)), responses((status = 204),
    (status = 403, body = Problem, description = "not the chair, or `/problems/conflict-of-interest`: the chair declared a conflict for this essay"),
    (status = 409, body = Problem, description = "not every panel member has scored (confirm to decide anyway), or `/problems/extension-running`: the candidate's extension still runs (`extension_ends_at`; override with a reason)"),
    (status = 422, body = Problem, description = "an override without a reason")))]
#[post("/api/assessor/vacancies/{reference}/decisions")]
pub async fn decide(
    assessor: AssessorUser,
    path: web::Path<String>,
    body: web::Json<DecisionInput>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    assessment::record_decision(
        &state.db,
        &assessor.actor,
        assessor.id(),
        &path,
        body.into_inner(),
        Utc::now(),
    )
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(vacancies)
        .service(essays)
        .service(read)
        .service(image)
        .service(file)
        .service(conflict)
        .service(score)
        .service(scores)
        .service(results)
        .service(decide);
}
