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
    if is_state_changing(request.method()) && request.path().starts_with("/api/") {
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
        let user = resolve(request.request().clone()).await?;
        if user.role != role {
            return Err(ApiError::Forbidden(format!("only {}s may do this", role.as_str())).into());
        }
        request.extensions_mut().insert(user);
    }
    next.call(request).await
}
