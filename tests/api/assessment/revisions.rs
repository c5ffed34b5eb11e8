//! Scores are revised, never overwritten: reopening an essay shows the saved marks; each save
//! is a new revision, kept with the ones before it and audited. Every criterion needs a mark;
//! each mark's meaning is written out; a decision on an essay not every member scored is confirmed.
use serde_json::json;

use super::*;

/// The essay `version` as `who` opens it.
async fn open(app: &TestApp, who: &User, version: &str) -> serde_json::Value {
    let (status, reading) = who
        .fetch(app, &format!("/api/assessor/essays/{version}"))
        .await;
    assert_eq!(status, 200, "{reading}");
    reading
}

#[tokio::test]
async fn reopening_shows_the_saved_score_and_saving_again_is_revision_2_with_its_history() {
    // Arrange: the chair has not scored the DOCX essay yet.
    let (app, panel) = closed_panel().await;
    let (application, version) = (&panel.applications[0], &panel.versions[0]);
    let path = format!("/api/assessor/applications/{application}/score");
    let before = open(&app, &panel.chair, version).await;

    // Act: score, reopen, score again differently, reopen.
    let first = json!({"marks": {"challenge-1": 4, "writing": 3}, "comment": "Sound analysis"});
    let (first_status, first_saved) = panel.chair.send(&app, &path, first).await;
    let reopened = open(&app, &panel.chair, version).await;
    let second =
        json!({"marks": {"challenge-1": 2, "writing": 2}, "comment": "On reflection, thin"});
    let (second_status, second_saved) = panel.chair.send(&app, &path, second).await;
    let reopened_again = open(&app, &panel.chair, version).await;
    let (_, results) = panel.results(&app, &panel.chair).await;

    // Assert
    assert!(before["my_score"].is_null(), "{}", before["my_score"]);
    assert_eq!((first_status, second_status), (200, 200));
    assert_eq!(first_saved["revision"], 1);
    assert_eq!(first_saved["weighted_mean"], 3.5);
    assert!(first_saved["submitted_at"].is_string());
    assert_eq!(reopened["my_score"]["revision"], 1);
    assert_eq!(
        reopened["my_score"]["marks"],
        json!({"challenge-1": 4, "writing": 3})
    );
    assert_eq!(reopened["my_score"]["comment"], "Sound analysis");
    assert_eq!(second_saved["revision"], 2);
    let mine = &reopened_again["my_score"];
    assert_eq!(mine["revision"], 2);
    assert_eq!(mine["marks"], json!({"challenge-1": 2, "writing": 2}));
    assert_eq!(mine["comment"], "On reflection, thin");
    let history: Vec<(i64, String)> = mine["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["revision"].as_i64().unwrap(),
                r["comment"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert_eq!(
        history,
        [
            (2, "On reflection, thin".to_owned()),
            (1, "Sound analysis".to_owned())
        ],
        "newest first, the first revision kept"
    );
    let essay = results
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["application_id"] == application.as_str())
        .unwrap();
    assert_eq!(
        (essay["scores"].as_i64(), essay["mean"].as_f64()),
        (Some(1), Some(2.0)),
        "the latest revision counts, once"
    );
    let (_, audit) = panel.admin.fetch(&app, "/api/admin/audit").await;
    let revisions: Vec<i64> = audit
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["event"] == "essay.scored")
        .map(|e| e["detail"]["revision"].as_i64().unwrap())
        .collect();
    let mut sorted = revisions.clone();
    sorted.sort();
    assert_eq!(sorted, [1, 2], "each revision is audited: {revisions:?}");
}

#[tokio::test]
async fn a_criterion_left_not_scored_or_marked_outside_1_to_5_is_refused_and_nothing_is_saved() {
    let (app, panel) = closed_panel().await;
    let (application, version) = (&panel.applications[0], &panel.versions[0]);
    let path = format!("/api/assessor/applications/{application}/score");

    let (missing, problem) = panel
        .chair
        .send(
            &app,
            &path,
            json!({"marks": {"challenge-1": 4}, "comment": ""}),
        )
        .await;
    let (zero, _) = panel
        .chair
        .send(
            &app,
            &path,
            json!({"marks": {"challenge-1": 4, "writing": 0}}),
        )
        .await;
    let reading = open(&app, &panel.chair, version).await;

    assert_eq!((missing, zero), (422, 422));
    assert!(
        problem["detail"]
            .as_str()
            .unwrap()
            .contains("Quality of the writing"),
        "the criterion not scored is named: {problem}"
    );
    assert!(reading["my_score"].is_null());
}

#[tokio::test]
async fn every_criterion_says_what_each_mark_means_in_english_and_french() {
    let (app, panel) = closed_panel().await;
    let rubric_path = format!("/api/admin/vacancies/{REFERENCE}/rubric");

    let reading = open(&app, &panel.chair, &panel.versions[0]).await;
    let (_, default) = panel.admin.fetch(&app, &rubric_path).await;
    let mut three_levels = default.clone();
    three_levels[0]["levels"] = json!(["low", "middle", "high"]);
    let (refused, _) = panel.admin.put(&app, &rubric_path, three_levels).await;
    let mut custom = default.clone();
    custom[0]["levels"] = json!(["1 none", "2 weak", "3 fair", "4 good", "5 excellent"]);
    let (saved, _) = panel.admin.put(&app, &rubric_path, custom).await;
    let after = open(&app, &panel.chair, &panel.versions[0]).await;

    for criterion in reading["rubric"].as_array().unwrap() {
        assert_eq!(
            criterion["levels"].as_array().unwrap().len(),
            5,
            "{criterion}"
        );
        assert_eq!(
            criterion["levels_fr"].as_array().unwrap().len(),
            5,
            "{criterion}"
        );
        // A key challenge is titled in the notice's own words (no French title, so that the
        // page marks its language); every other criterion has a French title.
        let challenge = criterion["id"].as_str().unwrap().starts_with("challenge-");
        assert!(
            criterion["title_fr"].is_string() != challenge,
            "{criterion}"
        );
        assert!(criterion["descriptor_fr"].is_string(), "{criterion}");
    }
    assert_eq!(refused, 422);
    assert_eq!(saved, 200);
    assert_eq!(after["rubric"][0]["levels"][4], "5 excellent");
}

#[tokio::test]
async fn a_decision_before_every_panel_member_has_scored_needs_to_be_confirmed() {
    // Arrange: of the panel of two, only the chair has scored.
    let (app, panel) = closed_panel().await;
    let application = &panel.applications[0];
    score(&app, &panel.chair, application, marks(4)).await;
    let decisions = format!("/api/assessor/vacancies/{REFERENCE}/decisions");

    // Act
    let (_, results) = panel.results(&app, &panel.chair).await;
    let unconfirmed = json!({"application_id": application, "decision": "longlisted"});
    let (refused, problem) = panel.chair.send(&app, &decisions, unconfirmed).await;
    let confirmed = json!({"application_id": application, "decision": "longlisted", "confirm_incomplete": true});
    let (recorded, _) = panel.chair.send(&app, &decisions, confirmed).await;
    let (_, after) = panel.results(&app, &panel.chair).await;

    // Assert
    let essay = |list: &serde_json::Value| {
        list.as_array()
            .unwrap()
            .iter()
            .find(|r| r["application_id"] == application.as_str())
            .unwrap()
            .clone()
    };
    assert_eq!(essay(&results)["scores"], 1);
    assert_eq!(essay(&results)["expected_scores"], 2);
    assert_eq!(refused, 409);
    assert!(
        problem["detail"].as_str().unwrap().contains("1 of 2"),
        "{problem}"
    );
    assert_eq!(recorded, 204);
    assert_eq!(essay(&after)["decision"], "longlisted");
}
