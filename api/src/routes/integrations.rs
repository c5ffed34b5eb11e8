//! The Integrations page's API: API tokens and webhooks, for admins signed in with a session
//! (never for an API token: a token cannot mint tokens or read webhook secrets' deliveries).
use actix_web::{delete, get, post, web, HttpResponse};
use chrono::Utc;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::auth::AdminUser;
use crate::error::{ApiError, Problem};
use crate::service::integrations::{
    api_tokens, webhooks, CreatedToken, CreatedWebhook, DeliveryView, NewToken, NewWebhook,
    TokenView, WebhookView,
};
use crate::startup::AppState;

/// Every API token (never the token itself), newest first.
#[utoipa::path(tag = "integrations", responses((status = 200, body = Vec<TokenView>), (status = 401, body = Problem), (status = 403, body = Problem)))]
#[get("/api/admin/integrations/tokens")]
pub async fn list_tokens(
    _admin: AdminUser,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Ok().json(api_tokens::list(&state.db, Utc::now()).await?))
}

/// Creates an API token. The answer is the only time the token is shown: only its SHA-256 is
/// kept. Audited.
#[utoipa::path(tag = "integrations", request_body = NewToken, responses((status = 201, body = CreatedToken), (status = 422, body = Problem)))]
#[post("/api/admin/integrations/tokens")]
pub async fn create_token(
    admin: AdminUser,
    body: web::Json<NewToken>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let created =
        api_tokens::create(&state.db, &admin.actor, body.into_inner(), Utc::now()).await?;
    Ok(HttpResponse::Created()
        .insert_header(("Cache-Control", "no-store"))
        .json(created))
}

/// Revokes an API token at once. Audited.
#[utoipa::path(tag = "integrations", params(("id" = String, Path)), responses((status = 204), (status = 404, body = Problem)))]
#[delete("/api/admin/integrations/tokens/{id}")]
pub async fn revoke_token(
    admin: AdminUser,
    path: web::Path<String>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    api_tokens::revoke(&state.db, &admin.actor, &path, Utc::now()).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Every webhook with its newest deliveries (status, attempts, last answer).
#[utoipa::path(tag = "integrations", responses((status = 200, body = Vec<WebhookView>)))]
#[get("/api/admin/integrations/webhooks")]
pub async fn list_webhooks(
    _admin: AdminUser,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Ok().json(webhooks::list(&state.db).await?))
}

/// Registers a webhook: deliveries of the chosen events are POSTed to `url`, signed as Standard
/// Webhooks specifies with the secret in the answer, shown only then. Audited.
#[utoipa::path(tag = "integrations", request_body = NewWebhook, responses((status = 201, body = CreatedWebhook), (status = 422, body = Problem)))]
#[post("/api/admin/integrations/webhooks")]
pub async fn create_webhook(
    admin: AdminUser,
    body: web::Json<NewWebhook>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let created = webhooks::create(&state.db, &admin.actor, body.into_inner(), Utc::now()).await?;
    Ok(HttpResponse::Created()
        .insert_header(("Cache-Control", "no-store"))
        .json(created))
}

/// Removes a webhook and its deliveries. Audited.
#[utoipa::path(tag = "integrations", params(("id" = String, Path)), responses((status = 204), (status = 404, body = Problem)))]
#[delete("/api/admin/integrations/webhooks/{id}")]
pub async fn delete_webhook(
    admin: AdminUser,
    path: web::Path<String>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    webhooks::delete(&state.db, &admin.actor, &path, Utc::now()).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Sends a delivery again, at once, with the same `webhook-id`. Audited.
#[utoipa::path(tag = "integrations", params(("id" = i64, Path)), responses((status = 200, body = DeliveryView), (status = 404, body = Problem)))]
#[post("/api/admin/integrations/deliveries/{id}/resend")]
pub async fn resend_delivery(
    admin: AdminUser,
    path: web::Path<i64>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let delivery = webhooks::resend(&state.db, &admin.actor, path.into_inner(), Utc::now()).await?;
    Ok(HttpResponse::Ok().json(delivery))
}

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list_tokens)
        .service(create_token)
        .service(revoke_token)
        .service(list_webhooks)
        .service(create_webhook)
        .service(delete_webhook)
        .service(resend_delivery);
}
