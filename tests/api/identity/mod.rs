//! Accounts, sessions, CSRF, throttling, resets.
mod accounts;
mod oidc;
mod resets;
mod sessions;
mod throttling;

pub use crate::helpers::*;

fn set_cookie(response: &reqwest::Response, name: &str) -> String {
    response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|v| {
            v.strip_prefix(&format!("{name}="))
                .map(|rest| rest.split(';').next().unwrap_or("").to_owned())
        })
        .unwrap_or_else(|| panic!("no {name} cookie"))
}

fn token_from_outbox(body: &str) -> String {
    let start = body.find("token=").expect("a token link") + "token=".len();
    body[start..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .collect()
}

/// The token of the latest mail in the outbox.
async fn latest_token(app: &TestApp) -> String {
    let mail = api::service::outbox::list(&app.db, 1).await.unwrap();
    token_from_outbox(&mail[0].body)
}

/// Logs in through a trusted proxy that says the client is `address`; returns the status.
async fn login_from(app: &TestApp, address: &str, email: &str, password: &str) -> u16 {
    let body = serde_json::json!({"email": email, "password": password});
    let request = app.visitor().await.post(app, "/api/session", body);
    let response = request.header("x-forwarded-for", address).send().await;
    response.unwrap().status().as_u16()
}
