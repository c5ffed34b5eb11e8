//! No English reaches a French page: every problem the API can answer with, and the browser's own
//! form checks, are said in the page's language.

use fantoccini::Client;
use serde_json::json;

use crate::driver::*;
use crate::helpers::spawn_app_changed;

/// `problemText` of the page for a problem built from each slug the API emits
/// (`api::error::PROBLEM_TYPES`), with the members the server sends alongside, and the French and
/// English tables' sentence for it.
async fn problem_texts(client: &Client) -> serde_json::Value {
    let types = json!(api::error::PROBLEM_TYPES);
    let resources = json!(api::error::NOT_FOUND_RESOURCES);
    client
        .execute_async(
            "const [types, resources, done] = arguments;
             Promise.all([import('/js/layout.js'), import('/js/api.js')]).then(([layout, api]) => {
               const out = [];
               const say = (problem, status) => layout.problemText(new api.ProblemError(problem, status));
               for (const slug of types) {
                 const detail = `the English detail of ${slug}`;
                 out.push({ code: slug, text: say({ type: `/problems/${slug}`, title: 'English title', detail }, 400) });
               }
               for (const resource of resources) {
                 out.push({ code: `not-found/${resource}`, text: say({ type: '/problems/not-found', title: 'Not found',
                   detail: `${resource} not found`, resource }, 404) });
               }
               out.push({ code: 'internal/no-body', text: say({}, 500) });
               done(out);
             }).catch((e) => done(String(e)));",
            vec![types, resources],
        )
        .await
        .unwrap()
}

#[tokio::test]
async fn every_problem_the_api_can_return_reads_in_french_on_a_french_page() {
    let Some((app, _driver, client)) = start(true, None).await else {
        return;
    };
    language(&client, &app, "fr").await;
    let texts = problem_texts(&client).await;
    let english = [
        "English",
        "not found",
        "authentication",
        "Internal error",
        "the password",
        "larger than",
        "Please",
        "Not allowed",
        "Conflict",
    ];
    let rows = texts.as_array().unwrap_or_else(|| panic!("{texts}"));
    assert!(rows.len() > 20, "{texts}");
    for row in rows {
        let text = row["text"].as_str().unwrap();
        for word in english {
            assert!(
                !text.contains(word),
                "{}: {text:?} is English on a French page",
                row["code"]
            );
        }
        assert!(!text.is_empty(), "{}: nothing said", row["code"]);
    }
    // The same problems in English: the sentences differ from the French ones.
    language(&client, &app, "en").await;
    let in_english = problem_texts(&client).await;
    for (fr, en) in rows.iter().zip(in_english.as_array().unwrap()) {
        assert_ne!(
            fr["text"], en["text"],
            "{}: the same words in both languages",
            fr["code"]
        );
    }
    client.close().await.unwrap();
}

/// The alert's text once it is there, spaces as a reader sees them.
async fn alert(client: &Client, css: &str) -> String {
    text_of(client, css)
        .await
        .replace(['\u{a0}', '\u{202f}'], " ")
}

#[tokio::test]
async fn real_problems_and_form_checks_are_said_in_french() {
    let Some((app, _driver, client)) = start(true, None).await else {
        return;
    };
    let ana = app.candidate("ana@example.org").await;
    ana.apply(&app, "251334").await;
    language(&client, &app, "fr").await;

    // A wrong password.
    submit_login(
        &client,
        &app,
        "/login",
        "ana@example.org",
        "not the password at all",
    )
    .await;
    let said = alert(&client, ".form-error .alert").await;
    assert_eq!(
        said,
        "L’adresse électronique ou le mot de passe n’est pas correct."
    );
    snap(&client, "fr-wrong-password").await;

    // The browser's own check of an empty field, in French whatever the browser's language.
    client.goto(&app.url("/register")).await.unwrap();
    click(&client, "#register").await;
    let said = alert(&client, ".form-error .alert").await;
    assert!(said.contains("Remplissez ce champ."), "{said}");
    let message = client
        .execute(
            "return document.querySelector('#email').validationMessage;",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(message, json!("Remplissez ce champ."));
    fill(&client, "#email", "ana").await;
    click(&client, "#register").await;
    wait_for_text(&client, "Saisissez une adresse électronique").await;

    // A receipt opened while logged out: French, and a way to log in and come back.
    let receipt = "/receipt?version=00000000-0000-4000-8000-000000000000";
    client.goto(&app.url(receipt)).await.unwrap();
    let said = alert(&client, "main .alert").await;
    assert_eq!(said, "Connectez-vous pour voir cette page.");
    let login = element(&client, "#login-to-continue").await;
    assert_eq!(
        login.attr("href").await.unwrap().as_deref(),
        Some("/login?next=%2Freceipt%3Fversion%3D00000000-0000-4000-8000-000000000000")
    );
    assert_accessible(&client, "logged-out receipt (fr)").await;
    snap(&client, "fr-receipt-logged-out").await;

    // A vacancy that does not exist.
    client.goto(&app.url("/vacancy?ref=999999")).await.unwrap();
    let said = alert(&client, "main .alert").await;
    assert_eq!(said, "Poste introuvable.");
    snap(&client, "fr-unknown-vacancy").await;

    // An upload the server refuses for its size (3 MB; the limit is 2 MB).
    log_in(&client, &app, "ana@example.org").await;
    client.goto(&app.url("/vacancy?ref=251334")).await.unwrap();
    wait_for_text(&client, "Vos documents").await;
    let mut big = b"%PDF-1.7\n".to_vec();
    big.resize(3 * 1024 * 1024, b' ');
    pick_file_bytes(
        &client,
        "#file-key-challenges",
        &big,
        "251334 Key challenges.pdf",
    )
    .await;
    click(&client, "#anyway-key-challenges").await;
    wait_for_text(&client, "Le fichier est trop volumineux").await;
    let said = alert(&client, ".upload .alert").await;
    assert_eq!(said, "Le fichier est trop volumineux : 2 Mo au maximum.");
    assert_accessible(&client, "upload refused for its size (fr)").await;
    snap(&client, "fr-upload-too-large").await;
    client.close().await.unwrap();
}

#[tokio::test]
async fn the_login_page_offers_the_organisation_sign_in_in_french_and_says_why_one_was_refused() {
    if !installed() {
        return;
    }
    // The button needs only the configuration: nothing asks the provider until someone clicks.
    let app = spawn_app_changed(|settings| {
        settings.oidc_issuer = Some("http://127.0.0.1:9".into());
        settings.oidc_client_id = Some("essay-portal".into());
        settings.oidc_admin_values = vec!["portal-admins".into()];
    })
    .await;
    let (_driver, client) = browser().await;
    language(&client, &app, "fr").await;

    client
        .goto(&app.url("/login?next=/admin&oidc_error=no-staff-role"))
        .await
        .unwrap();

    let button = text_of(&client, "#organisation-sign-in").await;
    assert_eq!(button, "Se connecter avec le compte de votre organisation");
    let link = element(&client, "#organisation-sign-in").await;
    let href = link.attr("href").await.unwrap();
    assert_eq!(href.as_deref(), Some("/auth/oidc/login?next=%2Fadmin"));
    wait_for_text(
        &client,
        "ne fait pas partie des évaluateurs ou administrateurs",
    )
    .await;
    assert_accessible(&client, "login page with the organisation's sign-in").await;
    client.close().await.unwrap();
}
