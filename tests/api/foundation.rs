//! The service foundation: health, problems, headers, OpenAPI, metrics, static pages.
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::json;

use crate::helpers::{spawn_app, spawn_app_changed, TestApp, PASSWORD};

#[tokio::test]
async fn health_reports_the_database_as_up() {
    let app = spawn_app().await;

    let response = app.client.get(app.url("/health")).send().await.unwrap();

    assert_eq!(response.status(), 200);
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["status"], "ok");
    assert_eq!(body["database"], true);
}

#[tokio::test]
async fn health_is_503_when_the_database_is_gone() {
    let app = spawn_app().await;
    app.db.clone().close().await.unwrap();

    let response = app.client.get(app.url("/health")).send().await.unwrap();

    assert_eq!(response.status(), 503);
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["database"], false);
}

#[tokio::test]
async fn every_response_carries_the_security_headers_and_a_request_id() {
    let app = spawn_app().await;

    for path in ["/health", "/", "/no-such-page", "/api/openapi.json"] {
        let response = app.client.get(app.url(path)).send().await.unwrap();
        let headers = response.headers();
        let csp = headers["content-security-policy"].to_str().unwrap();
        assert!(csp.contains("default-src 'self'"), "{path}: {csp}");
        assert!(csp.contains("frame-ancestors 'none'"), "{path}: {csp}");
        assert_eq!(headers["x-content-type-options"], "nosniff", "{path}");
        assert!(headers.contains_key("referrer-policy"), "{path}");
        assert!(headers.contains_key("x-request-id"), "{path}");
        // One policy: a page's own (allowing its import map by hash) is not doubled by the
        // default one, which would block the map.
        assert_eq!(
            headers.get_all("content-security-policy").iter().count(),
            1,
            "{path}"
        );
        if path == "/" || path == "/no-such-page" {
            assert!(csp.contains("script-src 'self' 'sha256-"), "{path}: {csp}");
        }
    }
}

#[tokio::test]
async fn a_site_served_over_https_sends_hsts_and_secure_cookies_even_when_cookie_secure_was_forgotten(
) {
    // (public origin, whether HSTS and Secure cookies are expected)
    let cases = [
        (Some("https://jobs.example.org"), true),
        (Some("HTTPS://jobs.example.org:8443"), true),
        (Some("http://intranet.example.org"), false),
        (None, false),
    ];
    for (origin, https) in cases {
        let app = spawn_app_changed(|s| {
            s.public_origin = origin.map(str::to_owned);
            s.cookie_secure = false;
        })
        .await;

        let response = app
            .client
            .get(app.url("/api/session"))
            .send()
            .await
            .unwrap();

        let headers = response.headers();
        assert_eq!(
            headers
                .get("strict-transport-security")
                .map(|v| v.to_str().unwrap().to_owned()),
            https.then(|| "max-age=31536000".to_owned()),
            "{origin:?}"
        );
        let cookie = headers["set-cookie"].to_str().unwrap().to_owned();
        assert_eq!(cookie.contains("Secure"), https, "{origin:?}: {cookie}");
    }
}

#[tokio::test]
async fn unknown_api_routes_are_404_problems() {
    let app = spawn_app().await;

    let response = app
        .client
        .get(app.url("/api/no-such-thing"))
        .send()
        .await
        .unwrap();

    assert_eq!(response.status(), 404);
    assert_eq!(
        response.headers()["content-type"],
        "application/problem+json"
    );
    let problem: serde_json::Value = response.json().await.unwrap();
    assert_eq!(problem["type"], "/problems/not-found");
    assert_eq!(problem["status"], 404);
}

#[tokio::test]
async fn a_problem_has_its_title_in_the_language_the_client_puts_first_and_its_detail_in_english() {
    let app = spawn_app().await;
    let ask = |language: &'static str| {
        app.client
            .get(app.url("/api/vacancies/999999"))
            .header("Accept-Language", language)
            .send()
    };

    let french = ask("fr-BE,fr;q=0.9,en;q=0.5").await.unwrap();
    assert_eq!(french.status(), 404);
    assert_eq!(french.headers()["content-language"], "fr");
    assert!(french.headers()["vary"]
        .to_str()
        .unwrap()
        .contains("Accept-Language"));
    let problem: serde_json::Value = french.json().await.unwrap();
    assert_eq!(problem["type"], "/problems/not-found");
    assert_eq!(problem["title"], "Introuvable");
    assert_eq!(problem["detail"], "vacancy not found");
    assert_eq!(problem["resource"], "vacancy");

    let english = ask("en-GB,fr;q=0.5").await.unwrap();
    assert!(english.headers().get("content-language").is_none());
    let problem: serde_json::Value = english.json().await.unwrap();
    assert_eq!(problem["title"], "Not found");
}

#[tokio::test]
async fn the_front_page_is_served_from_the_binary() {
    let app = spawn_app().await;

    let response = app.client.get(app.url("/")).send().await.unwrap();

    assert_eq!(response.status(), 200);
    assert!(response.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/html"));
    assert!(response.text().await.unwrap().contains("essay-portal"));
}

#[tokio::test]
async fn openapi_document_is_version_3_1_and_lists_health() {
    let app = spawn_app().await;

    let document = app.get_json("/api/openapi.json").await;

    assert!(document["openapi"].as_str().unwrap().starts_with("3.1"));
    assert!(document["paths"]["/health"]["get"].is_object());
}

/// GETs /metrics with `token` as the bearer, when given.
async fn metrics(app: &TestApp, token: Option<&str>) -> reqwest::Response {
    let request = app.client.get(app.url("/metrics"));
    let request = match token {
        Some(token) => request.bearer_auth(token),
        None => request,
    };
    request.send().await.unwrap()
}

#[tokio::test]
async fn metrics_count_requests_by_route() {
    let app = spawn_app_changed(|s| s.metrics_token = Some("scraper secret".into())).await;
    app.client.get(app.url("/health")).send().await.unwrap();

    let text = metrics(&app, Some("scraper secret")).await.text().await;
    let text = text.unwrap();

    assert!(text.contains("http_requests_total"), "{text}");
    assert!(text.contains("route=\"/health\""), "{text}");
}

#[tokio::test]
async fn metrics_need_the_token_and_methods_are_a_fixed_set() {
    // Arrange
    let app = spawn_app_changed(|s| s.metrics_token = Some("scraper secret".into())).await;
    let off = spawn_app().await;
    let odd_method = reqwest::Method::from_bytes("X".repeat(4000).as_bytes()).unwrap();
    for _ in 0..20 {
        app.client
            .request(odd_method.clone(), app.url("/health"))
            .send()
            .await
            .unwrap();
    }

    // Act
    let anonymous = metrics(&app, None).await;
    let wrong = metrics(&app, Some("guess")).await;
    let without_token = metrics(&off, None).await;
    let text = metrics(&app, Some("scraper secret")).await.text().await;
    let text = text.unwrap();

    // Assert
    assert_eq!(anonymous.status(), 401);
    assert_eq!(wrong.status(), 401);
    assert_eq!(
        without_token.status(),
        404,
        "no token configured: metrics are off"
    );
    assert!(text.contains("method=\"other\""), "{text}");
    assert!(!text.contains("XXXX"), "the method never becomes a label");
}

#[tokio::test]
async fn data_dir_holds_the_sqlite_database() {
    if std::env::var("TEST_DATABASE_URL").is_ok() {
        return; // On PostgreSQL there is no file to look for.
    }
    let app = spawn_app().await;

    assert!(app.settings.data_dir.join("essay-portal.sqlite").exists());
}

/// Logs in `email` through a client that sends `forwarded_for`; returns the audit log's address
/// for that login.
async fn login_address(app: &TestApp, email: &str, forwarded_for: &str) -> String {
    let body = json!({"email": email, "password": PASSWORD});
    let request = app.visitor().await.post(app, "/api/session", body);
    let response = request.header("x-forwarded-for", forwarded_for).send();
    let response = response.await.unwrap();
    assert_eq!(response.status(), 200);
    let rows = entity::audit_events::Entity::find()
        .filter(entity::audit_events::Column::Event.eq("login.success"))
        .all(&app.db)
        .await
        .unwrap();
    rows.last().unwrap().client_ip.clone().unwrap_or_default()
}

#[tokio::test]
async fn forwarded_headers_are_believed_only_from_trusted_proxies() {
    // Arrange: one server behind a trusted proxy on 127.0.0.1, one facing clients directly.
    let proxied =
        spawn_app_changed(|s| s.trusted_proxies = vec!["127.0.0.1".parse().unwrap()]).await;
    let direct = spawn_app().await;
    for app in [&proxied, &direct] {
        app.staff("ana@example.org", api::domain::Role::Admin).await;
    }

    // Act
    let behind_proxy =
        login_address(&proxied, "ana@example.org", "198.51.100.9, 203.0.113.7").await;
    let spoofed = login_address(&direct, "ana@example.org", "203.0.113.7").await;
    // A cross-site request claiming, through X-Forwarded-Host, to come from its own site.
    let body = json!({"email": "ana@example.org", "password": PASSWORD});
    let cross_site = direct
        .visitor()
        .await
        .post(&direct, "/api/session", body)
        .header("origin", "http://evil.example")
        .header("x-forwarded-host", "evil.example")
        .send()
        .await
        .unwrap();

    // Assert: the nearest untrusted address behind the proxy; the socket's address otherwise.
    assert_eq!(behind_proxy, "203.0.113.7");
    assert_eq!(spoofed, "127.0.0.1");
    assert_eq!(cross_site.status(), 403);
}

#[tokio::test]
async fn the_data_folder_and_its_files_are_readable_by_this_user_only() {
    use std::os::unix::fs::PermissionsExt;
    if std::env::var("TEST_DATABASE_URL").is_ok() {
        return; // On PostgreSQL the database is not in the data folder.
    }
    let app = spawn_app().await;
    app.client.get(app.url("/health")).send().await.unwrap();
    let mode = |name: &str| {
        std::fs::metadata(app.settings.data_dir.join(name))
            .unwrap()
            .permissions()
            .mode()
            & 0o777
    };

    assert_eq!(mode(""), 0o700);
    for file in [
        "essay-portal.sqlite",
        "essay-portal.sqlite-wal",
        "receipt-signing-key.pem",
    ] {
        assert_eq!(mode(file), 0o600, "{file}");
    }
}
