//! Essay templates: a Word file per vacancy document, named and laid out by its rules.
//! (Filled in by the template work; registered so the route lives in the OpenAPI document.)

use utoipa_actix_web::service_config::ServiceConfig;

pub fn configure(_cfg: &mut ServiceConfig) {}
