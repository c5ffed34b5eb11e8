//! Crash consistency: kill -9 the server while 50 uploads are in flight, restart it, and check
//! that every upload that was acknowledged (2xx) is there with a matching SHA-256, that nothing
//! is half-stored, and that the server starts cleanly.
use std::time::Duration;

use sea_orm::{ConnectionTrait, Database, EntityTrait};
use sha2::{Digest, Sha256};
use testkit::client::{candidate, create_vacancy, log_in, upload};
use testkit::server::Spec;
use testkit::PASSWORD;

#[tokio::test]
async fn acknowledged_uploads_survive_kill_9_and_nothing_is_half_stored() {
    let data = tempfile::tempdir().unwrap();
    let spec = Spec::new(env!("CARGO_BIN_EXE_essay-portal"), data.path());
    spec.create_admin("admin@example.org", PASSWORD).unwrap();
    let mut server = spec.start().await.unwrap();
    let admin = log_in(&server.url, "admin@example.org", PASSWORD)
        .await
        .unwrap();
    create_vacancy(&server.url, &admin, "CRASH1", &["pdf"], None, 10 << 20)
        .await
        .unwrap();
    let mut candidates = Vec::new();
    for n in 0..10 {
        candidates.push(candidate(&server.url, n, "CRASH1").await.unwrap());
    }

    // Act: 50 uploads of distinct files in flight, and kill -9 part-way.
    let mut uploads = tokio::task::JoinSet::new();
    let (acks, mut acked) = tokio::sync::mpsc::unbounded_channel::<()>();
    for i in 0..50usize {
        let acks = acks.clone();
        let who = candidates[i % 10].clone();
        let url = server.url.clone();
        // Each file differs (page width within the A4 tolerance), so each has its own hash.
        let bytes = testkit::pdf::pages(&[(595.0 + i as f64 * 0.01, 841.89)]);
        uploads.spawn(async move {
            let response = upload(&url, &who, &format!("essay-{i}.pdf"), bytes.clone(), None).await;
            let acknowledged = match response {
                Ok((status, body)) if (200..300).contains(&status) => Some(
                    body["version"]["id"]
                        .as_str()
                        .unwrap_or_default()
                        .to_owned(),
                ),
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
    server.kill().unwrap(); // SIGKILL
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
    let restarted = spec.start().await.unwrap();
    for (candidate, version, sha) in &acknowledged {
        let version = version.as_ref().unwrap();
        let (status, bytes) =
            testkit::client::download(&restarted.url, &candidates[*candidate], version)
                .await
                .unwrap();
        assert_eq!(status, 200, "acknowledged version {version} is missing");
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
