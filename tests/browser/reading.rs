//! An assessor's reading session: when essays open, the essay beside the rubric, marks given by
//! clicking levels, "save and open the next essay", progress on the list, and a phone on which
//! every link and button of the tables stays on screen.

use chrono::{Duration, Utc};
use fantoccini::Client;
use serde_json::json;

use crate::driver::*;
use crate::staff::{setting, Setting};

/// The rectangle of `css` as [left, top, right, bottom] in CSS pixels.
async fn rect(client: &Client, css: &str) -> [f64; 4] {
    element(client, css).await;
    let found = client
        .execute(
            "const r = document.querySelector(arguments[0]).getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom];",
            vec![json!(css)],
        )
        .await
        .unwrap();
    serde_json::from_value(found).unwrap()
}

/// The right edges of every element `css` selects, and the window's width.
async fn right_edges(client: &Client, css: &str) -> (Vec<f64>, f64) {
    let found = client
        .execute(
            "return [[...document.querySelectorAll(arguments[0])].map((e) => e.getBoundingClientRect().right), document.documentElement.clientWidth];",
            vec![json!(css)],
        )
        .await
        .unwrap();
    serde_json::from_value(found).unwrap()
}

#[tokio::test]
async fn an_assessor_reads_beside_the_rubric_clicks_levels_and_goes_on_to_the_next_essay() {
    let Some((app, _driver, client)) = start(true, None).await else {
        return;
    };
    let Setting {
        app,
        docx: (docx_code, docx_version),
        pdf: (pdf_code, pdf_version),
        ..
    } = setting(app).await;

    // Before the deadline and its grace: the page says from when essays can be read.
    app.set_deadline("251334", Utc::now() + Duration::hours(2))
        .await;
    log_in(&client, &app, "member@example.org").await;
    client.goto(&app.url("/assess")).await.unwrap();
    wait_for_text(&client, "Essays can be read from").await;
    assert_accessible(&client, "assess, essays not yet open (en)").await;
    snap(&client, "assess-not-yet-open").await;
    app.close("251334").await;

    // Open: progress, and on a phone each row a card whose link stays on screen.
    client.goto(&app.url("/assess")).await.unwrap();
    wait_for_text(&client, "You have scored 0 of 2 essays.").await;
    client.set_window_size(PHONE.0, PHONE.1).await.unwrap();
    let (edges, width) = right_edges(&client, "table.essays a[data-code]").await;
    assert_eq!(edges.len(), 2);
    assert!(
        edges.iter().all(|right| *right <= width),
        "links off screen on a phone: {edges:?} > {width}"
    );
    snap(&client, "assess-phone").await;
    client.set_window_size(DESKTOP.0, DESKTOP.1).await.unwrap();

    // The Word essay beside the rubric, in no box of its own.
    client
        .goto(&app.url(&format!("/essay?version={docx_version}")))
        .await
        .unwrap();
    wait_for_text(&client, &docx_code).await;
    let essay = rect(&client, ".essay-section").await;
    let side = rect(&client, ".score-side").await;
    assert!(
        side[0] >= essay[2] && side[1] < essay[3],
        "score beside the essay: {essay:?} {side:?}"
    );
    let boxed = client
        .execute(
            "const s = getComputedStyle(document.querySelector('#essay-text')); return s.maxHeight !== 'none' || ['auto', 'scroll'].includes(s.overflowY);",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(boxed, json!(false), "the essay scrolls in a box of its own");
    wait_for_text(&client, "You have scored 0 of 2 essays.").await;
    assert_accessible(&client, "essay beside the rubric (en)").await;
    snap(&client, "essay-beside-rubric").await;

    // Levels are clicked; "save and open the next essay" saves, then opens the PDF.
    click(&client, "label[for='mark-challenge-1-4']").await;
    click(&client, "label[for='mark-writing-3']").await;
    let next = element(&client, "#submit-score-next").await;
    assert_eq!(
        next.attr("data-next").await.unwrap().as_deref(),
        Some(pdf_version.as_str())
    );
    click(&client, "#submit-score-next").await;
    // Read in the page, not through an element handle: the page is being replaced, and a
    // handle found on the old one goes stale.
    let heading = || async {
        client
            .execute(
                "return document.querySelector('main h1')?.textContent || '';",
                vec![],
            )
            .await
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default()
    };
    for _ in 0..200 {
        if heading().await.contains(&pdf_code) {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(heading().await.contains(&pdf_code), "{}", heading().await);
    wait_for_text(&client, "You have scored 1 of 2 essays.").await;
    assert!(client
        .current_url()
        .await
        .unwrap()
        .as_str()
        .ends_with(&format!("/essay?version={pdf_version}")));
    // Nothing left to score after this one: no "next", a way back to the list.
    element(&client, "#back-to-list").await;
    assert_eq!(count(&client, "#submit-score-next").await, 0);

    // The score of the first essay was saved before the page moved on.
    client.goto(&app.url("/assess")).await.unwrap();
    wait_for_text(&client, "You have scored 1 of 2 essays.").await;
    let scored = text_of(&client, &format!("a[data-code='{docx_code}']")).await;
    assert!(scored.contains("scored"), "{scored}");

    // French: the same session, keyboard-free, in French words.
    language(&client, &app, "fr").await;
    client.goto(&app.url("/assess")).await.unwrap();
    wait_for_text(&client, "Essais notés : 1 sur 2.").await;
    assert_accessible(&client, "assess with progress (fr)").await;
    client.close().await.unwrap();
}
