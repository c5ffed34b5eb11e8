//! The authorization matrix: every route in the OpenAPI document, called as anonymous, a candidate,
//! another candidate, an assessor and an admin. A route missing from the matrix fails the test, so
//! nobody can add an endpoint without deciding who may call it.
use std::collections::BTreeMap;

use chrono::{Duration, Utc};
use reqwest::Method;

use crate::helpers::*;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Caller {
    Anonymous,
    Candidate,
    OtherCandidate,
    Assessor,
    Admin,
}

use Caller::*;

const EVERYONE: &[Caller] = &[Anonymous, Candidate, OtherCandidate, Assessor, Admin];
const SIGNED_IN: &[Caller] = &[Candidate, OtherCandidate, Assessor, Admin];
const CANDIDATES: &[Caller] = &[Candidate, OtherCandidate];
const OWNER: &[Caller] = &[Candidate];
const ADMINS: &[Caller] = &[Admin];
const ASSESSORS: &[Caller] = &[Assessor];

/// Who may call each route. "Allowed" means the answer is neither 401 nor 403 nor a 404 that
/// hides someone else's data.
fn matrix() -> BTreeMap<&'static str, &'static [Caller]> {
    BTreeMap::from([
        ("GET /health", EVERYONE),
        ("GET /health/ready", EVERYONE),
        // Only a scraper holding the metrics token; no role of a person.
        ("GET /metrics", &[]),
        ("GET /api/session", EVERYONE),
        ("POST /api/session", EVERYONE),
        ("DELETE /api/session", SIGNED_IN),
        ("POST /api/accounts", EVERYONE),
        ("GET /api/account", SIGNED_IN),
        ("POST /api/account/password", SIGNED_IN),
        ("PUT /api/account/language", SIGNED_IN),
        ("GET /api/account/export", SIGNED_IN),
        ("GET /api/account/erasure", SIGNED_IN),
        // Staff get 403 inside (they are disabled, not erased); the walk's empty body stops first.
        ("DELETE /api/account", SIGNED_IN),
        ("GET /api/admin/accounts/{id}/export", ADMINS),
        ("POST /api/admin/accounts/{id}/erase", ADMINS),
        ("GET /api/admin/vacancies/{reference}/retention", ADMINS),
        ("PUT /api/admin/vacancies/{reference}/retention", ADMINS),
        ("POST /api/password-reset", EVERYONE),
        ("POST /api/password-reset/confirm", EVERYONE),
        ("GET /api/admin/accounts", ADMINS),
        ("POST /api/admin/accounts", ADMINS),
        ("PATCH /api/admin/accounts/{id}", ADMINS),
        ("POST /api/admin/accounts/{id}/invitation", ADMINS),
        ("GET /api/admin/vacancies/{reference}/applications", ADMINS),
        ("GET /api/admin/audit", ADMINS),
        ("GET /api/admin/outbox", ADMINS),
        ("GET /api/admin/mail/templates", ADMINS),
        ("GET /api/admin/vacancies", ADMINS),
        ("GET /api/admin/vacancies/{reference}", ADMINS),
        ("GET /api/admin/vacancies/{reference}/panel", ADMINS),
        ("POST /api/admin/vacancies", ADMINS),
        ("PUT /api/admin/vacancies/{reference}", ADMINS),
        ("POST /api/admin/vacancies/{reference}/extensions", ADMINS),
        ("GET /api/vacancies", EVERYONE),
        ("GET /api/vacancies/{reference}", EVERYONE),
        (
            "GET /api/vacancies/{reference}/documents/{kind}/template.docx",
            EVERYONE,
        ),
        ("GET /api/time", EVERYONE),
        ("GET /.well-known/essay-portal-receipt-key", EVERYONE),
        ("POST /api/vacancies/{reference}/application", CANDIDATES),
        ("GET /api/applications", CANDIDATES),
        ("GET /api/applications/{id}", OWNER),
        ("POST /api/applications/{id}/withdraw", OWNER),
        ("PUT /api/applications/{id}/reminders", OWNER),
        ("POST /api/applications/{id}/documents/{kind}", OWNER),
        ("GET /api/versions/{id}/file", OWNER),
        ("GET /api/versions/{id}/receipt", OWNER),
        ("GET /api/assessor/vacancies", ASSESSORS),
        ("GET /api/assessor/vacancies/{reference}/essays", ASSESSORS),
        ("GET /api/assessor/essays/{id}", ASSESSORS),
        ("GET /api/assessor/essays/{id}/file", ASSESSORS),
        ("GET /api/assessor/essays/{id}/images/{index}", ASSESSORS),
        (
            "POST /api/assessor/applications/{application}/conflict",
            ASSESSORS,
        ),
        (
            "POST /api/assessor/applications/{application}/score",
            ASSESSORS,
        ),
        (
            "GET /api/assessor/applications/{application}/scores",
            ASSESSORS,
        ),
        ("GET /api/assessor/vacancies/{reference}/results", ASSESSORS),
        (
            "POST /api/assessor/vacancies/{reference}/decisions",
            ASSESSORS,
        ),
        ("PUT /api/admin/vacancies/{reference}/panel", ADMINS),
        ("POST /api/admin/notices/import", ADMINS),
        ("GET /api/admin/vacancies/{reference}/rubric", ADMINS),
        ("PUT /api/admin/vacancies/{reference}/rubric", ADMINS),
        ("GET /api/admin/vacancies/{reference}/results", ADMINS),
        ("GET /api/admin/vacancies/{reference}/results.csv", ADMINS),
        ("GET /api/admin/vacancies/{reference}/results.xlsx", ADMINS),
        ("GET /api/admin/vacancies/{reference}/essays.zip", ADMINS),
        (
            "POST /api/admin/vacancies/{reference}/reveal/{code}",
            ADMINS,
        ),
        (
            "GET /api/admin/vacancies/{reference}/applications/{application}/essay",
            ADMINS,
        ),
        ("GET /api/admin/integrations/tokens", ADMINS),
        ("POST /api/admin/integrations/tokens", ADMINS),
        ("DELETE /api/admin/integrations/tokens/{id}", ADMINS),
        ("GET /api/admin/integrations/webhooks", ADMINS),
        ("POST /api/admin/integrations/webhooks", ADMINS),
        ("DELETE /api/admin/integrations/webhooks/{id}", ADMINS),
        (
            "POST /api/admin/integrations/deliveries/{id}/resend",
            ADMINS,
        ),
    ])
}

#[tokio::test]
async fn every_route_admits_exactly_the_callers_the_matrix_names() {
    // With metrics on, so that /metrics is judged by its token rather than being off.
    let app = spawn_app_changed(|s| s.metrics_token = Some("scraper secret".into())).await;
    app.open_vacancy("251334", Utc::now() + Duration::days(3))
        .await;
    let (candidate, application) = app.applicant("ana@example.org", "251334").await;
    let other = app.candidate("bo@example.org").await;
    let assessor = app
        .staff("assessor@example.org", api::domain::Role::Assessor)
        .await;
    let admin = app.admin().await;
    let (name, essay) = ("251334 Key challenges.pdf", pdf(&[A4]));
    let version = candidate.upload_accepted(&app, &application, name, essay);
    let version = version.await;
    let members = serde_json::json!([{"account_id": assessor.account_id, "chair": true}]);
    assert_eq!(app.seat_panel(&admin, "251334", members).await, 204);
    app.set_deadline("251334", Utc::now() - Duration::minutes(10))
        .await;
    let (_, essays) = assessor
        .fetch(&app, "/api/assessor/vacancies/251334/essays")
        .await;
    let code = essays[0]["candidate_code"].as_str().unwrap().to_owned();
    let anonymous = browser();
    let anonymous_csrf = csrf_token(&app, &anonymous).await;
    let (integrations, integration_ids) = integration_ids(&app, &admin).await;

    let document = app.get_json("/api/openapi.json").await;
    let matrix = matrix();
    let mut unlisted = Vec::new();
    let mut wrong = Vec::new();
    for (path, operations) in document["paths"].as_object().unwrap() {
        for method in operations.as_object().unwrap().keys() {
            let route = format!("{} {path}", method.to_uppercase());
            let Some(allowed) = matrix.get(route.as_str()) else {
                unlisted.push(route);
                continue;
            };
            let concrete = path
                .replace("{reference}", "251334")
                .replace("{kind}", "key-challenges")
                .replace("{application}", &application)
                .replace("{code}", &code)
                .replace(
                    "{id}",
                    if path.starts_with(integrations) {
                        integration_ids
                            .iter()
                            .find(|(prefix, _)| path.starts_with(prefix))
                            .map(|(_, id)| id.as_str())
                            .unwrap_or_default()
                    } else if path.starts_with("/api/versions")
                        || path.starts_with("/api/assessor/essays")
                    {
                        &version
                    } else if path.starts_with("/api/admin/accounts") {
                        &other.account_id
                    } else {
                        &application
                    },
                );
            for caller in EVERYONE {
                let (client, csrf) = match caller {
                    Anonymous => (&anonymous, &anonymous_csrf),
                    Candidate => (&candidate.client, &candidate.csrf),
                    OtherCandidate => (&other.client, &other.csrf),
                    Assessor => (&assessor.client, &assessor.csrf),
                    Admin => (&admin.client, &admin.csrf),
                };
                let method = Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
                // Bodies are empty on purpose: an allowed caller gets 4xx validation, never 401/403.
                let mut request = client
                    .request(method.clone(), app.url(&concrete))
                    .header("x-csrf-token", csrf.as_str());
                if method != Method::GET && !route.contains("/documents/") {
                    request = request.json(&serde_json::json!({}));
                }
                if route.ends_with("DELETE /api/session") {
                    continue; // Logging out would end the session the rest of the walk needs.
                }
                let status = request.send().await.unwrap().status().as_u16();
                let admitted = {
                    // A 404 on a concrete id hides someone else's data: a denial.
                    let hidden = status == 404 && concrete != *path;
                    !(matches!(status, 401 | 403) || hidden)
                };
                if admitted != allowed.contains(caller) {
                    wrong.push(format!("{route} as {caller:?}: {status}"));
                }
            }
        }
    }

    assert!(
        unlisted.is_empty(),
        "routes missing from the authorization matrix: {unlisted:?}"
    );
    assert!(
        wrong.is_empty(),
        "routes admitting the wrong callers:\n{}",
        wrong.join("\n")
    );
}

/// A token, a webhook and one of its deliveries, for the Integrations routes' `{id}`: the
/// path prefix each id is for.
async fn integration_ids(app: &TestApp, admin: &User) -> (&'static str, Vec<(String, String)>) {
    use sea_orm::{ActiveValue::Set, EntityTrait};
    let prefix = "/api/admin/integrations/";
    let token = serde_json::json!({"name": "ATS", "scopes": ["vacancies:read"]});
    let (_, token) = admin.send(app, &format!("{prefix}tokens"), token).await;
    let hook = serde_json::json!({"url": "http://127.0.0.1:9/", "events": ["vacancy.closed"]});
    let (_, hook) = admin.send(app, &format!("{prefix}webhooks"), hook).await;
    let hook = hook["id"].as_str().unwrap().to_owned();
    let delivery =
        entity::webhook_deliveries::Entity::insert(entity::webhook_deliveries::ActiveModel {
            webhook_id: Set(hook.clone()),
            event_id: Set("msg_authorization".into()),
            event_type: Set("vacancy.closed".into()),
            body: Set("{}".into()),
            created_at: Set(Utc::now()),
            attempts: Set(0),
            ..Default::default()
        })
        .exec(&app.db)
        .await
        .unwrap();
    (
        prefix,
        vec![
            (
                format!("{prefix}tokens"),
                token["id"].as_str().unwrap().to_owned(),
            ),
            (format!("{prefix}webhooks"), hook),
            (
                format!("{prefix}deliveries"),
                delivery.last_insert_id.to_string(),
            ),
        ],
    )
}

#[tokio::test]
async fn logout_requires_a_session() {
    let app = spawn_app().await;
    let anonymous = browser();
    let csrf = csrf_token(&app, &anonymous).await;

    let response = anonymous
        .delete(app.url("/api/session"))
        .header("x-csrf-token", csrf)
        .send()
        .await
        .unwrap();

    assert_eq!(response.status(), 401);
}
