//! The chair's longlist decision on each essay.

use chrono::{DateTime, Utc};
use sea_orm::{ActiveValue::Set, DatabaseConnection, EntityTrait};
use serde::Deserialize;
use serde_json::json;
use utoipa::ToSchema;

use entity::{applications, decisions};

use super::panel::{ensure_readable, seat};
use super::scoring::results;
use crate::error::ApiError;
use crate::service::audit::{self, Actor};

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct DecisionInput {
    pub application_id: String,
    /// `longlisted` or `not-longlisted`.
    pub decision: String,
    #[serde(default)]
    pub note: String,
    /// Decide although fewer than all panel members have scored the essay (the page asks first).
    #[serde(default)]
    pub confirm_incomplete: bool,
}

pub async fn record_decision(
    db: &DatabaseConnection,
    chair: &Actor,
    assessor_id: &str,
    reference: &str,
    input: DecisionInput,
    now: DateTime<Utc>,
) -> Result<(), ApiError> {
    let seat = seat(db, assessor_id, reference).await?;
    if !seat.is_chair {
        return Err(ApiError::Forbidden(
            "only the panel's chair records decisions".into(),
        ));
    }
    ensure_readable(&seat, now)?;
    if !matches!(input.decision.as_str(), "longlisted" | "not-longlisted") {
        return Err(ApiError::Validation(
            "the decision is 'longlisted' or 'not-longlisted'".into(),
        ));
    }
    let application = applications::Entity::find_by_id(input.application_id.clone())
        .one(db)
        .await?
        .filter(|a| a.vacancy_id == seat.vacancy.model.id)
        .ok_or(ApiError::NotFound("essay"))?;
    let result = results(db, &seat.vacancy)
        .await?
        .into_iter()
        .find(|r| r.application_id == application.id)
        .ok_or(ApiError::NotFound("essay"))?;
    if result.scores < result.expected_scores && !input.confirm_incomplete {
        return Err(ApiError::Conflict(format!(
            "only {} of {} panel members have scored this essay; confirm to decide anyway",
            result.scores, result.expected_scores
        )));
    }
    let txn = crate::database::begin_write(db).await?;
    decisions::Entity::delete_by_id(application.id.clone())
        .exec(&txn)
        .await?;
    decisions::Entity::insert(decisions::ActiveModel {
        application_id: Set(application.id.clone()),
        decision: Set(input.decision.clone()),
        decided_by: Set(assessor_id.to_owned()),
        note: Set(input.note.clone()),
        decided_at: Set(now),
    })
    .exec(&txn)
    .await?;
    audit::record(
        &txn,
        chair,
        "decision.recorded",
        Some(&seat.vacancy.model.reference),
        json!({
            "candidate_code": application.anon_code,
            "decision": input.decision,
            "scores": result.scores,
            "expected_scores": result.expected_scores,
        }),
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(())
}
