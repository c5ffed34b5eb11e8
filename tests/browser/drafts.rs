//! A candidate going back and forth between drafts on the vacancy page: every file chosen is
//! stored, and the page says which version is current.

use fantoccini::Client;
use sha2::{Digest, Sha256};

use crate::driver::*;
use crate::helpers::fixture;

/// Picks the file at `path` (the same file on disk each time it is given, so its name, size and
/// last-modified time repeat exactly as when a candidate picks it again).
async fn pick_path(client: &Client, path: &std::path::Path) {
    let input = element(client, "#file-key-challenges").await;
    input.send_keys(&path.display().to_string()).await.unwrap();
}

#[tokio::test]
async fn a_candidate_who_goes_back_to_an_earlier_draft_gets_it_stored_as_the_current_version() {
    // Arrange: Ana applied; draft A and draft B are two files on her disk with the same name.
    let Some((app, _driver, client)) = start(true, None).await else {
        return;
    };
    let ana = app.candidate("ana@example.org").await;
    log_in(&client, &app, "ana@example.org").await;
    client.goto(&app.url("/vacancy?ref=251334")).await.unwrap();
    wait_for_text(&client, "Keep the Alliance ready").await;
    affirm_all(&client).await;
    click(&client, "#apply").await;
    let name = "251334 Key challenges.docx";
    let (folder_a, folder_b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let (draft_a, draft_b) = (folder_a.path().join(name), folder_b.path().join(name));
    let a = fixture("two-pages-a4.docx");
    let b = testkit::docx::pages(1, "draft B, a shorter essay");
    std::fs::write(&draft_a, &a).unwrap();
    std::fs::write(&draft_b, &b).unwrap();

    // Act: A, then B, then A again (the same file on disk), then A once more.
    pick_path(&client, &draft_a).await;
    wait_for_text(&client, "stored as version 1").await;
    pick_path(&client, &draft_b).await;
    wait_for_text(&client, "stored as version 2").await;
    pick_path(&client, &draft_a).await;
    wait_for_text(&client, "stored as version 3").await;
    snap(&client, "draft-a-again").await;
    pick_path(&client, &draft_a).await;
    wait_for_text(&client, "already your current document (version 3)").await;

    // Assert: three versions, the current one is draft A's bytes; the same in French.
    let applications = ana.fetch(&app, "/api/applications").await.1;
    let document = &applications[0]["documents"][0];
    assert_eq!(document["versions"].as_array().unwrap().len(), 3);
    assert_eq!(document["current"]["version"], 3);
    assert_eq!(
        document["current"]["sha256"],
        hex::encode(Sha256::digest(&a)),
        "the current version is draft A"
    );
    language(&client, &app, "fr").await;
    client.goto(&app.url("/vacancy?ref=251334")).await.unwrap();
    wait_for_text(&client, "Versions").await;
    pick_path(&client, &draft_b).await;
    wait_for_text(&client, "enregistré comme version 4").await;
    pick_path(&client, &draft_b).await;
    wait_for_text(&client, "déjà votre document actuel (version 4)").await;
    client.close().await.unwrap();
}
