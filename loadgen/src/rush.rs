//! `loadgen rush`: throughput, latency, memory, and zero lost acknowledged uploads, optionally
//! across kill -9 / restart cycles.

use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use hdrhistogram::Histogram;
use rand::Rng;
use sha2::{Digest, Sha256};

use testkit::client::{self as api, Candidate};
use testkit::proc::MemoryProbe;
use testkit::PASSWORD;

use crate::{essays, instances, Res, Run, RushArgs};

pub const REFERENCE: &str = "990001";

struct Ack {
    candidate: usize,
    version: String,
    /// The version's number within its candidate's document.
    number: i64,
    sha256: String,
}

struct Shared {
    url: String,
    /// Every instance's address; uploads go to them in turn, as a load balancer would send them.
    urls: Vec<String>,
    reference: String,
    candidates: Vec<Candidate>,
    pad_to: usize,
    next: AtomicUsize,
    all: Mutex<Histogram<u64>>,
    accepted: Mutex<Histogram<u64>>,
    statuses: Mutex<BTreeMap<String, u64>>,
    unexpected: Mutex<Vec<String>>,
    acks: Mutex<Vec<Ack>>,
}

fn histogram() -> Histogram<u64> {
    Histogram::new_with_bounds(1, 3_600_000_000, 3).expect("histogram bounds")
}

fn ms(us: u64) -> f64 {
    us as f64 / 1000.0
}

fn mib(kib: u64) -> f64 {
    kib as f64 / 1024.0
}

/// One client: uploads until `until` (or until `limit` uploads were sent by all clients).
async fn client_loop(shared: Arc<Shared>, until: Instant, limit: Option<usize>) {
    loop {
        if Instant::now() >= until {
            return;
        }
        let n = shared.next.fetch_add(1, Ordering::Relaxed);
        if limit.is_some_and(|l| n >= l) {
            return;
        }
        let who = n % shared.candidates.len();
        let (name, bytes, should_pass) = essays::essay(n, &shared.reference, shared.pad_to);
        let sha256 = hex::encode(Sha256::digest(&bytes));
        // Every upload carries its own Idempotency-Key, so that a retry after a transport error
        // (a closed keep-alive connection, or the server killed mid-request) is safe: if the
        // first attempt was committed, the retry answers 200 with that same version.
        let key = format!("loadgen-{n}");
        let started = Instant::now();
        let mut attempt = 0;
        let (status, body) = loop {
            attempt += 1;
            // A refused connection moves on to the next instance, as a load balancer would.
            let result = api::upload(
                &shared.urls[(n + attempt) % shared.urls.len()],
                &shared.candidates[who],
                &name,
                bytes.clone(),
                Some(&key),
            )
            .await;
            match result {
                // This candidate already has uploads in flight from other clients of the harness
                // (a real candidate has one browser): wait for them, as the answer asks.
                Ok((429, body))
                    if body["type"].as_str() == Some("/problems/uploads-in-progress")
                        && attempt < 1000 =>
                {
                    *shared
                        .statuses
                        .lock()
                        .unwrap()
                        .entry("429 uploads in progress (retried)".into())
                        .or_default() += 1;
                    tokio::time::sleep(Duration::from_millis(20)).await;
                }
                Ok(answer) => break answer,
                Err(e) => {
                    let kind = if e.is_connect() {
                        "transport: connect (retried)"
                    } else if e.is_timeout() {
                        "transport: timeout (retried)"
                    } else {
                        "transport: other (retried)"
                    };
                    *shared
                        .statuses
                        .lock()
                        .unwrap()
                        .entry(kind.into())
                        .or_default() += 1;
                    if attempt >= 100 || Instant::now() >= until + Duration::from_secs(60) {
                        *shared
                            .statuses
                            .lock()
                            .unwrap()
                            .entry("transport: gave up".into())
                            .or_default() += 1;
                        break (0, serde_json::Value::Null);
                    }
                    // The server is down (crash cycles) or closed the connection: back off briefly.
                    tokio::time::sleep(Duration::from_millis(20)).await;
                }
            }
        };
        if status == 0 {
            continue;
        }
        let took = started.elapsed().as_micros() as u64;
        let _ = shared.all.lock().unwrap().record(took.max(1));
        *shared
            .statuses
            .lock()
            .unwrap()
            .entry(status.to_string())
            .or_default() += 1;
        // 200 is a retry that found its first attempt already committed.
        let accepted = status == 201 || status == 200;
        if accepted {
            let _ = shared.accepted.lock().unwrap().record(took.max(1));
            let version = body["version"]["id"]
                .as_str()
                .unwrap_or_default()
                .to_owned();
            let number = body["version"]["version"].as_i64().unwrap_or_default();
            shared.acks.lock().unwrap().push(Ack {
                candidate: who,
                version,
                number,
                sha256,
            });
        }
        if (accepted || status == 422) && accepted != should_pass {
            let mut unexpected = shared.unexpected.lock().unwrap();
            if unexpected.len() < 1000 {
                unexpected.push(format!(
                    "{name}: {status} {}",
                    body["detail"].as_str().unwrap_or_default()
                ));
            }
        } else if !matches!(status, 200 | 201 | 422) {
            // A 5xx, or a 409 from two uploads of one document colliding: neither is an answer a
            // candidate should get at a rush.
            let mut unexpected = shared.unexpected.lock().unwrap();
            unexpected.push(format!("{name}: {status} {body}"));
        }
    }
}

pub async fn run(args: RushArgs) -> Res<bool> {
    let run = Run::new(&args.common)?;
    let file_mb = args.file_mb.or(args.large.then_some(5.0));
    let pad_to = file_mb.map_or(0, |mb| (mb * 1024.0 * 1024.0) as usize);
    let uploads = args.uploads.or(args.large.then_some(args.candidates));
    let concurrency = if args.large && args.concurrency == 64 {
        args.candidates
    } else {
        args.concurrency
    };
    let mut spec = run.spec.clone();
    let max_bytes = (10 * 1024 * 1024).max(pad_to as u64 + 1024 * 1024);
    if pad_to > 0 {
        spec.env.push((
            "ESSAY_PORTAL_UPLOAD_LIMIT_BYTES".into(),
            (max_bytes + 256 * 1024).to_string(),
        ));
    }

    // The harness reads the server's commit counter from /metrics.
    spec.env
        .push(("ESSAY_PORTAL_METRICS_TOKEN".into(), METRICS_TOKEN.into()));
    let kept = args.versions_per_document.max(2);
    spec.env.push((
        "ESSAY_PORTAL_VERSIONS_PER_DOCUMENT".into(),
        kept.to_string(),
    ));
    // Set-up, not timed.
    let setup = Instant::now();
    spec.create_admin("admin@example.org", PASSWORD)?;
    let sink = if args.instances > 1 {
        let folder = spec.data_dir.join("mail");
        std::fs::create_dir_all(&folder)?;
        Some(instances::MailSink::start(&args.smtp_sink, folder)?)
    } else {
        None
    };
    let specs = instances::specs(&spec, args.instances.max(1), sink.as_ref())?;
    let spec = specs[0].clone();
    let mut others = Vec::new();
    for other in &specs[1..] {
        others.push(other.start().await?);
    }
    let mut server = spec.start().await?;
    let url = server.url.clone();
    let urls: Vec<String> = std::iter::once(url.clone())
        .chain(others.iter().map(|s| s.url.clone()))
        .collect();
    let admin = api::log_in(&url, "admin@example.org", PASSWORD).await?;
    let phrase = Some("Key challenges");
    api::create_vacancy(&url, &admin, REFERENCE, &["docx", "pdf"], phrase, max_bytes).await?;
    let candidates = api::candidates(&url, args.candidates, REFERENCE, 4).await?;
    println!(
        "set-up: {} candidates registered, logged in and applied in {:.1} s ({}, {} server{} {})",
        candidates.len(),
        setup.elapsed().as_secs_f64(),
        run.backend(),
        urls.len(),
        if urls.len() > 1 { "s" } else { "" },
        spec.bin.display()
    );

    let probe = Arc::new(MemoryProbe::default());
    probe.pid.store(server.child.id(), Ordering::Relaxed);
    let sampler = probe.spawn(Duration::from_millis(20));
    let shared = Arc::new(Shared {
        url: url.clone(),
        urls: urls.clone(),
        reference: REFERENCE.into(),
        candidates,
        pad_to,
        next: AtomicUsize::new(0),
        all: Mutex::new(histogram()),
        accepted: Mutex::new(histogram()),
        statuses: Mutex::new(BTreeMap::new()),
        unexpected: Mutex::new(Vec::new()),
        acks: Mutex::new(Vec::new()),
    });
    let duration = Duration::from_secs(args.duration);
    let cpu_before = testkit::proc::cpu_ticks(server.child.id());
    let wal_syncs_before = wal_syncs(&run);
    let sqlite_commits_before = sqlite_commits(&url).await;
    let stages_before = stage_totals(&url).await;
    let started = Instant::now();
    let until = if uploads.is_some() {
        started + Duration::from_secs(3600)
    } else {
        started + duration
    };
    let mut clients = tokio::task::JoinSet::new();
    for _ in 0..concurrency {
        clients.spawn(client_loop(shared.clone(), until, uploads));
    }

    // Crash cycles: kill -9 at random moments, restart on the same data and port at once.
    let mut restarts_ms = Vec::new();
    if args.crash_cycles > 0 {
        let mut moments: Vec<f64> = (0..args.crash_cycles)
            .map(|_| rand::thread_rng().gen_range(0.1..0.85))
            .collect();
        moments.sort_by(|a, b| a.partial_cmp(b).unwrap());
        for moment in moments {
            tokio::time::sleep_until((started + duration.mul_f64(moment)).into()).await;
            probe.record_hwm(server.child.id());
            probe.pid.store(0, Ordering::Relaxed);
            server.kill()?; // SIGKILL
            let down = Instant::now();
            drop(server);
            server = spec.start().await?;
            probe.pid.store(server.child.id(), Ordering::Relaxed);
            restarts_ms.push(down.elapsed().as_millis());
            println!(
                "  kill -9 at {:.1} s; healthy again after {} ms",
                started.elapsed().as_secs_f64() - down.elapsed().as_secs_f64(),
                down.elapsed().as_millis()
            );
        }
    }
    while clients.join_next().await.is_some() {}
    let elapsed = started.elapsed().as_secs_f64();
    let cpu_after = testkit::proc::cpu_ticks(server.child.id());
    let wal_syncs_after = wal_syncs(&run);
    let sqlite_commits_after = sqlite_commits(&url).await;
    let stages_after = stage_totals(&url).await;
    probe.record_hwm(server.child.id());
    probe.stop();
    let _ = sampler.join();

    // Report.
    let all = shared.all.lock().unwrap().clone();
    let accepted = shared.accepted.lock().unwrap().clone();
    let statuses = shared.statuses.lock().unwrap().clone();
    let unexpected = shared.unexpected.lock().unwrap().clone();
    let acks = std::mem::take(&mut *shared.acks.lock().unwrap());
    let server_errors: u64 = statuses
        .iter()
        .filter(|(k, _)| k.starts_with('5'))
        .map(|(_, v)| v)
        .sum();
    println!(
        "\n== rush: {} | {} candidates | {} concurrent clients | {} | file {} ==",
        run.backend(),
        shared.candidates.len(),
        concurrency,
        match uploads {
            Some(n) => format!("{n} uploads"),
            None => format!("{} s", args.duration),
        },
        if pad_to > 0 {
            format!("{:.1} MB PDF", pad_to as f64 / 1048576.0)
        } else {
            "2-page DOCX/PDF mix, 10% failing a rule".into()
        }
    );
    println!(
        "answered uploads: {} in {elapsed:.2} s = {:.1}/s; accepted: {} = {:.1}/s",
        all.len(),
        all.len() as f64 / elapsed,
        accepted.len(),
        accepted.len() as f64 / elapsed
    );
    for (label, h) in [
        ("all answers", &all),
        ("accepted (201, or 200 for a retry)", &accepted),
    ] {
        if h.is_empty() {
            continue;
        }
        println!(
            "latency {label}: p50 {:.1} ms  p95 {:.1} ms  p99 {:.1} ms  max {:.1} ms  mean {:.1} ms",
            ms(h.value_at_quantile(0.50)),
            ms(h.value_at_quantile(0.95)),
            ms(h.value_at_quantile(0.99)),
            ms(h.max()),
            h.mean() / 1000.0
        );
    }
    println!("statuses: {statuses:?}");
    // The cost of an upload, rush only (not set-up or verification), from /proc.
    // One server's process only: with several instances the line would count a share.
    if args.crash_cycles == 0 && args.instances <= 1 && !all.is_empty() {
        let per_upload = |ticks: u64| {
            ticks as f64 * 1000.0 / testkit::proc::ticks_per_second() as f64 / all.len() as f64
        };
        let commits = match (
            wal_syncs_before,
            wal_syncs_after,
            sqlite_commits_before,
            sqlite_commits_after,
        ) {
            _ if accepted.is_empty() => "not measured (nothing accepted)".to_owned(),
            (Some(before), Some(after), _, _) => format!(
                "{:.2} (WAL syncs of the whole PostgreSQL server, pg_stat_wal: run it alone)",
                after.saturating_sub(before) as f64 / accepted.len() as f64
            ),
            (_, _, Some(before), Some(after)) => format!(
                "{:.2}",
                after.saturating_sub(before) as f64 / accepted.len() as f64
            ),
            _ => "not measured".to_owned(),
        };
        let breakdown: Vec<String> = ["checks", "body", "inspection", "store"]
            .iter()
            .filter_map(|stage| {
                let (sum, count) = stages_after.get(*stage)?;
                let (sum0, count0) = stages_before.get(*stage).copied().unwrap_or((0.0, 0.0));
                (count - count0 > 0.0)
                    .then(|| format!("{stage} {:.2}", (sum - sum0) * 1000.0 / (count - count0)))
            })
            .collect();
        println!(
            "upload stages, mean wall-clock ms (server's metrics): {}",
            breakdown.join(", ")
        );
        println!(
            "cpu per answered upload: server {:.2} ms, workers {:.2} ms; commits per accepted upload {commits}",
            per_upload(cpu_after.server.saturating_sub(cpu_before.server)),
            per_upload(cpu_after.workers.saturating_sub(cpu_before.workers)),
        );
    }
    println!("5xx: {server_errors}");
    println!(
        "peak memory: server VmHWM {:.1} MiB; inspection workers at most {:.1} MiB together ({} at once)",
        mib(probe.server_hwm_kib.load(Ordering::Relaxed)),
        mib(probe.children_peak_kib.load(Ordering::Relaxed)),
        probe.children_peak_count.load(Ordering::Relaxed)
    );
    if !restarts_ms.is_empty() {
        println!(
            "crash cycles: {} kills, restart-to-healthy {restarts_ms:?} ms",
            restarts_ms.len()
        );
    }
    if !unexpected.is_empty() {
        println!("unexpected outcomes ({}):", unexpected.len());
        for line in unexpected.iter().take(10) {
            println!("  {line}");
        }
    }

    // Verify: every acknowledged upload that the version limit keeps downloads with the SHA-256
    // that was sent. A candidate's uploads beyond `kept` deleted their oldest versions; an upload
    // that was stored but never acknowledged (given up) moves that window up by one.
    let gave_up = statuses.get("transport: gave up").copied().unwrap_or(0);
    let mut newest: HashMap<usize, i64> = HashMap::new();
    for ack in &acks {
        let top = newest.entry(ack.candidate).or_default();
        *top = (*top).max(ack.number);
    }
    let window = kept as i64 - gave_up as i64;
    let acked = acks.len();
    let (acks, deleted): (Vec<Ack>, Vec<Ack>) = acks
        .into_iter()
        .partition(|ack| ack.number > newest[&ack.candidate] - window);
    let must_remain = acks.len();
    println!(
        "version limit: {kept} kept per candidate; {} of {acked} acknowledged versions were deleted by later uploads, as the limit says",
        deleted.len()
    );
    let verify = Instant::now();
    let lost = Arc::new(Mutex::new(Vec::<String>::new()));
    let semaphore = Arc::new(tokio::sync::Semaphore::new(16));
    let mut checks = tokio::task::JoinSet::new();
    let checked = acks.len();
    // (Receipts are checked for the versions kept, with several instances.)
    let acked_versions: Vec<(usize, String)> = acks
        .iter()
        .map(|a| (a.candidate, a.version.clone()))
        .collect();
    for ack in acks {
        let shared = shared.clone();
        let lost = lost.clone();
        let semaphore = semaphore.clone();
        checks.spawn(async move {
            let _permit = semaphore.acquire().await;
            let who = &shared.candidates[ack.candidate];
            // A transport error is not a lost file (an idle keep-alive connection closed by the
            // server, say): it is retried; a 404 or different bytes are not.
            let mut result = api::download(&shared.url, who, &ack.version).await;
            for _ in 0..3 {
                if result.is_ok() {
                    break;
                }
                tokio::time::sleep(Duration::from_millis(100)).await;
                result = api::download(&shared.url, who, &ack.version).await;
            }
            match result {
                Ok((200, bytes)) if hex::encode(Sha256::digest(&bytes)) == ack.sha256 => {}
                Ok((200, _)) => lost
                    .lock()
                    .unwrap()
                    .push(format!("{}: bytes differ", ack.version)),
                Ok((status, _)) => lost
                    .lock()
                    .unwrap()
                    .push(format!("{}: {status}", ack.version)),
                Err(e) => lost.lock().unwrap().push(format!("{}: {e}", ack.version)),
            }
        });
    }
    while checks.join_next().await.is_some() {}
    let lost = lost.lock().unwrap().clone();
    println!(
        "verified: {} acknowledged uploads downloaded and compared in {:.1} s; lost or changed: {}",
        checked,
        verify.elapsed().as_secs_f64(),
        lost.len()
    );
    for line in lost.iter().take(10) {
        println!("  LOST {line}");
    }

    // Nothing half-stored, straight from the database.
    let mut consistent = true;
    let checks = [
        ("versions without their blob", "SELECT COUNT(*) FROM document_versions v WHERE NOT EXISTS (SELECT 1 FROM blobs b WHERE b.sha256 = v.blob_sha256)"),
        ("versions whose size differs from the blob", "SELECT COUNT(*) FROM document_versions v JOIN blobs b ON b.sha256 = v.blob_sha256 WHERE v.size_bytes <> b.size OR length(b.bytes) <> b.size"),
        ("versions without a receipt", "SELECT COUNT(*) FROM document_versions WHERE receipt IS NULL OR receipt = ''"),
        ("blobs without a version", "SELECT COUNT(*) FROM blobs b WHERE NOT EXISTS (SELECT 1 FROM document_versions v WHERE v.blob_sha256 = b.sha256)"),
    ];
    for (label, sql) in checks {
        match run.query(sql) {
            Ok(n) => {
                println!("database: {label}: {n}");
                consistent &= n == "0";
            }
            Err(e) => println!("database: {label}: not checked ({e})"),
        }
    }
    // Every upload was retried with its Idempotency-Key until it was answered, so each stored
    // version must be one that was acknowledged: a row nobody was told about would be a
    // half-finished upload that survived a crash.
    if let Ok(n) = run.query("SELECT COUNT(*) FROM document_versions") {
        let matches = n == must_remain.to_string();
        println!(
            "database: {n} version rows for {must_remain} acknowledged uploads the limit keeps ({})",
            if matches {
                "equal"
            } else if gave_up > 0 {
                "some uploads were given up"
            } else {
                "DIFFERENT"
            }
        );
        consistent &= matches || gave_up > 0;
    }

    // Several instances: one key, receipts that verify with it, each mail sent once.
    if args.instances > 1 {
        let keys = instances::published_keys(&urls).await?;
        let one_key = keys.windows(2).all(|w| w[0] == w[1]) && !keys[0].is_empty();
        println!(
            "instances: {} on one PostgreSQL database; published receipt keys identical: {}",
            urls.len(),
            if one_key { "yes" } else { "NO" }
        );
        let bad =
            instances::unverified_receipts(&urls, &shared.candidates, &acked_versions, &keys[0])
                .await;
        println!(
            "receipts: {} fetched across the instances and verified with the one published key; failed: {}",
            acked_versions.len(),
            bad.len()
        );
        for line in bad.iter().take(10) {
            println!("  RECEIPT {line}");
        }
        // A message claimed by the instance that was killed waits for its claim to lapse (120 s).
        let (total, unsent) = instances::wait_for_outbox(&run, Duration::from_secs(200)).await?;
        let deliveries = sink
            .as_ref()
            .map(|s| s.deliveries())
            .transpose()?
            .unwrap_or_default();
        let delivered: usize = deliveries.values().sum();
        let duplicates: usize = deliveries.values().map(|n| n - 1).sum();
        println!(
            "mail: {total} messages in the outbox, {unsent} unsent; {delivered} deliveries of {} distinct messages (by Message-ID); repeated deliveries: {duplicates}",
            deliveries.len()
        );
        // A kill -9 between the SMTP server's "250 OK" and the row marked sent leaves a message
        // that the other instance sends again once the claim lapses, under the same Message-ID
        // (which receiving servers and mail clients drop as a repeat). No sender can close that
        // window from its side; without a kill there must be no repeat at all.
        if duplicates > 0 && args.crash_cycles > 0 {
            println!("  (repeats here follow the kill -9 mid-send: same Message-ID, so one message to its reader)");
        }
        consistent &= one_key
            && bad.is_empty()
            && unsent == 0
            && (duplicates == 0 || args.crash_cycles > 0)
            && deliveries.len() as u64 == total;
    }

    let throughput = accepted.len() as f64 / elapsed;
    let p99 = ms(all.value_at_quantile(0.99));
    if args.crash_cycles > 0 || pad_to > 0 {
        println!(
            "targets: zero 5xx: {}; zero lost: {} (throughput and latency targets apply to the plain rush)",
            if server_errors == 0 { "met" } else { "MISSED" },
            if lost.is_empty() { "met" } else { "MISSED" },
        );
    } else {
        println!(
        "targets: accepted/s >= 200: {} ({throughput:.1}); p99 < 250 ms: {} ({p99:.1} ms); zero 5xx: {}; zero lost: {}",
        if throughput >= 200.0 { "met" } else { "MISSED" },
        if p99 < 250.0 { "met" } else { "MISSED" },
        if server_errors == 0 { "met" } else { "MISSED" },
        if lost.is_empty() { "met" } else { "MISSED" },
    );
    }
    let ok = server_errors == 0 && lost.is_empty() && consistent && unexpected.is_empty();
    drop(server);
    drop(others);
    drop(sink);
    run.finish(args.common.keep);
    Ok(ok)
}

/// The WAL syncs PostgreSQL has made (its fsyncs of committed work), where it says.
fn wal_syncs(run: &Run) -> Option<u64> {
    run.spec.database_url.as_ref()?;
    run.query("SELECT wal_sync FROM pg_stat_wal")
        .ok()?
        .trim()
        .parse()
        .ok()
}

const METRICS_TOKEN: &str = "loadgen-metrics";

async fn metrics_text(url: &str) -> Option<String> {
    reqwest::Client::new()
        .get(format!("{url}/metrics"))
        .bearer_auth(METRICS_TOKEN)
        .send()
        .await
        .ok()?
        .text()
        .await
        .ok()
}

/// SQLite write transactions the server has committed (`database_commits_total` of `/metrics`).
async fn sqlite_commits(url: &str) -> Option<u64> {
    metrics_text(url)
        .await?
        .lines()
        .find_map(|l| l.strip_prefix("database_commits_total "))
        .and_then(|n| n.trim().parse().ok())
}

/// Seconds spent and uploads counted per stage (`upload_stage_seconds` of `/metrics`).
async fn stage_totals(url: &str) -> BTreeMap<String, (f64, f64)> {
    let mut totals = BTreeMap::new();
    let Some(text) = metrics_text(url).await else {
        return totals;
    };
    for line in text.lines() {
        for (suffix, sum) in [("_sum{stage=\"", true), ("_count{stage=\"", false)] {
            let Some(rest) = line.strip_prefix(&format!("upload_stage_seconds{suffix}")) else {
                continue;
            };
            let Some((stage, value)) = rest.split_once("\"} ") else {
                continue;
            };
            let value: f64 = value.trim().parse().unwrap_or(0.0);
            let entry = totals.entry(stage.to_owned()).or_insert((0.0, 0.0));
            if sum {
                entry.0 = value;
            } else {
                entry.1 = value;
            }
        }
    }
    totals
}
