//! Admins in the browser: the console, in English and French, at desktop and phone sizes.
//! An admin imports a pasted notice, reviews what it proposes (each field with its sentence),
//! publishes it, finds it in the list and on the public home page, seats the panel, and edits a
//! rule with its live preview and self-test; every page state passes axe-core.

use fantoccini::Client;

use crate::driver::*;
use crate::helpers::TestApp;

/// A notice as it is pasted from a job board: the reference only in the title line, two
/// documents with their own limits, and the board's buttons and other employers' jobs.
const NOTICE: &str = "Policy Officer (Partnerships) — 251760
NATO
Brussels
Apply
Save job
1 dag geleden

Application Deadline 02-Mar-2027, 10:59:00 PM

Key challenges facing the successful candidate will include:
• Deepening partnerships with the Indo-Pacific;
• Working with the European Union.

Please attach a cover letter (max. 1 page) besides the key-challenges essay.

Candidates are asked to attach one MS Word document summarising their views on these key challenges. It should not exceed two A4 pages.

The title of the attachment must include the vacancy reference and the words \"Key challenges\".

Other Job Recommendations:
Operations Supervisor
Air Products
";

async fn paste_notice(client: &Client, app: &TestApp) {
    client.goto(&app.url("/admin/import")).await.unwrap();
    fill(client, "#notice-text", NOTICE).await;
    click(client, "#read-notice").await;
    element(client, "#vf-title-fr").await;
}

async fn value_of(client: &Client, css: &str) -> String {
    element(client, css)
        .await
        .prop("value")
        .await
        .unwrap()
        .unwrap_or_default()
}

#[tokio::test]
async fn an_admin_imports_a_notice_publishes_it_seats_the_panel_and_edits_a_rule() {
    let Some((app, _driver, client)) = start(false, None).await else {
        return;
    };
    app.admin().await;
    let assessor = app
        .staff("chair@example.org", api::domain::Role::Assessor)
        .await;
    log_in(&client, &app, "admin@example.org").await;

    // The import proposes every field with the sentence it came from.
    paste_notice(&client, &app).await;
    wait_for_all(
        &client,
        &[
            "What the notice says",
            "Documents asked for: 2.",
            "From the notice:",
        ],
    )
    .await;
    assert_eq!(value_of(&client, "#vf-reference").await, "251760");
    assert_eq!(
        value_of(&client, "#vf-title-en").await,
        "Policy Officer (Partnerships)"
    );
    assert_eq!(value_of(&client, "#vf-doc-0-pages").await, "1");
    assert_eq!(value_of(&client, "#vf-doc-1-pages").await, "2");
    let notice = value_of(&client, "#vf-notice").await;
    assert!(
        !notice.contains("Save job") && !notice.contains("Air Products"),
        "{notice}"
    );
    let page = body_text(&client).await;
    assert!(page
        .contains("Please attach a cover letter (max. 1 page) besides the key-challenges essay."));
    assert!(page.contains("That is 2027-03-02 22:59:00 UTC."), "{page}");
    assert_accessible(&client, "import with proposals (en)").await;

    // Publishing without the French title names the field; with it, the vacancy is saved.
    click(&client, "#publish").await;
    wait_for_text(&client, "Title in French: fill this in.").await;
    fill(
        &client,
        "#vf-title-fr",
        "Administrateur ou administratrice (partenariats)",
    )
    .await;
    click(&client, "#publish").await;
    wait_for_all(&client, &["Saved.", "Self-test passed for this document."]).await;
    assert_accessible(&client, "import after save (en)").await;

    // In the list, and on the public home page.
    client.goto(&app.url("/admin")).await.unwrap();
    wait_for_all(
        &client,
        &["251760", "Policy Officer (Partnerships)", "Results (Excel)"],
    )
    .await;
    assert_eq!(
        count(&client, "a[href='/admin/applications?ref=251760']").await,
        1
    );
    assert_accessible(&client, "vacancy list (en)").await;
    // At 1280 px the whole table fits, the links column included.
    let widths = client
        .execute(
            "const w = document.querySelector('table.admin-vacancies').closest('.table-wrap');
             const links = [...document.querySelectorAll('table.admin-vacancies ul.row-links a')];
             return [w.scrollWidth, w.clientWidth, Math.max(...links.map((a) => a.getBoundingClientRect().right)), document.documentElement.clientWidth];",
            vec![],
        )
        .await
        .unwrap();
    let [scroll, client_width, links_right, window]: [f64; 4] =
        serde_json::from_value(widths).unwrap();
    assert!(
        scroll <= client_width && links_right <= window,
        "the vacancy table is wider than the window at 1280 px: {scroll} > {client_width} or {links_right} > {window}"
    );
    client.goto(&app.url("/")).await.unwrap();
    wait_for_text(&client, "Policy Officer (Partnerships)").await;

    // The panel: a member who chairs, shown again after a reload.
    client
        .goto(&app.url("/admin/vacancy?ref=251760"))
        .await
        .unwrap();
    wait_for_text(&client, "Nobody yet.").await;
    assert_accessible(&client, "vacancy form (en)").await;
    // Tab through the form: the sticky save bar never covers the focused control.
    client
        .execute("document.querySelector('#vf-reference').focus();", vec![])
        .await
        .unwrap();
    for stop in 0..40 {
        client
            .active_element()
            .await
            .unwrap()
            .send_keys(&fantoccini::key::Key::Tab.to_string())
            .await
            .unwrap();
        let covered = client
            .execute(
                "const a = document.activeElement; const bar = document.querySelector('.save-bar');
                 if (!a || !bar || a === document.body || bar.contains(a)) return false;
                 const r = a.getBoundingClientRect(); const b = bar.getBoundingClientRect();
                 return r.bottom > b.top + 1 && r.top < b.bottom ? a.id || a.outerHTML.slice(0, 80) : false;",
                vec![],
            )
            .await
            .unwrap();
        assert_eq!(
            covered,
            serde_json::json!(false),
            "Tab stop {stop} is under the save bar"
        );
    }
    let id = assessor.account_id.clone();
    click(&client, &format!("#panel-member-{id}")).await;
    click(&client, &format!("#panel-chair-{id}")).await;
    click_then_see(&client, "#panel-save", "Panel saved.").await;
    client.refresh().await.unwrap();
    let current = text_of(&client, "#panel-current li").await;
    assert!(current.contains("chair@example.org"), "{current}");
    let badge = text_of(&client, "#panel-current li .badge").await;
    assert_eq!(badge.to_lowercase(), "chair");

    // One rule changed: the candidates' text follows as it is typed; the self-test runs on save.
    fill(&client, "#vf-doc-1-pages", "3").await;
    let preview = text_of(&client, "#vf-doc-1-preview-en").await;
    assert!(preview.contains("At most 3 A4 pages."), "{preview}");
    let french = text_of(&client, "#vf-doc-1-preview-fr").await;
    assert!(french.contains("3 pages A4 au maximum."), "{french}");
    click(&client, "#vacancy-save").await;
    wait_for_text(&client, "Self-test passed for this document.").await;
    assert_accessible(&client, "vacancy form after save (en)").await;
    client
        .goto(&app.url("/api/vacancies/251760"))
        .await
        .unwrap();
    wait_for_text(&client, "\"max_pages\":3").await;
    client.close().await.unwrap();
}

#[tokio::test]
async fn the_admin_console_in_french() {
    let Some((app, _driver, client)) = start(true, None).await else {
        return;
    };
    app.admin().await;
    app.staff("jury@example.org", api::domain::Role::Assessor)
        .await;
    log_in(&client, &app, "admin@example.org").await;
    language(&client, &app, "fr").await;

    client.goto(&app.url("/admin")).await.unwrap();
    wait_for_all(
        &client,
        &[
            "Postes",
            "Résultats (Excel)",
            "Importer un avis",
            "Chef, Opérations courantes",
        ],
    )
    .await;
    assert_eq!(html_lang(&client).await.as_deref(), Some("fr"));
    assert_accessible(&client, "vacancy list (fr)").await;

    client
        .goto(&app.url("/admin/vacancy?ref=251334"))
        .await
        .unwrap();
    wait_for_all(
        &client,
        &[
            "Poste 251334",
            "Ce que les candidats liront",
            "Jury",
            "Grille d’évaluation",
        ],
    )
    .await;
    assert_accessible(&client, "vacancy form (fr)").await;
    click(&client, "#vacancy-save").await;
    wait_for_text(&client, "Autotest réussi pour ce document.").await;
    assert_accessible(&client, "vacancy form after save (fr)").await;

    client.goto(&app.url("/admin/vacancies/new")).await.unwrap();
    wait_for_text(&client, "Nouveau poste").await;
    assert_accessible(&client, "new vacancy form (fr)").await;

    paste_notice(&client, &app).await;
    wait_for_all(
        &client,
        &[
            "Ce que dit l’avis",
            "Documents demandés : 2.",
            "D’après l’avis :",
        ],
    )
    .await;
    assert_accessible(&client, "import with proposals (fr)").await;
    fill(
        &client,
        "#vf-title-fr",
        "Administrateur ou administratrice (partenariats)",
    )
    .await;
    click(&client, "#save-draft").await;
    wait_for_text(&client, "Enregistré.").await;
    assert_accessible(&client, "import after save (fr)").await;

    // The same notice again: the refusal links to the vacancy that holds the reference.
    paste_notice(&client, &app).await;
    wait_for_text(&client, "Ce que dit l’avis").await;
    fill(&client, "#vf-title-fr", "Administrateur").await;
    click(&client, "#save-draft").await;
    wait_for_text(&client, "Un poste porte déjà cette référence.").await;
    let link = element(&client, "#existing-vacancy").await;
    assert_eq!(
        link.attr("href").await.unwrap().as_deref(),
        Some("/admin/vacancy?ref=251760")
    );
    assert_accessible(&client, "import of a reference already taken (fr)").await;
    snap(&client, "fr-import-reference-taken").await;

    // Publishing with a deadline already past asks first; "no" saves nothing.
    client
        .goto(&app.url("/admin/vacancy?ref=251760"))
        .await
        .unwrap();
    wait_for_text(&client, "Poste 251760").await;
    client
        .execute(
            "const f = document.querySelector('#vf-deadline'); f.value = '2020-01-06T12:00:00';
             f.dispatchEvent(new Event('input', { bubbles: true }));
             f.dispatchEvent(new Event('change', { bubbles: true }));",
            vec![],
        )
        .await
        .unwrap();
    choose(&client, "#vf-status", "open").await;
    click(&client, "#vacancy-save").await;
    element(&client, "dialog#confirm-past-deadline[open]").await;
    wait_for_text(&client, "Publier avec une date limite passée").await;
    assert_accessible(&client, "publishing a past deadline, confirmation (fr)").await;
    snap(&client, "fr-publish-past-deadline").await;
    click(&client, "#confirm-past-deadline-no").await;
    wait_for_text(&client, "Rien n’a été enregistré").await;
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    let stored = entity::vacancies::Entity::find()
        .filter(entity::vacancies::Column::Reference.eq("251760"))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(stored.status, "draft");
    client.close().await.unwrap();
}
