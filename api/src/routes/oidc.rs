//! Staff sign-in through the organisation's OpenID provider: the browser's two stops here.
//! Not in the OpenAPI document: they are pages a browser is sent through, answering redirects,
//! not an API (docs/oidc.md describes them).
use actix_web::cookie::{time, Cookie, SameSite};
use actix_web::http::header;
use actix_web::{web, HttpRequest, HttpResponse};
use chrono::Utc;
use serde::Deserialize;
use serde_json::json;

use crate::auth::{self, actor_of};
use crate::domain::Role;
use crate::error::ApiError;
use crate::service::accounts;
use crate::service::audit;
use crate::service::oidc::{same_origin_path, Callback, Refusal, SIGN_IN_MINUTES};
use crate::startup::AppState;

/// Holds the sign-in's `state` in the browser that started it, so that the callback can tell it
/// is the same browser. `Lax`: the provider sends the browser back with a top-level GET.
const STATE_COOKIE: &str = "ep_oidc";
const CALLBACK_PATH: &str = "/auth/oidc/callback";

#[derive(Deserialize)]
pub struct LoginQuery {
    next: Option<String>,
}

/// This site's origin as the provider must send the browser back to it: `public_origin` when
/// set (behind a proxy), else the scheme and host the request came to.
fn redirect_uri(request: &HttpRequest, state: &AppState) -> String {
    let origin = state.settings.public_origin.clone().unwrap_or_else(|| {
        let info = request.connection_info();
        format!("{}://{}", info.scheme(), info.host())
    });
    format!("{}{CALLBACK_PATH}", origin.trim_end_matches('/'))
}

fn state_cookie(value: String, secure: bool, max_age: time::Duration) -> Cookie<'static> {
    Cookie::build(STATE_COOKIE, value)
        .path("/auth/oidc")
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(secure)
        .max_age(max_age)
        .finish()
}

fn redirect(location: &str) -> actix_web::HttpResponseBuilder {
    let mut builder = HttpResponse::Found();
    builder
        .insert_header((header::LOCATION, location))
        .insert_header((header::CACHE_CONTROL, "no-store"));
    builder
}

/// Back to the login page, which says why in its own language.
fn refused(refusal: &Refusal, secure: bool) -> HttpResponse {
    redirect(&format!("/login?oidc_error={}", refusal.slug()))
        .cookie(state_cookie(String::new(), secure, time::Duration::ZERO))
        .finish()
}

/// `GET /auth/oidc/login?next=/path`: 302 to the provider's authorization endpoint.
async fn login(
    request: HttpRequest,
    query: web::Query<LoginQuery>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let provider = state
        .organisation_sign_in
        .as_ref()
        .ok_or(ApiError::NotFound("route"))?;
    let secure = state.settings.secure_cookies();
    let next = same_origin_path(query.next.as_deref());
    let callback = redirect_uri(&request, &state);
    match provider
        .begin(&state.db, &callback, next.as_deref(), Utc::now())
        .await
    {
        Ok(begun) => Ok(redirect(&begun.authorization_url)
            .cookie(state_cookie(
                begun.state,
                secure,
                time::Duration::minutes(SIGN_IN_MINUTES),
            ))
            .finish()),
        Err(refusal) => {
            tracing::warn!(error = %refusal, "organisation sign-in could not start");
            Ok(refused(&refusal, secure))
        }
    }
}

/// `GET /auth/oidc/callback`: the provider's answer; on success the same session a password
/// login gives, and a 302 to where the person was going.
async fn callback(
    request: HttpRequest,
    query: web::Query<Callback>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let provider = state
        .organisation_sign_in
        .as_ref()
        .ok_or(ApiError::NotFound("route"))?;
    let secure = state.settings.secure_cookies();
    let now = Utc::now();
    let actor = actor_of(&request, None);
    let browser_state = request.cookie(STATE_COOKIE).map(|c| c.value().to_owned());
    let completed = match provider
        .complete(
            &state.db,
            &redirect_uri(&request, &state),
            &query,
            browser_state.as_deref(),
            now,
        )
        .await
    {
        Ok(completed) => completed,
        Err(refusal) => {
            tracing::warn!(error = %refusal, "organisation sign-in refused");
            // What did not verify, for the admin reading the audit log (no secret is in it).
            let detail = json!({
                "method": "organisation", "reason": refusal.slug(), "issuer": provider.issuer(),
                "error": refusal.to_string(),
            });
            audit::record(&state.db, &actor, "login.failure", None, detail, now).await?;
            return Ok(refused(&refusal, secure));
        }
    };
    let previous = request
        .cookie(auth::SESSION_COOKIE)
        .map(|c| c.value().to_owned());
    let logged_in = match accounts::organisation_sign_in(
        &state.db,
        &state.settings,
        &completed.identity,
        provider.staff_claim(),
        previous.as_deref(),
        &actor,
        now,
    )
    .await
    {
        Ok(logged_in) => logged_in,
        Err(refusal) => {
            tracing::warn!(error = %refusal, subject = %completed.identity.subject, "organisation sign-in refused");
            return Ok(refused(&refusal, secure));
        }
    };
    let home = match logged_in.account.role {
        Role::Admin => "/admin",
        Role::Assessor => "/assess",
        Role::Candidate => "/",
    };
    let next = completed.next.unwrap_or_else(|| home.to_owned());
    Ok(redirect(&next)
        .cookie(auth::session_cookie(logged_in.session.cookie_value, secure))
        .cookie(auth::csrf_cookie(logged_in.session.csrf_token, secure))
        .cookie(state_cookie(String::new(), secure, time::Duration::ZERO))
        .finish())
}

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/auth/oidc/login", web::get().to(login))
        .route(CALLBACK_PATH, web::get().to(callback));
}
