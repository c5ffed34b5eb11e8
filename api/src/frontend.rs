//! The static pages, embedded in the binary so that one file runs anywhere.

use actix_web::http::{header, Method};
use actix_web::{HttpRequest, HttpResponse};
use rust_embed::Embed;

use crate::error::ApiError;

#[derive(Embed)]
#[folder = "../frontend/"]
struct Assets;

/// Serves `/` as `index.html`, `/x` as `x.html` when that page exists, and any other embedded
/// file by its path. Unknown paths, and everything under `/api/`, are 404 problems.
pub async fn serve(request: HttpRequest) -> Result<HttpResponse, ApiError> {
    if request.method() != Method::GET && request.method() != Method::HEAD {
        return Err(ApiError::NotFound("route"));
    }
    let path = request.path().trim_start_matches('/');
    if path.starts_with("api/") {
        return Err(ApiError::NotFound("route"));
    }
    let candidates = if path.is_empty() {
        vec!["index.html".to_owned()]
    } else {
        vec![path.to_owned(), format!("{path}.html")]
    };
    for name in candidates {
        if let Some(file) = Assets::get(&name) {
            let mime = mime_guess::from_path(&name).first_or_octet_stream();
            let cache = if name.ends_with(".html") {
                "no-cache"
            } else {
                "public, max-age=300"
            };
            return Ok(HttpResponse::Ok()
                .content_type(mime.essence_str())
                .insert_header((header::CACHE_CONTROL, cache))
                .body(file.data.into_owned()));
        }
    }
    Err(ApiError::NotFound("page"))
}
