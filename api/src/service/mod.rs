//! Business logic over a database connection.
pub mod accounts;
pub mod audit;
pub mod demo;
pub mod outbox;
pub mod passwords;
pub mod sessions;
pub mod tokens;
pub mod inspector;
pub mod receipts;
pub mod verdicts;
