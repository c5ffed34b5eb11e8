//! Deleting a vacancy's personal data once its retention period has run out.

use chrono::{DateTime, Months, Utc};
use sea_orm::sea_query::{Expr, SelectStatement};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, EntityTrait,
    PaginatorTrait, QueryFilter, QuerySelect, QueryTrait,
};
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;

use entity::{
    applications, audit_events, blobs, conflicts, decisions, document_versions, erasure_requests,
    extensions, score_revisions, scores, upload_attempts, vacancies, vacancy_retention,
    webhook_deliveries, webhook_events,
};

use super::{closed_at, erasure};
use crate::error::ApiError;
use crate::service::audit::{self, Actor};
use crate::service::vacancies::application_ids_of;

/// What a purge removed (or, in a dry run, would remove).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct PurgeCounts {
    pub applications: u64,
    pub document_versions: u64,
    pub upload_attempts: u64,
    pub scores: u64,
    pub decisions: u64,
    pub conflicts: u64,
    pub extensions: u64,
    pub files: u64,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct VacancyPurge {
    pub reference: String,
    pub closed_at: DateTime<Utc>,
    pub retention_months: u32,
    pub counts: PurgeCounts,
}

#[derive(Debug, Clone, Default, Serialize, ToSchema)]
pub struct PurgeReport {
    pub dry_run: bool,
    pub vacancies: Vec<VacancyPurge>,
    /// Accounts erased because the assessments their erasure waited for have ended.
    pub accounts_erased: u64,
}

/// A vacancy's retention as admins see and set it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RetentionView {
    /// The vacancy's own period; null when it follows the configured default.
    pub retention_months: Option<u32>,
    pub default_months: u32,
    /// When its personal data will be (or was due to be) deleted; null while it has no deadline.
    pub purge_due_at: Option<DateTime<Utc>>,
    pub purged_at: Option<DateTime<Utc>>,
    /// What the purge removed, once it ran.
    pub purged: Option<PurgeCounts>,
}

pub async fn retention_of(
    db: &DatabaseConnection,
    vacancy: &vacancies::Model,
    default_months: u32,
) -> Result<RetentionView, ApiError> {
    let row = vacancy_retention::Entity::find_by_id(vacancy.id.clone())
        .one(db)
        .await?;
    let own = row
        .as_ref()
        .and_then(|r| r.retention_months)
        .and_then(|m| u32::try_from(m).ok());
    let months = own.unwrap_or(default_months);
    let purge_due_at = closed_at(db, vacancy)
        .await?
        .and_then(|closed| closed.checked_add_months(Months::new(months)));
    Ok(RetentionView {
        retention_months: own,
        default_months,
        purge_due_at,
        purged_at: row.as_ref().and_then(|r| r.purged_at),
        purged: row
            .and_then(|r| r.counts)
            .and_then(|c| serde_json::from_str(&c).ok()),
    })
}

/// Sets (or, with `None`, clears) a vacancy's own retention period. Audited.
pub async fn set_retention(
    db: &DatabaseConnection,
    vacancy: &vacancies::Model,
    months: Option<u32>,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<(), ApiError> {
    if months.is_some_and(|m| !(1..=120).contains(&m)) {
        return Err(ApiError::Validation(
            "retention_months must be between 1 and 120 (ten years), or null for the default"
                .into(),
        ));
    }
    let txn = crate::database::begin_write(db).await?;
    let existing = vacancy_retention::Entity::find_by_id(vacancy.id.clone())
        .one(&txn)
        .await?;
    let months_i32 = months.map(|m| m as i32);
    match existing {
        Some(row) => {
            let mut active: vacancy_retention::ActiveModel = row.into();
            active.retention_months = Set(months_i32);
            vacancy_retention::Entity::update(active).exec(&txn).await?;
        }
        None => {
            vacancy_retention::Entity::insert(vacancy_retention::ActiveModel {
                vacancy_id: Set(vacancy.id.clone()),
                retention_months: Set(months_i32),
                purged_at: Set(None),
                counts: Set(None),
            })
            .exec(&txn)
            .await?;
        }
    }
    audit::record(
        &txn,
        actor,
        "vacancy.retention_set",
        Some(&vacancy.reference),
        json!({ "retention_months": months }),
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// Deletes the personal data of every vacancy whose retention ran out by `now`, and carries out
/// erasure requests whose assessments have ended. With `dry_run`, only counts what it would do.
/// Safe to run from several instances at once: each step is a transaction that re-checks.
pub async fn purge(
    db: &DatabaseConnection,
    default_months: u32,
    now: DateTime<Utc>,
    dry_run: bool,
) -> Result<PurgeReport, ApiError> {
    let mut report = PurgeReport {
        dry_run,
        ..Default::default()
    };
    for vacancy in vacancies::Entity::find().all(db).await? {
        let view = retention_of(db, &vacancy, default_months).await?;
        let (Some(due), None) = (view.purge_due_at, view.purged_at) else {
            continue;
        };
        if due > now {
            continue;
        }
        let months = view.retention_months.unwrap_or(default_months);
        let Some(closed) = closed_at(db, &vacancy).await? else {
            continue;
        };
        let counts = if dry_run {
            count_application_data(db, || application_ids_of(&vacancy.id)).await?
        } else {
            purge_vacancy(db, &vacancy, now).await?
        };
        report.vacancies.push(VacancyPurge {
            reference: vacancy.reference.clone(),
            closed_at: closed,
            retention_months: months,
            counts,
        });
    }
    for request in erasure_requests::Entity::find().all(db).await? {
        if erasure::still_waiting(db, &request.account_id, now).await? {
            continue;
        }
        if !dry_run {
            erasure::erase_now(
                db,
                &request.account_id,
                erasure::ErasedBy::ScheduledRequest,
                &Actor::default(),
                now,
            )
            .await?;
        }
        report.accounts_erased += 1;
    }
    Ok(report)
}

async fn purge_vacancy(
    db: &DatabaseConnection,
    vacancy: &vacancies::Model,
    now: DateTime<Utc>,
) -> Result<PurgeCounts, ApiError> {
    let txn = crate::database::begin_write(db).await?;
    // Another instance may have purged it since the check.
    let row = vacancy_retention::Entity::find_by_id(vacancy.id.clone())
        .one(&txn)
        .await?;
    if row.as_ref().is_some_and(|r| r.purged_at.is_some()) {
        txn.rollback().await?;
        return Ok(PurgeCounts::default());
    }
    let mut counts = delete_application_data(&txn, || application_ids_of(&vacancy.id)).await?;
    counts.extensions = extensions::Entity::delete_many()
        .filter(extensions::Column::VacancyId.eq(vacancy.id.clone()))
        .exec(&txn)
        .await?
        .rows_affected;
    let counts_json =
        serde_json::to_string(&counts).map_err(|e| ApiError::Internal(Box::new(e)))?;
    match row {
        Some(row) => {
            let mut active: vacancy_retention::ActiveModel = row.into();
            active.purged_at = Set(Some(now));
            active.counts = Set(Some(counts_json));
            vacancy_retention::Entity::update(active).exec(&txn).await?;
        }
        None => {
            vacancy_retention::Entity::insert(vacancy_retention::ActiveModel {
                vacancy_id: Set(vacancy.id.clone()),
                retention_months: Set(None),
                purged_at: Set(Some(now)),
                counts: Set(Some(counts_json)),
            })
            .exec(&txn)
            .await?;
        }
    }
    audit::record(
        &txn,
        &Actor::default(),
        "retention.purged",
        Some(&vacancy.reference),
        serde_json::to_value(&counts).unwrap_or_default(),
        now,
    )
    .await?;
    txn.commit().await?;
    tracing::info!(reference = %vacancy.reference, ?counts, "retention: personal data deleted");
    Ok(counts)
}

/// The ids of a candidate's applications, as a subquery.
pub(super) fn of_candidate(account_id: &str) -> SelectStatement {
    applications::Entity::find()
        .select_only()
        .column(applications::Column::Id)
        .filter(applications::Column::CandidateId.eq(account_id.to_owned()))
        .into_query()
}

async fn count_application_data(
    db: &impl ConnectionTrait,
    ids: impl Fn() -> SelectStatement,
) -> Result<PurgeCounts, ApiError> {
    Ok(PurgeCounts {
        applications: applications::Entity::find()
            .filter(applications::Column::Id.in_subquery(ids()))
            .count(db)
            .await?,
        document_versions: document_versions::Entity::find()
            .filter(document_versions::Column::ApplicationId.in_subquery(ids()))
            .count(db)
            .await?,
        upload_attempts: upload_attempts::Entity::find()
            .filter(upload_attempts::Column::ApplicationId.in_subquery(ids()))
            .count(db)
            .await?,
        scores: scores::Entity::find()
            .filter(scores::Column::ApplicationId.in_subquery(ids()))
            .count(db)
            .await?,
        decisions: decisions::Entity::find()
            .filter(decisions::Column::ApplicationId.in_subquery(ids()))
            .count(db)
            .await?,
        conflicts: conflicts::Entity::find()
            .filter(conflicts::Column::ApplicationId.in_subquery(ids()))
            .count(db)
            .await?,
        extensions: 0,
        files: 0,
    })
}

/// Deletes the applications `ids` selects and everything hanging off them: versions, files no
/// other version shares, attempts, scores and their revisions, decisions, conflicts. Audit
/// entries about those applications or versions keep their event and time, nothing else.
pub(super) async fn delete_application_data(
    txn: &impl ConnectionTrait,
    ids: impl Fn() -> SelectStatement,
) -> Result<PurgeCounts, ApiError> {
    let version_ids: Vec<String> = document_versions::Entity::find()
        .select_only()
        .column(document_versions::Column::Id)
        .filter(document_versions::Column::ApplicationId.in_subquery(ids()))
        .into_tuple()
        .all(txn)
        .await?;
    let shas: Vec<String> = document_versions::Entity::find()
        .select_only()
        .column(document_versions::Column::BlobSha256)
        .distinct()
        .filter(document_versions::Column::ApplicationId.in_subquery(ids()))
        .into_tuple()
        .all(txn)
        .await?;
    let applications_and_codes: Vec<(String, String)> = applications::Entity::find()
        .select_only()
        .column(applications::Column::Id)
        .column(applications::Column::AnonCode)
        .filter(applications::Column::Id.in_subquery(ids()))
        .into_tuple()
        .all(txn)
        .await?;
    let attempt_shas: Vec<String> = upload_attempts::Entity::find()
        .select_only()
        .column(upload_attempts::Column::Sha256)
        .distinct()
        .filter(upload_attempts::Column::ApplicationId.in_subquery(ids()))
        .into_tuple()
        .all(txn)
        .await?;
    let (application_ids, codes): (Vec<String>, Vec<String>) =
        applications_and_codes.into_iter().unzip();
    let mut counts = PurgeCounts::default();
    score_revisions::Entity::delete_many()
        .filter(score_revisions::Column::ApplicationId.in_subquery(ids()))
        .exec(txn)
        .await?;
    counts.scores = scores::Entity::delete_many()
        .filter(scores::Column::ApplicationId.in_subquery(ids()))
        .exec(txn)
        .await?
        .rows_affected;
    counts.decisions = decisions::Entity::delete_many()
        .filter(decisions::Column::ApplicationId.in_subquery(ids()))
        .exec(txn)
        .await?
        .rows_affected;
    counts.conflicts = conflicts::Entity::delete_many()
        .filter(conflicts::Column::ApplicationId.in_subquery(ids()))
        .exec(txn)
        .await?
        .rows_affected;
    counts.upload_attempts = upload_attempts::Entity::delete_many()
        .filter(upload_attempts::Column::ApplicationId.in_subquery(ids()))
        .exec(txn)
        .await?
        .rows_affected;
    counts.document_versions = document_versions::Entity::delete_many()
        .filter(document_versions::Column::ApplicationId.in_subquery(ids()))
        .exec(txn)
        .await?
        .rows_affected;
    // Which reminders an application was sent says nothing once it is gone.
    entity::reminders_sent::Entity::delete_many()
        .filter(entity::reminders_sent::Column::ApplicationId.in_subquery(ids()))
        .exec(txn)
        .await?;
    counts.applications = applications::Entity::delete_many()
        .filter(applications::Column::Id.in_subquery(ids()))
        .exec(txn)
        .await?
        .rows_affected;
    for sha in shas.clone() {
        let still_used = document_versions::Entity::find()
            .filter(document_versions::Column::BlobSha256.eq(sha.clone()))
            .count(txn)
            .await?
            > 0;
        if !still_used {
            counts.files += blobs::Entity::delete_by_id(sha)
                .exec(txn)
                .await?
                .rows_affected;
        }
    }
    // Audit entries about these applications and versions, as their subject or anywhere in their
    // details (an upload's hash and version, a reading's candidate code): the event and its time
    // stay. A candidate code is short, so it is matched as a whole JSON string.
    let quoted_codes: Vec<String> = codes.iter().map(|c| format!("\"{c}\"")).collect();
    let identifiers: Vec<&String> = application_ids
        .iter()
        .chain(&version_ids)
        .chain(&shas)
        .chain(&attempt_shas)
        .chain(&quoted_codes)
        .collect();
    for chunk in identifiers.chunks(100) {
        let mut which = Condition::any()
            .add(audit_events::Column::Subject.is_in(chunk.iter().map(|s| (*s).clone())));
        for identifier in chunk {
            which = which.add(audit_events::Column::Detail.contains(identifier.as_str()));
        }
        strip_audit_entries(txn, which).await?;
    }
    // Webhook events and deliveries naming these applications (by id; versions are only named
    // beside their application) go too, sent or not: nothing is left to tell about them.
    for chunk in application_ids.chunks(100) {
        let mut events = Condition::any();
        let mut deliveries = Condition::any();
        for id in chunk {
            events = events.add(webhook_events::Column::Data.contains(id.as_str()));
            deliveries = deliveries.add(webhook_deliveries::Column::Body.contains(id.as_str()));
        }
        webhook_events::Entity::delete_many()
            .filter(events)
            .exec(txn)
            .await?;
        webhook_deliveries::Entity::delete_many()
            .filter(deliveries)
            .exec(txn)
            .await?;
    }
    Ok(counts)
}

/// Audit entries `which` selects keep their event and time; who and what they were about goes.
pub(super) async fn strip_audit_entries(
    txn: &impl ConnectionTrait,
    which: impl sea_orm::sea_query::IntoCondition,
) -> Result<(), ApiError> {
    audit_events::Entity::update_many()
        .col_expr(
            audit_events::Column::Subject,
            Expr::value(Option::<String>::None),
        )
        .col_expr(audit_events::Column::Detail, Expr::value("{}"))
        .col_expr(
            audit_events::Column::ClientIp,
            Expr::value(Option::<String>::None),
        )
        .filter(which)
        .exec(txn)
        .await?;
    Ok(())
}
