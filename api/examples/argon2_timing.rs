//! Measures one argon2id hash and one verification with the production parameters.
//! `cargo run --release -p api --example argon2_timing`
use std::time::Instant;

fn main() {
    let mut hashes = Vec::new();
    let mut timings = Vec::new();
    for _ in 0..11 {
        let started = Instant::now();
        hashes.push(
            api::service::passwords::hash_blocking("a perfectly long passphrase").expect("hash"),
        );
        timings.push(started.elapsed().as_secs_f64() * 1000.0);
    }
    timings.sort_by(|a, b| a.total_cmp(b));
    println!(
        "argon2id m={} KiB t={} p={}: median {:.1} ms, min {:.1} ms, max {:.1} ms over {} hashes",
        api::service::passwords::MEMORY_KIB,
        api::service::passwords::ITERATIONS,
        api::service::passwords::PARALLELISM,
        timings[timings.len() / 2],
        timings[0],
        timings[timings.len() - 1],
        timings.len()
    );
    println!("PHC string: {}…", &hashes[0][..40]);
}
