//! The `essay-portal` binary: everything lives in the `api` library so tests exercise the same code.
fn main() -> std::process::ExitCode {
    api::cli::main()
}
