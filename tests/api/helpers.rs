//! `spawn_app()`: the real application, real migrations, a fresh database per test.
//! SQLite in a temporary directory by default; a fresh PostgreSQL database per test when
//! `TEST_DATABASE_URL` is set (e.g. `postgres://postgres@127.0.0.1:5432/test`).
#![allow(dead_code)]

use api::configuration::Settings;
use api::startup::Application;
use sea_orm::{ConnectionTrait, Database, DatabaseConnection};
use serde_json::{json, Value};
pub use testkit::client::browser;
pub use testkit::fixtures::fixture;
pub use testkit::pdf::{pages as pdf, A4};
pub use testkit::PASSWORD;

pub struct TestApp {
    pub address: String,
    pub port: u16,
    pub db: DatabaseConnection,
    pub settings: Settings,
    pub client: reqwest::Client,
    _data_dir: tempfile::TempDir,
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

/// The application started with the test settings as `change` leaves them.
pub async fn spawn_app_changed(change: impl FnOnce(&mut Settings)) -> TestApp {
    let (mut settings, data_dir) = test_settings().await;
    change(&mut settings);
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

/// The application with an open vacancy `reference` (see [`TestApp::open_vacancy`]) closing in
/// three days.
pub async fn app_with_vacancy(reference: &str) -> TestApp {
    let app = spawn_app().await;
    app.open_vacancy(reference, chrono::Utc::now() + chrono::Duration::days(3))
        .await;
    app
}

/// The status of `response` and its body as JSON (Null when it is not JSON).
pub async fn status_of(response: reqwest::Response) -> (u16, Value) {
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.address, path)
    }

    /// A registered, logged-in candidate who applied for `reference`, and the application's id.
    pub async fn applicant(&self, email: &str, reference: &str) -> (User, String) {
        let candidate = self.candidate(email).await;
        let application = candidate.apply(self, reference).await;
        (candidate, application)
    }

    /// Moves the deadline of `reference` five minutes into the past, as an admin editing it would.
    pub async fn close(&self, reference: &str) {
        self.set_deadline(reference, chrono::Utc::now() - chrono::Duration::minutes(5))
            .await;
    }

    /// Seats `members` (`[{"account_id": …, "chair": true}, …]`) on the panel of `reference`, as
    /// `admin`; returns the status.
    pub async fn seat_panel(&self, admin: &User, reference: &str, members: Value) -> u16 {
        let path = format!("/api/admin/vacancies/{reference}/panel");
        admin
            .put(self, &path, json!({ "members": members }))
            .await
            .0
    }
}

/// Someone at a browser, not logged in: a cookie jar and the CSRF token the pages hold.
pub struct Visitor {
    pub client: reqwest::Client,
    pub csrf: String,
}

impl Visitor {
    /// A POST of `body` to `path` with the CSRF token (more headers may be added).
    pub fn post(&self, app: &TestApp, path: &str, body: Value) -> reqwest::RequestBuilder {
        app.post(&self.client, path, &self.csrf, body)
    }

    /// POSTs `body` to `path`; returns the status.
    pub async fn status(&self, app: &TestApp, path: &str, body: Value) -> u16 {
        let response = self.post(app, path, body).send().await.unwrap();
        response.status().as_u16()
    }
}

/// A person at a browser: their own cookie jar and the CSRF token the pages would hold.
pub struct User {
    pub client: reqwest::Client,
    pub csrf: String,
    pub account_id: String,
    pub email: String,
}

/// The CSRF token of `client`'s session, as the pages hold it.
pub async fn csrf_token(app: &TestApp, client: &reqwest::Client) -> String {
    testkit::client::csrf(client, &app.address).await.unwrap()
}

impl TestApp {
    /// A fresh browser that has opened a page.
    pub async fn visitor(&self) -> Visitor {
        let client = browser();
        let csrf = csrf_token(self, &client).await;
        Visitor { client, csrf }
    }

    /// A POST of `body` to `path` from `client`, with `csrf` (more headers may be added).
    pub fn post(
        &self,
        client: &reqwest::Client,
        path: &str,
        csrf: &str,
        body: Value,
    ) -> reqwest::RequestBuilder {
        testkit::client::post(client, &self.url(path), csrf, &body)
    }

    /// POSTs `body` to `path` from a fresh browser, with its CSRF token; returns the browser
    /// and the answer.
    pub async fn post_anew(&self, path: &str, body: Value) -> (reqwest::Client, reqwest::Response) {
        let visitor = self.visitor().await;
        let response = visitor.post(self, path, body).send().await.unwrap();
        (visitor.client, response)
    }

    pub async fn register(&self, email: &str, nationality: &str) -> reqwest::Response {
        let body = json!({
            "email": email, "full_name": "Ana Silva", "nationality": nationality, "password": PASSWORD
        });
        self.post_anew("/api/accounts", body).await.1
    }

    pub async fn login(&self, email: &str, password: &str) -> (reqwest::Client, reqwest::Response) {
        let body = json!({ "email": email, "password": password });
        self.post_anew("/api/session", body).await
    }

    pub async fn logged_in(&self, email: &str) -> User {
        let (client, response) = self.login(email, PASSWORD).await;
        assert_eq!(response.status(), 200, "login of {email}");
        let body: serde_json::Value = response.json().await.unwrap();
        User {
            client,
            csrf: body["csrf_token"].as_str().unwrap().to_owned(),
            account_id: body["account"]["id"].as_str().unwrap().to_owned(),
            email: email.to_owned(),
        }
    }

    pub async fn candidate(&self, email: &str) -> User {
        let response = self.register(email, "BE").await;
        assert_eq!(response.status(), 201, "registration of {email}");
        self.logged_in(email).await
    }

    /// An assessor or admin, created the way `essay-portal admin create` does.
    pub async fn staff(&self, email: &str, role: api::domain::Role) -> User {
        use api::domain::{EmailAddress, FullName, Password};
        api::service::accounts::create_with_password(
            &self.db,
            &EmailAddress::parse(email).unwrap(),
            &FullName::parse("Staff Member").unwrap(),
            None,
            role,
            &Password::parse(PASSWORD).unwrap(),
            chrono::Utc::now(),
        )
        .await
        .unwrap();
        self.logged_in(email).await
    }

    /// GETs `path` with the app's own client (no one logged in): the body as JSON.
    pub async fn get_json(&self, path: &str) -> Value {
        let response = self.client.get(self.url(path)).send().await.unwrap();
        response.json().await.unwrap()
    }

    /// The admin `admin@example.org`.
    pub async fn admin(&self) -> User {
        self.staff("admin@example.org", api::domain::Role::Admin)
            .await
    }

    /// An open vacancy asking for one key-challenges essay: Word or PDF, 2 A4 pages, named
    /// with the reference and "Key challenges".
    pub async fn open_vacancy(&self, reference: &str, deadline: chrono::DateTime<chrono::Utc>) {
        let rules = serde_json::json!({
            "reference": reference,
            "deadline": deadline,
            "time_zone": "Europe/Brussels",
            "grace_seconds": 120,
            "documents": [{
                "kind": "key-challenges", "title_en": "Key challenges essay", "title_fr": "Essai «\u{a0}Défis majeurs\u{a0}»",
                "formats": ["docx", "pdf"], "max_pages": 2, "paper": "A4",
                "filename_phrase": "Key challenges", "filename_must_include_reference": true,
                "max_bytes": 2097152
            }],
            "eligibility": ["member-state-national", "no-generative-ai"]
        });
        let input: api::service::vacancies::VacancyInput = serde_json::from_value(serde_json::json!({
            "reference": reference, "title_en": "Head, Current Operations", "title_fr": "Chef, Opérations courantes",
            "key_challenges": ["Keep the Alliance ready"], "posts": [], "status": "open", "opens_at": null, "rules": rules,
            // Tests open vacancies whose deadline has passed, as a past campaign.
            "publish_past_deadline": true
        }))
        .unwrap();
        api::service::vacancies::create(&self.db, input, &Default::default(), chrono::Utc::now())
            .await
            .unwrap();
    }
}

impl User {
    pub async fn post_json(&self, app: &TestApp, path: &str, body: Value) -> reqwest::Response {
        testkit::client::post(&self.client, &app.url(path), &self.csrf, &body)
            .send()
            .await
            .unwrap()
    }

    pub async fn get(&self, app: &TestApp, path: &str) -> reqwest::Response {
        self.client.get(app.url(path)).send().await.unwrap()
    }

    /// GETs `path`: the status and the body as JSON.
    pub async fn fetch(&self, app: &TestApp, path: &str) -> (u16, Value) {
        status_of(self.get(app, path).await).await
    }

    /// PUTs `body` to `path`: the status and the body as JSON.
    pub async fn put(&self, app: &TestApp, path: &str, body: Value) -> (u16, Value) {
        let request = self
            .client
            .put(app.url(path))
            .header("x-csrf-token", &self.csrf);
        status_of(request.json(&body).send().await.unwrap()).await
    }

    /// POSTs `body` to `path`: the status and the body as JSON.
    pub async fn send(&self, app: &TestApp, path: &str, body: Value) -> (u16, Value) {
        status_of(self.post_json(app, path, body).await).await
    }

    /// The names of the audit log's events, as this admin reads them.
    pub async fn audit_events(&self, app: &TestApp) -> Vec<String> {
        let (status, audit) = self.fetch(app, "/api/admin/audit").await;
        assert_eq!(status, 200, "{audit}");
        let events = audit.as_array().unwrap().iter();
        events
            .map(|e| e["event"].as_str().unwrap().to_owned())
            .collect()
    }

    /// Uploads `bytes` as `name`: the status and the body as JSON.
    pub async fn submit(
        &self,
        app: &TestApp,
        application: &str,
        name: &str,
        bytes: Vec<u8>,
    ) -> (u16, Value) {
        status_of(self.upload(app, application, name, bytes, None).await).await
    }

    /// Uploads `bytes` as `name`, which must be accepted; returns the version's id.
    pub async fn upload_accepted(
        &self,
        app: &TestApp,
        application: &str,
        name: &str,
        bytes: Vec<u8>,
    ) -> String {
        let (status, body) = self.submit(app, application, name, bytes).await;
        assert_eq!((status, &body["accepted"]), (201, &json!(true)), "{body}");
        body["version"]["id"].as_str().unwrap().to_owned()
    }

    /// Applies and returns the application id.
    pub async fn apply(&self, app: &TestApp, reference: &str) -> String {
        let response = self
            .post_json(
                app,
                &format!("/api/vacancies/{reference}/application"),
                serde_json::json!({
                    "affirmations": ["member-state-national", "no-generative-ai"]
                }),
            )
            .await;
        assert_eq!(response.status(), 201);
        let body: serde_json::Value = response.json().await.unwrap();
        body["id"].as_str().unwrap().to_owned()
    }

    /// Uploads a PDF of `pages` A4 pages, named as vacancy 251334 asks.
    pub async fn send_pdf(
        &self,
        app: &TestApp,
        application: &str,
        pages: usize,
    ) -> reqwest::Response {
        let (name, bytes) = ("251334 Key challenges.pdf", pdf(&vec![A4; pages]));
        self.upload(app, application, name, bytes, None).await
    }

    /// A POST of the key-challenges document of `application`, with the CSRF token and no body.
    pub fn upload_request(&self, app: &TestApp, application: &str) -> reqwest::RequestBuilder {
        let path = format!("/api/applications/{application}/documents/key-challenges");
        self.client
            .post(app.url(&path))
            .header("x-csrf-token", &self.csrf)
    }

    pub async fn upload(
        &self,
        app: &TestApp,
        application: &str,
        filename: &str,
        bytes: Vec<u8>,
        idempotency_key: Option<&str>,
    ) -> reqwest::Response {
        let part = reqwest::multipart::Part::bytes(bytes).file_name(filename.to_owned());
        let form = reqwest::multipart::Form::new().part("file", part);
        let mut request = self.upload_request(app, application).multipart(form);
        if let Some(key) = idempotency_key {
            request = request.header("idempotency-key", key);
        }
        request.send().await.unwrap()
    }
}

impl TestApp {
    /// Moves a vacancy's deadline, as an admin editing it would.
    pub async fn set_deadline(&self, reference: &str, deadline: chrono::DateTime<chrono::Utc>) {
        use sea_orm::{ActiveModelTrait, ActiveValue::Set};
        let vacancy = api::service::vacancies::find_by_reference(&self.db, reference)
            .await
            .unwrap();
        let mut rules = vacancy.rules.clone();
        rules.deadline = Some(deadline);
        let mut model: entity::vacancies::ActiveModel = vacancy.model.into();
        model.rules = Set(serde_json::to_string(&rules).unwrap());
        model.update(&self.db).await.unwrap();
    }
}
