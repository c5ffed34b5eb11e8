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

/// Admins only; every reveal is audited.
pub async fn reveal(
    db: &DatabaseConnection,
    admin: &Actor,
    reference: &str,
    code: &str,
    now: DateTime<Utc>,
) -> Result<Identity, ApiError> {
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
        json!({ "candidate_code": code }),
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
