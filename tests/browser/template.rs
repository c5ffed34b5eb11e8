//! The essay template, end to end in the browser: a candidate reading French downloads the
//! vacancy's Word template from the vacancy page, uploads it unchanged, is accepted, and
//! downloads their own file back, byte for byte.

use fantoccini::Client;

use crate::driver::*;

/// `href` fetched with the page's own session, as the browser's download would: status, the
/// `Content-Disposition` header, and the bytes.
async fn download_in_page(client: &Client, href: &str) -> (u16, String, Vec<u8>) {
    let answer = client
        .execute_async(
            "const [href, done] = [arguments[0], arguments[arguments.length - 1]];
             fetch(href, { credentials: 'same-origin' })
               .then(async (r) => done([r.status, r.headers.get('content-disposition') || '',
                                        Array.from(new Uint8Array(await r.arrayBuffer()))]))
               .catch((e) => done([0, String(e), []]));",
            vec![serde_json::json!(href)],
        )
        .await
        .unwrap();
    let status = answer[0].as_u64().unwrap() as u16;
    let disposition = answer[1].as_str().unwrap().to_owned();
    let bytes = answer[2]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b.as_u64().unwrap() as u8)
        .collect();
    (status, disposition, bytes)
}

#[tokio::test]
async fn a_candidate_downloads_the_template_uploads_it_and_downloads_their_file_in_french() {
    let Some((app, _driver, client)) = start(true, None).await else {
        return;
    };
    app.applicant("ana@example.org", "251334").await;
    log_in(&client, &app, "ana@example.org").await;
    language(&client, &app, "fr").await;

    // The template, from the link beside the document's rules.
    client.goto(&app.url("/vacancy?ref=251334")).await.unwrap();
    wait_for_text(&client, "Télécharger un modèle Word").await;
    let link = element(&client, "a.template-link").await;
    let href = link.attr("href").await.unwrap().unwrap();
    let (status, disposition, template) = download_in_page(&client, &href).await;
    assert_eq!(status, 200);
    assert!(
        disposition.contains("251334 Key challenges.docx"),
        "{disposition}"
    );
    assert_accessible(&client, "vacancy with the template link (fr)").await;

    // Uploaded unchanged, under the name it came with: accepted.
    pick_file_bytes(
        &client,
        "#file-key-challenges",
        &template,
        "251334 Key challenges.docx",
    )
    .await;
    wait_for_text(&client, "Accepté").await;
    assert_accessible(&client, "template accepted (fr)").await;

    // Their own file back, the same bytes.
    let mine = element(&client, "a.download").await;
    let href = mine.attr("href").await.unwrap().unwrap();
    let (status, _, downloaded) = download_in_page(&client, &href).await;
    assert_eq!(status, 200);
    assert_eq!(downloaded, template);
    client.close().await.unwrap();
}
