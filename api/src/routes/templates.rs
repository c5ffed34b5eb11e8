//! Essay templates: a Word file per vacancy document, named and laid out by its rules.
use actix_web::{get, web, HttpResponse};
use utoipa_actix_web::service_config::ServiceConfig;

use crate::error::{ApiError, Problem};
use crate::service::templates::{self, DOCX_CONTENT_TYPE};
use crate::startup::AppState;

/// A Word template for one document of a published vacancy: A4 (or the rules' paper), the
/// vacancy's title and reference, a heading per key challenge, guidance in English and French,
/// already named as the file-name rule wants. 404 for a draft or unknown vacancy, an unknown
/// document, or a document that does not accept Word files.
#[utoipa::path(tag = "vacancies", params(("reference" = String, Path), ("kind" = String, Path)), responses(
    (status = 200, description = "the template", content_type = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    (status = 404, body = Problem)))]
#[get("/api/vacancies/{reference}/documents/{kind}/template.docx")]
pub async fn template(
    path: web::Path<(String, String)>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let (reference, kind) = path.into_inner();
    let template = templates::for_vacancy(&state.db, &reference, &kind).await?;
    Ok(HttpResponse::Ok()
        .content_type(DOCX_CONTENT_TYPE)
        .insert_header(super::disposition(&template.filename, false))
        .insert_header(("Cache-Control", "no-cache"))
        .body(template.bytes))
}

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(template);
}
