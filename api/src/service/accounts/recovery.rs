//! Passwords after registration: changing one, and setting one through an emailed one-time link
//! (a reset, or an invitation, which is redeemed the same way).

use chrono::{DateTime, Duration, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection,
    EntityTrait, QueryFilter,
};
use serde_json::json;

use entity::{accounts, login_throttles, one_time_tokens};

use super::find_by_email;
use super::throttle::{self, address_of, password_key, rate_limit, ACCOUNT_FAILURE_THRESHOLD};
use crate::configuration::Settings;
use crate::domain::{EmailAddress, Password};
use crate::error::ApiError;
use crate::service::audit::{self, Actor};
use crate::service::mail::{self, MailKind, MailTemplates};
use crate::service::outbox;
use crate::service::passwords::{self, Verification};
use crate::service::sessions::{self, NewSession};
use crate::service::tokens::{digest, random_token};

/// Reset requests for one email and from one address, and reset confirmations from one address,
/// before each is slowed down (registrations: `registrations_per_address`). Each costs a password
/// hash or a mail, so each is limited before that work is done.
const RESET_REQUESTS_PER_EMAIL: i32 = 3;
const RESET_REQUESTS_PER_ADDRESS: i32 = 10;
const CONFIRMATIONS_PER_ADDRESS: i32 = 10;
/// A reset request is answered no sooner than this, whether or not the email has an account,
/// so that the time taken does not tell.
const RESET_ANSWER_FLOOR: std::time::Duration = std::time::Duration::from_millis(250);
pub const RESET_TOKEN_MINUTES: i64 = 60;

/// Changes the password, ends every session of the account, and opens a fresh one.
pub async fn change_password(
    db: &DatabaseConnection,
    settings: &Settings,
    account: &accounts::Model,
    current: &str,
    new_password: Password,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<NewSession, ApiError> {
    if !password_is_right(db, account, current, now).await? {
        return Err(ApiError::Validation(
            "the current password is not right".into(),
        ));
    }
    let hash = passwords::hash(new_password.expose().to_owned()).await?;
    let txn = crate::database::begin_write(db).await?;
    let mut active: accounts::ActiveModel = account.clone().into();
    active.password_hash = Set(Some(hash));
    active.password_changed_at = Set(Some(now));
    active.update(&txn).await?;
    let revoked = sessions::revoke_all(&txn, &account.id, now).await?;
    let session = sessions::create(&txn, &account.id, settings, now).await?;
    audit::record(
        &txn,
        actor,
        "password.changed",
        Some(&account.email),
        json!({ "sessions_revoked": revoked }),
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(session)
}

/// Checks the password of a signed-in account before a change only its owner may make. The
/// session alone does not prove it is the owner (it may be stolen), so these checks are
/// throttled per account like logins: counted before they run, forgotten once one is right.
pub async fn password_is_right(
    db: &DatabaseConnection,
    account: &accounts::Model,
    password: &str,
    now: DateTime<Utc>,
) -> Result<bool, ApiError> {
    let key = password_key(&account.id);
    throttle::reserve(db, &key, ACCOUNT_FAILURE_THRESHOLD, now).await?;
    let verification =
        passwords::verify(password.to_owned(), account.password_hash.clone()).await?;
    if verification == Verification::Wrong {
        throttle::failed(db, &key, now).await?;
        return Ok(false);
    }
    throttle::clear(db, &key).await?;
    Ok(true)
}

pub(super) fn link(settings: &Settings, path: &str) -> String {
    let origin = settings
        .public_origin
        .clone()
        .unwrap_or_else(|| format!("http://{}", settings.bind));
    format!("{}{}", origin.trim_end_matches('/'), path)
}

pub(super) async fn issue_token(
    db: &impl ConnectionTrait,
    account_id: &str,
    purpose: &str,
    lifetime: Duration,
    now: DateTime<Utc>,
) -> Result<String, ApiError> {
    let token = random_token();
    one_time_tokens::Entity::insert(one_time_tokens::ActiveModel {
        id: Set(digest(&token)),
        account_id: Set(account_id.to_owned()),
        purpose: Set(purpose.to_owned()),
        created_at: Set(now),
        expires_at: Set(now + lifetime),
        used_at: Set(None),
    })
    .exec(db)
    .await?;
    Ok(token)
}

/// Sends a reset link when the email belongs to an active account; says nothing either way.
pub async fn request_password_reset(
    db: &DatabaseConnection,
    settings: &Settings,
    templates: &MailTemplates,
    email_input: &str,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<(), ApiError> {
    let floor = tokio::time::Instant::now() + RESET_ANSWER_FLOOR;
    let outcome = reset_if_known(db, settings, templates, email_input, actor, now).await;
    tokio::time::sleep_until(floor).await;
    outcome
}

async fn reset_if_known(
    db: &DatabaseConnection,
    settings: &Settings,
    templates: &MailTemplates,
    email_input: &str,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<(), ApiError> {
    rate_limit(
        db,
        &format!("reset-address:{}", address_of(actor)),
        RESET_REQUESTS_PER_ADDRESS,
        now,
    )
    .await?;
    let Ok(email) = EmailAddress::parse(email_input) else {
        return Ok(());
    };
    // Counted for every email, known or not, so the answer is the same either way: a victim's
    // mailbox gets a few messages, not one per request.
    rate_limit(
        db,
        &format!("reset-email:{}", email.as_str()),
        RESET_REQUESTS_PER_EMAIL,
        now,
    )
    .await?;
    let Some(account) = find_by_email(db, email.as_str())
        .await?
        .filter(|a| !a.disabled)
    else {
        return Ok(());
    };
    let txn = crate::database::begin_write(db).await?;
    let token = issue_token(
        &txn,
        &account.id,
        "reset",
        Duration::minutes(RESET_TOKEN_MINUTES),
        now,
    )
    .await?;
    let url = link(settings, &format!("/reset?token={token}"));
    let lang = mail::language_of(&account);
    let reset = templates.compose(
        MailKind::PasswordReset,
        lang,
        &json!({ "minutes": RESET_TOKEN_MINUTES, "url": url }),
    )?;
    outbox::enqueue(&txn, &account.email, MailKind::PasswordReset, &reset, now).await?;
    audit::record(
        &txn,
        actor,
        "password.reset_requested",
        Some(&account.email),
        json!({}),
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// Uses a reset or invitation token once: sets the password and ends every session.
pub async fn redeem_token(
    db: &DatabaseConnection,
    token: &str,
    new_password: Password,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<(), ApiError> {
    let invalid =
        || ApiError::Validation("this link is not valid or has expired; ask for a new one".into());
    // Cheap things first: a flood of made-up tokens is refused without hashing anything.
    rate_limit(
        db,
        &format!("confirm:{}", address_of(actor)),
        CONFIRMATIONS_PER_ADDRESS,
        now,
    )
    .await?;
    one_time_tokens::Entity::find_by_id(digest(token))
        .one(db)
        .await?
        .filter(|t| t.used_at.is_none() && t.expires_at > now)
        .ok_or_else(invalid)?;
    let hash = passwords::hash(new_password.expose().to_owned()).await?;
    let txn = crate::database::begin_write(db).await?;
    let row = one_time_tokens::Entity::find_by_id(digest(token))
        .one(&txn)
        .await?
        .filter(|t| t.used_at.is_none() && t.expires_at > now)
        .ok_or_else(invalid)?;
    // Conditional update: of two concurrent redemptions, only one sees its row change.
    let claimed = one_time_tokens::Entity::update_many()
        .col_expr(
            one_time_tokens::Column::UsedAt,
            sea_orm::sea_query::Expr::value(now),
        )
        .filter(one_time_tokens::Column::Id.eq(row.id.clone()))
        .filter(one_time_tokens::Column::UsedAt.is_null())
        .exec(&txn)
        .await?;
    if claimed.rows_affected != 1 {
        return Err(invalid());
    }
    let account = accounts::Entity::find_by_id(row.account_id.clone())
        .one(&txn)
        .await?
        .filter(|a| !a.disabled)
        .ok_or_else(invalid)?;
    let mut active: accounts::ActiveModel = account.clone().into();
    active.password_hash = Set(Some(hash));
    active.password_changed_at = Set(Some(now));
    active.update(&txn).await?;
    let revoked = sessions::revoke_all(&txn, &account.id, now).await?;
    // A new password ends every slowdown others' guesses put on this account.
    login_throttles::Entity::delete_many()
        .filter(login_throttles::Column::Key.starts_with(format!("pair:{}|", account.email)))
        .exec(&txn)
        .await?;
    throttle::clear(&txn, &password_key(&account.id)).await?;
    let event = if row.purpose == "invite" {
        "invitation.accepted"
    } else {
        "password.reset"
    };
    let actor = Actor {
        account_id: Some(account.id.clone()),
        ..actor.clone()
    };
    audit::record(
        &txn,
        &actor,
        event,
        Some(&account.email),
        json!({ "sessions_revoked": revoked }),
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(())
}
