//! Who sits on a vacancy's panel, who chairs it, and from when its members may read.

use chrono::{DateTime, Duration, Utc};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
};
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;

use entity::{accounts, panel_members};

use crate::domain::Role;
use crate::error::ApiError;
use crate::service::audit::{self, Actor};
use crate::service::vacancies::{self, Vacancy};

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct PanelMemberInput {
    pub account_id: String,
    #[serde(default)]
    pub chair: bool,
}

/// Replaces a vacancy's panel: assessors only, exactly one chair.
pub async fn set_panel(
    db: &DatabaseConnection,
    vacancy: &Vacancy,
    members: Vec<PanelMemberInput>,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<(), ApiError> {
    if members.iter().filter(|m| m.chair).count() != 1 {
        return Err(ApiError::Validation("a panel has exactly one chair".into()));
    }
    let txn = crate::database::begin_write(db).await?;
    for member in &members {
        let account = accounts::Entity::find_by_id(member.account_id.clone())
            .one(&txn)
            .await?
            .ok_or(ApiError::NotFound("account"))?;
        if account.role != Role::Assessor.as_str() {
            return Err(ApiError::Validation(format!(
                "{} is not an assessor",
                account.email
            )));
        }
    }
    panel_members::Entity::delete_many()
        .filter(panel_members::Column::VacancyId.eq(vacancy.model.id.clone()))
        .exec(&txn)
        .await?;
    for member in &members {
        panel_members::Entity::insert(panel_members::ActiveModel {
            vacancy_id: Set(vacancy.model.id.clone()),
            account_id: Set(member.account_id.clone()),
            is_chair: Set(member.chair),
            created_at: Set(now),
        })
        .exec(&txn)
        .await?;
    }
    let ids: Vec<&str> = members.iter().map(|m| m.account_id.as_str()).collect();
    audit::record(
        &txn,
        actor,
        "panel.set",
        Some(&vacancy.model.reference),
        json!({ "members": ids }),
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// An assessor's seat on a vacancy's panel.
pub struct Seat {
    pub vacancy: Vacancy,
    pub is_chair: bool,
}

/// The seat, or 404 for a vacancy the assessor does not sit on (its existence is not revealed).
pub async fn seat(
    db: &impl ConnectionTrait,
    assessor_id: &str,
    reference: &str,
) -> Result<Seat, ApiError> {
    let vacancy = vacancies::find_by_reference(db, reference)
        .await
        .map_err(|_| ApiError::NotFound("vacancy"))?;
    let member = panel_members::Entity::find()
        .filter(panel_members::Column::VacancyId.eq(vacancy.model.id.clone()))
        .filter(panel_members::Column::AccountId.eq(assessor_id))
        .one(db)
        .await?
        .ok_or(ApiError::NotFound("vacancy"))?;
    Ok(Seat {
        vacancy,
        is_chair: member.is_chair,
    })
}

/// Essays become readable when the deadline (and grace) has passed, unless the vacancy says otherwise.
pub fn essays_readable(vacancy: &Vacancy, now: DateTime<Utc>) -> bool {
    vacancy.model.assessors_see_before_deadline
        || readable_from(vacancy).is_some_and(|from| now >= from)
}

/// The instant essays open to the panel: the deadline plus the grace given to uploads already
/// under way at the deadline. None without a deadline.
pub fn readable_from(vacancy: &Vacancy) -> Option<DateTime<Utc>> {
    vacancy
        .rules
        .deadline
        .map(|d| d + Duration::seconds(i64::from(vacancy.rules.grace_seconds)))
}

pub(super) fn ensure_readable(seat: &Seat, now: DateTime<Utc>) -> Result<(), ApiError> {
    if essays_readable(&seat.vacancy, now) {
        Ok(())
    } else {
        Err(ApiError::Forbidden(
            "essays can be read once the deadline has passed".into(),
        ))
    }
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PanelVacancy {
    pub reference: String,
    pub title_en: String,
    pub title_fr: String,
    pub deadline: Option<DateTime<Utc>>,
    pub is_chair: bool,
    pub essays_readable: bool,
    /// When essays open to the panel (deadline plus grace), so the page can say it while closed.
    pub readable_from: Option<DateTime<Utc>>,
}

pub async fn my_vacancies(
    db: &impl ConnectionTrait,
    assessor_id: &str,
    now: DateTime<Utc>,
) -> Result<Vec<PanelVacancy>, ApiError> {
    let seats = panel_members::Entity::find()
        .filter(panel_members::Column::AccountId.eq(assessor_id))
        .all(db)
        .await?;
    let mut out = Vec::new();
    for seat in seats {
        let vacancy = vacancies::find_by_id(db, &seat.vacancy_id).await?;
        out.push(PanelVacancy {
            reference: vacancy.model.reference.clone(),
            title_en: vacancy.model.title_en.clone(),
            title_fr: vacancy.model.title_fr.clone(),
            deadline: vacancy.rules.deadline,
            is_chair: seat.is_chair,
            essays_readable: essays_readable(&vacancy, now),
            readable_from: readable_from(&vacancy),
        });
    }
    Ok(out)
}
