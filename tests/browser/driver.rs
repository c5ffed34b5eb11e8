//! Headless Chromium through chromedriver, and what a person does on a page.

use std::process::{Child, Command, Stdio};
use std::time::Duration;

use fantoccini::elements::Element;
use fantoccini::{Client, ClientBuilder, Locator};

use crate::helpers::{fixture, spawn_app, TestApp, PASSWORD};

pub struct Driver {
    child: Child,
    port: u16,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Whether Debian's `chromium` and `chromium-driver` are installed; when not, the test is
/// skipped, or fails under CI.
pub fn installed() -> bool {
    let installed = ["/usr/bin/chromium", "/usr/bin/chromedriver"]
        .iter()
        .all(|p| std::path::Path::new(p).exists());
    if !installed {
        testkit::ci::skip("browser test: chromium/chromedriver not installed");
    }
    installed
}

/// The application, with vacancy 251334 open for three more days when `vacancy` and the
/// registered `candidate` when given, and a browser on it that reads English, whatever the
/// machine's locale; `None` where the browser is missing.
pub async fn start(vacancy: bool, candidate: Option<&str>) -> Option<(TestApp, Driver, Client)> {
    if !installed() {
        return None;
    }
    let app = spawn_app().await;
    if vacancy {
        app.open_vacancy("251334", chrono::Utc::now() + chrono::Duration::days(3))
            .await;
    }
    if let Some(email) = candidate {
        app.candidate(email).await;
    }
    let (driver, client) = browser().await;
    english(&client, &app).await;
    Some((app, driver, client))
}

pub async fn browser() -> (Driver, Client) {
    // Both rustls back-ends are compiled in through different dependencies; pick one.
    let _ = rustls::crypto::ring::default_provider().install_default();
    let port = testkit::server::free_port();
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

/// The element `css` selects, once it is there (up to 40 s).
pub async fn element(client: &Client, css: &str) -> Element {
    client
        .wait()
        .at_most(Duration::from_secs(40))
        .for_element(Locator::Css(css))
        .await
        .unwrap()
}

pub async fn text_of(client: &Client, css: &str) -> String {
    element(client, css).await.text().await.unwrap()
}

/// The page's text, with French typography's no-break spaces (U+00A0, U+202F) as the spaces a
/// reader sees.
pub async fn body_text(client: &Client) -> String {
    // During a navigation the old body can vanish between finding it and reading it.
    match client.find(Locator::Css("body")).await {
        Ok(body) => spaced(&body.text().await.unwrap_or_default()),
        Err(_) => String::new(),
    }
}

/// `text` with no-break spaces (U+00A0, U+202F) as plain spaces.
pub fn spaced(text: &str) -> String {
    text.replace(['\u{a0}', '\u{202f}'], " ")
}

pub async fn wait_for_text(client: &Client, needle: &str) {
    let needle = &spaced(needle);
    for _ in 0..200 {
        if body_text(client).await.contains(needle.as_str()) {
            return;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    panic!(
        "'{needle}' never appeared; the page says:\n{}",
        body_text(client).await
    );
}

/// How many elements `css` selects now.
pub async fn count(client: &Client, css: &str) -> usize {
    client.find_all(Locator::Css(css)).await.unwrap().len()
}

/// Waits until the page says each of `needles`.
pub async fn wait_for_all(client: &Client, needles: &[&str]) {
    for needle in needles {
        wait_for_text(client, needle).await;
    }
}

/// Clicks `css`, then waits until the page says `needle`.
pub async fn click_then_see(client: &Client, css: &str, needle: &str) {
    click(client, css).await;
    wait_for_text(client, needle).await;
}

pub async fn fill(client: &Client, css: &str, value: &str) {
    let field = element(client, css).await;
    field.clear().await.unwrap();
    field.send_keys(value).await.unwrap();
}

pub async fn click(client: &Client, css: &str) {
    element(client, css).await.click().await.unwrap();
}

pub async fn choose(client: &Client, css: &str, value: &str) {
    element(client, css)
        .await
        .select_by_value(value)
        .await
        .unwrap();
}

/// Ticks every statement the application asks the candidate to confirm.
pub async fn affirm_all(client: &Client) {
    for checkbox in client
        .find_all(Locator::Css("input[name=affirm]"))
        .await
        .unwrap()
    {
        checkbox.click().await.unwrap();
    }
}

/// Picks fixture `name`, saved as `as_name`, in the file input `css`.
pub async fn pick_file(client: &Client, css: &str, name: &str, as_name: &str) {
    let dir = tempfile::tempdir().unwrap().keep();
    let path = dir.join(as_name);
    std::fs::write(&path, fixture(name)).unwrap();
    let input = element(client, css).await;
    input.send_keys(&path.display().to_string()).await.unwrap();
}

/// Picks a file of `bytes`, saved as `as_name`, in the file input `css`.
pub async fn pick_file_bytes(client: &Client, css: &str, bytes: &[u8], as_name: &str) {
    let dir = tempfile::tempdir().unwrap().keep();
    let path = dir.join(as_name);
    std::fs::write(&path, bytes).unwrap();
    let input = element(client, css).await;
    input.send_keys(&path.display().to_string()).await.unwrap();
}

/// With BROWSER_SCREENSHOTS=<dir>, saves what the browser shows, to look at the design.
pub async fn snap(client: &Client, name: &str) {
    if let Some(dir) = std::env::var_os("BROWSER_SCREENSHOTS") {
        let png = client.screenshot().await.unwrap();
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(std::path::Path::new(&dir).join(format!("{name}.png")), png).unwrap();
    }
}

pub async fn html_lang(client: &Client) -> Option<String> {
    client
        .find(Locator::Css("html"))
        .await
        .unwrap()
        .attr("lang")
        .await
        .unwrap()
}

/// Makes English the page's language (a `?lang=` link stores the choice).
pub async fn english(client: &Client, app: &TestApp) {
    client.goto(&app.url("/?lang=en")).await.unwrap();
    text_of(client, "main h1").await;
}

/// Sends the login form at `path` (the login page, perhaps with `next`).
pub async fn submit_login(client: &Client, app: &TestApp, path: &str, email: &str, password: &str) {
    client.goto(&app.url(path)).await.unwrap();
    fill(client, "#email", email).await;
    fill(client, "#password", password).await;
    click(client, "#login").await;
}

/// Logs in through the form; the header then shows the account.
pub async fn log_in(client: &Client, app: &TestApp, email: &str) {
    submit_login(client, app, "/login", email, PASSWORD).await;
    text_of(client, "#account-link").await;
}

/// Makes `code` ("en" or "fr") the page's language, through the same `?lang=` link.
pub async fn language(client: &Client, app: &TestApp, code: &str) {
    client
        .goto(&app.url(&format!("/?lang={code}")))
        .await
        .unwrap();
    text_of(client, "main h1").await;
}

/// The phone and desktop window sizes every page state is checked at.
pub const PHONE: (u32, u32) = (390, 844);
pub const DESKTOP: (u32, u32) = (1280, 1000);

/// axe-core (npm `axe-core`, vendored in `tests/browser/vendor/`) over the page as it is now, at
/// phone and at desktop size: fails with every violation, whatever its impact. `state` names the
/// page state in the failure. Leaves the window at desktop size.
pub async fn assert_accessible(client: &Client, state: &str) {
    const AXE: &str = include_str!("vendor/axe.min.js");
    let loaded = client
        .execute("return typeof window.axe === 'object';", vec![])
        .await
        .unwrap();
    if loaded != serde_json::json!(true) {
        client.execute(AXE, vec![]).await.unwrap();
    }
    for (label, (width, height)) in [("phone", PHONE), ("desktop", DESKTOP)] {
        client.set_window_size(width, height).await.unwrap();
        // Let the layout settle at the new size before measuring contrast and targets.
        tokio::time::sleep(Duration::from_millis(150)).await;
        let violations = client
            .execute_async(
                "const done = arguments[arguments.length - 1];
                 window.axe.run(document, { resultTypes: ['violations'] })
                   .then((r) => done(r.violations.map((v) => ({
                     id: v.id, impact: v.impact, help: v.help,
                     nodes: v.nodes.slice(0, 5).map((n) => n.target.join(' ') + ' :: ' + n.html.slice(0, 160)),
                   }))))
                   .catch((e) => done([{ id: 'axe-error', impact: 'critical', help: String(e), nodes: [] }]));",
                vec![],
            )
            .await
            .unwrap();
        assert_eq!(
            violations,
            serde_json::json!([]),
            "axe-core violations on '{state}' at {label} size:\n{violations:#}"
        );
    }
}
