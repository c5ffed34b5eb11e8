//! Who is behind a candidate code: for admins only, and every reveal is audited.

use chrono::{DateTime, Utc};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};
use serde::Serialize;
use serde_json::json;
use utoipa::ToSchema;

use entity::{accounts, applications};

use crate::error::ApiError;
use crate::service::audit::{self, Actor};
use crate::service::vacancies;

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Identity {
    pub candidate_code: String,
    pub full_name: String,
    pub email: String,
    pub nationality: Option<String>,
}

/// The longest reason kept in the audit log.
const MAX_REASON_CHARS: usize = 1000;

/// Admins only, with a reason; every reveal is audited with its reason.
pub async fn reveal(
    db: &DatabaseConnection,
    admin: &Actor,
    reference: &str,
    code: &str,
    reason: &str,
    now: DateTime<Utc>,
) -> Result<Identity, ApiError> {
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(ApiError::Validation(
            "give the reason for revealing this candidate's identity".into(),
        ));
    }
    if reason.chars().count() > MAX_REASON_CHARS {
        return Err(ApiError::Validation(format!(
            "the reason is longer than {MAX_REASON_CHARS} characters"
        )));
    }
    let vacancy = vacancies::find_by_reference(db, reference).await?;
    let application = applications::Entity::find()
        .filter(applications::Column::VacancyId.eq(vacancy.model.id.clone()))
        .filter(applications::Column::AnonCode.eq(code))
        .one(db)
        .await?
        .ok_or(ApiError::NotFound("candidate"))?;
    let account = accounts::Entity::find_by_id(application.candidate_id.clone())
        .one(db)
        .await?
        .ok_or(ApiError::NotFound("candidate"))?;
    audit::record(
        db,
        admin,
        "identity.revealed",
        Some(&vacancy.model.reference),
        json!({ "candidate_code": code, "reason": reason }),
        now,
    )
    .await?;
    Ok(Identity {
        candidate_code: application.anon_code,
        full_name: account.full_name,
        email: account.email,
        nationality: account.nationality,
    })
}
