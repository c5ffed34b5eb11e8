//! Administration of accounts, and reading the audit log and the mail outbox.
use actix_web::{get, patch, post, web, HttpResponse};
use chrono::{DateTime, Utc};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;

use crate::auth::AdminUser;
use crate::domain::{EmailAddress, FullName, Role};
use crate::error::{ApiError, Problem};
use crate::service::accounts::{self, AccountChange, AccountView};
use crate::service::audit::{self, AuditEntry, AuditFilter};
use crate::service::outbox::{self, OutboxMessage};
use crate::startup::AppState;

/// Every account.
#[utoipa::path(tag = "admin", responses((status = 200, body = Vec<AccountView>), (status = 401, body = Problem), (status = 403, body = Problem)))]
#[get("/api/admin/accounts")]
pub async fn list_accounts(
    _admin: AdminUser,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Ok().json(accounts::list(&state.db).await?))
}

#[derive(Deserialize, ToSchema)]
pub struct InvitationRequest {
    pub email: String,
    pub full_name: String,
    pub role: Role,
    /// The language of the invitation and of the account's mail (`en` or `fr`); absent, the
    /// inviting admin's own.
    #[serde(default)]
    #[schema(value_type = Option<String>)]
    pub language: Option<policy::Lang>,
}

/// Invites an assessor or admin (or a candidate) by email; they choose their own password.
#[utoipa::path(tag = "admin", request_body = InvitationRequest, responses((status = 201, body = AccountView), (status = 409, body = Problem)))]
#[post("/api/admin/accounts")]
pub async fn invite(
    admin: AdminUser,
    body: web::Json<InvitationRequest>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let email = EmailAddress::parse(&body.email).map_err(ApiError::Validation)?;
    let name = FullName::parse(&body.full_name).map_err(ApiError::Validation)?;
    let language = body
        .language
        .unwrap_or_else(|| crate::service::mail::language_of(&admin.account));
    let account = accounts::invite(
        &state.db,
        &state.settings,
        &state.mail,
        email,
        name,
        body.role,
        language,
        &admin.actor,
        Utc::now(),
    )
    .await?;
    Ok(HttpResponse::Created().json(account))
}

#[derive(Deserialize, ToSchema)]
pub struct AccountChangeRequest {
    pub role: Option<Role>,
    pub disabled: Option<bool>,
}

/// Changes an account's role or disables it. The last active admin cannot be demoted or disabled.
#[utoipa::path(tag = "admin", request_body = AccountChangeRequest, params(("id" = String, Path)), responses(
    (status = 200, body = AccountView), (status = 404, body = Problem), (status = 409, body = Problem)))]
#[patch("/api/admin/accounts/{id}")]
pub async fn update_account(
    admin: AdminUser,
    path: web::Path<String>,
    body: web::Json<AccountChangeRequest>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let change = AccountChange {
        role: body.role,
        disabled: body.disabled,
    };
    let account = accounts::update(&state.db, &path, change, &admin.actor, Utc::now()).await?;
    Ok(HttpResponse::Ok().json(account))
}

#[derive(Deserialize, IntoParams)]
pub struct AuditQuery {
    /// Only entries older than this id (the cursor of the next page).
    pub before: Option<i64>,
    /// At most this many entries (default 100, at most 1000).
    pub limit: Option<u64>,
    /// An event code (`account.invited`), or a family of codes ending with a dot (`account.`).
    pub event: Option<String>,
    /// The acting account's email or id.
    pub actor: Option<String>,
    /// The subject exactly: a vacancy reference or an account's email.
    pub subject: Option<String>,
    /// Entries at or after this instant (RFC 3339).
    pub from: Option<DateTime<Utc>>,
    /// Entries before this instant (RFC 3339).
    pub to: Option<DateTime<Utc>>,
}

/// The audit log, newest first, filtered and paged by cursor (`before` = the last id shown).
#[utoipa::path(tag = "admin", params(AuditQuery), responses((status = 200, body = Vec<AuditEntry>), (status = 401, body = Problem), (status = 403, body = Problem)))]
#[get("/api/admin/audit")]
pub async fn audit_log(
    _admin: AdminUser,
    query: web::Query<AuditQuery>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let query = query.into_inner();
    let filter = AuditFilter {
        event: query.event,
        actor: query.actor,
        subject: query.subject,
        from: query.from,
        to: query.to,
        before_id: query.before,
    };
    Ok(HttpResponse::Ok()
        .json(audit::search(&state.db, &filter, query.limit.unwrap_or(100)).await?))
}

/// Sends a new invitation link to an account whose invitee has not chosen a password yet; the
/// earlier links stop working. Audited.
#[utoipa::path(tag = "admin", params(("id" = String, Path)), responses(
    (status = 200, body = AccountView), (status = 404, body = Problem), (status = 409, body = Problem)))]
#[post("/api/admin/accounts/{id}/invitation")]
pub async fn resend_invitation(
    admin: AdminUser,
    path: web::Path<String>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let account = accounts::resend_invitation(
        &state.db,
        &state.settings,
        &state.mail,
        &path,
        &admin.actor,
        Utc::now(),
    )
    .await?;
    Ok(HttpResponse::Ok().json(account))
}

/// Mail waiting in (or sent from) the outbox, with one-time tokens hidden; each reading is
/// audited. Password resets and invitations reach people only through SMTP.
#[utoipa::path(tag = "admin", responses((status = 200, body = Vec<OutboxMessage>)))]
#[get("/api/admin/outbox")]
pub async fn outbox_messages(
    admin: AdminUser,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Ok()
        .json(outbox::list_for_admin(&state.db, &admin.actor, 200, chrono::Utc::now()).await?))
}

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list_accounts)
        .service(invite)
        .service(update_account)
        .service(resend_invitation)
        .service(audit_log)
        .service(outbox_messages)
        .service(mail_previews);
}

/// Every message the portal sends, rendered in both languages with sample data: what candidates
/// and staff would receive with this deployment's templates.
#[utoipa::path(tag = "admin", responses((status = 200, body = Vec<crate::service::mail::Preview>)))]
#[get("/api/admin/mail/templates")]
pub async fn mail_previews(
    _admin: AdminUser,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Ok().json(state.mail.previews()?))
}
