use actix_web::{get, web, HttpResponse};
use sea_orm::ConnectionTrait;
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::startup::AppState;

#[derive(Serialize, ToSchema)]
pub struct Health {
    /// "ok" when the service can do its work, "degraded" otherwise.
    pub status: &'static str,
    /// Whether the database answered a query just now.
    pub database: bool,
    pub version: &'static str,
}

/// Liveness and readiness: 200 when the database answers, 503 when it does not.
#[utoipa::path(tag = "meta", responses(
    (status = 200, description = "Service and database are up", body = Health),
    (status = 503, description = "The database does not answer", body = Health)
))]
#[get("/health")]
pub async fn health(state: web::Data<AppState>) -> HttpResponse {
    let database = state.db.execute_unprepared("SELECT 1").await.is_ok();
    let body = Health {
        status: if database { "ok" } else { "degraded" },
        database,
        version: env!("CARGO_PKG_VERSION"),
    };
    if database {
        HttpResponse::Ok().json(body)
    } else {
        HttpResponse::ServiceUnavailable().json(body)
    }
}

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(health);
}
