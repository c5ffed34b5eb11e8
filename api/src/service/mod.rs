//! Business logic over a database connection.
pub mod accounts;
pub mod demo;
