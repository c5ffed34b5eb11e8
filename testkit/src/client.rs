//! The portal's HTTP API as a browser uses it: a cookie jar, the CSRF token the pages hold, a
//! log-in; and what candidates and admins do with it.

use std::time::Duration;

use serde_json::{json, Value};

use crate::{Res, PASSWORD};

fn builder() -> reqwest::ClientBuilder {
    reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
}

/// A client with its own cookie jar, as a separate browser would have.
pub fn browser() -> reqwest::Client {
    builder().build().expect("a client")
}

/// A browser that gives up on an answer after 120 s: a hang is then an error, not a stuck run.
pub fn client() -> Res<reqwest::Client> {
    Ok(builder().timeout(Duration::from_secs(120)).build()?)
}

/// The CSRF token of `client`'s session on the server at `url`.
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

/// A state-changing request as the pages send it: JSON `body`, with the CSRF token.
pub fn post(
    client: &reqwest::Client,
    url: &str,
    csrf: &str,
    body: &Value,
) -> reqwest::RequestBuilder {
    client.post(url).header("x-csrf-token", csrf).json(body)
}

/// [`post`], insisting on `expected`: anything else is an error naming `what`, the status, the
/// request id (to find it in the server's log) and the body.
pub async fn post_expecting(
    client: &reqwest::Client,
    url: &str,
    csrf: &str,
    body: &Value,
    expected: u16,
    what: &str,
) -> Res<reqwest::Response> {
    let response = post(client, url, csrf, body).send().await?;
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
    let what = format!("login {email}");
    let response = post_expecting(
        &client,
        &format!("{url}/api/session"),
        &token,
        &body,
        200,
        &what,
    )
    .await?;
    let login: Value = response.json().await?;
    let token = login["csrf_token"].as_str().ok_or("no csrf_token")?;
    Ok((client, token.to_owned()))
}

/// A logged-in candidate with an application: its own cookie jar, CSRF token and application id.
#[derive(Clone)]
pub struct Candidate {
    pub client: reqwest::Client,
    pub csrf: String,
    pub application: String,
}

/// The email of candidate `n`.
pub fn candidate_email(n: usize) -> String {
    format!("candidate{n}@example.org")
}

/// Registers candidate `n` (password [`PASSWORD`]), logs in and applies for `reference`.
pub async fn candidate(url: &str, n: usize, reference: &str) -> Res<Candidate> {
    let email = candidate_email(n);
    let registration = client()?;
    let token = csrf(&registration, url).await?;
    let body = json!({"email": email, "full_name": format!("Candidate {n}"),
        "nationality": "BE", "password": PASSWORD});
    let what = format!("register {email}");
    post_expecting(
        &registration,
        &format!("{url}/api/accounts"),
        &token,
        &body,
        201,
        &what,
    )
    .await?;
    let (client, csrf) = log_in(url, &email, PASSWORD).await?;
    let apply = format!("{url}/api/vacancies/{reference}/application");
    let what = format!("apply {email}");
    let response = post_expecting(
        &client,
        &apply,
        &csrf,
        &json!({"affirmations": []}),
        201,
        &what,
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

/// Creates candidates `0..n`, `parallel` at a time (argon2 makes each login cost ~100 ms of
/// CPU).
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

/// An open vacancy, closing in a day, with one 'key-challenges' document: `formats`, at most 2
/// A4 pages, at most `max_bytes`, and a file name holding the reference and `filename_phrase`
/// when given.
pub async fn create_vacancy(
    url: &str,
    admin: &(reqwest::Client, String),
    reference: &str,
    formats: &[&str],
    filename_phrase: Option<&str>,
    max_bytes: u64,
) -> Res<()> {
    let vacancy = json!({
        "reference": reference, "title_en": "Measured vacancy", "title_fr": "Poste mesuré", "status": "open", "opens_at": null,
        "rules": {"reference": reference, "deadline": chrono::Utc::now() + chrono::Duration::days(1), "documents": [{
            "kind": "key-challenges", "title_en": "Key challenges", "title_fr": "Défis", "formats": formats, "max_pages": 2,
            "paper": "A4", "filename_phrase": filename_phrase, "filename_must_include_reference": filename_phrase.is_some(),
            "max_bytes": max_bytes
        }]}
    });
    let what = "create vacancy";
    post_expecting(
        &admin.0,
        &format!("{url}/api/admin/vacancies"),
        &admin.1,
        &vacancy,
        201,
        what,
    )
    .await?;
    Ok(())
}

/// One upload of the candidate's key-challenges essay; returns the status and the body as JSON
/// (Null when it is not JSON).
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
