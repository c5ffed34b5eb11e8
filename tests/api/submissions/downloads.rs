//! The candidate's own files and signed receipts, and nobody else's.
use super::*;

#[tokio::test]
async fn a_candidate_reaches_their_own_files_and_nobody_elses() {
    let app = app_with_vacancy(REFERENCE).await;
    let (ana, application) = app.applicant("ana@example.org", REFERENCE).await;
    let bo = app.candidate("bo@example.org").await;
    let assessor = app
        .staff("assessor@example.org", api::domain::Role::Assessor)
        .await;
    let admin = app.admin().await;
    let bytes = pdf(&[A4]);
    let name = "251334 Key challenges.pdf";
    let version = ana.upload_accepted(&app, &application, name, bytes.clone());
    let version = version.await;

    let own = ana
        .get(&app, &format!("/api/versions/{version}/file"))
        .await;
    assert_eq!(own.status(), 200);
    assert_eq!(own.bytes().await.unwrap().to_vec(), bytes);
    for path in [
        format!("/api/versions/{version}/file"),
        format!("/api/versions/{version}/receipt"),
        format!("/api/applications/{application}"),
    ] {
        let status = |response: reqwest::Response| response.status().as_u16();
        let anonymous = browser().get(app.url(&path)).send().await.unwrap();
        let statuses = [
            status(bo.get(&app, &path).await),
            status(assessor.get(&app, &path).await),
            status(admin.get(&app, &path).await),
            status(anonymous),
        ];
        // Another candidate, an assessor, an admin, nobody.
        assert_eq!(statuses, [404, 403, 403, 401], "{path}");
    }
}

#[tokio::test]
async fn the_receipt_is_signed_and_verifies_offline() {
    let app = app_with_vacancy(REFERENCE).await;
    let (ana, application) = app.applicant("ana@example.org", REFERENCE).await;
    let (_, accepted) = status_of(ana.send_pdf(&app, &application, 2).await).await;
    let version = accepted["version"]["id"].as_str().unwrap();

    let receipt = format!("/api/versions/{version}/receipt");
    let (_, receipt) = ana.fetch(&app, &receipt).await;
    let (_, key) = ana
        .fetch(&app, "/.well-known/essay-portal-receipt-key")
        .await;

    assert_eq!(receipt["receipt"]["vacancy_reference"], REFERENCE);
    assert_eq!(receipt["receipt"]["pages"], 2);
    assert_eq!(receipt["receipt"]["sha256"], accepted["version"]["sha256"]);
    let text = receipt.to_string();
    let published = key["public_key"].as_str().unwrap();
    assert!(api::service::receipts::verify_document(&text, published).is_ok());
    let forged = text.replace("\"pages\":2", "\"pages\":1");
    assert!(api::service::receipts::verify_document(&forged, published).is_err());
    let file = std::env::temp_dir().join(format!("receipt-{version}.json"));
    std::fs::write(&file, &text).unwrap();
    let status = std::process::Command::new(env!("CARGO_BIN_EXE_essay-portal"))
        .args([
            "verify-receipt",
            file.to_str().unwrap(),
            "--public-key",
            key["public_key"].as_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert!(
        status.status.success(),
        "{}",
        String::from_utf8_lossy(&status.stdout)
    );
    std::fs::remove_file(file).ok();
}

#[tokio::test]
async fn a_download_names_the_file_as_rfc_6266_says() {
    // Arrange: a file name with an en dash and an umlaut.
    let app = app_with_vacancy(REFERENCE).await;
    let (ana, application) = app.applicant("ana@example.org", REFERENCE).await;
    let name = "251334 Key challenges – Müller.pdf";
    let version = ana.upload_accepted(&app, &application, name, pdf(&[A4]));
    let version = version.await;

    // Act
    let response = ana
        .get(&app, &format!("/api/versions/{version}/file"))
        .await;

    // Assert: an ASCII stand-in, and the exact name percent-encoded as UTF-8.
    let disposition = response.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        disposition.contains(r#"filename="251334 Key challenges _ M_ller.pdf""#),
        "{disposition}"
    );
    assert!(
        disposition
            .contains("filename*=UTF-8''251334%20Key%20challenges%20%E2%80%93%20M%C3%BCller.pdf"),
        "{disposition}"
    );
}

#[tokio::test]
async fn a_path_sent_as_the_file_name_is_cut_to_the_name_everywhere() {
    // A path from an old Windows browser (a person's name in it) and one an API client made up
    // (second adversarial review, finding 12): only the last component is kept.
    let app = app_with_vacancy(REFERENCE).await;
    let (ana, application) = app.applicant("ana@example.org", REFERENCE).await;
    for sent in [
        r"C:\Users\jane.doe\Documents\251334 Key challenges.pdf",
        "../../../etc/251334 Key challenges.pdf",
    ] {
        let version = ana.upload_accepted(&app, &application, sent, pdf(&[A4]));
        let version = version.await;

        let file = ana
            .get(&app, &format!("/api/versions/{version}/file"))
            .await;
        let disposition = file.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .to_owned();
        let (_, receipt) = ana
            .fetch(&app, &format!("/api/versions/{version}/receipt"))
            .await;
        let (_, shown) = ana
            .fetch(&app, &format!("/api/applications/{application}"))
            .await;

        for (what, text) in [
            ("download header", disposition),
            ("receipt", receipt.to_string()),
            ("application", shown.to_string()),
        ] {
            assert!(
                !text.contains("jane.doe") && !text.contains("etc") && !text.contains(".."),
                "{sent}: {what}: {text}"
            );
            assert!(text.contains("Key challenges"), "{sent}: {what}: {text}");
        }
        // The same bytes under the same (cut) name a second time are "unchanged": clear the
        // way for the next row with another file.
        let _ = ana.send_pdf(&app, &application, 2).await;
    }
}
