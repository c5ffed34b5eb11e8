//! HTTP handlers: parse, call a service, map the result. Every route registered here appears in
//! the OpenAPI document, which the authorization matrix test walks.
pub mod admin;
pub mod admin_assessment;
pub mod admin_vacancies;
pub mod applications;
pub mod assessor;
pub mod health;
pub mod meta;
pub mod session;
pub mod vacancies;

use utoipa_actix_web::service_config::ServiceConfig;

pub fn configure(cfg: &mut ServiceConfig) {
    health::configure(cfg);
    meta::configure(cfg);
    session::configure(cfg);
    admin::configure(cfg);
    admin_vacancies::configure(cfg);
    vacancies::configure(cfg);
    applications::configure(cfg);
    assessor::configure(cfg);
    admin_assessment::configure(cfg);
}
