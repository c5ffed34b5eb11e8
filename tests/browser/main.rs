//! Browser tests: the real application, driven in headless Chromium through chromedriver.
//! Skipped (with a message) where Debian's `chromium` and `chromium-driver` are not installed.
//!
//! Run: `apt-get install -y chromium chromium-driver`, then `cargo test --test browser`.
//! With `BROWSER_SCREENSHOTS=/some/dir` the candidate's journey also saves screenshots there.
#[path = "../api/helpers.rs"]
mod helpers;

use std::process::{Child, Command, Stdio};
use std::time::Duration;

use chrono::Utc;
use fantoccini::{Client, ClientBuilder, Locator};
use helpers::{spawn_app, TestApp, PASSWORD};

struct Driver {
    child: Child,
    port: u16,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn installed() -> bool {
    ["/usr/bin/chromium", "/usr/bin/chromedriver"]
        .iter()
        .all(|p| std::path::Path::new(p).exists())
}

async fn browser() -> (Driver, Client) {
    // Both rustls back-ends are compiled in through different dependencies; pick one.
    let _ = rustls::crypto::ring::default_provider().install_default();
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let child = Command::new("/usr/bin/chromedriver")
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("chromedriver starts");
    let driver = Driver { child, port };
    let profile = tempfile::tempdir().unwrap().keep();
    let capabilities: serde_json::Map<String, serde_json::Value> = serde_json::from_value(serde_json::json!({
        "goog:chromeOptions": {
            "binary": "/usr/bin/chromium",
            "args": ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                     "--disable-background-networking", "--disable-component-update", "--disable-sync",
                     "--window-size=1280,1000", format!("--user-data-dir={}", profile.display())]
        }
    }))
    .unwrap();
    let mut last_error = None;
    for _ in 0..50 {
        match ClientBuilder::rustls()
            .unwrap()
            .capabilities(capabilities.clone())
            .connect(&format!("http://127.0.0.1:{}", driver.port))
            .await
        {
            Ok(client) => return (driver, client),
            Err(error) => {
                last_error = Some(error);
                tokio::time::sleep(Duration::from_millis(200)).await;
            }
        }
    }
    panic!("cannot reach chromedriver: {last_error:?}");
}

async fn text_of(client: &Client, css: &str) -> String {
    client
        .wait()
        .at_most(Duration::from_secs(40))
        .for_element(Locator::Css(css))
        .await
        .unwrap()
        .text()
        .await
        .unwrap()
}

async fn body_text(client: &Client) -> String {
    // During a navigation the old body can vanish between finding it and reading it.
    match client.find(Locator::Css("body")).await {
        Ok(body) => body.text().await.unwrap_or_default(),
        Err(_) => String::new(),
    }
}

async fn wait_for_text(client: &Client, needle: &str) {
    for _ in 0..200 {
        if body_text(client).await.contains(needle) {
            return;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    panic!(
        "'{needle}' never appeared; the page says:\n{}",
        body_text(client).await
    );
}

async fn fill(client: &Client, css: &str, value: &str) {
    let field = client
        .wait()
        .at_most(Duration::from_secs(40))
        .for_element(Locator::Css(css))
        .await
        .unwrap();
    field.clear().await.unwrap();
    field.send_keys(value).await.unwrap();
}

async fn click(client: &Client, css: &str) {
    client
        .wait()
        .at_most(Duration::from_secs(40))
        .for_element(Locator::Css(css))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
}

fn fixture_file(name: &str, as_name: &str) -> String {
    let dir = tempfile::tempdir().unwrap().keep();
    let path = dir.join(as_name);
    std::fs::write(&path, helpers::fixture(name)).unwrap();
    path.display().to_string()
}

/// With BROWSER_SCREENSHOTS=<dir>, saves what the browser shows, to look at the design.
async fn snap(client: &Client, name: &str) {
    if let Some(dir) = std::env::var_os("BROWSER_SCREENSHOTS") {
        let png = client.screenshot().await.unwrap();
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(std::path::Path::new(&dir).join(format!("{name}.png")), png).unwrap();
    }
}

async fn choose(client: &Client, css: &str, value: &str) {
    let select = client
        .wait()
        .at_most(Duration::from_secs(40))
        .for_element(Locator::Css(css))
        .await
        .unwrap();
    select.select_by_value(value).await.unwrap();
}

async fn html_lang(client: &Client) -> Option<String> {
    client
        .find(Locator::Css("html"))
        .await
        .unwrap()
        .attr("lang")
        .await
        .unwrap()
}

/// Each test starts in English, whatever the machine's locale.
async fn english(client: &Client, app: &TestApp) {
    client.goto(&app.url("/?lang=en")).await.unwrap();
    text_of(client, "main h1").await;
}

async fn log_in(client: &Client, app: &TestApp, email: &str) {
    client.goto(&app.url("/login")).await.unwrap();
    fill(client, "#email", email).await;
    fill(client, "#password", PASSWORD).await;
    click(client, "#login").await;
    text_of(client, "#account-link").await;
}

#[tokio::test]
async fn a_candidate_registers_applies_reads_the_fix_and_gets_a_receipt_in_both_languages() {
    if !installed() {
        println!("browser tests skipped: chromium/chromedriver not installed");
        return;
    }
    let app = spawn_app().await;
    app.open_vacancy("251334", Utc::now() + chrono::Duration::days(3))
        .await;
    let (_driver, client) = browser().await;

    // Register (and be logged in).
    client.goto(&app.url("/register")).await.unwrap();
    client
        .execute("localStorage.setItem('lang','en')", vec![])
        .await
        .unwrap();
    client.goto(&app.url("/register")).await.unwrap();
    fill(&client, "#email", "ana@example.org").await;
    fill(&client, "#full_name", "Ana Silva").await;
    choose(&client, "#nationality", "PT").await;
    fill(&client, "#password", PASSWORD).await;
    click(&client, "#register").await;
    assert_eq!(text_of(&client, "#account-link").await, "Ana Silva");

    // Apply.
    client.goto(&app.url("/vacancy?ref=251334")).await.unwrap();
    wait_for_text(&client, "Keep the Alliance ready").await;
    for checkbox in client
        .find_all(Locator::Css("input[name=affirm]"))
        .await
        .unwrap()
    {
        checkbox.click().await.unwrap();
    }
    click(&client, "#apply").await;

    // A failing essay: the pre-check warns, the server's checklist explains the fix.
    let input = client
        .wait()
        .at_most(Duration::from_secs(40))
        .for_element(Locator::Css("#file-key-challenges"))
        .await
        .unwrap();
    input
        .send_keys(&fixture_file("three-pages-a4.docx", "my essay.docx"))
        .await
        .unwrap();
    wait_for_text(&client, "Before sending, we noticed").await;
    snap(&client, "precheck").await;
    click(&client, "#anyway-key-challenges").await;
    wait_for_text(&client, "Not accepted").await;
    wait_for_text(&client, "251334 Key challenges.docx").await;
    wait_for_text(&client, "page 3").await;
    // The picture of the pages: three A4 boxes, the third past the two-page limit.
    let boxes = client.find_all(Locator::Css(".pages .page")).await.unwrap();
    let over = client
        .find_all(Locator::Css(".pages .page.over"))
        .await
        .unwrap();
    assert_eq!((boxes.len(), over.len()), (3, 1));
    wait_for_text(&client, "Page 3 starts").await;
    snap(&client, "rejected").await;

    // A passing essay, then the receipt.
    let input = client
        .find(Locator::Css("#file-key-challenges"))
        .await
        .unwrap();
    input
        .send_keys(&fixture_file(
            "two-pages-a4.docx",
            "251334 Key challenges.docx",
        ))
        .await
        .unwrap();
    wait_for_text(&client, "Accepted").await;
    snap(&client, "accepted").await;
    let receipt = client
        .wait()
        .at_most(Duration::from_secs(40))
        .for_element(Locator::LinkText("See your receipt"))
        .await
        .unwrap();
    receipt.click().await.unwrap();
    wait_for_text(&client, "SHA-256").await;
    wait_for_text(&client, "251334 Key challenges.docx").await;

    // French.
    click(&client, "#lang-fr").await;
    wait_for_text(&client, "Accusé de réception").await;
    snap(&client, "receipt-fr").await;
    assert_eq!(
        client
            .find(Locator::Css("html"))
            .await
            .unwrap()
            .attr("lang")
            .await
            .unwrap()
            .as_deref(),
        Some("fr")
    );
    client.close().await.unwrap();
}

#[tokio::test]
async fn an_assessor_reads_and_scores_the_chair_decides_and_an_admin_saves_rules_with_a_self_test()
{
    if !installed() {
        println!("browser tests skipped: chromium/chromedriver not installed");
        return;
    }
    let app = spawn_app().await;
    app.open_vacancy("251334", Utc::now() + chrono::Duration::days(3))
        .await;
    let admin = app
        .staff("admin@example.org", api::domain::Role::Admin)
        .await;
    let chair = app
        .staff("chair@example.org", api::domain::Role::Assessor)
        .await;
    let candidate = app.candidate("ana@example.org").await;
    let application = candidate.apply(&app, "251334").await;
    let upload = candidate
        .upload(
            &app,
            &application,
            "251334 Key challenges.docx",
            helpers::fixture("two-pages-a4.docx"),
            None,
        )
        .await;
    assert_eq!(upload.status(), 201);
    let panel = admin
        .client
        .put(app.url("/api/admin/vacancies/251334/panel"))
        .header("x-csrf-token", &admin.csrf)
        .json(&serde_json::json!({"members": [{"account_id": chair.account_id, "chair": true}]}))
        .send()
        .await
        .unwrap();
    assert_eq!(panel.status(), 204);
    app.set_deadline("251334", Utc::now() - chrono::Duration::minutes(5))
        .await;
    let (_driver, client) = browser().await;
    client.goto(&app.url("/login")).await.unwrap();
    client
        .execute("localStorage.setItem('lang','en')", vec![])
        .await
        .unwrap();

    // The chair reads the anonymous DOCX as HTML and scores it.
    log_in(&client, &app, "chair@example.org").await;
    client.goto(&app.url("/assess")).await.unwrap();
    click(&client, "a[href^='/essay']").await;
    let essay = text_of(&client, "#essay-text").await;
    assert!(essay.contains("Key challenges"), "{essay}");
    let page = body_text(&client).await;
    assert!(!page.contains("Ana Silva") && !page.contains("ana@example.org"));
    click(&client, "#submit-score").await;
    wait_for_text(&client, "you: ").await;

    // The chair sees the aggregate and longlists.
    client.goto(&app.url("/assess")).await.unwrap();
    wait_for_text(&client, "Results").await;
    click(&client, "button[data-decide]").await;
    wait_for_text(&client, "longlisted").await;

    // An admin edits the vacancy's rules; the self-test runs on save.
    click(&client, "#account-link").await;
    click(&client, "#logout").await;
    // Logging out navigates home; wait for it before going anywhere else.
    wait_for_text(&client, "Register").await;
    log_in(&client, &app, "admin@example.org").await;
    client.goto(&app.url("/admin")).await.unwrap();
    click(&client, "details summary").await;
    click(&client, "button[data-save='251334']").await;
    wait_for_text(&client, "Self-test passed").await;
    client.close().await.unwrap();
}

#[tokio::test]
async fn a_candidate_registers_logs_in_sees_their_name_reads_french_and_logs_out() {
    if !installed() {
        println!("browser tests skipped: chromium/chromedriver not installed");
        return;
    }
    let app = spawn_app().await;
    let (_driver, client) = browser().await;
    english(&client, &app).await;

    // Register: every field has a label, nationality is one of the member states.
    client.goto(&app.url("/register")).await.unwrap();
    for id in ["email", "full_name", "nationality", "password"] {
        let label = text_of(&client, &format!("label[for='{id}']")).await;
        assert!(!label.is_empty(), "no label for #{id}");
    }
    let options = client
        .find_all(Locator::Css("#nationality option"))
        .await
        .unwrap()
        .len();
    assert_eq!(options, 34, "placeholder, 32 member states and OTHER");
    fill(&client, "#email", "bo@example.org").await;
    fill(&client, "#full_name", "Bo Jensen").await;
    choose(&client, "#nationality", "DK").await;
    fill(&client, "#password", PASSWORD).await;
    click(&client, "#register").await;
    assert_eq!(text_of(&client, "#account-link").await, "Bo Jensen");

    // Log out, then log in again through the form.
    click(&client, "#account-link").await;
    click(&client, "#logout").await;
    text_of(&client, "#login-link").await;
    log_in(&client, &app, "bo@example.org").await;
    assert_eq!(text_of(&client, "#account-link").await, "Bo Jensen");
    wait_for_text(&client, "My applications").await;

    // French: the switch re-renders the page, sets <html lang> and is remembered.
    click(&client, "#lang-fr").await;
    wait_for_text(&client, "Mes candidatures").await;
    wait_for_text(&client, "Postes à pourvoir").await;
    assert_eq!(html_lang(&client).await.as_deref(), Some("fr"));
    let pressed = client
        .find(Locator::Css("#lang-fr"))
        .await
        .unwrap()
        .attr("aria-pressed")
        .await
        .unwrap();
    assert_eq!(pressed.as_deref(), Some("true"));
    click(&client, "#account-link").await;
    wait_for_text(&client, "Mon compte").await;
    assert_eq!(html_lang(&client).await.as_deref(), Some("fr"));
    assert_eq!(text_of(&client, "#logout").await, "Se déconnecter");

    // Log out: the header offers to log in again, still in French.
    click(&client, "#logout").await;
    assert_eq!(text_of(&client, "#login-link").await, "Se connecter");
    let session: serde_json::Value = client
        .execute("return fetch('/api/session').then((r) => r.json())", vec![])
        .await
        .unwrap();
    assert!(session["account"].is_null(), "{session}");
    client.close().await.unwrap();
}

#[tokio::test]
async fn a_failed_login_announces_the_problem_detail_in_an_alert() {
    if !installed() {
        println!("browser tests skipped: chromium/chromedriver not installed");
        return;
    }
    let app = spawn_app().await;
    app.candidate("cy@example.org").await;
    // What the API says for wrong credentials; the page must show exactly that detail.
    let (_, response) = app
        .login("cy@example.org", "not the right passphrase")
        .await;
    assert_eq!(response.status(), 401);
    let problem: serde_json::Value = response.json().await.unwrap();
    let detail = problem["detail"].as_str().unwrap().to_owned();
    assert!(!detail.is_empty());

    let (_driver, client) = browser().await;
    english(&client, &app).await;
    client.goto(&app.url("/login")).await.unwrap();
    fill(&client, "#email", "cy@example.org").await;
    fill(&client, "#password", "still not the right one").await;
    click(&client, "#login").await;
    let alert = text_of(&client, "[role='alert']").await;
    assert!(alert.contains(&detail), "alert '{alert}' lacks '{detail}'");
    // Still logged out, still on the login page.
    assert!(client
        .current_url()
        .await
        .unwrap()
        .path()
        .ends_with("/login"));
    text_of(&client, "#login-link").await;
    client.close().await.unwrap();
}

#[tokio::test]
async fn every_public_page_renders_under_the_content_security_policy_in_both_languages() {
    if !installed() {
        println!("browser tests skipped: chromium/chromedriver not installed");
        return;
    }
    let app = spawn_app().await;
    app.open_vacancy("251334", Utc::now() + chrono::Duration::days(3))
        .await;
    let (_driver, client) = browser().await;
    english(&client, &app).await;
    let pages = [
        ("/", "Vacancies", "Postes à pourvoir"),
        ("/vacancy?ref=251334", "Key challenges", "Principaux défis"),
        ("/login", "Log in", "Connexion"),
        (
            "/register",
            "Create a candidate account",
            "Créer un compte de candidat",
        ),
        (
            "/reset",
            "Reset your password",
            "Réinitialiser votre mot de passe",
        ),
        (
            "/reset?token=abc&invite=1",
            "Choose your password",
            "Choisissez votre mot de passe",
        ),
    ];
    for (lang, pick) in [("en", 0), ("fr", 1)] {
        for (path, en, fr) in pages {
            let sep = if path.contains('?') { '&' } else { '?' };
            client
                .goto(&app.url(&format!("{path}{sep}lang={lang}")))
                .await
                .unwrap();
            // The pages are built by module scripts: an h1 means they ran under the CSP.
            text_of(&client, "main h1").await;
            wait_for_text(&client, if pick == 0 { en } else { fr }).await;
            assert_eq!(html_lang(&client).await.as_deref(), Some(lang), "{path}");
            let alerts = client
                .find_all(Locator::Css("main .alert"))
                .await
                .unwrap()
                .len();
            assert_eq!(alerts, 0, "{path} in {lang} shows an error");
        }
    }
    // The vacancy's countdown ticks by the server's clock.
    client
        .goto(&app.url("/vacancy?ref=251334&lang=en"))
        .await
        .unwrap();
    wait_for_text(&client, "Closes in 2 days").await;
    let first = text_of(&client, ".countdown").await;
    // It ticks every second; a busy machine may skip ticks, so wait for a change (up to 40 s).
    let mut later = first.clone();
    for _ in 0..200 {
        tokio::time::sleep(Duration::from_millis(200)).await;
        later = text_of(&client, ".countdown").await;
        if later != first {
            break;
        }
    }
    assert_ne!(first, later, "the countdown does not tick");
    client.close().await.unwrap();
}

#[tokio::test]
async fn the_pages_file_name_pre_check_agrees_with_the_servers_rule() {
    if !installed() {
        println!("browser tests skipped: chromium/chromedriver not installed");
        return;
    }
    let app = spawn_app().await;
    let (_driver, client) = browser().await;
    client.goto(&app.url("/login")).await.unwrap();
    text_of(&client, "main h1").await;
    let cases = [
        ("251334 Key challenges.docx", true),
        ("251334_key-CHALLENGES.docx", true),
        ("C:\\Users\\ana\\251334.Key.challenges.docx", true),
        ("Key challenges - 251334.docx", true),
        ("Key  challenges__251334.pdf", true),
        ("2513345 Key challenges.docx", false),
        ("251334 challenges key.docx", false),
        ("25l334 Key challenges.docx", false),
        ("my essay.docx", false),
        ("251334 Key\u{202e}xcod.challenges.exe", false),
    ];
    // The expectations are the server's rule as policy/src/filename.rs states it.
    for (name, want) in cases {
        let page = client
            .execute_async(
                "const [name, done] = [arguments[0], arguments[arguments.length - 1]];
                 import('/js/precheck.js').then((m) => done(m.filenameOk(name, '251334', 'Key challenges')));",
                vec![serde_json::json!(name)],
            )
            .await
            .unwrap();
        assert_eq!(page, serde_json::json!(want), "page on {name}");
    }
    // Both dictionaries have the same keys.
    let missing = client
        .execute_async(
            "const done = arguments[arguments.length - 1];
             Promise.all([import('/js/i18n/en.js'), import('/js/i18n/fr.js')]).then(([en, fr]) => {
               const a = Object.keys(en.default), b = Object.keys(fr.default);
               done(a.filter((k) => !b.includes(k)).concat(b.filter((k) => !a.includes(k))));
             });",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(missing, serde_json::json!([]));
    client.close().await.unwrap();
}

#[tokio::test]
async fn a_candidate_withdraws_and_after_the_deadline_the_page_is_read_only() {
    if !installed() {
        println!("browser tests skipped: chromium/chromedriver not installed");
        return;
    }
    let app = spawn_app().await;
    app.open_vacancy("251334", Utc::now() + chrono::Duration::days(3))
        .await;
    app.candidate("di@example.org").await;
    let (_driver, client) = browser().await;
    english(&client, &app).await;
    log_in(&client, &app, "di@example.org").await;

    // Apply without confirming the statements: the page says what is missing.
    client.goto(&app.url("/vacancy?ref=251334")).await.unwrap();
    click(&client, "#apply").await;
    let alert = text_of(&client, "#apply-form [role='alert']").await;
    assert!(alert.contains("confirm"), "{alert}");
    for checkbox in client
        .find_all(Locator::Css("input[name=affirm]"))
        .await
        .unwrap()
    {
        checkbox.click().await.unwrap();
    }
    click(&client, "#apply").await;
    text_of(&client, "label[for='file-key-challenges']").await;

    // Withdraw asks first, then the apply form comes back.
    click(&client, "#withdraw").await;
    wait_for_text(&client, "Withdraw your application?").await;
    click(&client, "#withdraw-yes").await;
    wait_for_text(&client, "You withdrew this application.").await;
    text_of(&client, "#apply").await;
    for checkbox in client
        .find_all(Locator::Css("input[name=affirm]"))
        .await
        .unwrap()
    {
        checkbox.click().await.unwrap();
    }
    click(&client, "#apply").await;
    text_of(&client, "#file-key-challenges").await;

    // After the deadline: no upload, no withdraw, and the reason.
    app.set_deadline("251334", Utc::now() - chrono::Duration::minutes(10))
        .await;
    client.refresh().await.unwrap();
    wait_for_text(&client, "The deadline has passed").await;
    for css in ["#file-key-challenges", "#withdraw"] {
        assert!(
            client.find(Locator::Css(css)).await.is_err(),
            "{css} still shown"
        );
    }
    client.close().await.unwrap();
}

#[tokio::test]
async fn after_login_the_page_never_leaves_the_site_whatever_next_says() {
    if !installed() {
        println!("browser tests skipped: chromium/chromedriver not installed");
        return;
    }
    let app = spawn_app().await;
    app.candidate("cy@example.org").await;
    let (_driver, client) = browser().await;
    // (next as typed in the address bar, path expected after login)
    let cases = [
        ("/%5Cevil.example/", "/"),
        ("/%09/evil.example/", "/"),
        ("//evil.example/", "/"),
        ("https://evil.example/", "/"),
        ("/applications", "/applications"),
    ];
    for (next, expected) in cases {
        client
            .goto(&app.url(&format!("/login?next={next}")))
            .await
            .unwrap();
        fill(&client, "#email", "cy@example.org").await;
        fill(&client, "#password", PASSWORD).await;
        click(&client, "#login").await;
        text_of(&client, "#account-link").await;
        let url = client.current_url().await.unwrap();
        assert_eq!(url.host_str(), Some("127.0.0.1"), "next={next}: {url}");
        assert_eq!(url.path(), expected, "next={next}: {url}");
        client.delete_all_cookies().await.unwrap();
    }
    client.close().await.unwrap();
}
