//! Confinement of the inspection worker, applied by the worker itself before it reads its first
//! file. Parsers of hostile files are where a compromise would start; the worker needs only its
//! stdin and stdout pipes, memory and the clock, so everything that reaches beyond the process is
//! refused with a seccomp filter: opening or changing files, network sockets, starting programs,
//! signalling or tracing other processes (the server runs as the same user).
//!
//! Where the kernel has Landlock, every filesystem access is refused by it as well.
//! Started as root (a container's default), the worker first becomes `nobody`, so that even a
//! kernel without seccomp leaves it unable to read the server's 0600 files; and it may start no
//! thread or process of its own (RLIMIT_NPROC 0), which a parser never needs.
//!
//! It is a deny-list, not an allow-list: the syscalls an allocator, a panic or the standard library
//! may make vary across libc and kernel versions, and an allow-list that misses one kills the
//! worker on a valid essay. What a compromised parser would need to do harm is on the list.

use std::collections::BTreeMap;

use seccompiler::{BpfProgram, SeccompAction, SeccompFilter, TargetArch};

/// System calls the worker never needs, refused with EPERM.
const DENIED: &[i64] = &[
    // Files: a worker has its pipes already; it must not read the data folder or the signing key.
    libc::SYS_openat,
    libc::SYS_openat2,
    libc::SYS_open_by_handle_at,
    libc::SYS_name_to_handle_at,
    libc::SYS_mkdirat,
    libc::SYS_unlinkat,
    libc::SYS_renameat,
    libc::SYS_renameat2,
    libc::SYS_linkat,
    libc::SYS_symlinkat,
    libc::SYS_fchmodat,
    libc::SYS_fchownat,
    libc::SYS_truncate,
    libc::SYS_chdir,
    libc::SYS_chroot,
    libc::SYS_mount,
    // Network.
    libc::SYS_socket,
    libc::SYS_socketpair,
    libc::SYS_connect,
    libc::SYS_bind,
    libc::SYS_listen,
    libc::SYS_accept,
    libc::SYS_accept4,
    // Other programs and processes.
    libc::SYS_execve,
    libc::SYS_execveat,
    libc::SYS_ptrace,
    libc::SYS_process_vm_readv,
    libc::SYS_process_vm_writev,
    libc::SYS_kill,
    libc::SYS_pidfd_open,
    libc::SYS_pidfd_send_signal,
    libc::SYS_pidfd_getfd,
    // Identity: once `nobody`, always `nobody`.
    libc::SYS_setuid,
    libc::SYS_setgid,
    libc::SYS_setreuid,
    libc::SYS_setregid,
    libc::SYS_setresuid,
    libc::SYS_setresgid,
    libc::SYS_setgroups,
];

/// The unprivileged identity a worker started as root takes (Debian's and most systems' `nobody`).
pub const NOBODY: libc::uid_t = 65534;
/// Group of the same name (`nogroup` on Debian).
pub const NOGROUP: libc::gid_t = 65534;

/// Gives up root, if the process has it: no supplementary groups, then the group, then the user
/// (in that order: after setuid the others are no longer allowed).
fn drop_root() -> Result<(), String> {
    // SAFETY: plain system calls on this process's credentials.
    unsafe {
        if libc::geteuid() != 0 {
            return Ok(());
        }
        if libc::setgroups(0, std::ptr::null()) != 0
            || libc::setgid(NOGROUP) != 0
            || libc::setuid(NOBODY) != 0
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

#[cfg(target_arch = "x86_64")]
const LEGACY_DENIED: &[i64] = &[
    libc::SYS_open,
    libc::SYS_creat,
    libc::SYS_mkdir,
    libc::SYS_unlink,
    libc::SYS_rename,
    libc::SYS_link,
    libc::SYS_symlink,
    libc::SYS_chmod,
    libc::SYS_chown,
    libc::SYS_fork,
    libc::SYS_vfork,
];
#[cfg(not(target_arch = "x86_64"))]
const LEGACY_DENIED: &[i64] = &[];

/// Confines the calling process (single-threaded: the filter applies to this thread and what it
/// starts). Best effort: on a kernel without seccomp the worker still runs, with its resource
/// limits only, and says why on stderr (which the server discards).
pub fn confine() -> Result<(), String> {
    // Each layer is applied even when another could not be: one failing must not leave the rest off.
    let failures: Vec<String> = [
        drop_root(),
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

fn apply_seccomp() -> Result<(), String> {
    let arch = TargetArch::try_from(std::env::consts::ARCH).map_err(|e| e.to_string())?;
    let rules: BTreeMap<i64, Vec<seccompiler::SeccompRule>> = DENIED
        .iter()
        .chain(LEGACY_DENIED)
        .map(|&syscall| (syscall, vec![]))
        .collect();
    let filter = SeccompFilter::new(
        rules,
        SeccompAction::Allow,
        SeccompAction::Errno(libc::EPERM as u32),
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
