//! Crash consistency: kill -9 the server while 50 uploads are in flight, restart it, and check
//! that every upload that was acknowledged (2xx) is there with a matching SHA-256, that nothing
//! is half-stored, and that the server starts cleanly.
#[path = "../api/helpers.rs"]
mod helpers;
#[path = "../support/server.rs"]
mod server;

use std::time::Duration;

use sea_orm::{ConnectionTrait, Database, EntityTrait};
use server::{candidate, create_admin, create_vacancy, log_in, start};
use sha2::{Digest, Sha256};

const BIN: &str = env!("CARGO_BIN_EXE_essay-portal");

#[tokio::test]
async fn acknowledged_uploads_survive_kill_9_and_nothing_is_half_stored() {
    let data = tempfile::tempdir().unwrap();
    create_admin(BIN, data.path(), "admin@example.org", helpers::PASSWORD);
    let server = start(BIN, data.path()).await;
    let admin = log_in(&server.url, "admin@example.org", helpers::PASSWORD).await;
    create_vacancy(&server.url, &admin, "CRASH1", &["pdf"], None).await;
    let mut candidates = Vec::new();
    for n in 0..10 {
        candidates.push(candidate(&server.url, n, "CRASH1", helpers::PASSWORD).await);
    }

    // Act: 50 uploads of distinct files in flight, and kill -9 part-way.
    let mut uploads = tokio::task::JoinSet::new();
    let (acks, mut acked) = tokio::sync::mpsc::unbounded_channel::<()>();
    for i in 0..50usize {
        let acks = acks.clone();
        let who = candidates[i % 10].clone();
        let url = server.url.clone();
        // Each file differs (page width within the A4 tolerance), so each has its own hash.
        let bytes = helpers::pdf(&[(595.0 + i as f64 * 0.01, 841.89)]);
        uploads.spawn(async move {
            let response =
                server::upload(&url, &who, &format!("essay-{i}.pdf"), bytes.clone()).await;
            let acknowledged = match response {
                Ok(r) if r.status().is_success() => r
                    .json::<serde_json::Value>()
                    .await
                    .ok()
                    .map(|b| b["version"]["id"].as_str().unwrap_or_default().to_owned()),
                _ => None,
            };
            if acknowledged.is_some() {
                let _ = acks.send(());
            }
            (i % 10, acknowledged, hex::encode(Sha256::digest(&bytes)))
        });
    }
    // Kill once a few uploads are acknowledged, so some are done and others in flight.
    let _ = tokio::time::timeout(Duration::from_secs(30), async {
        for _ in 0..5 {
            acked.recv().await;
        }
    })
    .await;
    let mut server = server;
    server.child.kill().unwrap(); // SIGKILL
    server.child.wait().unwrap();
    let mut results = Vec::new();
    while let Some(result) = uploads.join_next().await {
        results.push(result.unwrap());
    }
    let acknowledged: Vec<_> = results
        .iter()
        .filter(|(_, version, _)| version.is_some())
        .collect();
    println!(
        "{} of 50 uploads acknowledged before kill -9",
        acknowledged.len()
    );
    assert!(
        !acknowledged.is_empty(),
        "the kill came before any upload was acknowledged"
    );

    // Assert: a clean restart, every acknowledged upload present and intact.
    let restarted = start(BIN, data.path()).await;
    for (candidate, version, sha) in &acknowledged {
        let (client, _, _) = &candidates[*candidate];
        let version = version.as_ref().unwrap();
        let response = client
            .get(format!("{}/api/versions/{version}/file", restarted.url))
            .send()
            .await
            .unwrap();
        assert_eq!(
            response.status(),
            200,
            "acknowledged version {version} is missing"
        );
        let bytes = response.bytes().await.unwrap();
        assert_eq!(
            &hex::encode(Sha256::digest(&bytes)),
            sha,
            "version {version} changed"
        );
    }
    // Nothing half-stored: every version has its blob, and every blob's bytes match its key.
    let db = Database::connect(format!(
        "sqlite://{}?mode=ro",
        data.path().join("essay-portal.sqlite").display()
    ))
    .await
    .unwrap();
    let versions = entity::document_versions::Entity::find()
        .all(&db)
        .await
        .unwrap();
    assert!(versions.len() >= acknowledged.len());
    for version in &versions {
        let blob = entity::blobs::Entity::find_by_id(version.blob_sha256.clone())
            .one(&db)
            .await
            .unwrap();
        let blob = blob.unwrap_or_else(|| panic!("version {} has no blob", version.id));
        assert_eq!(hex::encode(Sha256::digest(&blob.bytes)), blob.sha256);
        assert_eq!(blob.bytes.len() as i64, version.size_bytes);
        assert!(!version.receipt.is_empty());
    }
    let orphans = db
        .query_all_raw(sea_orm::Statement::from_string(
            db.get_database_backend(),
            "SELECT COUNT(*) AS n FROM blobs WHERE sha256 NOT IN (SELECT blob_sha256 FROM document_versions)",
        ))
        .await
        .unwrap();
    let orphans: i64 = orphans[0].try_get("", "n").unwrap();
    assert_eq!(orphans, 0, "a blob without a version was left behind");
    drop(restarted);
}
