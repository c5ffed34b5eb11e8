//! Scores: conflicts, hidden scores, aggregates and decisions, the version scored.
use serde_json::json;

use super::*;

#[tokio::test]
async fn a_declared_conflict_removes_the_essay_from_that_assessor() {
    let (app, panel) = closed_panel().await;
    let application = &panel.applications[0];

    let conflict = format!("/api/assessor/applications/{application}/conflict");
    let body = json!({"reason": "former colleague"});
    let (declared, _) = panel.member.send(&app, &conflict, body).await;
    let (_, essays) = panel.essays(&app, &panel.member).await;
    let essay = format!("/api/assessor/essays/{}", panel.versions[0]);
    let (read, _) = panel.member.fetch(&app, &essay).await;
    let score = score(&app, &panel.member, application, marks(3)).await;

    assert_eq!(declared, 204);
    assert_eq!(essays.as_array().unwrap().len(), 1);
    assert_eq!(read, 403);
    assert_eq!(score, 403);
    let events = panel.admin.audit_events(&app).await;
    assert!(
        events.iter().any(|e| e == "conflict.declared"),
        "{events:?}"
    );
}

#[tokio::test]
async fn others_scores_stay_hidden_until_your_own_is_in_and_the_chair_sees_aggregates() {
    let (app, panel) = closed_panel().await;
    let essay = &panel.applications[0];
    let scores_path = format!("/api/assessor/applications/{essay}/scores");

    let chair_score = score(&app, &panel.chair, essay, marks(5)).await;
    let (hidden, _) = panel.member.fetch(&app, &scores_path).await;
    let member_score = score(&app, &panel.member, essay, marks(2)).await;
    let (shown, scores) = panel.member.fetch(&app, &scores_path).await;
    let (member_results, _) = panel.results(&app, &panel.member).await;
    let (_, results) = panel.results(&app, &panel.chair).await;
    let invalid = json!({"marks": {"writing": 9}});
    let invalid = score(&app, &panel.chair, essay, invalid).await;

    assert_eq!(
        (chair_score, hidden, member_score, shown),
        (200, 409, 200, 200)
    );
    assert_eq!(scores.as_array().unwrap().len(), 2);
    assert!(scores.to_string().contains("\"you\""));
    assert!(!scores.to_string().contains("chair@example.org"));
    assert_eq!(member_results, 403, "only the chair sees aggregates");
    let scored = results
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["application_id"] == essay.as_str())
        .unwrap();
    assert_eq!(scored["scores"], 2);
    assert_eq!(scored["mean"], 3.5);
    assert_eq!(scored["spread"], 3.0);
    assert_eq!(scored["disagreement"], true);
    assert_eq!(invalid, 422);

    let decisions = format!("/api/assessor/vacancies/{REFERENCE}/decisions");
    let decision = json!({"application_id": essay, "decision": "longlisted"});
    assert_eq!(panel.chair.send(&app, &decisions, decision).await.0, 204);
    let (_, results) = panel.results(&app, &panel.chair).await;
    assert!(results.to_string().contains("longlisted"));
}

#[tokio::test]
async fn a_score_belongs_to_the_version_that_was_read() {
    // Arrange: a vacancy whose assessors read before the deadline; Eve's essay is scored.
    use sea_orm::{ActiveModelTrait, ActiveValue::Set};
    let app = spawn_app().await;
    let panel = panel(&app).await;
    let vacancy = api::service::vacancies::find_by_reference(&app.db, REFERENCE)
        .await
        .unwrap();
    let mut model: entity::vacancies::ActiveModel = vacancy.model.into();
    model.assessors_see_before_deadline = Set(true);
    model.update(&app.db).await.unwrap();
    let (eve, eve_application) = app.applicant("eve@example.org", REFERENCE).await;
    upload_pdf(&app, &eve, &eve_application, 1).await;
    assert_eq!(
        score(&app, &panel.member, &eve_application, marks(5)).await,
        200
    );

    // Act: Eve replaces the essay after it was scored.
    let replacement = upload_pdf(&app, &eve, &eve_application, 2).await;
    let (_, essays) = panel.essays(&app, &panel.member).await;
    let scores = format!("/api/assessor/applications/{eve_application}/scores");
    let (scores_status, _) = panel.member.fetch(&app, &scores).await;

    // Assert: the new text is unscored; the old score does not carry over to it.
    let eve_essay = essays
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["version_id"] == replacement.as_str())
        .expect("the replacement is listed");
    assert_eq!(eve_essay["scored_by_me"], false);
    assert_eq!(
        scores_status, 409,
        "the assessor must score the new text first"
    );
}
