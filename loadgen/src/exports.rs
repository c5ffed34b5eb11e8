//! `loadgen exports`: what exports cost the server. Candidates each upload many versions of a
//! large PDF; then each downloads their own export while an admin downloads the vacancy's essays
//! ZIP, all at once, and `/api/time` is asked every 50 ms meanwhile. An adversarial review found
//! 2.5 GB of server memory and `/api/time` held up 18.5 s with 40 versions of a 9.9 MB file and two
//! concurrent exports; this measures the same. Reports the server's peak memory during the
//! exports, the slowest `/api/time` answer, each export's size and duration, and checks that each
//! archive is whole (every entry read back, its CRC checked) and that a second export of one
//! account while the first runs is refused with 429.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use futures_util::StreamExt;
use hdrhistogram::Histogram;

use testkit::client::{self as api, Candidate};
use testkit::PASSWORD;

use crate::{essays, ExportsArgs, Res, Run};

const REFERENCE: &str = "990002";

/// One download as the harness saw it.
struct Download {
    what: String,
    status: u16,
    bytes: u64,
    seconds: f64,
    file: PathBuf,
    /// The problem type of a refusal.
    problem: Option<String>,
}

pub async fn run(args: ExportsArgs) -> Res<bool> {
    let run = Run::new(&args.common)?;
    let pad_to = (args.file_mb * 1024.0 * 1024.0) as usize;
    let max_bytes = pad_to as u64 + 512 * 1024;
    let mut spec = run.spec.clone();
    spec.env.push((
        "ESSAY_PORTAL_UPLOAD_LIMIT_BYTES".into(),
        (max_bytes + 512 * 1024).to_string(),
    ));
    spec.create_admin("admin@example.org", PASSWORD)?;
    let server = spec.start().await?;
    let url = server.url.clone();
    let pid = server.child.id();
    let admin = api::log_in(&url, "admin@example.org", PASSWORD).await?;
    let phrase = Some("Key challenges");
    api::create_vacancy(&url, &admin, REFERENCE, &["pdf"], phrase, max_bytes).await?;
    let candidates = api::candidates(&url, args.accounts, REFERENCE, 2).await?;
    println!(
        "set-up: {} candidates registered and applied ({}, {})",
        candidates.len(),
        run.backend(),
        spec.bin.display()
    );

    // Uploads: each candidate's versions one after the other, the candidates at once.
    let size_before = database_bytes(&run, &spec.data_dir);
    let started = Instant::now();
    let mut uploads = tokio::task::JoinSet::new();
    for (who, candidate) in candidates.iter().enumerate() {
        let (url, candidate, versions) = (url.clone(), candidate.clone(), args.versions);
        uploads
            .spawn(async move { upload_versions(&url, &candidate, who, versions, pad_to).await });
    }
    let mut accepted = 0;
    while let Some(done) = uploads.join_next().await {
        accepted += done.map_err(|e| e.to_string())??;
    }
    let size_after = database_bytes(&run, &spec.data_dir);
    println!(
        "uploads: {accepted} versions of a {:.1} MB PDF accepted in {:.1} s; database {}",
        pad_to as f64 / 1_048_576.0,
        started.elapsed().as_secs_f64(),
        match (size_before, size_after) {
            (Some(before), Some(after)) => format!(
                "grew by {:.0} MB (now {:.0} MB)",
                after.saturating_sub(before) as f64 / 1_048_576.0,
                after as f64 / 1_048_576.0
            ),
            _ => "size not measured".into(),
        }
    );

    // The exports, with memory and /api/time watched.
    let rss_before = testkit::proc::status_kib(pid, "VmRSS:");
    let hwm_reset = std::fs::write(format!("/proc/{pid}/clear_refs"), "5").is_ok();
    let stop = Arc::new(AtomicBool::new(false));
    let peak_rss = Arc::new(AtomicU64::new(rss_before));
    let sampler = {
        let (stop, peak_rss) = (stop.clone(), peak_rss.clone());
        std::thread::spawn(move || {
            while !stop.load(Ordering::Relaxed) {
                peak_rss.fetch_max(testkit::proc::status_kib(pid, "VmRSS:"), Ordering::Relaxed);
                std::thread::sleep(Duration::from_millis(20));
            }
        })
    };
    let clock = tokio::spawn(poll_time(url.clone(), stop.clone()));
    let folder = spec.data_dir.join("exports");
    std::fs::create_dir_all(&folder)?;
    let exports_started = Instant::now();
    let mut downloads = tokio::task::JoinSet::new();
    let (under_way, first_answered) = tokio::sync::oneshot::channel();
    let mut under_way = Some(under_way);
    for (n, candidate) in candidates.iter().enumerate() {
        let (client, target) = (
            candidate.client.clone(),
            format!("{url}/api/account/export"),
        );
        let file = folder.join(format!("account-{n}.zip"));
        let what = format!("account {n}'s own export");
        let answered = under_way.take();
        downloads.spawn(async move { download(what, &client, &target, file, answered).await });
    }
    if !args.no_essays_zip {
        let target = format!("{url}/api/admin/vacancies/{REFERENCE}/essays.zip");
        let (client, file) = (admin.0.clone(), folder.join("essays.zip"));
        let what = "the admin's essays ZIP".to_owned();
        downloads.spawn(async move { download(what, &client, &target, file, None).await });
    }
    // Once account 0's export is being sent, the same account asks again.
    let _ = first_answered.await;
    let again = download(
        "account 0's second export at once".into(),
        &candidates[0].client,
        &format!("{url}/api/account/export"),
        folder.join("again.zip"),
        None,
    )
    .await?;
    let mut results = Vec::new();
    while let Some(done) = downloads.join_next().await {
        results.push(done.map_err(|e| e.to_string())??);
    }
    let exports_seconds = exports_started.elapsed().as_secs_f64();
    stop.store(true, Ordering::Relaxed);
    let (answers, slowest_ms, p99_ms, failed_polls) = clock.await.map_err(|e| e.to_string())?;
    let _ = sampler.join();
    let hwm = testkit::proc::status_kib(pid, "VmHWM:");

    // Report.
    println!(
        "\n== exports: {} | {} accounts x {} uploads of {:.1} MB | {} downloads at once ==",
        run.backend(),
        args.accounts,
        args.versions,
        pad_to as f64 / 1_048_576.0,
        results.len()
    );
    results.sort_by(|a, b| a.what.cmp(&b.what));
    let mut ok = true;
    for result in &results {
        let check = match (result.status, check_archive(&result.file)) {
            (200, Ok(said)) => said,
            (200, Err(e)) => {
                ok = false;
                format!("BROKEN: {e}")
            }
            (status, _) => {
                ok = false;
                format!(
                    "FAILED: {status} {}",
                    result.problem.as_deref().unwrap_or("")
                )
            }
        };
        println!(
            "{}: {} in {:.1} s ({:.1} MB/s); {check}",
            result.what,
            size(result.bytes),
            result.seconds,
            result.bytes as f64 / 1_048_576.0 / result.seconds.max(0.001)
        );
    }
    let refused =
        again.status == 429 && again.problem.as_deref() == Some("/problems/export-in-progress");
    ok &= refused;
    println!(
        "{}: {} {}",
        again.what,
        again.status,
        again.problem.as_deref().unwrap_or("")
    );
    println!("all downloads done in {exports_seconds:.1} s");
    println!(
        "server memory: VmRSS {:.0} MiB before the exports; peak during them {:.0} MiB ({}; sampled VmRSS peak {:.0} MiB)",
        rss_before as f64 / 1024.0,
        hwm as f64 / 1024.0,
        if hwm_reset {
            "VmHWM, reset as they began"
        } else {
            "VmHWM since start: clear_refs could not be written"
        },
        peak_rss.load(Ordering::Relaxed) as f64 / 1024.0
    );
    println!(
        "/api/time every 50 ms during the exports: {answers} answers, slowest {slowest_ms:.1} ms, p99 {p99_ms:.1} ms, failed {failed_polls}"
    );
    ok &= failed_polls == 0;
    drop(server);
    let _ = std::fs::remove_dir_all(&folder);
    run.finish(args.common.keep);
    Ok(ok)
}

/// Uploads `versions` versions of about `pad_to` bytes each, every one its own file; returns how
/// many were accepted (all must be).
async fn upload_versions(
    url: &str,
    candidate: &Candidate,
    who: usize,
    versions: usize,
    pad_to: usize,
) -> Res<usize> {
    for n in 0..versions {
        let (name, bytes, _) = essays::essay(who * 1000 + n, REFERENCE, pad_to);
        let (status, body) = api::upload(url, candidate, &name, bytes, None).await?;
        if status != 201 {
            return Err(format!("upload {n} of candidate {who}: {status} {body}").into());
        }
    }
    Ok(versions)
}

/// Downloads `target` into `file` as it arrives; `answered` is told when the answer's head is in.
async fn download(
    what: String,
    client: &reqwest::Client,
    target: &str,
    file: PathBuf,
    answered: Option<tokio::sync::oneshot::Sender<()>>,
) -> Res<Download> {
    let started = Instant::now();
    let response = client.get(target).send().await?;
    let status = response.status().as_u16();
    if let Some(answered) = answered {
        let _ = answered.send(());
    }
    if status != 200 {
        let body: serde_json::Value = response.json().await.unwrap_or_default();
        return Ok(Download {
            what,
            status,
            bytes: 0,
            seconds: started.elapsed().as_secs_f64(),
            file,
            problem: body["type"].as_str().map(str::to_owned),
        });
    }
    let mut out = std::io::BufWriter::new(std::fs::File::create(&file)?);
    let mut bytes = 0;
    let mut body = response.bytes_stream();
    while let Some(chunk) = body.next().await {
        let chunk = chunk?;
        bytes += chunk.len() as u64;
        out.write_all(&chunk)?;
    }
    out.flush()?;
    Ok(Download {
        what,
        status,
        bytes,
        seconds: started.elapsed().as_secs_f64(),
        file,
        problem: None,
    })
}

/// Reads every entry of the archive to its end (which checks its CRC); says how many there are,
/// and what an essays ZIP says of the first essay it could not include.
fn check_archive(file: &Path) -> Res<String> {
    let mut archive = zip::ZipArchive::new(std::fs::File::open(file)?)?;
    let mut left_out = Vec::new();
    for index in 0..archive.len() {
        let mut entry = archive.by_index(index)?;
        if entry.name()?.ends_with(".NOT-INCLUDED.txt") {
            let mut why = String::new();
            std::io::Read::read_to_string(&mut entry, &mut why)?;
            left_out.push(why.trim().to_owned());
        } else {
            std::io::copy(&mut entry, &mut std::io::sink())?;
        }
    }
    let mut said = format!("valid ZIP, {} entries, every CRC checked", archive.len());
    if let Some(first) = left_out.first() {
        said.push_str(&format!("; {} not included: {first}", left_out.len()));
    }
    Ok(said)
}

/// Asks `/api/time` every 50 ms (the next ask waits for the answer) until `stop`: the number of
/// answers, the slowest and the 99th percentile in ms, and how many failed.
async fn poll_time(url: String, stop: Arc<AtomicBool>) -> (u64, f64, f64, u64) {
    let client = api::client().expect("a client");
    let mut latencies =
        Histogram::<u64>::new_with_bounds(1, 600_000_000, 3).expect("histogram bounds");
    let mut failed = 0;
    let mut tick = tokio::time::interval(Duration::from_millis(50));
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    while !stop.load(Ordering::Relaxed) {
        tick.tick().await;
        let asked = Instant::now();
        match client.get(format!("{url}/api/time")).send().await {
            Ok(response) if response.status() == 200 => {
                let _ = response.bytes().await;
                let _ = latencies.record((asked.elapsed().as_micros() as u64).max(1));
            }
            _ => failed += 1,
        }
    }
    let ms = |us: u64| us as f64 / 1000.0;
    (
        latencies.len(),
        ms(latencies.max()),
        ms(latencies.value_at_quantile(0.99)),
        failed,
    )
}

/// A size for people: MB, or KB below one MB.
fn size(bytes: u64) -> String {
    if bytes >= 1_048_576 {
        format!("{:.1} MB", bytes as f64 / 1_048_576.0)
    } else {
        format!("{:.1} KB", bytes as f64 / 1024.0)
    }
}

/// The database's size on disk: SQLite's file and its WAL, or PostgreSQL's `pg_database_size`.
fn database_bytes(run: &Run, data_dir: &Path) -> Option<u64> {
    if run.spec.database_url.is_some() {
        return run
            .query("SELECT pg_database_size(current_database())")
            .ok()?
            .parse()
            .ok();
    }
    let size = |name: &str| {
        std::fs::metadata(data_dir.join(name))
            .map(|m| m.len())
            .unwrap_or(0)
    };
    Some(size("essay-portal.sqlite") + size("essay-portal.sqlite-wal"))
}
