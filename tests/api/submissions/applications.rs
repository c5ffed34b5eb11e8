//! Applying, withdrawing, deadlines and extensions.
use chrono::{Duration, Utc};
use serde_json::json;

use super::*;

#[tokio::test]
async fn after_the_deadline_the_application_is_read_only_on_every_path() {
    let app = app_with_vacancy(REFERENCE).await;
    let (ana, application) = app.applicant("ana@example.org", REFERENCE).await;
    app.set_deadline(REFERENCE, Utc::now() - Duration::seconds(1))
        .await;

    let upload = status_of(ana.send_pdf(&app, &application, 1).await).await;
    let withdraw = ana.send(&app, &withdraw(&application), json!({})).await;
    let late = app.candidate("late@example.org").await;
    let affirmed = json!({"affirmations": ["member-state-national", "no-generative-ai"]});
    let apply = late.send(&app, &apply(), affirmed).await;
    let view = format!("/api/applications/{application}");
    let (_, view) = ana.fetch(&app, &view).await;

    for (status, body) in [upload, withdraw, apply] {
        assert_eq!(status, 409, "{body}");
        assert_eq!(body["type"], "/problems/deadline-passed");
    }
    assert_eq!(view["read_only"], true);
}

#[tokio::test]
async fn an_extension_moves_the_deadline_for_that_candidate_only() {
    let app = app_with_vacancy(REFERENCE).await;
    let admin = app.admin().await;
    let (ana, ana_application) = app.applicant("ana@example.org", REFERENCE).await;
    let (bo, bo_application) = app.applicant("bo@example.org", REFERENCE).await;
    let extension = json!({
        "account_id": ana.account_id, "deadline": Utc::now() + Duration::days(1), "reason": "reasonable accommodation"
    });
    let extensions = format!("/api/admin/vacancies/{REFERENCE}/extensions");
    assert_eq!(admin.send(&app, &extensions, extension).await.0, 204);
    app.set_deadline(REFERENCE, Utc::now() - Duration::seconds(1))
        .await;

    let ana_upload = ana.send_pdf(&app, &ana_application, 1).await;
    let bo_upload = bo.send_pdf(&app, &bo_application, 1).await;

    assert_eq!(ana_upload.status(), 201);
    assert_eq!(bo_upload.status(), 409);
    let events = admin.audit_events(&app).await;
    assert!(
        events.iter().any(|e| e == "extension.granted"),
        "{events:?}"
    );
}

#[tokio::test]
async fn a_member_state_vacancy_refuses_other_nationals_and_requires_affirmations() {
    let app = app_with_vacancy(REFERENCE).await;
    let registered = app.register("other@example.org", "OTHER").await;
    assert_eq!(registered.status(), 201);
    let ana = app.candidate("ana@example.org").await;
    let (client, _) = app.login("other@example.org", PASSWORD).await;
    let csrf = csrf_token(&app, &client).await;

    let affirmed = json!({"affirmations": ["member-state-national", "no-generative-ai"]});
    let other = testkit::client::post(&client, &app.url(&apply()), &csrf, &affirmed)
        .send()
        .await
        .unwrap();
    let (unaffirmed, _) = ana.send(&app, &apply(), json!({"affirmations": []})).await;

    assert_eq!(other.status(), 403);
    assert_eq!(unaffirmed, 422);
}

#[tokio::test]
async fn a_withdrawn_application_takes_no_uploads() {
    let app = app_with_vacancy(REFERENCE).await;
    let (ana, application) = app.applicant("ana@example.org", REFERENCE).await;

    let (withdrawn, _) = ana.send(&app, &withdraw(&application), json!({})).await;
    let upload = ana.send_pdf(&app, &application, 1).await;

    assert_eq!(withdrawn, 200);
    assert_eq!(upload.status(), 409);
}
