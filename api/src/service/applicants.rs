//! Who applied for a vacancy, as admins see it: names and codes, each application's status, and
//! per document the current verdict, the versions and the rejected attempts; each candidate's own
//! deadline and extension. A fixed handful of queries whatever the number of applications.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, FromQueryResult, QueryFilter, QueryOrder,
    QuerySelect, QueryTrait,
};
use serde::Serialize;
use utoipa::ToSchema;

use entity::{accounts, applications, document_versions, extensions, upload_attempts};

use crate::error::ApiError;
use crate::service::vacancies::{self, LocalizedText, Vacancy};

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct VacancyApplications {
    pub reference: String,
    pub title_en: String,
    pub title_fr: String,
    /// The vacancy's own deadline, and its IANA time zone.
    pub deadline: Option<DateTime<Utc>>,
    pub time_zone: String,
    pub deadline_display: Option<LocalizedText>,
    /// The documents asked for, in the vacancy's order.
    pub documents: Vec<DocumentTitle>,
    pub applications: Vec<ApplicantView>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DocumentTitle {
    pub kind: String,
    pub title_en: String,
    pub title_fr: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ApplicantView {
    pub application_id: String,
    pub account_id: String,
    pub candidate_code: String,
    pub full_name: String,
    /// `active`, `withdrawn`, or `incomplete` (active, with a document not yet accepted).
    pub status: String,
    pub applied_at: DateTime<Utc>,
    pub withdrawn_at: Option<DateTime<Utc>>,
    /// This candidate's own deadline: the vacancy's, or their extension when later.
    pub deadline: Option<DateTime<Utc>>,
    pub deadline_display: Option<LocalizedText>,
    pub extension: Option<ExtensionView>,
    pub documents: Vec<ApplicantDocument>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ExtensionView {
    pub deadline: DateTime<Utc>,
    pub reason: String,
    pub granted_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ApplicantDocument {
    pub kind: String,
    /// `accepted`, `warnings` (accepted with advisory findings) or `missing` (nothing accepted).
    pub verdict: String,
    pub current_version: Option<i32>,
    pub pages: Option<i32>,
    /// Accepted versions stored (the current one and those it replaced).
    pub versions: u64,
    /// Uploads refused by a blocking rule.
    pub rejected_attempts: u64,
}

#[derive(Debug, FromQueryResult)]
struct VersionRow {
    application_id: String,
    document_kind: String,
    version: i32,
    pages: Option<i32>,
    verdict: String,
    is_current: bool,
}

/// Whether a stored verdict carries an advisory finding (a rule that warned or failed without
/// blocking).
fn has_warnings(verdict_json: &str) -> bool {
    serde_json::from_str::<serde_json::Value>(verdict_json)
        .ok()
        .and_then(|v| v.get("rules").and_then(|r| r.as_array()).cloned())
        .is_some_and(|rules| {
            rules.iter().any(|r| {
                matches!(
                    r.get("status").and_then(|s| s.as_str()),
                    Some("warn" | "fail")
                )
            })
        })
}

pub async fn for_vacancy(
    db: &impl ConnectionTrait,
    reference: &str,
) -> Result<VacancyApplications, ApiError> {
    let vacancy = vacancies::find_by_reference(db, reference).await?;
    let vacancy_id = vacancy.model.id.clone();
    let of_vacancy = || vacancies::application_ids_of(&vacancy_id);
    let rows = applications::Entity::find()
        .filter(applications::Column::VacancyId.eq(vacancy_id.clone()))
        .order_by_asc(applications::Column::CreatedAt)
        .all(db)
        .await?;
    let candidates: HashMap<String, String> = accounts::Entity::find()
        .filter(
            accounts::Column::Id.in_subquery(
                applications::Entity::find()
                    .select_only()
                    .column(applications::Column::CandidateId)
                    .filter(applications::Column::VacancyId.eq(vacancy_id.clone()))
                    .into_query(),
            ),
        )
        .all(db)
        .await?
        .into_iter()
        .map(|a| (a.id, a.full_name))
        .collect();
    let versions = document_versions::Entity::find()
        .select_only()
        .columns([
            document_versions::Column::ApplicationId,
            document_versions::Column::DocumentKind,
            document_versions::Column::Version,
            document_versions::Column::Pages,
            document_versions::Column::Verdict,
            document_versions::Column::IsCurrent,
        ])
        .filter(document_versions::Column::ApplicationId.in_subquery(of_vacancy()))
        .into_model::<VersionRow>()
        .all(db)
        .await?;
    let rejected: Vec<(String, String, i64)> = upload_attempts::Entity::find()
        .select_only()
        .column(upload_attempts::Column::ApplicationId)
        .column(upload_attempts::Column::DocumentKind)
        .column_as(upload_attempts::Column::Id.count(), "n")
        .filter(upload_attempts::Column::ApplicationId.in_subquery(of_vacancy()))
        .filter(upload_attempts::Column::Accepted.eq(false))
        .group_by(upload_attempts::Column::ApplicationId)
        .group_by(upload_attempts::Column::DocumentKind)
        .into_tuple()
        .all(db)
        .await?;
    let rejected: HashMap<(String, String), u64> = rejected
        .into_iter()
        .map(|(app, kind, n)| ((app, kind), u64::try_from(n).unwrap_or(0)))
        .collect();
    let granted: HashMap<String, extensions::Model> = extensions::Entity::find()
        .filter(extensions::Column::VacancyId.eq(vacancy_id.clone()))
        .all(db)
        .await?
        .into_iter()
        .map(|e| (e.account_id.clone(), e))
        .collect();

    let mut by_document: HashMap<(&str, &str), Vec<&VersionRow>> = HashMap::new();
    for row in &versions {
        by_document
            .entry((row.application_id.as_str(), row.document_kind.as_str()))
            .or_default()
            .push(row);
    }
    let applications = rows
        .into_iter()
        .map(|application| {
            let documents: Vec<ApplicantDocument> = vacancy
                .rules
                .documents
                .iter()
                .map(|rules| {
                    let stored = by_document
                        .get(&(application.id.as_str(), rules.kind.as_str()))
                        .map(Vec::as_slice)
                        .unwrap_or_default();
                    let current = stored.iter().find(|v| v.is_current);
                    ApplicantDocument {
                        kind: rules.kind.clone(),
                        verdict: match current {
                            None => "missing",
                            Some(v) if has_warnings(&v.verdict) => "warnings",
                            Some(_) => "accepted",
                        }
                        .to_owned(),
                        current_version: current.map(|v| v.version),
                        pages: current.and_then(|v| v.pages),
                        versions: stored.len() as u64,
                        rejected_attempts: rejected
                            .get(&(application.id.clone(), rules.kind.clone()))
                            .copied()
                            .unwrap_or(0),
                    }
                })
                .collect();
            let status = if application.status == "active"
                && documents.iter().any(|d| d.current_version.is_none())
            {
                "incomplete".to_owned()
            } else {
                application.status.clone()
            };
            let extension = granted.get(&application.candidate_id);
            let deadline = own_deadline(&vacancy, extension.map(|e| e.deadline));
            ApplicantView {
                full_name: candidates
                    .get(&application.candidate_id)
                    .cloned()
                    .unwrap_or_default(),
                application_id: application.id,
                account_id: application.candidate_id,
                candidate_code: application.anon_code,
                status,
                applied_at: application.created_at,
                withdrawn_at: application.withdrawn_at,
                deadline,
                deadline_display: vacancy.deadline_display(deadline),
                extension: extension.map(|e| ExtensionView {
                    deadline: e.deadline,
                    reason: e.reason.clone(),
                    granted_at: e.created_at,
                }),
                documents,
            }
        })
        .collect();
    Ok(VacancyApplications {
        reference: vacancy.model.reference.clone(),
        title_en: vacancy.model.title_en.clone(),
        title_fr: vacancy.model.title_fr.clone(),
        deadline: vacancy.rules.deadline,
        time_zone: vacancy.rules.time_zone.name().to_owned(),
        deadline_display: vacancy.deadline_display(vacancy.rules.deadline),
        documents: vacancy
            .rules
            .documents
            .iter()
            .map(|d| DocumentTitle {
                kind: d.kind.clone(),
                title_en: d.title_en.clone(),
                title_fr: d.title_fr.clone(),
            })
            .collect(),
        applications,
    })
}

/// An extension never shortens a candidate's time (as on the upload path).
fn own_deadline(vacancy: &Vacancy, extension: Option<DateTime<Utc>>) -> Option<DateTime<Utc>> {
    match (vacancy.rules.deadline, extension) {
        (Some(d), Some(e)) => Some(d.max(e)),
        (d, None) => d,
        (None, Some(e)) => Some(e),
    }
}
