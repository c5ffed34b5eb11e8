//! Accounts, passwords and roles.
use std::process::ExitCode;

use crate::configuration::Settings;

pub async fn cli_create_admin(_settings: &Settings, _email: &str, _name: &str) -> ExitCode {
    eprintln!("not yet available");
    ExitCode::FAILURE
}
