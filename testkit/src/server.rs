//! The `essay-portal` binary as a child process: on a data directory and, optionally, a
//! PostgreSQL database; started, killed with SIGKILL and restarted at will.

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use crate::Res;

/// Everything needed to (re)start the same server: binary, data directory, database, port.
#[derive(Clone)]
pub struct Spec {
    pub bin: PathBuf,
    pub data_dir: PathBuf,
    /// The PostgreSQL database, when not SQLite in the data directory.
    pub database_url: Option<String>,
    pub port: u16,
    /// `ESSAY_PORTAL_*` settings, in order (a later one wins).
    pub env: Vec<(String, String)>,
}

/// A running server; killed when dropped.
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

impl Server {
    /// kill -9, and wait for the process to be gone.
    pub fn kill(&mut self) -> Res<()> {
        self.child.kill()?;
        self.child.wait()?;
        Ok(())
    }
}

/// A port nobody listens on now.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

impl Spec {
    /// `bin` on `data_dir` (SQLite), on a free port. Every candidate of a test, bench or harness
    /// registers from 127.0.0.1, where real candidates each have their own address: the
    /// per-address registration limit is lifted.
    pub fn new(bin: impl Into<PathBuf>, data_dir: impl Into<PathBuf>) -> Self {
        Spec {
            bin: bin.into(),
            data_dir: data_dir.into(),
            database_url: None,
            port: free_port(),
            env: vec![(
                "ESSAY_PORTAL_REGISTRATIONS_PER_ADDRESS".to_owned(),
                "1000000".to_owned(),
            )],
        }
    }

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

    /// Creates an admin the way an operator would: `admin create`, the password on stdin.
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

    /// Starts `serve` and waits (up to 60 s) for `/health` to answer 200. The server's log goes
    /// to `server.log` in the data directory (appended across restarts).
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
