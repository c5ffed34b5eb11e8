//! Admins form panels, set rubrics, export results and essays, and reveal identities.
use actix_web::http::header;
use actix_web::{get, post, put, web, HttpRequest, HttpResponse};
use chrono::Utc;
use policy::Lang;
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;

use crate::auth::{AdminOrToken, AdminUser, EssaysRead, ResultsRead};
use crate::error::{ApiError, Problem};
use crate::service::assessment::{self, Criterion, EssayResult, Identity, PanelMemberInput};
use crate::service::vacancies;
use crate::startup::AppState;

/// The language of an export's first header row: `?lang=en|fr`, else the request's
/// `Accept-Language` (a link followed from a page carries the browser's, not the page's).
#[derive(Deserialize, IntoParams)]
pub struct ExportLanguage {
    /// `en` or `fr`.
    lang: Option<String>,
}

fn reader_language(query: &ExportLanguage, request: &HttpRequest) -> Lang {
    match query.lang.as_deref() {
        Some("fr") => Lang::Fr,
        Some("en") => Lang::En,
        _ => {
            let accept = request
                .headers()
                .get(header::ACCEPT_LANGUAGE)
                .and_then(|v| v.to_str().ok());
            if crate::error::prefers_french(accept) {
                Lang::Fr
            } else {
                Lang::En
            }
        }
    }
}

#[derive(Deserialize, ToSchema)]
pub struct PanelInput {
    pub members: Vec<PanelMemberInput>,
}

/// Sets the panel of a vacancy: assessors, exactly one of them chair.
#[utoipa::path(tag = "admin", request_body = PanelInput, params(("reference" = String, Path)), responses((status = 204), (status = 422, body = Problem)))]
#[put("/api/admin/vacancies/{reference}/panel")]
pub async fn set_panel(
    admin: AdminUser,
    path: web::Path<String>,
    body: web::Json<PanelInput>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let vacancy = vacancies::find_by_reference(&state.db, &path).await?;
    assessment::set_panel(
        &state.db,
        &vacancy,
        body.into_inner().members,
        &admin.actor,
        Utc::now(),
    )
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// The rubric of a vacancy (the default until one is set).
#[utoipa::path(tag = "admin", params(("reference" = String, Path)), responses((status = 200, body = Vec<Criterion>)))]
#[get("/api/admin/vacancies/{reference}/rubric")]
pub async fn get_rubric(
    _admin: AdminUser,
    path: web::Path<String>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let vacancy = vacancies::find_by_reference(&state.db, &path).await?;
    Ok(HttpResponse::Ok().json(assessment::rubric(&state.db, &vacancy).await?))
}

/// Replaces the rubric: criteria with descriptors and weights, marked 1–5.
#[utoipa::path(tag = "admin", request_body = Vec<Criterion>, params(("reference" = String, Path)), responses((status = 200, body = Vec<Criterion>), (status = 422, body = Problem)))]
#[put("/api/admin/vacancies/{reference}/rubric")]
pub async fn set_rubric(
    admin: AdminUser,
    path: web::Path<String>,
    body: web::Json<Vec<Criterion>>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let vacancy = vacancies::find_by_reference(&state.db, &path).await?;
    Ok(HttpResponse::Ok().json(
        assessment::set_rubric(
            &state.db,
            &vacancy,
            body.into_inner(),
            &admin.actor,
            Utc::now(),
        )
        .await?,
    ))
}

/// Results (anonymous) as JSON. API tokens: `results:read`.
#[utoipa::path(tag = "admin", params(("reference" = String, Path)), responses((status = 200, body = Vec<EssayResult>)), security((), ("bearer" = ["results:read"])))]
#[get("/api/admin/vacancies/{reference}/results")]
pub async fn results(
    _caller: AdminOrToken<ResultsRead>,
    path: web::Path<String>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let vacancy = vacancies::find_by_reference(&state.db, &path).await?;
    Ok(HttpResponse::Ok().json(assessment::results(&state.db, &vacancy, Utc::now()).await?))
}

#[derive(Deserialize, utoipa::IntoParams)]
pub struct EssayQuery {
    /// The document kind (e.g. `key-challenges`); the first by kind when left out.
    pub kind: Option<String>,
}

/// An application's current essay as the panel gets it: the anonymous copy (no author in its
/// metadata), named by the candidate's code. Audited. API tokens: `essays:read`.
#[utoipa::path(tag = "admin", params(("reference" = String, Path), ("application" = String, Path), EssayQuery),
    responses((status = 200, description = "the anonymous copy"), (status = 404, body = Problem), (status = 409, body = Problem)),
    security((), ("bearer" = ["essays:read"])))]
#[get("/api/admin/vacancies/{reference}/applications/{application}/essay")]
pub async fn current_essay(
    caller: AdminOrToken<EssaysRead>,
    path: web::Path<(String, String)>,
    query: web::Query<EssayQuery>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let (reference, application) = path.into_inner();
    let vacancy = vacancies::find_by_reference(&state.db, &reference).await?;
    let (name, bytes) = assessment::current_essay_copy(
        &state.db,
        &state.inspector,
        caller.actor(),
        &vacancy,
        &application,
        query.kind.as_deref(),
        Utc::now(),
    )
    .await?;
    let pdf = name.ends_with(".pdf");
    Ok(HttpResponse::Ok()
        .content_type(if pdf {
            "application/pdf"
        } else {
            "application/octet-stream"
        })
        .insert_header(attachment(name))
        .insert_header(("Cache-Control", "private, no-store"))
        .body(bytes))
}

fn attachment(name: String) -> header::ContentDisposition {
    super::disposition(&name, false)
}

/// Results as CSV.
#[utoipa::path(tag = "admin", params(("reference" = String, Path), ExportLanguage), responses((status = 200, content_type = "text/csv", description = "one row per essay, under two header rows: labels in the reader's language, then stable machine names")))]
#[get("/api/admin/vacancies/{reference}/results.csv")]
pub async fn results_csv(
    admin: AdminUser,
    path: web::Path<String>,
    query: web::Query<ExportLanguage>,
    request: HttpRequest,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let vacancy = vacancies::find_by_reference(&state.db, &path).await?;
    let lang = reader_language(&query, &request);
    let bytes =
        assessment::export_results_csv(&state.db, &admin.actor, &vacancy, lang, Utc::now()).await?;
    Ok(HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header(attachment(format!(
            "{}-results.csv",
            vacancy.model.reference
        )))
        .body(bytes))
}

/// Results as an Excel workbook.
#[utoipa::path(tag = "admin", params(("reference" = String, Path), ExportLanguage), responses((status = 200, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", description = "one row per essay, under two header rows: labels in the reader's language, then stable machine names")))]
#[get("/api/admin/vacancies/{reference}/results.xlsx")]
pub async fn results_xlsx(
    admin: AdminUser,
    path: web::Path<String>,
    query: web::Query<ExportLanguage>,
    request: HttpRequest,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let vacancy = vacancies::find_by_reference(&state.db, &path).await?;
    let lang = reader_language(&query, &request);
    let bytes =
        assessment::export_results_xlsx(&state.db, &admin.actor, &vacancy, lang, Utc::now())
            .await?;
    Ok(HttpResponse::Ok()
        .content_type("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        .insert_header(attachment(format!(
            "{}-results.xlsx",
            vacancy.model.reference
        )))
        .body(bytes))
}

/// Every current essay in one ZIP, files named by candidate code, sent as it is written. One
/// export at a time per admin.
#[utoipa::path(tag = "admin", params(("reference" = String, Path)), responses((status = 200, content_type = "application/zip", description = "the essays"),
    (status = 429, description = "an export this admin asked for is still being prepared", body = Problem)))]
#[get("/api/admin/vacancies/{reference}/essays.zip")]
pub async fn essays_zip(
    admin: AdminUser,
    path: web::Path<String>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let vacancy = vacancies::find_by_reference(&state.db, &path).await?;
    let download = assessment::essays_zip(
        &state.db,
        &state.inspector,
        &state.export_slots,
        &admin.actor,
        &vacancy,
        Utc::now(),
    )
    .await?;
    Ok(HttpResponse::Ok()
        .content_type("application/zip")
        .insert_header(attachment(format!(
            "{}-essays.zip",
            vacancy.model.reference
        )))
        .streaming(download))
}

#[derive(serde::Deserialize, utoipa::ToSchema)]
pub struct RevealRequest {
    /// Why the identity is needed; kept in the audit log. Required.
    #[serde(default)]
    pub reason: String,
}

/// Reveals who a candidate code is, for a reason. Audited with the reason.
#[utoipa::path(tag = "admin", request_body = RevealRequest, params(("reference" = String, Path), ("code" = String, Path)), responses((status = 200, body = Identity), (status = 404, body = Problem), (status = 422, body = Problem)))]
#[post("/api/admin/vacancies/{reference}/reveal/{code}")]
pub async fn reveal(
    admin: AdminUser,
    path: web::Path<(String, String)>,
    body: web::Json<RevealRequest>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let (reference, code) = path.into_inner();
    let identity = assessment::reveal(
        &state.db,
        &admin.actor,
        &reference,
        &code,
        &body.reason,
        Utc::now(),
    )
    .await?;
    Ok(HttpResponse::Ok().json(identity))
}

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(set_panel)
        .service(get_rubric)
        .service(set_rubric)
        .service(results)
        .service(current_essay)
        .service(results_csv)
        .service(results_xlsx)
        .service(essays_zip)
        .service(reveal);
}
