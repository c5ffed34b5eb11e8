//! Webhooks: registered by an admin with a URL and the events it wants, signed with a secret
//! shown once; their deliveries are listed with the last answer and can be sent again.

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use chrono::{DateTime, Utc};
use rand::RngCore;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect,
};
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;

use entity::{webhook_deliveries, webhooks};

use super::delivery::MAX_ATTEMPTS;
use super::EventType;
use crate::error::ApiError;
use crate::service::audit::{self, Actor};

pub const SECRET_PREFIX: &str = "whsec_";

#[derive(Debug, Deserialize, ToSchema)]
pub struct NewWebhook {
    /// Where deliveries are POSTed: an http or https URL.
    pub url: String,
    pub events: Vec<EventType>,
}

/// The answer to registering a webhook: the only time its secret is shown.
#[derive(Debug, Serialize, ToSchema)]
pub struct CreatedWebhook {
    pub id: String,
    pub secret: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct WebhookView {
    pub id: String,
    pub url: String,
    pub events: Vec<EventType>,
    pub created_at: DateTime<Utc>,
    /// The newest deliveries first (at most 50).
    pub deliveries: Vec<DeliveryView>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DeliveryView {
    pub id: i64,
    /// The `webhook-id` header: the same on every attempt.
    pub message_id: String,
    pub event_type: String,
    pub created_at: DateTime<Utc>,
    pub attempts: i32,
    /// `delivered`, `pending` (waiting or being retried) or `failed` (no more attempts).
    pub status: &'static str,
    /// The HTTP status of the last answer, if there was one.
    pub last_status: Option<i32>,
    /// Why the last attempt failed.
    pub last_error: Option<String>,
    pub last_attempt_at: Option<DateTime<Utc>>,
    pub delivered_at: Option<DateTime<Utc>>,
    pub next_attempt_at: Option<DateTime<Utc>>,
}

/// An http(s) URL with a host, nothing else: deliveries are never sent to `file:` or other
/// schemes, and a URL carrying credentials would show them on the Integrations page.
pub fn checked_url(url: &str) -> Result<String, ApiError> {
    let url = url.trim();
    let refused =
        || ApiError::Validation("the webhook URL must be an http:// or https:// address".into());
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .ok_or_else(refused)?;
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    if authority.is_empty()
        || authority.contains('@')
        || url.len() > 2000
        || url.chars().any(|c| c.is_whitespace() || c.is_control())
    {
        return Err(refused());
    }
    Ok(url.to_owned())
}

fn new_secret() -> String {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    format!("{SECRET_PREFIX}{}", STANDARD.encode(bytes))
}

fn events_of(stored: &str) -> Vec<EventType> {
    serde_json::from_str::<Vec<String>>(stored)
        .unwrap_or_default()
        .iter()
        .filter_map(|e| EventType::parse(e))
        .collect()
}

/// Whether a webhook whose stored events are `stored` wants `event_type`.
pub fn wants(stored: &str, event_type: &str) -> bool {
    events_of(stored).iter().any(|e| e.as_str() == event_type)
}

pub async fn create(
    db: &impl ConnectionTrait,
    admin: &Actor,
    request: NewWebhook,
    now: DateTime<Utc>,
) -> Result<CreatedWebhook, ApiError> {
    let url = checked_url(&request.url)?;
    let mut events = request.events;
    events.sort_by_key(|e| e.as_str());
    events.dedup();
    if events.is_empty() {
        return Err(ApiError::Validation(
            "choose at least one event for the webhook".into(),
        ));
    }
    let names: Vec<&str> = events.iter().map(|e| e.as_str()).collect();
    let id = uuid::Uuid::new_v4().to_string();
    let secret = new_secret();
    webhooks::Entity::insert(webhooks::ActiveModel {
        id: Set(id.clone()),
        url: Set(url.clone()),
        secret: Set(secret.clone()),
        events: Set(json!(names).to_string()),
        created_by: Set(admin.account_id.clone()),
        created_at: Set(now),
    })
    .exec(db)
    .await?;
    audit::record(
        db,
        admin,
        "webhook.created",
        None,
        json!({ "webhook_id": id, "url": url, "events": names }),
        now,
    )
    .await?;
    Ok(CreatedWebhook { id, secret })
}

fn status_of(row: &webhook_deliveries::Model) -> &'static str {
    if row.delivered_at.is_some() {
        "delivered"
    } else if row.attempts >= MAX_ATTEMPTS {
        "failed"
    } else {
        "pending"
    }
}

pub fn delivery_view(row: webhook_deliveries::Model) -> DeliveryView {
    DeliveryView {
        status: status_of(&row),
        id: row.id,
        message_id: row.event_id,
        event_type: row.event_type,
        created_at: row.created_at,
        attempts: row.attempts,
        last_status: row.last_status,
        last_error: row.last_error,
        last_attempt_at: row.last_attempt_at,
        delivered_at: row.delivered_at,
        next_attempt_at: row.next_attempt_at,
    }
}

pub async fn list(db: &impl ConnectionTrait) -> Result<Vec<WebhookView>, ApiError> {
    let rows = webhooks::Entity::find()
        .order_by_desc(webhooks::Column::CreatedAt)
        .all(db)
        .await?;
    let mut views = Vec::with_capacity(rows.len());
    for row in rows {
        let deliveries = webhook_deliveries::Entity::find()
            .filter(webhook_deliveries::Column::WebhookId.eq(row.id.clone()))
            .order_by_desc(webhook_deliveries::Column::Id)
            .limit(50)
            .all(db)
            .await?;
        views.push(WebhookView {
            events: events_of(&row.events),
            id: row.id,
            url: row.url,
            created_at: row.created_at,
            deliveries: deliveries.into_iter().map(delivery_view).collect(),
        });
    }
    Ok(views)
}

/// Removes a webhook and its deliveries: nothing more is sent to it.
pub async fn delete(
    db: &impl ConnectionTrait,
    admin: &Actor,
    id: &str,
    now: DateTime<Utc>,
) -> Result<(), ApiError> {
    let row = webhooks::Entity::find_by_id(id.to_owned())
        .one(db)
        .await?
        .ok_or(ApiError::NotFound("webhook"))?;
    webhook_deliveries::Entity::delete_many()
        .filter(webhook_deliveries::Column::WebhookId.eq(id))
        .exec(db)
        .await?;
    webhooks::Entity::delete_by_id(id.to_owned())
        .exec(db)
        .await?;
    audit::record(
        db,
        admin,
        "webhook.deleted",
        None,
        json!({ "webhook_id": row.id, "url": row.url }),
        now,
    )
    .await?;
    Ok(())
}

/// Sends a delivery again (delivered, failed or waiting): it becomes due at once, with a fresh
/// count of attempts and the same `webhook-id`, so a receiver that keeps ids can tell a repeat.
pub async fn resend(
    db: &impl ConnectionTrait,
    admin: &Actor,
    delivery_id: i64,
    now: DateTime<Utc>,
) -> Result<DeliveryView, ApiError> {
    let row = webhook_deliveries::Entity::find_by_id(delivery_id)
        .one(db)
        .await?
        .ok_or(ApiError::NotFound("delivery"))?;
    webhook_deliveries::Entity::update_many()
        .col_expr(
            webhook_deliveries::Column::DeliveredAt,
            Expr::value(Option::<DateTime<Utc>>::None),
        )
        .col_expr(webhook_deliveries::Column::Attempts, Expr::value(0))
        .col_expr(
            webhook_deliveries::Column::NextAttemptAt,
            Expr::value(Some(now)),
        )
        .filter(webhook_deliveries::Column::Id.eq(delivery_id))
        .exec(db)
        .await?;
    audit::record(
        db,
        admin,
        "webhook.resent",
        None,
        json!({ "delivery_id": delivery_id, "webhook_id": row.webhook_id, "message_id": row.event_id }),
        now,
    )
    .await?;
    let row = webhook_deliveries::Entity::find_by_id(delivery_id)
        .one(db)
        .await?
        .ok_or(ApiError::NotFound("delivery"))?;
    Ok(delivery_view(row))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_http_and_https_urls_with_a_host_are_accepted() {
        for good in [
            "https://ats.example.org/hooks",
            "http://127.0.0.1:9000/in?x=1",
        ] {
            assert!(checked_url(good).is_ok(), "{good}");
        }
        for bad in [
            "ftp://ats.example.org/",
            "file:///etc/passwd",
            "https://",
            "https://user:pw@ats.example.org/",
            "javascript:alert(1)",
            "https://ats.example.org/a b",
        ] {
            assert!(checked_url(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn a_secret_is_prefixed_and_holds_32_random_bytes() {
        let secret = new_secret();
        let key = secret.strip_prefix(SECRET_PREFIX).expect("prefix");
        assert_eq!(STANDARD.decode(key).expect("base64").len(), 32);
        assert_ne!(secret, new_secret());
    }
}
