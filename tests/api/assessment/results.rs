//! Results for admins: exports with anonymous names, audited reveals.
use std::io::Read;

use serde_json::json;

use super::*;

#[tokio::test]
async fn exports_read_back_as_csv_xlsx_and_zip_with_anonymous_names() {
    let (app, panel) = closed_panel().await;
    score(&app, &panel.chair, &panel.applications[1], marks(4)).await;

    let export = |name: &str| {
        let path = format!("/api/admin/vacancies/{REFERENCE}/{name}");
        let admin = &panel.admin;
        let app = &app;
        async move { admin.get(app, &path).await.bytes().await.unwrap().to_vec() }
    };
    let csv = String::from_utf8(export("results.csv").await).unwrap();
    let xlsx = export("results.xlsx").await;
    let zip_bytes = export("essays.zip").await;

    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 3, "the machine names and two essays: {csv}");
    assert_eq!(&rows[0][0], "candidate_code");
    assert!(rows.iter().any(|r| &r[2] == "4.00"), "{csv}");
    // In French when asked: labels in French, the machine names unchanged.
    let french = String::from_utf8(export("results.csv?lang=fr").await).unwrap();
    let mut lines = french.lines();
    assert!(
        lines
            .next()
            .unwrap()
            .starts_with("Code du candidat,Notes reçues,Note moyenne (1–5)"),
        "{french}"
    );
    assert!(
        french.contains("Évaluateur 1\u{202f}: moyenne pondérée"),
        "{french}"
    );
    assert!(lines
        .next()
        .unwrap()
        .starts_with("candidate_code,scores,mean"));
    use calamine::Reader as _;
    let mut workbook: calamine::Xlsx<_> =
        calamine::open_workbook_from_rs(std::io::Cursor::new(xlsx)).unwrap();
    let sheet = workbook.worksheet_range_at(0).unwrap().unwrap();
    assert_eq!(sheet.height(), 4, "two header rows and two essays");
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(zip_bytes)).unwrap();
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
    let (app, panel) = closed_panel().await;
    let (_, essays) = panel.essays(&app, &panel.chair).await;
    let code = essays[0]["candidate_code"].as_str().unwrap();

    let reveal = format!("/api/admin/vacancies/{REFERENCE}/reveal/{code}");
    let reason = json!({ "reason": "appointment checks" });
    let (status, identity) = panel.admin.send(&app, &reveal, reason.clone()).await;
    let (chair_status, _) = panel.chair.send(&app, &reveal, reason).await;

    assert_eq!(status, 200);
    let email = identity["email"].as_str().unwrap();
    assert!(email.ends_with("@example.org"), "{email}");
    assert_eq!(chair_status, 403);
    let (_, audit) = panel.admin.fetch(&app, "/api/admin/audit").await;
    assert!(audit
        .as_array()
        .unwrap()
        .iter()
        .any(|e| e["event"] == "identity.revealed" && e["detail"]["candidate_code"] == code));
}

#[tokio::test]
async fn exports_carry_every_assessors_marks_per_criterion_and_comment_anonymously() {
    // Arrange: both panel members score the DOCX essay; the chair's comment looks like a formula.
    let (app, panel) = closed_panel().await;
    let application = &panel.applications[0];
    let path = format!("/api/assessor/applications/{application}/score");
    let chair_marks =
        json!({"marks": {"challenge-1": 5, "writing": 3}, "comment": "=HYPERLINK(\"http://x\")"});
    let member_marks =
        json!({"marks": {"challenge-1": 2, "writing": 4}, "comment": "Thin on risks"});
    assert_eq!(panel.chair.send(&app, &path, chair_marks).await.0, 200);
    assert_eq!(panel.member.send(&app, &path, member_marks).await.0, 200);

    // Act
    let export = |name: &str| {
        let path = format!("/api/admin/vacancies/{REFERENCE}/{name}");
        let admin = &panel.admin;
        let app = &app;
        async move { admin.get(app, &path).await.bytes().await.unwrap().to_vec() }
    };
    let csv = String::from_utf8(export("results.csv").await).unwrap();
    let xlsx = export("results.xlsx").await;

    // Assert: per assessor (the chair is assessor 1), each
    // criterion's mark, the weighted mean, the revision and the comment.
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    // Two header rows: labels in the reader's language, then the machine names used here.
    let labels: Vec<String> = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_owned)
        .collect();
    let mut rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let header: Vec<String> = rows.remove(0).iter().map(str::to_owned).collect();
    assert_eq!(labels[0], "Candidate code");
    let column = |name: &str| {
        header
            .iter()
            .position(|h| h == name)
            .unwrap_or_else(|| panic!("no column '{name}' in {header:?}"))
    };
    let scored = rows
        .iter()
        .find(|r| &r[1] == "2")
        .expect("the essay scored twice");
    let cell = |name: &str| scored[column(name)].to_owned();
    let marks = [
        cell("assessor_1.challenge-1"),
        cell("assessor_1.writing"),
        cell("assessor_2.challenge-1"),
        cell("assessor_2.writing"),
    ];
    assert_eq!(marks, ["5", "3", "2", "4"], "{csv}");
    assert_eq!(cell("assessor_1.weighted_mean"), "4.00");
    assert_eq!(cell("assessor_2.revision"), "1");
    assert_eq!(cell("assessor_2.comment"), "Thin on risks");
    assert_eq!(
        cell("assessor_1.comment"),
        "'=HYPERLINK(\"http://x\")",
        "a formula is neutralised"
    );
    for who in [
        "chair@example.org",
        "member@example.org",
        "ana@example.org",
        "Ana",
    ] {
        assert!(!csv.contains(who), "{who} in {csv}");
    }
    use calamine::Reader as _;
    let mut workbook: calamine::Xlsx<_> =
        calamine::open_workbook_from_rs(std::io::Cursor::new(xlsx)).unwrap();
    let sheet = workbook.worksheet_range_at(0).unwrap().unwrap();
    assert_eq!(sheet.width(), header.len());
    let cells: Vec<String> = sheet.rows().flatten().map(|c| c.to_string()).collect();
    assert!(cells.iter().any(|c| c == "assessor_2.comment"), "{cells:?}");
    assert!(cells.iter().any(|c| c == "Thin on risks"), "{cells:?}");
    assert!(
        cells.iter().any(|c| c == "'=HYPERLINK(\"http://x\")"),
        "{cells:?}"
    );
}
