//! The portal's HTTP API as a candidate and an admin use it.

use std::time::Duration;

use serde_json::{json, Value};

use crate::Res;

pub const PASSWORD: &str = "a perfectly long passphrase for load";

/// A logged-in candidate with an application: its own cookie jar, CSRF token and application id.
#[derive(Clone)]
pub struct Candidate {
    pub client: reqwest::Client,
    pub csrf: String,
    pub application: String,
}

pub fn client() -> Res<reqwest::Client> {
    Ok(reqwest::Client::builder()
        .cookie_store(true)
        .timeout(Duration::from_secs(120))
        .build()?)
}

pub async fn csrf(client: &reqwest::Client, url: &str) -> Res<String> {
    let session: Value = client
        .get(format!("{url}/api/session"))
        .send()
        .await?
        .json()
        .await?;
    Ok(session["csrf_token"]
        .as_str()
        .ok_or("no csrf_token")?
        .to_owned())
}

/// POSTs `body` as JSON with the CSRF token, and insists on `expected`: anything else is an
/// error naming `what`, the status, the request id (to find it in the server's log) and the body.
async fn post_json(
    client: &reqwest::Client,
    url: String,
    csrf: &str,
    body: &Value,
    expected: u16,
    what: &str,
) -> Res<reqwest::Response> {
    let response = client
        .post(url)
        .header("x-csrf-token", csrf)
        .json(body)
        .send()
        .await?;
    let status = response.status();
    if status != expected {
        let request_id = response
            .headers()
            .get("x-request-id")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned();
        return Err(format!(
            "{what}: {status} (request id {request_id}) {}",
            response.text().await.unwrap_or_default()
        )
        .into());
    }
    Ok(response)
}

/// Logs in on a fresh cookie jar; returns the client and the session's CSRF token.
pub async fn log_in(url: &str, email: &str, password: &str) -> Res<(reqwest::Client, String)> {
    let client = client()?;
    let token = csrf(&client, url).await?;
    let body = json!({"email": email, "password": password});
    let response = post_json(
        &client,
        format!("{url}/api/session"),
        &token,
        &body,
        200,
        &format!("login {email}"),
    )
    .await?;
    let login: Value = response.json().await?;
    let token = login["csrf_token"].as_str().ok_or("no csrf_token")?;
    Ok((client, token.to_owned()))
}

/// Registers candidate `n`, logs in and applies for `reference`.
pub async fn candidate(url: &str, n: usize, reference: &str) -> Res<Candidate> {
    let email = format!("load{n}@example.org");
    let registration = client()?;
    let token = csrf(&registration, url).await?;
    let body = json!({"email": email, "full_name": format!("Load Candidate {n}"),
        "nationality": "BE", "password": PASSWORD});
    post_json(
        &registration,
        format!("{url}/api/accounts"),
        &token,
        &body,
        201,
        &format!("register {email}"),
    )
    .await?;
    let (client, csrf) = log_in(url, &email, PASSWORD).await?;
    let response = post_json(
        &client,
        format!("{url}/api/vacancies/{reference}/application"),
        &csrf,
        &json!({"affirmations": []}),
        201,
        &format!("apply {email}"),
    )
    .await?;
    let applied: Value = response.json().await?;
    let application = applied["id"].as_str().ok_or("no application id")?;
    Ok(Candidate {
        client,
        csrf,
        application: application.to_owned(),
    })
}

/// Creates `n` candidates, `parallel` at a time (argon2 makes each login cost ~100 ms of CPU).
pub async fn candidates(
    url: &str,
    n: usize,
    reference: &str,
    parallel: usize,
) -> Res<Vec<Candidate>> {
    let semaphore = std::sync::Arc::new(tokio::sync::Semaphore::new(parallel));
    let mut tasks = Vec::new();
    for i in 0..n {
        let semaphore = semaphore.clone();
        let url = url.to_owned();
        let reference = reference.to_owned();
        tasks.push(tokio::spawn(async move {
            let _permit = semaphore.acquire().await;
            candidate(&url, i, &reference).await
        }));
    }
    let mut out = Vec::new();
    for task in tasks {
        out.push(task.await.map_err(|e| e.to_string())??);
    }
    Ok(out)
}

/// An open vacancy with one 'key-challenges' document: `formats`, at most 2 A4 pages, a file name
/// holding the reference and "Key challenges", at most `max_bytes`.
pub async fn create_vacancy(
    url: &str,
    admin: &(reqwest::Client, String),
    reference: &str,
    formats: &[&str],
    max_bytes: u64,
) -> Res<()> {
    let vacancy = json!({
        "reference": reference, "title_en": "Load vacancy", "title_fr": "Poste de charge", "status": "open", "opens_at": null,
        "rules": {"reference": reference, "deadline": chrono::Utc::now() + chrono::Duration::days(1), "documents": [{
            "kind": "key-challenges", "title_en": "Key challenges", "title_fr": "Défis", "formats": formats, "max_pages": 2,
            "paper": "A4", "filename_phrase": "Key challenges", "filename_must_include_reference": true, "max_bytes": max_bytes
        }]}
    });
    post_json(
        &admin.0,
        format!("{url}/api/admin/vacancies"),
        &admin.1,
        &vacancy,
        201,
        "create vacancy",
    )
    .await?;
    Ok(())
}

/// One upload; returns the status and the body as JSON (Null when it is not JSON).
pub async fn upload(
    url: &str,
    who: &Candidate,
    name: &str,
    bytes: Vec<u8>,
    idempotency_key: Option<&str>,
) -> reqwest::Result<(u16, Value)> {
    let part = reqwest::multipart::Part::bytes(bytes).file_name(name.to_owned());
    let mut request = who
        .client
        .post(format!(
            "{url}/api/applications/{}/documents/key-challenges",
            who.application
        ))
        .header("x-csrf-token", &who.csrf)
        .multipart(reqwest::multipart::Form::new().part("file", part));
    if let Some(key) = idempotency_key {
        request = request.header("idempotency-key", key);
    }
    let response = request.send().await?;
    let status = response.status().as_u16();
    let body = response.json::<Value>().await.unwrap_or(Value::Null);
    Ok((status, body))
}

/// Downloads a version's bytes as its owner.
pub async fn download(url: &str, who: &Candidate, version: &str) -> Res<(u16, Vec<u8>)> {
    let response = who
        .client
        .get(format!("{url}/api/versions/{version}/file"))
        .send()
        .await?;
    let status = response.status().as_u16();
    Ok((status, response.bytes().await?.to_vec()))
}
