//! Inspection of untrusted files in a separate worker process. The parsers have had panics and
//! aborts that `catch_unwind` cannot stop (stack overflow, out of memory), so each file is read by
//! a child process (`essay-portal inspect-worker`) with CPU-time, address-space and wall-clock
//! limits. A killed worker means "this file could not be read"; the service keeps serving.

use std::io::Read;
use std::path::PathBuf;
use std::process::Stdio;
use std::sync::Arc;
use std::time::{Duration, Instant};

use inspection::{Facts, Format, Inspection, Limits, Problem};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::process::Command;
use tokio::sync::Semaphore;

use crate::configuration::Settings;

#[derive(Clone)]
pub struct Inspector {
    executable: PathBuf,
    cpu_seconds: u64,
    memory_bytes: u64,
    timeout: Duration,
    permits: Arc<Semaphore>,
}

/// Why the worker gave no facts. Each becomes a plain "could not be read" problem.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WorkerFailure {
    TimedOut,
    Crashed,
    Unavailable,
}

impl Inspector {
    pub fn new(settings: &Settings) -> std::io::Result<Self> {
        let executable = match &settings.inspection_worker {
            Some(path) => path.clone(),
            None => std::env::current_exe()?,
        };
        Ok(Self {
            executable,
            cpu_seconds: settings.inspection_cpu_seconds.max(1),
            memory_bytes: settings.inspection_memory_mib.max(64) * 1024 * 1024,
            timeout: Duration::from_secs(settings.inspection_timeout_seconds.max(1)),
            permits: Arc::new(Semaphore::new(settings.inspection_concurrency.max(1))),
        })
    }

    /// Inspects `bytes` in a sandboxed child. Never fails: a worker that dies or hangs yields
    /// facts that say the file could not be read.
    pub async fn inspect(&self, bytes: Arc<Vec<u8>>, filename: &str) -> (Inspection, Duration) {
        let started = Instant::now();
        let outcome = match self.permits.acquire().await {
            Ok(_permit) => self.run_worker(bytes, filename).await,
            Err(_) => Err(WorkerFailure::Unavailable),
        };
        let inspection = outcome.unwrap_or_else(unreadable);
        (inspection, started.elapsed())
    }

    async fn run_worker(
        &self,
        bytes: Arc<Vec<u8>>,
        filename: &str,
    ) -> Result<Inspection, WorkerFailure> {
        let mut command = Command::new(&self.executable);
        command
            .arg("inspect-worker")
            .arg("--filename")
            .arg(filename)
            .env_clear()
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .kill_on_drop(true);
        let (cpu, memory) = (self.cpu_seconds, self.memory_bytes);
        // SAFETY: only async-signal-safe calls (setrlimit) run between fork and exec.
        unsafe {
            command.pre_exec(move || {
                let set = |resource, value: u64| {
                    let limit = libc::rlimit {
                        rlim_cur: value as libc::rlim_t,
                        rlim_max: value as libc::rlim_t,
                    };
                    libc::setrlimit(resource, &limit)
                };
                set(libc::RLIMIT_CPU, cpu);
                set(libc::RLIMIT_AS, memory);
                set(libc::RLIMIT_CORE, 0);
                set(libc::RLIMIT_FSIZE, 0);
                Ok(())
            });
        }
        let mut child = command.spawn().map_err(|error| {
            tracing::error!(%error, executable = %self.executable.display(), "cannot start the inspection worker");
            WorkerFailure::Unavailable
        })?;
        let mut stdin = child.stdin.take().ok_or(WorkerFailure::Unavailable)?;
        let mut stdout = child.stdout.take().ok_or(WorkerFailure::Unavailable)?;
        let work = async move {
            let writer = async move {
                // A worker that stops reading early (it rejected the file) closes the pipe; fine.
                let _ = stdin.write_all(&bytes).await;
                drop(stdin);
            };
            let reader = async move {
                let mut output = Vec::new();
                stdout.read_to_end(&mut output).await.map(|_| output)
            };
            let ((), output) = tokio::join!(writer, reader);
            let status = child.wait().await;
            (output, status)
        };
        match tokio::time::timeout(self.timeout, work).await {
            Err(_) => Err(WorkerFailure::TimedOut),
            Ok((Ok(output), Ok(status))) if status.success() => {
                serde_json::from_slice(&output).map_err(|_| WorkerFailure::Crashed)
            }
            Ok(_) => Err(WorkerFailure::Crashed),
        }
    }
}

fn unreadable(failure: WorkerFailure) -> Inspection {
    let message = match failure {
        WorkerFailure::TimedOut => "this file could not be read: reading it took too long",
        WorkerFailure::Crashed => "this file could not be read: it is damaged or too complex",
        WorkerFailure::Unavailable => "this file could not be read right now; please try again",
    };
    Inspection {
        facts: Facts {
            format: Format::Unknown,
            encrypted: false,
            pages: None,
            page_count_source: None,
            paper: None,
            page_sizes_mm: vec![],
            last_page_fill: None,
            words: None,
            page_starts: vec![],
            problems: vec![Problem {
                code: "unreadable".into(),
                message: message.into(),
            }],
        },
        details: Default::default(),
    }
}

/// The worker's side: bytes on stdin, one JSON `Inspection` on stdout.
pub fn worker_main(filename: &str) -> std::process::ExitCode {
    let limits = Limits::default();
    let mut bytes = Vec::new();
    let cap = limits.max_file_bytes.saturating_add(1);
    if std::io::stdin().take(cap).read_to_end(&mut bytes).is_err() {
        return std::process::ExitCode::FAILURE;
    }
    let inspection = inspection::inspect(&bytes, filename, &limits);
    match serde_json::to_writer(std::io::stdout().lock(), &inspection) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(_) => std::process::ExitCode::FAILURE,
    }
}
