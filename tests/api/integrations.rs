//! Issue 30, parts 2 and 3: API tokens an applicant-tracking system calls the API with, and
//! webhooks it is told through, delivered to a real HTTP receiver started by each test that
//! verifies the Standard Webhooks signature itself.
use std::collections::{BTreeMap, BTreeSet};
use std::sync::{Arc, Mutex};
use std::time::Duration as StdDuration;

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use chrono::{Duration, Utc};
use hmac::{Hmac, Mac};
use reqwest::Method;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::{json, Value};

use crate::helpers::*;

const TOKENS: &str = "/api/admin/integrations/tokens";
const WEBHOOKS: &str = "/api/admin/integrations/webhooks";
const ALL_SCOPES: [&str; 4] = [
    "vacancies:read",
    "vacancies:write",
    "results:read",
    "essays:read",
];
const ALL_EVENTS: [&str; 5] = [
    "vacancy.published",
    "vacancy.closed",
    "application.completed",
    "version.accepted",
    "decision.recorded",
];

/// Creates a token with `scopes`, as `admin`: its id and the token.
async fn token(app: &TestApp, admin: &User, scopes: &[&str]) -> (String, String) {
    let request = json!({ "name": "ATS", "scopes": scopes, "expires_at": null });
    let (status, body) = admin.send(app, TOKENS, request).await;
    assert_eq!(status, 201, "{body}");
    (
        body["id"].as_str().unwrap().to_owned(),
        body["token"].as_str().unwrap().to_owned(),
    )
}

/// A system without cookies calling with `token`.
async fn call(
    app: &TestApp,
    method: Method,
    path: &str,
    token: &str,
    body: Option<Value>,
) -> (u16, Value) {
    let mut request = reqwest::Client::new()
        .request(method, app.url(path))
        .bearer_auth(token);
    if let Some(body) = body {
        request = request.json(&body);
    }
    status_of(request.send().await.unwrap()).await
}

#[tokio::test]
async fn a_token_is_shown_once_and_only_its_hash_is_stored() {
    let app = app_with_vacancy("251334").await;
    let admin = app.admin().await;
    let (id, secret) = token(&app, &admin, &["vacancies:read"]).await;
    assert!(secret.starts_with("ept_") && secret.len() > 40, "{secret}");

    let (status, listed) = admin.fetch(&app, TOKENS).await;
    assert_eq!(status, 200);
    assert_eq!(listed[0]["id"], json!(id));
    assert_eq!(listed[0]["scopes"], json!(["vacancies:read"]));
    assert_eq!(listed[0]["last_used_at"], Value::Null);
    assert!(
        !listed.to_string().contains(&secret),
        "the list shows the token"
    );

    let row = entity::api_tokens::Entity::find_by_id(id.clone())
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    use sha2::Digest;
    assert_eq!(
        row.token_hash,
        hex::encode(sha2::Sha256::digest(secret.as_bytes()))
    );
    assert!(
        !format!("{row:?}").contains(&secret),
        "the database holds the token"
    );

    let (status, vacancies) = call(&app, Method::GET, "/api/admin/vacancies", &secret, None).await;
    assert_eq!(status, 200, "{vacancies}");
    assert_eq!(vacancies[0]["reference"], "251334");
    let (_, listed) = admin.fetch(&app, TOKENS).await;
    assert!(listed[0]["last_used_at"].is_string(), "{listed}");
    let events = admin.audit_events(&app).await;
    assert!(
        events.contains(&"api_token.created".to_owned()),
        "{events:?}"
    );
    assert!(events.contains(&"api_token.used".to_owned()), "{events:?}");
}

#[tokio::test]
async fn expired_revoked_and_unknown_tokens_are_refused() {
    let app = app_with_vacancy("251334").await;
    let admin = app.admin().await;
    let past = json!({ "name": "old", "scopes": ["vacancies:read"], "expires_at": Utc::now() - Duration::minutes(1) });
    assert_eq!(admin.send(&app, TOKENS, past).await.0, 422);
    let no_scope = json!({ "name": "none", "scopes": [], "expires_at": null });
    assert_eq!(admin.send(&app, TOKENS, no_scope).await.0, 422);
    let unknown_scope = json!({ "name": "x", "scopes": ["everything"], "expires_at": null });
    assert!(matches!(
        admin.send(&app, TOKENS, unknown_scope).await.0,
        400 | 422
    ));

    let (expiring, expiring_secret) = token(&app, &admin, &["vacancies:read"]).await;
    let list = "/api/admin/vacancies";
    assert_eq!(
        call(&app, Method::GET, list, &expiring_secret, None)
            .await
            .0,
        200
    );
    // Its expiry passes.
    entity::api_tokens::Entity::update_many()
        .col_expr(
            entity::api_tokens::Column::ExpiresAt,
            sea_orm::sea_query::Expr::value(Some(Utc::now() - Duration::seconds(1))),
        )
        .filter(entity::api_tokens::Column::Id.eq(expiring))
        .exec(&app.db)
        .await
        .unwrap();
    assert_eq!(
        call(&app, Method::GET, list, &expiring_secret, None)
            .await
            .0,
        401
    );

    let (revoked, revoked_secret) = token(&app, &admin, &["vacancies:read"]).await;
    let response = admin
        .client
        .delete(app.url(&format!("{TOKENS}/{revoked}")))
        .header("x-csrf-token", &admin.csrf)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 204);
    assert_eq!(
        call(&app, Method::GET, list, &revoked_secret, None).await.0,
        401
    );
    let (_, listed) = admin.fetch(&app, TOKENS).await;
    let statuses: BTreeSet<&str> = listed
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["status"].as_str().unwrap())
        .collect();
    assert_eq!(statuses, BTreeSet::from(["expired", "revoked"]));
    assert!(admin
        .audit_events(&app)
        .await
        .contains(&"api_token.revoked".to_owned()));

    let forged = "ept_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
    assert_eq!(call(&app, Method::GET, list, forged, None).await.0, 401);
}

/// Every route of the OpenAPI document called with a token of each scope: a token opens exactly
/// the routes whose `security` names its scope (and the public ones anybody may call).
#[tokio::test]
async fn each_scope_opens_exactly_the_routes_that_name_it() {
    let app = app_with_vacancy("251334").await;
    let admin = app.admin().await;
    let (candidate, application) = app.applicant("ana@example.org", "251334").await;
    let (name, essay) = ("251334 Key challenges.pdf", pdf(&[A4]));
    let version = candidate
        .upload_accepted(&app, &application, name, essay)
        .await;
    let assessor = app
        .staff("assessor@example.org", api::domain::Role::Assessor)
        .await;
    let members = json!([{"account_id": assessor.account_id, "chair": true}]);
    assert_eq!(app.seat_panel(&admin, "251334", members).await, 204);
    app.close("251334").await;
    let (_, essays) = assessor
        .fetch(&app, "/api/assessor/vacancies/251334/essays")
        .await;
    let code = essays[0]["candidate_code"].as_str().unwrap().to_owned();
    let mut tokens = BTreeMap::new();
    for scope in ALL_SCOPES {
        tokens.insert(scope, token(&app, &admin, &[scope]).await.1);
    }

    let document = app.get_json("/api/openapi.json").await;
    let scheme = &document["components"]["securitySchemes"]["bearer"];
    assert_eq!(
        (&scheme["type"], &scheme["scheme"]),
        (&json!("http"), &json!("bearer"))
    );
    let mut wrong = Vec::new();
    let mut opened = BTreeMap::<&str, Vec<String>>::new();
    for (path, operations) in document["paths"].as_object().unwrap() {
        for (method, operation) in operations.as_object().unwrap() {
            let route = format!("{} {path}", method.to_uppercase());
            if route == "DELETE /api/session" {
                continue;
            }
            let named: Vec<&str> = operation["security"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|s| s["bearer"].as_array())
                .flatten()
                .filter_map(Value::as_str)
                .collect();
            let concrete = path
                .replace("{reference}", "251334")
                .replace("{kind}", "key-challenges")
                .replace("{application}", &application)
                .replace("{code}", &code)
                .replace(
                    "{id}",
                    if path.starts_with("/api/versions") || path.starts_with("/api/assessor/essays")
                    {
                        &version
                    } else {
                        &application
                    },
                );
            let method = Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
            let send = |token: Option<&str>| {
                let mut request =
                    reqwest::Client::new().request(method.clone(), app.url(&concrete));
                if let Some(token) = token {
                    request = request.bearer_auth(token);
                }
                if method != Method::GET && !route.contains("/documents/") {
                    request = request.json(&json!({}));
                }
                request.send()
            };
            let anonymous = send(None).await.unwrap().status().as_u16();
            let public = !matches!(anonymous, 401 | 403);
            for (scope, secret) in &tokens {
                let status = send(Some(secret)).await.unwrap().status().as_u16();
                let admitted = !matches!(status, 401 | 403);
                let expected = public || named.contains(scope);
                if admitted != expected {
                    wrong.push(format!("{route} with {scope}: {status}"));
                }
                if admitted && !public {
                    opened.entry(scope).or_default().push(route.clone());
                }
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "routes answering tokens wrongly:\n{}",
        wrong.join("\n")
    );
    // The routes an applicant-tracking system needs, and nothing of accounts, panels, reveal,
    // erasure or integrations.
    let expected = BTreeMap::from([
        (
            "essays:read",
            vec!["GET /api/admin/vacancies/{reference}/applications/{application}/essay"],
        ),
        (
            "results:read",
            vec!["GET /api/admin/vacancies/{reference}/results"],
        ),
        (
            "vacancies:read",
            vec![
                "GET /api/admin/vacancies",
                "GET /api/admin/vacancies/{reference}",
                "GET /api/admin/vacancies/{reference}/applications",
            ],
        ),
        (
            "vacancies:write",
            vec![
                "POST /api/admin/vacancies",
                "PUT /api/admin/vacancies/{reference}",
            ],
        ),
    ]);
    let mut opened: BTreeMap<&str, Vec<&str>> = opened
        .iter()
        .map(|(k, v)| (*k, v.iter().map(String::as_str).collect()))
        .collect();
    opened.values_mut().for_each(|v| v.sort());
    assert_eq!(opened, expected);
}

#[tokio::test]
async fn an_essay_read_with_a_token_is_the_anonymous_copy() {
    let app = app_with_vacancy("251334").await;
    let admin = app.admin().await;
    let (candidate, application) = app.applicant("ana@example.org", "251334").await;
    let (name, essay) = ("251334 Key challenges.pdf", pdf(&[A4]));
    candidate
        .upload_accepted(&app, &application, name, essay)
        .await;
    let (_, secret) = token(&app, &admin, &["essays:read"]).await;
    let path = format!("/api/admin/vacancies/251334/applications/{application}/essay");
    let response = reqwest::Client::new()
        .get(app.url(&path))
        .bearer_auth(&secret)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let disposition = response.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(!disposition.contains("Key challenges"), "{disposition}");
    assert!(disposition.contains("-key-challenges.pdf"), "{disposition}");
    let bytes = response.bytes().await.unwrap();
    assert!(bytes.starts_with(b"%PDF"));
    assert!(admin
        .audit_events(&app)
        .await
        .contains(&"essay.downloaded".to_owned()));
}

#[tokio::test]
async fn a_bearer_request_never_gets_the_powers_of_a_cookie_it_also_carries() {
    let app = app_with_vacancy("251334").await;
    let admin = app.admin().await;
    let (_, secret) = token(&app, &admin, &ALL_SCOPES).await;
    // The admin's browser, cookies and all, with a token added and no CSRF header.
    let invite = json!({"email": "x@example.org", "full_name": "X", "role": "admin"});
    let response = admin
        .client
        .post(app.url("/api/admin/accounts"))
        .bearer_auth(&secret)
        .json(&invite)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 403);
    for path in [
        "/api/admin/accounts",
        "/api/account",
        "/api/admin/integrations/tokens",
    ] {
        let response = admin
            .client
            .get(app.url(path))
            .bearer_auth(&secret)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 403, "{path}");
    }
    // A session alone still needs its CSRF token on the routes tokens may call.
    let response = admin
        .client
        .put(app.url("/api/admin/vacancies/251334"))
        .json(&json!({}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 403);
}

#[tokio::test]
async fn a_token_creates_and_publishes_a_vacancy_with_the_forms_validation() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let (_, writer) = token(&app, &admin, &["vacancies:write"]).await;
    let (_, reader) = token(&app, &admin, &["vacancies:read"]).await;
    let mut vacancy = vacancy_input("260001", "draft");
    vacancy["rules"]["documents"][0]["max_pages"] = json!(0);
    let (status, problem) = call(
        &app,
        Method::POST,
        "/api/admin/vacancies",
        &writer,
        Some(vacancy),
    )
    .await;
    assert_eq!(status, 422, "{problem}");
    let vacancy = vacancy_input("260001", "draft");
    assert_eq!(
        call(
            &app,
            Method::POST,
            "/api/admin/vacancies",
            &reader,
            Some(vacancy.clone())
        )
        .await
        .0,
        403
    );
    let (status, saved) = call(
        &app,
        Method::POST,
        "/api/admin/vacancies",
        &writer,
        Some(vacancy),
    )
    .await;
    assert_eq!(status, 201, "{saved}");
    let (status, saved) = call(
        &app,
        Method::PUT,
        "/api/admin/vacancies/260001",
        &writer,
        Some(vacancy_input("260001", "open")),
    )
    .await;
    assert_eq!(
        (status, &saved["vacancy"]["status"]),
        (200, &json!("open")),
        "{saved}"
    );
    let (status, read) = call(
        &app,
        Method::GET,
        "/api/admin/vacancies/260001",
        &reader,
        None,
    )
    .await;
    assert_eq!((status, &read["status"]), (200, &json!("open")));
}

fn vacancy_input(reference: &str, status: &str) -> Value {
    json!({
        "reference": reference, "title_en": "Head, Current Operations", "title_fr": "Chef, Opérations courantes",
        "key_challenges": ["Keep the Alliance ready"], "posts": [], "status": status, "opens_at": null,
        "rules": {
            "reference": reference,
            "deadline": Utc::now() + Duration::days(3),
            "time_zone": "Europe/Brussels",
            "grace_seconds": 120,
            "documents": [{
                "kind": "key-challenges", "title_en": "Key challenges essay", "title_fr": "Essai",
                "formats": ["docx", "pdf"], "max_pages": 2, "paper": "A4",
                "filename_phrase": "Key challenges", "filename_must_include_reference": true,
                "max_bytes": 2097152
            }],
            "eligibility": ["member-state-national", "no-generative-ai"]
        }
    })
}

/// One request as the receiver got it.
#[derive(Debug, Clone)]
struct Received {
    id: String,
    timestamp: i64,
    signature: String,
    content_type: String,
    body: String,
    /// Whether the receiver found the signature right (and answered 2xx for it).
    verified: bool,
}

/// A webhook receiver on port 0: it verifies each request's signature as Standard Webhooks
/// specifies (once it knows the secret), answers 500 to the first `failures` requests and 204
/// to the rest, and keeps what it got.
struct Receiver {
    url: String,
    secret: Arc<Mutex<Option<String>>>,
    received: Arc<Mutex<Vec<Received>>>,
}

fn verify(secret: &str, id: &str, timestamp: &str, body: &str, header: &str) -> bool {
    let Some(key) = secret
        .strip_prefix("whsec_")
        .and_then(|k| STANDARD.decode(k).ok())
    else {
        return false;
    };
    let mut mac = Hmac::<sha2::Sha256>::new_from_slice(&key).unwrap();
    mac.update(format!("{id}.{timestamp}.{body}").as_bytes());
    let expected = STANDARD.encode(mac.finalize().into_bytes());
    // The header may hold several space-separated signatures; one must match.
    header
        .split(' ')
        .filter_map(|s| s.strip_prefix("v1,"))
        .any(|s| s == expected)
}

async fn receiver(failures: usize) -> Receiver {
    use actix_web::{web, App, HttpRequest, HttpResponse, HttpServer};
    let secret = Arc::new(Mutex::new(None::<String>));
    let received = Arc::new(Mutex::new(Vec::<Received>::new()));
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let (s, r) = (secret.clone(), received.clone());
    let server = HttpServer::new(move || {
        let (secret, received) = (s.clone(), r.clone());
        App::new().default_service(web::to(move |request: HttpRequest, body: web::Bytes| {
            let (secret, received) = (secret.clone(), received.clone());
            async move {
                let header = |name: &str| {
                    request
                        .headers()
                        .get(name)
                        .and_then(|v| v.to_str().ok())
                        .unwrap_or_default()
                        .to_owned()
                };
                let body = String::from_utf8(body.to_vec()).unwrap_or_default();
                let (id, timestamp, signature) = (
                    header("webhook-id"),
                    header("webhook-timestamp"),
                    header("webhook-signature"),
                );
                let recent = timestamp
                    .parse::<i64>()
                    .is_ok_and(|t| (Utc::now().timestamp() - t).abs() < 300);
                let key = secret.lock().unwrap().clone();
                let verified =
                    recent && key.is_some_and(|k| verify(&k, &id, &timestamp, &body, &signature));
                let mut all = received.lock().unwrap();
                all.push(Received {
                    id,
                    timestamp: timestamp.parse().unwrap_or_default(),
                    signature,
                    content_type: header("content-type"),
                    body,
                    verified,
                });
                if all.len() <= failures {
                    HttpResponse::InternalServerError().body("not now")
                } else if verified {
                    HttpResponse::NoContent().finish()
                } else {
                    HttpResponse::BadRequest().body("bad signature")
                }
            }
        }))
    })
    .workers(1)
    .listen(listener)
    .unwrap()
    .run();
    tokio::spawn(server);
    Receiver {
        url: format!("http://127.0.0.1:{port}/hooks"),
        secret,
        received,
    }
}

impl Receiver {
    fn got(&self) -> Vec<Received> {
        self.received.lock().unwrap().clone()
    }

    /// Waits until the receiver holds requests for which `done` holds (at most 30 s).
    async fn wait_for(&self, done: impl Fn(&[Received]) -> bool) -> Vec<Received> {
        for _ in 0..300 {
            let got = self.got();
            if done(&got) {
                return got;
            }
            tokio::time::sleep(StdDuration::from_millis(100)).await;
        }
        panic!(
            "the receiver did not get what was expected: {:#?}",
            self.got()
        );
    }
}

async fn webhook(app: &TestApp, admin: &User, receiver: &Receiver, events: &[&str]) -> String {
    let (status, created) = admin
        .send(
            app,
            WEBHOOKS,
            json!({ "url": receiver.url, "events": events }),
        )
        .await;
    assert_eq!(status, 201, "{created}");
    let secret = created["secret"].as_str().unwrap().to_owned();
    assert!(secret.starts_with("whsec_"), "{secret}");
    assert_eq!(STANDARD.decode(&secret[6..]).unwrap().len(), 32);
    *receiver.secret.lock().unwrap() = Some(secret);
    created["id"].as_str().unwrap().to_owned()
}

fn fast_webhooks(settings: &mut api::configuration::Settings) {
    settings.webhook_poll_millis = 100;
    settings.webhook_retry_base_millis = 300;
    settings.public_origin = Some("https://essays.example.org".into());
}

fn types(got: &[Received]) -> Vec<String> {
    let mut types: Vec<String> = got
        .iter()
        .map(|r| {
            serde_json::from_str::<Value>(&r.body).unwrap()["type"]
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect();
    types.sort();
    types
}

#[tokio::test]
async fn every_event_reaches_a_receiver_signed_and_without_personal_data() {
    let app = spawn_app_changed(fast_webhooks).await;
    let admin = app.admin().await;
    let receiver = receiver(0).await;
    let webhook_id = webhook(&app, &admin, &receiver, &ALL_EVENTS).await;
    let refused = admin
        .send(
            &app,
            WEBHOOKS,
            json!({"url": "file:///etc/passwd", "events": ["vacancy.closed"]}),
        )
        .await;
    assert_eq!(refused.0, 422);

    // Published, applied for, completed, closed and decided.
    let (status, _) = admin
        .send(
            &app,
            "/api/admin/vacancies",
            vacancy_input("251334", "open"),
        )
        .await;
    assert_eq!(status, 201);
    let (candidate, application) = app.applicant("ana@example.org", "251334").await;
    let (name, essay) = ("251334 Key challenges.pdf", pdf(&[A4]));
    let version = candidate
        .upload_accepted(&app, &application, name, essay)
        .await;
    let chair = app
        .staff("chair@example.org", api::domain::Role::Assessor)
        .await;
    let members = json!([{"account_id": chair.account_id, "chair": true}]);
    assert_eq!(app.seat_panel(&admin, "251334", members).await, 204);
    app.close("251334").await;
    let (status, _) = admin
        .put(&app, "/api/admin/vacancies/251334", {
            let mut closed = vacancy_input("251334", "closed");
            closed["rules"]["deadline"] = json!(Utc::now() - Duration::minutes(5));
            closed
        })
        .await;
    assert_eq!(status, 200);
    let decision = json!({"application_id": application, "decision": "longlisted", "confirm_incomplete": true});
    let (status, body) = admin_less(
        &chair,
        &app,
        "/api/assessor/vacancies/251334/decisions",
        decision,
    )
    .await;
    assert_eq!(status, 204, "{body}");

    let got = receiver.wait_for(|got| got.len() >= 5).await;
    assert_eq!(types(&got), {
        let mut all: Vec<String> = ALL_EVENTS.iter().map(|e| e.to_string()).collect();
        all.sort();
        all
    });
    for request in &got {
        assert!(request.verified, "signature not verified: {request:?}");
        assert!(request.id.starts_with("msg_"), "{request:?}");
        assert!(request.signature.starts_with("v1,"));
        assert_eq!(request.content_type, "application/json");
        let body: Value = serde_json::from_str(&request.body).unwrap();
        assert!(
            body["timestamp"].is_string() && body["data"].is_object(),
            "{body}"
        );
        assert_eq!(body["data"]["reference"], "251334");
        for personal in ["ana@example.org", "chair@example.org", "Ana", "%PDF"] {
            assert!(
                !request.body.contains(personal),
                "{personal} in {}",
                request.body
            );
        }
        if let Some(links) = body["data"]["links"].as_object() {
            assert!(
                links.values().all(|l| l
                    .as_str()
                    .unwrap()
                    .starts_with("https://essays.example.org/api/admin/vacancies/251334")),
                "{body}"
            );
        }
    }
    let accepted = got
        .iter()
        .find(|r| r.body.contains("version.accepted"))
        .unwrap();
    let accepted: Value = serde_json::from_str(&accepted.body).unwrap();
    assert_eq!(accepted["data"]["version_id"], json!(version));
    assert_eq!(accepted["data"]["application_id"], json!(application));
    let ids: BTreeSet<&str> = got.iter().map(|r| r.id.as_str()).collect();
    assert_eq!(ids.len(), got.len(), "every event has its own id");

    // The Integrations page's list shows each delivery with its answer.
    let (_, hooks) = admin.fetch(&app, WEBHOOKS).await;
    assert_eq!(hooks[0]["id"], json!(webhook_id));
    let deliveries = hooks[0]["deliveries"].as_array().unwrap();
    assert_eq!(deliveries.len(), 5);
    assert!(
        deliveries
            .iter()
            .all(|d| d["status"] == "delivered" && d["last_status"] == 204),
        "{hooks}"
    );
    assert!(
        !hooks.to_string().contains("whsec_"),
        "the list shows the secret"
    );
}

/// A POST as `user` (a signed-in assessor), with its CSRF token.
async fn admin_less(user: &User, app: &TestApp, path: &str, body: Value) -> (u16, Value) {
    user.send(app, path, body).await
}

#[tokio::test]
async fn a_receiver_that_fails_twice_gets_the_event_with_the_same_id_and_can_be_sent_it_again() {
    let app = spawn_app_changed(fast_webhooks).await;
    let admin = app.admin().await;
    let receiver = receiver(2).await;
    webhook(&app, &admin, &receiver, &["vacancy.published"]).await;
    let started = std::time::Instant::now();
    let (status, _) = admin
        .send(
            &app,
            "/api/admin/vacancies",
            vacancy_input("251334", "open"),
        )
        .await;
    assert_eq!(status, 201);

    let got = receiver.wait_for(|got| got.len() >= 3).await;
    eprintln!(
        "delivered on the third attempt {} ms after the event (retry base 300 ms, poll 100 ms)",
        started.elapsed().as_millis()
    );
    assert!(got.iter().all(|r| r.id == got[0].id), "{got:#?}");
    assert!(got.windows(2).all(|w| w[0].timestamp <= w[1].timestamp));
    // Wait for the third answer to be recorded.
    let delivery = loop {
        let (_, hooks) = admin.fetch(&app, WEBHOOKS).await;
        let delivery = hooks[0]["deliveries"][0].clone();
        if delivery["status"] == "delivered" {
            break delivery;
        }
        tokio::time::sleep(StdDuration::from_millis(100)).await;
    };
    assert_eq!(
        (&delivery["attempts"], &delivery["last_status"]),
        (&json!(3), &json!(204))
    );
    assert_eq!(delivery["message_id"], json!(got[0].id));

    let path = format!(
        "/api/admin/integrations/deliveries/{}/resend",
        delivery["id"]
    );
    let (status, resent) = admin.send(&app, &path, json!({})).await;
    assert_eq!(status, 200, "{resent}");
    let got = receiver.wait_for(|got| got.len() >= 4).await;
    assert_eq!(got[3].id, got[0].id);
    assert_eq!(got[3].body, got[0].body);
    assert!(admin
        .audit_events(&app)
        .await
        .contains(&"webhook.resent".to_owned()));
}

/// Two instances on one PostgreSQL database (on SQLite one instance holds the data folder):
/// each event is delivered once.
#[tokio::test]
async fn two_instances_deliver_each_event_once() {
    let (settings, data_dir) = test_settings().await;
    if settings.database_url.is_none() {
        eprintln!("skipped: two instances need TEST_DATABASE_URL (PostgreSQL)");
        return;
    }
    let mut settings = settings;
    fast_webhooks(&mut settings);
    settings.webhook_poll_millis = 20;
    let second_dir = tempfile::tempdir().unwrap();
    let mut second = settings.clone();
    second.data_dir = second_dir.path().to_path_buf();
    let app = spawn_app_with(settings, data_dir).await;
    let other = spawn_app_with(second, second_dir).await;
    let admin = app.admin().await;
    let receiver = receiver(0).await;
    webhook(
        &app,
        &admin,
        &receiver,
        &[
            "vacancy.published",
            "vacancy.closed",
            "version.accepted",
            "application.completed",
        ],
    )
    .await;

    let count = 30;
    let started = std::time::Instant::now();
    for n in 0..count {
        // Alternately through each instance.
        let via = if n % 2 == 0 { &app } else { &other };
        let input = serde_json::from_value(vacancy_input(&format!("2600{n:02}"), "open")).unwrap();
        api::service::vacancies::create(&via.db, input, &Default::default(), Utc::now())
            .await
            .unwrap();
    }
    // Candidates upload through both instances, twice each: every upload is accepted once, every
    // application completed once.
    let candidates = 4;
    for n in 0..candidates {
        let (candidate, application) = app.applicant(&format!("c{n}@example.org"), "260000").await;
        // Different files, so that the second is a new version, not the same one again.
        for (via, pages) in [(&app, 1), (&other, 2)] {
            let name = "260000 Key challenges.pdf";
            let essay = pdf(&vec![A4; pages]);
            candidate
                .upload_accepted(via, &application, name, essay)
                .await;
        }
    }
    let count = count + candidates * 3;
    receiver.wait_for(|got| got.len() >= count).await;
    tokio::time::sleep(StdDuration::from_secs(2)).await;
    let got = receiver.got();
    let ids: BTreeSet<&str> = got.iter().map(|r| r.id.as_str()).collect();
    assert_eq!(
        (got.len(), ids.len()),
        (count, count),
        "an event was delivered twice"
    );
    eprintln!(
        "{count} events delivered once each by two instances in {} ms",
        started.elapsed().as_millis()
    );
    let completed = types(&got)
        .iter()
        .filter(|t| *t == "application.completed")
        .count();
    assert_eq!(completed, candidates);
    assert!(got.iter().all(|r| r.verified));
    let delivered = entity::webhook_deliveries::Entity::find()
        .filter(entity::webhook_deliveries::Column::DeliveredAt.is_not_null())
        .all(&other.db)
        .await
        .unwrap();
    assert_eq!(delivered.len(), count);
    assert!(delivered.iter().all(|d| d.attempts == 1));
}

/// A receiver that answers every delivery with a redirect to a second address of its own, and
/// counts what reaches that second address.
async fn redirecting_receiver() -> (String, Arc<Mutex<usize>>) {
    use actix_web::{web, App, HttpResponse, HttpServer};
    let followed = Arc::new(Mutex::new(0usize));
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let counter = followed.clone();
    let server = HttpServer::new(move || {
        let counter = counter.clone();
        App::new()
            .route(
                "/hooks",
                web::post().to(move || async move {
                    HttpResponse::TemporaryRedirect()
                        .insert_header(("location", format!("http://127.0.0.1:{port}/elsewhere")))
                        .finish()
                }),
            )
            .route(
                "/elsewhere",
                web::post().to(move || {
                    let counter = counter.clone();
                    async move {
                        *counter.lock().unwrap() += 1;
                        HttpResponse::NoContent().finish()
                    }
                }),
            )
    })
    .workers(1)
    .listen(listener)
    .unwrap()
    .run();
    tokio::spawn(server);
    (format!("http://127.0.0.1:{port}/hooks"), followed)
}

#[tokio::test]
async fn a_redirect_is_an_answer_not_an_address_to_follow() {
    let app = spawn_app_changed(fast_webhooks).await;
    let admin = app.admin().await;
    let (url, followed) = redirecting_receiver().await;
    let hook = json!({ "url": url, "events": ["vacancy.published"] });
    assert_eq!(admin.send(&app, WEBHOOKS, hook).await.0, 201);
    let (status, _) = admin
        .send(
            &app,
            "/api/admin/vacancies",
            vacancy_input("251334", "open"),
        )
        .await;
    assert_eq!(status, 201);

    let delivery = loop {
        let (_, hooks) = admin.fetch(&app, WEBHOOKS).await;
        let delivery = hooks[0]["deliveries"][0].clone();
        if delivery["attempts"].as_i64().unwrap_or_default() >= 2 {
            break delivery;
        }
        tokio::time::sleep(StdDuration::from_millis(100)).await;
    };
    assert_eq!(delivery["status"], "pending", "{delivery}");
    assert_eq!(delivery["last_status"], 307, "{delivery}");
    assert_eq!(*followed.lock().unwrap(), 0, "the redirect was followed");
}
