//! essay-portal as a library: the binary, the tests and the tools all use this.
pub mod auth;
pub mod backup;
pub mod cli;
pub mod configuration;
pub mod database;
pub mod domain;
pub mod downloads;
pub mod error;
pub mod frontend;
pub mod group_commit;
pub mod offline;
pub mod routes;
pub mod service;
pub mod startup;
pub mod telemetry;
pub mod uploads;
