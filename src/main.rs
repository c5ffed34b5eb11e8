//! The `essay-portal` binary: everything lives in the `api` library so tests exercise the same code.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    sqlite_without_memory_statistics();
    api::cli::main()
}

/// SQLite keeps process-wide memory statistics by default, counting every allocation and free
/// under one global mutex. Nothing here reads them (`sqlite3_memory_used`), and at a deadline
/// rush the pool's connection threads queued on that mutex: futex waits and wake-ups were about a
/// tenth of the server's CPU. A process-wide setting, so it belongs to the binary, like the
/// allocator; tests that start several apps in one process keep SQLite's defaults.
fn sqlite_without_memory_statistics() {
    // SAFETY: `sqlite3_config` may only be called before SQLite is initialised and while no other
    // thread uses SQLite; this is the first thing `main` does, before any runtime or connection
    // exists. MEMSTATUS takes one `int`.
    let status = unsafe {
        libsqlite3_sys::sqlite3_config(
            libsqlite3_sys::SQLITE_CONFIG_MEMSTATUS,
            0 as std::ffi::c_int,
        )
    };
    // Anything but OK leaves SQLite's default in place, which is slower but correct.
    debug_assert_eq!(status, libsqlite3_sys::SQLITE_OK);
}
