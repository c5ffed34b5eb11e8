//! Inspection of untrusted files in separate worker processes. The parsers have had panics and
//! aborts that `catch_unwind` cannot stop (stack overflow, out of memory), so files are read by
//! child processes (`essay-portal inspect-worker`) under CPU-time, address-space and wall-clock
//! limits. A killed worker means "this file could not be read"; the service keeps serving.
//!
//! Workers are kept warm and reused: starting a process per file cost more than reading the file
//! (about 8 ms against under 1 ms for a two-page essay), and at a deadline rush that start-up was
//! the largest share of an upload's CPU. A worker serves files one at a time over its pipes, gets
//! a fresh CPU allowance per file, and is retired after `FILES_PER_WORKER` files or any failure,
//! so a file that upsets it never shares a process with the next one.

use std::io::{Read, Write};
use std::path::PathBuf;
use std::process::Stdio;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use inspection::{Facts, Format, Inspection, Limits, Problem};
use tokio::io::{AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::process::{Child, ChildStdin, ChildStdout, Command};
use tokio::sync::Semaphore;

use crate::configuration::Settings;
use crate::service::worker_sandbox::worker_uid;

/// Files a worker reads before it is replaced; bounds what heap fragmentation or a slow leak in
/// a parser can accumulate.
const FILES_PER_WORKER: u32 = 500;

/// The largest answer a worker may give (facts and details of one file).
const MAX_ANSWER_BYTES: u64 = 16 * 1024 * 1024;

/// The largest anonymous copy a worker may return (a rewritten PDF can outgrow its original).
const MAX_COPY_BYTES: u64 = 64 * 1024 * 1024;

/// What a worker is asked to do with a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Job {
    Inspect = 0,
    Anonymize = 1,
}

/// One request as the worker reads it.
struct Request {
    job: Job,
    filename: String,
    bytes: Vec<u8>,
}

#[derive(Clone)]
pub struct Inspector {
    executable: PathBuf,
    cpu_seconds: u64,
    memory_bytes: u64,
    timeout: Duration,
    permits: Arc<Semaphore>,
    idle: Arc<Mutex<Vec<Worker>>>,
    /// Workers started so far: each gets a user id of its own (see [`worker_uid`]).
    started: Arc<AtomicU64>,
}

/// A running worker process and its pipes.
struct Worker {
    // Kept so that dropping the worker kills the process (`kill_on_drop`).
    child: Child,
    stdin: ChildStdin,
    stdout: BufReader<ChildStdout>,
    served: u32,
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
            idle: Arc::new(Mutex::new(Vec::new())),
            started: Arc::new(AtomicU64::new(0)),
        })
    }

    /// Inspects `bytes` in a sandboxed worker. Never fails: a worker that dies or hangs yields
    /// facts that say the file could not be read.
    pub async fn inspect(&self, bytes: Arc<Vec<u8>>, filename: &str) -> (Inspection, Duration) {
        let started = Instant::now();
        let inspection = self
            .inspect_in_worker(&bytes, filename)
            .await
            .unwrap_or_else(unreadable);
        (inspection, started.elapsed())
    }

    async fn inspect_in_worker(
        &self,
        bytes: &[u8],
        filename: &str,
    ) -> Result<Inspection, WorkerFailure> {
        let answer = self
            .exchange(Job::Inspect, filename, bytes, MAX_ANSWER_BYTES)
            .await?;
        serde_json::from_slice(&answer).map_err(|_| WorkerFailure::Crashed)
    }

    /// A copy of `bytes` without the metadata that names its author (see
    /// [`inspection::anonymize`]), made in a sandboxed worker like an inspection.
    pub async fn anonymize(&self, bytes: &[u8]) -> Result<Vec<u8>, String> {
        let failed = |failure: WorkerFailure| unreadable_reason(failure).to_owned();
        let answer = self
            .exchange(Job::Anonymize, "", bytes, MAX_COPY_BYTES)
            .await
            .map_err(failed)?;
        match answer.split_first() {
            Some((0, copy)) => Ok(copy.to_vec()),
            Some((_, reason)) => Err(String::from_utf8_lossy(reason).into_owned()),
            None => Err(failed(WorkerFailure::Crashed)),
        }
    }

    /// One request and its answer, within the concurrency limit, on an idle worker or a new one;
    /// the worker goes back to the idle list only after a complete exchange.
    async fn exchange(
        &self,
        job: Job,
        filename: &str,
        bytes: &[u8],
        max_answer: u64,
    ) -> Result<Vec<u8>, WorkerFailure> {
        let _permit = self
            .permits
            .acquire()
            .await
            .map_err(|_| WorkerFailure::Unavailable)?;
        let idle = self.idle.lock().ok().and_then(|mut idle| idle.pop());
        let mut worker = match idle {
            Some(worker) => worker,
            None => self.start_worker()?,
        };
        let exchange = async {
            let request = request_frame(job, filename, bytes.len());
            worker.stdin.write_all(&request).await?;
            worker.stdin.write_all(bytes).await?;
            worker.stdin.flush().await?;
            let length = worker.stdout.read_u64_le().await?;
            if length > max_answer {
                return Err(std::io::Error::other("answer too large"));
            }
            let mut answer = vec![0; length as usize];
            worker.stdout.read_exact(&mut answer).await?;
            Ok::<_, std::io::Error>(answer)
        };
        // On a time-out or a broken pipe the worker is dropped here, which kills it.
        let answer = match tokio::time::timeout(self.timeout, exchange).await {
            Err(_) => return Err(WorkerFailure::TimedOut),
            Ok(Err(_)) => {
                log_death(&mut worker.child).await;
                return Err(WorkerFailure::Crashed);
            }
            Ok(Ok(answer)) => answer,
        };
        worker.served += 1;
        if worker.served < FILES_PER_WORKER {
            if let Ok(mut idle) = self.idle.lock() {
                idle.push(worker);
            }
        }
        Ok(answer)
    }

    fn start_worker(&self) -> Result<Worker, WorkerFailure> {
        let mut command = Command::new(&self.executable);
        command
            .arg("inspect-worker")
            .arg("--cpu-seconds-per-file")
            .arg(self.cpu_seconds.to_string())
            .arg("--uid")
            .arg(worker_uid(self.started.fetch_add(1, Ordering::Relaxed)).to_string())
            .env_clear()
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .kill_on_drop(true);
        let (cpu, memory) = (self.cpu_seconds, self.memory_bytes);
        // The hard CPU limit is a backstop for the worker's whole life; the worker lowers its soft
        // limit to "used so far + one file's allowance" before each file.
        let cpu_hard = cpu.saturating_mul(u64::from(FILES_PER_WORKER) + 1);
        // SAFETY: only async-signal-safe calls (setrlimit) run between fork and exec.
        unsafe {
            command.pre_exec(move || {
                let set = |resource, soft: u64, hard: u64| {
                    let limit = libc::rlimit {
                        rlim_cur: soft as libc::rlim_t,
                        rlim_max: hard as libc::rlim_t,
                    };
                    libc::setrlimit(resource, &limit)
                };
                set(libc::RLIMIT_CPU, cpu, cpu_hard);
                set(libc::RLIMIT_AS, memory, memory);
                set(libc::RLIMIT_CORE, 0, 0);
                set(libc::RLIMIT_FSIZE, 0, 0);
                // Its pipes and a few more; a parser has no use for more descriptors.
                set(libc::RLIMIT_NOFILE, 16, 16);
                Ok(())
            });
        }
        let mut child = command.spawn().map_err(|error| {
            tracing::error!(%error, executable = %self.executable.display(), "cannot start the inspection worker");
            WorkerFailure::Unavailable
        })?;
        let stdin = child.stdin.take().ok_or(WorkerFailure::Unavailable)?;
        let stdout = child.stdout.take().ok_or(WorkerFailure::Unavailable)?;
        Ok(Worker {
            child,
            stdin,
            stdout: BufReader::new(stdout),
            served: 0,
        })
    }
}

/// Says in the log how a worker that broke its pipe ended. SIGSYS is the sandbox killing it for a
/// system call outside its allow-list: on a valid file that is a gap in the list, on a hostile
/// one an attempt; either way an operator should see it.
async fn log_death(child: &mut Child) {
    use std::os::unix::process::ExitStatusExt;
    let Ok(Ok(status)) = tokio::time::timeout(Duration::from_millis(200), child.wait()).await
    else {
        return;
    };
    match status.signal() {
        Some(libc::SIGSYS) => tracing::error!(
            "an inspection worker was killed by its sandbox (a system call outside its allow-list)"
        ),
        Some(signal) => tracing::warn!(signal, "an inspection worker died"),
        None => tracing::warn!(code = status.code(), "an inspection worker exited"),
    }
}

/// The header of one request: the job, the file name's length and bytes, then the file's length.
fn request_frame(job: Job, filename: &str, file_len: usize) -> Vec<u8> {
    let name = filename.as_bytes();
    let mut frame = Vec::with_capacity(13 + name.len());
    frame.push(job as u8);
    frame.extend_from_slice(&(name.len() as u32).to_le_bytes());
    frame.extend_from_slice(name);
    frame.extend_from_slice(&(file_len as u64).to_le_bytes());
    frame
}

fn unreadable_reason(failure: WorkerFailure) -> &'static str {
    match failure {
        WorkerFailure::TimedOut => "Reading it took too long.",
        WorkerFailure::Crashed => "It is damaged or too complex to read safely.",
        WorkerFailure::Unavailable => {
            "It could not be read right now; please try again in a minute."
        }
    }
}

fn unreadable(failure: WorkerFailure) -> Inspection {
    let message = unreadable_reason(failure);
    Inspection {
        facts: Facts {
            format: Format::Unknown,
            encrypted: false,
            opens_without_password: false,
            restrictions: Vec::new(),
            pages: None,
            page_count_source: None,
            paper: None,
            page_sizes_mm: vec![],
            last_page_fill: None,
            words: None,
            page_starts: vec![],
            word_pages: None,
            unmeasured_fonts: Vec::new(),
            problems: vec![Problem {
                code: inspection::ProblemCode::Unreadable,
                message: message.into(),
            }],
        },
        details: Default::default(),
    }
}

/// The worker's side: requests on stdin (see [`request_frame`]), one length-prefixed answer per
/// request on stdout (a JSON `Inspection`, or a status byte and an anonymous copy), until stdin
/// closes.
pub fn worker_main(cpu_seconds_per_file: u64, uid: u32) -> std::process::ExitCode {
    if let Err(reason) = crate::service::worker_sandbox::confine(uid) {
        eprintln!("inspection worker not confined by seccomp: {reason}");
    }
    let limits = Limits::default();
    let mut input = std::io::stdin().lock();
    let mut output = std::io::stdout().lock();
    loop {
        let request = match read_request(&mut input, &limits) {
            Ok(Some(request)) => request,
            Ok(None) => return std::process::ExitCode::SUCCESS,
            Err(_) => return std::process::ExitCode::FAILURE,
        };
        allow_cpu_for_one_file(cpu_seconds_per_file);
        let answer = match request.job {
            Job::Inspect => {
                let inspection = inspection::inspect(&request.bytes, &request.filename, &limits);
                let Ok(answer) = serde_json::to_vec(&inspection) else {
                    return std::process::ExitCode::FAILURE;
                };
                answer
            }
            // A status byte (0: the copy follows; 1: the reason it could not be made).
            Job::Anonymize => match inspection::anonymize(&request.bytes, &limits) {
                Ok(copy) => [&[0u8][..], &copy].concat(),
                Err(reason) => [&[1u8][..], reason.as_bytes()].concat(),
            },
        };
        let written = output
            .write_all(&(answer.len() as u64).to_le_bytes())
            .and_then(|()| output.write_all(&answer))
            .and_then(|()| output.flush());
        if written.is_err() {
            return std::process::ExitCode::FAILURE;
        }
    }
}

/// Reads one request; `None` when the parent closed the pipe between requests. Bytes beyond
/// `max_file_bytes + 1` are read and dropped: the inspection only needs to know the file is too
/// large.
fn read_request(input: &mut impl Read, limits: &Limits) -> std::io::Result<Option<Request>> {
    let mut job = [0u8; 1];
    match input.read_exact(&mut job) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => return Ok(None),
        Err(e) => return Err(e),
    }
    let job = match job[0] {
        0 => Job::Inspect,
        1 => Job::Anonymize,
        _ => return Err(std::io::Error::other("unknown job")),
    };
    let mut length = [0u8; 4];
    input.read_exact(&mut length)?;
    let name_len = u32::from_le_bytes(length) as usize;
    if name_len > 64 * 1024 {
        return Err(std::io::Error::other("file name too long"));
    }
    let mut name = vec![0; name_len];
    input.read_exact(&mut name)?;
    let mut length = [0u8; 8];
    input.read_exact(&mut length)?;
    let file_len = u64::from_le_bytes(length);
    let kept = file_len.min(limits.max_file_bytes.saturating_add(1));
    let mut bytes = Vec::with_capacity(kept as usize);
    input.take(kept).read_to_end(&mut bytes)?;
    std::io::copy(&mut input.take(file_len - kept), &mut std::io::sink())?;
    if (bytes.len() as u64) < kept {
        return Err(std::io::ErrorKind::UnexpectedEof.into());
    }
    Ok(Some(Request {
        job,
        filename: String::from_utf8_lossy(&name).into_owned(),
        bytes,
    }))
}

/// Sets the soft CPU limit to what this process has used so far plus one file's allowance: a
/// file that spins past it gets SIGXCPU, and the parent reports it as unreadable.
fn allow_cpu_for_one_file(cpu_seconds_per_file: u64) {
    // SAFETY: getrusage and getrlimit/setrlimit only write the structs passed to them.
    unsafe {
        let mut usage: libc::rusage = std::mem::zeroed();
        if libc::getrusage(libc::RUSAGE_SELF, &mut usage) != 0 {
            return;
        }
        let used = (usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) as u64 + 1;
        let mut limit: libc::rlimit = std::mem::zeroed();
        if libc::getrlimit(libc::RLIMIT_CPU, &mut limit) != 0 {
            return;
        }
        limit.rlim_cur = (used + cpu_seconds_per_file).min(limit.rlim_max as u64) as libc::rlim_t;
        libc::setrlimit(libc::RLIMIT_CPU, &limit);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_request_frame_reads_back_as_the_same_file_name_and_bytes() {
        let mut wire = request_frame(Job::Inspect, "251918 Key challenges.pdf", 5);
        wire.extend_from_slice(b"%PDF-");
        let mut input = std::io::Cursor::new(wire);
        let Request {
            job,
            filename: name,
            bytes,
        } = read_request(&mut input, &Limits::default())
            .unwrap()
            .unwrap();
        assert_eq!(job, Job::Inspect);
        assert_eq!(name, "251918 Key challenges.pdf");
        assert_eq!(bytes, b"%PDF-");
        assert!(read_request(&mut input, &Limits::default())
            .unwrap()
            .is_none());
    }

    #[test]
    fn a_file_cut_short_is_an_error_not_a_shorter_file() {
        let mut wire = request_frame(Job::Anonymize, "a.pdf", 10);
        wire.extend_from_slice(b"%PDF-");
        let result = read_request(&mut std::io::Cursor::new(wire), &Limits::default());
        assert!(result.is_err());
    }

    #[test]
    fn bytes_past_the_inspection_limit_are_drained_so_the_next_request_still_parses() {
        let limits = Limits {
            max_file_bytes: 4,
            ..Limits::default()
        };
        let mut wire = request_frame(Job::Inspect, "big.pdf", 10);
        wire.extend_from_slice(b"0123456789");
        wire.extend_from_slice(&request_frame(Job::Inspect, "small.pdf", 2));
        wire.extend_from_slice(b"ok");
        let mut input = std::io::Cursor::new(wire);
        let big = read_request(&mut input, &limits).unwrap().unwrap().bytes;
        assert_eq!(big.len(), 5);
        let small = read_request(&mut input, &limits).unwrap().unwrap();
        assert_eq!(
            (small.filename.as_str(), small.bytes.as_slice()),
            ("small.pdf", &b"ok"[..])
        );
    }
}
