//! The inspection worker's confinement, tried in forked children (it cannot be undone). This
//! binary holds this one test, so each fork happens with no other test thread running.
//!
//! Each escape is tried in a child of its own, since the allow-list kills the process on the
//! first call outside it: a child passes when it is killed by SIGSYS, or when the call fails.
//! The control child must survive a real inspection and an anonymous copy.

use api::service::worker_sandbox::{confine, worker_uid};

/// How a forked child ended.
#[derive(Debug, PartialEq, Eq)]
enum End {
    Exited(i32),
    Killed(i32),
}

fn in_child(uid_index: u64, attempt: impl FnOnce() -> i32) -> End {
    // SAFETY: the test binary has no other test thread; the child exits with _exit.
    let pid = unsafe { libc::fork() };
    assert!(pid >= 0);
    if pid == 0 {
        let code = match confine(worker_uid(uid_index)) {
            Ok(()) => attempt(),
            Err(_) => 99,
        };
        // SAFETY: ends the forked child without running the harness's destructors.
        unsafe { libc::_exit(code) };
    }
    wait(pid)
}

fn wait(pid: libc::pid_t) -> End {
    let mut status = 0;
    // SAFETY: waits for a child of this process.
    unsafe { libc::waitpid(pid, &mut status, 0) };
    if libc::WIFSIGNALED(status) {
        End::Killed(libc::WTERMSIG(status))
    } else {
        End::Exited(libc::WEXITSTATUS(status))
    }
}

/// 0 when the call failed, 1 when it worked.
fn worked(result: bool) -> i32 {
    i32::from(result)
}

#[test]
fn a_confined_worker_parses_files_and_nothing_else() {
    // SAFETY: reads this process's effective user id.
    let root = unsafe { libc::geteuid() } == 0;
    // A sibling worker that a compromised one would try to signal.
    // SAFETY: the child only sleeps, then exits with _exit.
    let sibling = unsafe { libc::fork() };
    assert!(sibling >= 0);
    if sibling == 0 {
        // SAFETY: sleeps, then ends the child.
        unsafe {
            libc::sleep(30);
            libc::_exit(0)
        };
    }
    // SAFETY: reads this process's pid.
    let server = unsafe { libc::getpid() };

    type Attempt = Box<dyn FnOnce() -> i32>;
    let escapes: Vec<(&str, Attempt)> = vec![
        (
            "open a file",
            Box::new(|| worked(std::fs::File::open("/etc/hostname").is_ok())),
        ),
        (
            "make a socket",
            Box::new(|| worked(std::net::TcpListener::bind("127.0.0.1:0").is_ok())),
        ),
        (
            "set up io_uring (a socket and a connect without a system call of their own)",
            Box::new(|| {
                let mut params = [0u8; 120];
                // SAFETY: io_uring_setup writes at most sizeof(io_uring_params) = 120 bytes.
                let fd = unsafe { libc::syscall(libc::SYS_io_uring_setup, 8, params.as_mut_ptr()) };
                worked(fd >= 0)
            }),
        ),
        (
            "signal the server",
            // SAFETY: signal 0 only checks whether the signal could be sent.
            Box::new(move || worked(unsafe { libc::kill(server, 0) } == 0)),
        ),
        (
            "signal a sibling worker's thread (tgkill)",
            // SAFETY: as above, signal 0.
            Box::new(move || {
                worked(unsafe { libc::syscall(libc::SYS_tgkill, sibling, sibling, 0) } == 0)
            }),
        ),
        (
            "enter a new user namespace",
            // SAFETY: unshare changes only this process.
            Box::new(|| worked(unsafe { libc::unshare(libc::CLONE_NEWUSER) } == 0)),
        ),
        (
            "start a program",
            Box::new(|| worked(std::process::Command::new("/bin/true").status().is_ok())),
        ),
        (
            "start a thread",
            Box::new(|| worked(std::thread::Builder::new().spawn(|| ()).is_ok())),
        ),
        (
            "trace itself (ptrace)",
            // SAFETY: PTRACE_TRACEME only marks this process.
            Box::new(|| worked(unsafe { libc::ptrace(libc::PTRACE_TRACEME, 0, 0, 0) } == 0)),
        ),
        (
            "map executable memory",
            Box::new(|| {
                // SAFETY: an anonymous mapping, unmapped by the process's end.
                let p = unsafe {
                    libc::mmap(
                        std::ptr::null_mut(),
                        4096,
                        libc::PROT_READ | libc::PROT_EXEC,
                        libc::MAP_PRIVATE | libc::MAP_ANONYMOUS,
                        -1,
                        0,
                    )
                };
                worked(p != libc::MAP_FAILED)
            }),
        ),
        (
            "become root again",
            // SAFETY: changes only this process's credentials, if allowed.
            Box::new(|| worked(unsafe { libc::setuid(0) } == 0)),
        ),
    ];
    let mut failures = Vec::new();
    for (index, (what, attempt)) in escapes.into_iter().enumerate() {
        let end = in_child(index as u64, attempt);
        let refused = matches!(end, End::Killed(libc::SIGSYS) | End::Exited(0));
        println!(
            "{what}: {end:?} ({})",
            if refused { "refused" } else { "ALLOWED" }
        );
        if !refused {
            failures.push(format!("{what}: {end:?}"));
        }
    }
    // The sibling is still alive: nothing reached it.
    // SAFETY: signal 0 to our own child only checks it exists.
    assert_eq!(
        unsafe { libc::kill(sibling, 0) },
        0,
        "the sibling worker was killed"
    );
    // SAFETY: ends and reaps the sibling.
    unsafe { libc::kill(sibling, libc::SIGKILL) };
    wait(sibling);
    assert!(failures.is_empty(), "escapes that worked: {failures:#?}");

    // The control: a confined worker inspects a Word file and a PDF, makes their anonymous
    // copies, and panics and recovers, all within its allow-list.
    let docx = testkit::docx::with_body(&testkit::docx::paragraph("Key challenges"), &[]);
    let pdf =
        testkit::pdf::text_pages(&[&["Key challenges of the post"], &["and how I meet them"]]);
    let end = in_child(100, move || {
        let limits = inspection::Limits::default();
        let word = inspection::inspect(&docx, "essay.docx", &limits);
        let pdf_read = inspection::inspect(&pdf, "essay.pdf", &limits);
        let copies = inspection::anonymize(&docx, &limits).is_ok()
            && inspection::anonymize(&pdf, &limits).is_ok();
        // The worker runs with a cleared environment, so a panic prints its message and no
        // backtrace (which would read files); this test process may have RUST_BACKTRACE set.
        std::panic::set_hook(Box::new(|info| eprintln!("worker: {info}")));
        let recovered = std::panic::catch_unwind(|| panic!("a parser bug")).is_err();
        let json = serde_json::to_vec(&word).is_ok();
        if word.facts.pages != Some(1) {
            10
        } else if pdf_read.facts.pages != Some(2) {
            11
        } else if !copies {
            12
        } else if !recovered || !json {
            13
        } else {
            0
        }
    });
    assert_eq!(
        end,
        End::Exited(0),
        "10 = Word not read, 11 = PDF not read, 12 = no copy, 13 = panic or JSON; Killed(31) = a call outside the allow-list"
    );

    // Started as root, each worker is a user of its own: two confined children report different
    // user ids, neither of them root.
    if root {
        let uid_of = |index| {
            // SAFETY: reads this process's user id.
            in_child(index, || (unsafe { libc::getuid() } % 200) as i32)
        };
        let (a, b) = (uid_of(7), uid_of(8));
        assert_ne!(a, b, "two workers share a user id");
        assert_eq!(a, End::Exited((worker_uid(7) % 200) as i32));
    } else {
        println!("skipped: a user id per worker (needs root; this run is not root)");
    }
}
