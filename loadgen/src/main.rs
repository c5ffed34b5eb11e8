//! Load, crash and hostile-input harness for the essay-portal release binary.
//!
//! `loadgen rush` starts the server itself (fresh data dir, or a fresh PostgreSQL database with
//! `--database-url`), creates candidates (not timed), then uploads essays from concurrent clients
//! and reports throughput, latency percentiles, statuses, peak memory, and verifies every
//! acknowledged upload by downloading it. `--crash-cycles K` kills -9 and restarts the server
//! K times during the rush; `--large` sends 5 MB uploads all at once.
//! `loadgen hostile` sends hostile files next to a stream of normal uploads and prints a table.
//! `loadgen exports` has candidates with many large versions export their data at once and
//! reports the server's peak memory and the slowest `/api/time` meanwhile.
//! `loadgen proxy` runs deploy/nginx for real in front of two instances and checks, through it,
//! what a deployment must keep: TLS, the deadline's instant, the client's address, failover, limits.

mod database;
mod essays;
mod exports;
mod hostile;
mod instances;
mod proxy;
mod rush;

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};
use testkit::server::Spec;
pub use testkit::Res;

#[derive(Parser)]
#[command(about = "Load, crash and hostile-input harness for essay-portal")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Concurrent uploads for a duration (or a fixed count), then verify every accepted one.
    Rush(RushArgs),
    /// Hostile files (bombs, loops, lies, truncations) next to normal uploads; password guessing.
    Hostile(HostileArgs),
    /// Candidates with many large versions export their data at once, with an admin's essays
    /// ZIP: the server's peak memory, the slowest `/api/time`, each export checked whole.
    Exports(ExportsArgs),
    /// deploy/nginx run for real: nginx with TLS in front of two instances on one PostgreSQL
    /// database, and the checks a deployment must pass through it (PASS/FAIL each).
    Proxy(ProxyArgs),
}

#[derive(Args, Clone)]
pub struct CommonArgs {
    /// The release binary to start.
    #[arg(long, default_value = "target/release/essay-portal")]
    pub server_bin: PathBuf,
    /// A PostgreSQL server URL (any database on it); a fresh database is created for the run.
    /// Without it the server uses SQLite in a fresh data directory.
    #[arg(long)]
    pub database_url: Option<String>,
    /// Extra server settings, KEY=VALUE, passed as ESSAY_PORTAL_KEY (e.g. inspection_concurrency=2).
    #[arg(long = "set", value_name = "KEY=VALUE")]
    pub settings: Vec<String>,
    /// Keep the data directory (and the PostgreSQL database) after the run.
    #[arg(long)]
    pub keep: bool,
}

#[derive(Args, Clone)]
pub struct RushArgs {
    #[command(flatten)]
    pub common: CommonArgs,
    /// Candidates created before the rush (register + log in + apply; not timed).
    #[arg(long, default_value_t = 200)]
    pub candidates: usize,
    /// Concurrent upload clients.
    #[arg(long, default_value_t = 64)]
    pub concurrency: usize,
    /// Seconds of uploading.
    #[arg(long, default_value_t = 20)]
    pub duration: u64,
    /// A fixed number of uploads instead of a duration.
    #[arg(long)]
    pub uploads: Option<usize>,
    /// Pad every upload to a PDF of this many MB (all uploads then valid PDFs).
    #[arg(long)]
    pub file_mb: Option<f64>,
    /// Kill -9 and restart the server this many times at random moments of the rush.
    #[arg(long, default_value_t = 0)]
    pub crash_cycles: usize,
    /// One 5 MB upload per candidate, all at once (concurrency = candidates unless given).
    #[arg(long)]
    pub large: bool,
    /// Servers sharing one PostgreSQL database (needs --database-url), uploads spread over them,
    /// one receipt key file, mail to a real local SMTP server (tests/mail/smtp_sink.py, Python's
    /// aiosmtpd). Crash cycles kill -9 the first instance. Adds checks: one published key, every
    /// receipt verifies with it, every outbox message delivered exactly once.
    #[arg(long, default_value_t = 1)]
    pub instances: usize,
    /// The SMTP sink script started with --instances above 1.
    #[arg(long, default_value = "tests/mail/smtp_sink.py")]
    pub smtp_sink: std::path::PathBuf,
    /// The server's `versions_per_document` (its default, 20): a candidate's uploads beyond it
    /// delete their oldest versions, so only the newest this many acknowledged versions of each
    /// candidate must still download, and the database must hold exactly those.
    #[arg(long, default_value_t = 20)]
    pub versions_per_document: usize,
}

#[derive(Args, Clone)]
pub struct HostileArgs {
    #[command(flatten)]
    pub common: CommonArgs,
    /// Fail a hostile file answered later than this many seconds. Meant for the release build on
    /// a quiet machine; without it times are only reported, because a busy machine or a debug
    /// build can be many times slower and a slow right answer is not a defect. A hang is still
    /// caught without it: the client gives up after 120 s and that counts as a failure.
    #[arg(long)]
    pub budget_seconds: Option<f64>,
}

#[derive(Args, Clone)]
pub struct ExportsArgs {
    #[command(flatten)]
    pub common: CommonArgs,
    /// Candidates, each exporting their own data.
    #[arg(long, default_value_t = 2)]
    pub accounts: usize,
    /// Versions each candidate uploads before the exports.
    #[arg(long, default_value_t = 20)]
    pub versions: usize,
    /// Size of each version, a valid PDF, in MB.
    #[arg(long, default_value_t = 9.9)]
    pub file_mb: f64,
    /// Leave out the admin's essays ZIP that otherwise runs alongside the exports.
    #[arg(long)]
    pub no_essays_zip: bool,
}

#[derive(Args, Clone)]
pub struct ProxyArgs {
    #[command(flatten)]
    pub common: CommonArgs,
    /// The certificate nginx serves (PEM); the client trusts it and nothing else.
    #[arg(long)]
    pub tls_cert: PathBuf,
    /// Its private key (PEM).
    #[arg(long)]
    pub tls_key: PathBuf,
    /// The configuration under test, rendered with envsubst.
    #[arg(long, default_value = "deploy/nginx/essay-portal.conf.template")]
    pub template: PathBuf,
    /// The main configuration around it, for nginx run from a folder of its own.
    #[arg(long, default_value = "deploy/nginx/standalone.conf")]
    pub nginx_conf: PathBuf,
    /// The nginx binary; by default the one on PATH or in /usr/sbin.
    #[arg(long)]
    pub nginx: Option<PathBuf>,
}

fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime");
    let result = runtime.block_on(async {
        match cli.command {
            Command::Rush(args) => rush::run(args).await,
            Command::Hostile(args) => hostile::run(args).await,
            Command::Exports(args) => exports::run(args).await,
            Command::Proxy(args) => proxy::run(args).await,
        }
    });
    match result {
        Ok(true) => std::process::ExitCode::SUCCESS,
        Ok(false) => {
            eprintln!("FAILED: a check did not hold (see above)");
            std::process::ExitCode::FAILURE
        }
        Err(e) => {
            eprintln!("error: {e}");
            eprintln!("(the server's log is kept: the data directory is left in place on errors)");
            std::process::ExitCode::from(2)
        }
    }
}

/// A started run: the spec to (re)start the server with, and what to clean up.
pub struct Run {
    pub spec: Spec,
    pub base_database_url: Option<String>,
    pub data: Option<tempfile::TempDir>,
}

impl Run {
    pub fn new(common: &CommonArgs) -> Res<Self> {
        if !common.server_bin.exists() {
            return Err(format!(
                "{} not found: build it with `cargo build --release` or pass --server-bin",
                common.server_bin.display()
            )
            .into());
        }
        // Kept on disk if the run stops with an error, so that the server's log can be read.
        let data = tempfile::Builder::new()
            .prefix("loadgen-")
            .disable_cleanup(true)
            .tempdir()?;
        let mut spec = Spec::new(common.server_bin.canonicalize()?, data.path());
        if let Some(base) = &common.database_url {
            spec.database_url = Some(database::create_database(base)?);
        }
        for setting in &common.settings {
            let (key, value) = setting.split_once('=').ok_or("--set takes KEY=VALUE")?;
            spec.env.push((
                format!("ESSAY_PORTAL_{}", key.to_uppercase()),
                value.to_owned(),
            ));
        }
        Ok(Self {
            spec,
            base_database_url: common.database_url.clone(),
            data: Some(data),
        })
    }

    pub fn backend(&self) -> &'static str {
        if self.spec.database_url.is_some() {
            "PostgreSQL"
        } else {
            "SQLite"
        }
    }

    /// Runs a consistency query on the database directly (sqlite3 or psql).
    pub fn query(&self, sql: &str) -> Res<String> {
        match &self.spec.database_url {
            Some(url) => database::psql(url, sql),
            None => database::sqlite(&self.spec.data_dir.join("essay-portal.sqlite"), sql),
        }
    }

    pub fn finish(mut self, keep: bool) {
        if keep {
            if let Some(data) = self.data.take() {
                println!("kept data directory {}", data.path().display());
            }
            if let Some(url) = &self.spec.database_url {
                println!("kept database {url}");
            }
        } else {
            if let Some(data) = self.data.take() {
                let _ = std::fs::remove_dir_all(data.path());
            }
            if let (Some(base), Some(url)) = (&self.base_database_url, &self.spec.database_url) {
                database::drop_database(base, url);
            }
        }
    }
}
