//! The inspection workers: a worker that hangs or dies, and workers reused.
use super::*;

/// Starts an app whose inspection worker is `script` (a shell script standing in for a worker
/// that hangs or dies), with a one-second time-out, and the vacancy open.
async fn app_with_worker(script: &str) -> (TestApp, tempfile::TempDir) {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let worker = dir.path().join("worker.sh");
    std::fs::write(&worker, format!("#!/bin/sh\n{script}\n")).unwrap();
    std::fs::set_permissions(&worker, std::fs::Permissions::from_mode(0o755)).unwrap();
    let app = open_app(|s| {
        s.inspection_worker = Some(worker);
        s.inspection_timeout_seconds = 1;
    })
    .await;
    (app, dir)
}

#[tokio::test]
async fn a_worker_that_hangs_or_dies_gives_a_plain_rejection_and_the_service_keeps_serving() {
    let damaged = "It is damaged or too complex to read safely.";
    let table = [
        ("hangs", "sleep 600", "Reading it took too long."),
        ("dies", "exit 3", damaged),
        (
            "answers garbage",
            "head -c 4 >/dev/null; printf 'xxxxxxxxgarbage'",
            damaged,
        ),
    ];
    for (why, script, message) in table {
        // Arrange
        let (app, _worker) = app_with_worker(script).await;
        let (ana, application) = app.applicant("ana@example.org", REFERENCE).await;

        // Act
        let started = std::time::Instant::now();
        let response = ana.send_pdf(&app, &application, 2).await;
        let (status, body) = status_of(response).await;

        // Assert
        assert_eq!(status, 422, "{why}: {body}");
        // Not a speed check: a worker that hangs for 600 s must be cut off at its 1 s time-out, so
        // the bound is the time-out plus a margin that a machine at a tenth of its speed keeps.
        assert!(
            started.elapsed() < std::time::Duration::from_secs(1 + 120),
            "{why}: answered at the worker's time-out, not when the worker finished"
        );
        let rules = body["verdict"]["rules"].as_array().unwrap();
        let readable = rules.iter().find(|r| r["status"] == "fail").unwrap();
        let en = readable["message"]["en"].as_str().unwrap();
        assert!(en.contains(message), "{why}: {readable}");
        let health = reqwest::get(app.url("/health")).await.unwrap();
        assert_eq!(health.status(), 200, "{why}");
    }
}

#[tokio::test]
async fn workers_are_reused_and_a_hostile_file_does_not_spoil_the_next_upload() {
    // Arrange
    let app = app_with_vacancy(REFERENCE).await;
    let (ana, application) = app.applicant("ana@example.org", REFERENCE).await;
    let mut truncated = pdf(&[A4, A4]);
    truncated.truncate(truncated.len() * 6 / 10);

    // Act: good, cut short, good, good — more uploads than workers run at once.
    let mut statuses = Vec::new();
    let essays = [
        pdf(&[A4, A4]),
        truncated,
        fixture("two-pages-a4.docx"),
        pdf(&[A4]),
    ];
    for (n, bytes) in essays.into_iter().enumerate() {
        let extension = if bytes.starts_with(b"%PDF") {
            "pdf"
        } else {
            "docx"
        };
        let name = format!("251334 Key challenges {n}.{extension}");
        let (status, body) = ana.submit(&app, &application, &name, bytes).await;
        statuses.push(status);
        if status == 422 {
            let rules = body["verdict"]["rules"].to_string();
            assert!(rules.contains("cut short"), "{body}");
        }
    }

    // Assert
    assert_eq!(statuses, [201, 422, 201, 201]);
}
