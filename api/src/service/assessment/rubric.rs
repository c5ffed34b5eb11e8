//! The rubric of a vacancy: the default one drawn from its key challenges, or the one an admin set.

use chrono::{DateTime, Utc};
use sea_orm::{ActiveValue::Set, ConnectionTrait, EntityTrait};
use serde_json::json;

use entity::rubrics;

use crate::domain::scoring::Criterion;
use crate::error::ApiError;
use crate::service::audit::{self, Actor};
use crate::service::vacancies::Vacancy;

/// The default rubric: one criterion per key challenge, plus the quality of the writing.
pub fn default_rubric(vacancy: &Vacancy) -> Vec<Criterion> {
    let mut criteria: Vec<Criterion> = vacancy
        .key_challenges
        .iter()
        .enumerate()
        .map(|(i, challenge)| Criterion {
            id: format!("challenge-{}", i + 1),
            title: format!("Key challenge {}", i + 1),
            descriptor: format!("How well the essay understands and addresses: {challenge}"),
            weight: 1.0,
        })
        .collect();
    if criteria.is_empty() {
        criteria.push(Criterion {
            id: "substance".into(),
            title: "Substance".into(),
            descriptor:
                "Understanding of the post's key challenges and credible ways to address them"
                    .into(),
            weight: 2.0,
        });
    }
    criteria.push(Criterion {
        id: "writing".into(),
        title: "Quality of the writing".into(),
        descriptor: "Clear, structured, concise writing within the page limit".into(),
        weight: 1.0,
    });
    criteria
}

pub async fn rubric(
    db: &impl ConnectionTrait,
    vacancy: &Vacancy,
) -> Result<Vec<Criterion>, ApiError> {
    match rubrics::Entity::find_by_id(vacancy.model.id.clone())
        .one(db)
        .await?
    {
        Some(row) => serde_json::from_str(&row.criteria).map_err(ApiError::internal),
        None => Ok(default_rubric(vacancy)),
    }
}

pub async fn set_rubric(
    db: &impl ConnectionTrait,
    vacancy: &Vacancy,
    criteria: Vec<Criterion>,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<Vec<Criterion>, ApiError> {
    if criteria.is_empty()
        || criteria.iter().any(|c| {
            c.id.trim().is_empty() || c.weight.is_nan() || c.weight <= 0.0 || c.weight > 100.0
        })
    {
        return Err(ApiError::Validation(
            "each criterion needs an id and a weight above 0 (at most 100)".into(),
        ));
    }
    let text = serde_json::to_string(&criteria).map_err(ApiError::internal)?;
    rubrics::Entity::delete_by_id(vacancy.model.id.clone())
        .exec(db)
        .await?;
    rubrics::Entity::insert(rubrics::ActiveModel {
        vacancy_id: Set(vacancy.model.id.clone()),
        criteria: Set(text),
        updated_at: Set(now),
    })
    .exec(db)
    .await?;
    audit::record(
        db,
        actor,
        "rubric.updated",
        Some(&vacancy.model.reference),
        json!({ "criteria": criteria.len() }),
        now,
    )
    .await?;
    Ok(criteria)
}
