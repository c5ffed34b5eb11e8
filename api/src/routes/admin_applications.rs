//! Admins see who applied for a vacancy: names, codes, statuses, documents and extensions.
use actix_web::{get, web, HttpResponse};
use utoipa_actix_web::service_config::ServiceConfig;

use crate::auth::{AdminOrToken, VacanciesRead};
use crate::error::{ApiError, Problem};
use crate::service::applicants::{self, VacancyApplications};
use crate::startup::AppState;

/// Every application of a vacancy with the candidate's name and code, its status (`active`,
/// `withdrawn`, `incomplete`), per document the current verdict, versions and rejected attempts,
/// and the candidate's own deadline and extension. API tokens: `vacancies:read`.
#[utoipa::path(tag = "admin", params(("reference" = String, Path)), responses(
    (status = 200, body = VacancyApplications), (status = 401, body = Problem),
    (status = 403, body = Problem), (status = 404, body = Problem)),
    security((), ("bearer" = ["vacancies:read"])))]
#[get("/api/admin/vacancies/{reference}/applications")]
pub async fn list(
    _caller: AdminOrToken<VacanciesRead>,
    path: web::Path<String>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Ok().json(applicants::for_vacancy(&state.db, &path).await?))
}

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list);
}
