//! Staff in the browser: the chair of a panel of two reads a Word essay (with a heading, a
//! numbered and a bulleted list and a table, made with docx-rs) and a PDF (drawn by pdf.js),
//! scores on the rubric, reopens the essay and finds the score, saves a second revision, and
//! decides after a confirmation step that warns that the other member has not scored yet. The
//! admin's CSV export carries each criterion's marks. The chair also sees a conflicted member's
//! score excluded with its reason, a decision on a replaced essay as on version 1, and needs a
//! reason to decide while the candidate's extension runs. In English, then in French, with
//! axe-core on every state at phone and desktop size.

use std::time::Duration;

use fantoccini::Client;
use serde_json::json;

use crate::driver::*;
use crate::helpers::{TestApp, A4};

/// A Word essay with a heading, a numbered list of two, a bulleted list and a table with a
/// header row, written by docx-rs.
fn essay_with_a_table_and_lists() -> Vec<u8> {
    use docx_rs::*;
    let text = |t: &str| Paragraph::new().add_run(Run::new().add_text(t));
    let numbered = AbstractNumbering::new(1).add_level(
        Level::new(
            0,
            Start::new(1),
            NumberFormat::new("decimal"),
            LevelText::new("%1."),
            LevelJc::new("left"),
        )
        .indent(Some(720), Some(SpecialIndentType::Hanging(360)), None, None),
    );
    let bulleted = AbstractNumbering::new(2).add_level(
        Level::new(
            0,
            Start::new(1),
            NumberFormat::new("bullet"),
            LevelText::new("•"),
            LevelJc::new("left"),
        )
        .indent(Some(720), Some(SpecialIndentType::Hanging(360)), None, None),
    );
    let cell = |t: &str| TableCell::new().add_paragraph(text(t));
    let table = Table::new(vec![
        TableRow::new(vec![cell("Risk"), cell("Response")]),
        TableRow::new(vec![cell("Delay in delivery"), cell("Phased plan")]),
        TableRow::new(vec![cell("Budget cut"), cell("Shared services")]),
    ]);
    let mut bytes = std::io::Cursor::new(Vec::new());
    Docx::new()
        .page_size(11906, 16838)
        .add_style(
            Style::new("Heading1", StyleType::Paragraph)
                .name("heading 1")
                .bold()
                .size(32),
        )
        .add_abstract_numbering(numbered)
        .add_numbering(Numbering::new(1, 1))
        .add_abstract_numbering(bulleted)
        .add_numbering(Numbering::new(2, 2))
        .add_paragraph(text("Key challenges").style("Heading1"))
        .add_paragraph(text("The post faces three challenges, in this order."))
        .add_paragraph(
            text("Modernising the delivery of services")
                .numbering(NumberingId::new(1), IndentLevel::new(0)),
        )
        .add_paragraph(
            text("Keeping the budget stable").numbering(NumberingId::new(1), IndentLevel::new(0)),
        )
        .add_paragraph(text("Partners consulted:"))
        .add_paragraph(
            text("National delegations").numbering(NumberingId::new(2), IndentLevel::new(0)),
        )
        .add_paragraph(text("Risks and responses:"))
        .add_table(table)
        .pack(&mut bytes)
        .expect("docx-rs writes the essay");
    bytes.into_inner()
}

/// Waits until `css` selects at least `n` elements (up to 40 s); returns how many.
async fn at_least(client: &Client, css: &str, n: usize) -> usize {
    for _ in 0..200 {
        let found = count(client, css).await;
        if found >= n {
            return found;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    panic!(
        "fewer than {n} of '{css}'; the page says:\n{}",
        body_text(client).await
    );
}

/// The column headers of the table `css`, as written (the style shows them in capitals).
async fn headers(client: &Client, css: &str) -> Vec<String> {
    let script = "return [...document.querySelectorAll(arguments[0] + ' thead th')].map((th) => th.textContent);";
    let found = client.execute(script, vec![json!(css)]).await.unwrap();
    serde_json::from_value(found).unwrap()
}

/// The mark chosen for `criterion` in the level grid ("" when none).
async fn mark_of(client: &Client, criterion: &str) -> String {
    element(client, &format!("fieldset#mark-{criterion}"))
        .await
        .attr("data-value")
        .await
        .unwrap()
        .unwrap_or_default()
}

/// Clicks level `n` of `criterion` in the level grid, as an assessor does.
async fn give_mark(client: &Client, criterion: &str, n: u8) {
    click(client, &format!("label[for='mark-{criterion}-{n}']")).await;
}

/// The `value` of the form field `css`.
async fn value_of(client: &Client, css: &str) -> String {
    element(client, css)
        .await
        .prop("value")
        .await
        .unwrap()
        .unwrap_or_default()
}

/// How many pixels of the canvases `css` selects are drawn (not blank).
async fn inked_pixels(client: &Client, css: &str) -> u64 {
    let script = "let inked = 0;
        for (const c of document.querySelectorAll(arguments[0])) {
          const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
          for (let i = 0; i < d.length; i += 4) if (d[i + 3] > 0 && (d[i] < 200 || d[i + 1] < 200 || d[i + 2] < 200)) inked += 1;
        }
        return inked;";
    client
        .execute(script, vec![json!(css)])
        .await
        .unwrap()
        .as_u64()
        .unwrap()
}

/// The Word essay: a real table with its header cells and cells, real list items.
async fn sees_the_word_essay_as_written(client: &Client) {
    at_least(client, "#essay-text table", 1).await;
    assert_eq!(count(client, "#essay-text table tr").await, 3);
    assert_eq!(count(client, "#essay-text table td").await, 6);
    assert_eq!(count(client, "#essay-text ol > li").await, 2);
    assert_eq!(count(client, "#essay-text ul > li").await, 1);
    assert_eq!(
        count(client, "#essay-text h3").await,
        1,
        "Heading 1 follows the page's h2"
    );
    let essay = text_of(client, "#essay-text").await;
    for words in [
        "1.",
        "Modernising",
        "2.",
        "•",
        "National delegations",
        "Budget cut",
    ] {
        assert!(essay.contains(words), "'{words}' missing from:\n{essay}");
    }
    let cell = text_of(client, "#essay-text table tr:nth-child(3) td:nth-child(2)").await;
    assert_eq!(cell.trim(), "Shared services");
}

/// The PDF: every page drawn on a labelled canvas.
async fn sees_the_pdf_drawn(client: &Client, label: &str) {
    assert_eq!(at_least(client, "canvas.pdf-page", 2).await, 2);
    let first = element(client, "canvas.pdf-page").await;
    let name = first.attr("aria-label").await.unwrap().unwrap_or_default();
    assert!(name.contains(label), "{name}");
    for _ in 0..50 {
        if inked_pixels(client, "canvas.pdf-page").await > 0 {
            return;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    panic!("the PDF's pages are blank canvases");
}

pub(crate) struct Setting {
    pub(crate) app: TestApp,
    pub(crate) admin: crate::helpers::User,
    pub(crate) docx: (String, String),
    pub(crate) pdf: (String, String),
    pub(crate) chair: crate::helpers::User,
    pub(crate) member: crate::helpers::User,
    /// The PDF's candidate and their application.
    pub(crate) bo: (crate::helpers::User, String),
}

/// Vacancy 251334 closed, with a Word essay and a PDF essay, and a panel of two: the chair
/// (who uses the browser) and a member (who never scores).
pub(crate) async fn setting(app: TestApp) -> Setting {
    use api::domain::Role::Assessor;
    let admin = app.admin().await;
    let chair = app.staff("chair@example.org", Assessor).await;
    let member = app.staff("member@example.org", Assessor).await;
    let (ana, ana_application) = app.applicant("ana@example.org", "251334").await;
    let docx_version = ana
        .upload_accepted(
            &app,
            &ana_application,
            "251334 Key challenges.docx",
            essay_with_a_table_and_lists(),
        )
        .await;
    let (bo, bo_application) = app.applicant("bo@example.org", "251334").await;
    let pdf_bytes = testkit::pdf::essay(&[A4, A4], "Key challenges", 0);
    let pdf_version = bo
        .upload_accepted(
            &app,
            &bo_application,
            "251334 Key challenges.pdf",
            pdf_bytes,
        )
        .await;
    let members =
        json!([{"account_id": chair.account_id, "chair": true}, {"account_id": member.account_id}]);
    assert_eq!(app.seat_panel(&admin, "251334", members).await, 204);
    app.close("251334").await;
    let (_, essays) = chair
        .fetch(&app, "/api/assessor/vacancies/251334/essays")
        .await;
    let code_of = |version: &str| {
        essays
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["version_id"] == version)
            .unwrap()["candidate_code"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    Setting {
        docx: (code_of(&docx_version), docx_version),
        pdf: (code_of(&pdf_version), pdf_version),
        app,
        admin,
        chair,
        member,
        bo: (bo, bo_application),
    }
}

#[tokio::test]
async fn the_chair_reads_word_and_pdf_essays_scores_in_revisions_and_decides_after_confirming() {
    let Some((app, _driver, client)) = start(true, None).await else {
        return;
    };
    let Setting {
        app,
        admin,
        docx: (docx_code, docx_version),
        pdf: (pdf_code, pdf_version),
        ..
    } = setting(app).await;
    log_in(&client, &app, "chair@example.org").await;

    // English. The list of essays, then the Word essay as written.
    client.goto(&app.url("/assess")).await.unwrap();
    wait_for_all(
        &client,
        &["Essays to read", &docx_code, &pdf_code, "Results"],
    )
    .await;
    assert_accessible(&client, "assess (en)").await;
    client
        .goto(&app.url(&format!("/essay?version={docx_version}")))
        .await
        .unwrap();
    sees_the_word_essay_as_written(&client).await;
    assert_eq!(
        mark_of(&client, "challenge-1").await,
        "",
        "not scored at first"
    );
    let option = text_of(&client, "label[for='mark-challenge-1-5']").await;
    assert!(
        option.starts_with('5') && option.len() > 4,
        "each level says what it means: {option}"
    );
    assert_accessible(&client, "essay docx (en)").await;

    // Saving with a criterion not scored is refused on the page.
    give_mark(&client, "challenge-1", 4).await;
    click_then_see(&client, "#submit-score", "Give a mark for every criterion").await;
    assert!(body_text(&client).await.contains("Quality of the writing"));
    assert_accessible(&client, "essay docx, a criterion not scored (en)").await;
    give_mark(&client, "writing", 3).await;
    fill(&client, "#comment", "Sound analysis").await;
    click_then_see(&client, "#submit-score", "Saved revision 1 at").await;

    // Reopened, the essay shows the saved marks and comment; saving again is revision 2.
    client.refresh().await.unwrap();
    wait_for_text(&client, "You scored this essay: revision 1").await;
    assert_eq!(mark_of(&client, "challenge-1").await, "4");
    assert_eq!(mark_of(&client, "writing").await, "3");
    assert_eq!(value_of(&client, "#comment").await, "Sound analysis");
    give_mark(&client, "challenge-1", 2).await;
    give_mark(&client, "writing", 2).await;
    click_then_see(&client, "#submit-score", "Saved revision 2 at").await;
    wait_for_text(&client, "Earlier revisions (1)").await;

    // The PDF, drawn page by page.
    client
        .goto(&app.url(&format!("/essay?version={pdf_version}")))
        .await
        .unwrap();
    sees_the_pdf_drawn(&client, "Page 1 of 2").await;
    assert!(count(&client, "#download-essay").await == 1);
    assert_accessible(&client, "essay pdf (en)").await;

    // Results: the count and the mean in their own columns; the decision asks first.
    client.goto(&app.url("/assess")).await.unwrap();
    wait_for_all(&client, &["1 of 2", "2.00"]).await;
    let columns = headers(&client, "#results-251334").await;
    assert_eq!(
        columns[..3],
        ["Candidate", "Scores received", "Mean score (1–5)"],
        "{columns:?}"
    );
    click(&client, &format!("button[data-decide='{docx_code}']")).await;
    wait_for_text(&client, "only 1 of 2 panel members has scored").await;
    assert!(element(&client, "dialog#confirm-decision")
        .await
        .attr("open")
        .await
        .unwrap()
        .is_some());
    assert_accessible(&client, "confirm a decision (en)").await;
    click_then_see(&client, "#confirm-yes", "Decision recorded: Longlisted").await;
    let decided = "#results-251334 td[data-decision='longlisted']";
    assert_eq!(at_least(&client, decided, 1).await, 1);

    // The admin's export has each criterion's marks, per assessor.
    let csv = admin
        .get(&app, "/api/admin/vacancies/251334/results.csv")
        .await
        .text()
        .await
        .unwrap();
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
            .unwrap_or_else(|| panic!("{name}: {header:?}"))
    };
    let row = rows.iter().find(|r| &r[0] == docx_code.as_str()).unwrap();
    assert_eq!(&row[column("assessor_1.challenge-1")], "2");
    assert_eq!(&row[column("assessor_1.writing")], "2");
    assert_eq!(&row[column("assessor_1.revision")], "2");
    assert_eq!(&row[column("assessor_1.comment")], "Sound analysis");

    // French: the same pages and the confirmation, for the PDF nobody has scored.
    language(&client, &app, "fr").await;
    client.goto(&app.url("/assess")).await.unwrap();
    wait_for_all(
        &client,
        &["Essais à lire", "Présélectionné", "Relire (noté)"],
    )
    .await;
    let columns = headers(&client, "#results-251334").await;
    assert_eq!(
        columns[..3],
        ["Candidat", "Notes reçues", "Note moyenne (1–5)"]
    );
    assert_accessible(&client, "assess (fr)").await;
    client
        .goto(&app.url(&format!("/essay?version={docx_version}")))
        .await
        .unwrap();
    sees_the_word_essay_as_written(&client).await;
    wait_for_all(
        &client,
        &[
            "Vous avez noté cet essai : révision 2",
            "1. Keep the Alliance ready",
            "Révisions précédentes (1)",
        ],
    )
    .await;
    assert_eq!(mark_of(&client, "challenge-1").await, "2");
    assert_accessible(&client, "essay docx (fr)").await;
    client
        .goto(&app.url(&format!("/essay?version={pdf_version}")))
        .await
        .unwrap();
    sees_the_pdf_drawn(&client, "Page 1 sur 2").await;
    assert_accessible(&client, "essay pdf (fr)").await;
    client.goto(&app.url("/assess")).await.unwrap();
    click(&client, &format!("button[data-reject='{pdf_code}']")).await;
    wait_for_text(&client, "aucun membre du jury n’a encore noté cet essai").await;
    assert_accessible(&client, "confirm a decision (fr)").await;
    click(&client, "#confirm-no").await;
    assert_eq!(
        count(&client, "dialog#confirm-decision[open]").await,
        0,
        "cancel records nothing"
    );
    assert_eq!(
        count(
            &client,
            "#results-251334 td[data-decision='not-longlisted']"
        )
        .await,
        0
    );
    click(&client, &format!("button[data-reject='{pdf_code}']")).await;
    click_then_see(
        &client,
        "#confirm-yes",
        "Décision enregistrée : Non présélectionné",
    )
    .await;
    assert_eq!(
        at_least(
            &client,
            "#results-251334 td[data-decision='not-longlisted']",
            1
        )
        .await,
        1
    );
    client.close().await.unwrap();
}

#[tokio::test]
async fn the_chair_sees_excluded_scores_and_earlier_decisions_and_needs_a_reason_to_decide_during_an_extension(
) {
    let Some((app, _driver, client)) = start(true, None).await else {
        return;
    };
    let Setting {
        app,
        admin,
        docx: (docx_code, _),
        pdf: (pdf_code, _),
        chair,
        member,
        bo: (bo, bo_application),
    } = setting(app).await;
    // The member scores the Word essay, then declares a conflict for it; the chair scores it too.
    let (docx_application, pdf_application) = {
        let (_, results) = chair
            .fetch(&app, "/api/assessor/vacancies/251334/results")
            .await;
        let id = |code: &str| {
            results
                .as_array()
                .unwrap()
                .iter()
                .find(|r| r["candidate_code"] == code)
                .unwrap()["application_id"]
                .as_str()
                .unwrap()
                .to_owned()
        };
        (id(&docx_code), id(&pdf_code))
    };
    assert_eq!(pdf_application, bo_application);
    let marks = |n: u8| json!({"marks": {"challenge-1": n, "writing": n}, "comment": ""});
    let score = format!("/api/assessor/applications/{docx_application}/score");
    assert_eq!(member.send(&app, &score, marks(2)).await.0, 200);
    assert_eq!(chair.send(&app, &score, marks(4)).await.0, 200);
    let conflict = format!("/api/assessor/applications/{docx_application}/conflict");
    let reason = json!({"reason": "former colleague"});
    assert_eq!(member.send(&app, &conflict, reason).await.0, 204);
    // The PDF is decided on; then Bo is given an extension and replaces it.
    let decision = json!({"application_id": bo_application, "decision": "not-longlisted", "confirm_incomplete": true});
    let decisions = "/api/assessor/vacancies/251334/decisions";
    assert_eq!(chair.send(&app, decisions, decision).await.0, 204);
    let extension = json!({
        "account_id": bo.account_id, "deadline": chrono::Utc::now() + chrono::Duration::days(1), "reason": "illness"
    });
    let extensions = "/api/admin/vacancies/251334/extensions";
    assert_eq!(admin.send(&app, extensions, extension).await.0, 204);
    let replacement = testkit::pdf::essay(&[A4], "Key challenges", 0);
    bo.upload_accepted(
        &app,
        &bo_application,
        "251334 Key challenges.pdf",
        replacement,
    )
    .await;
    log_in(&client, &app, "chair@example.org").await;

    // English: the excluded score with its reason, the earlier decision, the running extension.
    client.goto(&app.url("/assess")).await.unwrap();
    wait_for_all(
        &client,
        &[
            "1 excluded: conflict of interest declared.",
            "Earlier: Not longlisted on version 1 (no longer stands).",
            "Extension running until",
        ],
    )
    .await;
    assert_eq!(
        count(
            &client,
            "td[data-decision=''] [data-earlier-decision='not-longlisted']"
        )
        .await,
        1
    );
    assert_accessible(&client, "results with excluded scores (en)").await;
    click(&client, &format!("button[data-decide='{pdf_code}']")).await;
    wait_for_text(
        &client,
        "may still replace their essay. To decide now, say why",
    )
    .await;
    assert_accessible(&client, "confirm a decision during an extension (en)").await;
    click_then_see(
        &client,
        "#confirm-yes",
        &format!("Not recorded: candidate {pdf_code} has an extension until"),
    )
    .await;
    click(&client, "#confirm-no").await;

    // French: the same states, the refusal, then the decision with a reason.
    language(&client, &app, "fr").await;
    client.goto(&app.url("/assess")).await.unwrap();
    wait_for_all(
        &client,
        &[
            "1 exclue(s) : conflit d’intérêts déclaré.",
            "Auparavant : Non présélectionné sur la version 1 (ne vaut plus).",
            "Prolongation en cours jusqu’au",
        ],
    )
    .await;
    assert_accessible(&client, "results with excluded scores (fr)").await;
    click(&client, &format!("button[data-decide='{pdf_code}']")).await;
    wait_for_text(
        &client,
        "peut encore remplacer son essai. Pour décider maintenant",
    )
    .await;
    click_then_see(
        &client,
        "#confirm-yes",
        &format!("Non enregistrée : le candidat {pdf_code} bénéficie d’une prolongation"),
    )
    .await;
    assert_accessible(&client, "a decision refused during an extension (fr)").await;
    fill(
        &client,
        "#override-reason",
        "le jury ne se réunit qu'une fois",
    )
    .await;
    click_then_see(
        &client,
        "#confirm-yes",
        "Décision enregistrée : Présélectionné",
    )
    .await;
    assert_eq!(
        at_least(&client, "#results-251334 td[data-decision='longlisted']", 1).await,
        1
    );
    let events = admin.audit_events(&app).await;
    assert!(
        events.iter().any(|e| e == "decision.extension_overridden"),
        "{events:?}"
    );
    client.close().await.unwrap();
}
