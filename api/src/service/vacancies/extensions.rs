//! Extensions: a later deadline granted to one candidate, with the reason, audited.

use chrono::{DateTime, Utc};
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use serde_json::json;

use entity::extensions;

use super::Vacancy;
use crate::error::ApiError;
use crate::service::audit::{self, Actor};

/// The candidate's own deadline: their extension if one was granted, else the vacancy's.
pub async fn extension_for(
    db: &impl ConnectionTrait,
    vacancy_id: &str,
    account_id: &str,
) -> Result<Option<DateTime<Utc>>, ApiError> {
    Ok(extensions::Entity::find()
        .filter(extensions::Column::VacancyId.eq(vacancy_id))
        .filter(extensions::Column::AccountId.eq(account_id))
        .one(db)
        .await?
        .map(|e| e.deadline))
}

pub async fn grant_extension(
    db: &impl ConnectionTrait,
    vacancy: &Vacancy,
    account_id: &str,
    deadline: DateTime<Utc>,
    reason: &str,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<(), ApiError> {
    if reason.trim().is_empty() {
        return Err(ApiError::Validation(
            "give the reason for the extension".into(),
        ));
    }
    extensions::Entity::delete_many()
        .filter(extensions::Column::VacancyId.eq(vacancy.model.id.clone()))
        .filter(extensions::Column::AccountId.eq(account_id))
        .exec(db)
        .await?;
    extensions::Entity::insert(extensions::ActiveModel {
        vacancy_id: Set(vacancy.model.id.clone()),
        account_id: Set(account_id.to_owned()),
        deadline: Set(deadline),
        reason: Set(reason.trim().to_owned()),
        granted_by: Set(actor.account_id.clone().unwrap_or_default()),
        created_at: Set(now),
        ..Default::default()
    })
    .exec(db)
    .await?;
    audit::record(
        db,
        actor,
        "extension.granted",
        Some(&vacancy.model.reference),
        json!({ "account_id": account_id, "deadline": deadline, "reason": reason.trim() }),
        now,
    )
    .await
}
