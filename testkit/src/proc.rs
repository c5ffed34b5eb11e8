//! A process's memory as `/proc` shows it: the server's own peak, and its inspection workers'.

use std::sync::atomic::{AtomicU32, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

/// A field of `/proc/<pid>/status` in KiB (`VmHWM:`, `VmRSS:`, `PPid:`; 0 when the process is
/// gone).
pub fn status_kib(pid: u32, field: &str) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with(field))
                .and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
        })
        .unwrap_or(0)
}

/// The resident memory of `pid`'s children (the inspection workers), summed, and how many there
/// are.
pub fn children_rss_kib(pid: u32) -> (u64, u64) {
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return (0, 0);
    };
    let mut total = 0;
    let mut count = 0;
    for child in entries
        .flatten()
        .filter_map(|e| e.file_name().to_str()?.parse::<u32>().ok())
        .filter(|p| status_kib(*p, "PPid:") == u64::from(pid))
    {
        total += status_kib(child, "VmRSS:");
        count += 1;
    }
    (total, count)
}

/// CPU time used so far, in clock ticks, by a process itself and by its inspection workers:
/// the live children's own time plus what the process's reaped children used (`cutime`,
/// `cstime`). The difference of two samples is what was spent between them, whether a worker
/// lived through the interval or was retired in it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CpuTicks {
    pub server: u64,
    pub workers: u64,
}

/// `utime + stime`, and `cutime + cstime`, of `/proc/<pid>/stat` (zeros when it is gone).
fn stat_ticks(pid: u32) -> (u64, u64) {
    let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else {
        return (0, 0);
    };
    // The command name may hold spaces and parentheses: fields are counted after the last ')'.
    let Some(rest) = stat.rsplit_once(')').map(|(_, r)| r) else {
        return (0, 0);
    };
    let fields: Vec<u64> = rest
        .split_whitespace()
        .map(|f| f.parse().unwrap_or(0))
        .collect();
    // After ')': state is field 3 of the man page, so utime (14) is at index 11.
    let at = |i: usize| fields.get(i).copied().unwrap_or(0);
    (at(11) + at(12), at(13) + at(14))
}

pub fn cpu_ticks(pid: u32) -> CpuTicks {
    let (own, reaped) = stat_ticks(pid);
    let mut live = 0;
    if let Ok(entries) = std::fs::read_dir("/proc") {
        for child in entries
            .flatten()
            .filter_map(|e| e.file_name().to_str()?.parse::<u32>().ok())
            .filter(|p| status_kib(*p, "PPid:") == u64::from(pid))
        {
            live += stat_ticks(child).0;
        }
    }
    CpuTicks {
        server: own,
        workers: live + reaped,
    }
}

/// Clock ticks per second (`getconf CLK_TCK`; 100 on Linux when it cannot be asked).
pub fn ticks_per_second() -> u64 {
    std::process::Command::new("getconf")
        .arg("CLK_TCK")
        .output()
        .ok()
        .and_then(|o| String::from_utf8(o.stdout).ok()?.trim().parse().ok())
        .unwrap_or(100)
}

/// Samples memory on a thread of its own: the server's VmHWM (the kernel's own peak; read it
/// with [`MemoryProbe::record_hwm`] just before a kill and at the end) and the largest sum of
/// its children's VmRSS seen, with the most children at once. Set `pid` to the server's (0
/// while it is down).
#[derive(Default)]
pub struct MemoryProbe {
    pub pid: AtomicU32,
    pub server_hwm_kib: AtomicU64,
    pub children_peak_kib: AtomicU64,
    pub children_peak_count: AtomicU64,
}

impl MemoryProbe {
    /// Starts sampling every `every`, until [`MemoryProbe::stop`].
    pub fn spawn(self: &Arc<Self>, every: Duration) -> std::thread::JoinHandle<()> {
        let probe = self.clone();
        std::thread::spawn(move || loop {
            let pid = probe.pid.load(Ordering::Relaxed);
            if pid == u32::MAX {
                return;
            }
            if pid != 0 {
                probe.record_hwm(pid);
                let (rss, count) = children_rss_kib(pid);
                probe.children_peak_kib.fetch_max(rss, Ordering::Relaxed);
                probe
                    .children_peak_count
                    .fetch_max(count, Ordering::Relaxed);
            }
            std::thread::sleep(every);
        })
    }

    pub fn record_hwm(&self, pid: u32) {
        self.server_hwm_kib
            .fetch_max(status_kib(pid, "VmHWM:"), Ordering::Relaxed);
    }

    pub fn stop(&self) {
        self.pid.store(u32::MAX, Ordering::Relaxed);
    }
}
