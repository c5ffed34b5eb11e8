//! Staff sign-in through the organisation's OpenID provider: the authorization code flow with
//! PKCE (S256), the provider found by discovery, `state` and `nonce` checked, the ID token's
//! signature, issuer, audience and times verified (with a bounded clock skew). What the verified
//! token says is turned into a staff account and the same session a password login makes by
//! [`crate::service::accounts::organisation_sign_in`].
//!
//! The provider's metadata and keys are fetched at each step of a sign-in (two small GETs), so a
//! key rotation at the provider needs no restart here. A sign-in in progress lives in the
//! database (`oidc_sign_ins`), not in memory: the provider may send the browser back to any
//! instance, and the row is deleted as the callback takes it, so a state works once.

use chrono::{DateTime, Duration, Utc};
use openidconnect::core::{
    CoreAuthenticationFlow, CoreClient, CoreGenderClaim, CoreJweContentEncryptionAlgorithm,
    CoreJwsSigningAlgorithm, CoreProviderMetadata,
};
use openidconnect::{
    AdditionalClaims, AuthorizationCode, ClientId, ClientSecret, CsrfToken, IdToken, IssuerUrl,
    Nonce, PkceCodeChallenge, PkceCodeVerifier, RedirectUrl, Scope, TokenResponse,
};
use sea_orm::{ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};
use serde::{Deserialize, Serialize};

use entity::oidc_sign_ins;

use crate::configuration::Settings;
use crate::domain::Role;
use crate::error::ApiError;
use crate::service::tokens::{digest, random_token};

/// How long a browser may spend at the provider between leaving and coming back.
pub const SIGN_IN_MINUTES: i64 = 10;

/// The provider's settings, read once at start.
#[derive(Clone)]
pub struct OrganisationSignIn {
    issuer: IssuerUrl,
    client_id: ClientId,
    client_secret: Option<ClientSecret>,
    staff_claim: String,
    admin_values: Vec<String>,
    assessor_values: Vec<String>,
    extra_scopes: Vec<String>,
    clock_skew: Duration,
    http: openidconnect::reqwest::Client,
}

impl std::fmt::Debug for OrganisationSignIn {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OrganisationSignIn")
            .field("issuer", &self.issuer.as_str())
            .field("client_id", &self.client_id.as_str())
            .field("staff_claim", &self.staff_claim)
            .finish_non_exhaustive()
    }
}

/// Why a sign-in through the provider did not give a session. Its slug goes to the login page
/// (`/login?oidc_error=<slug>`), which says it in the page's language.
#[derive(Debug, thiserror::Error)]
pub enum Refusal {
    #[error("the identity provider could not be reached or answered wrongly: {0}")]
    Unavailable(String),
    #[error("the identity provider refused the sign-in: {0}")]
    Provider(String),
    #[error("the sign-in is unknown, expired or was already used")]
    State,
    #[error("the identity provider's answer did not verify: {0}")]
    Token(String),
    #[error("the identity provider gave no verified email address")]
    NoEmail,
    #[error("no staff role: the {claim} claim holds none of the configured values")]
    NoStaffRole { claim: String },
    #[error("this email address belongs to a candidate account")]
    CandidateAccount,
    #[error("the account is disabled")]
    Disabled,
    #[error(
        "the account with this email address is bound to another person at the identity provider"
    )]
    BoundToAnother,
    #[error(transparent)]
    Internal(#[from] ApiError),
}

impl Refusal {
    /// The stable name the login page shows the refusal by.
    pub fn slug(&self) -> &'static str {
        match self {
            Refusal::Unavailable(_) => "unavailable",
            Refusal::Provider(_) => "provider",
            Refusal::State => "state",
            Refusal::Token(_) => "token",
            Refusal::NoEmail => "no-email",
            Refusal::NoStaffRole { .. } => "no-staff-role",
            Refusal::CandidateAccount => "candidate-account",
            Refusal::Disabled => "account-disabled",
            Refusal::BoundToAnother => "bound-to-another",
            Refusal::Internal(_) => "internal",
        }
    }
}

impl From<sea_orm::DbErr> for Refusal {
    fn from(error: sea_orm::DbErr) -> Self {
        Refusal::Internal(error.into())
    }
}

/// Every claim of the ID token besides the standard ones, so that the configured staff claim
/// (`groups`, `roles`, …) can be read from the verified token.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct OtherClaims {
    #[serde(flatten)]
    claims: serde_json::Map<String, serde_json::Value>,
}

impl AdditionalClaims for OtherClaims {}

type StaffIdToken = IdToken<
    OtherClaims,
    CoreGenderClaim,
    CoreJweContentEncryptionAlgorithm,
    CoreJwsSigningAlgorithm,
>;

/// The person the provider vouched for, from a verified ID token.
#[derive(Debug, Clone)]
pub struct VerifiedIdentity {
    pub issuer: String,
    pub subject: String,
    /// Lower-cased; `None` when the token has none or says it is not verified.
    pub email: Option<String>,
    pub name: Option<String>,
    pub role: Option<Role>,
}

/// Where the browser goes to sign in, and the state to keep in its cookie.
pub struct Begun {
    pub authorization_url: String,
    pub state: String,
}

/// What the provider sent the browser back with.
#[derive(Debug, Default, Deserialize)]
pub struct Callback {
    pub state: Option<String>,
    pub code: Option<String>,
    pub error: Option<String>,
    pub error_description: Option<String>,
    /// RFC 9207: the issuer that answered, when the provider says it.
    pub iss: Option<String>,
}

/// A verified callback: who signed in, and where they wanted to go.
pub struct Completed {
    pub identity: VerifiedIdentity,
    pub next: Option<String>,
}

impl OrganisationSignIn {
    /// The configured provider, `None` when `oidc_issuer` is not set. Fails on an incomplete
    /// configuration, so that a deployment learns of it at start rather than at a sign-in.
    pub fn from_settings(settings: &Settings) -> Result<Option<Self>, String> {
        let Some(issuer) = settings.oidc_issuer.as_deref() else {
            return Ok(None);
        };
        let issuer = IssuerUrl::new(issuer.trim().to_owned())
            .map_err(|e| format!("oidc_issuer is not a URL: {e}"))?;
        let client_id = settings
            .oidc_client_id
            .clone()
            .ok_or("oidc_issuer is set but oidc_client_id is not")?;
        let client_secret = match &settings.oidc_client_secret_file {
            Some(file) => Some(
                std::fs::read_to_string(file)
                    .map_err(|e| format!("oidc_client_secret_file {}: {e}", file.display()))?
                    .trim()
                    .to_owned(),
            ),
            None => settings.oidc_client_secret.as_ref().map(|s| s.0.clone()),
        };
        if settings.oidc_admin_values.is_empty() && settings.oidc_assessor_values.is_empty() {
            // Said, not refused: the sign-in itself can be tried out before the groups are known.
            tracing::warn!(
                "oidc_issuer is set but neither oidc_admin_values nor oidc_assessor_values: \
                 every organisation sign-in will be refused (no staff role)"
            );
        }
        // The token request must not follow redirects: a redirect could carry the code and the
        // client secret somewhere else.
        let http = openidconnect::reqwest::ClientBuilder::new()
            .redirect(openidconnect::reqwest::redirect::Policy::none())
            .timeout(std::time::Duration::from_secs(10))
            .build()
            .map_err(|e| format!("HTTP client for the identity provider: {e}"))?;
        Ok(Some(Self {
            issuer,
            client_id: ClientId::new(client_id),
            client_secret: client_secret
                .filter(|s| !s.is_empty())
                .map(ClientSecret::new),
            staff_claim: settings.oidc_staff_claim.clone(),
            admin_values: settings.oidc_admin_values.clone(),
            assessor_values: settings.oidc_assessor_values.clone(),
            extra_scopes: settings.oidc_extra_scopes.clone(),
            clock_skew: Duration::seconds(settings.oidc_clock_skew_seconds.min(600) as i64),
            http,
        }))
    }

    pub fn issuer(&self) -> &str {
        self.issuer.as_str()
    }

    async fn discover(&self) -> Result<CoreProviderMetadata, Refusal> {
        CoreProviderMetadata::discover_async(self.issuer.clone(), &self.http)
            .await
            .map_err(|e| Refusal::Unavailable(error_chain(&e)))
    }

    /// Starts a sign-in: a fresh state, nonce and PKCE verifier kept for the callback, and the
    /// provider's authorization URL to send the browser to.
    pub async fn begin(
        &self,
        db: &DatabaseConnection,
        redirect_uri: &str,
        next: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<Begun, Refusal> {
        let metadata = self.discover().await?;
        let redirect = RedirectUrl::new(redirect_uri.to_owned())
            .map_err(|e| Refusal::Internal(ApiError::internal(e)))?;
        let client = CoreClient::from_provider_metadata(
            metadata,
            self.client_id.clone(),
            self.client_secret.clone(),
        )
        .set_redirect_uri(redirect);
        let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
        let state = random_token();
        let nonce = random_token();
        let (state_for_url, nonce_for_url) = (state.clone(), nonce.clone());
        let mut request = client
            .authorize_url(
                CoreAuthenticationFlow::AuthorizationCode,
                move || CsrfToken::new(state_for_url),
                move || Nonce::new(nonce_for_url),
            )
            .set_pkce_challenge(challenge);
        for scope in ["email", "profile"]
            .into_iter()
            .chain(self.extra_scopes.iter().map(String::as_str))
        {
            request = request.add_scope(Scope::new(scope.to_owned()));
        }
        let (url, _, _) = request.url();
        let _turn = crate::database::write_turn(db).await;
        // Sign-ins abandoned at the provider are cleared by the next one.
        oidc_sign_ins::Entity::delete_many()
            .filter(oidc_sign_ins::Column::ExpiresAt.lt(now))
            .exec(db)
            .await?;
        oidc_sign_ins::Entity::insert(oidc_sign_ins::ActiveModel {
            state_digest: Set(digest(&state)),
            nonce: Set(nonce),
            pkce_verifier: Set(verifier.secret().clone()),
            next_path: Set(next.unwrap_or_default().to_owned()),
            created_at: Set(now),
            expires_at: Set(now + Duration::minutes(SIGN_IN_MINUTES)),
        })
        .exec(db)
        .await?;
        Ok(Begun {
            authorization_url: url.to_string(),
            state,
        })
    }

    /// Finishes a sign-in: the state must be one this service issued to this browser (its
    /// cookie), not expired and not used; the code is exchanged with its PKCE verifier; the ID
    /// token is verified. The state is used up whatever the outcome.
    pub async fn complete(
        &self,
        db: &DatabaseConnection,
        redirect_uri: &str,
        callback: &Callback,
        browser_state: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<Completed, Refusal> {
        let state = callback.state.as_deref().ok_or(Refusal::State)?;
        let pending = take_sign_in(db, state, now).await?;
        // The browser that comes back must be the one that left: otherwise someone could make a
        // victim's browser finish a sign-in the attacker started (login CSRF).
        if browser_state != Some(state) {
            return Err(Refusal::State);
        }
        if let Some(error) = &callback.error {
            let description = callback.error_description.as_deref().unwrap_or_default();
            return Err(Refusal::Provider(
                format!("{error} {description}").trim().to_owned(),
            ));
        }
        if let Some(iss) = &callback.iss {
            if iss.trim_end_matches('/') != self.issuer.as_str().trim_end_matches('/') {
                return Err(Refusal::Token(format!(
                    "the callback names issuer {iss}, not ours"
                )));
            }
        }
        let code = callback
            .code
            .clone()
            .ok_or_else(|| Refusal::Provider("no code".into()))?;
        let metadata = self.discover().await?;
        let redirect = RedirectUrl::new(redirect_uri.to_owned())
            .map_err(|e| Refusal::Internal(ApiError::internal(e)))?;
        let client = CoreClient::from_provider_metadata(
            metadata,
            self.client_id.clone(),
            self.client_secret.clone(),
        )
        .set_redirect_uri(redirect);
        let token_response = client
            .exchange_code(AuthorizationCode::new(code))
            .map_err(|e| Refusal::Unavailable(error_chain(&e)))?
            .set_pkce_verifier(PkceCodeVerifier::new(pending.pkce_verifier.clone()))
            .request_async(&self.http)
            .await
            .map_err(|e| Refusal::Token(error_chain(&e)))?;
        let id_token = token_response
            .id_token()
            .ok_or_else(|| Refusal::Token("the token response has no ID token".into()))?;
        // Parsed again with every claim kept, to read the configured staff claim; it is verified
        // below exactly as the library's own type would be.
        let id_token: StaffIdToken = id_token
            .to_string()
            .parse()
            .map_err(|e: serde_json::Error| Refusal::Token(e.to_string()))?;
        let skew = self.clock_skew;
        let verifier = client
            .id_token_verifier()
            .set_allowed_algs([
                CoreJwsSigningAlgorithm::RsaSsaPkcs1V15Sha256,
                CoreJwsSigningAlgorithm::RsaSsaPssSha256,
                CoreJwsSigningAlgorithm::EcdsaP256Sha256,
            ])
            // `exp` is compared with this time: a token up to `skew` past its expiry passes.
            .set_time_fn(move || now - skew)
            .set_issue_time_verifier_fn(move |issued| {
                if issued > now + skew {
                    Err(format!("issued in the future ({issued})"))
                } else if issued < now - skew - Duration::minutes(SIGN_IN_MINUTES) {
                    Err(format!("issued too long ago ({issued})"))
                } else {
                    Ok(())
                }
            });
        let claims = id_token
            .claims(&verifier, &Nonce::new(pending.nonce.clone()))
            .map_err(|e| Refusal::Token(error_chain(&e)))?;
        let email = claims
            .email()
            .map(|e| e.as_str().to_owned())
            .or_else(|| {
                // Entra ID sends no `email` unless it is configured; its `preferred_username` is
                // the user principal name, an address the tenant controls.
                claims
                    .preferred_username()
                    .map(|u| u.as_str().to_owned())
                    .filter(|u| u.contains('@'))
            })
            .filter(|_| claims.email_verified() != Some(false))
            .map(|e| e.trim().to_lowercase());
        let name = claims
            .name()
            .and_then(|n| n.get(None))
            .map(|n| n.as_str().to_owned());
        // `email` is a standard claim, not among the others: staff named by their verified
        // address (Google Workspace, whose ID tokens carry no groups).
        let values = if self.staff_claim == "email" {
            email.iter().cloned().collect()
        } else {
            claim_values(claims.additional_claims(), &self.staff_claim)
        };
        let role = role_for(&values, &self.admin_values, &self.assessor_values);
        let next = Some(pending.next_path).filter(|n| !n.is_empty());
        Ok(Completed {
            identity: VerifiedIdentity {
                issuer: self.issuer.as_str().to_owned(),
                subject: claims.subject().as_str().to_owned(),
                email,
                name,
                role,
            },
            next,
        })
    }

    pub fn staff_claim(&self) -> &str {
        &self.staff_claim
    }
}

/// Takes the sign-in of `state` out of the table: of two callbacks with one state, one finds
/// it and the other does not.
async fn take_sign_in(
    db: &DatabaseConnection,
    state: &str,
    now: DateTime<Utc>,
) -> Result<oidc_sign_ins::Model, Refusal> {
    let key = digest(state);
    let Some(pending) = oidc_sign_ins::Entity::find_by_id(key.clone())
        .one(db)
        .await?
    else {
        return Err(Refusal::State);
    };
    let _turn = crate::database::write_turn(db).await;
    let deleted = oidc_sign_ins::Entity::delete_many()
        .filter(oidc_sign_ins::Column::StateDigest.eq(key))
        .exec(db)
        .await?;
    if deleted.rows_affected != 1 || now >= pending.expires_at {
        return Err(Refusal::State);
    }
    Ok(pending)
}

/// The values of `claim`: a string, or each string of an array (Entra ID and Keycloak send arrays).
pub fn claim_values(claims: &OtherClaims, claim: &str) -> Vec<String> {
    match claims.claims.get(claim) {
        Some(serde_json::Value::String(value)) => vec![value.clone()],
        Some(serde_json::Value::Array(values)) => values
            .iter()
            .filter_map(|v| v.as_str().map(str::to_owned))
            .collect(),
        _ => Vec::new(),
    }
}

/// The staff role the claim's values give: admin when any is an admin value, else assessor when
/// any is an assessor value, else none.
pub fn role_for(values: &[String], admin: &[String], assessor: &[String]) -> Option<Role> {
    let any_of = |wanted: &[String]| values.iter().any(|v| wanted.contains(v));
    if any_of(admin) {
        Some(Role::Admin)
    } else if any_of(assessor) {
        Some(Role::Assessor)
    } else {
        None
    }
}

/// `next` when it is a path on this site, else `None`. Refused: absolute URLs, scheme-relative
/// `//host`, `/\host` (which browsers read as `//host`), and control characters.
pub fn same_origin_path(next: Option<&str>) -> Option<String> {
    let next = next?.trim();
    let on_this_site = next.starts_with('/')
        && !next.starts_with("//")
        && !next.contains('\\')
        && !next.chars().any(char::is_control)
        && next.len() <= 2048;
    on_this_site.then(|| next.to_owned())
}

/// An error with its causes, for the log and the audit (the library's top-level messages alone
/// say "Request failed").
fn error_chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn next_is_kept_only_when_it_is_a_path_on_this_site() {
        for (next, kept) in [
            (Some("/admin/vacancy?reference=251334"), true),
            (Some("/"), true),
            (Some("//evil.example/x"), false),
            (Some("/\\evil.example"), false),
            (Some("https://evil.example/"), false),
            (Some("javascript:alert(1)"), false),
            (Some("/a\nb"), false),
            (Some(""), false),
            (None, false),
        ] {
            assert_eq!(same_origin_path(next).is_some(), kept, "{next:?}");
        }
    }

    #[test]
    fn admin_values_win_over_assessor_values_and_others_give_no_role() {
        let admin = vec!["portal-admins".to_owned()];
        let assessor = vec!["portal-assessors".to_owned()];
        let of = |values: &[&str]| {
            let values: Vec<String> = values.iter().map(|v| v.to_string()).collect();
            role_for(&values, &admin, &assessor)
        };
        assert_eq!(
            of(&["portal-assessors", "portal-admins"]),
            Some(Role::Admin)
        );
        assert_eq!(of(&["staff", "portal-assessors"]), Some(Role::Assessor));
        assert_eq!(of(&["staff"]), None);
        assert_eq!(of(&[]), None);
    }

    #[test]
    fn the_staff_claim_is_a_string_or_an_array_of_strings() {
        let claims: OtherClaims =
            serde_json::from_value(serde_json::json!({"groups": ["a", 1, "b"], "role": "x"}))
                .expect("claims");
        assert_eq!(claim_values(&claims, "groups"), vec!["a", "b"]);
        assert_eq!(claim_values(&claims, "role"), vec!["x"]);
        assert!(claim_values(&claims, "missing").is_empty());
    }
}
