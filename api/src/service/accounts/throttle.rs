//! Slowing down guessing and flooding: failed logins and password checks, and costly requests
//! (registrations, reset mails, reset confirmations), are counted per key, with waits that grow
//! once a key has too many.
//!
//! An attempt is counted and checked against the key's lock in one statement, before the work it
//! asks for is done. Checking first and counting after let a concurrent burst through whole: every
//! request of it passed the check before any of them was counted (40 of 40 registrations from one
//! address, 100 of 100 password guesses checked). Now the database orders the attempts on the
//! key's row, and once one of them locks the key every later one is refused.

use chrono::{DateTime, Duration, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseBackend, EntityTrait, QueryFilter, Statement, Value,
};

use entity::login_throttles;

use crate::error::ApiError;
use crate::service::audit::Actor;

/// Failed logins for one email from one client address before that pair is slowed down, and
/// failed logins from one address (across emails) before the address is. Also the wrong
/// passwords given for one account to change its password or erase it.
pub const ACCOUNT_FAILURE_THRESHOLD: i32 = 5;
pub const ADDRESS_FAILURE_THRESHOLD: i32 = 30;
const FIRST_LOCK_SECONDS: i64 = 30;
const LONGEST_LOCK_SECONDS: i64 = 15 * 60;
/// Failures older than this are forgotten: the count is of a recent run.
const FORGET_AFTER_SECONDS: i64 = LONGEST_LOCK_SECONDS * 4;

fn lock_seconds(failures: i32, threshold: i32) -> Option<i64> {
    if failures < threshold {
        return None;
    }
    let doublings = (failures - threshold).min(20) as u32;
    Some((FIRST_LOCK_SECONDS << doublings).min(LONGEST_LOCK_SECONDS))
}

/// How an attempt's count is kept once the work it asked for is done.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Counting {
    /// Every use counts, whatever its outcome (a registration, a reset mail).
    Use,
    /// A password check: counted before it runs, then either confirmed as a failure
    /// ([`failed`]) or taken back when the password was right ([`released`], [`clear`]). The
    /// count's time is only moved by a confirmed failure, so that a right password does not keep
    /// earlier failures from being forgotten.
    Check,
}

/// One attempt counted against a key.
#[derive(Debug, Clone, Copy)]
pub(super) struct Counted {
    /// This attempt reached the threshold: the key is locked from now on.
    pub locked: bool,
}

/// `sql` written with `$n` placeholders, for `backend`. SQLite's own numbered form is `?n`.
fn statement(backend: DatabaseBackend, sql: &str, values: Vec<Value>) -> Statement {
    let sql = match backend {
        DatabaseBackend::Sqlite => sql.replace('$', "?"),
        _ => sql.to_owned(),
    };
    Statement::from_sql_and_values(backend, sql, values)
}

/// The lock for the count `count` (an SQL expression): none below the threshold (`$3`), then the
/// growing waits, each one a value bound from `$first_lock` on, so that both databases compare
/// and store timestamps exactly as the entity does.
fn lock_case(count: &str, first_lock: usize, steps: usize) -> String {
    let mut sql = format!("CASE WHEN {count} < $3 THEN NULL ELSE CASE {count} - $3");
    for step in 0..steps - 1 {
        sql.push_str(&format!(" WHEN {step} THEN ${}", first_lock + step));
    }
    sql.push_str(&format!(" ELSE ${} END END", first_lock + steps - 1));
    sql
}

/// The upsert that counts one attempt against `key` unless the key is locked, and returns the
/// row it wrote; no row when the key is locked (the update's condition is false, and neither
/// database returns a row it did not write). The count restarts at one when the last failure is
/// older than `cutoff`; the lock is chosen from the new count.
fn count_statement(
    backend: DatabaseBackend,
    key: &str,
    threshold: i32,
    counting: Counting,
    now: DateTime<Utc>,
) -> Statement {
    let cutoff = now - Duration::seconds(FORGET_AFTER_SECONDS);
    let mut values: Vec<Value> = vec![key.into(), now.into(), threshold.into(), cutoff.into()];
    let first_lock = values.len() + 1;
    for doublings in 0.. {
        let seconds =
            lock_seconds(threshold + doublings, threshold).unwrap_or(LONGEST_LOCK_SECONDS);
        values.push((now + Duration::seconds(seconds)).into());
        if seconds >= LONGEST_LOCK_SECONDS {
            break;
        }
    }
    let steps = values.len() + 1 - first_lock;
    let forgotten = "login_throttles.last_failure_at < $4";
    let next = format!("CASE WHEN {forgotten} THEN 1 ELSE login_throttles.failures + 1 END");
    let last_failure_at = match counting {
        Counting::Use => "$2".to_owned(),
        Counting::Check => {
            format!("CASE WHEN {forgotten} THEN $2 ELSE login_throttles.last_failure_at END")
        }
    };
    let sql = format!(
        "INSERT INTO login_throttles (key, failures, last_failure_at, locked_until) \
         VALUES ($1, 1, $2, {first}) \
         ON CONFLICT (key) DO UPDATE SET \
         failures = {next}, last_failure_at = {last_failure_at}, locked_until = {lock} \
         WHERE login_throttles.locked_until IS NULL OR login_throttles.locked_until <= $2 \
         RETURNING failures, locked_until",
        first = lock_case("1", first_lock, steps),
        lock = lock_case(&next, first_lock, steps),
    );
    statement(backend, &sql, values)
}

/// Counts one attempt against `key`, or refuses it (429) while the key is locked.
async fn count(
    db: &impl ConnectionTrait,
    key: &str,
    threshold: i32,
    counting: Counting,
    now: DateTime<Utc>,
) -> Result<Counted, ApiError> {
    let upsert = count_statement(db.get_database_backend(), key, threshold, counting, now);
    match db.query_one_raw(upsert).await? {
        Some(row) => Ok(Counted {
            locked: row
                .try_get::<Option<DateTime<Utc>>>("", "locked_until")?
                .is_some(),
        }),
        None => Err(ApiError::TooManyAttempts {
            retry_after_seconds: retry_after(db, key, now).await?,
        }),
    }
}

/// Seconds until `key` unlocks, for the answer's Retry-After; the refusal itself was decided by
/// the count. Rounded up: a client retrying a moment early would be refused again (PostgreSQL
/// keeps microseconds, so a 30 s lock read back is 29.999999 s). At least one: the lock may have
/// ended in between.
async fn retry_after(
    db: &impl ConnectionTrait,
    key: &str,
    now: DateTime<Utc>,
) -> Result<u64, ApiError> {
    let row = login_throttles::Entity::find_by_id(key.to_owned())
        .one(db)
        .await?;
    let left = row.and_then(|r| r.locked_until).map(|until| until - now);
    let milliseconds = left.map_or(0, |left| left.num_milliseconds().max(0) as u64);
    Ok(milliseconds.div_ceil(1000).max(1))
}

/// Counts one use of `key`; refuses (429) once `threshold` uses in a recent run are spent, with
/// growing waits as for failed logins.
pub(super) async fn rate_limit(
    db: &impl ConnectionTrait,
    key: &str,
    threshold: i32,
    now: DateTime<Utc>,
) -> Result<(), ApiError> {
    count(db, key, threshold, Counting::Use, now).await?;
    Ok(())
}

/// Counts a password check against `key` before it runs; refuses it (429) while the key is
/// locked. The caller then confirms the failure ([`failed`]) or takes the count back.
pub(super) async fn reserve(
    db: &impl ConnectionTrait,
    key: &str,
    threshold: i32,
    now: DateTime<Utc>,
) -> Result<Counted, ApiError> {
    count(db, key, threshold, Counting::Check, now).await
}

/// The reserved check of `key` failed: its count stays, and the run of failures is recent again.
pub(super) async fn failed(
    db: &impl ConnectionTrait,
    key: &str,
    now: DateTime<Utc>,
) -> Result<(), ApiError> {
    login_throttles::Entity::update_many()
        .col_expr(login_throttles::Column::LastFailureAt, Expr::value(now))
        .filter(login_throttles::Column::Key.eq(key))
        .filter(login_throttles::Column::LastFailureAt.lt(now))
        .exec(db)
        .await?;
    Ok(())
}

/// The reserved check of `key` succeeded: its count is taken back, and so is a lock that only
/// it (`reserved`), or attempts that would not have reached the threshold without it, put on the
/// key. The other attempts' failures stay counted.
pub(super) async fn released(
    db: &impl ConnectionTrait,
    key: &str,
    threshold: i32,
    reserved: Counted,
) -> Result<(), ApiError> {
    // While the lock this attempt put on the key holds, no other attempt was counted, so the
    // count is back where it was: under the threshold, or over it with a lock that had ended.
    let sql = "UPDATE login_throttles SET failures = failures - 1, \
               locked_until = CASE WHEN $2 OR failures - 1 < $3 THEN NULL ELSE locked_until END \
               WHERE key = $1 AND failures > 0";
    let values = vec![key.into(), reserved.locked.into(), threshold.into()];
    db.execute_raw(statement(db.get_database_backend(), sql, values))
        .await?;
    Ok(())
}

/// Forgets every failure counted against `key` (the right password was given).
pub(super) async fn clear(db: &impl ConnectionTrait, key: &str) -> Result<(), ApiError> {
    login_throttles::Entity::delete_by_id(key.to_owned())
        .exec(db)
        .await?;
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

/// The throttle key of the password checks of a signed-in account (changing the password,
/// erasing the account): whoever holds its session, a stolen one too, gets few guesses.
pub(super) fn password_key(account_id: &str) -> String {
    format!("password:{account_id}")
}

/// Deletes the throttle rows whose keys name this account's email or id, when the account is
/// erased: a key such as `pair:ana@example.org|203.0.113.9` is personal data too.
pub async fn forget_account(
    db: &impl ConnectionTrait,
    email: &str,
    account_id: &str,
) -> Result<(), sea_orm::DbErr> {
    use sea_orm::sea_query::LikeExpr;
    use sea_orm::Condition;
    let lower = email.trim().to_lowercase();
    // `_` and `%` are common in addresses: escaped, they match only themselves.
    let escaped = lower
        .replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_");
    let pairs = LikeExpr::new(format!("pair:{escaped}|%")).escape('\\');
    login_throttles::Entity::delete_many()
        .filter(
            Condition::any()
                .add(login_throttles::Column::Key.like(pairs))
                .add(login_throttles::Column::Key.eq(format!("reset-email:{email}")))
                .add(login_throttles::Column::Key.eq(format!("reset-email:{lower}")))
                .add(login_throttles::Column::Key.eq(password_key(account_id))),
        )
        .exec(db)
        .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_lock_grows_from_the_threshold_to_the_longest_wait_then_stays() {
        let now = Utc::now();
        let upsert = count_statement(DatabaseBackend::Postgres, "k", 5, Counting::Use, now);
        let values = upsert.values.expect("values").0;
        let locks: Vec<Value> = [30, 60, 120, 240, 480, 900]
            .into_iter()
            .map(|s| (now + Duration::seconds(s)).into())
            .collect();

        assert_eq!(&values[4..], &locks[..]);
        assert!(upsert.sql.contains(
            "CASE WHEN 1 < $3 THEN NULL ELSE CASE 1 - $3 \
             WHEN 0 THEN $5 WHEN 1 THEN $6 WHEN 2 THEN $7 WHEN 3 THEN $8 WHEN 4 THEN $9 ELSE $10 END END"
        ), "{}", upsert.sql);
        assert!(!upsert.sql.contains('?'));
    }

    #[test]
    fn sqlite_gets_its_numbered_placeholders() {
        let upsert = count_statement(DatabaseBackend::Sqlite, "k", 5, Counting::Check, Utc::now());

        assert!(upsert.sql.contains("VALUES (?1, 1, ?2,"), "{}", upsert.sql);
        assert!(!upsert.sql.contains('$'));
    }
}
