//! The admin console's vacancy API: counts per vacancy, one vacancy, the panel as it stands,
//! and notice import with every document and the cleaned notice text.
use chrono::{Duration, Utc};
use serde_json::json;

use crate::helpers::*;

#[tokio::test]
async fn the_list_counts_applications_accepted_documents_and_refusals_by_first_failing_rule() {
    // Arrange: three candidates; one accepted essay, two refusals by the name, one by the pages.
    let app = app_with_vacancy("251334").await;
    let admin = app.admin().await;
    let (ana, ana_application) = app.applicant("ana@example.org", "251334").await;
    let (bo, bo_application) = app.applicant("bo@example.org", "251334").await;
    let (_cy, _) = app.applicant("cy@example.org", "251334").await;
    ana.upload_accepted(
        &app,
        &ana_application,
        "251334 Key challenges.pdf",
        pdf(&[A4]),
    )
    .await;
    for name in ["essay.pdf", "my essay.pdf"] {
        let (status, body) = bo.submit(&app, &bo_application, name, pdf(&[A4])).await;
        assert_eq!(
            (status, &body["verdict"]["verdict"]),
            (422, &json!("reject")),
            "{body}"
        );
    }
    let (status, body) = bo
        .submit(
            &app,
            &bo_application,
            "251334 Key challenges.pdf",
            pdf(&[A4; 3]),
        )
        .await;
    assert_eq!(
        (status, &body["verdict"]["verdict"]),
        (422, &json!("reject")),
        "{body}"
    );

    // Act
    let (status, list) = admin.fetch(&app, "/api/admin/vacancies").await;
    let (one_status, one) = admin.fetch(&app, "/api/admin/vacancies/251334").await;

    // Assert
    assert_eq!(status, 200, "{list}");
    let counts = &list[0]["counts"];
    assert_eq!(counts["applications"], 3, "{counts}");
    assert_eq!(counts["withdrawn"], 0, "{counts}");
    assert_eq!(counts["documents_accepted"], 1, "{counts}");
    assert_eq!(counts["attempts_rejected"], 3, "{counts}");
    assert_eq!(
        counts["rejected_by_rule"],
        json!([{"rule": "filename", "attempts": 2}, {"rule": "pages", "attempts": 1}])
    );
    assert_eq!(one_status, 200);
    assert_eq!(one["reference"], "251334");
    assert_eq!(one["counts"], *counts);
    assert_eq!(one["rules"]["documents"][0]["max_pages"], 2);
}

#[tokio::test]
async fn an_unknown_vacancy_is_not_found() {
    let app = spawn_app().await;
    let admin = app.admin().await;

    let (status, _) = admin.fetch(&app, "/api/admin/vacancies/999999").await;
    let (panel_status, _) = admin.fetch(&app, "/api/admin/vacancies/999999/panel").await;

    assert_eq!((status, panel_status), (404, 404));
}

#[tokio::test]
async fn the_panel_reads_back_as_it_was_set_with_the_chair() {
    let app = app_with_vacancy("251334").await;
    let admin = app.admin().await;
    let chair = app
        .staff("chair@example.org", api::domain::Role::Assessor)
        .await;
    let member = app
        .staff("member@example.org", api::domain::Role::Assessor)
        .await;
    let (status, empty) = admin.fetch(&app, "/api/admin/vacancies/251334/panel").await;
    assert_eq!((status, empty), (200, json!([])));

    let members = json!([
        {"account_id": member.account_id, "chair": false},
        {"account_id": chair.account_id, "chair": true}
    ]);
    assert_eq!(app.seat_panel(&admin, "251334", members).await, 204);
    let (status, panel) = admin.fetch(&app, "/api/admin/vacancies/251334/panel").await;

    assert_eq!(status, 200);
    let seats: Vec<(&str, bool)> = panel
        .as_array()
        .unwrap()
        .iter()
        .map(|s| (s["email"].as_str().unwrap(), s["chair"].as_bool().unwrap()))
        .collect();
    assert_eq!(
        seats,
        [("chair@example.org", true), ("member@example.org", false)]
    );
    assert_eq!(panel[0]["account_id"], json!(chair.account_id));
}

/// The vacancies anyone can see.
async fn public_vacancies(app: &TestApp) -> serde_json::Value {
    let response = reqwest::get(app.url("/api/vacancies")).await.unwrap();
    response.json().await.unwrap()
}

const PASTED: &str = "\
Policy Officer (Partnerships) — 251760

NATO
Brussels
Apply
Save job
Share
1 dag geleden

Application Deadline 02-Mar-2026, 10:59:00 PM

Key challenges facing the successful candidate will include:

• Deepening partnerships with the Indo-Pacific;
• Working with the European Union.

Please attach a cover letter (max. 1 page) besides the key-challenges essay.

Candidates are asked to attach one MS Word document summarising their views on these key challenges. It should not exceed two A4 pages.

The title of the attachment must include the vacancy reference and the words “Key challenges”.

NATO welcomes applications of nationals from all member Nations.

Other Job Recommendations:

Operations Supervisor
Air Products
2 weken geleden
";

#[tokio::test]
async fn an_imported_notice_proposes_every_document_and_leaves_out_the_job_board() {
    let app = spawn_app().await;
    let admin = app.admin().await;

    let (status, body) = admin
        .send(&app, "/api/admin/notices/import", json!({"text": PASTED}))
        .await;

    assert_eq!(status, 200, "{body}");
    assert_eq!(body["draft"]["reference"], "251760");
    assert_eq!(
        body["draft"]["evidence"]["reference"],
        "Policy Officer (Partnerships) — 251760"
    );
    let documents = body["proposed_rules"]["documents"].as_array().unwrap();
    let summary: Vec<(&str, u64)> = documents
        .iter()
        .map(|d| {
            (
                d["kind"].as_str().unwrap(),
                d["max_pages"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(summary, [("cover-letter", 1), ("key-challenges", 2)]);
    assert_eq!(documents[1]["filename_phrase"], "Key challenges");
    assert_eq!(
        body["draft"]["documents"][0]["evidence"]["max_pages"],
        "Please attach a cover letter (max. 1 page) besides the key-challenges essay."
    );
    assert_eq!(
        body["proposed_rules"]["eligibility"],
        json!(["member-state-national"])
    );
    let text = body["notice_text"].as_str().unwrap();
    assert!(
        text.starts_with("Policy Officer (Partnerships) — 251760"),
        "{text}"
    );
    assert!(text.contains("NATO welcomes applications"), "{text}");
    for furniture in [
        "Save job",
        "Share",
        "dag geleden",
        "Other Job Recommendations",
        "Air Products",
    ] {
        assert!(!text.contains(furniture), "{furniture:?} left in: {text}");
    }
}

#[tokio::test]
async fn a_proposed_draft_saves_as_a_vacancy_and_publishing_shows_it_to_candidates() {
    // Arrange: what the import page sends after the admin completes the French title.
    let app = spawn_app().await;
    let admin = app.admin().await;
    let (_, imported) = admin
        .send(&app, "/api/admin/notices/import", json!({"text": PASTED}))
        .await;
    let mut rules = imported["proposed_rules"].clone();
    rules["deadline"] = json!(Utc::now() + Duration::days(10));
    let mut input = json!({
        "reference": imported["draft"]["reference"], "title_en": imported["draft"]["title"],
        "title_fr": "Administrateur (partenariats)", "notice_text": imported["notice_text"],
        "key_challenges": imported["draft"]["key_challenges"], "posts": imported["draft"]["posts"],
        "status": "draft", "opens_at": null, "rules": rules,
    });

    // Act: saved as a draft, then published.
    let (created, saved) = admin
        .send(&app, "/api/admin/vacancies", input.clone())
        .await;
    let before = public_vacancies(&app).await;
    input["status"] = json!("open");
    let (published, _) = admin.put(&app, "/api/admin/vacancies/251760", input).await;
    let after = public_vacancies(&app).await;

    // Assert
    assert_eq!(created, 201, "{saved}");
    assert_eq!(saved["self_test"]["passed"], true, "{saved}");
    assert_eq!(published, 200);
    assert!(
        before.as_array().unwrap().is_empty(),
        "a draft is not public: {before}"
    );
    assert_eq!(after[0]["reference"], "251760");
    assert_eq!(after[0]["documents"].as_array().unwrap().len(), 2);
    let events = admin.audit_events(&app).await;
    assert!(events.contains(&"vacancy.created".to_owned()), "{events:?}");
    assert!(events.contains(&"vacancy.updated".to_owned()), "{events:?}");
}

#[tokio::test]
async fn publishing_a_past_deadline_needs_the_admins_word_and_a_taken_reference_names_its_vacancy()
{
    // Arrange: the imported notice, its deadline a day gone.
    let app = spawn_app().await;
    let admin = app.admin().await;
    let (_, imported) = admin
        .send(&app, "/api/admin/notices/import", json!({"text": PASTED}))
        .await;
    let mut rules = imported["proposed_rules"].clone();
    let past = Utc::now() - Duration::days(1);
    rules["deadline"] = json!(past);
    let mut input = json!({
        "reference": "251760", "title_en": "Policy Officer", "title_fr": "Administrateur",
        "status": "open", "opens_at": null, "rules": rules,
    });

    // Act and assert, case by case.
    let (status, refused) = admin
        .send(&app, "/api/admin/vacancies", input.clone())
        .await;
    assert_eq!(status, 409, "{refused}");
    assert_eq!(refused["type"], "/problems/deadline-in-past");
    assert!(refused["deadline"].is_string(), "{refused}");
    assert!(public_vacancies(&app).await.as_array().unwrap().is_empty());

    // A draft may keep a past deadline; publishing it later asks again.
    input["status"] = json!("draft");
    let (status, body) = admin
        .send(&app, "/api/admin/vacancies", input.clone())
        .await;
    assert_eq!(status, 201, "{body}");
    input["status"] = json!("open");
    let (status, body) = admin
        .put(&app, "/api/admin/vacancies/251760", input.clone())
        .await;
    assert_eq!(status, 409, "{body}");
    assert_eq!(body["type"], "/problems/deadline-in-past");

    // With the admin's word it is published; saving it again asks nothing more.
    input["publish_past_deadline"] = json!(true);
    let (status, body) = admin
        .put(&app, "/api/admin/vacancies/251760", input.clone())
        .await;
    assert_eq!(status, 200, "{body}");
    input["publish_past_deadline"] = json!(false);
    let (status, body) = admin
        .put(&app, "/api/admin/vacancies/251760", input.clone())
        .await;
    assert_eq!(status, 200, "{body}");

    // The same reference again: a problem that names the vacancy holding it.
    let (status, body) = admin.send(&app, "/api/admin/vacancies", input).await;
    assert_eq!(status, 409, "{body}");
    assert_eq!(body["type"], "/problems/vacancy-exists");
    assert_eq!(body["reference"], "251760");
}
