//! Registration, login, logout, the current account, password changes and resets.
use actix_web::{delete, get, post, put, web, HttpRequest, HttpResponse};
use chrono::Utc;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::auth::{self, actor_of, MaybeSignedIn, SignedInUser};
use crate::domain::{EmailAddress, FullName, Nationality, Password};
use crate::error::{ApiError, Problem};
use crate::service::accounts::{self, AccountView, Registration};
use crate::service::tokens::random_token;
use crate::startup::AppState;
use policy::Lang;

#[derive(Serialize, ToSchema)]
pub struct SessionView {
    /// The signed-in account, or null.
    pub account: Option<AccountView>,
    /// Send this back in the `X-CSRF-Token` header of every POST, PUT, PATCH and DELETE.
    pub csrf_token: String,
    /// Whether staff can sign in with their organisation account (`GET /auth/oidc/login`).
    pub organisation_sign_in: bool,
}

/// Who is signed in, and the CSRF token to use. Sets the `ep_csrf` cookie for anonymous visitors.
#[utoipa::path(tag = "session", responses((status = 200, body = SessionView)))]
#[get("/api/session")]
pub async fn current(
    request: HttpRequest,
    user: MaybeSignedIn,
    state: web::Data<AppState>,
) -> HttpResponse {
    match user.0 {
        Some(user) => HttpResponse::Ok().json(SessionView {
            account: Some(user.account.into()),
            csrf_token: user.session.csrf_token,
            organisation_sign_in: state.organisation_sign_in.is_some(),
        }),
        None => {
            let token = request
                .cookie(auth::CSRF_COOKIE)
                .map(|c| c.value().to_owned())
                .filter(|v| v.len() >= 32)
                .unwrap_or_else(random_token);
            HttpResponse::Ok()
                .cookie(auth::csrf_cookie(
                    token.clone(),
                    state.settings.secure_cookies(),
                ))
                .json(SessionView {
                    account: None,
                    csrf_token: token,
                    organisation_sign_in: state.organisation_sign_in.is_some(),
                })
        }
    }
}

#[derive(Deserialize, ToSchema)]
pub struct RegisterRequest {
    pub email: String,
    pub full_name: String,
    /// ISO 3166-1 alpha-2 code of a member state, or `OTHER`.
    pub nationality: String,
    pub password: String,
    /// The language of the account's mail (`en` or `fr`): the page sends the one it is shown
    /// in. Absent, the browser's Accept-Language decides, and English otherwise.
    #[serde(default)]
    #[schema(value_type = Option<String>)]
    pub language: Option<Lang>,
}

/// A candidate creates their account.
#[utoipa::path(tag = "session", request_body = RegisterRequest, responses(
    (status = 201, body = AccountView), (status = 409, body = Problem), (status = 422, body = Problem),
    (status = 429, body = Problem)))]
#[post("/api/accounts")]
pub async fn register(
    request: HttpRequest,
    body: web::Json<RegisterRequest>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let registration = Registration {
        email: EmailAddress::parse(&body.email).map_err(ApiError::Validation)?,
        full_name: FullName::parse(&body.full_name).map_err(ApiError::Validation)?,
        nationality: Nationality::parse(&body.nationality).map_err(ApiError::Validation)?,
        password: Password::parse(&body.password).map_err(ApiError::Validation)?,
        language: body
            .language
            .unwrap_or_else(|| preferred_language(&request)),
    };
    let account = accounts::register(
        &state.db,
        &state.settings,
        registration,
        &actor_of(&request, None),
        Utc::now(),
    )
    .await?;
    Ok(HttpResponse::Created().json(account))
}

#[derive(Deserialize, ToSchema)]
pub struct LoginRequest {
    pub email: String,
    pub password: String,
}

/// Logs in: a new session id (rotated), and a new CSRF token.
#[utoipa::path(tag = "session", request_body = LoginRequest, responses(
    (status = 200, body = SessionView), (status = 401, body = Problem), (status = 429, body = Problem)))]
#[post("/api/session")]
pub async fn login(
    request: HttpRequest,
    body: web::Json<LoginRequest>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let previous = request
        .cookie(auth::SESSION_COOKIE)
        .map(|c| c.value().to_owned());
    let logged_in = accounts::login(
        &state.db,
        &state.settings,
        &body.email,
        &body.password,
        previous.as_deref(),
        &actor_of(&request, None),
        Utc::now(),
    )
    .await?;
    let secure = state.settings.secure_cookies();
    Ok(HttpResponse::Ok()
        .cookie(auth::session_cookie(logged_in.session.cookie_value, secure))
        .cookie(auth::csrf_cookie(
            logged_in.session.csrf_token.clone(),
            secure,
        ))
        .json(SessionView {
            account: Some(logged_in.account),
            csrf_token: logged_in.session.csrf_token,
            organisation_sign_in: state.organisation_sign_in.is_some(),
        }))
}

/// Logs out: the session is revoked on the server, not only forgotten by the browser.
#[utoipa::path(tag = "session", responses((status = 204), (status = 401, body = Problem)))]
#[delete("/api/session")]
pub async fn logout(
    user: SignedInUser,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    accounts::logout(&state.db, &user.session.id, &user.actor, Utc::now()).await?;
    Ok(HttpResponse::NoContent()
        .cookie(auth::removal(auth::SESSION_COOKIE))
        .finish())
}

/// The signed-in account.
#[utoipa::path(tag = "session", responses((status = 200, body = AccountView), (status = 401, body = Problem)))]
#[get("/api/account")]
pub async fn me(user: SignedInUser) -> HttpResponse {
    HttpResponse::Ok().json(AccountView::from(user.account))
}

#[derive(Deserialize, ToSchema)]
pub struct ChangePasswordRequest {
    pub current_password: String,
    pub new_password: String,
}

/// Changes the password; every other session of the account ends.
#[utoipa::path(tag = "session", request_body = ChangePasswordRequest, responses(
    (status = 200, body = SessionView), (status = 401, body = Problem), (status = 422, body = Problem),
    (status = 429, body = Problem)))]
#[post("/api/account/password")]
pub async fn change_password(
    user: SignedInUser,
    body: web::Json<ChangePasswordRequest>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let new_password = Password::parse(&body.new_password).map_err(ApiError::Validation)?;
    let session = accounts::change_password(
        &state.db,
        &state.settings,
        &user.account,
        &body.current_password,
        new_password,
        &user.actor,
        Utc::now(),
    )
    .await?;
    let secure = state.settings.secure_cookies();
    Ok(HttpResponse::Ok()
        .cookie(auth::session_cookie(session.cookie_value, secure))
        .cookie(auth::csrf_cookie(session.csrf_token.clone(), secure))
        .json(SessionView {
            account: Some(user.account.clone().into()),
            csrf_token: session.csrf_token,
            organisation_sign_in: state.organisation_sign_in.is_some(),
        }))
}

#[derive(Deserialize, ToSchema)]
pub struct ResetRequest {
    pub email: String,
}

/// Sends a reset link if the email is registered. The answer is the same either way.
#[utoipa::path(tag = "session", request_body = ResetRequest, responses((status = 202), (status = 429, body = Problem)))]
#[post("/api/password-reset")]
pub async fn request_reset(
    request: HttpRequest,
    body: web::Json<ResetRequest>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    accounts::request_password_reset(
        &state.db,
        &state.settings,
        &state.mail,
        &body.email,
        &actor_of(&request, None),
        Utc::now(),
    )
    .await?;
    Ok(HttpResponse::Accepted().json(serde_json::json!({
        "message": "If this email is registered, a reset link is on its way."
    })))
}

#[derive(Deserialize, ToSchema)]
pub struct ResetConfirmation {
    pub token: String,
    pub password: String,
}

/// Sets a new password with a reset or invitation token; the token works once.
#[utoipa::path(tag = "session", request_body = ResetConfirmation, responses(
    (status = 204), (status = 422, body = Problem), (status = 429, body = Problem)))]
#[post("/api/password-reset/confirm")]
pub async fn confirm_reset(
    request: HttpRequest,
    body: web::Json<ResetConfirmation>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let password = Password::parse(&body.password).map_err(ApiError::Validation)?;
    accounts::redeem_token(
        &state.db,
        &body.token,
        password,
        &actor_of(&request, None),
        Utc::now(),
    )
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(current)
        .service(register)
        .service(login)
        .service(logout)
        .service(me)
        .service(change_password)
        .service(request_reset)
        .service(confirm_reset)
        .service(set_language);
}

/// The first of English or French in the request's Accept-Language, English when neither is.
/// (Weights are not compared: browsers list languages in the order their user chose.)
fn preferred_language(request: &HttpRequest) -> Lang {
    let header = request
        .headers()
        .get(actix_web::http::header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    header
        .split(',')
        .filter_map(|part| {
            let tag = part.split(';').next()?.trim().to_ascii_lowercase();
            match tag.split('-').next()? {
                "fr" => Some(Lang::Fr),
                "en" => Some(Lang::En),
                _ => None,
            }
        })
        .next()
        .unwrap_or(Lang::En)
}

#[derive(Deserialize, ToSchema)]
pub struct LanguageRequest {
    /// `en` or `fr`.
    #[schema(value_type = String, pattern = "^(en|fr)$")]
    pub language: Lang,
}

/// Chooses the language of the account's mail.
#[utoipa::path(tag = "session", request_body = LanguageRequest, responses(
    (status = 200, body = AccountView), (status = 401, body = Problem), (status = 422, body = Problem)))]
#[put("/api/account/language")]
pub async fn set_language(
    user: SignedInUser,
    body: web::Json<LanguageRequest>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let account = accounts::set_language(
        &state.db,
        &user.account,
        body.language,
        &user.actor,
        Utc::now(),
    )
    .await?;
    Ok(HttpResponse::Ok().json(account))
}
