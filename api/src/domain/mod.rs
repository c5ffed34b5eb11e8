//! Types that validate on construction: once you hold one, it is valid.
pub mod account;

pub use account::{EmailAddress, FullName, Nationality, Password, Role};
