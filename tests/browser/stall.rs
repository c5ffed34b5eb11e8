//! An upload whose answer never comes back, and refused attempts that survive a reload and a
//! change of language. The browser talks to the application through a TCP relay that the test
//! can make swallow the server's answers: the upload reaches the server and is stored, but the
//! page hears nothing, as when a mobile connection dies after the last byte went out.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use fantoccini::Client;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

use crate::driver::*;
use crate::helpers::TestApp;

/// A relay on a port of its own to the application. While `swallow` is set, what the server
/// sends back is read and dropped, so the browser waits for an answer that never comes.
struct Relay {
    port: u16,
    swallow: Arc<AtomicBool>,
}

impl Relay {
    async fn start(app: &TestApp) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let swallow = Arc::new(AtomicBool::new(false));
        let (target, flag) = (app.port, swallow.clone());
        tokio::spawn(async move {
            while let Ok((browser, _)) = listener.accept().await {
                let flag = flag.clone();
                tokio::spawn(async move {
                    let Ok(server) = TcpStream::connect(("127.0.0.1", target)).await else {
                        return;
                    };
                    let (mut from_browser, mut to_browser) = browser.into_split();
                    let (mut from_server, mut to_server) = server.into_split();
                    tokio::spawn(async move {
                        let _ = tokio::io::copy(&mut from_browser, &mut to_server).await;
                        let _ = to_server.shutdown().await;
                    });
                    let mut buffer = vec![0u8; 64 * 1024];
                    loop {
                        let read = match from_server.read(&mut buffer).await {
                            Ok(0) | Err(_) => break,
                            Ok(read) => read,
                        };
                        if flag.load(Ordering::SeqCst) {
                            continue;
                        }
                        if to_browser.write_all(&buffer[..read]).await.is_err() {
                            break;
                        }
                    }
                });
            }
        });
        Self { port, swallow }
    }

    fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }

    fn swallow(&self, on: bool) {
        self.swallow.store(on, Ordering::SeqCst);
    }
}

/// Makes the page give up waiting after two seconds instead of a minute.
async fn short_patience(client: &Client) {
    client
        .execute(
            "document.documentElement.dataset.uploadStallMs = '2000';",
            vec![],
        )
        .await
        .unwrap();
}

/// How many versions the server stored for the application's essay.
async fn stored_versions(app: &TestApp) -> usize {
    use sea_orm::{EntityTrait, PaginatorTrait};
    entity::document_versions::Entity::find()
        .count(&app.db)
        .await
        .unwrap() as usize
}

#[tokio::test]
async fn an_upload_whose_answer_is_lost_offers_retry_and_cancel_and_is_stored_once() {
    let Some((app, _driver, client)) = start(true, Some("ana@example.org")).await else {
        return;
    };
    let relay = Relay::start(&app).await;
    client.goto(&relay.url("/?lang=fr")).await.unwrap();
    text_of(&client, "main h1").await;
    fill_login(&client, &relay, "ana@example.org").await;
    client
        .goto(&relay.url("/vacancy?ref=251334"))
        .await
        .unwrap();
    wait_for_text(&client, "Keep the Alliance ready").await;
    affirm_all(&client).await;
    click(&client, "#apply").await;
    element(&client, "#file-key-challenges").await;
    short_patience(&client).await;

    // The answer is lost: after the wait, the page offers to try again or to cancel.
    relay.swallow(true);
    let input = "#file-key-challenges";
    pick_file(
        &client,
        input,
        "two-pages-a4.docx",
        "251334 Key challenges.docx",
    )
    .await;
    element(&client, ".stalled button[data-action=retry]").await;
    wait_for_text(&client, "Aucune réponse du serveur depuis 2").await;
    assert_accessible(&client, "upload stalled (fr)").await;
    snap(&client, "fr-upload-stalled").await;

    // Cancel: the file stays chosen, and can go again from the page.
    click(&client, ".stalled button[data-action=cancel]").await;
    wait_for_text(
        &client,
        "Envoi annulé. 251334 Key challenges.docx reste choisi",
    )
    .await;
    snap(&client, "fr-upload-cancelled").await;
    // The first try did reach the server: the file is stored, once.
    assert_eq!(stored_versions(&app).await, 1);

    // Again, the answer lost again, then "try again" with the connection back: the server
    // answers with the version the first try stored, not a second copy.
    click(&client, "#retry-key-challenges").await;
    element(&client, ".stalled button[data-action=retry]").await;
    relay.swallow(false);
    click(&client, ".stalled button[data-action=retry]").await;
    wait_for_text(&client, "Version 1").await;
    element(&client, ".receipt-link").await;
    assert_eq!(stored_versions(&app).await, 1);
    assert_eq!(count(&client, ".versions li").await, 1);
    assert_accessible(&client, "upload retried and accepted (fr)").await;
    client.close().await.unwrap();
}

async fn fill_login(client: &Client, relay: &Relay, email: &str) {
    client.goto(&relay.url("/login")).await.unwrap();
    fill(client, "#email", email).await;
    fill(client, "#password", crate::helpers::PASSWORD).await;
    click(client, "#login").await;
    text_of(client, "#account-link").await;
}

#[tokio::test]
async fn a_refused_attempt_and_its_fix_stay_after_a_reload_and_a_change_of_language() {
    let Some((app, _driver, client)) = start(true, Some("ana@example.org")).await else {
        return;
    };
    log_in(&client, &app, "ana@example.org").await;
    client.goto(&app.url("/vacancy?ref=251334")).await.unwrap();
    wait_for_text(&client, "Keep the Alliance ready").await;
    affirm_all(&client).await;
    click(&client, "#apply").await;
    let input = "#file-key-challenges";
    pick_file(
        &client,
        input,
        "three-pages-a4.docx",
        "251334 Key challenges.docx",
    )
    .await;
    wait_for_all(&client, &["Not accepted", "page 3"]).await;
    // Listed under the document at once, closed (its checklist is drawn just above).
    element(
        &client,
        "#refused-key-challenges details.refused-attempt:not([open])",
    )
    .await;

    // Reload: the attempt is there, open, with its checklist and fix.
    client.refresh().await.unwrap();
    element(
        &client,
        "#refused-key-challenges details.refused-attempt[open] table.checklist",
    )
    .await;
    wait_for_all(
        &client,
        &["Refused attempts (1)", "251334 Key challenges.docx"],
    )
    .await;
    assert_accessible(&client, "refused attempt after reload (en)").await;

    // French: the same attempt, its checklist in French.
    click(&client, "#lang-fr").await;
    wait_for_text(&client, "Tentatives refusées (1)").await;
    let checklist = text_of(&client, "#refused-key-challenges table.checklist").await;
    assert!(checklist.contains("Nombre de pages"), "{checklist}");
    assert!(!checklist.contains("Number of pages"), "{checklist}");
    assert_accessible(&client, "refused attempt after a change of language (fr)").await;
    snap(&client, "fr-refused-attempt-kept").await;

    // An accepted version: the refusal stays listed, closed, below it.
    pick_file(
        &client,
        input,
        "two-pages-a4.docx",
        "251334 Key challenges.docx",
    )
    .await;
    wait_for_text(&client, "Version 1").await;
    client.refresh().await.unwrap();
    element(&client, ".versions li.current").await;
    element(
        &client,
        "#refused-key-challenges details.refused-attempt:not([open])",
    )
    .await;
    client.close().await.unwrap();
}
