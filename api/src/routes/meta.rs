//! The service describing itself: metrics and the OpenAPI document.
use actix_web::http::header;
use actix_web::{get, web, HttpRequest, HttpResponse};
use sha2::{Digest, Sha256};
use utoipa_actix_web::service_config::ServiceConfig;

use crate::error::ApiError;
use crate::startup::{AppState, OpenApiDocument};
use crate::telemetry::Metrics;

/// Prometheus metrics in the text exposition format, for a scraper holding `metrics_token`.
#[utoipa::path(tag = "meta", responses((status = 200, description = "Prometheus text format", content_type = "text/plain"),
    (status = 401, description = "no or wrong bearer token"), (status = 404, description = "metrics are off (no metrics_token)")))]
#[get("/metrics")]
pub async fn metrics(
    request: HttpRequest,
    metrics: web::Data<Metrics>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let Some(expected) = state
        .settings
        .metrics_token
        .as_deref()
        .filter(|t| !t.is_empty())
    else {
        return Err(ApiError::NotFound("metrics"));
    };
    let given = request
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .unwrap_or_default();
    // Digests are compared, so the time taken says nothing about how much of a guess was right.
    if Sha256::digest(given.as_bytes()) != Sha256::digest(expected.as_bytes()) {
        return Err(ApiError::Unauthenticated);
    }
    Ok(HttpResponse::Ok()
        .content_type("text/plain; version=0.0.4")
        .body(metrics.render()))
}

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(metrics);
}

/// The OpenAPI document itself is not part of the document.
async fn openapi_json(document: web::Data<OpenApiDocument>) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("application/json")
        .body(document.0.as_str().to_owned())
}

pub fn configure_unlisted(cfg: &mut web::ServiceConfig) {
    cfg.route("/api/openapi.json", web::get().to(openapi_json));
}
