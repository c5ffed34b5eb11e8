//! Replays every input the fuzzers found (`tests/fuzz-regressions/<target>/`, see README
//! "Fuzzing"), each in a child process under the inspection worker's memory limit and a CPU
//! limit, so that a hang or a runaway allocation fails here as it would have in production. A
//! folder without inputs fails too: a replay of nothing proves nothing.

use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

// The fuzz targets' own code (fuzz/ is a separate workspace: it builds with `cargo afl`).
#[path = "../../fuzz/src/lib.rs"]
mod fuzz_targets;
use fuzz_targets::TARGETS;

/// The inspection worker's address-space limit (`inspection_memory_mib`'s default).
const MEMORY_BYTES: u64 = 1024 * 1024 * 1024;
/// CPU seconds per input: production gives the worker 5 s of an optimised build; a debug build
/// is many times slower, so this is a hang guard, not a speed target.
const CPU_SECONDS: u64 = 120;
/// Wall-clock guard for a child stuck without using CPU.
const WALL: Duration = Duration::from_secs(300);

fn regressions() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz-regressions")
}

#[test]
fn every_target_has_regression_inputs_and_each_is_handled_within_the_workers_limits() {
    let mut failures = Vec::new();
    for target in TARGETS {
        let folder = regressions().join(target);
        let mut inputs: Vec<PathBuf> = std::fs::read_dir(&folder)
            .map(|entries| entries.filter_map(|e| Some(e.ok()?.path())).collect())
            .unwrap_or_default();
        inputs.retain(|p| p.is_file() && p.extension().is_none_or(|e| e != "md"));
        inputs.sort();
        if inputs.is_empty() {
            failures.push(format!("{target}: no inputs in {}", folder.display()));
        }
        for input in inputs {
            if let Err(why) = replay_in_child(target, &input) {
                failures.push(format!("{target}/{}: {why}", input.display()));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

fn replay_in_child(target: &str, input: &Path) -> Result<(), String> {
    let mut command = Command::new(std::env::current_exe().map_err(|e| e.to_string())?);
    command
        .args(["--exact", "child_replays_one_input", "--test-threads", "1"])
        .env("FUZZ_REPLAY_TARGET", target)
        .env("FUZZ_REPLAY_INPUT", input)
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    // SAFETY: only async-signal-safe calls (setrlimit) run between fork and exec.
    unsafe {
        command.pre_exec(|| {
            let limit = |resource, value: u64| {
                let value = libc::rlimit {
                    rlim_cur: value as libc::rlim_t,
                    rlim_max: value as libc::rlim_t,
                };
                libc::setrlimit(resource, &value)
            };
            limit(libc::RLIMIT_AS, MEMORY_BYTES + 256 * 1024 * 1024);
            limit(libc::RLIMIT_CPU, CPU_SECONDS);
            limit(libc::RLIMIT_CORE, 0);
            Ok(())
        });
    }
    let mut child = command.spawn().map_err(|e| e.to_string())?;
    let started = Instant::now();
    loop {
        if let Some(status) = child.try_wait().map_err(|e| e.to_string())? {
            if status.success() {
                return Ok(());
            }
            let mut stderr = String::new();
            if let Some(mut pipe) = child.stderr.take() {
                let _ = std::io::Read::read_to_string(&mut pipe, &mut stderr);
            }
            let tail: String = stderr.lines().rev().take(8).collect::<Vec<_>>().join(" | ");
            return Err(format!("the child ended with {status}: {tail}"));
        }
        if started.elapsed() > WALL {
            let _ = child.kill();
            return Err(format!("still running after {} s", WALL.as_secs()));
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Runs in the child: one input through its target's code, as the fuzz target does. Without
/// the environment variables (an ordinary test run) it has nothing to do.
#[test]
fn child_replays_one_input() {
    let (Ok(target), Ok(input)) = (
        std::env::var("FUZZ_REPLAY_TARGET"),
        std::env::var("FUZZ_REPLAY_INPUT"),
    ) else {
        return;
    };
    let data = std::fs::read(&input).expect("the input is readable");
    fuzz_targets::run(&target, &data);
}
