//! What admins see of a vacancy's traffic: how many applied, how many documents stand
//! accepted, how many uploads were refused, and which rule refused them first: the rule
//! candidates trip over most tells HR what the notice explains badly.
//!
//! Counts are plain `COUNT` queries (portable between SQLite and PostgreSQL); the first
//! failing rule is read from each refused attempt's stored verdict (JSON) in Rust, so that no
//! database's JSON functions are needed.

use std::collections::BTreeMap;

use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QuerySelect, QueryTrait,
};
use serde::Serialize;
use utoipa::ToSchema;

use entity::{applications, document_versions, upload_attempts};

use super::Vacancy;
use crate::error::ApiError;

/// How often a rule was the first to refuse an upload.
#[derive(Debug, Clone, Serialize, ToSchema, PartialEq, Eq)]
pub struct RuleCount {
    /// The rule's stable id (`format`, `pages`, `filename`, …).
    pub rule: String,
    pub attempts: u64,
}

/// A vacancy's counts.
#[derive(Debug, Clone, Serialize, ToSchema, PartialEq, Eq)]
pub struct VacancyCounts {
    /// Applications not withdrawn.
    pub applications: u64,
    pub withdrawn: u64,
    /// Current document versions (each accepted when stored).
    pub documents_accepted: u64,
    /// Uploads refused.
    pub attempts_rejected: u64,
    /// Refused uploads by the first blocking rule that failed, most frequent first.
    pub rejected_by_rule: Vec<RuleCount>,
}

/// The ids of a vacancy's applications, as a subquery (`… IN (SELECT id FROM applications …)`).
pub fn application_ids_of(vacancy_id: &str) -> sea_orm::sea_query::SelectStatement {
    applications::Entity::find()
        .select_only()
        .column(applications::Column::Id)
        .filter(applications::Column::VacancyId.eq(vacancy_id.to_owned()))
        .into_query()
}

/// The first blocking rule that failed in a stored verdict, if it can be read.
fn first_failing_rule(verdict_json: &str) -> Option<String> {
    let verdict: policy::Verdict = serde_json::from_str(verdict_json).ok()?;
    verdict
        .rules
        .iter()
        .find(|r| r.blocking && r.status == policy::RuleStatus::Fail)
        .map(|r| r.rule.as_str().to_owned())
}

pub async fn counts(
    db: &impl ConnectionTrait,
    vacancy: &Vacancy,
) -> Result<VacancyCounts, ApiError> {
    let vacancy_id = vacancy.model.id.clone();
    let of_vacancy = || application_ids_of(&vacancy_id);
    let all = applications::Entity::find()
        .filter(applications::Column::VacancyId.eq(vacancy_id.clone()))
        .count(db)
        .await?;
    let withdrawn = applications::Entity::find()
        .filter(applications::Column::VacancyId.eq(vacancy_id.clone()))
        .filter(applications::Column::WithdrawnAt.is_not_null())
        .count(db)
        .await?;
    let documents_accepted = document_versions::Entity::find()
        .filter(document_versions::Column::ApplicationId.in_subquery(of_vacancy()))
        .filter(document_versions::Column::IsCurrent.eq(true))
        .count(db)
        .await?;
    let verdicts: Vec<String> = upload_attempts::Entity::find()
        .select_only()
        .column(upload_attempts::Column::Verdict)
        .filter(upload_attempts::Column::ApplicationId.in_subquery(of_vacancy()))
        .filter(upload_attempts::Column::Accepted.eq(false))
        .into_tuple()
        .all(db)
        .await?;
    let mut by_rule: BTreeMap<String, u64> = BTreeMap::new();
    for verdict in &verdicts {
        let rule = first_failing_rule(verdict).unwrap_or_else(|| "unknown".to_owned());
        *by_rule.entry(rule).or_default() += 1;
    }
    let mut rejected_by_rule: Vec<RuleCount> = by_rule
        .into_iter()
        .map(|(rule, attempts)| RuleCount { rule, attempts })
        .collect();
    rejected_by_rule.sort_by(|a, b| b.attempts.cmp(&a.attempts).then(a.rule.cmp(&b.rule)));
    Ok(VacancyCounts {
        applications: all.saturating_sub(withdrawn),
        withdrawn,
        documents_accepted,
        attempts_rejected: verdicts.len() as u64,
        rejected_by_rule,
    })
}
