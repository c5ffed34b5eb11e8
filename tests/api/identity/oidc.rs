//! Staff sign-in with the organisation's OpenID provider, against a real one: npm's
//! `oidc-provider` (OpenID Certified), started per test by `tests/oidc/provider.mjs` on a free
//! loopback port. The browser is a cookie-keeping HTTP client that follows the redirects by hand
//! and, at the provider, names the person by `login_hint` (the provider's interaction signs that
//! account in and grants what was asked; there is no form to fill).
use std::path::PathBuf;
use std::process::Stdio;
use std::sync::OnceLock;

use api::configuration::{Secret, Settings};
use api::domain::Role;
use serde_json::{json, Value};
use tokio::io::AsyncBufReadExt;

use super::*;

const CLIENT_ID: &str = "essay-portal";
const CLIENT_SECRET: &str = "a-client-secret-for-tests-only";

/// A running provider; ended with the test.
struct Provider {
    issuer: String,
    _process: tokio::process::Child,
}

fn provider_dir() -> PathBuf {
    PathBuf::from(testkit::REPOSITORY).join("tests/oidc")
}

/// `npm ci` once per test run when `tests/oidc/node_modules` is missing (a clean clone).
fn provider_installed() -> bool {
    static INSTALLED: OnceLock<bool> = OnceLock::new();
    *INSTALLED.get_or_init(|| {
        let dir = provider_dir();
        if dir.join("node_modules/oidc-provider").exists() {
            return true;
        }
        let installed = std::process::Command::new("npm")
            .args(["ci", "--no-audit", "--no-fund", "--loglevel=error"])
            .current_dir(&dir)
            .status();
        matches!(installed, Ok(status) if status.success())
    })
}

/// The provider with these people: `sub` → email and groups. `tamper: audience` makes the
/// provider re-sign that person's ID token, with its own key, for another audience.
async fn start_provider() -> Option<Provider> {
    if !provider_installed() {
        testkit::ci::skip("the OpenID provider (npm ci in tests/oidc) could not be installed");
        return None;
    }
    let config = json!({
        "clients": [{
            "client_id": CLIENT_ID,
            "client_secret": CLIENT_SECRET,
            "redirect_uris": ["http://127.0.0.1/auth/oidc/callback"],
            "post_logout_redirect_uris": ["http://127.0.0.1/login"],
        }],
        "accounts": {
            "ada": {"email": "ada@org.example", "name": "Ada Admin", "groups": ["staff", "portal-admins"]},
            "alan": {"email": "alan@org.example", "name": "Alan Assessor", "groups": ["portal-assessors"]},
            "grace": {"email": "grace@org.example", "name": "Grace Guest", "groups": ["staff"]},
            "dora": {"email": "dora@org.example", "name": "Dora Disabled", "groups": ["portal-assessors"]},
            "carla": {"email": "carla@org.example", "name": "Carla Candidate", "groups": ["portal-assessors"]},
            "mallory": {"email": "mallory@org.example", "groups": ["portal-admins"], "tamper": "audience"},
            "slow": {"email": "slow@org.example", "groups": ["portal-admins"], "tamper": "expired", "expired_by": 20},
            "stale": {"email": "stale@org.example", "groups": ["portal-admins"], "tamper": "expired", "expired_by": 300},
        },
    });
    let mut process = tokio::process::Command::new("node")
        .arg(provider_dir().join("provider.mjs"))
        .arg(config.to_string())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .expect("node runs tests/oidc/provider.mjs");
    let stdout = process.stdout.take().expect("the provider's stdout");
    let mut lines = tokio::io::BufReader::new(stdout).lines();
    let first = tokio::time::timeout(std::time::Duration::from_secs(30), lines.next_line())
        .await
        .expect("the provider starts within 30 s")
        .expect("the provider's first line")
        .expect("the provider says where it listens");
    let issuer = first
        .strip_prefix("issuer ")
        .expect("`issuer URL` first")
        .to_owned();
    // Whatever else it prints is read and dropped: a closed pipe would end it at its next word.
    tokio::spawn(async move { while let Ok(Some(_)) = lines.next_line().await {} });
    Some(Provider {
        issuer,
        _process: process,
    })
}

/// The portal with `provider` as the organisation's, its client secret read from a file, and
/// the groups claim mapped to roles.
async fn portal(provider: &Provider, change: impl FnOnce(&mut Settings)) -> TestApp {
    let issuer = provider.issuer.clone();
    spawn_app_changed(move |settings| {
        let secret_file = settings.data_dir.join("oidc-client-secret");
        std::fs::write(&secret_file, format!("{CLIENT_SECRET}\n")).expect("secret file");
        settings.oidc_issuer = Some(issuer);
        settings.oidc_client_id = Some(CLIENT_ID.into());
        settings.oidc_client_secret_file = Some(secret_file);
        settings.oidc_staff_claim = "groups".into();
        settings.oidc_admin_values = vec!["portal-admins".into()];
        settings.oidc_assessor_values = vec!["portal-assessors".into()];
        settings.oidc_extra_scopes = vec!["groups".into()];
        change(settings);
    })
    .await
}

fn location(response: &reqwest::Response) -> String {
    assert!(
        response.status().is_redirection(),
        "expected a redirect, got {}",
        response.status()
    );
    response.headers()["location"]
        .to_str()
        .expect("Location")
        .to_owned()
}

/// From the portal's `/auth/oidc/login` through the provider as `who`, up to the provider's
/// redirect back: the callback URL the browser is sent to.
async fn through_provider(
    app: &TestApp,
    browser: &reqwest::Client,
    who: &str,
    next: &str,
) -> String {
    let start = app.url(&format!("/auth/oidc/login?next={next}"));
    let response = browser.get(start).send().await.unwrap();
    assert_eq!(response.status(), 302);
    let mut url = format!("{}&login_hint={who}", location(&response));
    for _ in 0..10 {
        let response = browser.get(&url).send().await.unwrap();
        let here = reqwest::Url::parse(&url).expect("a URL");
        url = here
            .join(&location(&response))
            .expect("a Location")
            .to_string();
        if url.starts_with(&app.address) {
            return url;
        }
    }
    panic!("the provider never sent the browser back (last at {url})");
}

/// A sign-in as `who` in a fresh browser: the browser and the portal's answer to the callback.
async fn sign_in(app: &TestApp, who: &str, next: &str) -> (reqwest::Client, reqwest::Response) {
    let browser = browser();
    let callback = through_provider(app, &browser, who, next).await;
    let response = browser.get(callback).send().await.unwrap();
    (browser, response)
}

async fn session_of(app: &TestApp, browser: &reqwest::Client) -> Value {
    let response = browser.get(app.url("/api/session")).send().await.unwrap();
    response.json().await.unwrap()
}

fn query_of(url: &str) -> std::collections::HashMap<String, String> {
    reqwest::Url::parse(url)
        .expect("a URL")
        .query_pairs()
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect()
}

#[tokio::test]
async fn login_sends_the_browser_to_the_providers_authorization_endpoint_with_pkce() {
    let Some(provider) = start_provider().await else {
        return;
    };
    let app = portal(&provider, |_| {}).await;
    let discovery: Value = reqwest::get(format!(
        "{}/.well-known/openid-configuration",
        provider.issuer
    ))
    .await
    .unwrap()
    .json()
    .await
    .unwrap();
    let endpoint = discovery["authorization_endpoint"].as_str().unwrap();

    let response = browser()
        .get(app.url("/auth/oidc/login?next=/admin/audit"))
        .send()
        .await
        .unwrap();

    assert_eq!(response.status(), 302);
    let to = location(&response);
    assert!(to.starts_with(&format!("{endpoint}?")), "{to}");
    let query = query_of(&to);
    assert_eq!(query["response_type"], "code");
    assert_eq!(query["client_id"], CLIENT_ID);
    assert_eq!(
        query["redirect_uri"],
        app.url("/auth/oidc/callback"),
        "{to}"
    );
    assert_eq!(query["code_challenge_method"], "S256");
    assert_eq!(query["code_challenge"].len(), 43, "a SHA-256, base64url");
    assert!(query["state"].len() >= 32 && query["nonce"].len() >= 32);
    assert_ne!(query["state"], query["nonce"]);
    let scopes: Vec<&str> = query["scope"].split(' ').collect();
    for scope in ["openid", "email", "profile", "groups"] {
        assert!(scopes.contains(&scope), "{scopes:?}");
    }
    let session = session_of(&app, &browser()).await;
    assert_eq!(session["organisation_sign_in"], true);
}

#[tokio::test]
async fn an_admin_by_group_claim_signs_in_and_the_session_works_on_admin_routes() {
    let Some(provider) = start_provider().await else {
        return;
    };
    let app = portal(&provider, |_| {}).await;

    let (browser, response) = sign_in(&app, "ada", "/admin/audit").await;

    assert_eq!(location(&response), "/admin/audit");
    let session = session_of(&app, &browser).await;
    assert_eq!(session["account"]["email"], "ada@org.example");
    assert_eq!(session["account"]["role"], "admin");
    assert_eq!(session["account"]["full_name"], "Ada Admin");
    // The same session as a password login: admin routes, with its CSRF token for changes.
    let admin = User {
        client: browser,
        csrf: session["csrf_token"].as_str().unwrap().to_owned(),
        account_id: session["account"]["id"].as_str().unwrap().to_owned(),
        email: "ada@org.example".into(),
    };
    let (status, accounts) = admin.fetch(&app, "/api/admin/accounts").await;
    assert_eq!(status, 200, "{accounts}");
    let (status, audit) = admin.fetch(&app, "/api/admin/audit").await;
    assert_eq!(status, 200);
    let signed_in = audit
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["event"] == "login.success")
        .expect("the sign-in is audited");
    assert!(
        signed_in["detail"].to_string().contains("organisation"),
        "{signed_in}"
    );
}

#[tokio::test]
async fn an_assessor_by_group_signs_in_into_an_existing_account_bound_from_then_on() {
    let Some(provider) = start_provider().await else {
        return;
    };
    let app = portal(&provider, |_| {}).await;
    let existing = app.staff("alan@org.example", Role::Assessor).await;

    // A `next` that leaves the site is dropped: the assessor lands on their own page.
    let (browser, response) = sign_in(&app, "alan", "//evil.example/").await;

    assert_eq!(location(&response), "/assess");
    let session = session_of(&app, &browser).await;
    assert_eq!(session["account"]["id"], existing.account_id.as_str());
    assert_eq!(session["account"]["role"], "assessor");
    let response = browser
        .get(app.url("/api/assessor/vacancies"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let response = browser
        .get(app.url("/api/admin/accounts"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 403);
    // Bound by (issuer, subject): a second sign-in finds the same account.
    let (browser, _) = sign_in(&app, "alan", "/assess").await;
    let again = session_of(&app, &browser).await;
    assert_eq!(again["account"]["id"], existing.account_id.as_str());
}

#[tokio::test]
async fn someone_without_a_staff_group_is_refused_and_given_no_account() {
    let Some(provider) = start_provider().await else {
        return;
    };
    let app = portal(&provider, |_| {}).await;

    let (browser, response) = sign_in(&app, "grace", "/admin").await;

    assert_eq!(location(&response), "/login?oidc_error=no-staff-role");
    assert_eq!(session_of(&app, &browser).await["account"], Value::Null);
    let accounts = app.admin().await.fetch(&app, "/api/admin/accounts").await.1;
    assert!(
        !accounts.to_string().contains("grace@org.example"),
        "{accounts}"
    );
}

#[tokio::test]
async fn an_id_token_signed_by_the_provider_for_another_audience_is_refused() {
    let Some(provider) = start_provider().await else {
        return;
    };
    let app = portal(&provider, |_| {}).await;

    let (browser, response) = sign_in(&app, "mallory", "/admin").await;

    assert_eq!(location(&response), "/login?oidc_error=token");
    assert_eq!(session_of(&app, &browser).await["account"], Value::Null);
    let (_, audit) = app.admin().await.fetch(&app, "/api/admin/audit").await;
    let refused = audit
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["event"] == "login.failure")
        .expect("the refusal is audited");
    let detail = refused["detail"].to_string();
    assert!(detail.contains("audience"), "{detail}");
}

#[tokio::test]
async fn a_replayed_state_is_refused() {
    let Some(provider) = start_provider().await else {
        return;
    };
    let app = portal(&provider, |_| {}).await;
    let browser = browser();
    let callback = through_provider(&app, &browser, "ada", "/admin").await;
    let first = browser.get(&callback).send().await.unwrap();
    assert_eq!(location(&first), "/admin");

    let replayed = browser.get(&callback).send().await.unwrap();
    let elsewhere = self::browser().get(&callback).send().await.unwrap();

    assert_eq!(location(&replayed), "/login?oidc_error=state");
    assert_eq!(location(&elsewhere), "/login?oidc_error=state");
    assert_eq!(
        session_of(&app, &self::browser()).await["account"],
        Value::Null
    );
}

#[tokio::test]
async fn a_callback_in_a_browser_that_did_not_start_the_sign_in_is_refused() {
    let Some(provider) = start_provider().await else {
        return;
    };
    let app = portal(&provider, |_| {}).await;
    let callback = through_provider(&app, &browser(), "ada", "/admin").await;

    let victim = browser();
    let response = victim.get(&callback).send().await.unwrap();

    assert_eq!(location(&response), "/login?oidc_error=state");
    assert_eq!(session_of(&app, &victim).await["account"], Value::Null);
}

#[tokio::test]
async fn a_disabled_account_is_refused() {
    let Some(provider) = start_provider().await else {
        return;
    };
    let app = portal(&provider, |_| {}).await;
    let dora = app.staff("dora@org.example", Role::Assessor).await;
    let admin = app.admin().await;
    let disabled = admin
        .client
        .patch(app.url(&format!("/api/admin/accounts/{}", dora.account_id)))
        .header("x-csrf-token", &admin.csrf)
        .json(&json!({"disabled": true}))
        .send()
        .await
        .unwrap();
    assert_eq!(disabled.status(), 200);

    let (browser, response) = sign_in(&app, "dora", "/assess").await;

    assert_eq!(location(&response), "/login?oidc_error=account-disabled");
    assert_eq!(session_of(&app, &browser).await["account"], Value::Null);
}

#[tokio::test]
async fn a_candidates_email_never_becomes_a_staff_account() {
    let Some(provider) = start_provider().await else {
        return;
    };
    let app = portal(&provider, |_| {}).await;
    app.candidate("carla@org.example").await;

    let (browser, response) = sign_in(&app, "carla", "/assess").await;

    assert_eq!(location(&response), "/login?oidc_error=candidate-account");
    assert_eq!(session_of(&app, &browser).await["account"], Value::Null);
}

#[tokio::test]
async fn logout_ends_a_session_begun_at_the_provider() {
    let Some(provider) = start_provider().await else {
        return;
    };
    let app = portal(&provider, |_| {}).await;
    let (browser, _) = sign_in(&app, "ada", "/admin").await;
    let csrf = session_of(&app, &browser).await["csrf_token"]
        .as_str()
        .unwrap()
        .to_owned();
    let cookie = browser
        .get(app.url("/api/admin/accounts"))
        .send()
        .await
        .unwrap();
    assert_eq!(cookie.status(), 200);

    let response = browser
        .delete(app.url("/api/session"))
        .header("x-csrf-token", &csrf)
        .send()
        .await
        .unwrap();

    assert_eq!(response.status(), 204);
    let after = browser
        .get(app.url("/api/admin/accounts"))
        .send()
        .await
        .unwrap();
    assert_eq!(after.status(), 401);
}

#[tokio::test]
async fn with_staff_passwords_off_staff_sign_in_at_the_provider_and_candidates_keep_theirs() {
    let Some(provider) = start_provider().await else {
        return;
    };
    // The client secret straight from the settings this time, not from a file.
    let app = portal(&provider, |settings| {
        settings.staff_password_login = false;
        settings.oidc_client_secret_file = None;
        settings.oidc_client_secret = Some(Secret(CLIENT_SECRET.into()));
    })
    .await;
    app.candidate("candidate@example.org").await;
    api::service::accounts::create_with_password(
        &app.db,
        &api::domain::EmailAddress::parse("ada@org.example").unwrap(),
        &api::domain::FullName::parse("Ada Admin").unwrap(),
        None,
        Role::Admin,
        &api::domain::Password::parse(PASSWORD).unwrap(),
        chrono::Utc::now(),
    )
    .await
    .unwrap();

    let (_, staff) = app.login("ada@org.example", PASSWORD).await;
    let (_, candidate) = app.login("candidate@example.org", PASSWORD).await;

    let (status, problem) = status_of(staff).await;
    assert_eq!(status, 403);
    assert_eq!(problem["type"], "/problems/password-login-off");
    assert_eq!(candidate.status(), 200);
    let (browser, response) = sign_in(&app, "ada", "/admin").await;
    assert_eq!(location(&response), "/admin");
    assert_eq!(session_of(&app, &browser).await["account"]["role"], "admin");
}

#[tokio::test]
async fn without_an_issuer_there_is_no_organisation_sign_in() {
    let app = spawn_app().await;

    let response = browser()
        .get(app.url("/auth/oidc/login?next=/admin"))
        .send()
        .await
        .unwrap();

    assert_eq!(response.status(), 404);
    assert_eq!(
        session_of(&app, &browser()).await["organisation_sign_in"],
        false
    );
}

#[tokio::test]
async fn a_sign_in_begun_on_one_instance_finishes_on_another() {
    let Some(provider) = start_provider().await else {
        return;
    };
    let first = portal(&provider, |_| {}).await;
    // A second instance on the same database, behind the same public address (as behind a load
    // balancer): the provider sends the browser back to whichever instance it reaches.
    let database_url = first.settings.effective_database_url();
    let public_origin = first.address.clone();
    let second = portal(&provider, move |settings| {
        settings.database_url = Some(database_url);
        settings.public_origin = Some(public_origin);
    })
    .await;
    let browser = browser();
    let callback = through_provider(&first, &browser, "ada", "/admin").await;

    let on_second = callback.replacen(&first.address, &second.address, 1);
    let response = browser.get(&on_second).send().await.unwrap();

    assert_eq!(location(&response), "/admin");
    let session = session_of(&first, &browser).await;
    assert_eq!(session["account"]["role"], "admin");
    // The state is used up for both instances.
    let replayed = browser.get(&callback).send().await.unwrap();
    assert_eq!(location(&replayed), "/login?oidc_error=state");
}

#[tokio::test]
async fn the_role_follows_the_providers_groups_at_each_sign_in() {
    let Some(provider) = start_provider().await else {
        return;
    };
    let app = portal(&provider, |_| {}).await;
    let alan = app.staff("alan@org.example", Role::Admin).await;

    // Alan is only in the assessors' group at the provider now.
    let (browser, response) = sign_in(&app, "alan", "/assess").await;

    assert_eq!(location(&response), "/assess");
    let session = session_of(&app, &browser).await;
    assert_eq!(session["account"]["id"], alan.account_id.as_str());
    assert_eq!(session["account"]["role"], "assessor");
    let events = app.admin().await.audit_events(&app).await;
    assert!(
        events.iter().any(|e| e == "account.role_changed"),
        "{events:?}"
    );
}

#[tokio::test]
async fn an_id_token_past_its_expiry_passes_within_the_clock_skew_and_not_beyond() {
    let Some(provider) = start_provider().await else {
        return;
    };
    // A 60 s skew: 20 s past `exp` is a clock difference, 300 s is an old token.
    let app = portal(&provider, |settings| settings.oidc_clock_skew_seconds = 60).await;

    let (_, within) = sign_in(&app, "slow", "/admin").await;
    let (_, beyond) = sign_in(&app, "stale", "/admin").await;

    assert_eq!(location(&within), "/admin");
    assert_eq!(location(&beyond), "/login?oidc_error=token");
}
