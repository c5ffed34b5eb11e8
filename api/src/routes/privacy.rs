//! Personal data: a person's own export and erasure, admins' export and erasure on request, and
//! each vacancy's retention period.
use actix_web::{delete, get, post, put, web, HttpResponse};
use chrono::Utc;
use serde::Deserialize;
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::auth::{self, AdminUser, SignedInUser};
use crate::error::{ApiError, Problem};
use crate::service::privacy::{self, ErasureOutcome, ErasureStatus, RetentionView};
use crate::service::vacancies::find_by_reference;
use crate::startup::AppState;

const ZIP: &str = "application/zip";

/// Everything held about the signed-in person, as a ZIP (account, applications, every stored
/// file with its receipt, upload attempts), sent as it is written. Audited. One export per
/// account at a time.
#[utoipa::path(tag = "privacy", responses(
    (status = 200, description = "ZIP archive", content_type = "application/zip"),
    (status = 401, body = Problem),
    (status = 429, description = "an export of this account is already being prepared", body = Problem)))]
#[get("/api/account/export")]
pub async fn own_export(
    user: SignedInUser,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let account = &user.account.id;
    let slots = &state.export_slots;
    let download = privacy::export(&state.db, slots, account, &user.actor, Utc::now()).await?;
    Ok(HttpResponse::Ok()
        .content_type(ZIP)
        .insert_header(super::disposition("essay-portal-my-data.zip", false))
        .insert_header(("Cache-Control", "no-store"))
        .streaming(download))
}

#[derive(Deserialize, ToSchema)]
pub struct ErasureRequest {
    /// The account's password, to confirm it is its owner asking.
    pub password: String,
}

/// Erases the signed-in candidate's account. Applications to vacancies being assessed keep the
/// request waiting until those assessments end; everything else goes at once.
#[utoipa::path(tag = "privacy", request_body = ErasureRequest, responses(
    (status = 200, body = ErasureOutcome), (status = 401, body = Problem),
    (status = 403, body = Problem), (status = 422, body = Problem), (status = 429, body = Problem)))]
#[delete("/api/account")]
pub async fn erase_own(
    user: SignedInUser,
    body: web::Json<ErasureRequest>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let outcome = privacy::request_erasure(
        &state.db,
        &user.account,
        &body.password,
        &user.actor,
        Utc::now(),
    )
    .await?;
    let mut response = HttpResponse::Ok();
    if matches!(outcome, ErasureOutcome::Erased { .. }) {
        response.cookie(auth::removal(auth::SESSION_COOKIE));
    }
    Ok(response.json(outcome))
}

/// Whether the signed-in person asked for erasure, and which assessments it waits for.
#[utoipa::path(tag = "privacy", responses((status = 200, body = ErasureStatus), (status = 401, body = Problem)))]
#[get("/api/account/erasure")]
pub async fn own_erasure(
    user: SignedInUser,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let status = privacy::erasure_status(&state.db, &user.account.id, Utc::now()).await?;
    Ok(HttpResponse::Ok().json(status))
}

/// Everything held about one person, for an admin answering their request, sent as it is
/// written. Audited. One export at a time per admin.
#[utoipa::path(tag = "privacy", params(("id" = String, Path)), responses(
    (status = 200, description = "ZIP archive", content_type = "application/zip"),
    (status = 403, body = Problem), (status = 404, body = Problem),
    (status = 429, description = "an export this admin asked for is still being prepared", body = Problem)))]
#[get("/api/admin/accounts/{id}/export")]
pub async fn admin_export(
    admin: AdminUser,
    path: web::Path<String>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let slots = &state.export_slots;
    let download = privacy::export(&state.db, slots, &path, &admin.actor, Utc::now()).await?;
    Ok(HttpResponse::Ok()
        .content_type(ZIP)
        .insert_header(super::disposition("essay-portal-personal-data.zip", false))
        .insert_header(("Cache-Control", "no-store"))
        .streaming(download))
}

#[derive(Deserialize, ToSchema)]
pub struct AdminErasureRequest {
    /// Why, as the audit log will show it (e.g. "request by email of 30 November 2026").
    pub reason: String,
}

/// Erases a candidate's account and data at once, on their request. Audited with the reason.
#[utoipa::path(tag = "privacy", request_body = AdminErasureRequest, params(("id" = String, Path)),
    responses((status = 204), (status = 403, body = Problem), (status = 404, body = Problem),
    (status = 422, body = Problem)))]
#[post("/api/admin/accounts/{id}/erase")]
pub async fn admin_erase(
    admin: AdminUser,
    path: web::Path<String>,
    body: web::Json<AdminErasureRequest>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    privacy::erase_account(&state.db, &path, &body.reason, &admin.actor, Utc::now()).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// A vacancy's retention period, when its personal data goes, and what a purge removed.
#[utoipa::path(tag = "privacy", params(("reference" = String, Path)), responses(
    (status = 200, body = RetentionView), (status = 403, body = Problem), (status = 404, body = Problem)))]
#[get("/api/admin/vacancies/{reference}/retention")]
pub async fn retention(
    _admin: AdminUser,
    path: web::Path<String>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let vacancy = find_by_reference(&state.db, &path).await?;
    let view =
        privacy::retention_of(&state.db, &vacancy.model, state.settings.retention_months).await?;
    Ok(HttpResponse::Ok().json(view))
}

#[derive(Deserialize, ToSchema)]
pub struct RetentionChange {
    /// Months after the vacancy closes (1–120); null for the configured default.
    pub retention_months: Option<u32>,
}

/// Sets a vacancy's own retention period. Audited.
#[utoipa::path(tag = "privacy", request_body = RetentionChange, params(("reference" = String, Path)),
    responses((status = 200, body = RetentionView), (status = 403, body = Problem),
    (status = 404, body = Problem), (status = 422, body = Problem)))]
#[put("/api/admin/vacancies/{reference}/retention")]
pub async fn set_retention(
    admin: AdminUser,
    path: web::Path<String>,
    body: web::Json<RetentionChange>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let vacancy = find_by_reference(&state.db, &path).await?;
    privacy::set_retention(
        &state.db,
        &vacancy.model,
        body.retention_months,
        &admin.actor,
        Utc::now(),
    )
    .await?;
    let view =
        privacy::retention_of(&state.db, &vacancy.model, state.settings.retention_months).await?;
    Ok(HttpResponse::Ok().json(view))
}

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(own_export)
        .service(erase_own)
        .service(own_erasure)
        .service(admin_export)
        .service(admin_erase)
        .service(retention)
        .service(set_retention);
}
