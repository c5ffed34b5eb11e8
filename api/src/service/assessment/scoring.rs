//! Scores: each assessor marks an essay on the rubric; the chair and admins see how they add up.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect,
};
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;

use entity::{decisions, document_versions, panel_members, score_revisions, scores};

use super::access::{current_essays, current_version, readable_version};
use super::conflicts::{conflict_refusal, conflicted, conflicted_members};
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
    // Asked first, so that the refusal says why rather than only that the essay cannot be opened.
    if conflicted(db, application_id, assessor_id).await? {
        return Err(conflict_refusal("score"));
    }
    let version = current_version(db, application_id)
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
    let version = current_version(db, application_id)
        .await?
        .ok_or(ApiError::NotFound("essay"))?;
    readable_version(db, assessor_id, &version.id, now).await?;
    // As in the results: a conflicted member's score is not shown as the panel's.
    let (rows, _) = counted_scores(db, application_id, &version.id).await?;
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

/// Why a saved score is not in an essay's results.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Exclusion {
    /// Its assessor declared a conflict of interest for the application (after scoring it).
    ConflictOfInterest,
    /// It was given to an earlier version of the essay, which the candidate has replaced since.
    EarlierVersion,
}

/// A saved score that does not count: shown, with why, so that the mean can be understood.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ExcludedScore {
    pub reason: Exclusion,
    pub weighted_mean: f64,
    /// The number of the version scored (`None` if that version is no longer stored, or the score
    /// is from before versions were recorded).
    pub version: Option<i32>,
    pub submitted_at: DateTime<Utc>,
}

/// A decision recorded on an earlier version of the essay: no longer the essay's decision.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct EarlierDecision {
    pub decision: String,
    /// The number of the version decided on (`None` if unknown).
    pub version: Option<i32>,
    pub decided_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct EssayResult {
    pub application_id: String,
    pub candidate_code: String,
    /// The essay version these results are about: the current one.
    pub version_id: String,
    /// Its number (1 for the first upload, 2 for the first replacement…).
    pub version: i32,
    /// How many panel members have scored the essay as it stands (conflicted members' scores
    /// and scores of earlier versions not counted).
    pub scores: usize,
    /// How many panel members are to score it: the panel, less those who declared a conflict.
    pub expected_scores: usize,
    pub mean: Option<f64>,
    pub spread: Option<f64>,
    pub disagreement: bool,
    /// The decision on the current version, if any.
    pub decision: Option<String>,
    /// A decision recorded on an earlier version, which no longer stands.
    pub earlier_decision: Option<EarlierDecision>,
    /// Saved scores left out of `scores`, `mean` and `spread`, each with why.
    pub excluded_scores: Vec<ExcludedScore>,
    /// When the candidate's extension ends, while it runs: their documents can still be replaced,
    /// so a decision needs an explicit override until then.
    pub extension_ends_at: Option<DateTime<Utc>>,
    /// Whether the caller declared a conflict of interest for it (then they cannot decide on it).
    pub conflict_declared_by_you: bool,
}

/// The essay's extension end while it is still running at `now` (the grace included, as for
/// uploads begun before it ends).
pub(super) async fn running_extension(
    db: &impl ConnectionTrait,
    vacancy: &Vacancy,
    candidate_id: &str,
    now: DateTime<Utc>,
) -> Result<Option<DateTime<Utc>>, ApiError> {
    let grace = chrono::Duration::seconds(i64::from(vacancy.rules.grace_seconds));
    Ok(
        crate::service::vacancies::extension_for(db, &vacancy.model.id, candidate_id)
            .await?
            .filter(|ends| now < *ends + grace),
    )
}

/// The scores of an application that count for its version `version_id`, and those that do not
/// (with why): a conflicted member's score never counts, nor one given to another version.
pub(super) async fn counted_scores(
    db: &impl ConnectionTrait,
    application_id: &str,
    version_id: &str,
) -> Result<(Vec<scores::Model>, Vec<(scores::Model, Exclusion)>), ApiError> {
    let conflicted = conflicted_members(db, application_id).await?;
    let mut counted = Vec::new();
    let mut excluded = Vec::new();
    for score in scores::Entity::find()
        .filter(scores::Column::ApplicationId.eq(application_id))
        .all(db)
        .await?
    {
        if conflicted.contains_key(&score.account_id) {
            excluded.push((score, Exclusion::ConflictOfInterest));
        } else if !scored_this_version(&score, version_id) {
            excluded.push((score, Exclusion::EarlierVersion));
        } else {
            counted.push(score);
        }
    }
    Ok((counted, excluded))
}

/// The numbers of the versions `ids`, of those still stored.
async fn version_numbers(
    db: &impl ConnectionTrait,
    ids: Vec<String>,
) -> Result<HashMap<String, i32>, ApiError> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    Ok(document_versions::Entity::find()
        .select_only()
        .column(document_versions::Column::Id)
        .column(document_versions::Column::Version)
        .filter(document_versions::Column::Id.is_in(ids))
        .into_tuple::<(String, i32)>()
        .all(db)
        .await?
        .into_iter()
        .collect())
}

/// Every current essay's results, best mean first: only scores of the current version by members
/// without a conflict count; a decision stands only on the version it was made on.
pub async fn results(
    db: &impl ConnectionTrait,
    vacancy: &Vacancy,
    now: DateTime<Utc>,
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
        let application_id = essay.application.id.clone();
        let (counted, excluded) = counted_scores(db, &application_id, &essay.version.id).await?;
        let means: Vec<f64> = counted.iter().map(|r| r.weighted_mean).collect();
        let (mean, spread, disagreement) = aggregate(&means);
        let conflicted = conflicted_members(db, &application_id)
            .await?
            .into_keys()
            .filter(|id| panel.contains(id))
            .count();
        let decision = decisions::Entity::find_by_id(application_id.clone())
            .one(db)
            .await?;
        let mut ids: Vec<String> = excluded
            .iter()
            .filter_map(|(s, _)| s.version_id.clone())
            .collect();
        ids.extend(decision.as_ref().and_then(|d| d.version_id.clone()));
        let numbers = version_numbers(db, ids).await?;
        let number = |id: &Option<String>| id.as_ref().and_then(|id| numbers.get(id)).copied();
        let (decision, earlier_decision) = match decision {
            Some(d) if d.version_id.as_deref() == Some(essay.version.id.as_str()) => {
                (Some(d.decision), None)
            }
            Some(d) => (
                None,
                Some(EarlierDecision {
                    version: number(&d.version_id),
                    decision: d.decision,
                    decided_at: d.decided_at,
                }),
            ),
            None => (None, None),
        };
        let excluded_scores = excluded
            .into_iter()
            .map(|(score, reason)| ExcludedScore {
                reason,
                weighted_mean: score.weighted_mean,
                version: number(&score.version_id),
                submitted_at: score.submitted_at,
            })
            .collect();
        let extension_ends_at =
            running_extension(db, vacancy, &essay.application.candidate_id, now).await?;
        out.push(EssayResult {
            application_id,
            candidate_code: essay.application.anon_code.clone(),
            version_id: essay.version.id.clone(),
            version: essay.version.version,
            scores: counted.len(),
            expected_scores: panel.len().saturating_sub(conflicted),
            mean: mean.map(|m| (m * 100.0).round() / 100.0),
            spread: spread.map(|s| (s * 100.0).round() / 100.0),
            disagreement,
            decision,
            earlier_decision,
            excluded_scores,
            extension_ends_at,
            conflict_declared_by_you: false,
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
    let mut results = results(db, &seat.vacancy, now).await?;
    let mine = super::conflicts::declared_by(db, assessor_id).await?;
    for result in &mut results {
        result.conflict_declared_by_you = mine.contains(&result.application_id);
    }
    Ok(results)
}
