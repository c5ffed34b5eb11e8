//! Admins configure vacancies: rules, status, and per-candidate extensions.
use actix_web::{get, post, put, web, HttpResponse};
use chrono::{DateTime, Utc};
use serde::Deserialize;
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::auth::{AdminOrToken, AdminUser, VacanciesRead, VacanciesWrite};
use crate::error::{ApiError, Problem};
use crate::service::reminders::{self, ReminderPlan};
use crate::service::self_test::{self, SelfTest};
use crate::service::vacancies::{
    self, PanelSeat, Vacancy, VacancyCounts, VacancyDetail, VacancyInput,
};

/// A saved vacancy and the result of the self-test its rules just went through.
#[derive(serde::Serialize, ToSchema)]
pub struct SavedVacancy {
    pub vacancy: VacancyDetail,
    pub self_test: SelfTest,
}
use crate::startup::AppState;

/// A vacancy as admins edit it: what candidates see, plus the stored rules.
#[derive(serde::Serialize, ToSchema)]
pub struct AdminVacancy {
    #[serde(flatten)]
    pub detail: VacancyDetail,
    #[schema(value_type = Object)]
    pub rules: serde_json::Value,
    pub assessors_see_before_deadline: bool,
    pub opens_at: Option<DateTime<Utc>>,
    /// Hours before each candidate's deadline at which incomplete applications are reminded.
    pub reminder_hours: Vec<u32>,
    /// How many reminders will be sent, and when.
    pub reminders: ReminderPlan,
    /// Applications, accepted documents and refused uploads (by the rule that refused them first).
    pub counts: VacancyCounts,
}

async fn admin_view(
    db: &sea_orm::DatabaseConnection,
    vacancy: Vacancy,
) -> Result<AdminVacancy, ApiError> {
    Ok(AdminVacancy {
        counts: vacancies::counts(db, &vacancy).await?,
        reminders: reminders::plan_for(db, &vacancy, Utc::now()).await?,
        reminder_hours: vacancy.reminder_hours(),
        detail: vacancy.detail(),
        rules: serde_json::to_value(&vacancy.rules).map_err(ApiError::internal)?,
        assessors_see_before_deadline: vacancy.model.assessors_see_before_deadline,
        opens_at: vacancy.model.opens_at,
    })
}

/// Every vacancy, drafts included, with its rules. API tokens: `vacancies:read`.
#[utoipa::path(tag = "admin", responses((status = 200, body = Vec<AdminVacancy>)), security((), ("bearer" = ["vacancies:read"])))]
#[get("/api/admin/vacancies")]
pub async fn list(
    _caller: AdminOrToken<VacanciesRead>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let mut list = Vec::new();
    for vacancy in vacancies::list_all(&state.db).await? {
        list.push(admin_view(&state.db, vacancy).await?);
    }
    Ok(HttpResponse::Ok().json(list))
}

/// One vacancy, drafts included, with its rules and counts. API tokens: `vacancies:read`.
#[utoipa::path(tag = "admin", params(("reference" = String, Path)), responses((status = 200, body = AdminVacancy), (status = 404, body = Problem)), security((), ("bearer" = ["vacancies:read"])))]
#[get("/api/admin/vacancies/{reference}")]
pub async fn one(
    _caller: AdminOrToken<VacanciesRead>,
    path: web::Path<String>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let vacancy = vacancies::find_by_reference(&state.db, &path).await?;
    Ok(HttpResponse::Ok().json(admin_view(&state.db, vacancy).await?))
}

/// The vacancy's panel as it stands: members with their names, and which one chairs.
#[utoipa::path(tag = "admin", params(("reference" = String, Path)), responses((status = 200, body = Vec<PanelSeat>), (status = 404, body = Problem)))]
#[get("/api/admin/vacancies/{reference}/panel")]
pub async fn panel(
    _admin: AdminUser,
    path: web::Path<String>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let vacancy = vacancies::find_by_reference(&state.db, &path).await?;
    Ok(HttpResponse::Ok().json(vacancies::panel_of(&state.db, &vacancy).await?))
}

/// Creates a vacancy with its rules. API tokens: `vacancies:write`.
#[utoipa::path(tag = "admin", request_body = VacancyInput, responses((status = 201, body = SavedVacancy), (status = 409, body = Problem), (status = 422, body = Problem)), security((), ("bearer" = ["vacancies:write"])))]
#[post("/api/admin/vacancies")]
pub async fn create(
    admin: AdminOrToken<VacanciesWrite>,
    body: web::Json<VacancyInput>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let now = Utc::now();
    let vacancy = vacancies::create(&state.db, body.into_inner(), admin.actor(), now).await?;
    Ok(HttpResponse::Created().json(SavedVacancy {
        self_test: self_test::run(&vacancy.rules, now),
        vacancy: vacancy.detail(),
    }))
}

/// Replaces a vacancy's fields and rules (publish and close by setting `status`). API tokens:
/// `vacancies:write`.
#[utoipa::path(tag = "admin", request_body = VacancyInput, params(("reference" = String, Path)), responses((status = 200, body = SavedVacancy), (status = 404, body = Problem)), security((), ("bearer" = ["vacancies:write"])))]
#[put("/api/admin/vacancies/{reference}")]
pub async fn update(
    admin: AdminOrToken<VacanciesWrite>,
    path: web::Path<String>,
    body: web::Json<VacancyInput>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let now = Utc::now();
    let vacancy =
        vacancies::update(&state.db, &path, body.into_inner(), admin.actor(), now).await?;
    Ok(HttpResponse::Ok().json(SavedVacancy {
        self_test: self_test::run(&vacancy.rules, now),
        vacancy: vacancy.detail(),
    }))
}

#[derive(Deserialize, ToSchema)]
pub struct ExtensionRequest {
    pub account_id: String,
    /// The candidate's own deadline.
    pub deadline: DateTime<Utc>,
    /// Why (e.g. reasonable accommodation); kept in the audit log.
    pub reason: String,
}

/// Grants one candidate a later deadline.
#[utoipa::path(tag = "admin", request_body = ExtensionRequest, params(("reference" = String, Path)), responses((status = 204), (status = 404, body = Problem)))]
#[post("/api/admin/vacancies/{reference}/extensions")]
pub async fn grant_extension(
    admin: AdminUser,
    path: web::Path<String>,
    body: web::Json<ExtensionRequest>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let vacancy = vacancies::find_by_reference(&state.db, &path).await?;
    vacancies::grant_extension(
        &state.db,
        &state.mail,
        &vacancy,
        &body.account_id,
        body.deadline,
        &body.reason,
        &admin.actor,
        Utc::now(),
    )
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

#[derive(Deserialize, ToSchema)]
pub struct NoticeText {
    /// The notice's plain text (English, possibly with the French version below it).
    pub text: String,
}

/// Reads a notice and proposes a draft vacancy, each field with the sentence it came from, and
/// the rules it implies (one document per document the notice asks for, with the eligibility
/// statements it calls for), for the admin to confirm field by field before creating the
/// vacancy. `notice_text` is the notice without the job board's page furniture.
#[utoipa::path(tag = "admin", request_body = NoticeText, responses((status = 200, description = "the draft, proposed rules and cleaned notice text"), (status = 422, body = Problem)))]
#[post("/api/admin/notices/import")]
pub async fn import_notice(
    _admin: AdminUser,
    body: web::Json<NoticeText>,
) -> Result<HttpResponse, ApiError> {
    if body.text.len() > 512 * 1024 {
        return Err(ApiError::Validation(
            "the notice text is longer than 512 KiB".into(),
        ));
    }
    let notice_text = policy::notice::strip_page_furniture(&body.text);
    let draft = policy::import_notice(&notice_text);
    let mut rules = draft.to_vacancy_rules();
    rules.eligibility = policy::notice::eligibility(&notice_text);
    rules.post_codes = policy::notice::post_codes(&notice_text);
    Ok(HttpResponse::Ok().json(serde_json::json!({
        "draft": draft,
        "proposed_rules": rules,
        "notice_text": notice_text.trim_end(),
    })))
}

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list)
        .service(one)
        .service(panel)
        .service(create)
        .service(update)
        .service(grant_extension)
        .service(import_notice);
}
