//! Upload latency and memory, against the release binary:
//! `cargo bench --bench upload` (set UPLOADS / CONCURRENT to change the counts).
//! 1. p50/p95/p99 latency of accepted 2-page DOCX uploads, one at a time.
//! 2. Peak memory with CONCURRENT candidates uploading at once: the server's VmHWM, and the
//!    largest sum of the inspection workers' resident memory seen while they ran.
#[path = "../tests/api/helpers.rs"]
mod helpers;
#[path = "../tests/support/server.rs"]
mod server;

use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_essay-portal");

fn status_kib(pid: u32, field: &str) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with(field))
                .and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
        })
        .unwrap_or(0)
}

/// The resident memory of the server's children (the inspection workers), summed.
fn workers_rss_kib(server_pid: u32) -> u64 {
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return 0;
    };
    entries
        .flatten()
        .filter_map(|e| e.file_name().to_str()?.parse::<u32>().ok())
        .filter(|pid| status_kib(*pid, "PPid:") == u64::from(server_pid))
        .map(|pid| status_kib(pid, "VmRSS:"))
        .sum()
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

#[tokio::main]
async fn main() {
    let uploads: usize = std::env::var("UPLOADS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(200);
    let concurrent: usize = std::env::var("CONCURRENT")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100);
    let data = tempfile::tempdir().unwrap();
    server::create_admin(BIN, data.path(), "admin@example.org", helpers::PASSWORD);
    let server = server::start(BIN, data.path()).await;
    let pid = server.child.id();
    let admin = server::log_in(&server.url, "admin@example.org", helpers::PASSWORD).await;
    server::create_vacancy(
        &server.url,
        &admin,
        "BENCH1",
        &["docx", "pdf"],
        Some("Key challenges"),
    )
    .await;
    let essay = helpers::fixture("two-pages-a4.docx");

    let first = server::candidate(&server.url, 0, "BENCH1", helpers::PASSWORD).await;
    let mut latencies = Vec::with_capacity(uploads);
    for _ in 0..uploads {
        let started = Instant::now();
        let response = server::upload(
            &server.url,
            &first,
            "BENCH1 Key challenges.docx",
            essay.clone(),
        )
        .await
        .unwrap();
        let took = started.elapsed().as_secs_f64() * 1000.0;
        assert_eq!(response.status(), 201);
        latencies.push(took);
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
        candidates.push(server::candidate(&server.url, n, "BENCH1", helpers::PASSWORD).await);
    }
    let before = status_kib(pid, "VmHWM:");
    let sampling = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(true));
    let sampler = {
        let sampling = sampling.clone();
        std::thread::spawn(move || {
            let mut peak = 0;
            while sampling.load(std::sync::atomic::Ordering::Relaxed) {
                peak = peak.max(workers_rss_kib(pid));
                std::thread::sleep(Duration::from_millis(5));
            }
            peak
        })
    };
    let started = Instant::now();
    let mut set = tokio::task::JoinSet::new();
    for who in candidates {
        let (url, essay) = (server.url.clone(), essay.clone());
        set.spawn(async move {
            let started = Instant::now();
            let response = server::upload(&url, &who, "BENCH1 Key challenges.docx", essay)
                .await
                .unwrap();
            (
                response.status().as_u16(),
                started.elapsed().as_secs_f64() * 1000.0,
            )
        });
    }
    let mut concurrent_latencies = Vec::new();
    while let Some(result) = set.join_next().await {
        let (status, took) = result.unwrap();
        assert_eq!(status, 201);
        concurrent_latencies.push(took);
    }
    let wall = started.elapsed().as_secs_f64();
    sampling.store(false, std::sync::atomic::Ordering::Relaxed);
    let workers_peak = sampler.join().unwrap();
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
        workers_peak / 1024
    );
}
