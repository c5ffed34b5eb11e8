//! The dispatcher: every instance runs one. It fans new events out into one delivery per
//! webhook that wants them, then sends what is due. Both steps claim their rows with a
//! conditional UPDATE only one instance can win (as the mail outbox does), so several instances
//! on one database deliver each event once while they are alive; a delivery whose instance died
//! mid-send is taken over once its claim runs out.

use std::time::Duration;

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use chrono::{DateTime, Utc};
use hmac::{Hmac, Mac};
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, EntityTrait,
    QueryFilter, QueryOrder, QuerySelect,
};
use sha2::Sha256;

use entity::{applications, document_versions, webhook_deliveries, webhook_events, webhooks};

use super::events::{self, EventType};
use crate::error::ApiError;
use crate::service::vacancies;

/// Attempts before a delivery is marked failed: with the default back-off (5 s doubling, at
/// most an hour), about half a day.
pub const MAX_ATTEMPTS: i32 = 20;

/// Rows taken per round.
const ROUND: u64 = 50;

/// How long a claimed delivery is left to the instance that claimed it.
const CLAIM_SECONDS: i64 = 120;

/// At most this much of a receiver's answer is read (and a little of it kept as the error).
const ANSWER_LIMIT: usize = 4096;

#[derive(Debug, Clone)]
pub struct DispatcherSettings {
    pub poll: Duration,
    pub timeout: Duration,
    /// The first retry's wait; each later one doubles, up to an hour.
    pub retry_base: Duration,
    /// Links in payloads are made absolute with it.
    pub public_origin: Option<String>,
}

/// `v1,<base64 of HMAC-SHA256("{id}.{timestamp}.{body}")>`, keyed with the base64-decoded part
/// of the secret after `whsec_`, as Standard Webhooks specifies.
pub fn signature(secret: &str, id: &str, timestamp: i64, body: &str) -> Result<String, String> {
    let key = secret
        .strip_prefix(super::webhooks::SECRET_PREFIX)
        .unwrap_or(secret);
    let key = STANDARD
        .decode(key)
        .map_err(|e| format!("the webhook secret is not base64: {e}"))?;
    let mut mac = Hmac::<Sha256>::new_from_slice(&key).map_err(|e| e.to_string())?;
    mac.update(format!("{id}.{timestamp}.").as_bytes());
    mac.update(body.as_bytes());
    Ok(format!(
        "v1,{}",
        STANDARD.encode(mac.finalize().into_bytes())
    ))
}

/// The wait after the `attempts`-th failure: `base`, doubling, at most an hour.
pub fn back_off(base: Duration, attempts: i32) -> chrono::Duration {
    let doublings = (attempts.clamp(1, 20) - 1) as u32;
    let wait = base
        .saturating_mul(1 << doublings)
        .min(Duration::from_secs(3600));
    chrono::Duration::from_std(wait).unwrap_or(chrono::Duration::hours(1))
}

pub fn spawn_dispatcher(
    db: DatabaseConnection,
    settings: DispatcherSettings,
) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        // Redirects are not followed: a receiver cannot send the signed body somewhere the admin
        // did not register.
        let client = match reqwest::Client::builder()
            .timeout(settings.timeout)
            .connect_timeout(settings.timeout)
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(concat!("essay-portal-webhooks/", env!("CARGO_PKG_VERSION")))
            .build()
        {
            Ok(client) => client,
            Err(error) => {
                tracing::error!(%error, "webhook client could not be built; no webhook is sent");
                return;
            }
        };
        let mut pruned_at: Option<std::time::Instant> = None;
        loop {
            if pruned_at.is_none_or(|at| at.elapsed() > Duration::from_secs(3600)) {
                if let Err(error) = prune(&db, Utc::now()).await {
                    tracing::warn!(%error, "old webhook deliveries not pruned; retried in an hour");
                }
                pruned_at = Some(std::time::Instant::now());
            }
            let mut busy = false;
            match fan_out(&db, settings.public_origin.as_deref(), Utc::now()).await {
                Ok(n) => busy |= n as u64 == ROUND,
                Err(error) => tracing::warn!(%error, "webhook fan-out failed"),
            }
            match deliver_due(&db, &client, &settings).await {
                Ok(n) => busy |= n as u64 == ROUND,
                Err(error) => tracing::warn!(%error, "webhook delivery round failed"),
            }
            if !busy {
                tokio::time::sleep(settings.poll).await;
            }
        }
    })
}

/// How long dispatched events and finished deliveries (delivered, or out of attempts) stay
/// listed on the Integrations page.
pub const KEPT_DAYS: i64 = 30;

/// Deletes dispatched events and finished deliveries older than [`KEPT_DAYS`]: they carry
/// application ids, which should not outlive the applications' own retention by much.
pub async fn prune(db: &DatabaseConnection, now: DateTime<Utc>) -> Result<(), ApiError> {
    let before = now - chrono::Duration::days(KEPT_DAYS);
    webhook_deliveries::Entity::delete_many()
        .filter(webhook_deliveries::Column::CreatedAt.lt(before))
        .filter(
            Condition::any()
                .add(webhook_deliveries::Column::DeliveredAt.is_not_null())
                .add(webhook_deliveries::Column::Attempts.gte(MAX_ATTEMPTS)),
        )
        .exec(db)
        .await?;
    webhook_events::Entity::delete_many()
        .filter(webhook_events::Column::CreatedAt.lt(before))
        .filter(webhook_events::Column::DispatchedAt.is_not_null())
        // Kept: they are what makes `application.completed` happen once per application.
        .filter(webhook_events::Column::DedupeKey.is_null())
        .exec(db)
        .await?;
    Ok(())
}

/// Turns events nobody has dispatched into deliveries, one per webhook that wants them. A
/// round's events are claimed in the one transaction that writes their deliveries, so that each
/// is fanned out once and whole, and a deadline rush's thousands of `version.accepted` cost one
/// write transaction per round, not one each. Returns how many events were looked at.
pub async fn fan_out(
    db: &DatabaseConnection,
    public_origin: Option<&str>,
    now: DateTime<Utc>,
) -> Result<usize, ApiError> {
    // Both instances walk the events in the same order, so their claims never wait on each
    // other in a cycle.
    let pending = webhook_events::Entity::find()
        .filter(webhook_events::Column::DispatchedAt.is_null())
        .order_by_asc(webhook_events::Column::CreatedAt)
        .order_by_asc(webhook_events::Column::Id)
        .limit(ROUND)
        .all(db)
        .await?;
    let seen = pending.len();
    if seen == 0 {
        return Ok(0);
    }
    let hooks = webhooks::Entity::find().all(db).await?;
    // Completion is worked out only while somebody listens for it.
    let completion_wanted = hooks
        .iter()
        .any(|h| super::webhooks::wants(&h.events, EventType::ApplicationCompleted.as_str()));
    let txn = crate::database::begin_write(db).await?;
    for event in pending {
        let claimed = webhook_events::Entity::update_many()
            .col_expr(webhook_events::Column::DispatchedAt, Expr::value(Some(now)))
            .filter(webhook_events::Column::Id.eq(event.id.clone()))
            .filter(webhook_events::Column::DispatchedAt.is_null())
            .exec(&txn)
            .await?
            .rows_affected
            == 1;
        if !claimed {
            continue; // another instance fanned it out
        }
        let body = events::body(
            &event.event_type,
            event.created_at,
            &event.data,
            public_origin,
        );
        for hook in hooks
            .iter()
            .filter(|h| super::webhooks::wants(&h.events, &event.event_type))
        {
            webhook_deliveries::Entity::insert(webhook_deliveries::ActiveModel {
                webhook_id: Set(hook.id.clone()),
                event_id: Set(event.id.clone()),
                event_type: Set(event.event_type.clone()),
                body: Set(body.clone()),
                created_at: Set(now),
                attempts: Set(0),
                next_attempt_at: Set(None),
                claimed_until: Set(None),
                delivered_at: Set(None),
                last_attempt_at: Set(None),
                last_status: Set(None),
                last_error: Set(None),
                ..Default::default()
            })
            .on_conflict(
                OnConflict::columns([
                    webhook_deliveries::Column::WebhookId,
                    webhook_deliveries::Column::EventId,
                ])
                .do_nothing()
                .to_owned(),
            )
            .exec_without_returning(&txn)
            .await?;
        }
        if completion_wanted && event.event_type == EventType::VersionAccepted.as_str() {
            completed_application(&txn, &event.data, now).await?;
        }
    }
    txn.commit().await?;
    Ok(seen)
}

/// After a version is accepted: when every document the vacancy asks for now has a current
/// version, the application is complete. Written once per application, whoever sees it first.
async fn completed_application(
    txn: &impl ConnectionTrait,
    data: &str,
    now: DateTime<Utc>,
) -> Result<(), ApiError> {
    let data: serde_json::Value = serde_json::from_str(data).map_err(ApiError::internal)?;
    let Some(application_id) = data["application_id"].as_str() else {
        return Ok(());
    };
    let Some(application) = applications::Entity::find_by_id(application_id.to_owned())
        .one(txn)
        .await?
    else {
        return Ok(());
    };
    if application.status == "withdrawn" {
        return Ok(());
    }
    let vacancy = vacancies::find_by_id(txn, &application.vacancy_id).await?;
    let current: Vec<String> = document_versions::Entity::find()
        .select_only()
        .column(document_versions::Column::DocumentKind)
        .filter(document_versions::Column::ApplicationId.eq(application_id))
        .filter(document_versions::Column::IsCurrent.eq(true))
        .into_tuple()
        .all(txn)
        .await?;
    let complete = !vacancy.rules.documents.is_empty()
        && vacancy
            .rules
            .documents
            .iter()
            .all(|d| current.contains(&d.kind));
    if complete {
        events::emit(
            txn,
            EventType::ApplicationCompleted,
            events::application_data(&vacancy.model.reference, application_id),
            Some(format!("application.completed:{application_id}")),
            now,
        )
        .await?;
    }
    Ok(())
}

/// Sends the deliveries that are due. Returns how many were looked at.
async fn deliver_due(
    db: &DatabaseConnection,
    client: &reqwest::Client,
    settings: &DispatcherSettings,
) -> Result<usize, ApiError> {
    let now = Utc::now();
    let due = webhook_deliveries::Entity::find()
        .filter(webhook_deliveries::Column::DeliveredAt.is_null())
        .filter(webhook_deliveries::Column::Attempts.lt(MAX_ATTEMPTS))
        .filter(
            Condition::any()
                .add(webhook_deliveries::Column::NextAttemptAt.is_null())
                .add(webhook_deliveries::Column::NextAttemptAt.lte(now)),
        )
        .filter(
            Condition::any()
                .add(webhook_deliveries::Column::ClaimedUntil.is_null())
                .add(webhook_deliveries::Column::ClaimedUntil.lt(now)),
        )
        .order_by_asc(webhook_deliveries::Column::Id)
        .limit(ROUND)
        .all(db)
        .await?;
    let seen = due.len();
    for delivery in due {
        let claimed = webhook_deliveries::Entity::update_many()
            .col_expr(
                webhook_deliveries::Column::ClaimedUntil,
                Expr::value(Some(Utc::now() + chrono::Duration::seconds(CLAIM_SECONDS))),
            )
            .filter(webhook_deliveries::Column::Id.eq(delivery.id))
            .filter(webhook_deliveries::Column::DeliveredAt.is_null())
            .filter(
                Condition::any()
                    .add(webhook_deliveries::Column::ClaimedUntil.is_null())
                    .add(webhook_deliveries::Column::ClaimedUntil.lt(now)),
            )
            .exec(db)
            .await?
            .rows_affected
            == 1;
        if !claimed {
            continue; // another instance has it
        }
        let Some(hook) = webhooks::Entity::find_by_id(delivery.webhook_id.clone())
            .one(db)
            .await?
        else {
            // The webhook was removed meanwhile; its deliveries go with it.
            webhook_deliveries::Entity::delete_by_id(delivery.id)
                .exec(db)
                .await?;
            continue;
        };
        let outcome = send(client, &hook, &delivery).await;
        let attempts = delivery.attempts + 1;
        let finished = Utc::now();
        let mut update = webhook_deliveries::Entity::update_many()
            .col_expr(webhook_deliveries::Column::Attempts, Expr::value(attempts))
            .col_expr(
                webhook_deliveries::Column::ClaimedUntil,
                Expr::value(Option::<DateTime<Utc>>::None),
            )
            .col_expr(
                webhook_deliveries::Column::LastAttemptAt,
                Expr::value(Some(finished)),
            )
            .col_expr(
                webhook_deliveries::Column::LastStatus,
                Expr::value(outcome.status),
            );
        if outcome.delivered {
            update = update
                .col_expr(
                    webhook_deliveries::Column::DeliveredAt,
                    Expr::value(Some(finished)),
                )
                .col_expr(
                    webhook_deliveries::Column::LastError,
                    Expr::value(Option::<String>::None),
                );
        } else {
            tracing::warn!(delivery = delivery.id, attempts, error = ?outcome.error, "webhook not delivered; will retry");
            update = update
                .col_expr(
                    webhook_deliveries::Column::LastError,
                    Expr::value(outcome.error),
                )
                .col_expr(
                    webhook_deliveries::Column::NextAttemptAt,
                    Expr::value(Some(finished + back_off(settings.retry_base, attempts))),
                );
        }
        update
            .filter(webhook_deliveries::Column::Id.eq(delivery.id))
            .exec(db)
            .await?;
    }
    Ok(seen)
}

struct Outcome {
    delivered: bool,
    status: Option<i32>,
    error: Option<String>,
}

async fn send(
    client: &reqwest::Client,
    hook: &webhooks::Model,
    delivery: &webhook_deliveries::Model,
) -> Outcome {
    let failed = |error: String| Outcome {
        delivered: false,
        status: None,
        error: Some(error),
    };
    let timestamp = Utc::now().timestamp();
    let signed = match signature(&hook.secret, &delivery.event_id, timestamp, &delivery.body) {
        Ok(signed) => signed,
        Err(error) => return failed(error),
    };
    let response = client
        .post(&hook.url)
        .header("content-type", "application/json")
        .header("webhook-id", &delivery.event_id)
        .header("webhook-timestamp", timestamp.to_string())
        .header("webhook-signature", signed)
        .body(delivery.body.clone())
        .send()
        .await;
    let mut response = match response {
        Ok(response) => response,
        Err(error) => return failed(without_url(error).to_string()),
    };
    let status = response.status();
    // Only the start of the answer is read: a receiver cannot make the portal hold a large body.
    let mut answer = Vec::new();
    while answer.len() < ANSWER_LIMIT {
        match response.chunk().await {
            Ok(Some(chunk)) => answer.extend_from_slice(&chunk),
            _ => break,
        }
    }
    if status.is_success() {
        Outcome {
            delivered: true,
            status: Some(status.as_u16().into()),
            error: None,
        }
    } else {
        let text = String::from_utf8_lossy(&answer[..answer.len().min(300)]).into_owned();
        Outcome {
            delivered: false,
            status: Some(status.as_u16().into()),
            error: Some(format!("HTTP {}: {}", status.as_u16(), text.trim())),
        }
    }
}

/// The error without the URL, which the Integrations page shows beside it anyway.
fn without_url(error: reqwest::Error) -> reqwest::Error {
    error.without_url()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_signature_matches_the_standard_webhooks_example() {
        // The example of the Standard Webhooks specification (and of its reference libraries).
        let signed = signature(
            "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
            "msg_p5jXN8AQM9LWM0D4loKWxJek",
            1614265330,
            r#"{"test": 2432232314}"#,
        );
        assert_eq!(
            signed.as_deref(),
            Ok("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=")
        );
    }

    #[test]
    fn retries_wait_longer_each_time_up_to_an_hour() {
        let base = Duration::from_secs(10);
        let waits: Vec<i64> = (1..=12).map(|n| back_off(base, n).num_seconds()).collect();
        assert_eq!(
            waits,
            [10, 20, 40, 80, 160, 320, 640, 1280, 2560, 3600, 3600, 3600]
        );
    }
}
