//! The service describing itself: metrics and the OpenAPI document.
use actix_web::{get, web, HttpResponse};
use utoipa_actix_web::service_config::ServiceConfig;

use crate::startup::OpenApiDocument;
use crate::telemetry::Metrics;

/// Prometheus metrics in the text exposition format.
#[utoipa::path(tag = "meta", responses((status = 200, description = "Prometheus text format", content_type = "text/plain")))]
#[get("/metrics")]
pub async fn metrics(metrics: web::Data<Metrics>) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/plain; version=0.0.4")
        .body(metrics.render())
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
