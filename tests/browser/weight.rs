//! Page weight: requests, bytes over the wire and first render of the pages people open most,
//! each in a new browser (an empty cache), read from the Performance API. Prints a Markdown
//! table (docs/page-weight.md has the last one), and checks what keeps pages light: text is
//! compressed, assets are cached, the favicon exists, pdf.js comes only with a PDF.
//!
//! Run: `cargo test --test browser page_weight -- --nocapture`

use std::time::Duration;

use fantoccini::Client;
use serde_json::Value;

use crate::driver::*;
use crate::helpers::TestApp;

/// What the page at hand loaded: its document and every resource, as the browser counts them.
async fn weigh(client: &Client) -> Value {
    // Let late requests (translations, pdf.js, the worker) finish.
    tokio::time::sleep(Duration::from_millis(1500)).await;
    client
        .execute(
            "const nav = performance.getEntriesByType('navigation')[0];
             const all = [nav, ...performance.getEntriesByType('resource')];
             const paint = performance.getEntriesByType('paint').find((p) => p.name === 'first-contentful-paint');
             return {
               requests: all.length,
               transfer: all.reduce((n, e) => n + (e.transferSize || 0), 0),
               encoded: all.reduce((n, e) => n + (e.encodedBodySize || 0), 0),
               decoded: all.reduce((n, e) => n + (e.decodedBodySize || 0), 0),
               fcp: paint ? Math.round(paint.startTime) : null,
               names: all.map((e) => e.name.replace(location.origin, '') + ' ' + (e.encodedBodySize || 0) + '/' + (e.decodedBodySize || 0)),
             };",
            vec![],
        )
        .await
        .unwrap()
}

/// A new browser logged in as `email` (when given), on `path`, once it says `needle`.
async fn visit(app: &TestApp, email: Option<&str>, path: &str, needle: &str) -> (Driver, Client) {
    let (driver, client) = browser().await;
    english(&client, app).await;
    if let Some(email) = email {
        log_in(&client, app, email).await;
    }
    // A second tab's worth of cache would hide the first visit: a new document, cache as it is
    // after logging in (the login page's assets are shared with every page).
    client.goto(&app.url(path)).await.unwrap();
    wait_for_text(&client, needle).await;
    (driver, client)
}

fn kb(n: &Value) -> String {
    format!("{:.1}", n.as_f64().unwrap_or(0.0) / 1024.0)
}

#[tokio::test]
async fn page_weight() {
    if !installed() {
        return;
    }
    let app = crate::helpers::spawn_app().await;
    app.open_vacancy("251334", chrono::Utc::now() + chrono::Duration::days(3))
        .await;
    let crate::staff::Setting {
        app,
        pdf: (_, pdf_version),
        docx: (_, docx_version),
        ..
    } = crate::staff::setting(app).await;
    // A candidate on another vacancy, still open, for the checklist.
    app.open_vacancy("250875", chrono::Utc::now() + chrono::Duration::days(3))
        .await;
    let (ana, _) = app.applicant("cy@example.org", "250875").await;
    drop(ana);

    let mut rows = vec![];
    let mut details = vec![];
    let pages: [(&str, Option<&str>, String, &str); 6] = [
        ("home", None, "/".into(), "Vacancies"),
        (
            "a vacancy",
            None,
            "/vacancy?ref=250875".into(),
            "Documents to upload",
        ),
        (
            "the checklist after an upload",
            Some("cy@example.org"),
            "/vacancy?ref=250875".into(),
            "Your documents",
        ),
        (
            "/assess",
            Some("chair@example.org"),
            "/assess".into(),
            "Essays to read",
        ),
        (
            "an essay (Word)",
            Some("chair@example.org"),
            format!("/essay?version={docx_version}"),
            "Modernising the delivery",
        ),
        (
            "an essay (PDF)",
            Some("chair@example.org"),
            format!("/essay?version={pdf_version}"),
            "PDF · 2 pages",
        ),
    ];
    // A first pass, not measured: the server compresses each file once, when it is first asked
    // for (a debug build's brotli makes that first time slow).
    for (_, email, path, needle) in &pages {
        let (_driver, client) = visit(&app, *email, path, needle).await;
        tokio::time::sleep(Duration::from_millis(1500)).await;
        client.close().await.unwrap();
    }
    for (label, email, path, needle) in pages {
        let (_driver, client) = visit(&app, email, &path, needle).await;
        if label.starts_with("the checklist") {
            let input = "#file-key-challenges";
            pick_file(
                &client,
                input,
                "three-pages-a4.docx",
                "250875 Key challenges.docx",
            )
            .await;
            wait_for_text(&client, "Not accepted").await;
        }
        if label.ends_with("(PDF)") {
            element(&client, "canvas.pdf-page").await;
        }
        let w = weigh(&client).await;
        let names: Vec<&str> = w["names"]
            .as_array()
            .unwrap()
            .iter()
            .map(|n| n.as_str().unwrap())
            .collect();
        // Scripts and styles arrive compressed.
        for name in names
            .iter()
            .filter(|n| n.contains(".js ") || n.contains(".css "))
        {
            let sizes = name.rsplit(' ').next().unwrap();
            let (sent, unpacked) = sizes.split_once('/').unwrap();
            let (sent, unpacked): (u64, u64) = (sent.parse().unwrap(), unpacked.parse().unwrap());
            assert!(
                unpacked < 1024 || sent < unpacked,
                "{label}: {name} was not compressed"
            );
        }
        // pdf.js, only with a PDF to draw.
        let pdfjs = names.iter().any(|n| n.contains("/vendor/pdfjs/"));
        assert_eq!(
            pdfjs,
            label.ends_with("(PDF)"),
            "{label}: pdf.js loaded: {pdfjs}"
        );
        rows.push(format!(
            "| {label} | {} | {} | {} | {} | {} |",
            w["requests"],
            kb(&w["transfer"]),
            kb(&w["encoded"]),
            kb(&w["decoded"]),
            w["fcp"]
                .as_u64()
                .map_or("—".into(), |ms| format!("{ms} ms"))
        ));
        details.push(format!("{label}:\n  {}", names.join("\n  ")));
        client.close().await.unwrap();
    }
    let table = format!(
        "| page | requests | KB over the wire (this visit) | KB of bodies as sent (empty cache) | KB of bodies unpacked | first contentful paint |\n|---|---|---|---|---|---|\n{}\n",
        rows.join("\n")
    );
    println!("{table}\n{}", details.join("\n"));
    // The favicon is there: no 404 on every page.
    let favicon = reqwest::get(app.url("/favicon.ico")).await.unwrap();
    assert_eq!(favicon.status(), 200);
    if let Some(path) = std::env::var_os("PAGE_WEIGHT_OUT") {
        std::fs::write(path, &table).unwrap();
    }
}
