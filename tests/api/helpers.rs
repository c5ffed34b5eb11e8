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

/// A person at a browser: their own cookie jar and the CSRF token the pages would hold.
pub struct User {
    pub client: reqwest::Client,
    pub csrf: String,
    pub account_id: String,
    pub email: String,
}

pub const PASSWORD: &str = "a perfectly long passphrase";

pub async fn csrf_token(app: &TestApp, client: &reqwest::Client) -> String {
    let session: serde_json::Value = client
        .get(app.url("/api/session"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    session["csrf_token"].as_str().unwrap().to_owned()
}

impl TestApp {
    pub async fn register(&self, email: &str, nationality: &str) -> reqwest::Response {
        let client = browser();
        let csrf = csrf_token(self, &client).await;
        client
            .post(self.url("/api/accounts"))
            .header("x-csrf-token", csrf)
            .json(&serde_json::json!({
                "email": email, "full_name": "Ana Silva", "nationality": nationality, "password": PASSWORD
            }))
            .send()
            .await
            .unwrap()
    }

    pub async fn login(&self, email: &str, password: &str) -> (reqwest::Client, reqwest::Response) {
        let client = browser();
        let csrf = csrf_token(self, &client).await;
        let response = client
            .post(self.url("/api/session"))
            .header("x-csrf-token", csrf)
            .json(&serde_json::json!({ "email": email, "password": password }))
            .send()
            .await
            .unwrap();
        (client, response)
    }

    async fn logged_in(&self, email: &str) -> User {
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

    /// An open vacancy asking for one key-challenges essay: Word or PDF, 2 A4 pages, named
    /// with the reference and "Key challenges".
    pub async fn open_vacancy(&self, reference: &str, deadline: chrono::DateTime<chrono::Utc>) {
        let rules = serde_json::json!({
            "reference": reference,
            "deadline": deadline,
            "time_zone": "Europe/Brussels",
            "grace_seconds": 120,
            "documents": [{
                "kind": "key-challenges", "title_en": "Key challenges essay", "title_fr": "Texte sur les principaux défis",
                "formats": ["docx", "pdf"], "max_pages": 2, "paper": "A4",
                "filename_phrase": "Key challenges", "filename_must_include_reference": true,
                "max_bytes": 2097152
            }],
            "eligibility": ["member-state-national", "no-generative-ai"]
        });
        let input: api::service::vacancies::VacancyInput = serde_json::from_value(serde_json::json!({
            "reference": reference, "title_en": "Head, Current Operations", "title_fr": "Chef, Opérations courantes",
            "key_challenges": ["Keep the Alliance ready"], "posts": [], "status": "open", "opens_at": null, "rules": rules
        }))
        .unwrap();
        api::service::vacancies::create(&self.db, input, &Default::default(), chrono::Utc::now())
            .await
            .unwrap();
    }
}

impl User {
    pub async fn post_json(
        &self,
        app: &TestApp,
        path: &str,
        body: serde_json::Value,
    ) -> reqwest::Response {
        self.client
            .post(app.url(path))
            .header("x-csrf-token", &self.csrf)
            .json(&body)
            .send()
            .await
            .unwrap()
    }

    pub async fn get(&self, app: &TestApp, path: &str) -> reqwest::Response {
        self.client.get(app.url(path)).send().await.unwrap()
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
        let mut request = self
            .client
            .post(app.url(&format!(
                "/api/applications/{application}/documents/key-challenges"
            )))
            .header("x-csrf-token", &self.csrf)
            .multipart(form);
        if let Some(key) = idempotency_key {
            request = request.header("idempotency-key", key);
        }
        request.send().await.unwrap()
    }
}

pub fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(format!(
        "{}/tests/fixtures/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

/// A PDF with the given page sizes in points, written with correct cross-reference offsets.
pub fn pdf(pages: &[(f64, f64)]) -> Vec<u8> {
    let mut objects: Vec<String> = vec![
        "<< /Type /Catalog /Pages 2 0 R >>".into(),
        format!(
            "<< /Type /Pages /Kids [{}] /Count {} >>",
            (0..pages.len())
                .map(|i| format!("{} 0 R", i + 3))
                .collect::<Vec<_>>()
                .join(" "),
            pages.len()
        ),
    ];
    for (w, h) in pages {
        objects.push(format!(
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {w} {h}] >>"
        ));
    }
    let mut out = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    for (i, object) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n{object}\nendobj\n", i + 1).as_bytes());
    }
    let xref = out.len();
    out.extend_from_slice(
        format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes(),
    );
    for offset in offsets {
        out.extend_from_slice(format!("{offset:010} 00000 n \n").as_bytes());
    }
    out.extend_from_slice(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .as_bytes(),
    );
    out
}

pub const A4: (f64, f64) = (595.28, 841.89);
pub const LETTER: (f64, f64) = (612.0, 792.0);

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

/// A one-section A4 .docx with `body` as its text and `extra` parts (relationships of the main
/// part go in `word/_rels/document.xml.rels`). Stored uncompressed, so that a body of many
/// repeats is not mistaken for a zip bomb.
pub fn docx_with_body(body: &str, extra: &[(&str, Vec<u8>)]) -> Vec<u8> {
    use std::io::Write;
    const W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
    const R: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
    let content_types = r#"<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="png" ContentType="image/png"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>"#;
    let package_rels = r#"<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>"#;
    let document = format!(
        r#"<?xml version="1.0"?><w:document xmlns:w="{W}" xmlns:r="{R}" xmlns:wp="wp" xmlns:a="a" xmlns:pic="pic"><w:body>{body}<w:sectPr><w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="1440" w:right="1440" w:bottom="1440" w:left="1440" w:header="720" w:footer="720" w:gutter="0"/></w:sectPr></w:body></w:document>"#
    );
    let mut buffer = std::io::Cursor::new(Vec::new());
    let mut zip = zip::ZipWriter::new(&mut buffer);
    let stored =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    let parts: Vec<(&str, &[u8])> = [
        ("[Content_Types].xml", content_types.as_bytes()),
        ("_rels/.rels", package_rels.as_bytes()),
        ("word/document.xml", document.as_bytes()),
    ]
    .into_iter()
    .chain(extra.iter().map(|(name, bytes)| (*name, bytes.as_slice())))
    .collect();
    for (name, bytes) in parts {
        zip.start_file(name, stored).unwrap();
        zip.write_all(bytes).unwrap();
    }
    zip.finish().unwrap();
    buffer.into_inner()
}
