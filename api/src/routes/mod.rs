//! HTTP handlers: parse, call a service, map the result. Every route registered here appears in
//! the OpenAPI document, which the authorization matrix test walks.
pub mod admin;
pub mod admin_applications;
pub mod admin_assessment;
pub mod admin_vacancies;
pub mod applications;
pub mod assessor;
pub mod health;
pub mod integrations;
pub mod meta;
pub mod oidc;
pub mod privacy;
pub mod session;
pub mod templates;
pub mod vacancies;

use actix_web::http::header;
use utoipa_actix_web::service_config::ServiceConfig;

/// `Content-Disposition` for a file name as RFC 6266 wants it: `filename*` carries the exact
/// UTF-8 name (percent-encoded), and `filename` an ASCII stand-in for old clients. Raw UTF-8 in
/// `filename` is read differently by different browsers.
pub fn disposition(name: &str, inline: bool) -> header::ContentDisposition {
    let ascii: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_graphic() && c != '"' && c != '\\' || c == ' ' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let mut parameters = vec![header::DispositionParam::Filename(ascii)];
    if !name.is_ascii() {
        parameters.push(header::DispositionParam::FilenameExt(
            header::ExtendedValue {
                charset: header::Charset::Ext("UTF-8".to_owned()),
                language_tag: None,
                value: name.as_bytes().to_vec(),
            },
        ));
    }
    header::ContentDisposition {
        disposition: if inline {
            header::DispositionType::Inline
        } else {
            header::DispositionType::Attachment
        },
        parameters,
    }
}

pub fn configure(cfg: &mut ServiceConfig) {
    health::configure(cfg);
    meta::configure(cfg);
    session::configure(cfg);
    privacy::configure(cfg);
    admin::configure(cfg);
    admin_vacancies::configure(cfg);
    admin_applications::configure(cfg);
    vacancies::configure(cfg);
    templates::configure(cfg);
    applications::configure(cfg);
    assessor::configure(cfg);
    admin_assessment::configure(cfg);
    integrations::configure(cfg);
}
