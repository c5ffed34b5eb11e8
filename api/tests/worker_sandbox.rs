//! The inspection worker's confinement, tried in a forked child (it cannot be undone). This
//! binary holds this one test, so the fork happens with no other test thread running.

#[test]
fn a_confined_process_cannot_open_files_connect_or_start_programs() {
    // SAFETY: the test binary has no other test thread; the child exits with _exit.
    let pid = unsafe { libc::fork() };
    assert!(pid >= 0);
    if pid == 0 {
        // SAFETY: reads this process's effective user id.
        let started_as_root = unsafe { libc::geteuid() } == 0;
        let confined = api::service::worker_sandbox::confine().is_ok();
        // SAFETY: as above.
        let still_root = unsafe { libc::geteuid() } == 0 || unsafe { libc::getegid() } == 0;
        let regained_root = started_as_root && unsafe { libc::setuid(0) } == 0;
        let thread = std::thread::Builder::new().spawn(|| ()).is_ok();
        let opened = std::fs::File::open("/etc/hostname").is_ok();
        let socket = std::net::TcpListener::bind("127.0.0.1:0").is_ok();
        let started = std::process::Command::new("/bin/true").status().is_ok();
        // Ordinary work still runs: memory, arithmetic.
        let mut memory = vec![0u8; 1 << 20];
        memory[12345] = 1;
        let code = if !confined {
            10
        } else if opened {
            11
        } else if socket {
            12
        } else if started {
            13
        } else if memory.iter().map(|b| *b as u32).sum::<u32>() != 1 {
            14
        } else if still_root || regained_root {
            15
        } else if thread {
            16
        } else {
            0
        };
        // SAFETY: ends the forked child without running the harness's destructors.
        unsafe { libc::_exit(code) };
    }
    let mut status = 0;
    // SAFETY: waits for the child forked above.
    unsafe { libc::waitpid(pid, &mut status, 0) };
    assert!(libc::WIFEXITED(status), "the child died: {status}");
    assert_eq!(
        libc::WEXITSTATUS(status),
        0,
        "10 = not confined, 11 = opened a file, 12 = made a socket, 13 = started a program, 14 = memory, 15 = still root, 16 = started a thread"
    );
}
