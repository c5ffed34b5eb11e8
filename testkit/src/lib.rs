//! What the tests, `loadgen` and the benchmarks share, written once:
//! - [`docx`] and [`pdf`]: documents, from exact bytes where a test depends on them, otherwise
//!   built with `docx-rs` and `lopdf`;
//! - [`hostile`]: the hostile inputs and the answer each must get, from the server and from the
//!   inspection library;
//! - [`server`] and [`proc`]: the `essay-portal` binary as a child process, and its memory as
//!   `/proc` shows it;
//! - [`client`]: the HTTP API as a browser uses it (cookie jar, CSRF token, log-in);
//! - [`ci`]: where the shared corpus is, and what a test that cannot run does under CI.
//!
//! It does not depend on the `api` crate: everything here talks to the service over HTTP or runs
//! its binary.

pub mod ci;
pub mod client;
pub mod docx;
pub mod fixtures;
pub mod hostile;
pub mod pdf;
pub mod proc;
pub mod server;

pub use docx_rs;

/// The errors of the harness: anything, with its message.
pub type Res<T> = Result<T, Box<dyn std::error::Error + Send + Sync>>;

/// The password every account made by a test, the harness or a benchmark has.
pub const PASSWORD: &str = "a perfectly long passphrase";

/// The repository's root folder.
pub const REPOSITORY: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/..");
