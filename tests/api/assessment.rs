//! Panels, anonymous reading, conflicts, score hiding, aggregates, decisions, exports, reveals.
use std::io::Read;

use chrono::{Duration, Utc};
use serde_json::json;

use crate::helpers::{fixture, pdf, spawn_app, TestApp, User, A4};

const REFERENCE: &str = "251334";

struct Panel {
    admin: User,
    chair: User,
    member: User,
    outsider: User,
    applications: Vec<String>,
    versions: Vec<String>,
}

/// A vacancy with two essays (one DOCX, one PDF), a panel of two (chair + member), and an
/// assessor who sits on no panel. The deadline is still open.
async fn panel(app: &TestApp) -> Panel {
    app.open_vacancy(REFERENCE, Utc::now() + Duration::days(3))
        .await;
    let admin = app
        .staff("admin@example.org", api::domain::Role::Admin)
        .await;
    let chair = app
        .staff("chair@example.org", api::domain::Role::Assessor)
        .await;
    let member = app
        .staff("member@example.org", api::domain::Role::Assessor)
        .await;
    let outsider = app
        .staff("outsider@example.org", api::domain::Role::Assessor)
        .await;
    let mut applications = Vec::new();
    let mut versions = Vec::new();
    for (email, name, bytes) in [
        (
            "ana@example.org",
            "251334 Key challenges.docx",
            fixture("two-pages-a4.docx"),
        ),
        ("bo@example.org", "251334 Key challenges.pdf", pdf(&[A4])),
    ] {
        let candidate = app.candidate(email).await;
        let application = candidate.apply(app, REFERENCE).await;
        let accepted: serde_json::Value = candidate
            .upload(app, &application, name, bytes, None)
            .await
            .json()
            .await
            .unwrap();
        versions.push(accepted["version"]["id"].as_str().unwrap().to_owned());
        applications.push(application);
    }
    let response = admin
        .client
        .put(app.url(&format!("/api/admin/vacancies/{REFERENCE}/panel")))
        .header("x-csrf-token", &admin.csrf)
        .json(&json!({"members": [{"account_id": chair.account_id, "chair": true}, {"account_id": member.account_id}]}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 204);
    Panel {
        admin,
        chair,
        member,
        outsider,
        applications,
        versions,
    }
}

async fn json_of(response: reqwest::Response) -> (u16, serde_json::Value) {
    let status = response.status().as_u16();
    (
        status,
        response.json().await.unwrap_or(serde_json::Value::Null),
    )
}

fn marks(value: u8) -> serde_json::Value {
    // The test vacancy has one key challenge, so the default rubric is challenge-1 + writing.
    json!({"marks": {"challenge-1": value, "writing": value}, "comment": "clear"})
}

#[tokio::test]
async fn assessors_see_only_their_panels_and_only_after_the_deadline() {
    let app = spawn_app().await;
    let panel = panel(&app).await;
    let essays_path = format!("/api/assessor/vacancies/{REFERENCE}/essays");

    let (before, _) = json_of(panel.member.get(&app, &essays_path).await).await;
    app.set_deadline(REFERENCE, Utc::now() - Duration::minutes(5))
        .await;
    let (after, essays) = json_of(panel.member.get(&app, &essays_path).await).await;
    let (outsider, _) = json_of(panel.outsider.get(&app, &essays_path).await).await;
    let (outsider_read, _) = json_of(
        panel
            .outsider
            .get(&app, &format!("/api/assessor/essays/{}", panel.versions[0]))
            .await,
    )
    .await;
    let (_, outsider_list) =
        json_of(panel.outsider.get(&app, "/api/assessor/vacancies").await).await;

    assert_eq!(before, 403, "before the deadline");
    assert_eq!(after, 200);
    assert_eq!(essays.as_array().unwrap().len(), 2);
    let text = essays.to_string();
    assert!(
        !text.contains("ana@example.org") && !text.contains("Ana Silva"),
        "anonymous: {text}"
    );
    assert!(essays[0]["candidate_code"]
        .as_str()
        .unwrap()
        .starts_with("C-"));
    assert_eq!(
        outsider, 404,
        "another panel's vacancy does not exist for them"
    );
    assert_eq!(outsider_read, 404);
    assert_eq!(outsider_list, json!([]));
}

#[tokio::test]
async fn a_docx_essay_is_read_as_sanitised_html_and_downloaded_under_its_code() {
    let app = spawn_app().await;
    let panel = panel(&app).await;
    app.set_deadline(REFERENCE, Utc::now() - Duration::minutes(5))
        .await;

    let (status, reading) = json_of(
        panel
            .member
            .get(&app, &format!("/api/assessor/essays/{}", panel.versions[0]))
            .await,
    )
    .await;
    let download = panel
        .member
        .get(
            &app,
            &format!("/api/assessor/essays/{}/file", panel.versions[0]),
        )
        .await;

    assert_eq!(status, 200);
    let html = reading["html"].as_str().unwrap();
    assert!(html.contains("Key challenges"), "{html}");
    assert!(!html.contains("<script"));
    assert_eq!(reading["facts"]["pages"], 2);
    assert!(reading["rubric"].as_array().unwrap().len() >= 2);
    let disposition = download.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        disposition.contains(reading["candidate_code"].as_str().unwrap()),
        "{disposition}"
    );
    assert!(
        !disposition.contains("251334 Key challenges"),
        "{disposition}"
    );
    let audit: serde_json::Value = panel
        .admin
        .get(&app, "/api/admin/audit")
        .await
        .json()
        .await
        .unwrap();
    let events: Vec<&str> = audit
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["event"].as_str().unwrap())
        .collect();
    assert!(
        events.contains(&"essay.viewed") && events.contains(&"essay.downloaded"),
        "{events:?}"
    );
}

#[tokio::test]
async fn a_declared_conflict_removes_the_essay_from_that_assessor() {
    let app = spawn_app().await;
    let panel = panel(&app).await;
    app.set_deadline(REFERENCE, Utc::now() - Duration::minutes(5))
        .await;

    let declared = panel
        .member
        .post_json(
            &app,
            &format!(
                "/api/assessor/applications/{}/conflict",
                panel.applications[0]
            ),
            json!({"reason": "former colleague"}),
        )
        .await;
    let (_, essays) = json_of(
        panel
            .member
            .get(&app, &format!("/api/assessor/vacancies/{REFERENCE}/essays"))
            .await,
    )
    .await;
    let (read, _) = json_of(
        panel
            .member
            .get(&app, &format!("/api/assessor/essays/{}", panel.versions[0]))
            .await,
    )
    .await;
    let (score, _) = json_of(
        panel
            .member
            .post_json(
                &app,
                &format!("/api/assessor/applications/{}/score", panel.applications[0]),
                marks(3),
            )
            .await,
    )
    .await;

    assert_eq!(declared.status(), 204);
    assert_eq!(essays.as_array().unwrap().len(), 1);
    assert_eq!(read, 403);
    assert_eq!(score, 403);
    let audit: serde_json::Value = panel
        .admin
        .get(&app, "/api/admin/audit")
        .await
        .json()
        .await
        .unwrap();
    assert!(audit
        .as_array()
        .unwrap()
        .iter()
        .any(|e| e["event"] == "conflict.declared"));
}

#[tokio::test]
async fn others_scores_stay_hidden_until_your_own_is_in_and_the_chair_sees_aggregates() {
    let app = spawn_app().await;
    let panel = panel(&app).await;
    app.set_deadline(REFERENCE, Utc::now() - Duration::minutes(5))
        .await;
    let essay = &panel.applications[0];
    let scores_path = format!("/api/assessor/applications/{essay}/scores");

    let (chair_score, _) = json_of(
        panel
            .chair
            .post_json(
                &app,
                &format!("/api/assessor/applications/{essay}/score"),
                marks(5),
            )
            .await,
    )
    .await;
    let (hidden, _) = json_of(panel.member.get(&app, &scores_path).await).await;
    let (member_score, _) = json_of(
        panel
            .member
            .post_json(
                &app,
                &format!("/api/assessor/applications/{essay}/score"),
                marks(2),
            )
            .await,
    )
    .await;
    let (shown, scores) = json_of(panel.member.get(&app, &scores_path).await).await;
    let (member_results, _) = json_of(
        panel
            .member
            .get(
                &app,
                &format!("/api/assessor/vacancies/{REFERENCE}/results"),
            )
            .await,
    )
    .await;
    let (_, results) = json_of(
        panel
            .chair
            .get(
                &app,
                &format!("/api/assessor/vacancies/{REFERENCE}/results"),
            )
            .await,
    )
    .await;
    let (invalid, _) = json_of(
        panel
            .chair
            .post_json(
                &app,
                &format!("/api/assessor/applications/{essay}/score"),
                json!({"marks": {"writing": 9}}),
            )
            .await,
    )
    .await;

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

    let decided = panel
        .chair
        .post_json(
            &app,
            &format!("/api/assessor/vacancies/{REFERENCE}/decisions"),
            json!({"application_id": essay, "decision": "longlisted"}),
        )
        .await;
    assert_eq!(decided.status(), 204);
    let (_, results) = json_of(
        panel
            .chair
            .get(
                &app,
                &format!("/api/assessor/vacancies/{REFERENCE}/results"),
            )
            .await,
    )
    .await;
    assert!(results.to_string().contains("longlisted"));
}

#[tokio::test]
async fn exports_read_back_as_csv_xlsx_and_zip_with_anonymous_names() {
    let app = spawn_app().await;
    let panel = panel(&app).await;
    app.set_deadline(REFERENCE, Utc::now() - Duration::minutes(5))
        .await;
    panel
        .chair
        .post_json(
            &app,
            &format!("/api/assessor/applications/{}/score", panel.applications[1]),
            marks(4),
        )
        .await;

    let csv = panel
        .admin
        .get(
            &app,
            &format!("/api/admin/vacancies/{REFERENCE}/results.csv"),
        )
        .await
        .text()
        .await
        .unwrap();
    let xlsx = panel
        .admin
        .get(
            &app,
            &format!("/api/admin/vacancies/{REFERENCE}/results.xlsx"),
        )
        .await
        .bytes()
        .await
        .unwrap();
    let zip_bytes = panel
        .admin
        .get(
            &app,
            &format!("/api/admin/vacancies/{REFERENCE}/essays.zip"),
        )
        .await
        .bytes()
        .await
        .unwrap();

    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 2);
    assert!(rows.iter().any(|r| &r[2] == "4.00"), "{csv}");
    use calamine::Reader as _;
    let mut workbook: calamine::Xlsx<_> =
        calamine::open_workbook_from_rs(std::io::Cursor::new(xlsx.to_vec())).unwrap();
    let sheet = workbook.worksheet_range_at(0).unwrap().unwrap();
    assert_eq!(sheet.height(), 3, "header and two essays");
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(zip_bytes.to_vec())).unwrap();
    assert_eq!(archive.len(), 2);
    let mut names = Vec::new();
    for i in 0..archive.len() {
        let mut file = archive.by_index(i).unwrap();
        let mut bytes = Vec::new();
        file.read_to_end(&mut bytes).unwrap();
        assert!(!bytes.is_empty());
        names.push(file.name().unwrap().to_string());
    }
    assert!(names.iter().all(|n| n.starts_with("C-")), "{names:?}");
    assert!(!csv.contains("ana@example.org"));
}

#[tokio::test]
async fn only_admins_reveal_identities_and_every_reveal_is_audited() {
    let app = spawn_app().await;
    let panel = panel(&app).await;
    app.set_deadline(REFERENCE, Utc::now() - Duration::minutes(5))
        .await;
    let (_, essays) = json_of(
        panel
            .chair
            .get(&app, &format!("/api/assessor/vacancies/{REFERENCE}/essays"))
            .await,
    )
    .await;
    let code = essays[0]["candidate_code"].as_str().unwrap();

    let (status, identity) = json_of(
        panel
            .admin
            .post_json(
                &app,
                &format!("/api/admin/vacancies/{REFERENCE}/reveal/{code}"),
                json!({}),
            )
            .await,
    )
    .await;
    let (chair_status, _) = json_of(
        panel
            .chair
            .post_json(
                &app,
                &format!("/api/admin/vacancies/{REFERENCE}/reveal/{code}"),
                json!({}),
            )
            .await,
    )
    .await;

    assert_eq!(status, 200);
    assert!(identity["email"]
        .as_str()
        .unwrap()
        .ends_with("@example.org"));
    assert_eq!(chair_status, 403);
    let audit: serde_json::Value = panel
        .admin
        .get(&app, "/api/admin/audit")
        .await
        .json()
        .await
        .unwrap();
    assert!(audit
        .as_array()
        .unwrap()
        .iter()
        .any(|e| e["event"] == "identity.revealed" && e["detail"]["candidate_code"] == code));
}

#[tokio::test]
async fn saving_a_vacancy_runs_the_self_test_and_warns_when_rules_do_not_bite() {
    let app = spawn_app().await;
    let admin = app
        .staff("admin@example.org", api::domain::Role::Admin)
        .await;
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

    let (created, saved) = json_of(
        admin
            .post_json(&app, "/api/admin/vacancies", vacancy(2_000_000))
            .await,
    )
    .await;
    let edited = admin
        .client
        .put(app.url("/api/admin/vacancies/260001"))
        .header("x-csrf-token", &admin.csrf)
        .json(&vacancy(100))
        .send()
        .await
        .unwrap();
    let (edited_status, edited) = json_of(edited).await;

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
    let admin = app
        .staff("admin@example.org", api::domain::Role::Admin)
        .await;
    let text = std::fs::read_to_string(format!(
        "{}/policy/notices/250875.txt",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap();

    let (status, body) = json_of(
        admin
            .post_json(&app, "/api/admin/notices/import", json!({"text": text}))
            .await,
    )
    .await;

    assert_eq!(status, 200);
    assert_eq!(body["draft"]["reference"], "250875");
    assert_eq!(body["draft"]["max_pages"], 1);
    assert!(body["draft"]["evidence"]["max_pages"]
        .as_str()
        .unwrap()
        .contains("1 A4 page"));
}

#[tokio::test]
async fn an_image_referenced_hundreds_of_times_is_served_once_by_url_and_the_reading_stays_small() {
    // Arrange: a one-page essay holding one picture, drawn 500 times.
    let app = spawn_app().await;
    let panel = panel(&app).await;
    let drawing = r#"<w:r><w:drawing><wp:inline><wp:extent cx="9525" cy="9525"/><a:graphic><a:graphicData><pic:pic><pic:blipFill><a:blip r:embed="rIdImg"/></pic:blipFill></pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing></w:r>"#;
    let body = format!(
        r#"<w:p><w:r><w:t>Key challenges</w:t></w:r></w:p><w:p>{}</w:p>"#,
        drawing.repeat(500)
    );
    let rels = r#"<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rIdImg" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/image" Target="media/image1.png"/></Relationships>"#;
    let picture: Vec<u8> = (0..256 * 1024u32).map(|n| (n * 7919 % 251) as u8).collect();
    let essay = crate::helpers::docx_with_body(
        &body,
        &[
            ("word/_rels/document.xml.rels", rels.as_bytes().to_vec()),
            ("word/media/image1.png", picture.clone()),
        ],
    );
    let cy = app.candidate("cy@example.org").await;
    let application = cy.apply(&app, REFERENCE).await;
    let accepted: serde_json::Value = cy
        .upload(
            &app,
            &application,
            "251334 Key challenges.docx",
            essay,
            None,
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(accepted["accepted"], true, "{accepted}");
    let version = accepted["version"]["id"].as_str().unwrap().to_owned();
    app.set_deadline(REFERENCE, Utc::now() - Duration::minutes(5))
        .await;

    // Act
    let reading = panel
        .member
        .get(&app, &format!("/api/assessor/essays/{version}"))
        .await
        .bytes()
        .await
        .unwrap();
    let reading: serde_json::Value =
        serde_json::from_slice(&reading).unwrap_or_else(|e| panic!("{e}: {} bytes", reading.len()));
    let urls: Vec<String> = reading["image_urls"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u.as_str().unwrap().to_owned())
        .collect();
    let image = panel.member.get(&app, &urls[0]).await;
    let image_type = image.headers()["content-type"].to_str().unwrap().to_owned();
    let image_bytes = image.bytes().await.unwrap();
    let beyond = panel
        .member
        .get(&app, &format!("/api/assessor/essays/{version}/images/1"))
        .await
        .status();
    let outsider = panel.outsider.get(&app, &urls[0]).await.status();

    // Assert: one URL, a capped number of tags, no image bytes inside the answer.
    let html = reading["html"].as_str().unwrap();
    assert_eq!(urls.len(), 1);
    assert_eq!(html.matches("<img ").count(), 200);
    assert!(!html.contains("base64"));
    assert!(html.len() < 256 * 1024, "{} bytes of HTML", html.len());
    assert_eq!(image_type, "image/png");
    assert_eq!(image_bytes.as_ref(), picture.as_slice());
    assert_eq!(beyond, 404);
    assert!(outsider == 403 || outsider == 404, "{outsider}");
}

async fn upload_pdf(app: &TestApp, who: &User, application: &str, pages: usize) -> String {
    let body: serde_json::Value = who
        .upload(
            app,
            application,
            "251334 Key challenges.pdf",
            pdf(&vec![A4; pages]),
            None,
        )
        .await
        .json()
        .await
        .unwrap();
    body["version"]["id"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn assessors_read_only_current_essays_of_candidates_whose_own_deadline_has_passed() {
    // Arrange: Eve replaces her essay, Cy withdraws, Dee has an extension still running.
    let app = spawn_app().await;
    let panel = panel(&app).await;
    let eve = app.candidate("eve@example.org").await;
    let eve_application = eve.apply(&app, REFERENCE).await;
    let eve_first = upload_pdf(&app, &eve, &eve_application, 1).await;
    let eve_second = upload_pdf(&app, &eve, &eve_application, 2).await;
    let cy = app.candidate("cy@example.org").await;
    let cy_application = cy.apply(&app, REFERENCE).await;
    let cy_version = upload_pdf(&app, &cy, &cy_application, 1).await;
    let withdrawn = cy
        .post_json(
            &app,
            &format!("/api/applications/{cy_application}/withdraw"),
            json!({}),
        )
        .await;
    assert_eq!(withdrawn.status(), 200);
    let dee = app.candidate("dee@example.org").await;
    let dee_application = dee.apply(&app, REFERENCE).await;
    let dee_version = upload_pdf(&app, &dee, &dee_application, 1).await;
    let granted = panel
        .admin
        .post_json(&app, &format!("/api/admin/vacancies/{REFERENCE}/extensions"), json!({
            "account_id": dee.account_id, "deadline": Utc::now() + Duration::days(1), "reason": "illness"
        }))
        .await;
    assert_eq!(granted.status(), 204);
    app.set_deadline(REFERENCE, Utc::now() - Duration::minutes(5))
        .await;

    // Act
    let (_, essays) = json_of(
        panel
            .member
            .get(&app, &format!("/api/assessor/vacancies/{REFERENCE}/essays"))
            .await,
    )
    .await;
    let mut opened = Vec::new();
    for version in [&eve_first, &eve_second, &cy_version, &dee_version] {
        let response = panel
            .member
            .get(&app, &format!("/api/assessor/essays/{version}"))
            .await;
        opened.push(response.status().as_u16());
    }

    // Assert
    let listed: Vec<&str> = essays
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["version_id"].as_str().unwrap())
        .collect();
    assert!(listed.contains(&eve_second.as_str()), "{listed:?}");
    for hidden in [&eve_first, &cy_version, &dee_version] {
        assert!(!listed.contains(&hidden.as_str()), "{hidden} in {listed:?}");
    }
    assert_eq!(
        opened,
        vec![404, 200, 404, 404],
        "superseded, current, withdrawn, extension running"
    );
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
    let eve = app.candidate("eve@example.org").await;
    let eve_application = eve.apply(&app, REFERENCE).await;
    upload_pdf(&app, &eve, &eve_application, 1).await;
    let scored = panel
        .member
        .post_json(
            &app,
            &format!("/api/assessor/applications/{eve_application}/score"),
            marks(5),
        )
        .await;
    assert_eq!(scored.status(), 200);

    // Act: Eve replaces the essay after it was scored.
    let replacement = upload_pdf(&app, &eve, &eve_application, 2).await;
    let (_, essays) = json_of(
        panel
            .member
            .get(&app, &format!("/api/assessor/vacancies/{REFERENCE}/essays"))
            .await,
    )
    .await;
    let (scores_status, _) = json_of(
        panel
            .member
            .get(
                &app,
                &format!("/api/assessor/applications/{eve_application}/scores"),
            )
            .await,
    )
    .await;

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

#[tokio::test]
async fn the_panel_downloads_a_copy_without_the_authors_name_in_its_metadata() {
    // Arrange: Eve's PDF says who wrote it in its document information.
    let app = spawn_app().await;
    let panel = panel(&app).await;
    let eve = app.candidate("eve@example.org").await;
    let application = eve.apply(&app, REFERENCE).await;
    let mut signed = pdf(&[A4]);
    let marker = b"trailer\n<<";
    let at = signed
        .windows(marker.len())
        .position(|w| w == marker)
        .expect("a trailer")
        + marker.len();
    signed.splice(
        at..at,
        b" /Info << /Author (Eve Example) >>".iter().copied(),
    );
    let accepted: serde_json::Value = eve
        .upload(
            &app,
            &application,
            "251334 Key challenges.pdf",
            signed,
            None,
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(accepted["accepted"], true, "{accepted}");
    let version = accepted["version"]["id"].as_str().unwrap().to_owned();
    app.set_deadline(REFERENCE, Utc::now() - Duration::minutes(5))
        .await;

    // Act
    let download = panel
        .member
        .get(&app, &format!("/api/assessor/essays/{version}/file"))
        .await;
    let status = download.status();
    let bytes = download.bytes().await.unwrap();
    let original = eve
        .get(&app, &format!("/api/versions/{version}/file"))
        .await
        .bytes()
        .await
        .unwrap();

    // Assert: the panel's copy has no author; the candidate's own download is the original.
    assert_eq!(status, 200);
    assert!(bytes.starts_with(b"%PDF"));
    assert!(!String::from_utf8_lossy(&bytes).contains("Eve Example"));
    assert!(String::from_utf8_lossy(&original).contains("Eve Example"));
}
