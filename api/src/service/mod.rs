//! Business logic over a database connection.
pub mod accounts;
pub mod applicants;
pub mod assessment;
pub mod audit;
pub mod demo;
pub mod inspector;
pub mod integrations;
pub mod mail;
pub mod oidc;
pub mod outbox;
pub mod passwords;
pub mod privacy;
pub mod receipts;
pub mod reminders;
pub mod sessions;
pub mod submissions;
pub mod templates;
pub mod tokens;
pub mod vacancies;
pub mod worker_sandbox;

/// Pure, so it lives in [`crate::domain`]; still reachable here, where the admin routes look for it.
pub use crate::domain::self_test;
