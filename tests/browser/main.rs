//! Browser tests: the real application, driven in headless Chromium through chromedriver.
//! Skipped (with a message) where Debian's `chromium` and `chromium-driver` are not installed.
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
    click(&client, "#anyway-key-challenges").await;
    wait_for_text(&client, "Not accepted").await;
    wait_for_text(&client, "251334 Key challenges.docx").await;
    wait_for_text(&client, "page 3").await;

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
    click(&client, "#lang-switch").await;
    wait_for_text(&client, "Accusé de réception").await;
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
