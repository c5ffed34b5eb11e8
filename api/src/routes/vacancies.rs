//! Vacancies as candidates see them, the server clock, and the receipt public key.
use actix_web::{get, web, HttpResponse};
use chrono::Utc;
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::auth::MaybeSignedIn;
use crate::domain::Role;
use crate::error::{ApiError, Problem};
use crate::service::submissions::{self, OwnDeadline};
use crate::service::vacancies::{self, Vacancy, VacancyDetail, VacancyStatus, VacancySummary};
use crate::startup::AppState;

/// A vacancy in the list, with what it means for the reader now.
#[derive(Serialize, ToSchema)]
pub struct VacancyListItem {
    #[serde(flatten)]
    pub summary: VacancySummary,
    /// Open, and its deadline (the vacancy's, without any extension) not yet passed.
    pub accepting: bool,
    /// The signed-in candidate's own deadline; absent for anyone else.
    pub you: Option<OwnDeadline>,
}

/// One vacancy, with what it means for the reader now.
#[derive(Serialize, ToSchema)]
pub struct VacancyPage {
    #[serde(flatten)]
    pub detail: VacancyDetail,
    /// Open, and its deadline (the vacancy's, without any extension) not yet passed.
    pub accepting: bool,
    /// The signed-in candidate's own deadline (with their extension, if any); absent for
    /// anyone else.
    pub you: Option<OwnDeadline>,
}

fn accepting(vacancy: &Vacancy, now: chrono::DateTime<Utc>) -> bool {
    vacancy.status() == VacancyStatus::Open && vacancy.rules.deadline.is_none_or(|d| now < d)
}

/// The reader's own deadline, when the reader is a signed-in candidate.
async fn own(
    state: &AppState,
    reader: &MaybeSignedIn,
    vacancy: &Vacancy,
    now: chrono::DateTime<Utc>,
) -> Result<Option<OwnDeadline>, ApiError> {
    match &reader.0 {
        Some(user) if user.role == Role::Candidate => Ok(Some(
            submissions::own_deadline(&state.db, vacancy, user.id(), now).await?,
        )),
        _ => Ok(None),
    }
}

/// Open and closed vacancies (never drafts), with their deadlines and document rules; for a
/// signed-in candidate, their own deadline too.
#[utoipa::path(tag = "vacancies", responses((status = 200, body = Vec<VacancyListItem>)))]
#[get("/api/vacancies")]
pub async fn list(
    reader: MaybeSignedIn,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let now = Utc::now();
    let mut list = vec![];
    for vacancy in vacancies::list_public(&state.db).await? {
        list.push(VacancyListItem {
            summary: vacancy.summary(),
            accepting: accepting(&vacancy, now),
            you: own(&state, &reader, &vacancy, now).await?,
        });
    }
    Ok(HttpResponse::Ok().json(list))
}

/// One vacancy with its key challenges, notice and eligibility statements; for a signed-in
/// candidate, their own deadline too.
#[utoipa::path(tag = "vacancies", params(("reference" = String, Path)), responses(
    (status = 200, body = VacancyPage), (status = 404, body = Problem)))]
#[get("/api/vacancies/{reference}")]
pub async fn detail(
    reader: MaybeSignedIn,
    path: web::Path<String>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let now = Utc::now();
    let vacancy = vacancies::find_public(&state.db, &path).await?;
    Ok(HttpResponse::Ok().json(VacancyPage {
        detail: vacancy.detail(),
        accepting: accepting(&vacancy, now),
        you: own(&state, &reader, &vacancy, now).await?,
    }))
}

#[derive(Serialize, ToSchema)]
pub struct ServerTime {
    /// The server's clock, which decides deadlines.
    pub now: chrono::DateTime<Utc>,
}

/// The server's clock, so pages can count down to deadlines by it rather than by the device's.
#[utoipa::path(tag = "vacancies", responses((status = 200, body = ServerTime)))]
#[get("/api/time")]
pub async fn time() -> HttpResponse {
    HttpResponse::Ok()
        .insert_header(("Cache-Control", "no-store"))
        .json(ServerTime { now: Utc::now() })
}

#[derive(Serialize, ToSchema)]
pub struct ReceiptKey {
    pub algorithm: &'static str,
    /// The Ed25519 public key, base64.
    pub public_key: String,
}

/// The key that verifies receipts: `essay-portal verify-receipt --public-key KEY RECEIPT.json`.
#[utoipa::path(tag = "vacancies", responses((status = 200, body = ReceiptKey)))]
#[get("/.well-known/essay-portal-receipt-key")]
pub async fn receipt_key(state: web::Data<AppState>) -> HttpResponse {
    HttpResponse::Ok().json(ReceiptKey {
        algorithm: "Ed25519",
        public_key: state.signer.public_key_base64(),
    })
}

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list)
        .service(detail)
        .service(time)
        .service(receipt_key);
}
