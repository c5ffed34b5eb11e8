//! Upload latency and memory, against the release binary:
//! `cargo bench --bench upload` (set UPLOADS / CONCURRENT to change the counts).
//! 1. p50/p95/p99 latency of accepted 2-page DOCX uploads, one at a time.
//! 2. Peak memory with CONCURRENT candidates uploading at once: the server's VmHWM, and the
//!    largest sum of the inspection workers' resident memory seen while they ran.
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::{Duration, Instant};

use testkit::client::{candidate, create_vacancy, log_in, upload, Candidate};
use testkit::fixtures::TWO_PAGES_A4_DOCX;
use testkit::proc::{status_kib, MemoryProbe};
use testkit::server::Spec;
use testkit::PASSWORD;

const NAME: &str = "BENCH1 Key challenges.docx";

fn percentile(sorted: &[f64], p: f64) -> f64 {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

fn count(variable: &str, default: usize) -> usize {
    std::env::var(variable)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// One accepted upload: its time in milliseconds.
async fn timed_upload(url: &str, who: &Candidate) -> f64 {
    let started = Instant::now();
    let (status, body) = upload(url, who, NAME, TWO_PAGES_A4_DOCX.to_vec(), None)
        .await
        .unwrap();
    assert_eq!(status, 201, "{body}");
    started.elapsed().as_secs_f64() * 1000.0
}

#[tokio::main]
async fn main() {
    let (uploads, concurrent) = (count("UPLOADS", 200), count("CONCURRENT", 100));
    let data = tempfile::tempdir().unwrap();
    let spec = Spec::new(env!("CARGO_BIN_EXE_essay-portal"), data.path());
    spec.create_admin("admin@example.org", PASSWORD).unwrap();
    let server = spec.start().await.unwrap();
    let pid = server.child.id();
    let admin = log_in(&server.url, "admin@example.org", PASSWORD)
        .await
        .unwrap();
    let phrase = Some("Key challenges");
    create_vacancy(
        &server.url,
        &admin,
        "BENCH1",
        &["docx", "pdf"],
        phrase,
        10 << 20,
    )
    .await
    .unwrap();

    let first = candidate(&server.url, 0, "BENCH1").await.unwrap();
    let mut latencies = Vec::with_capacity(uploads);
    for _ in 0..uploads {
        latencies.push(timed_upload(&server.url, &first).await);
    }
    latencies.sort_by(|a, b| a.total_cmp(b));
    println!(
        "accepted 2-page DOCX upload, sequential, {uploads} uploads: p50 {:.1} ms, p95 {:.1} ms, p99 {:.1} ms, max {:.1} ms",
        percentile(&latencies, 0.5),
        percentile(&latencies, 0.95),
        percentile(&latencies, 0.99),
        latencies[latencies.len() - 1]
    );

    let mut candidates = Vec::with_capacity(concurrent);
    for n in 1..=concurrent {
        candidates.push(candidate(&server.url, n, "BENCH1").await.unwrap());
    }
    let before = status_kib(pid, "VmHWM:");
    let probe = Arc::new(MemoryProbe::default());
    probe.pid.store(pid, Ordering::Relaxed);
    let sampler = probe.spawn(Duration::from_millis(5));
    let started = Instant::now();
    let mut set = tokio::task::JoinSet::new();
    for who in candidates {
        let url = server.url.clone();
        set.spawn(async move { timed_upload(&url, &who).await });
    }
    let mut concurrent_latencies = Vec::new();
    while let Some(took) = set.join_next().await {
        concurrent_latencies.push(took.unwrap());
    }
    let wall = started.elapsed().as_secs_f64();
    probe.stop();
    sampler.join().unwrap();
    concurrent_latencies.sort_by(|a, b| a.total_cmp(b));
    println!(
        "{concurrent} concurrent uploads: all accepted in {wall:.2} s ({:.0}/s); p50 {:.0} ms, p99 {:.0} ms",
        concurrent as f64 / wall,
        percentile(&concurrent_latencies, 0.5),
        percentile(&concurrent_latencies, 0.99)
    );
    println!(
        "peak memory: server VmHWM {} MiB (before the concurrent burst {} MiB); inspection workers at most {} MiB together",
        status_kib(pid, "VmHWM:") / 1024,
        before / 1024,
        probe.children_peak_kib.load(Ordering::Relaxed) / 1024
    );
}
