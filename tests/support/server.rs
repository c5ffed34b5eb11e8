//! A real `essay-portal` process for tests and benchmarks that need to kill it or measure it.
#![allow(dead_code)]

use std::process::{Child, Command, Stdio};
use std::time::Duration;

pub struct Server {
    pub child: Child,
    pub url: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Starts `bin serve` on a free port with `data_dir`, and waits for `/health` to answer 200.
pub async fn start(bin: &str, data_dir: &std::path::Path) -> Server {
    let port = free_port();
    let child = Command::new(bin)
        .args([
            "serve",
            "--bind",
            &format!("127.0.0.1:{port}"),
            "--data-dir",
        ])
        .arg(data_dir)
        .env("ESSAY_PORTAL_LOG_LEVEL", "error")
        // Every candidate of a test or bench registers from 127.0.0.1.
        .env("ESSAY_PORTAL_REGISTRATIONS_PER_ADDRESS", "1000000")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let url = format!("http://127.0.0.1:{port}");
    for _ in 0..600 {
        if let Ok(response) = reqwest::get(format!("{url}/health")).await {
            if response.status() == 200 {
                return Server { child, url };
            }
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let mut child = child;
    let _ = child.kill();
    let _ = child.wait();
    panic!("the server did not become healthy");
}

/// Creates an admin the way an operator would: `admin create`, password on stdin.
pub fn create_admin(bin: &str, data_dir: &std::path::Path, email: &str, password: &str) {
    use std::io::Write;
    let mut create = Command::new(bin)
        .args(["admin", "create", "--email", email])
        .env("ESSAY_PORTAL_DATA_DIR", data_dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    writeln!(create.stdin.take().unwrap(), "{password}").unwrap();
    assert!(create.wait().unwrap().success());
}

pub async fn csrf(client: &reqwest::Client, url: &str) -> String {
    let session: serde_json::Value = client
        .get(format!("{url}/api/session"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    session["csrf_token"].as_str().unwrap().to_owned()
}

/// Logs in on a fresh cookie jar; returns the client and the session's CSRF token.
pub async fn log_in(url: &str, email: &str, password: &str) -> (reqwest::Client, String) {
    let client = reqwest::Client::builder()
        .cookie_store(true)
        .build()
        .unwrap();
    let token = csrf(&client, url).await;
    let login: serde_json::Value = client
        .post(format!("{url}/api/session"))
        .header("x-csrf-token", &token)
        .json(&serde_json::json!({"email": email, "password": password}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    (client, login["csrf_token"].as_str().unwrap().to_owned())
}

/// Registers candidate `n`, logs in and applies for `reference`; returns client, token, application id.
pub async fn candidate(
    url: &str,
    n: usize,
    reference: &str,
    password: &str,
) -> (reqwest::Client, String, String) {
    let email = format!("c{n}@example.org");
    let body = serde_json::json!({"email": email, "full_name": format!("Candidate {n}"), "nationality": "BE", "password": password});
    let registered = reqwest::Client::builder()
        .cookie_store(true)
        .build()
        .unwrap();
    let registration_token = csrf(&registered, url).await;
    assert_eq!(
        registered
            .post(format!("{url}/api/accounts"))
            .header("x-csrf-token", &registration_token)
            .json(&body)
            .send()
            .await
            .unwrap()
            .status(),
        201
    );
    let (client, token) = log_in(url, &email, password).await;
    let applied: serde_json::Value = client
        .post(format!("{url}/api/vacancies/{reference}/application"))
        .header("x-csrf-token", &token)
        .json(&serde_json::json!({}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    (client, token, applied["id"].as_str().unwrap().to_owned())
}

/// Creates an open vacancy through the admin API.
pub async fn create_vacancy(
    url: &str,
    admin: &(reqwest::Client, String),
    reference: &str,
    formats: &[&str],
    filename_phrase: Option<&str>,
) {
    let vacancy = serde_json::json!({
        "reference": reference, "title_en": "Measured vacancy", "title_fr": "Poste mesuré", "status": "open", "opens_at": null,
        "rules": {"reference": reference, "deadline": chrono::Utc::now() + chrono::Duration::days(1), "documents": [{
            "kind": "key-challenges", "title_en": "Essay", "title_fr": "Texte", "formats": formats, "max_pages": 2,
            "paper": "A4", "filename_phrase": filename_phrase, "filename_must_include_reference": filename_phrase.is_some(), "max_bytes": 10485760
        }]}
    });
    let created = admin
        .0
        .post(format!("{url}/api/admin/vacancies"))
        .header("x-csrf-token", &admin.1)
        .json(&vacancy)
        .send()
        .await
        .unwrap();
    assert_eq!(created.status(), 201);
}

pub async fn upload(
    url: &str,
    who: &(reqwest::Client, String, String),
    name: &str,
    bytes: Vec<u8>,
) -> reqwest::Result<reqwest::Response> {
    let part = reqwest::multipart::Part::bytes(bytes).file_name(name.to_owned());
    who.0
        .post(format!(
            "{url}/api/applications/{}/documents/key-challenges",
            who.2
        ))
        .header("x-csrf-token", &who.1)
        .multipart(reqwest::multipart::Form::new().part("file", part))
        .send()
        .await
}
