//! The server's database, outside the server: a fresh PostgreSQL database per run, and
//! consistency queries through `psql` or `sqlite3`. Starting and killing the server is
//! `testkit::server`'s.

use std::path::Path;
use std::process::Command;

use crate::Res;

/// A fresh PostgreSQL database named after this run, created with `psql` on the server that
/// `base_url` names; returns its URL.
pub fn create_database(base_url: &str) -> Res<String> {
    let name = format!(
        "loadgen_{}_{}",
        std::process::id(),
        chrono::Utc::now().timestamp()
    );
    psql(base_url, &format!("CREATE DATABASE {name}"))?;
    let (prefix, _) = base_url
        .rsplit_once('/')
        .ok_or("--database-url must look like postgres://user@host:port/db")?;
    Ok(format!("{prefix}/{name}"))
}

pub fn drop_database(base_url: &str, url: &str) {
    if let Some((_, name)) = url.rsplit_once('/') {
        let _ = psql(base_url, &format!("DROP DATABASE IF EXISTS {name}"));
    }
}

pub fn psql(url: &str, sql: &str) -> Res<String> {
    let out = Command::new("psql")
        .args([url, "-v", "ON_ERROR_STOP=1", "-tA", "-c", sql])
        .output()?;
    if !out.status.success() {
        return Err(format!("psql: {}", String::from_utf8_lossy(&out.stderr)).into());
    }
    Ok(String::from_utf8_lossy(&out.stdout).trim().to_owned())
}

pub fn sqlite(path: &Path, sql: &str) -> Res<String> {
    let out = Command::new("sqlite3").arg(path).arg(sql).output()?;
    if !out.status.success() {
        return Err(format!("sqlite3: {}", String::from_utf8_lossy(&out.stderr)).into());
    }
    Ok(String::from_utf8_lossy(&out.stdout).trim().to_owned())
}
