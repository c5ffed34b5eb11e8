//! Confinement of the inspection worker, applied by the worker itself before it reads its first
//! file. Parsers of hostile files are where a compromise would start; the worker needs only its
//! stdin and stdout pipes, memory and the clock.
//!
//! Four layers, each applied even when another could not be:
//! - **An allow-list seccomp filter.** The calls a parse makes (read on stdin, write on stdout and
//!   stderr, memory without execute permission, futex, the clock, its own CPU limit, exit) are
//!   allowed; the process is killed on any other: files of any kind, sockets, io_uring (which
//!   would make both without a system call of its own), signals to other processes, new
//!   namespaces, threads or programs, tracing. The list was taken from tracing a worker through
//!   the whole corpus; a call it misses kills the worker, which the inspector reports as an
//!   unreadable file and logs as a sandbox violation (never a silent pass).
//! - **A user of its own.** Started as root (a container's default), each worker becomes a user
//!   of its own (see [`worker_uid`]), so that even a kernel without seccomp leaves it unable to
//!   signal the server or a sibling worker, or to read the server's 0600 files.
//! - **Landlock**, where the kernel has it: every filesystem access refused.
//! - **RLIMIT_NPROC 0**: no thread or process of its own.

use std::collections::BTreeMap;

use seccompiler::{
    BpfProgram, SeccompAction, SeccompCmpArgLen, SeccompCmpOp, SeccompCondition, SeccompFilter,
    SeccompRule, TargetArch,
};

/// First of the user ids given to workers started as root, one each (see [`worker_uid`]): above
/// the ranges distributions give people (1000–60000), systemd's dynamic users (61184–65519) and
/// the usual container sub-id ranges (100000 up, 65536 each), below 2^31.
pub const WORKER_UID_BASE: u32 = 2_000_000_000;
/// How many worker user ids are used in turn.
pub const WORKER_UID_SPAN: u32 = 65_536;

/// The user id of the `n`th worker started: workers alive at one time never share one, since a
/// pool holds far fewer than [`WORKER_UID_SPAN`] workers.
pub fn worker_uid(n: u64) -> u32 {
    WORKER_UID_BASE + (n % u64::from(WORKER_UID_SPAN)) as u32
}

/// Gives up root, if the process has it, for `uid` (and the group of the same number): no
/// supplementary groups, then the group, then the user (in that order: after setuid the others
/// are no longer allowed).
fn drop_root(uid: u32) -> Result<(), String> {
    // SAFETY: plain system calls on this process's credentials.
    unsafe {
        if libc::geteuid() != 0 {
            return Ok(());
        }
        if libc::setgroups(0, std::ptr::null()) != 0
            || libc::setresgid(uid, uid, uid) != 0
            || libc::setresuid(uid, uid, uid) != 0
        {
            return Err(format!(
                "cannot give up root: {}",
                std::io::Error::last_os_error()
            ));
        }
        if libc::geteuid() == 0 || libc::getegid() == 0 {
            return Err("still root after setuid".into());
        }
    }
    Ok(())
}

/// Every filesystem access refused by Landlock, where the kernel has it: a wall that does not
/// depend on knowing every syscall that reaches a file. Best effort: a kernel without Landlock
/// (this machine's lists no Landlock LSM) leaves it unenforced, which is not an error.
fn deny_filesystem() -> Result<(), String> {
    use landlock::{Access, AccessFs, Ruleset, RulesetAttr};
    let every_access = AccessFs::from_all(landlock::ABI::V5);
    Ruleset::default()
        .handle_access(every_access)
        .and_then(|ruleset| ruleset.create())
        .and_then(|ruleset| ruleset.restrict_self())
        .map(|_status| ())
        .map_err(|e| format!("landlock: {e}"))
}

/// No new threads or processes: clone and fork fail with EAGAIN.
fn forbid_new_processes() -> Result<(), String> {
    let none = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: setrlimit on this process.
    if unsafe { libc::setrlimit(libc::RLIMIT_NPROC, &none) } != 0 {
        return Err(format!(
            "cannot set RLIMIT_NPROC: {}",
            std::io::Error::last_os_error()
        ));
    }
    Ok(())
}

/// Confines the calling process (single-threaded: the filter applies to this thread and what it
/// starts), as the user `uid` when it runs as root. Best effort: on a kernel without seccomp the
/// worker still runs with the other layers, and says why on stderr (which the server discards).
pub fn confine(uid: u32) -> Result<(), String> {
    // Each layer is applied even when another could not be: one failing must not leave the rest off.
    let failures: Vec<String> = [
        drop_root(uid),
        forbid_new_processes(),
        deny_filesystem(),
        apply_seccomp(),
    ]
    .into_iter()
    .filter_map(Result::err)
    .collect();
    if failures.is_empty() {
        Ok(())
    } else {
        Err(failures.join("; "))
    }
}

/// A condition on a 32-bit argument (every one compared here is an `int`: a descriptor, a pid,
/// protection flags).
fn arg(index: u8, op: SeccompCmpOp, value: u64) -> Result<SeccompCondition, String> {
    SeccompCondition::new(index, SeccompCmpArgLen::Dword, op, value).map_err(|e| e.to_string())
}

fn when(conditions: Vec<SeccompCondition>) -> Result<SeccompRule, String> {
    SeccompRule::new(conditions).map_err(|e| e.to_string())
}

/// The allow-list: each call with the arguments it may have (an empty list: any arguments).
fn allowed() -> Result<BTreeMap<i64, Vec<SeccompRule>>, String> {
    use SeccompCmpOp::{Eq, MaskedEq};
    let no_exec = || arg(2, MaskedEq(libc::PROT_EXEC as u64), 0);
    // SAFETY: getpid has no arguments and cannot fail.
    let me = unsafe { libc::getpid() } as u64;
    let mut rules: BTreeMap<i64, Vec<SeccompRule>> = BTreeMap::new();
    // The pipes: requests on stdin, answers on stdout, a last word on stderr.
    rules.insert(libc::SYS_read, vec![when(vec![arg(0, Eq, 0)?])?]);
    for call in [libc::SYS_write, libc::SYS_writev] {
        rules.insert(
            call,
            vec![when(vec![arg(0, Eq, 1)?])?, when(vec![arg(0, Eq, 2)?])?],
        );
    }
    // Memory, never executable: a parser has no code to load.
    for call in [libc::SYS_mmap, libc::SYS_mprotect] {
        rules.insert(call, vec![when(vec![no_exec()?])?]);
    }
    // Its own CPU limit, lowered before each file (pid 0: this process).
    rules.insert(libc::SYS_prlimit64, vec![when(vec![arg(0, Eq, 0)?])?]);
    // mimalloc names each new arena it maps ("mimalloc" in /proc/self/maps): the one prctl allowed.
    // A large file needs a new arena after the filter is on; without this, the loadgen hostile
    // harness saw a worker killed on an 8 MB PDF.
    rules.insert(
        libc::SYS_prctl,
        vec![when(vec![arg(0, Eq, libc::PR_SET_VMA as u64)?])?],
    );
    // abort() after a panic raises SIGABRT at itself, and only at itself.
    rules.insert(libc::SYS_tgkill, vec![when(vec![arg(0, Eq, me)?])?]);
    for call in [
        libc::SYS_munmap,
        libc::SYS_mremap,
        libc::SYS_brk,
        libc::SYS_madvise,
        libc::SYS_futex,
        libc::SYS_sched_yield,
        libc::SYS_sched_getaffinity,
        libc::SYS_clock_gettime,
        libc::SYS_clock_getres,
        libc::SYS_gettimeofday,
        libc::SYS_getrandom,
        libc::SYS_getrusage,
        libc::SYS_getpid,
        libc::SYS_gettid,
        libc::SYS_getuid,
        libc::SYS_geteuid,
        libc::SYS_getgid,
        libc::SYS_getegid,
        libc::SYS_rt_sigreturn,
        libc::SYS_rt_sigprocmask,
        libc::SYS_rt_sigaction,
        libc::SYS_sigaltstack,
        libc::SYS_close,
        libc::SYS_exit,
        libc::SYS_exit_group,
    ] {
        rules.insert(call, vec![]);
    }
    #[cfg(target_arch = "x86_64")]
    for call in [libc::SYS_getrlimit, libc::SYS_setrlimit] {
        rules.insert(call, vec![]);
    }
    Ok(rules)
}

fn apply_seccomp() -> Result<(), String> {
    let arch = TargetArch::try_from(std::env::consts::ARCH).map_err(|e| e.to_string())?;
    let filter = SeccompFilter::new(
        allowed()?,
        SeccompAction::KillProcess,
        SeccompAction::Allow,
        arch,
    )
    .map_err(|e| e.to_string())?;
    let program: BpfProgram = filter
        .try_into()
        .map_err(|e: seccompiler::BackendError| e.to_string())?;
    // SAFETY: prctl with PR_SET_NO_NEW_PRIVS only sets a flag on this process.
    unsafe {
        libc::prctl(libc::PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
    }
    seccompiler::apply_filter(&program).map_err(|e| e.to_string())
}
