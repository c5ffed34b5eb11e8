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
