//! Types that validate on construction (once you hold one, it is valid), and the pure rules the
//! services apply: no database, no I/O.
pub mod account;
pub mod scoring;
pub mod self_test;
pub mod text;
pub mod verdicts;

pub use account::{EmailAddress, FullName, Nationality, Password, Role};
