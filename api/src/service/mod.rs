//! Business logic over a database connection.
pub mod accounts;
pub mod assessment;
pub mod audit;
pub mod demo;
pub mod inspector;
pub mod outbox;
pub mod passwords;
pub mod receipts;
pub mod self_test;
pub mod sessions;
pub mod submissions;
pub mod tokens;
pub mod vacancies;
pub mod verdicts;
pub mod worker_sandbox;
