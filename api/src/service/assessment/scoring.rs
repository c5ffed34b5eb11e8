//! Scores: each assessor marks an essay on the rubric; the chair and admins see how they add up.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder,
};
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;

use entity::{conflicts, decisions, document_versions, panel_members, score_revisions, scores};

use super::access::{current_essays, readable_version};
use super::panel::{ensure_readable, seat};
use super::rubric::rubric;
use crate::domain::scoring::{aggregate, weighted_mean};
use crate::error::ApiError;
use crate::service::audit::{self, Actor};
use crate::service::vacancies::Vacancy;

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct ScoreInput {
    /// Criterion id → mark from 1 to 5, for every criterion of the rubric.
    pub marks: BTreeMap<String, u8>,
    #[serde(default)]
    pub comment: String,
}

/// What a save stored: the weighted mean, the revision number it became and when.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SavedScore {
    pub weighted_mean: f64,
    /// 1 for the first score of this essay by this assessor, then 2, 3… for each save after it.
    pub revision: i32,
    pub submitted_at: DateTime<Utc>,
}

/// Saves the assessor's score of an essay as a new revision: the earlier ones stay in
/// `score_revisions` and in the audit log; nothing is overwritten silently.
pub async fn submit_score(
    db: &DatabaseConnection,
    assessor: &Actor,
    assessor_id: &str,
    application_id: &str,
    input: ScoreInput,
    now: DateTime<Utc>,
) -> Result<SavedScore, ApiError> {
    let version = document_versions::Entity::find()
        .filter(document_versions::Column::ApplicationId.eq(application_id))
        .filter(document_versions::Column::IsCurrent.eq(true))
        .one(db)
        .await?
        .ok_or(ApiError::NotFound("essay"))?;
    let (_, application, seat) = readable_version(db, assessor_id, &version.id, now).await?;
    let criteria = rubric(db, &seat.vacancy).await?;
    let mean = weighted_mean(&criteria, &input.marks).map_err(ApiError::Validation)?;
    if input.comment.chars().count() > 10_000 {
        return Err(ApiError::Validation(
            "the comment is longer than 10 000 characters".into(),
        ));
    }
    let marks = serde_json::to_string(&input.marks).map_err(ApiError::internal)?;
    let txn = crate::database::begin_write(db).await?;
    let key = (application.id.clone(), assessor_id.to_owned());
    let previous = scores::Entity::find_by_id(key.clone()).one(&txn).await?;
    let last_revision = score_revisions::Entity::find()
        .filter(score_revisions::Column::ApplicationId.eq(application.id.clone()))
        .filter(score_revisions::Column::AccountId.eq(assessor_id))
        .order_by_desc(score_revisions::Column::Revision)
        .one(&txn)
        .await?
        .map(|r| r.revision);
    let revision = last_revision
        .max(previous.as_ref().map(|p| p.revision))
        .unwrap_or(0)
        + 1;
    scores::Entity::delete_by_id(key).exec(&txn).await?;
    scores::Entity::insert(scores::ActiveModel {
        application_id: Set(application.id.clone()),
        account_id: Set(assessor_id.to_owned()),
        marks: Set(marks.clone()),
        comment: Set(input.comment.clone()),
        weighted_mean: Set(mean),
        submitted_at: Set(now),
        version_id: Set(Some(version.id.clone())),
        revision: Set(revision),
    })
    .exec(&txn)
    .await?;
    score_revisions::Entity::insert(score_revisions::ActiveModel {
        application_id: Set(application.id.clone()),
        account_id: Set(assessor_id.to_owned()),
        revision: Set(revision),
        marks: Set(marks),
        comment: Set(input.comment.clone()),
        weighted_mean: Set(mean),
        submitted_at: Set(now),
        version_id: Set(Some(version.id.clone())),
    })
    .exec(&txn)
    .await
    .map_err(|e| {
        // Two saves at once by the same assessor: the other one took this number.
        if matches!(e.sql_err(), Some(sea_orm::SqlErr::UniqueConstraintViolation(_))) {
            ApiError::Conflict(
                "this score was saved from another window at the same moment; reload the essay and save again".into(),
            )
        } else {
            e.into()
        }
    })?;
    audit::record(
        &txn,
        assessor,
        "essay.scored",
        Some(&seat.vacancy.model.reference),
        json!({
            "candidate_code": application.anon_code,
            "weighted_mean": mean,
            "revision": revision,
            "previous_weighted_mean": previous.as_ref().map(|p| p.weighted_mean),
        }),
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(SavedScore {
        weighted_mean: mean,
        revision,
        submitted_at: now,
    })
}

/// One saved revision of an assessor's score.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ScoreRevision {
    pub revision: i32,
    pub marks: BTreeMap<String, u8>,
    pub comment: String,
    pub weighted_mean: f64,
    pub submitted_at: DateTime<Utc>,
}

/// The caller's own score of an essay as it stands (the latest revision), with every revision
/// before it, newest first.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MyScore {
    pub revision: i32,
    pub marks: BTreeMap<String, u8>,
    pub comment: String,
    pub weighted_mean: f64,
    pub submitted_at: DateTime<Utc>,
    pub history: Vec<ScoreRevision>,
}

/// The assessor's score of the essay version `version_id`, if they scored that version.
pub(super) async fn my_score(
    db: &impl ConnectionTrait,
    assessor_id: &str,
    application_id: &str,
    version_id: &str,
) -> Result<Option<MyScore>, ApiError> {
    let Some(score) =
        scores::Entity::find_by_id((application_id.to_owned(), assessor_id.to_owned()))
            .one(db)
            .await?
            .filter(|score| scored_this_version(score, version_id))
    else {
        return Ok(None);
    };
    let history = score_revisions::Entity::find()
        .filter(score_revisions::Column::ApplicationId.eq(application_id))
        .filter(score_revisions::Column::AccountId.eq(assessor_id))
        .order_by_desc(score_revisions::Column::Revision)
        .all(db)
        .await?
        .into_iter()
        .map(|r| ScoreRevision {
            revision: r.revision,
            marks: serde_json::from_str(&r.marks).unwrap_or_default(),
            comment: r.comment,
            weighted_mean: r.weighted_mean,
            submitted_at: r.submitted_at,
        })
        .collect();
    Ok(Some(MyScore {
        revision: score.revision,
        marks: serde_json::from_str(&score.marks).unwrap_or_default(),
        comment: score.comment,
        weighted_mean: score.weighted_mean,
        submitted_at: score.submitted_at,
        history,
    }))
}

/// Whether a score was given to `version` (scores from before versions were recorded count for
/// whatever is current, as they always did).
pub(super) fn scored_this_version(score: &scores::Model, version_id: &str) -> bool {
    score
        .version_id
        .as_deref()
        .is_none_or(|scored| scored == version_id)
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ScoreView {
    /// "you" for the caller's own score; "assessor 1", "assessor 2"… for the others.
    pub assessor: String,
    pub marks: BTreeMap<String, u8>,
    pub comment: String,
    pub weighted_mean: f64,
}

/// The scores of one essay. Others' scores are shown only once the caller has submitted their own,
/// so that nobody is anchored by them.
pub async fn scores_of(
    db: &DatabaseConnection,
    assessor_id: &str,
    application_id: &str,
    now: DateTime<Utc>,
) -> Result<Vec<ScoreView>, ApiError> {
    let version = document_versions::Entity::find()
        .filter(document_versions::Column::ApplicationId.eq(application_id))
        .filter(document_versions::Column::IsCurrent.eq(true))
        .one(db)
        .await?
        .ok_or(ApiError::NotFound("essay"))?;
    readable_version(db, assessor_id, &version.id, now).await?;
    let rows: Vec<scores::Model> = scores::Entity::find()
        .filter(scores::Column::ApplicationId.eq(application_id))
        .all(db)
        .await?
        .into_iter()
        .filter(|score| scored_this_version(score, &version.id))
        .collect();
    if !rows.iter().any(|r| r.account_id == assessor_id) {
        return Err(ApiError::Conflict(
            "submit your own score first; then you will see the others'".into(),
        ));
    }
    let mut others = 0;
    Ok(rows
        .into_iter()
        .map(|row| {
            let assessor = if row.account_id == assessor_id {
                "you".to_owned()
            } else {
                others += 1;
                format!("assessor {others}")
            };
            ScoreView {
                assessor,
                marks: serde_json::from_str(&row.marks).unwrap_or_default(),
                comment: row.comment,
                weighted_mean: row.weighted_mean,
            }
        })
        .collect())
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct EssayResult {
    pub application_id: String,
    pub candidate_code: String,
    /// How many panel members have scored the essay as it stands.
    pub scores: usize,
    /// How many panel members are to score it: the panel, less those who declared a conflict.
    pub expected_scores: usize,
    pub mean: Option<f64>,
    pub spread: Option<f64>,
    pub disagreement: bool,
    pub decision: Option<String>,
}

pub async fn results(
    db: &impl ConnectionTrait,
    vacancy: &Vacancy,
) -> Result<Vec<EssayResult>, ApiError> {
    let panel: Vec<String> = panel_members::Entity::find()
        .filter(panel_members::Column::VacancyId.eq(vacancy.model.id.clone()))
        .all(db)
        .await?
        .into_iter()
        .map(|m| m.account_id)
        .collect();
    let mut out = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for essay in current_essays(db, vacancy).await? {
        if !seen.insert(essay.application.id.clone()) {
            continue;
        }
        let rows: Vec<scores::Model> = scores::Entity::find()
            .filter(scores::Column::ApplicationId.eq(essay.application.id.clone()))
            .all(db)
            .await?
            .into_iter()
            .filter(|score| scored_this_version(score, &essay.version.id))
            .collect();
        let means: Vec<f64> = rows.iter().map(|r| r.weighted_mean).collect();
        let (mean, spread, disagreement) = aggregate(&means);
        let conflicted = conflicts::Entity::find()
            .filter(conflicts::Column::ApplicationId.eq(essay.application.id.clone()))
            .all(db)
            .await?
            .into_iter()
            .filter(|c| panel.contains(&c.account_id))
            .count();
        let decision = decisions::Entity::find_by_id(essay.application.id.clone())
            .one(db)
            .await?
            .map(|d| d.decision);
        out.push(EssayResult {
            application_id: essay.application.id.clone(),
            candidate_code: essay.application.anon_code.clone(),
            scores: rows.len(),
            expected_scores: panel.len().saturating_sub(conflicted),
            mean: mean.map(|m| (m * 100.0).round() / 100.0),
            spread: spread.map(|s| (s * 100.0).round() / 100.0),
            disagreement,
            decision,
        });
    }
    out.sort_by(|a, b| {
        b.mean
            .unwrap_or(0.0)
            .total_cmp(&a.mean.unwrap_or(0.0))
            .then(a.candidate_code.cmp(&b.candidate_code))
    });
    Ok(out)
}

pub async fn chair_results(
    db: &DatabaseConnection,
    assessor_id: &str,
    reference: &str,
    now: DateTime<Utc>,
) -> Result<Vec<EssayResult>, ApiError> {
    let seat = seat(db, assessor_id, reference).await?;
    if !seat.is_chair {
        return Err(ApiError::Forbidden(
            "only the panel's chair sees the aggregates".into(),
        ));
    }
    ensure_readable(&seat, now)?;
    results(db, &seat.vacancy).await
}
