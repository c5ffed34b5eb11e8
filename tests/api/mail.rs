//! Mail through a real SMTP server: `tests/mail/smtp_sink.py` (Python's aiosmtpd, from PyPI)
//! started per test on a free port. Where aiosmtpd is not installed the tests say they were
//! skipped, except under CI, where that is a failure (`.ci/run` installs it).
use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use serde_json::{json, Value};

use crate::helpers::*;

const REFERENCE: &str = "251334";

/// A running SMTP server that keeps every message it accepts.
pub struct SmtpSink {
    child: Child,
    pub port: u16,
    maildir: tempfile::TempDir,
}

impl Drop for SmtpSink {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn script() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/mail/smtp_sink.py")
}

pub fn aiosmtpd_installed() -> bool {
    let installed = Command::new("python3")
        .args(["-c", "import aiosmtpd"])
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !installed {
        testkit::ci::skip("mail test: python3 -m pip install aiosmtpd");
    }
    installed
}

impl SmtpSink {
    /// Listens on `port` (a free one when `None`); refuses the first `refuse_first` messages
    /// with "451 try again later".
    pub fn start(port: Option<u16>, refuse_first: usize) -> Self {
        let port = port.unwrap_or_else(testkit::server::free_port);
        let maildir = tempfile::tempdir().unwrap();
        let mut child = Command::new("python3")
            .arg(script())
            .arg(port.to_string())
            .arg(maildir.path())
            .arg("--refuse-first")
            .arg(refuse_first.to_string())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("python3 runs");
        let mut line = String::new();
        let stdout = child.stdout.take().unwrap();
        BufReader::new(stdout).read_line(&mut line).unwrap();
        assert_eq!(line.trim(), "ready", "the SMTP sink did not start");
        Self {
            child,
            port,
            maildir,
        }
    }

    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    /// Every message received so far, decoded, in arrival order.
    pub fn messages(&self) -> Vec<Value> {
        let mut files: Vec<_> = std::fs::read_dir(self.maildir.path())
            .unwrap()
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "json"))
            .collect();
        files.sort();
        files
            .iter()
            .map(|p| serde_json::from_str(&std::fs::read_to_string(p).unwrap()).unwrap())
            .collect()
    }

    /// Waits (up to 60 s) until a message whose subject contains `subject` arrived for `to`.
    pub async fn wait_for(&self, to: &str, subject: &str) -> Value {
        for _ in 0..600 {
            if let Some(found) = self.messages().into_iter().find(|m| {
                m["to"].as_str().is_some_and(|t| t.contains(to))
                    && m["subject"].as_str().is_some_and(|s| s.contains(subject))
            }) {
                return found;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!(
            "no '{subject}' mail for {to}; received: {:#}",
            json!(self.messages())
        );
    }
}

async fn app_sending_to(sink_url: String) -> TestApp {
    let app = spawn_app_changed(move |s| {
        s.smtp_url = Some(sink_url);
        s.mail_from = "Recruitment <recruitment@example.org>".into();
        s.public_origin = Some("https://essays.example.org".into());
    })
    .await;
    app.open_vacancy(REFERENCE, chrono::Utc::now() + chrono::Duration::days(3))
        .await;
    app
}

#[tokio::test]
async fn receipts_resets_and_invitations_arrive_at_a_real_smtp_server_with_their_content() {
    if !aiosmtpd_installed() {
        return;
    }
    let sink = SmtpSink::start(None, 0);
    let app = app_sending_to(sink.url()).await;
    let admin = app.admin().await;
    let (ana, application) = app.applicant("ana@example.org", REFERENCE).await;

    // Act: an accepted essay, a password reset, an invitation.
    let (status, accepted) = status_of(ana.send_pdf(&app, &application, 1).await).await;
    assert_eq!(status, 201, "{accepted}");
    let visitor = app.visitor().await;
    let (status, body) = status_of(
        visitor
            .post(
                &app,
                "/api/password-reset",
                json!({"email": "ana@example.org"}),
            )
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert!(status < 300, "{status} {body}");
    let (status, body) = admin
        .send(
            &app,
            "/api/admin/accounts",
            json!({"email": "new.assessor@example.org", "full_name": "Noor Assessor", "role": "assessor"}),
        )
        .await;
    assert!(status < 300, "{status} {body}");

    // Assert: each arrives, from the configured sender, with what the person needs.
    let receipt = sink.wait_for("ana@example.org", "Receipt").await;
    assert!(receipt["from"]
        .as_str()
        .unwrap()
        .contains("recruitment@example.org"));
    let receipt_body = receipt["body"].as_str().unwrap();
    assert!(receipt_body.contains(REFERENCE), "{receipt_body}");
    assert!(
        receipt_body.contains(accepted["version"]["sha256"].as_str().unwrap()),
        "{receipt_body}"
    );
    // In the account's language only (English: nothing else was asked for at registration).
    assert!(receipt_body.contains("We received"), "{receipt_body}");
    assert!(!receipt_body.contains("Nous avons"), "{receipt_body}");
    let reset = sink.wait_for("ana@example.org", "Reset").await;
    let reset_body = reset["body"].as_str().unwrap();
    assert!(
        reset_body.contains("https://essays.example.org/reset?token="),
        "{reset_body}"
    );
    let invitation = sink.wait_for("new.assessor@example.org", "").await;
    let invitation_body = invitation["body"].as_str().unwrap();
    assert!(invitation_body.contains("invite=1"), "{invitation_body}");
    // Delivered, the stored copy loses its one-time token. (The sink has the message a moment
    // before the sender records the delivery.)
    let mut outbox = Value::Null;
    for _ in 0..100 {
        outbox = admin.fetch(&app, "/api/admin/outbox").await.1;
        let statuses: Vec<_> = outbox
            .as_array()
            .unwrap()
            .iter()
            .map(|m| m["status"].clone())
            .collect();
        if statuses.iter().all(|s| s == "sent") {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    for message in outbox.as_array().unwrap() {
        assert_eq!(message["status"], "sent", "{message}");
        let body = message["body"].as_str().unwrap();
        assert!(
            !body.contains("token=") || body.contains("token=[hidden]"),
            "{body}"
        );
    }
}

#[tokio::test]
async fn a_server_that_refuses_is_retried_and_the_message_arrives_once() {
    if !aiosmtpd_installed() {
        return;
    }
    let sink = SmtpSink::start(None, 1);
    let app = app_sending_to(sink.url()).await;
    let (ana, application) = app.applicant("ana@example.org", REFERENCE).await;

    let (status, _) = status_of(ana.send_pdf(&app, &application, 1).await).await;
    assert_eq!(status, 201);

    sink.wait_for("ana@example.org", "Receipt").await;
    // Give a duplicate the time to show up if there were one.
    tokio::time::sleep(Duration::from_secs(6)).await;
    let receipts = sink
        .messages()
        .into_iter()
        .filter(|m| m["subject"].as_str().unwrap_or("").contains("Receipt"))
        .count();
    assert_eq!(receipts, 1);
}

#[tokio::test]
async fn mail_queued_while_the_server_is_down_arrives_once_it_is_up() {
    if !aiosmtpd_installed() {
        return;
    }
    // Nothing listens on the port yet.
    let port = testkit::server::free_port();
    let app = app_sending_to(format!("smtp://127.0.0.1:{port}")).await;
    let (ana, application) = app.applicant("ana@example.org", REFERENCE).await;
    let (status, _) = status_of(ana.send_pdf(&app, &application, 1).await).await;
    assert_eq!(status, 201);
    // Let at least one delivery attempt fail.
    tokio::time::sleep(Duration::from_secs(6)).await;

    let sink = SmtpSink::start(Some(port), 0);

    sink.wait_for("ana@example.org", "Receipt").await;
}

#[tokio::test]
async fn two_instances_on_one_database_deliver_each_message_exactly_once() {
    if !aiosmtpd_installed() {
        return;
    }
    let (settings, data_dir) = test_settings().await;
    if settings.database_url.is_none() {
        // One SQLite data folder takes one server (the second is refused); this runs on
        // PostgreSQL, in CI's second pass.
        return;
    }
    let sink = SmtpSink::start(None, 0);
    let keys = tempfile::tempdir().unwrap();
    let key_file = keys.path().join("receipt.pem");
    api::service::receipts::ReceiptSigner::generate_to(&key_file).unwrap();
    let mut shared = settings.clone();
    shared.smtp_url = Some(sink.url());
    shared.receipt_key_file = Some(key_file);
    let first = spawn_app_with(shared.clone(), data_dir).await;
    let mut second_settings = shared.clone();
    let second_dir = tempfile::tempdir().unwrap();
    second_settings.data_dir = second_dir.path().to_path_buf();
    let second = spawn_app_with(second_settings, second_dir).await;

    // Twelve invitations, half through each instance (sessions live in the database, and
    // cookies do not tell ports apart, so the admin's session works on both).
    let admin = first.admin().await;
    for n in 0..12 {
        let app = if n % 2 == 0 { &first } else { &second };
        let (status, body) = admin
            .send(
                app,
                "/api/admin/accounts",
                json!({"email": format!("p{n}@example.org"), "full_name": "Invited Person", "role": "assessor"}),
            )
            .await;
        assert!(status < 300, "{status} {body}");
    }

    for n in 0..12 {
        sink.wait_for(&format!("p{n}@example.org"), "").await;
    }
    // Both senders have had several rounds to send a message twice.
    tokio::time::sleep(Duration::from_secs(11)).await;
    let mut per_recipient = std::collections::BTreeMap::new();
    for message in sink.messages() {
        *per_recipient
            .entry(message["to"].as_str().unwrap().to_owned())
            .or_insert(0) += 1;
    }
    assert_eq!(per_recipient.len(), 12, "{per_recipient:?}");
    assert!(per_recipient.values().all(|&n| n == 1), "{per_recipient:?}");
}
