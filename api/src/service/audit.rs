//! The audit log: append-only security and access events, readable by admins.

use chrono::{DateTime, Utc};
use std::collections::HashMap;

use sea_orm::{
    ActiveValue::Set, ConnectionTrait, EntityTrait, QueryOrder, QuerySelect, QueryTrait,
};
use serde::Serialize;
use utoipa::ToSchema;

use entity::{accounts, audit_events};

use crate::error::ApiError;

/// Who did something, and from where.
#[derive(Debug, Clone, Default)]
pub struct Actor {
    pub account_id: Option<String>,
    pub client_ip: Option<String>,
}

pub async fn record(
    db: &impl ConnectionTrait,
    actor: &Actor,
    event: &str,
    subject: Option<&str>,
    detail: serde_json::Value,
    now: DateTime<Utc>,
) -> Result<(), ApiError> {
    audit_events::Entity::insert(entry(actor, event, subject, detail, now))
        .exec(db)
        .await?;
    Ok(())
}

/// An audit entry, for callers that write it together with other rows.
pub fn entry(
    actor: &Actor,
    event: &str,
    subject: Option<&str>,
    detail: serde_json::Value,
    now: DateTime<Utc>,
) -> audit_events::ActiveModel {
    audit_events::ActiveModel {
        at: Set(now),
        actor_id: Set(actor.account_id.clone()),
        event: Set(event.to_owned()),
        subject: Set(subject.map(str::to_owned)),
        detail: Set(detail.to_string()),
        client_ip: Set(actor.client_ip.clone()),
        ..Default::default()
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AuditEntry {
    pub id: i64,
    pub at: DateTime<Utc>,
    pub actor_id: Option<String>,
    /// The actor's email and name, when the actor is an account that still exists.
    pub actor_email: Option<String>,
    pub actor_name: Option<String>,
    /// The email of the account the detail's `account_id` names (an extension's candidate).
    pub detail_account_email: Option<String>,
    pub event: String,
    pub subject: Option<String>,
    #[schema(value_type = Object)]
    pub detail: serde_json::Value,
    pub client_ip: Option<String>,
}

/// Which entries to read: every field narrows the list; all empty reads everything.
#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    /// An event code (`account.invited`), or a family of codes ending with a dot (`account.`).
    pub event: Option<String>,
    /// The acting account's email or id.
    pub actor: Option<String>,
    /// The subject exactly: a vacancy reference or an account's email.
    pub subject: Option<String>,
    /// Entries at or after this instant.
    pub from: Option<DateTime<Utc>>,
    /// Entries before this instant.
    pub to: Option<DateTime<Utc>>,
    /// Only entries older than this id (the cursor of the next page).
    pub before_id: Option<i64>,
}

/// The newest entries first.
pub async fn list(
    db: &impl ConnectionTrait,
    limit: u64,
    before_id: Option<i64>,
) -> Result<Vec<AuditEntry>, ApiError> {
    let filter = AuditFilter {
        before_id,
        ..AuditFilter::default()
    };
    search(db, &filter, limit).await
}

/// The newest entries first that pass `filter`, at most `limit` (1000 at most), with the actors'
/// names read in one query.
pub async fn search(
    db: &impl ConnectionTrait,
    filter: &AuditFilter,
    limit: u64,
) -> Result<Vec<AuditEntry>, ApiError> {
    use sea_orm::{ColumnTrait, Condition, QueryFilter};
    let mut query = audit_events::Entity::find().order_by_desc(audit_events::Column::Id);
    if let Some(before) = filter.before_id {
        query = query.filter(audit_events::Column::Id.lt(before));
    }
    if let Some(event) = filter
        .event
        .as_deref()
        .map(str::trim)
        .filter(|e| !e.is_empty())
    {
        query = if event.ends_with('.') {
            query.filter(audit_events::Column::Event.starts_with(event))
        } else {
            query.filter(audit_events::Column::Event.eq(event))
        };
    }
    if let Some(actor) = filter
        .actor
        .as_deref()
        .map(str::trim)
        .filter(|a| !a.is_empty())
    {
        let by_email = accounts::Entity::find()
            .select_only()
            .column(accounts::Column::Id)
            .filter(accounts::Column::Email.eq(actor.to_lowercase()))
            .into_query();
        query = query.filter(
            Condition::any()
                .add(audit_events::Column::ActorId.eq(actor))
                .add(audit_events::Column::ActorId.in_subquery(by_email)),
        );
    }
    if let Some(subject) = filter
        .subject
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        query = query.filter(audit_events::Column::Subject.eq(subject));
    }
    if let Some(from) = filter.from {
        query = query.filter(audit_events::Column::At.gte(from));
    }
    if let Some(to) = filter.to {
        query = query.filter(audit_events::Column::At.lt(to));
    }
    let rows = query.limit(limit.clamp(1, 1000)).all(db).await?;
    let details: Vec<serde_json::Value> = rows
        .iter()
        .map(|row| serde_json::from_str(&row.detail).unwrap_or(serde_json::Value::Null))
        .collect();
    let detail_account = |detail: &serde_json::Value| {
        detail
            .get("account_id")
            .and_then(|a| a.as_str())
            .map(str::to_owned)
    };
    let mut actor_ids: Vec<String> = rows
        .iter()
        .filter_map(|r| r.actor_id.clone())
        .chain(details.iter().filter_map(detail_account))
        .collect();
    actor_ids.sort();
    actor_ids.dedup();
    let actors: HashMap<String, (String, String)> = if actor_ids.is_empty() {
        HashMap::new()
    } else {
        accounts::Entity::find()
            .filter(accounts::Column::Id.is_in(actor_ids))
            .all(db)
            .await?
            .into_iter()
            .map(|a| (a.id, (a.email, a.full_name)))
            .collect()
    };
    Ok(rows
        .into_iter()
        .zip(details)
        .map(|(row, detail)| {
            let actor = row.actor_id.as_ref().and_then(|id| actors.get(id));
            AuditEntry {
                id: row.id,
                at: row.at,
                actor_email: actor.map(|a| a.0.clone()),
                actor_name: actor.map(|a| a.1.clone()),
                detail_account_email: detail_account(&detail)
                    .and_then(|id| actors.get(&id))
                    .map(|a| a.0.clone()),
                actor_id: row.actor_id,
                event: row.event,
                subject: row.subject,
                detail,
                client_ip: row.client_ip,
            }
        })
        .collect())
}
