//! `spawn_app()`: the real application, real migrations, a fresh database per test.
//! SQLite in a temporary directory by default; a fresh PostgreSQL database per test when
//! `TEST_DATABASE_URL` is set (e.g. `postgres://postgres@127.0.0.1:5432/test`).
#![allow(dead_code)]

use api::configuration::Settings;
use api::startup::Application;
use sea_orm::{ConnectionTrait, Database, DatabaseConnection};

pub struct TestApp {
    pub address: String,
    pub port: u16,
    pub db: DatabaseConnection,
    pub settings: Settings,
    pub client: reqwest::Client,
    _data_dir: tempfile::TempDir,
}

/// A client with its own cookie jar, as a separate browser would have.
pub fn browser() -> reqwest::Client {
    reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client")
}

async fn fresh_postgres_database(base_url: &str) -> String {
    let admin = Database::connect(base_url)
        .await
        .expect("connect to TEST_DATABASE_URL");
    let name = format!("ep_test_{}", uuid::Uuid::new_v4().simple());
    admin
        .execute_unprepared(&format!("CREATE DATABASE {name}"))
        .await
        .expect("create test database");
    admin.close().await.ok();
    let (prefix, _) = base_url.rsplit_once('/').expect("database URL has a path");
    format!("{prefix}/{name}")
}

pub async fn test_settings() -> (Settings, tempfile::TempDir) {
    let data_dir = tempfile::tempdir().expect("temp dir");
    let mut settings = Settings {
        bind: "127.0.0.1:0".parse().expect("address"),
        data_dir: data_dir.path().to_path_buf(),
        inspection_worker: Some(env!("CARGO_BIN_EXE_essay-portal").into()),
        log_level: "warn".into(),
        ..Settings::default()
    };
    if let Some(url) = std::env::var("TEST_DATABASE_URL")
        .ok()
        .filter(|u| !u.is_empty())
    {
        settings.database_url = Some(fresh_postgres_database(&url).await);
    }
    (settings, data_dir)
}

pub async fn spawn_app() -> TestApp {
    let (settings, data_dir) = test_settings().await;
    spawn_app_with(settings, data_dir).await
}

pub async fn spawn_app_with(settings: Settings, data_dir: tempfile::TempDir) -> TestApp {
    let application = Application::build(settings.clone())
        .await
        .expect("application starts");
    let port = application.port();
    let db = application.database().clone();
    tokio::spawn(application.run_until_stopped());
    TestApp {
        address: format!("http://127.0.0.1:{port}"),
        port,
        db,
        settings,
        client: browser(),
        _data_dir: data_dir,
    }
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.address, path)
    }
}
