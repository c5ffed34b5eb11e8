//! Who is calling. A handler's signature says who may call it: `CandidateUser`, `AssessorUser`,
//! `AdminUser`, or `SignedInUser` for any role. Anonymous callers get 401, other roles 403.
//! State-changing requests must also carry the session's CSRF token (synchronizer pattern).

use std::future::Future;
use std::pin::Pin;

use actix_web::body::MessageBody;
use actix_web::cookie::{Cookie, SameSite};
use actix_web::dev::{Payload, ServiceRequest, ServiceResponse};
use actix_web::http::Method;
use actix_web::middleware::Next;
use actix_web::HttpMessage;
use actix_web::{web, FromRequest, HttpRequest};
use chrono::Utc;

use entity::{accounts, sessions};

use crate::domain::Role;
use crate::error::ApiError;
use crate::service::audit::Actor;
use crate::service::integrations::{ApiClient, Scope};
use crate::startup::AppState;

pub const SESSION_COOKIE: &str = "ep_session";
/// Readable by the pages' scripts: it is the double-submit token for requests made before login.
pub const CSRF_COOKIE: &str = "ep_csrf";
pub const CSRF_HEADER: &str = "x-csrf-token";

fn is_state_changing(method: &Method) -> bool {
    !matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

/// Headers through which a client can claim another address, host or scheme.
const FORWARDING_HEADERS: [&str; 5] = [
    "forwarded",
    "x-forwarded-for",
    "x-forwarded-host",
    "x-forwarded-proto",
    "x-real-ip",
];

fn trusted_proxies(request: &HttpRequest) -> &[std::net::IpAddr] {
    request
        .app_data::<web::Data<AppState>>()
        .map(|state| state.settings.trusted_proxies.as_slice())
        .unwrap_or_default()
}

/// The client's address: the socket's peer, or, when the peer is a trusted proxy, the nearest
/// address in `X-Forwarded-For` that is not itself a trusted proxy. (The leftmost entry is
/// whatever the client wrote; only what trusted proxies appended can be believed.)
pub fn client_ip(request: &HttpRequest) -> Option<String> {
    let peer = request.peer_addr()?.ip();
    let trusted = trusted_proxies(request);
    if !trusted.contains(&peer) {
        return Some(peer.to_string());
    }
    let forwarded: Vec<std::net::IpAddr> = request
        .headers()
        .get_all("x-forwarded-for")
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .filter_map(|a| a.trim().parse().ok())
        .collect();
    let client = forwarded
        .iter()
        .rev()
        .find(|address| !trusted.contains(address))
        .unwrap_or(&peer);
    Some(client.to_string())
}

/// Removes forwarding headers from requests that did not come from a trusted proxy, before the
/// request log, the Origin check or anything else reads them.
pub async fn untrusted_forwarding_removed(
    mut request: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let from_trusted_proxy = request
        .peer_addr()
        .is_some_and(|peer| trusted_proxies(request.request()).contains(&peer.ip()));
    if !from_trusted_proxy {
        let headers = request.headers_mut();
        for name in FORWARDING_HEADERS {
            headers.remove(name);
        }
    }
    next.call(request).await
}

pub fn actor_of(request: &HttpRequest, account_id: Option<&str>) -> Actor {
    Actor {
        account_id: account_id.map(str::to_owned),
        client_ip: client_ip(request),
    }
}

pub fn session_cookie<'c>(value: String, secure: bool) -> Cookie<'c> {
    Cookie::build(SESSION_COOKIE, value)
        .path("/")
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(secure)
        .finish()
}

pub fn csrf_cookie<'c>(value: String, secure: bool) -> Cookie<'c> {
    Cookie::build(CSRF_COOKIE, value)
        .path("/")
        .http_only(false)
        .same_site(SameSite::Strict)
        .secure(secure)
        .finish()
}

pub fn removal(name: &'static str) -> Cookie<'static> {
    let mut cookie = Cookie::build(name, "").path("/").finish();
    cookie.make_removal();
    cookie
}

/// Refuses a state-changing request under `/api/` when its `Origin` names another site, or when
/// its `X-CSRF-Token` header does not match the `ep_csrf` cookie. Signed-in requests are checked
/// again against the session's own token by the extractors.
pub async fn csrf_guard(
    request: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    // A request with a bearer token carries no ambient authority a forged page could borrow: a
    // browser never adds `Authorization` to a cross-site request on its own, and a bearer
    // request is never given the powers of a session cookie it may also carry (`resolve`
    // refuses it). Only the admin API accepts tokens, so only there is the check skipped.
    let bearer_on_api =
        bearer_token(request.request()).is_some() && request.path().starts_with("/api/admin/");
    if is_state_changing(request.method()) && request.path().starts_with("/api/") && !bearer_on_api
    {
        let state = request.app_data::<web::Data<AppState>>().cloned();
        if let Some(origin) = request.headers().get("origin") {
            let origin = origin.to_str().unwrap_or_default();
            let expected = state
                .as_ref()
                .and_then(|s| s.settings.public_origin.clone())
                .unwrap_or_else(|| {
                    let info = request.connection_info();
                    format!("{}://{}", info.scheme(), info.host())
                });
            if origin.trim_end_matches('/') != expected.trim_end_matches('/') {
                return Err(ApiError::Csrf.into());
            }
        }
        let header = request
            .headers()
            .get(CSRF_HEADER)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned();
        let cookie = request.cookie(CSRF_COOKIE).map(|c| c.value().to_owned());
        let session_cookie_present = request.cookie(SESSION_COOKIE).is_some();
        // Signed-in requests are matched against the session's token by the extractor; before
        // login, the header must repeat the cookie.
        let double_submit_ok = cookie.is_some_and(|c| !c.is_empty() && c == header);
        if header.is_empty() || (!session_cookie_present && !double_submit_ok) {
            return Err(ApiError::Csrf.into());
        }
    }
    next.call(request).await
}

/// Any signed-in account, whatever its role.
#[derive(Debug, Clone)]
pub struct SignedInUser {
    pub account: accounts::Model,
    pub session: sessions::Model,
    pub role: Role,
    pub actor: Actor,
}

impl SignedInUser {
    pub fn id(&self) -> &str {
        &self.account.id
    }
}

async fn resolve(request: HttpRequest) -> Result<SignedInUser, ApiError> {
    // The role gate resolved it already for this request: the session is not read twice.
    let cached = request.extensions().get::<SignedInUser>().cloned();
    if let Some(user) = cached {
        return Ok(user);
    }
    // Deny by default: a route takes API tokens only through [`AdminOrToken`]; everywhere else a
    // bearer request is refused, even when it also carries a session cookie.
    if has_authorization(&request) {
        return Err(ApiError::Forbidden(
            "API tokens are not accepted on this route".into(),
        ));
    }
    let state = request
        .app_data::<web::Data<AppState>>()
        .cloned()
        .ok_or_else(|| ApiError::Internal("application state missing".into()))?;
    let cookie = request
        .cookie(SESSION_COOKIE)
        .ok_or(ApiError::Unauthenticated)?;
    let (session, account) =
        crate::service::sessions::lookup(&state.db, cookie.value(), &state.settings, Utc::now())
            .await?
            .ok_or(ApiError::Unauthenticated)?;
    if is_state_changing(request.method()) {
        let header = request
            .headers()
            .get(CSRF_HEADER)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default();
        if header != session.csrf_token {
            return Err(ApiError::Csrf);
        }
    }
    let role = Role::parse(&account.role).map_err(|e| ApiError::Internal(e.into()))?;
    let actor = actor_of(&request, Some(&account.id));
    Ok(SignedInUser {
        account,
        session,
        role,
        actor,
    })
}

impl FromRequest for SignedInUser {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Self::Error>>>>;

    fn from_request(request: &HttpRequest, _payload: &mut Payload) -> Self::Future {
        Box::pin(resolve(request.clone()))
    }
}

/// The signed-in account if there is one; never refuses.
pub struct MaybeSignedIn(pub Option<SignedInUser>);

impl FromRequest for MaybeSignedIn {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Self::Error>>>>;

    fn from_request(request: &HttpRequest, _payload: &mut Payload) -> Self::Future {
        let request = request.clone();
        Box::pin(async move {
            if has_authorization(&request) {
                return Ok(MaybeSignedIn(None));
            }
            match resolve(request).await {
                Ok(user) => Ok(MaybeSignedIn(Some(user))),
                Err(ApiError::Unauthenticated) => Ok(MaybeSignedIn(None)),
                Err(other) => Err(other),
            }
        })
    }
}

macro_rules! role_extractor {
    ($name:ident, $role:expr, $doc:literal) => {
        #[doc = $doc]
        #[derive(Debug, Clone)]
        pub struct $name(pub SignedInUser);

        impl std::ops::Deref for $name {
            type Target = SignedInUser;
            fn deref(&self) -> &SignedInUser {
                &self.0
            }
        }

        impl FromRequest for $name {
            type Error = ApiError;
            type Future = Pin<Box<dyn Future<Output = Result<Self, Self::Error>>>>;

            fn from_request(request: &HttpRequest, _payload: &mut Payload) -> Self::Future {
                let request = request.clone();
                Box::pin(async move {
                    let user = resolve(request).await?;
                    if user.role == $role {
                        Ok($name(user))
                    } else {
                        Err(ApiError::Forbidden(format!(
                            "only {}s may do this",
                            $role.as_str()
                        )))
                    }
                })
            }
        }
    };
}

role_extractor!(CandidateUser, Role::Candidate, "A signed-in candidate.");
role_extractor!(AssessorUser, Role::Assessor, "A signed-in assessor.");
role_extractor!(AdminUser, Role::Admin, "A signed-in admin.");

/// The role a path prefix demands, checked before any handler or body extractor runs, so that
/// a caller without the role learns nothing about a route's input (not even its validation).
/// The extractors in handler signatures check again; this gate only makes denial come first.
fn role_for_path(path: &str) -> Option<Role> {
    if path.starts_with("/api/admin/") {
        Some(Role::Admin)
    } else if path.starts_with("/api/assessor/") {
        Some(Role::Assessor)
    } else if path.starts_with("/api/applications")
        || path.starts_with("/api/versions/")
        || (path.starts_with("/api/vacancies/") && path.ends_with("/application"))
    {
        Some(Role::Candidate)
    } else {
        None
    }
}

pub async fn role_gate(
    request: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    if let Some(role) = role_for_path(request.path()) {
        if role == Role::Admin {
            if let Some(token) = bearer_token(request.request()) {
                // The token is checked (401 when unknown, expired or revoked) and its use
                // recorded; whether its scopes cover the route is the handler's extractor's say.
                let client = authenticate_bearer(request.request(), &token).await?;
                request.extensions_mut().insert(client);
                return next.call(request).await;
            }
        }
        let user = resolve(request.request().clone()).await?;
        if user.role != role {
            return Err(ApiError::Forbidden(format!("only {}s may do this", role.as_str())).into());
        }
        request.extensions_mut().insert(user);
    }
    next.call(request).await
}

/// Whether the request carries an `Authorization` header at all (bearer or otherwise): such a
/// request is never treated as the browser session its cookies may name.
fn has_authorization(request: &HttpRequest) -> bool {
    request
        .headers()
        .contains_key(actix_web::http::header::AUTHORIZATION)
}

/// The token of an `Authorization: Bearer …` header.
pub fn bearer_token(request: &HttpRequest) -> Option<String> {
    let value = request
        .headers()
        .get(actix_web::http::header::AUTHORIZATION)?
        .to_str()
        .ok()?;
    let (scheme, token) = value.trim().split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then(|| token.trim().to_owned())
        .filter(|t| !t.is_empty())
}

async fn authenticate_bearer(request: &HttpRequest, token: &str) -> Result<ApiClient, ApiError> {
    let state = request
        .app_data::<web::Data<AppState>>()
        .cloned()
        .ok_or_else(|| ApiError::Internal("application state missing".into()))?;
    crate::service::integrations::api_tokens::authenticate(
        &state.db,
        token,
        request.method().as_str(),
        request.path(),
        client_ip(request),
        Utc::now(),
    )
    .await
}

/// A scope a route demands of an API token, as a type, so that a handler's signature says it.
pub trait RequiredScope {
    const SCOPE: Scope;
}

macro_rules! scope_marker {
    ($name:ident, $scope:expr) => {
        #[derive(Debug, Clone)]
        pub struct $name;
        impl RequiredScope for $name {
            const SCOPE: Scope = $scope;
        }
    };
}

scope_marker!(VacanciesRead, Scope::VacanciesRead);
scope_marker!(VacanciesWrite, Scope::VacanciesWrite);
scope_marker!(ResultsRead, Scope::ResultsRead);
scope_marker!(EssaysRead, Scope::EssaysRead);

/// Who called a route that other systems may call too.
#[derive(Debug, Clone)]
pub enum Caller {
    Admin(Box<SignedInUser>),
    Client(ApiClient),
}

/// A signed-in admin, or an API token holding scope `S`. The only way a route accepts tokens:
/// every other extractor refuses a request that carries one (403).
#[derive(Debug, Clone)]
pub struct AdminOrToken<S> {
    pub caller: Caller,
    scope: std::marker::PhantomData<S>,
}

impl<S> AdminOrToken<S> {
    pub fn actor(&self) -> &Actor {
        match &self.caller {
            Caller::Admin(user) => &user.actor,
            Caller::Client(client) => &client.actor,
        }
    }
}

impl<S: RequiredScope + 'static> FromRequest for AdminOrToken<S> {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Self::Error>>>>;

    fn from_request(request: &HttpRequest, _payload: &mut Payload) -> Self::Future {
        let request = request.clone();
        Box::pin(async move {
            let wrap = |caller| AdminOrToken {
                caller,
                scope: std::marker::PhantomData,
            };
            let authenticated = request.extensions().get::<ApiClient>().cloned();
            let client = match (authenticated, bearer_token(&request)) {
                (Some(client), _) => Some(client),
                (None, Some(token)) => Some(authenticate_bearer(&request, &token).await?),
                (None, None) => None,
            };
            if let Some(client) = client {
                return if client.scopes.contains(&S::SCOPE) {
                    Ok(wrap(Caller::Client(client)))
                } else {
                    Err(ApiError::Forbidden(format!(
                        "this token does not have the scope {}",
                        S::SCOPE.as_str()
                    )))
                };
            }
            let user = resolve(request).await?;
            if user.role == Role::Admin {
                Ok(wrap(Caller::Admin(Box::new(user))))
            } else {
                Err(ApiError::Forbidden("only admins may do this".into()))
            }
        })
    }
}
