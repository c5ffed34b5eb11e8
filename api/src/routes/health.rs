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

/// Liveness: 200 when the database answers, 503 when it does not.
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

#[derive(Serialize, ToSchema)]
pub struct Readiness {
    /// Whether a load balancer should send this instance traffic.
    pub ready: bool,
    /// Whether the database answered a query just now.
    pub database: bool,
    /// Migrations this instance knows of that the database has not applied (an instance of a
    /// newer version started before `essay-portal migrate` ran); null when it could not ask.
    pub pending_migrations: Option<usize>,
    /// Whether the outbox's mail sender runs; null when no SMTP server is configured.
    pub mail_sender: Option<bool>,
}

/// Readiness: whether this instance should take traffic. 200 when the database answers, every
/// migration is applied and the background workers run; 503 (with the same body) otherwise.
#[utoipa::path(tag = "meta", responses(
    (status = 200, description = "Ready for traffic", body = Readiness),
    (status = 503, description = "Not ready: see which part", body = Readiness)
))]
#[get("/health/ready")]
pub async fn ready(state: web::Data<AppState>) -> HttpResponse {
    let database = state.db.execute_unprepared("SELECT 1").await.is_ok();
    let pending_migrations = if database {
        crate::database::pending_migrations(&state.db).await.ok()
    } else {
        None
    };
    let mail_sender = state
        .mail_sender
        .as_ref()
        .map(|sender| !sender.is_finished());
    let ready = database && pending_migrations == Some(0) && mail_sender != Some(false);
    let body = Readiness {
        ready,
        database,
        pending_migrations,
        mail_sender,
    };
    if ready {
        HttpResponse::Ok().json(body)
    } else {
        HttpResponse::ServiceUnavailable().json(body)
    }
}

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(health).service(ready);
}
