//! Vacancies as candidates see them, the server clock, and the receipt public key.
use actix_web::{get, web, HttpResponse};
use chrono::Utc;
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::error::{ApiError, Problem};
use crate::service::vacancies::{self, VacancyDetail, VacancySummary};
use crate::startup::AppState;

/// Open and closed vacancies (never drafts), with their deadlines and document rules.
#[utoipa::path(tag = "vacancies", responses((status = 200, body = Vec<VacancySummary>)))]
#[get("/api/vacancies")]
pub async fn list(state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    let list: Vec<VacancySummary> = vacancies::list_public(&state.db)
        .await?
        .iter()
        .map(|v| v.summary())
        .collect();
    Ok(HttpResponse::Ok().json(list))
}

/// One vacancy with its key challenges, notice and eligibility statements.
#[utoipa::path(tag = "vacancies", params(("reference" = String, Path)), responses(
    (status = 200, body = VacancyDetail), (status = 404, body = Problem)))]
#[get("/api/vacancies/{reference}")]
pub async fn detail(
    path: web::Path<String>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let vacancy = vacancies::find_public(&state.db, &path).await?;
    Ok(HttpResponse::Ok().json(vacancy.detail()))
}

#[derive(Serialize, ToSchema)]
pub struct ServerTime {
    /// The server's clock, which decides deadlines.
    pub now: chrono::DateTime<Utc>,
}

/// The server's clock, so pages can count down to deadlines by it rather than by the device's.
#[utoipa::path(tag = "vacancies", responses((status = 200, body = ServerTime)))]
#[get("/api/time")]
pub async fn time() -> HttpResponse {
    HttpResponse::Ok()
        .insert_header(("Cache-Control", "no-store"))
        .json(ServerTime { now: Utc::now() })
}

#[derive(Serialize, ToSchema)]
pub struct ReceiptKey {
    pub algorithm: &'static str,
    /// The Ed25519 public key, base64.
    pub public_key: String,
}

/// The key that verifies receipts: `essay-portal verify-receipt --public-key KEY RECEIPT.json`.
#[utoipa::path(tag = "vacancies", responses((status = 200, body = ReceiptKey)))]
#[get("/.well-known/essay-portal-receipt-key")]
pub async fn receipt_key(state: web::Data<AppState>) -> HttpResponse {
    HttpResponse::Ok().json(ReceiptKey {
        algorithm: "Ed25519",
        public_key: state.signer.public_key_base64(),
    })
}

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list)
        .service(detail)
        .service(time)
        .service(receipt_key);
}
