//! What the candidate's pages read: their own deadline (with an extension), whether a vacancy
//! still takes applications, an incomplete or withdrawn application, and the checklist's values.
use chrono::{Duration, Utc};
use serde_json::json;

use super::*;

/// Grants `candidate` an extension of `reference` until `until`, as an admin.
async fn extend(app: &TestApp, candidate: &User, until: chrono::DateTime<Utc>) {
    let admin = app.admin().await;
    let path = format!("/api/admin/vacancies/{REFERENCE}/extensions");
    let body =
        json!({"account_id": candidate.account_id, "deadline": until, "reason": "hospital stay"});
    assert_eq!(admin.send(app, &path, body).await.0, 204);
}

#[tokio::test]
async fn a_candidate_with_an_extension_sees_their_own_deadline_and_the_vacancy_open_for_them() {
    // Arrange: the vacancy's deadline has passed; Ana has an extension, Bo has none.
    let app = app_with_vacancy(REFERENCE).await;
    let (ana, application) = app.applicant("ana@example.org", REFERENCE).await;
    let bo = app.candidate("bo@example.org").await;
    let until = Utc::now() + Duration::days(2);
    extend(&app, &ana, until).await;
    app.set_deadline(REFERENCE, Utc::now() - Duration::minutes(1))
        .await;
    let page = format!("/api/vacancies/{REFERENCE}");

    // Act
    let (_, for_ana) = ana.fetch(&app, &page).await;
    let (_, for_bo) = bo.fetch(&app, &page).await;
    let anonymous = app.get_json(&page).await;
    let (_, list) = ana.fetch(&app, "/api/vacancies").await;
    let own = view(&app, &ana, &application).await;

    // Assert
    assert_eq!(for_ana["accepting"], false, "{for_ana}");
    assert_eq!(for_ana["you"]["open"], true, "{for_ana}");
    assert_eq!(for_ana["you"]["extended"], true);
    let deadline: chrono::DateTime<Utc> =
        serde_json::from_value(for_ana["you"]["deadline"].clone()).unwrap();
    assert_eq!(deadline.timestamp(), until.timestamp());
    assert!(for_ana["you"]["deadline_display"]["fr"].is_string());
    assert_eq!(
        (
            for_bo["you"]["open"].clone(),
            for_bo["you"]["extended"].clone()
        ),
        (json!(false), json!(false))
    );
    assert!(anonymous["you"].is_null(), "{anonymous}");
    assert_eq!(anonymous["accepting"], false);
    assert_eq!(list[0]["you"]["open"], true, "{list}");
    assert_eq!(own["extended"], true);
    assert_eq!(own["read_only"], false);
}

#[tokio::test]
async fn an_application_without_an_accepted_document_is_incomplete_until_one_is_accepted() {
    // Arrange
    let app = app_with_vacancy(REFERENCE).await;
    let (ana, application) = app.applicant("ana@example.org", REFERENCE).await;
    let before = view(&app, &ana, &application).await;
    let rejected = ana.send_pdf(&app, &application, 3).await;
    let after_rejection = view(&app, &ana, &application).await;

    // Act
    let accepted = ana.send_pdf(&app, &application, 2).await;
    let after = view(&app, &ana, &application).await;

    // Assert
    assert_eq!(rejected.status(), 422);
    assert_eq!(accepted.status(), 201);
    assert_eq!(
        (before["incomplete"].clone(), before["missing"].clone()),
        (json!(true), json!(["key-challenges"]))
    );
    assert_eq!(after_rejection["incomplete"], true);
    assert_eq!(
        (after["incomplete"].clone(), after["missing"].clone()),
        (json!(false), json!([]))
    );
}

#[tokio::test]
async fn a_withdrawn_application_says_when_and_is_not_incomplete() {
    // Arrange
    let app = app_with_vacancy(REFERENCE).await;
    let (ana, application) = app.applicant("ana@example.org", REFERENCE).await;

    // Act
    let (status, _) = ana.send(&app, &withdraw(&application), json!({})).await;
    let withdrawn = view(&app, &ana, &application).await;

    // Assert
    assert_eq!(status, 200);
    assert_eq!(withdrawn["status"], "withdrawn");
    assert!(withdrawn["withdrawn_at"].is_string(), "{withdrawn}");
    assert_eq!(withdrawn["incomplete"], false);
    assert_eq!(withdrawn["read_only"], true);
}

#[tokio::test]
async fn the_checklist_carries_values_a_page_can_write_in_its_own_language() {
    // Arrange
    let app = app_with_vacancy(REFERENCE).await;
    let (ana, application) = app.applicant("ana@example.org", REFERENCE).await;

    // Act: three pages where two are allowed.
    let (status, body) = status_of(ana.send_pdf(&app, &application, 3).await).await;

    // Assert
    assert_eq!(status, 422);
    assert_eq!(
        rule(&body, "pages")["expected_value"],
        json!({"kind": "pages", "pages": 2, "at_most": true})
    );
    assert_eq!(
        rule(&body, "pages")["found_value"],
        json!({"kind": "pages", "pages": 3, "at_most": false})
    );
    assert_eq!(rule(&body, "size")["expected_value"]["kind"], "bytes");
    assert_eq!(rule(&body, "deadline")["found_value"]["kind"], "began");
}

#[tokio::test]
async fn a_refused_attempt_is_listed_under_its_document_with_its_name_and_checklist() {
    // Arrange: a three-page PDF refused, then a two-page one accepted.
    let app = app_with_vacancy(REFERENCE).await;
    let (ana, application) = app.applicant("ana@example.org", REFERENCE).await;
    assert_eq!(ana.send_pdf(&app, &application, 3).await.status(), 422);
    assert_eq!(ana.send_pdf(&app, &application, 2).await.status(), 201);

    // Act
    let (_, applications) = ana.fetch(&app, "/api/applications").await;

    // Assert: the refusal stays with the checklist that says why, newest first.
    let document = &applications[0]["documents"][0];
    let refused = document["refused"].as_array().unwrap();
    assert_eq!(refused.len(), 1, "{document}");
    assert_eq!(refused[0]["original_filename"], "251334 Key challenges.pdf");
    assert_eq!(refused[0]["verdict"]["verdict"], "reject");
    let pages = refused[0]["verdict"]["rules"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["rule"] == "pages")
        .unwrap();
    assert_eq!(pages["status"], "fail", "{pages}");
    assert!(refused[0]["size_bytes"].as_i64().unwrap() > 0);
    assert_eq!(document["versions"].as_array().unwrap().len(), 1);
}
