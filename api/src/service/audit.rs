//! The audit log: append-only security and access events, readable by admins.

use chrono::{DateTime, Utc};
use sea_orm::{ActiveValue::Set, ConnectionTrait, EntityTrait, QueryOrder, QuerySelect};
use serde::Serialize;
use utoipa::ToSchema;

use entity::audit_events;

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
    audit_events::Entity::insert(audit_events::ActiveModel {
        at: Set(now),
        actor_id: Set(actor.account_id.clone()),
        event: Set(event.to_owned()),
        subject: Set(subject.map(str::to_owned)),
        detail: Set(detail.to_string()),
        client_ip: Set(actor.client_ip.clone()),
        ..Default::default()
    })
    .exec(db)
    .await?;
    Ok(())
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AuditEntry {
    pub id: i64,
    pub at: DateTime<Utc>,
    pub actor_id: Option<String>,
    pub event: String,
    pub subject: Option<String>,
    #[schema(value_type = Object)]
    pub detail: serde_json::Value,
    pub client_ip: Option<String>,
}

/// The newest entries first.
pub async fn list(
    db: &impl ConnectionTrait,
    limit: u64,
    before_id: Option<i64>,
) -> Result<Vec<AuditEntry>, ApiError> {
    use sea_orm::{ColumnTrait, QueryFilter};
    let mut query = audit_events::Entity::find().order_by_desc(audit_events::Column::Id);
    if let Some(before) = before_id {
        query = query.filter(audit_events::Column::Id.lt(before));
    }
    let rows = query.limit(limit.min(1000)).all(db).await?;
    Ok(rows
        .into_iter()
        .map(|row| AuditEntry {
            id: row.id,
            at: row.at,
            actor_id: row.actor_id,
            event: row.event,
            subject: row.subject,
            detail: serde_json::from_str(&row.detail).unwrap_or(serde_json::Value::Null),
            client_ip: row.client_ip,
        })
        .collect())
}
