//! The candidate's path: apply, upload, verdict, store, replace, withdraw, receipts.
mod applications;
mod downloads;
mod limits;
mod pruning;
mod verdicts;
mod versions;
mod views;
mod workers;

pub use crate::helpers::*;

const REFERENCE: &str = "251334";

fn rule<'a>(body: &'a serde_json::Value, id: &str) -> &'a serde_json::Value {
    body["verdict"]["rules"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["rule"] == id)
        .unwrap_or_else(|| panic!("no rule {id} in {body}"))
}

/// The app started with the settings `change` leaves, and the vacancy open.
async fn open_app(change: impl FnOnce(&mut api::configuration::Settings)) -> TestApp {
    let app = spawn_app_changed(change).await;
    app.open_vacancy(REFERENCE, chrono::Utc::now() + chrono::Duration::days(3))
        .await;
    app
}

/// An app that lets one candidate have `uploads_per_candidate` uploads in flight at once, with
/// the vacancy open.
async fn app_taking_uploads_at_once(uploads_per_candidate: usize) -> TestApp {
    open_app(|s| s.uploads_per_candidate = uploads_per_candidate).await
}

/// `application` as its candidate sees it.
async fn view(app: &TestApp, who: &User, application: &str) -> serde_json::Value {
    let (status, view) = who
        .fetch(app, &format!("/api/applications/{application}"))
        .await;
    assert_eq!(status, 200, "{view}");
    view
}

/// The path of `application`'s withdrawal.
fn withdraw(application: &str) -> String {
    format!("/api/applications/{application}/withdraw")
}

/// The path that applies for the vacancy.
fn apply() -> String {
    format!("/api/vacancies/{REFERENCE}/application")
}
