//! The chair's longlist decision on each essay. A decision belongs to the essay version it was
//! made on: when the candidate replaces the essay, it no longer stands (the results show it as on
//! version N). It is refused to a chair who declared a conflict of interest, and while the
//! candidate's extension runs (their essay can still change) unless the chair overrides that
//! explicitly, with a reason kept in the audit log.

use chrono::{DateTime, Utc};
use sea_orm::{ActiveValue::Set, DatabaseConnection, EntityTrait};
use serde::Deserialize;
use serde_json::json;
use utoipa::ToSchema;

use entity::{applications, decisions};

use super::conflicts::{conflict_refusal, conflicted};
use super::panel::{ensure_readable, seat};
use super::scoring::results;
use crate::error::ApiError;
use crate::service::audit::{self, Actor};
use crate::service::vacancies::Vacancy;

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
    /// Decide although the candidate's extension still runs; audited with its reason.
    #[serde(default)]
    pub override_extension: Option<ExtensionOverride>,
}

/// The chair's explicit choice to decide before a candidate's extension ends.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct ExtensionOverride {
    /// Why the decision cannot wait (kept in the audit log). Required.
    pub reason: String,
}

/// 409 while the candidate may still replace their documents under an extension.
fn extension_running(vacancy: &Vacancy, candidate_code: &str, ends: DateTime<Utc>) -> ApiError {
    let display = vacancy.deadline_display(Some(ends));
    let shown = display
        .as_ref()
        .map(|d| d.en.clone())
        .unwrap_or_else(|| ends.to_rfc3339());
    let documents: Vec<&str> = vacancy
        .rules
        .documents
        .iter()
        .map(|d| d.kind.as_str())
        .collect();
    let mut extensions = serde_json::Map::new();
    extensions.insert("extension_ends_at".into(), json!(ends));
    // Both languages, for the page to say it in the reader's.
    extensions.insert("extension_ends_display".into(), json!(display));
    extensions.insert("candidate_code".into(), json!(candidate_code));
    extensions.insert("documents".into(), json!(documents));
    ApiError::Rejected {
        problem_type: "extension-running",
        status: actix_web::http::StatusCode::CONFLICT,
        detail: format!(
            "candidate {candidate_code} has an extension until {shown} and may still replace their documents; \
             decide once it has ended, or override it with a reason"
        ),
        extensions,
    }
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
    let override_reason =
        match &input.override_extension {
            Some(o) if o.reason.trim().is_empty() => return Err(ApiError::Validation(
                "say why the decision cannot wait for the extension to end (kept in the audit log)"
                    .into(),
            )),
            Some(o) => Some(o.reason.trim().to_owned()),
            None => None,
        };
    let application = applications::Entity::find_by_id(input.application_id.clone())
        .one(db)
        .await?
        .filter(|a| a.vacancy_id == seat.vacancy.model.id)
        .ok_or(ApiError::NotFound("essay"))?;
    if conflicted(db, &application.id, assessor_id).await? {
        return Err(conflict_refusal("decide on"));
    }
    let result = results(db, &seat.vacancy, now)
        .await?
        .into_iter()
        .find(|r| r.application_id == application.id)
        .ok_or(ApiError::NotFound("essay"))?;
    let overridden = match (result.extension_ends_at, &override_reason) {
        (Some(ends), None) => {
            return Err(extension_running(
                &seat.vacancy,
                &application.anon_code,
                ends,
            ))
        }
        (Some(ends), Some(reason)) => Some((ends, reason)),
        (None, _) => None,
    };
    if result.scores < result.expected_scores && !input.confirm_incomplete {
        return Err(ApiError::Conflict(format!(
            "only {} of {} panel members have scored this essay; confirm to decide anyway",
            result.scores, result.expected_scores
        )));
    }
    let txn = crate::database::begin_write(db).await?;
    // One decision per application: a new one (on the current version) replaces one made on an
    // earlier version; the audit log keeps both.
    decisions::Entity::delete_by_id(application.id.clone())
        .exec(&txn)
        .await?;
    decisions::Entity::insert(decisions::ActiveModel {
        application_id: Set(application.id.clone()),
        decision: Set(input.decision.clone()),
        decided_by: Set(assessor_id.to_owned()),
        note: Set(input.note.clone()),
        decided_at: Set(now),
        version_id: Set(Some(result.version_id.clone())),
    })
    .exec(&txn)
    .await?;
    if let Some((ends, reason)) = overridden {
        audit::record(
            &txn,
            chair,
            "decision.extension_overridden",
            Some(&seat.vacancy.model.reference),
            json!({
                "candidate_code": application.anon_code,
                "extension_ends_at": ends,
                "version": result.version,
                "reason": reason,
            }),
            now,
        )
        .await?;
    }
    audit::record(
        &txn,
        chair,
        "decision.recorded",
        Some(&seat.vacancy.model.reference),
        json!({
            "candidate_code": application.anon_code,
            "decision": input.decision,
            "version": result.version,
            "scores": result.scores,
            "expected_scores": result.expected_scores,
            "extension_overridden": overridden.is_some(),
        }),
        now,
    )
    .await?;
    use crate::service::integrations::events::{self, EventType};
    let data = events::decision_data(
        &seat.vacancy.model.reference,
        &application.id,
        &result.version_id,
        &input.decision,
    );
    events::emit(&txn, EventType::DecisionRecorded, data, None, now).await?;
    txn.commit().await?;
    Ok(())
}
