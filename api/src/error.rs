//! The one error type of the API, rendered as `application/problem+json` (RFC 9457).

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, ResponseError};
use serde::Serialize;
use utoipa::ToSchema;

/// An RFC 9457 problem document. `type` is stable per error kind; clients switch on it.
#[derive(Debug, Serialize, ToSchema)]
pub struct Problem {
    #[serde(rename = "type")]
    pub problem_type: String,
    pub title: String,
    pub status: u16,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    /// Extra members for particular problems (e.g. the checklist of a rejected upload).
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Object)]
    pub extensions: Option<serde_json::Map<String, serde_json::Value>>,
}

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("{0}")]
    Validation(String),
    #[error("authentication required")]
    Unauthenticated,
    #[error("{0}")]
    Forbidden(String),
    #[error("the request did not come from this site's own pages")]
    Csrf,
    #[error("{0} not found")]
    NotFound(&'static str),
    #[error("{0}")]
    Conflict(String),
    #[error("too many attempts; try again in {retry_after_seconds} s")]
    TooManyAttempts { retry_after_seconds: u64 },
    #[error("the upload is larger than {limit_bytes} bytes")]
    PayloadTooLarge { limit_bytes: usize },
    #[error("{}", stalled_detail(*waited_seconds, *whole_body))]
    UploadStalled {
        waited_seconds: u64,
        whole_body: bool,
    },
    #[error("you already have {limit} uploads in progress; wait until they are answered, then upload again")]
    UploadsInProgress { limit: usize },
    #[error("the server is receiving many files at this moment; upload again in a minute")]
    ServerBusy,
    /// The account that asked already has an export being prepared (`own` when it is an export
    /// of that account itself).
    #[error("{}", if *own { "An export of your account is already being prepared; wait for it to finish" } else { "An export you asked for is already being prepared; wait for it to finish" })]
    ExportInProgress { own: bool },
    #[error("{detail}")]
    Rejected {
        problem_type: &'static str,
        status: StatusCode,
        detail: String,
        extensions: serde_json::Map<String, serde_json::Value>,
    },
    #[error("the database is unavailable")]
    Unavailable,
    /// Anything unexpected. The cause is logged, never sent to the client.
    #[error("internal error")]
    Internal(#[source] anyhow_like::BoxError),
}

/// Every problem type the API answers with: the `<slug>` of `"type": "/problems/<slug>"`. The
/// pages render each one from its slug in the reader's language (`problem_<slug>` in
/// `frontend/js/i18n/{en,fr}.js`); tests check that both tables hold every slug listed here and
/// that the server emits no slug missing from this list.
pub const PROBLEM_TYPES: &[&str] = &[
    "validation",
    "unauthenticated",
    "forbidden",
    "csrf",
    "not-found",
    "conflict",
    "too-many-attempts",
    "payload-too-large",
    "upload-stalled",
    "uploads-in-progress",
    "server-busy",
    "export-in-progress",
    "unavailable",
    "internal",
    // Carried by `ApiError::Rejected`.
    "document-rejected",
    "deadline-passed",
    "idempotency-key-reused",
    "account-erased",
    "extension-running",
    "conflict-of-interest",
    "vacancy-exists",
    "deadline-in-past",
    "password-login-off",
];

/// What a `not-found` problem says is missing: its `resource` member, one of these (the argument
/// of every `ApiError::NotFound` in the code). The pages say "Vacancy not found" from it
/// (`problem_not_found_<resource>`, spaces as `_`).
pub const NOT_FOUND_RESOURCES: &[&str] = &[
    "account",
    "application",
    "candidate",
    "delivery",
    "document",
    "document template",
    "document version",
    "essay",
    "image",
    "metrics",
    "page",
    "route",
    "token",
    "vacancy",
    "webhook",
];

fn stalled_detail(waited_seconds: u64, whole_body: bool) -> String {
    if whole_body {
        format!("the file did not finish arriving within {waited_seconds} s, so the upload was stopped; check your connection and upload again")
    } else {
        format!("no part of the file arrived for {waited_seconds} s, so the upload was stopped; check your connection and upload again")
    }
}

/// The `title` of each problem type in French, for a client whose `Accept-Language` puts French
/// first ([`localized_problems`]). `detail` stays English: it is for clients and logs, and the
/// pages say every problem from its type in their own language.
pub fn title_fr(slug: &str) -> Option<&'static str> {
    Some(match slug {
        "validation" => "La requête n’est pas valide",
        "unauthenticated" => "Veuillez vous connecter",
        "forbidden" => "Vous n’êtes pas autorisé(e) à faire ceci",
        "csrf" => "Requête refusée\u{202f}: jeton CSRF absent ou erroné",
        "not-found" => "Introuvable",
        "conflict" => "Conflit",
        "too-many-attempts" => "Trop de tentatives",
        "payload-too-large" => "Le fichier est trop volumineux",
        "upload-stalled" => "L’envoi s’est interrompu",
        "uploads-in-progress" => "Des envois sont déjà en cours",
        "server-busy" => "Le serveur est très sollicité",
        "export-in-progress" => "Une exportation est déjà en préparation",
        "unavailable" => "Service indisponible",
        "internal" => "Erreur interne",
        "document-rejected" => "Le document ne respecte pas les règles du poste",
        "deadline-passed" => "La date limite est passée",
        "idempotency-key-reused" => "Cet envoi n’a pas été enregistré",
        "account-erased" => "Le compte a été effacé",
        "extension-running" => "La prolongation du candidat est encore en cours",
        "conflict-of-interest" => "Conflit d’intérêts déclaré",
        "vacancy-exists" => "Un poste porte déjà cette référence",
        "deadline-in-past" => "La date limite est déjà passée",
        "password-login-off" => "Connexion par mot de passe désactivée pour le personnel",
        _ => return None,
    })
}

/// Whether `Accept-Language` puts French before English (by q-value, then by order).
pub fn prefers_french(accept_language: Option<&str>) -> bool {
    let Some(value) = accept_language else {
        return false;
    };
    let mut best: Option<(f32, bool)> = None;
    for item in value.split(',') {
        let mut parts = item.split(';');
        let range = parts.next().unwrap_or("").trim().to_ascii_lowercase();
        let q = parts
            .find_map(|p| {
                p.trim()
                    .strip_prefix("q=")
                    .and_then(|q| q.trim().parse::<f32>().ok())
            })
            .unwrap_or(1.0);
        let primary = range.split('-').next().unwrap_or("");
        if (primary == "fr" || primary == "en") && q > 0.0 && best.is_none_or(|(b, _)| q > b) {
            best = Some((q, primary == "fr"));
        }
    }
    best.is_some_and(|(_, french)| french)
}

/// Gives every problem document the `title` of the client's language when `Accept-Language`
/// puts French first (`Content-Language: fr`); `type`, `detail` and the other members are left
/// as they are. Other responses pass untouched, and so do errors returned by middlewares
/// rather than handlers (the CSRF guard's).
pub async fn localized_problems(
    request: actix_web::dev::ServiceRequest,
    next: actix_web::middleware::Next<impl actix_web::body::MessageBody + 'static>,
) -> Result<actix_web::dev::ServiceResponse<actix_web::body::BoxBody>, actix_web::Error> {
    use actix_web::http::header;
    let french = prefers_french(
        request
            .headers()
            .get(header::ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok()),
    );
    // An error a middleware returns (the CSRF guard's) is rendered after this one, in English.
    // No clone of the request is kept here: inner middlewares need it unshared.
    let response = next.call(request).await?.map_into_boxed_body();
    let is_problem = response
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(b"application/problem+json"));
    if !is_problem {
        return Ok(response);
    }
    let (http_request, mut response) = response.into_parts();
    response.headers_mut().append(
        header::VARY,
        header::HeaderValue::from_static("Accept-Language"),
    );
    if !french {
        return Ok(actix_web::dev::ServiceResponse::new(http_request, response));
    }
    let (head, body) = response.into_parts();
    let bytes = actix_web::body::to_bytes(body)
        .await
        .map_err(|_| actix_web::error::ErrorInternalServerError("problem body"))?;
    let mut problem: serde_json::Value = match serde_json::from_slice(&bytes) {
        Ok(problem) => problem,
        Err(_) => {
            return Ok(actix_web::dev::ServiceResponse::new(
                http_request,
                head.set_body(bytes).map_into_boxed_body(),
            ))
        }
    };
    let slug = problem["type"]
        .as_str()
        .and_then(|t| t.rsplit('/').next())
        .unwrap_or("")
        .to_owned();
    let mut head = head;
    if let Some(title) = title_fr(&slug) {
        problem["title"] = title.into();
        head.headers_mut().insert(
            header::CONTENT_LANGUAGE,
            header::HeaderValue::from_static("fr"),
        );
    }
    let body = serde_json::to_vec(&problem).unwrap_or_else(|_| bytes.to_vec());
    head.headers_mut().remove(header::CONTENT_LENGTH);
    Ok(actix_web::dev::ServiceResponse::new(
        http_request,
        head.set_body(body).map_into_boxed_body(),
    ))
}

/// A boxed error for causes we only log.
pub mod anyhow_like {
    pub type BoxError = Box<dyn std::error::Error + Send + Sync + 'static>;
}

impl ApiError {
    pub fn internal(error: impl std::error::Error + Send + Sync + 'static) -> Self {
        ApiError::Internal(Box::new(error))
    }

    /// The stable problem type slug.
    pub fn problem_type(&self) -> &'static str {
        match self {
            ApiError::Validation(_) => "validation",
            ApiError::Unauthenticated => "unauthenticated",
            ApiError::Forbidden(_) => "forbidden",
            ApiError::Csrf => "csrf",
            ApiError::NotFound(_) => "not-found",
            ApiError::Conflict(_) => "conflict",
            ApiError::TooManyAttempts { .. } => "too-many-attempts",
            ApiError::PayloadTooLarge { .. } => "payload-too-large",
            ApiError::UploadStalled { .. } => "upload-stalled",
            ApiError::UploadsInProgress { .. } => "uploads-in-progress",
            ApiError::ServerBusy => "server-busy",
            ApiError::ExportInProgress { .. } => "export-in-progress",
            ApiError::Rejected { problem_type, .. } => problem_type,
            ApiError::Unavailable => "unavailable",
            ApiError::Internal(_) => "internal",
        }
    }

    fn title(&self) -> &'static str {
        match self {
            ApiError::Validation(_) => "The request is not valid",
            ApiError::Unauthenticated => "Please log in",
            ApiError::Forbidden(_) => "You may not do this",
            ApiError::Csrf => "Request refused: missing or wrong CSRF token",
            ApiError::NotFound(_) => "Not found",
            ApiError::Conflict(_) => "Conflict",
            ApiError::TooManyAttempts { .. } => "Too many attempts",
            ApiError::PayloadTooLarge { .. } => "The upload is too large",
            ApiError::UploadStalled { .. } => "The upload stalled",
            ApiError::UploadsInProgress { .. } => "Uploads already in progress",
            ApiError::ServerBusy => "The server is busy",
            ApiError::ExportInProgress { .. } => "An export is already being prepared",
            ApiError::Rejected { .. } => "The request was refused",
            ApiError::Unavailable => "Service unavailable",
            ApiError::Internal(_) => "Internal error",
        }
    }

    pub fn to_problem(&self) -> Problem {
        let status = self.status_code();
        let detail = match self {
            // 5xx bodies say nothing internal.
            ApiError::Internal(_) => None,
            other => Some(other.to_string()),
        };
        let extensions = match self {
            ApiError::Rejected { extensions, .. } => Some(extensions.clone()),
            ApiError::TooManyAttempts {
                retry_after_seconds,
            } => {
                let mut map = serde_json::Map::new();
                map.insert("retry_after_seconds".into(), (*retry_after_seconds).into());
                Some(map)
            }
            // The members the pages need to say it in the reader's language.
            ApiError::NotFound(resource) => {
                let mut map = serde_json::Map::new();
                map.insert("resource".into(), (*resource).into());
                Some(map)
            }
            ApiError::PayloadTooLarge { limit_bytes } => {
                let mut map = serde_json::Map::new();
                map.insert("limit_bytes".into(), (*limit_bytes).into());
                Some(map)
            }
            ApiError::UploadStalled { waited_seconds, .. } => {
                let mut map = serde_json::Map::new();
                map.insert("waited_seconds".into(), (*waited_seconds).into());
                Some(map)
            }
            ApiError::UploadsInProgress { limit } => {
                let mut map = serde_json::Map::new();
                map.insert("limit".into(), (*limit).into());
                Some(map)
            }
            _ => None,
        };
        Problem {
            problem_type: format!("/problems/{}", self.problem_type()),
            title: self.title().to_owned(),
            status: status.as_u16(),
            detail,
            extensions,
        }
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        match self {
            ApiError::Validation(_) => StatusCode::UNPROCESSABLE_ENTITY,
            ApiError::Unauthenticated => StatusCode::UNAUTHORIZED,
            ApiError::Forbidden(_) | ApiError::Csrf => StatusCode::FORBIDDEN,
            ApiError::NotFound(_) => StatusCode::NOT_FOUND,
            ApiError::Conflict(_) => StatusCode::CONFLICT,
            ApiError::TooManyAttempts { .. } => StatusCode::TOO_MANY_REQUESTS,
            ApiError::PayloadTooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::UploadStalled { .. } => StatusCode::REQUEST_TIMEOUT,
            ApiError::UploadsInProgress { .. } => StatusCode::TOO_MANY_REQUESTS,
            ApiError::ServerBusy => StatusCode::SERVICE_UNAVAILABLE,
            ApiError::ExportInProgress { .. } => StatusCode::TOO_MANY_REQUESTS,
            ApiError::Rejected { status, .. } => *status,
            ApiError::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
            ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        if let ApiError::Internal(cause) = self {
            tracing::error!(error = %cause, "internal error");
        }
        let mut builder = HttpResponse::build(self.status_code());
        builder.content_type("application/problem+json");
        if let ApiError::TooManyAttempts {
            retry_after_seconds,
        } = self
        {
            builder.insert_header(("Retry-After", retry_after_seconds.to_string()));
        }
        if matches!(
            self,
            ApiError::UploadsInProgress { .. } | ApiError::ServerBusy
        ) {
            builder.insert_header(("Retry-After", "5"));
        }
        if matches!(self, ApiError::UploadStalled { .. }) {
            // The rest of a stalled body is not read; the connection cannot be reused.
            builder.insert_header((actix_web::http::header::CONNECTION, "close"));
        }
        builder.json(self.to_problem())
    }
}

impl From<sea_orm::DbErr> for ApiError {
    fn from(error: sea_orm::DbErr) -> Self {
        match error {
            sea_orm::DbErr::ConnectionAcquire(_) | sea_orm::DbErr::Conn(_) => {
                tracing::error!(error = %error, "database unavailable");
                ApiError::Unavailable
            }
            other => ApiError::internal(other),
        }
    }
}

/// Maps actix's own extractor errors (bad JSON, wrong path parameters, oversize bodies) to problems.
pub fn json_error_handler(
    error: actix_web::error::JsonPayloadError,
    _request: &actix_web::HttpRequest,
) -> actix_web::Error {
    use actix_web::error::JsonPayloadError;
    let api_error = match &error {
        JsonPayloadError::OverflowKnownLength { limit, .. }
        | JsonPayloadError::Overflow { limit } => ApiError::PayloadTooLarge {
            limit_bytes: *limit,
        },
        JsonPayloadError::ContentType => {
            ApiError::Validation("send the body as application/json".to_owned())
        }
        other => ApiError::Validation(format!("the JSON body could not be read: {other}")),
    };
    api_error.into()
}

pub fn query_error_handler(
    error: actix_web::error::QueryPayloadError,
    _request: &actix_web::HttpRequest,
) -> actix_web::Error {
    ApiError::Validation(format!("the query string could not be read: {error}")).into()
}

pub fn path_error_handler(
    error: actix_web::error::PathError,
    _request: &actix_web::HttpRequest,
) -> actix_web::Error {
    ApiError::Validation(format!("the path could not be read: {error}")).into()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One of each kind of error the API has.
    fn every_kind() -> Vec<ApiError> {
        vec![
            ApiError::Validation("x".into()),
            ApiError::Unauthenticated,
            ApiError::Forbidden("x".into()),
            ApiError::Csrf,
            ApiError::NotFound("vacancy"),
            ApiError::Conflict("x".into()),
            ApiError::TooManyAttempts {
                retry_after_seconds: 3,
            },
            ApiError::PayloadTooLarge { limit_bytes: 10 },
            ApiError::UploadStalled {
                waited_seconds: 3,
                whole_body: true,
            },
            ApiError::UploadsInProgress { limit: 2 },
            ApiError::ServerBusy,
            ApiError::ExportInProgress { own: true },
            ApiError::Unavailable,
            ApiError::internal(std::io::Error::other("x")),
        ]
    }

    #[test]
    fn every_kind_of_error_has_a_listed_problem_type() {
        for error in every_kind() {
            let slug = error.problem_type();
            assert!(
                PROBLEM_TYPES.contains(&slug),
                "{slug} is not in PROBLEM_TYPES"
            );
            assert_eq!(error.to_problem().problem_type, format!("/problems/{slug}"));
        }
    }

    /// The Rust sources of the API crate, as (path, text).
    fn sources() -> Vec<(std::path::PathBuf, String)> {
        let mut out = vec![];
        let mut dirs = vec![std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src")];
        while let Some(dir) = dirs.pop() {
            for entry in std::fs::read_dir(&dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    dirs.push(path);
                } else if path.extension().is_some_and(|e| e == "rs") {
                    out.push((path.clone(), std::fs::read_to_string(&path).unwrap()));
                }
            }
        }
        out
    }

    /// The string literals that follow `marker` in `text` (`problem_type: "x"`, `NotFound("x")`).
    fn literals_after<'a>(text: &'a str, marker: &str) -> Vec<&'a str> {
        text.match_indices(marker)
            .filter_map(|(at, _)| {
                let rest = &text[at + marker.len()..];
                rest.split_once('"').map(|(literal, _)| literal)
            })
            .collect()
    }

    #[test]
    fn every_problem_the_server_emits_is_listed() {
        let mut seen = 0;
        for (path, text) in sources() {
            if path.ends_with("error.rs") {
                continue;
            }
            for slug in literals_after(&text, "problem_type: \"") {
                seen += 1;
                assert!(
                    PROBLEM_TYPES.contains(&slug),
                    "{} emits problem type {slug:?}, missing from PROBLEM_TYPES",
                    path.display()
                );
            }
            for resource in literals_after(&text, "NotFound(\"") {
                seen += 1;
                assert!(
                    NOT_FOUND_RESOURCES.contains(&resource),
                    "{} says {resource:?} not found, missing from NOT_FOUND_RESOURCES",
                    path.display()
                );
            }
        }
        assert!(seen > 10, "the scan found only {seen} problems");
        // No `Rejected` is built from a slug held elsewhere (a constant, a variable).
        for (path, text) in sources() {
            for (at, _) in text.match_indices("ApiError::Rejected {") {
                let body = &text[at..(at + 400).min(text.len())];
                if path.ends_with("error.rs") || !body.contains("problem_type") {
                    continue;
                }
                assert!(
                    body.contains("problem_type: \""),
                    "{}: a Rejected problem whose type is not a literal",
                    path.display()
                );
            }
        }
    }

    #[test]
    fn every_problem_type_has_a_french_title_unlike_the_english_one() {
        for slug in PROBLEM_TYPES {
            let french = title_fr(slug).unwrap_or_else(|| panic!("{slug} has no French title"));
            let english = every_kind()
                .into_iter()
                .find(|e| e.problem_type() == *slug)
                .map(|e| e.to_problem().title);
            assert_ne!(Some(french.to_owned()), english, "{slug}");
        }
    }

    #[test]
    fn french_first_in_accept_language_is_french() {
        for (header, french) in [
            (Some("fr-BE,fr;q=0.9,en;q=0.8"), true),
            (Some("en-GB,en;q=0.9,fr;q=0.8"), false),
            (Some("de-DE, fr;q=0.5, en;q=0.4"), true),
            (Some("fr;q=0, en"), false),
            (Some("*"), false),
            (None, false),
        ] {
            assert_eq!(prefers_french(header), french, "{header:?}");
        }
    }

    #[test]
    fn not_found_problems_name_what_is_missing() {
        let problem = serde_json::to_value(ApiError::NotFound("vacancy").to_problem()).unwrap();
        assert_eq!(problem["resource"], "vacancy");
        assert_eq!(problem["detail"], "vacancy not found");
    }
}
