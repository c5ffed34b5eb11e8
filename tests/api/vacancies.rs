//! Admins' vacancies: the self-test on save, notices imported as drafts.
use chrono::{Duration, Utc};
use serde_json::json;

use crate::helpers::*;

#[tokio::test]
async fn saving_a_vacancy_runs_the_self_test_and_warns_when_rules_do_not_bite() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let vacancy = |max_bytes: u64| {
        json!({
            "reference": "260001", "title_en": "Analyst", "title_fr": "Analyste", "status": "open", "opens_at": null,
            "rules": {"reference": "260001", "deadline": Utc::now() + Duration::days(5), "documents": [{
                "kind": "key-challenges", "title_en": "Key challenges essay", "title_fr": "Défis",
                "formats": ["docx"], "max_pages": 1, "paper": "A4", "filename_phrase": "Key challenges",
                "filename_must_include_reference": true, "max_bytes": max_bytes
            }]}
        })
    };

    let (created, saved) = admin
        .send(&app, "/api/admin/vacancies", vacancy(2_000_000))
        .await;
    let (edited_status, edited) = admin
        .put(&app, "/api/admin/vacancies/260001", vacancy(100))
        .await;

    assert_eq!(created, 201);
    assert_eq!(saved["self_test"]["passed"], true, "{saved}");
    assert_eq!(edited_status, 200);
    assert_eq!(
        edited["self_test"]["passed"], false,
        "a 100-byte limit refuses any real essay: {edited}"
    );
}

#[tokio::test]
async fn an_admin_imports_a_notice_as_a_draft_with_evidence() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let text = std::fs::read_to_string(format!(
        "{}/policy/notices/250875.txt",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap();

    let import = json!({"text": text});
    let (status, body) = admin.send(&app, "/api/admin/notices/import", import).await;

    assert_eq!(status, 200);
    assert_eq!(body["draft"]["reference"], "250875");
    assert_eq!(body["draft"]["max_pages"], 1);
    let evidence = body["draft"]["evidence"]["max_pages"].as_str().unwrap();
    assert!(evidence.contains("1 A4 page"), "{evidence}");
}
