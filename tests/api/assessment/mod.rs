//! Panels, anonymous reading, conflicts, score hiding, aggregates, decisions, exports, reveals.
mod reading;
mod record;
mod results;
mod revisions;
mod scoring;

use serde_json::json;

pub use crate::helpers::*;

const REFERENCE: &str = "251334";

struct Panel {
    admin: User,
    chair: User,
    member: User,
    outsider: User,
    applications: Vec<String>,
    versions: Vec<String>,
}

/// A vacancy with two essays (one DOCX, one PDF), a panel of two (chair + member), and an
/// assessor who sits on no panel. The deadline is still open.
async fn panel(app: &TestApp) -> Panel {
    use api::domain::Role::{Admin, Assessor};
    app.open_vacancy(REFERENCE, chrono::Utc::now() + chrono::Duration::days(3))
        .await;
    let admin = app.staff("admin@example.org", Admin).await;
    let chair = app.staff("chair@example.org", Assessor).await;
    let member = app.staff("member@example.org", Assessor).await;
    let outsider = app.staff("outsider@example.org", Assessor).await;
    let mut applications = Vec::new();
    let mut versions = Vec::new();
    let docx = ("251334 Key challenges.docx", fixture("two-pages-a4.docx"));
    let one_page = ("251334 Key challenges.pdf", pdf(&[A4]));
    for (email, (name, bytes)) in [("ana@example.org", docx), ("bo@example.org", one_page)] {
        let (candidate, application) = app.applicant(email, REFERENCE).await;
        versions.push(
            candidate
                .upload_accepted(app, &application, name, bytes)
                .await,
        );
        applications.push(application);
    }
    let members =
        json!([{"account_id": chair.account_id, "chair": true}, {"account_id": member.account_id}]);
    assert_eq!(app.seat_panel(&admin, REFERENCE, members).await, 204);
    Panel {
        admin,
        chair,
        member,
        outsider,
        applications,
        versions,
    }
}

/// The application and [`panel`], the deadline passed.
async fn closed_panel() -> (TestApp, Panel) {
    let app = spawn_app().await;
    let panel = panel(&app).await;
    app.close(REFERENCE).await;
    (app, panel)
}

impl Panel {
    /// The essays of the vacancy as `who` lists them: status and list.
    async fn essays(&self, app: &TestApp, who: &User) -> (u16, serde_json::Value) {
        let path = format!("/api/assessor/vacancies/{REFERENCE}/essays");
        who.fetch(app, &path).await
    }

    /// The vacancy's results as `who` reads them: status and list.
    async fn results(&self, app: &TestApp, who: &User) -> (u16, serde_json::Value) {
        let path = format!("/api/assessor/vacancies/{REFERENCE}/results");
        who.fetch(app, &path).await
    }
}

/// `who` scores `application` with `marks`; returns the status.
async fn score(app: &TestApp, who: &User, application: &str, marks: serde_json::Value) -> u16 {
    let path = format!("/api/assessor/applications/{application}/score");
    who.send(app, &path, marks).await.0
}

fn marks(value: u8) -> serde_json::Value {
    // The test vacancy has one key challenge, so the default rubric is challenge-1 + writing.
    json!({"marks": {"challenge-1": value, "writing": value}, "comment": "clear"})
}

/// Uploads a PDF of `pages` A4 pages, which must be accepted; returns the version's id.
async fn upload_pdf(app: &TestApp, who: &User, application: &str, pages: usize) -> String {
    let (name, bytes) = ("251334 Key challenges.pdf", pdf(&vec![A4; pages]));
    who.upload_accepted(app, application, name, bytes).await
}
