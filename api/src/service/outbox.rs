//! Outgoing mail. Mail is written to the outbox table in the same transaction as what caused it;
//! a sender delivers it through SMTP when configured. Without SMTP, admins read it through the API.

use std::time::Duration;

use chrono::{DateTime, Utc};
use lettre::message::Mailbox;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait,
    DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
};
use serde::Serialize;
use utoipa::ToSchema;

use entity::outbox;

use crate::error::ApiError;
pub use crate::service::mail::MailKind;
use crate::service::mail::Rendered;

/// Attempts before a message is marked failed: with [`back_off`], about a day of retries.
const MAX_ATTEMPTS: i32 = 30;

pub async fn enqueue(
    db: &impl ConnectionTrait,
    recipient: &str,
    kind: MailKind,
    mail: &Rendered,
    now: DateTime<Utc>,
) -> Result<(), ApiError> {
    let row = outbox::Entity::insert(message(recipient, kind, mail, now))
        .exec(db)
        .await?;
    // The body may hold a one-time token, so only the envelope is logged.
    tracing::info!(outbox_id = row.last_insert_id, %recipient, kind = kind.as_str(), subject = %mail.subject, "mail queued in the outbox");
    Ok(())
}

/// A message for the outbox, for callers that write it together with other rows.
pub fn message(
    recipient: &str,
    kind: MailKind,
    mail: &Rendered,
    now: DateTime<Utc>,
) -> outbox::ActiveModel {
    outbox::ActiveModel {
        recipient: Set(recipient.to_owned()),
        subject: Set(mail.subject.clone()),
        body: Set(mail.body.clone()),
        kind: Set(kind.as_str().to_owned()),
        created_at: Set(now),
        attempts: Set(0),
        ..Default::default()
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct OutboxMessage {
    pub id: i64,
    /// What the message is for: `invitation`, `password_reset`, `receipt`, `extension`,
    /// `reminder`, or `other` (older rows the migration could not place).
    pub kind: MailKind,
    pub recipient: String,
    pub subject: String,
    pub body: String,
    pub created_at: DateTime<Utc>,
    pub sent_at: Option<DateTime<Utc>>,
    pub attempts: i32,
    /// `sent`, `pending` (waiting or being retried) or `failed` (no more attempts).
    pub status: MailStatus,
    /// The last delivery error, if the last attempt failed.
    pub last_error: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum MailStatus {
    Sent,
    Pending,
    Failed,
}

fn status_of(sent_at: Option<DateTime<Utc>>, attempts: i32) -> MailStatus {
    match sent_at {
        Some(_) => MailStatus::Sent,
        None if attempts >= MAX_ATTEMPTS => MailStatus::Failed,
        None => MailStatus::Pending,
    }
}

/// A body with every one-time token replaced: reset and invitation links carry `token=…`, and a
/// token read by anyone but the recipient is a way into their account.
pub fn without_tokens(body: &str) -> String {
    let mut out = String::with_capacity(body.len());
    let mut rest = body;
    while let Some(at) = rest.find("token=") {
        let (before, after) = rest.split_at(at + "token=".len());
        out.push_str(before);
        out.push_str("[hidden]");
        let end = after
            .find(|c: char| c.is_whitespace() || c == '&' || c == '"' || c == '>')
            .unwrap_or(after.len());
        rest = &after[end..];
    }
    out.push_str(rest);
    out
}

/// The outbox as an admin may read it: no live token in any body, and the reading audited.
pub async fn list_for_admin(
    db: &impl ConnectionTrait,
    admin: &crate::service::audit::Actor,
    limit: u64,
    now: DateTime<Utc>,
) -> Result<Vec<OutboxMessage>, ApiError> {
    let mut messages = list(db, limit).await?;
    for message in &mut messages {
        message.body = without_tokens(&message.body);
    }
    crate::service::audit::record(
        db,
        admin,
        "outbox.read",
        None,
        serde_json::json!({ "messages": messages.len() }),
        now,
    )
    .await?;
    Ok(messages)
}

/// Every message as stored, for delivery (and for tests standing in for a recipient's mailbox).
pub async fn list(db: &impl ConnectionTrait, limit: u64) -> Result<Vec<OutboxMessage>, ApiError> {
    let rows = outbox::Entity::find()
        .order_by_desc(outbox::Column::Id)
        .limit(limit.min(1000))
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .map(|row| OutboxMessage {
            id: row.id,
            kind: MailKind::parse(&row.kind),
            status: status_of(row.sent_at, row.attempts),
            last_error: row.last_error,
            recipient: row.recipient,
            subject: row.subject,
            body: row.body,
            created_at: row.created_at,
            sent_at: row.sent_at,
            attempts: row.attempts,
        })
        .collect())
}

/// Delivers pending mail every few seconds, retrying with the attempt count as back-off.
/// The handle tells `/health/ready` whether the sender still runs.
pub fn spawn_sender(
    db: DatabaseConnection,
    smtp_url: String,
    from: String,
) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let transport = match AsyncSmtpTransport::<Tokio1Executor>::from_url(&smtp_url) {
            Ok(builder) => builder.build(),
            Err(error) => {
                tracing::error!(%error, "SMTP URL is not valid; mail stays in the outbox");
                return;
            }
        };
        let Ok(from) = from.parse::<Mailbox>() else {
            tracing::error!("mail_from is not a valid address; mail stays in the outbox");
            return;
        };
        loop {
            // A full round means more may be due (a deadline rush queues thousands of
            // receipts): go on at once; otherwise wait for new mail.
            match deliver_pending(&db, &transport, &from).await {
                Ok(handled) if handled == ROUND => continue,
                Ok(_) => {}
                Err(error) => tracing::warn!(%error, "outbox delivery round failed"),
            }
            tokio::time::sleep(Duration::from_secs(5)).await;
        }
    })
}

/// Messages taken per round.
const ROUND: usize = 50;

/// How long a claimed message is left to the instance that claimed it: after that (the instance
/// died mid-send), another one may send it.
const CLAIM_SECONDS: i64 = 120;

/// The wait after the `attempts`-th failure: 10 s, doubling, at most an hour, so that
/// [`MAX_ATTEMPTS`] attempts span about a day of an SMTP server being down.
fn back_off(attempts: i32) -> chrono::Duration {
    let doublings = attempts.clamp(1, 20) - 1;
    chrono::Duration::seconds((10_i64 << doublings).min(3600))
}

/// Sends what is due. Each message is claimed first with a conditional UPDATE that only one
/// instance can win (both SQLite and PostgreSQL re-check the WHERE under the row's write lock),
/// so several instances never send the same message twice while all of them are alive.
async fn deliver_pending(
    db: &DatabaseConnection,
    transport: &AsyncSmtpTransport<Tokio1Executor>,
    from: &Mailbox,
) -> Result<usize, ApiError> {
    let now = Utc::now();
    let due = outbox::Entity::find()
        .filter(outbox::Column::SentAt.is_null())
        .filter(outbox::Column::Attempts.lt(MAX_ATTEMPTS))
        .filter(
            Condition::any()
                .add(outbox::Column::NextAttemptAt.is_null())
                .add(outbox::Column::NextAttemptAt.lte(now)),
        )
        .filter(
            Condition::any()
                .add(outbox::Column::ClaimedUntil.is_null())
                .add(outbox::Column::ClaimedUntil.lt(now)),
        )
        .order_by_asc(outbox::Column::Id)
        .limit(ROUND as u64)
        .all(db)
        .await?;
    let handled = due.len();
    for message in due {
        let claimed = outbox::Entity::update_many()
            .col_expr(
                outbox::Column::ClaimedUntil,
                Expr::value(Some(Utc::now() + chrono::Duration::seconds(CLAIM_SECONDS))),
            )
            .filter(outbox::Column::Id.eq(message.id))
            .filter(outbox::Column::SentAt.is_null())
            .filter(
                Condition::any()
                    .add(outbox::Column::ClaimedUntil.is_null())
                    .add(outbox::Column::ClaimedUntil.lt(now)),
            )
            .exec(db)
            .await?
            .rows_affected
            == 1;
        if !claimed {
            continue; // another instance has it
        }
        let email = message
            .recipient
            .parse::<Mailbox>()
            .map_err(|e| e.to_string())
            .and_then(|to| {
                Message::builder()
                    .from(from.clone())
                    .to(to)
                    // The same id on every attempt, so a receiving server can drop a repeat.
                    .message_id(Some(format!(
                        "<outbox-{}-{}@essay-portal>",
                        message.id,
                        message.created_at.timestamp()
                    )))
                    .subject(message.subject.clone())
                    // Without it the body is read as US-ASCII and every French accent breaks.
                    .header(lettre::message::header::ContentType::TEXT_PLAIN)
                    .body(message.body.clone())
                    .map_err(|e| e.to_string())
            });
        let outcome = match email {
            Ok(email) => transport
                .send(email)
                .await
                .map(|_| ())
                .map_err(|e| e.to_string()),
            Err(error) => Err(error),
        };
        let attempts = message.attempts + 1;
        let delivered_body = without_tokens(&message.body);
        let mut row: outbox::ActiveModel = message.into();
        row.attempts = Set(attempts);
        row.claimed_until = Set(None);
        match outcome {
            // Once delivered, the token has no business in the database.
            Ok(()) => {
                row.sent_at = Set(Some(Utc::now()));
                row.body = Set(delivered_body);
            }
            Err(error) => {
                tracing::warn!(outbox_id = ?row.id, attempts, %error, "mail not delivered; will retry");
                row.last_error = Set(Some(error));
                row.next_attempt_at = Set(Some(Utc::now() + back_off(attempts)));
            }
        }
        row.update(db).await?;
    }
    Ok(handled)
}
