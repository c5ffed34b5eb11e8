//! Running it for real: readiness, one server per SQLite data folder, a shared receipt key,
//! and backups taken while candidates upload that restore into a working service.
use std::collections::BTreeSet;

use sea_orm::{ConnectionTrait, Statement};
use serde_json::Value;

use crate::helpers::*;

const REFERENCE: &str = "251334";

#[tokio::test]
async fn readiness_says_the_database_answers_and_every_migration_is_applied() {
    let app = spawn_app().await;

    let (status, body) = status_of(
        app.client
            .get(app.url("/health/ready"))
            .send()
            .await
            .unwrap(),
    )
    .await;

    assert_eq!(status, 200, "{body}");
    assert_eq!(body["ready"], true);
    assert_eq!(body["database"], true);
    assert_eq!(body["pending_migrations"], 0);
    // No SMTP server configured: no sender to ask about.
    assert_eq!(body["mail_sender"], Value::Null);
}

#[tokio::test]
async fn a_second_server_on_the_same_sqlite_data_folder_is_refused_with_the_reason() {
    let (settings, data_dir) = test_settings().await;
    if settings.database_url.is_some() {
        // Many instances on one PostgreSQL database is the supported way to scale.
        let first = spawn_app_with(settings.clone(), data_dir).await;
        let second = api::startup::Application::build(settings).await;
        assert!(second.is_ok(), "a second instance on PostgreSQL starts");
        drop(first);
        return;
    }
    let _first = spawn_app_with(settings.clone(), data_dir).await;

    let second = api::startup::Application::build(settings.clone()).await;

    let error = second
        .err()
        .expect("the second server is refused")
        .to_string();
    assert!(error.contains("already using the data folder"), "{error}");
    assert!(
        error.contains(&settings.data_dir.display().to_string()),
        "{error}"
    );
}

#[tokio::test]
async fn instances_that_share_a_receipt_key_file_publish_the_same_key() {
    let keys = tempfile::tempdir().unwrap();
    let key_file = keys.path().join("receipt.pem");
    let generated = api::service::receipts::ReceiptSigner::generate_to(&key_file).unwrap();
    let with_key =
        |s: &mut api::configuration::Settings| s.receipt_key_file = Some(key_file.clone());
    let first = spawn_app_changed(with_key).await;
    let second = spawn_app_changed(with_key).await;

    assert_eq!(published_key(&first).await, generated.public_key_base64());
    assert_eq!(published_key(&second).await, generated.public_key_base64());
    // A key is never overwritten: that would orphan every receipt signed with it.
    let again = api::service::receipts::ReceiptSigner::generate_to(&key_file);
    assert!(again.is_err());
}

#[tokio::test]
async fn a_configured_receipt_key_file_that_is_missing_stops_the_start_with_the_fix() {
    let (mut settings, _data_dir) = test_settings().await;
    settings.receipt_key_file = Some("/nonexistent/receipt.pem".into());

    let error = api::startup::Application::build(settings)
        .await
        .err()
        .expect("no start without the configured key")
        .to_string();

    assert!(error.contains("keys generate"), "{error}");
}

/// The receipt key `app` publishes.
async fn published_key(app: &TestApp) -> String {
    let url = app.url("/.well-known/essay-portal-receipt-key");
    let body: Value = app
        .client
        .get(url)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    body["public_key"].as_str().unwrap().to_owned()
}

/// Version ids, with the sha256 the upload acknowledged.
async fn stored_versions(db: &sea_orm::DatabaseConnection) -> BTreeSet<(String, String)> {
    let rows = db
        .query_all_raw(Statement::from_string(
            db.get_database_backend(),
            "SELECT id, blob_sha256 FROM document_versions",
        ))
        .await
        .unwrap();
    rows.iter()
        .map(|row| {
            (
                row.try_get::<String>("", "id").unwrap(),
                row.try_get::<String>("", "blob_sha256").unwrap(),
            )
        })
        .collect()
}

#[tokio::test]
async fn a_backup_taken_during_uploads_restores_every_version_acknowledged_before_it() {
    // Arrange: candidates who keep replacing their essay while the backup runs.
    let app = app_with_vacancy(REFERENCE).await;
    let mut uploaders = Vec::new();
    for n in 0..3 {
        let (candidate, application) = app.applicant(&format!("c{n}@example.org"), REFERENCE).await;
        uploaders.push((candidate, application));
    }
    let mut before = BTreeSet::new();
    for (candidate, application) in &uploaders {
        let (status, body) = status_of(candidate.send_pdf(&app, application, 1).await).await;
        assert_eq!(status, 201, "{body}");
        before.insert(body["version"]["id"].as_str().unwrap().to_owned());
    }
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    // The backup starts once uploads are flowing (the first one acknowledged), not after a fixed
    // sleep: on a loaded machine a first upload once took longer than sleep and backup together,
    // and nothing overlapped.
    let flowing = std::sync::Arc::new(tokio::sync::Notify::new());
    let mut during = Vec::new();
    for (candidate, application) in &uploaders {
        let (stop, flowing, app_ref) = (stop.clone(), flowing.clone(), &app);
        during.push(async move {
            let mut acknowledged = Vec::new();
            let mut pages = 1;
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                pages = pages % 2 + 1;
                let response = candidate.send_pdf(app_ref, application, pages).await;
                if response.status() == 201 {
                    let body: Value = response.json().await.unwrap();
                    acknowledged.push(body["version"]["id"].as_str().unwrap().to_owned());
                    flowing.notify_one();
                }
            }
            acknowledged
        });
    }
    let backup_dir = tempfile::tempdir().unwrap();
    let backup_file = backup_dir.path().join("essay-portal-backup.zip");

    // Act: back up while the uploads go on, then restore into a new, empty database.
    let backing_up = async {
        flowing.notified().await;
        let manifest = api::backup::backup(&app.settings, &backup_file).await;
        stop.store(true, std::sync::atomic::Ordering::Relaxed);
        manifest
    };
    let (manifest, acknowledged_during) =
        tokio::join!(backing_up, futures_util::future::join_all(during));
    let manifest = manifest.expect("backup written");
    assert!(
        acknowledged_during.iter().any(|acks| !acks.is_empty()),
        "uploads were acknowledged while the backup ran"
    );
    let (restored_settings, restored_dir) = test_settings().await;
    api::backup::restore(&restored_settings, &backup_file)
        .await
        .expect("restored");
    let restored = spawn_app_with(restored_settings, restored_dir).await;

    // Assert: everything acknowledged before the backup is there, whole, and verifies with the
    // key the original service published.
    assert!(manifest.document_versions >= before.len() as i64);
    let original = stored_versions(&app.db).await;
    let copied = stored_versions(&restored.db).await;
    let copied_ids: BTreeSet<_> = copied.iter().map(|(id, _)| id.clone()).collect();
    assert!(
        before.is_subset(&copied_ids),
        "{before:?} not all in {copied_ids:?}"
    );
    assert!(
        copied.is_subset(&original),
        "the restore holds nothing the original did not"
    );
    let published = published_key(&app).await;
    assert_eq!(published_key(&restored).await, published);
    let (client, response) = restored.login("c0@example.org", PASSWORD).await;
    assert_eq!(response.status(), 200);
    let (applications_status, applications) = {
        let response = client
            .get(restored.url("/api/applications"))
            .send()
            .await
            .unwrap();
        status_of(response).await
    };
    assert_eq!(applications_status, 200, "{applications}");
    let mut checked = 0;
    for (id, sha256) in &copied {
        let response = client
            .get(restored.url(&format!("/api/versions/{id}/receipt")))
            .send()
            .await
            .unwrap();
        if response.status() == 404 {
            continue; // another candidate's version
        }
        let receipt: Value = response.json().await.unwrap();
        assert_eq!(receipt["receipt"]["sha256"].as_str(), Some(sha256.as_str()));
        assert!(api::service::receipts::verify_document(&receipt.to_string(), &published).is_ok());
        let file = client
            .get(restored.url(&format!("/api/versions/{id}/file")))
            .send()
            .await
            .unwrap()
            .bytes()
            .await
            .unwrap();
        use sha2::Digest;
        assert_eq!(&hex::encode(sha2::Sha256::digest(&file)), sha256);
        checked += 1;
    }
    assert!(checked >= 1, "the candidate's own versions were checked");
}

#[tokio::test]
async fn a_restore_refuses_a_data_folder_or_database_that_is_not_empty() {
    let app = app_with_vacancy(REFERENCE).await;
    let backup_dir = tempfile::tempdir().unwrap();
    let backup_file = backup_dir.path().join("b.zip");
    api::backup::backup(&app.settings, &backup_file)
        .await
        .unwrap();

    let into_itself = api::backup::restore(&app.settings, &backup_file).await;

    let error = into_itself.expect_err("refused");
    assert!(
        error.contains("already") || error.contains("empty"),
        "{error}"
    );
    // And a backup never overwrites a file.
    let again = api::backup::backup(&app.settings, &backup_file).await;
    assert!(again.err().unwrap().contains("already exists"));
}

#[tokio::test]
async fn a_server_behind_a_proxy_not_declared_to_stream_bodies_warns_at_start_which_instant_counts()
{
    // Arrange: the real binary, behind a trusted proxy, with nothing said of its buffering.
    let data_dir = tempfile::tempdir().unwrap();
    let (mut server, mut log) = serve_behind_a_proxy(data_dir.path(), "127.0.0.1:0", &[]);

    // Act: read the log until the warning, or until the server says it listens without one.
    let mut warning = None;
    let read = async {
        while let Ok(Some(line)) = log.next_line().await {
            if line.contains("proxy_streams_bodies") {
                warning = Some(line);
                return;
            }
        }
    };
    let _ = tokio::time::timeout(std::time::Duration::from_secs(120), read).await;
    server.kill().await.ok();

    // Assert
    let warning = warning.expect("the start log says which instant counts behind the proxy");
    assert!(warning.contains("WARN"), "{warning}");
    assert!(warning.contains("proxy_request_buffering off"), "{warning}");
}

#[tokio::test]
async fn the_request_log_names_the_client_behind_a_trusted_proxy_and_the_route_not_the_path() {
    // Arrange: the real binary with JSON logs, 127.0.0.1 trusted as a proxy, on a free port.
    let data_dir = tempfile::tempdir().unwrap();
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let settings = [
        ("ESSAY_PORTAL_PROXY_STREAMS_BODIES", "true"),
        ("ESSAY_PORTAL_LOG_FORMAT", "json"),
    ];
    let bind = format!("127.0.0.1:{port}");
    let (mut server, mut log) = serve_behind_a_proxy(data_dir.path(), &bind, &settings);
    for _ in 0..600 {
        if tokio::net::TcpStream::connect(("127.0.0.1", port))
            .await
            .is_ok()
        {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let client = reqwest::Client::builder()
        .timeout(std::time::Duration::from_secs(30))
        .build()
        .unwrap();
    // The proxy appended the client's address after one the client wrote itself.
    let answer = client
        .get(format!(
            "http://127.0.0.1:{port}/api/vacancies/000000?token=secret-token"
        ))
        .header("x-forwarded-for", "198.51.100.1, 203.0.113.7")
        .send()
        .await
        .expect("the server answers");
    let request_id = answer.headers()["x-request-id"]
        .to_str()
        .unwrap()
        .to_owned();

    // Act: read the log until the line of that request.
    let mut line_of_request = None;
    let read = async {
        while let Ok(Some(line)) = log.next_line().await {
            if line.contains(&request_id) && line.contains("api::request") {
                line_of_request = Some(line);
                return;
            }
        }
    };
    let _ = tokio::time::timeout(std::time::Duration::from_secs(60), read).await;
    server.kill().await.ok();

    // Assert
    let line = line_of_request.expect("a request log line with the request's id");
    let entry: Value = serde_json::from_str(&line).unwrap();
    let fields = &entry["fields"];
    assert_eq!(fields["client"], "203.0.113.7", "{line}");
    assert_eq!(fields["route"], "/api/vacancies/{reference}", "{line}");
    assert_eq!(fields["status"], 404, "{line}");
    assert_eq!(fields["method"], "GET", "{line}");
    assert!(!line.contains("secret-token"), "{line}");
    assert!(!line.contains("198.51.100.1"), "{line}");
}

/// The real binary serving SQLite in `data_dir` on `bind`, 127.0.0.1 trusted as a proxy, logging
/// at info with `settings` besides, and its log's lines.
fn serve_behind_a_proxy(
    data_dir: &std::path::Path,
    bind: &str,
    settings: &[(&str, &str)],
) -> (
    tokio::process::Child,
    tokio::io::Lines<tokio::io::BufReader<tokio::process::ChildStderr>>,
) {
    use tokio::io::AsyncBufReadExt;
    let mut server = tokio::process::Command::new(env!("CARGO_BIN_EXE_essay-portal"))
        .arg("serve")
        .env("ESSAY_PORTAL_DATA_DIR", data_dir)
        .env("ESSAY_PORTAL_BIND", bind)
        .env("ESSAY_PORTAL_TRUSTED_PROXIES", r#"["127.0.0.1"]"#)
        .env("ESSAY_PORTAL_LOG_LEVEL", "info")
        .envs(settings.iter().copied())
        .env_remove("DATABASE_URL")
        .stderr(std::process::Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    let log = tokio::io::BufReader::new(server.stderr.take().unwrap()).lines();
    (server, log)
}
