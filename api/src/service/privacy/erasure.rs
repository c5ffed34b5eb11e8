//! Erasing a candidate's account and everything held about them.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, Condition, DatabaseConnection, EntityTrait, QueryFilter,
};
use serde::Serialize;
use serde_json::json;
use utoipa::ToSchema;

use entity::{
    accounts, applications, audit_events, erasure_requests, extensions, one_time_tokens, outbox,
    sessions, vacancies,
};

use super::retention::{delete_application_data, of_candidate, strip_audit_entries};
use super::under_assessment;
use crate::error::ApiError;
use crate::service::accounts::password_is_right;
use crate::service::audit::{self, Actor};

#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum ErasureOutcome {
    /// The account and everything about it are gone.
    Erased { applications: u64 },
    /// Recorded: applications to vacancies being assessed stay until those assessments end,
    /// then the erasure is carried out. Applications to other vacancies are already gone.
    Scheduled {
        waiting_for: Vec<String>,
        applications_deleted: u64,
    },
}

/// A pending erasure request, as the candidate's page shows it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ErasureStatus {
    pub requested_at: Option<DateTime<Utc>>,
    /// The vacancies (references) whose assessment the request waits for.
    pub waiting_for: Vec<String>,
}

/// The vacancies, among the candidate's applications, whose assessment is under way.
async fn assessments_under_way(
    db: &DatabaseConnection,
    account_id: &str,
    now: DateTime<Utc>,
) -> Result<Vec<vacancies::Model>, ApiError> {
    let mut waiting = Vec::new();
    let applied = applications::Entity::find()
        .filter(applications::Column::CandidateId.eq(account_id.to_owned()))
        .all(db)
        .await?;
    for application in applied {
        let vacancy = vacancies::Entity::find_by_id(application.vacancy_id)
            .one(db)
            .await?;
        if let Some(vacancy) = vacancy {
            if !waiting.contains(&vacancy) && under_assessment(db, &vacancy, now).await? {
                waiting.push(vacancy);
            }
        }
    }
    Ok(waiting)
}

pub(super) async fn still_waiting(
    db: &DatabaseConnection,
    account_id: &str,
    now: DateTime<Utc>,
) -> Result<bool, ApiError> {
    Ok(!assessments_under_way(db, account_id, now).await?.is_empty())
}

pub async fn erasure_status(
    db: &DatabaseConnection,
    account_id: &str,
    now: DateTime<Utc>,
) -> Result<ErasureStatus, ApiError> {
    let request = erasure_requests::Entity::find_by_id(account_id.to_owned())
        .one(db)
        .await?;
    let waiting_for = match request {
        Some(_) => assessments_under_way(db, account_id, now)
            .await?
            .into_iter()
            .map(|v| v.reference)
            .collect(),
        None => Vec::new(),
    };
    Ok(ErasureStatus {
        requested_at: request.map(|r| r.requested_at),
        waiting_for,
    })
}

/// A candidate asks to erase their own account (their password confirms it is them).
pub async fn request_erasure(
    db: &DatabaseConnection,
    account: &accounts::Model,
    password: &str,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<ErasureOutcome, ApiError> {
    if account.role != "candidate" {
        return Err(ApiError::Forbidden(
            "staff accounts are disabled by an admin, not erased: the assessment record needs them"
                .into(),
        ));
    }
    if !password_is_right(db, account, password, now).await? {
        return Err(ApiError::Validation("the password is not right".into()));
    }
    let waiting = assessments_under_way(db, &account.id, now).await?;
    if waiting.is_empty() {
        let applications = erase_now(db, &account.id, ErasedBy::Candidate, actor, now).await?;
        return Ok(ErasureOutcome::Erased { applications });
    }
    let waiting_ids: Vec<String> = waiting.iter().map(|v| v.id.clone()).collect();
    let txn = crate::database::begin_write(db).await?;
    // What is not under assessment goes now; the rest waits for its assessment to end.
    let account_id = account.id.clone();
    let deleted = delete_application_data(&txn, || {
        let mut query = of_candidate(&account_id);
        query.and_where(applications::Column::VacancyId.is_not_in(waiting_ids.clone()));
        query
    })
    .await?;
    if erasure_requests::Entity::find_by_id(account.id.clone())
        .one(&txn)
        .await?
        .is_none()
    {
        erasure_requests::Entity::insert(erasure_requests::ActiveModel {
            account_id: Set(account.id.clone()),
            requested_at: Set(now),
        })
        .exec(&txn)
        .await?;
    }
    let waiting_for: Vec<String> = waiting.into_iter().map(|v| v.reference).collect();
    audit::record(
        &txn,
        actor,
        "account.erasure_requested",
        Some(&account.id),
        json!({ "waiting_for": waiting_for, "applications_deleted": deleted.applications }),
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(ErasureOutcome::Scheduled {
        waiting_for,
        applications_deleted: deleted.applications,
    })
}

/// An admin erases a candidate's data on their request, at once (audited with the reason).
pub async fn erase_account(
    db: &DatabaseConnection,
    account_id: &str,
    reason: &str,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<u64, ApiError> {
    let reason = reason.trim();
    if reason.chars().count() < 5 {
        return Err(ApiError::Validation(
            "say why (at least 5 characters), e.g. 'request by email of 30 November 2026'".into(),
        ));
    }
    let account = accounts::Entity::find_by_id(account_id.to_owned())
        .one(db)
        .await?
        .ok_or(ApiError::NotFound("account"))?;
    if account.role != "candidate" {
        return Err(ApiError::Validation(
            "only candidate accounts are erased; disable a staff account instead".into(),
        ));
    }
    erase_now(db, account_id, ErasedBy::Admin, actor, now).await
}

/// Who had an account erased: kept in the audit entry instead of the reason typed, which is free
/// text about the person ("asked by Ana Silva by email").
#[derive(Debug, Clone, Copy)]
pub(super) enum ErasedBy {
    /// The candidate, from their account page.
    Candidate,
    /// The candidate earlier, carried out once the assessments it waited for ended.
    ScheduledRequest,
    /// An admin, on the person's request (the reason was typed, and is not kept).
    Admin,
}

impl ErasedBy {
    fn as_str(self) -> &'static str {
        match self {
            ErasedBy::Candidate => "candidate",
            ErasedBy::ScheduledRequest => "request-carried-out",
            ErasedBy::Admin => "admin",
        }
    }
}

/// Deletes the account and everything about it in one transaction; audit entries about it keep
/// their event and time only. Returns how many applications went.
pub(super) async fn erase_now(
    db: &DatabaseConnection,
    account_id: &str,
    by_whom: ErasedBy,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<u64, ApiError> {
    let txn = crate::database::begin_write(db).await?;
    let Some(account) = accounts::Entity::find_by_id(account_id.to_owned())
        .one(&txn)
        .await?
    else {
        txn.rollback().await?;
        return Ok(0);
    };
    let counts = delete_application_data(&txn, || of_candidate(account_id)).await?;
    extensions::Entity::delete_many()
        .filter(extensions::Column::AccountId.eq(account_id.to_owned()))
        .exec(&txn)
        .await?;
    sessions::Entity::delete_many()
        .filter(sessions::Column::AccountId.eq(account_id.to_owned()))
        .exec(&txn)
        .await?;
    one_time_tokens::Entity::delete_many()
        .filter(one_time_tokens::Column::AccountId.eq(account_id.to_owned()))
        .exec(&txn)
        .await?;
    outbox::Entity::delete_many()
        .filter(outbox::Column::Recipient.eq(account.email.clone()))
        .exec(&txn)
        .await?;
    erasure_requests::Entity::delete_by_id(account_id.to_owned())
        .exec(&txn)
        .await?;
    crate::service::accounts::forget_account(&txn, &account.email, account_id).await?;
    // Entries about the person, or naming them in their details (an extension granted to them,
    // with its reason): the event and its time stay.
    strip_audit_entries(
        &txn,
        Condition::any()
            .add(audit_events::Column::Subject.eq(account.email.clone()))
            .add(audit_events::Column::Subject.eq(account_id.to_owned()))
            .add(audit_events::Column::Detail.contains(account_id))
            .add(audit_events::Column::Detail.contains(account.email.as_str())),
    )
    .await?;
    audit_events::Entity::update_many()
        .col_expr(
            audit_events::Column::ActorId,
            Expr::value(Option::<String>::None),
        )
        .col_expr(
            audit_events::Column::ClientIp,
            Expr::value(Option::<String>::None),
        )
        .filter(audit_events::Column::ActorId.eq(account_id.to_owned()))
        .exec(&txn)
        .await?;
    accounts::Entity::delete_by_id(account_id.to_owned())
        .exec(&txn)
        .await?;
    let by = if actor.account_id.as_deref() == Some(account_id) {
        Actor::default()
    } else {
        actor.clone()
    };
    audit::record(
        &txn,
        &by,
        "account.erased",
        None,
        json!({ "by": by_whom.as_str(), "applications": counts.applications }),
        now,
    )
    .await?;
    txn.commit().await?;
    crate::database::forget_deleted_pages(db).await;
    Ok(counts.applications)
}
