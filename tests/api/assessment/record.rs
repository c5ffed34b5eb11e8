//! The assessment record follows the essay and the rules: a decision belongs to the version it
//! was made on; no decision while the candidate's extension runs unless overridden (audited);
//! a member who declared a conflict neither scores nor decides, and their earlier score leaves
//! the mean, shown as excluded with the reason.
use chrono::{Duration, Utc};
use serde_json::{json, Value};

use super::*;

const DECISIONS: &str = "/api/assessor/vacancies/251334/decisions";

/// The results row of `application` in `results`.
fn row(results: &Value, application: &str) -> Value {
    results
        .as_array()
        .unwrap_or_else(|| panic!("results: {results}"))
        .iter()
        .find(|r| r["application_id"] == application)
        .unwrap_or_else(|| panic!("{application} not in {results}"))
        .clone()
}

/// A decision on `application`, confirmed although not every member scored.
fn decision(application: &str, decision: &str) -> Value {
    json!({"application_id": application, "decision": decision, "confirm_incomplete": true})
}

/// The vacancy's results as CSV, as the admin exports them: the header and the rows.
async fn exported(app: &TestApp, panel: &Panel) -> (Vec<String>, Vec<csv::StringRecord>) {
    let path = format!("/api/admin/vacancies/{REFERENCE}/results.csv");
    let csv = panel.admin.get(app, &path).await.text().await.unwrap();
    // The second header row holds the machine names.
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let mut rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let header = rows.remove(0).iter().map(str::to_owned).collect();
    (header, rows)
}

/// The cell `name` of the exported row whose candidate code is `code`.
fn cell(export: &(Vec<String>, Vec<csv::StringRecord>), code: &str, name: &str) -> String {
    let (header, rows) = export;
    let column = header
        .iter()
        .position(|h| h == name)
        .unwrap_or_else(|| panic!("no column '{name}' in {header:?}"));
    let row = rows
        .iter()
        .find(|r| &r[0] == code)
        .expect("the essay's row");
    row[column].to_owned()
}

/// The vacancy lets the panel read before the deadline, so that a candidate can replace an essay
/// the panel has already scored and decided on.
async fn read_before_deadline(app: &TestApp) {
    use sea_orm::{ActiveModelTrait, ActiveValue::Set};
    let vacancy = api::service::vacancies::find_by_reference(&app.db, REFERENCE)
        .await
        .unwrap();
    let mut model: entity::vacancies::ActiveModel = vacancy.model.into();
    model.assessors_see_before_deadline = Set(true);
    model.update(&app.db).await.unwrap();
}

#[tokio::test]
async fn a_decision_and_the_scores_belong_to_the_version_they_were_made_on() {
    // Arrange: Eve's first essay is scored by both members and longlisted.
    let app = spawn_app().await;
    let panel = panel(&app).await;
    read_before_deadline(&app).await;
    let (eve, eve_application) = app.applicant("eve@example.org", REFERENCE).await;
    upload_pdf(&app, &eve, &eve_application, 1).await;
    assert_eq!(
        score(&app, &panel.chair, &eve_application, marks(5)).await,
        200
    );
    assert_eq!(
        score(&app, &panel.member, &eve_application, marks(4)).await,
        200
    );
    let longlisted = decision(&eve_application, "longlisted");
    assert_eq!(panel.chair.send(&app, DECISIONS, longlisted).await.0, 204);

    // Act: Eve replaces the essay; then the chair decides again, on the new text.
    let replacement = upload_pdf(&app, &eve, &eve_application, 2).await;
    let (_, after_replacement) = panel.results(&app, &panel.chair).await;
    let export = exported(&app, &panel).await;
    let not_longlisted = decision(&eve_application, "not-longlisted");
    let (decided_again, _) = panel.chair.send(&app, DECISIONS, not_longlisted).await;
    let (_, after_new_decision) = panel.results(&app, &panel.chair).await;

    // Assert: the decision and both scores are "on version 1", out of the current results.
    let eve = row(&after_replacement, &eve_application);
    assert_eq!(eve["decision"], Value::Null, "{eve}");
    assert_eq!(eve["version_id"], replacement.as_str(), "{eve}");
    assert_eq!(eve["version"], 2, "{eve}");
    assert_eq!(eve["earlier_decision"]["decision"], "longlisted", "{eve}");
    assert_eq!(eve["earlier_decision"]["version"], 1, "{eve}");
    assert_eq!(
        (eve["scores"].as_i64(), eve["mean"].as_f64()),
        (Some(0), None)
    );
    let excluded: Vec<(String, i64, f64)> = eve["excluded_scores"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["reason"].as_str().unwrap().to_owned(),
                s["version"].as_i64().unwrap(),
                s["weighted_mean"].as_f64().unwrap(),
            )
        })
        .collect();
    let mut excluded = excluded;
    excluded.sort_by(|a, b| a.2.total_cmp(&b.2));
    assert_eq!(
        excluded,
        [
            ("earlier-version".to_owned(), 1, 4.0),
            ("earlier-version".to_owned(), 1, 5.0)
        ]
    );
    let code = eve["candidate_code"].as_str().unwrap();
    assert_eq!(
        cell(&export, code, "decision"),
        "",
        "not in the export's results"
    );
    assert_eq!(
        cell(&export, code, "earlier_decision"),
        "longlisted (version 1)"
    );
    assert_eq!(cell(&export, code, "mean"), "");
    assert_eq!(cell(&export, code, "excluded_scores"), "2");
    assert_eq!(decided_again, 204);
    let eve = row(&after_new_decision, &eve_application);
    assert_eq!(eve["decision"], "not-longlisted", "{eve}");
    assert_eq!(eve["earlier_decision"], Value::Null, "{eve}");
}

#[tokio::test]
async fn a_decision_while_the_candidates_extension_runs_is_refused_unless_overridden_with_a_reason_and_audited(
) {
    // Arrange: Dee has an extension until tomorrow; the vacancy's own deadline has passed.
    let app = spawn_app().await;
    let panel = panel(&app).await;
    let (dee, dee_application) = app.applicant("dee@example.org", REFERENCE).await;
    upload_pdf(&app, &dee, &dee_application, 1).await;
    let ends = Utc::now() + Duration::days(1);
    let extension = json!({"account_id": dee.account_id, "deadline": ends, "reason": "illness"});
    let extensions = format!("/api/admin/vacancies/{REFERENCE}/extensions");
    assert_eq!(panel.admin.send(&app, &extensions, extension).await.0, 204);
    app.close(REFERENCE).await;
    let longlisted = decision(&dee_application, "longlisted");
    let with_override = |reason: &str| {
        let mut body = longlisted.clone();
        body["override_extension"] = json!({ "reason": reason });
        body
    };

    // Act
    let (_, results) = panel.results(&app, &panel.chair).await;
    let (refused, problem) = panel.chair.send(&app, DECISIONS, longlisted.clone()).await;
    let (no_reason, _) = panel.chair.send(&app, DECISIONS, with_override(" ")).await;
    let (_, before_override) = panel.results(&app, &panel.chair).await;
    let reason = "the panel meets once, tomorrow morning";
    let (overridden, _) = panel
        .chair
        .send(&app, DECISIONS, with_override(reason))
        .await;
    let (_, after) = panel.results(&app, &panel.chair).await;

    // Assert
    assert_eq!(refused, 409, "{problem}");
    let dee_row = row(&results, &dee_application);
    assert!(dee_row["extension_ends_at"].is_string(), "{dee_row}");
    assert_eq!(problem["type"], "/problems/extension-running", "{problem}");
    assert!(problem["extension_ends_at"].is_string(), "{problem}");
    assert!(
        problem["detail"].as_str().unwrap().contains("extension"),
        "{problem}"
    );
    assert_eq!(no_reason, 422, "an override names its reason");
    assert_eq!(
        row(&before_override, &dee_application)["decision"],
        Value::Null
    );
    assert_eq!(overridden, 204);
    assert_eq!(row(&after, &dee_application)["decision"], "longlisted");
    let (_, audit) = panel.admin.fetch(&app, "/api/admin/audit").await;
    let entry = audit
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["event"] == "decision.extension_overridden")
        .unwrap_or_else(|| panic!("no override in {audit}"));
    assert_eq!(entry["detail"]["reason"], reason, "{entry}");
    assert_eq!(
        entry["detail"]["candidate_code"], dee_row["candidate_code"],
        "{entry}"
    );
    assert!(entry["detail"]["extension_ends_at"].is_string(), "{entry}");
}

#[tokio::test]
async fn a_panel_member_who_declared_a_conflict_can_neither_score_nor_decide() {
    // Arrange: the chair declares a conflict for the DOCX essay.
    let (app, panel) = closed_panel().await;
    let application = &panel.applications[0];
    let conflict = format!("/api/assessor/applications/{application}/conflict");
    let (declared, _) = panel
        .chair
        .send(&app, &conflict, json!({"reason": "my friend"}))
        .await;
    assert_eq!(declared, 204);

    // Act and assert, one attempt at a time.
    let score_path = format!("/api/assessor/applications/{application}/score");
    for (what, path, body) in [
        ("longlist", DECISIONS, decision(application, "longlisted")),
        (
            "not longlist",
            DECISIONS,
            decision(application, "not-longlisted"),
        ),
        ("score", score_path.as_str(), marks(5)),
    ] {
        let (status, problem) = panel.chair.send(&app, path, body).await;
        assert_eq!(status, 403, "{what}: {problem}");
        assert_eq!(
            problem["type"], "/problems/conflict-of-interest",
            "{what}: {problem}"
        );
    }
    let (_, results) = panel.results(&app, &panel.chair).await;
    let essay = row(&results, application);
    assert_eq!(essay["decision"], Value::Null, "{essay}");
    assert_eq!(essay["conflict_declared_by_you"], true, "{essay}");
    assert_eq!(
        row(&results, &panel.applications[1])["conflict_declared_by_you"],
        false
    );
    let events = panel.admin.audit_events(&app).await;
    assert!(
        !events.iter().any(|e| e == "decision.recorded"),
        "{events:?}"
    );
}

#[tokio::test]
async fn a_score_given_before_declaring_a_conflict_is_excluded_from_the_mean_with_the_reason() {
    // Arrange: both members score the DOCX essay; then the member declares a conflict.
    let (app, panel) = closed_panel().await;
    let application = &panel.applications[0];
    assert_eq!(score(&app, &panel.chair, application, marks(5)).await, 200);
    assert_eq!(score(&app, &panel.member, application, marks(2)).await, 200);
    let conflict = format!("/api/assessor/applications/{application}/conflict");
    let body = json!({"reason": "former colleague"});
    assert_eq!(panel.member.send(&app, &conflict, body).await.0, 204);

    // Act
    let (_, results) = panel.results(&app, &panel.chair).await;
    let (_, admin_results) = panel
        .admin
        .fetch(&app, &format!("/api/admin/vacancies/{REFERENCE}/results"))
        .await;
    let export = exported(&app, &panel).await;
    let scores = format!("/api/assessor/applications/{application}/scores");
    let (_, panel_scores) = panel.chair.fetch(&app, &scores).await;

    // Assert: only the chair's score counts; the member's is listed as excluded, with why.
    for essay in [row(&results, application), row(&admin_results, application)] {
        assert_eq!(essay["mean"], 5.0, "{essay}");
        assert_eq!(essay["scores"], 1, "{essay}");
        assert_eq!(essay["expected_scores"], 1, "{essay}");
        assert_eq!(essay["disagreement"], false, "{essay}");
        let excluded = essay["excluded_scores"].as_array().unwrap();
        assert_eq!(excluded.len(), 1, "{essay}");
        assert_eq!(excluded[0]["reason"], "conflict-of-interest");
        assert_eq!(excluded[0]["weighted_mean"], 2.0);
        assert_eq!(excluded[0]["version"], 1);
    }
    let code = row(&results, application)["candidate_code"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(cell(&export, &code, "mean"), "5.00");
    assert_eq!(cell(&export, &code, "scores"), "1");
    assert_eq!(cell(&export, &code, "excluded_scores"), "1");
    assert_eq!(
        cell(&export, &code, "assessor_2.weighted_mean"),
        "",
        "the conflicted member's marks are not exported as counted"
    );
    assert_eq!(
        panel_scores.as_array().map(Vec::len),
        Some(1),
        "{panel_scores}"
    );
}

#[tokio::test]
async fn a_decision_recorded_before_versions_were_kept_is_given_the_version_current_at_migration() {
    // Arrange: the database as it was before decisions kept their version, with a decision on
    // Ana's essay (version 1, current) recorded then.
    use migration::{Migrator, MigratorTrait};
    use sea_orm::sea_query::{Alias, Query};
    use sea_orm::{ConnectionTrait, EntityTrait};
    let (app, panel) = closed_panel().await;
    let (application, version) = (&panel.applications[0], &panel.versions[0]);
    // Down to just before that migration, whatever migrations came after it.
    let migrations = Migrator::migrations();
    let position = migrations
        .iter()
        .position(|m| m.name() == "m20261212_000011_decisions_per_version")
        .expect("the migration that gave decisions their version");
    let steps = u32::try_from(migrations.len() - position).unwrap();
    Migrator::down(&app.db, Some(steps)).await.unwrap();
    let insert = Query::insert()
        .into_table(Alias::new("decisions"))
        .columns(
            [
                "application_id",
                "decision",
                "decided_by",
                "note",
                "decided_at",
            ]
            .map(Alias::new),
        )
        .values_panic([
            application.as_str().into(),
            "longlisted".into(),
            panel.chair.account_id.as_str().into(),
            "".into(),
            Utc::now().into(),
        ])
        .to_owned();
    app.db.execute(&insert).await.unwrap();

    // Act
    Migrator::up(&app.db, None).await.unwrap();

    // Assert: the decision is on the version that was current, and stands in the results.
    let stored = entity::decisions::Entity::find_by_id(application.clone())
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(stored.version_id.as_deref(), Some(version.as_str()));
    let (_, results) = panel.results(&app, &panel.chair).await;
    assert_eq!(row(&results, application)["decision"], "longlisted");
}
