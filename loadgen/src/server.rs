//! The server under test: the release binary as a child process, on a fresh data directory and,
//! with `--database-url`, a fresh PostgreSQL database; killed with SIGKILL and restarted at will.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU32, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use crate::Res;

/// Everything needed to (re)start the same server: binary, data directory, database, port.
#[derive(Clone)]
pub struct Spec {
    pub bin: PathBuf,
    pub data_dir: PathBuf,
    /// The per-run PostgreSQL database, when not SQLite.
    pub database_url: Option<String>,
    pub port: u16,
    /// Extra `ESSAY_PORTAL_*` settings for the run.
    pub env: Vec<(String, String)>,
}

pub struct Server {
    pub child: Child,
    pub url: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

impl Spec {
    fn command(&self) -> Command {
        let mut command = Command::new(&self.bin);
        command
            .env("ESSAY_PORTAL_DATA_DIR", &self.data_dir)
            .env("ESSAY_PORTAL_LOG_LEVEL", "warn");
        // Never let a caller's DATABASE_URL leak into a SQLite run.
        command.env_remove("DATABASE_URL");
        if let Some(url) = &self.database_url {
            command.env("DATABASE_URL", url);
        }
        for (key, value) in &self.env {
            command.env(key, value);
        }
        command
    }

    /// `essay-portal admin create`, the password on stdin.
    pub fn create_admin(&self, email: &str, password: &str) -> Res<()> {
        use std::io::Write;
        let mut create = self
            .command()
            .args(["admin", "create", "--email", email])
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .spawn()?;
        writeln!(create.stdin.take().ok_or("no stdin")?, "{password}")?;
        if !create.wait()?.success() {
            return Err("admin create failed".into());
        }
        Ok(())
    }

    /// Starts `serve` and waits (up to 60 s) for `/health` to answer 200. The server's log goes to
    /// `server.log` in the data directory (appended across restarts).
    pub async fn start(&self) -> Res<Server> {
        let log = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(self.data_dir.join("server.log"))?;
        let child = self
            .command()
            .args(["serve", "--bind", &format!("127.0.0.1:{}", self.port)])
            .arg("--data-dir")
            .arg(&self.data_dir)
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()?;
        let server = Server {
            child,
            url: format!("http://127.0.0.1:{}", self.port),
        };
        let probe = reqwest::Client::builder()
            .timeout(Duration::from_secs(2))
            .build()?;
        for _ in 0..600 {
            if let Ok(r) = probe.get(format!("{}/health", server.url)).send().await {
                if r.status() == 200 {
                    return Ok(server);
                }
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        Err("the server did not become healthy within 60 s".into())
    }
}

/// A fresh PostgreSQL database named after this run, created with `psql` on the server that
/// `base_url` names; returns its URL.
pub fn create_database(base_url: &str) -> Res<String> {
    let name = format!(
        "loadgen_{}_{}",
        std::process::id(),
        chrono::Utc::now().timestamp()
    );
    psql(base_url, &format!("CREATE DATABASE {name}"))?;
    let (prefix, _) = base_url
        .rsplit_once('/')
        .ok_or("--database-url must look like postgres://user@host:port/db")?;
    Ok(format!("{prefix}/{name}"))
}

pub fn drop_database(base_url: &str, url: &str) {
    if let Some((_, name)) = url.rsplit_once('/') {
        let _ = psql(base_url, &format!("DROP DATABASE IF EXISTS {name}"));
    }
}

pub fn psql(url: &str, sql: &str) -> Res<String> {
    let out = Command::new("psql")
        .args([url, "-v", "ON_ERROR_STOP=1", "-tA", "-c", sql])
        .output()?;
    if !out.status.success() {
        return Err(format!("psql: {}", String::from_utf8_lossy(&out.stderr)).into());
    }
    Ok(String::from_utf8_lossy(&out.stdout).trim().to_owned())
}

pub fn sqlite(path: &Path, sql: &str) -> Res<String> {
    let out = Command::new("sqlite3").arg(path).arg(sql).output()?;
    if !out.status.success() {
        return Err(format!("sqlite3: {}", String::from_utf8_lossy(&out.stderr)).into());
    }
    Ok(String::from_utf8_lossy(&out.stdout).trim().to_owned())
}

/// A field of `/proc/<pid>/status` in KiB (0 when the process is gone).
pub fn status_kib(pid: u32, field: &str) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with(field))
                .and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
        })
        .unwrap_or(0)
}

/// The resident memory of `pid`'s children (the inspection workers), summed, and how many there are.
pub fn children_rss_kib(pid: u32) -> (u64, u64) {
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return (0, 0);
    };
    let mut total = 0;
    let mut count = 0;
    for child in entries
        .flatten()
        .filter_map(|e| e.file_name().to_str()?.parse::<u32>().ok())
        .filter(|p| status_kib(*p, "PPid:") == u64::from(pid))
    {
        total += status_kib(child, "VmRSS:");
        count += 1;
    }
    (total, count)
}

/// Samples memory every 20 ms: the server's VmHWM (the kernel's own peak, read just before each
/// kill and at the end) and the largest sum of its children's VmRSS seen, plus the most children.
#[derive(Default)]
pub struct MemoryProbe {
    pub pid: AtomicU32,
    pub server_hwm_kib: AtomicU64,
    pub children_peak_kib: AtomicU64,
    pub children_peak_count: AtomicU64,
}

impl MemoryProbe {
    pub fn spawn(self: &Arc<Self>) -> tokio::task::JoinHandle<()> {
        let probe = self.clone();
        tokio::task::spawn_blocking(move || loop {
            let pid = probe.pid.load(Ordering::Relaxed);
            if pid == u32::MAX {
                return;
            }
            if pid != 0 {
                probe.record_hwm(pid);
                let (rss, count) = children_rss_kib(pid);
                probe.children_peak_kib.fetch_max(rss, Ordering::Relaxed);
                probe
                    .children_peak_count
                    .fetch_max(count, Ordering::Relaxed);
            }
            std::thread::sleep(Duration::from_millis(20));
        })
    }

    pub fn record_hwm(&self, pid: u32) {
        self.server_hwm_kib
            .fetch_max(status_kib(pid, "VmHWM:"), Ordering::Relaxed);
    }

    pub fn stop(&self) {
        self.pid.store(u32::MAX, Ordering::Relaxed);
    }
}
