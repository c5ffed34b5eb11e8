//! Conflicts of interest: an assessor who declares one no longer sees, scores or decides on that
//! essay, and a score they gave it before declaring leaves its mean (shown as excluded).

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
};
use serde_json::json;

use entity::{applications, conflicts};

use super::panel::seat;
use crate::error::ApiError;
use crate::service::audit::{self, Actor};
use crate::service::vacancies;

/// The applications `assessor_id` declared a conflict of interest for.
pub(super) async fn declared_by(
    db: &impl ConnectionTrait,
    assessor_id: &str,
) -> Result<std::collections::HashSet<String>, ApiError> {
    Ok(conflicts::Entity::find()
        .filter(conflicts::Column::AccountId.eq(assessor_id))
        .all(db)
        .await?
        .into_iter()
        .map(|c| c.application_id)
        .collect())
}

pub(super) async fn conflicted(
    db: &impl ConnectionTrait,
    application_id: &str,
    assessor_id: &str,
) -> Result<bool, ApiError> {
    Ok(
        conflicts::Entity::find_by_id((application_id.to_owned(), assessor_id.to_owned()))
            .one(db)
            .await?
            .is_some(),
    )
}

/// Who declared a conflict for the application, and when: their scores leave its results.
pub(super) async fn conflicted_members(
    db: &impl ConnectionTrait,
    application_id: &str,
) -> Result<HashMap<String, DateTime<Utc>>, ApiError> {
    Ok(conflicts::Entity::find()
        .filter(conflicts::Column::ApplicationId.eq(application_id))
        .all(db)
        .await?
        .into_iter()
        .map(|c| (c.account_id, c.created_at))
        .collect())
}

/// The refusal a panel member gets for scoring or deciding on an application they declared a
/// conflict of interest for: 403 with its own type, so that the page can say why.
pub(super) fn conflict_refusal(what: &str) -> ApiError {
    ApiError::Rejected {
        problem_type: "conflict-of-interest",
        status: actix_web::http::StatusCode::FORBIDDEN,
        detail: format!(
            "you declared a conflict of interest for this essay, so you cannot {what} it"
        ),
        extensions: serde_json::Map::new(),
    }
}

pub async fn declare_conflict(
    db: &DatabaseConnection,
    assessor: &Actor,
    assessor_id: &str,
    application_id: &str,
    reason: &str,
    now: DateTime<Utc>,
) -> Result<(), ApiError> {
    let application = applications::Entity::find_by_id(application_id.to_owned())
        .one(db)
        .await?
        .ok_or(ApiError::NotFound("essay"))?;
    let vacancy = vacancies::find_by_id(db, &application.vacancy_id).await?;
    seat(db, assessor_id, &vacancy.model.reference).await?;
    if reason.trim().is_empty() {
        return Err(ApiError::Validation(
            "say briefly why (kept in the audit log)".into(),
        ));
    }
    if conflicted(db, application_id, assessor_id).await? {
        return Ok(());
    }
    let txn = crate::database::begin_write(db).await?;
    conflicts::Entity::insert(conflicts::ActiveModel {
        application_id: Set(application_id.to_owned()),
        account_id: Set(assessor_id.to_owned()),
        reason: Set(reason.trim().to_owned()),
        created_at: Set(now),
    })
    .exec(&txn)
    .await?;
    audit::record(
        &txn,
        assessor,
        "conflict.declared",
        Some(&vacancy.model.reference),
        json!({ "candidate_code": application.anon_code, "reason": reason.trim() }),
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(())
}
