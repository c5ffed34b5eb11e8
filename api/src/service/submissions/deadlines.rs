//! When a candidate's application freezes: the vacancy's deadline, or their extension, plus the
//! grace period for uploads already begun.

use chrono::{DateTime, Utc};
use sea_orm::ConnectionTrait;
use serde::Serialize;
use serde_json::json;
use utoipa::ToSchema;

use crate::error::ApiError;
use crate::service::vacancies::{self, LocalizedText, Vacancy, VacancyStatus};

/// One candidate's own deadline for a vacancy, as their pages show it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct OwnDeadline {
    /// The deadline that applies to this candidate: their extension when it is later than the
    /// vacancy's. The grace period is not added: it only serves uploads already begun.
    pub deadline: Option<DateTime<Utc>>,
    pub deadline_display: Option<LocalizedText>,
    /// True when an extension granted to this candidate moved their deadline.
    pub extended: bool,
    /// Whether this candidate may apply and upload now.
    pub open: bool,
}

/// `candidate_id`'s own deadline for `vacancy` at `now`.
pub async fn own_deadline(
    db: &impl ConnectionTrait,
    vacancy: &Vacancy,
    candidate_id: &str,
    now: DateTime<Utc>,
) -> Result<OwnDeadline, ApiError> {
    let extension = vacancies::extension_for(db, &vacancy.model.id, candidate_id).await?;
    Ok(own_deadline_with(vacancy, extension, now))
}

pub(super) fn own_deadline_with(
    vacancy: &Vacancy,
    extension: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> OwnDeadline {
    let deadline = effective_deadline(vacancy, extension);
    OwnDeadline {
        deadline,
        deadline_display: vacancy.deadline_display(deadline),
        extended: deadline.is_some() && deadline != vacancy.rules.deadline,
        open: may_begin(vacancy, extension, now),
    }
}

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
