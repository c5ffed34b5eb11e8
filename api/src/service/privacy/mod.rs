//! Personal data kept only as long as allowed.
//!
//! - **Retention.** Each vacancy keeps its applications, essays, attempts, scores and decisions
//!   for `retention_months` after it closes (its deadline, or the latest extension), then
//!   [`purge`] deletes them, keeping only counts and audit entries stripped of who they were about.
//! - **Erasure.** A candidate may erase their account. Before a deadline their applications go
//!   with it; an application whose vacancy is being assessed (deadline passed, not every
//!   application decided, not yet purged) holds the request until that assessment ends, when
//!   [`purge`] carries it out.
//! - **Access.** [`export`] gives a person everything held about them, as a ZIP.

mod erasure;
mod export;
mod retention;

pub use erasure::{erase_account, erasure_status, request_erasure, ErasureOutcome, ErasureStatus};
pub use export::export;
pub use retention::{
    purge, retention_of, set_retention, PurgeCounts, PurgeReport, RetentionView, VacancyPurge,
};

use chrono::{DateTime, Utc};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QuerySelect, QueryTrait,
};

use entity::{applications, decisions, extensions, vacancies, vacancy_retention};

use crate::error::ApiError;

/// When a vacancy closed for good: its deadline, or the latest extension granted on it.
/// `None` for a vacancy without a deadline (it never closes by itself).
pub(crate) async fn closed_at(
    db: &impl ConnectionTrait,
    vacancy: &vacancies::Model,
) -> Result<Option<DateTime<Utc>>, ApiError> {
    let rules: policy::VacancyRules = match serde_json::from_str(&vacancy.rules) {
        Ok(rules) => rules,
        Err(_) => return Ok(None),
    };
    let Some(deadline) = rules.deadline else {
        return Ok(None);
    };
    let latest_extension = extensions::Entity::find()
        .filter(extensions::Column::VacancyId.eq(vacancy.id.clone()))
        .all(db)
        .await?
        .into_iter()
        .map(|e| e.deadline)
        .max();
    Ok(Some(latest_extension.map_or(deadline, |e| e.max(deadline))))
}

/// Whether the vacancy is being assessed at `now`: closed, not purged, and some active
/// application still without a decision.
pub(crate) async fn under_assessment(
    db: &impl ConnectionTrait,
    vacancy: &vacancies::Model,
    now: DateTime<Utc>,
) -> Result<bool, ApiError> {
    let purged = vacancy_retention::Entity::find_by_id(vacancy.id.clone())
        .one(db)
        .await?
        .is_some_and(|r| r.purged_at.is_some());
    if purged {
        return Ok(false);
    }
    match closed_at(db, vacancy).await? {
        Some(closed) if closed <= now => {}
        // Open (or never closing): not assessed yet.
        _ => return Ok(false),
    }
    let decided = decisions::Entity::find()
        .select_only()
        .column(decisions::Column::ApplicationId)
        .into_query();
    let undecided = applications::Entity::find()
        .filter(applications::Column::VacancyId.eq(vacancy.id.clone()))
        .filter(applications::Column::Status.ne("withdrawn"))
        .filter(applications::Column::Id.not_in_subquery(decided))
        .count(db)
        .await?;
    Ok(undecided > 0)
}
