//! Slowing down guessing and flooding: failed logins, and costly requests (registrations, reset
//! mails, reset confirmations), are counted per key, with waits that grow once a key has too many.

use chrono::{DateTime, Duration, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ConnectionTrait, DatabaseConnection, EntityTrait,
    QuerySelect,
};

use entity::login_throttles;

use crate::error::ApiError;
use crate::service::audit::Actor;

/// Failed logins for one email from one client address before that pair is slowed down, and
/// failed logins from one address (across emails) before the address is.
pub const ACCOUNT_FAILURE_THRESHOLD: i32 = 5;
pub const ADDRESS_FAILURE_THRESHOLD: i32 = 30;
const FIRST_LOCK_SECONDS: i64 = 30;
const LONGEST_LOCK_SECONDS: i64 = 15 * 60;

fn lock_seconds(failures: i32, threshold: i32) -> Option<i64> {
    if failures < threshold {
        return None;
    }
    let doublings = (failures - threshold).min(20) as u32;
    Some((FIRST_LOCK_SECONDS << doublings).min(LONGEST_LOCK_SECONDS))
}

pub(super) async fn locked_for(
    db: &impl ConnectionTrait,
    key: &str,
    now: DateTime<Utc>,
) -> Result<Option<u64>, ApiError> {
    let row = login_throttles::Entity::find_by_id(key.to_owned())
        .one(db)
        .await?;
    Ok(row
        .and_then(|r| r.locked_until)
        .filter(|until| *until > now)
        .map(|until| (until - now).num_seconds().max(1) as u64))
}

/// Counts a failure; returns whether this failure locked the key.
pub(super) async fn count_failure(
    db: &impl ConnectionTrait,
    key: &str,
    threshold: i32,
    now: DateTime<Utc>,
) -> Result<bool, ApiError> {
    // Concurrent counts of one key (candidates registering from one address at once) must
    // neither collide on the insert nor lose an increment: on PostgreSQL two transactions both
    // found no row and the second insert failed with a duplicate key (a 500). So the row is made
    // to exist without conflict first, then read under a row lock (SQLite's single writer
    // already orders these transactions; it has no row locks).
    let placeholder = login_throttles::ActiveModel {
        key: Set(key.to_owned()),
        failures: Set(0),
        last_failure_at: Set(now),
        locked_until: Set(None),
    };
    login_throttles::Entity::insert(placeholder)
        .on_conflict_do_nothing_on([login_throttles::Column::Key])
        .exec(db)
        .await?;
    let mut select = login_throttles::Entity::find_by_id(key.to_owned());
    if db.get_database_backend() == sea_orm::DatabaseBackend::Postgres {
        select = select.lock_exclusive();
    }
    let existing = select.one(db).await?;
    // Failures older than the longest lock are forgotten: the count is of a recent run.
    let previous = existing
        .as_ref()
        .filter(|r| now - r.last_failure_at < Duration::seconds(LONGEST_LOCK_SECONDS * 4))
        .map_or(0, |r| r.failures);
    let failures = previous + 1;
    let locked_until = lock_seconds(failures, threshold).map(|s| now + Duration::seconds(s));
    let model = login_throttles::ActiveModel {
        key: Set(key.to_owned()),
        failures: Set(failures),
        last_failure_at: Set(now),
        locked_until: Set(locked_until),
    };
    model.update(db).await?;
    Ok(locked_until.is_some())
}

/// Counts one use of `key`; refuses (429) once `threshold` uses in a recent run are spent, with
/// growing waits as for failed logins.
pub(super) async fn rate_limit(
    db: &DatabaseConnection,
    key: &str,
    threshold: i32,
    now: DateTime<Utc>,
) -> Result<(), ApiError> {
    if let Some(retry_after_seconds) = locked_for(db, key, now).await? {
        return Err(ApiError::TooManyAttempts {
            retry_after_seconds,
        });
    }
    let txn = crate::database::begin_write(db).await?;
    count_failure(&txn, key, threshold, now).await?;
    txn.commit().await?;
    Ok(())
}

pub(super) fn address_of(actor: &Actor) -> &str {
    actor.client_ip.as_deref().unwrap_or("unknown")
}

/// The throttle key of one email tried from one address. Guesses against an account slow down
/// the guesser's address only: the owner, coming from elsewhere, is never locked out by them.
pub(super) fn pair_key(email: &str, address: &str) -> String {
    format!("pair:{}|{address}", email.trim().to_lowercase())
}
