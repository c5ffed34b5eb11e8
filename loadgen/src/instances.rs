//! `loadgen rush --instances N`: several servers on one PostgreSQL database, as a deployment with
//! a load balancer runs them, and the checks that only matter then: one published receipt key,
//! every receipt verifying with it, and each mail delivered exactly once.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use testkit::client::Candidate;
use testkit::server::Spec;

use crate::{Res, Run};

/// A real SMTP server (aiosmtpd) keeping every message it accepts as JSON in a folder.
pub struct MailSink {
    child: Child,
    pub url: String,
    folder: PathBuf,
}

impl Drop for MailSink {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl MailSink {
    pub fn start(script: &Path, folder: PathBuf) -> Res<Self> {
        let port = testkit::server::free_port();
        let mut child = Command::new("python3")
            .arg(script)
            .arg(port.to_string())
            .arg(&folder)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .map_err(|e| format!("python3 {}: {e}", script.display()))?;
        let mut line = String::new();
        let stdout = child.stdout.take().ok_or("no stdout")?;
        BufReader::new(stdout).read_line(&mut line)?;
        if line.trim() != "ready" {
            return Err(format!(
                "the SMTP sink did not start (pip install aiosmtpd?): {}",
                line.trim()
            )
            .into());
        }
        Ok(Self {
            child,
            url: format!("smtp://127.0.0.1:{port}"),
            folder,
        })
    }

    /// Deliveries per Message-ID.
    pub fn deliveries(&self) -> Res<BTreeMap<String, usize>> {
        let mut by_id = BTreeMap::new();
        for entry in std::fs::read_dir(&self.folder)? {
            let path = entry?.path();
            if path.extension().is_some_and(|x| x == "json") {
                let message: serde_json::Value =
                    serde_json::from_str(&std::fs::read_to_string(&path)?)?;
                let id = message["message_id"]
                    .as_str()
                    .unwrap_or_default()
                    .to_owned();
                *by_id.entry(id).or_insert(0) += 1;
            }
        }
        Ok(by_id)
    }
}

/// The specs of `n` instances: one database, one key file, one mail server; each its own
/// data folder (the server log) and port.
pub fn specs(base: &Spec, n: usize, sink: Option<&MailSink>) -> Res<Vec<Spec>> {
    if n > 1 && base.database_url.is_none() {
        return Err(
            "--instances above 1 needs --database-url: one SQLite data folder takes one server"
                .into(),
        );
    }
    let mut specs = Vec::new();
    let key_file = base.data_dir.join("receipt-signing-key-shared.pem");
    if n > 1 {
        let generated = Command::new(&base.bin)
            .args(["keys", "generate", "--to"])
            .arg(&key_file)
            .stdout(Stdio::null())
            .status()?;
        if !generated.success() {
            return Err("essay-portal keys generate failed".into());
        }
    }
    for i in 0..n {
        let mut spec = base.clone();
        if n > 1 {
            spec.data_dir = base.data_dir.join(format!("instance-{i}"));
            std::fs::create_dir_all(&spec.data_dir)?;
            spec.port = testkit::server::free_port();
            spec.env.push((
                "ESSAY_PORTAL_RECEIPT_KEY_FILE".into(),
                key_file.display().to_string(),
            ));
        }
        if let Some(sink) = sink {
            spec.env
                .push(("ESSAY_PORTAL_SMTP_URL".into(), sink.url.clone()));
        }
        specs.push(spec);
    }
    Ok(specs)
}

/// The receipt key each instance publishes; they must all be the same one.
pub async fn published_keys(urls: &[String]) -> Res<Vec<String>> {
    let client = reqwest::Client::new();
    let mut keys = Vec::new();
    for url in urls {
        let body: serde_json::Value = client
            .get(format!("{url}/.well-known/essay-portal-receipt-key"))
            .send()
            .await?
            .json()
            .await?;
        keys.push(body["public_key"].as_str().unwrap_or_default().to_owned());
    }
    Ok(keys)
}

/// Fetches each version's receipt (from the instances in turn) and verifies it with `key`;
/// returns the versions whose receipt is missing or does not verify.
pub async fn unverified_receipts(
    urls: &[String],
    candidates: &[Candidate],
    versions: &[(usize, String)],
    key: &str,
) -> Vec<String> {
    let mut bad = Vec::new();
    for (n, (who, version)) in versions.iter().enumerate() {
        let url = &urls[n % urls.len()];
        let mut answer = None;
        for _ in 0..3 {
            let response = candidates[*who]
                .client
                .get(format!("{url}/api/versions/{version}/receipt"))
                .send()
                .await;
            if let Ok(response) = response {
                if response.status() == 200 {
                    answer = response.text().await.ok();
                    break;
                }
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        match answer {
            Some(text) if api::service::receipts::verify_document(&text, key).is_ok() => {}
            Some(_) => bad.push(format!("{version}: does not verify")),
            None => bad.push(format!("{version}: no receipt")),
        }
    }
    bad
}

/// Waits (up to `patience`) until the outbox has nothing left to send; returns the number of
/// messages in it and how many are still unsent.
pub async fn wait_for_outbox(run: &Run, patience: Duration) -> Res<(u64, u64)> {
    let started = Instant::now();
    loop {
        let total: u64 = run.query("SELECT COUNT(*) FROM outbox")?.parse()?;
        let unsent: u64 = run
            .query("SELECT COUNT(*) FROM outbox WHERE sent_at IS NULL")?
            .parse()?;
        if unsent == 0 || started.elapsed() >= patience {
            return Ok((total, unsent));
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
}
