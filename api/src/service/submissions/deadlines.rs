//! When a candidate's application freezes: the vacancy's deadline, or their extension, plus the
//! grace period for uploads already begun.

use chrono::{DateTime, Utc};
use serde_json::json;

use crate::error::ApiError;
use crate::service::vacancies::{Vacancy, VacancyStatus};

/// The instant after which nothing may change for this candidate (deadline + grace).
pub(crate) fn closes_at(
    vacancy: &Vacancy,
    extension: Option<DateTime<Utc>>,
) -> Option<DateTime<Utc>> {
    let deadline = effective_deadline(vacancy, extension)?;
    Some(deadline + chrono::Duration::seconds(i64::from(vacancy.rules.grace_seconds)))
}

/// An extension never shortens a candidate's time.
pub(super) fn effective_deadline(
    vacancy: &Vacancy,
    extension: Option<DateTime<Utc>>,
) -> Option<DateTime<Utc>> {
    match (vacancy.rules.deadline, extension) {
        (Some(d), Some(e)) => Some(d.max(e)),
        (d, None) => d,
        (None, Some(e)) => Some(e),
    }
}

/// Whether a new upload may *begin* at `now` (the grace period only serves uploads already begun).
pub(super) fn may_begin(
    vacancy: &Vacancy,
    extension: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> bool {
    vacancy.status() == VacancyStatus::Open
        && effective_deadline(vacancy, extension).is_none_or(|d| now < d)
}

pub(super) fn deadline_passed(vacancy: &Vacancy, extension: Option<DateTime<Utc>>) -> ApiError {
    let deadline = effective_deadline(vacancy, extension);
    let shown = vacancy
        .deadline_display(deadline)
        .map(|d| d.en)
        .unwrap_or_else(|| "the deadline".into());
    let (detail, status) = if vacancy.status() == VacancyStatus::Open {
        (
            format!("The deadline was {shown}; this application can no longer change."),
            actix_web::http::StatusCode::CONFLICT,
        )
    } else {
        (
            "This vacancy is not open for applications.".to_owned(),
            actix_web::http::StatusCode::CONFLICT,
        )
    };
    let mut extensions = serde_json::Map::new();
    extensions.insert("deadline".into(), json!(deadline));
    ApiError::Rejected {
        problem_type: "deadline-passed",
        status,
        detail,
        extensions,
    }
}

/// Used by the deadline rule on every path: when does this application freeze?
pub fn application_closes_at(
    vacancy: &Vacancy,
    extension: Option<DateTime<Utc>>,
) -> Option<DateTime<Utc>> {
    closes_at(vacancy, extension)
}
