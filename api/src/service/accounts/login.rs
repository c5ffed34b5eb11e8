//! Logging in and out. A login rotates the session; failures count towards the throttle.

use chrono::{DateTime, Utc};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, DatabaseConnection};
use serde_json::json;

use entity::accounts;

use super::throttle::{
    self, address_of, pair_key, Counted, ACCOUNT_FAILURE_THRESHOLD, ADDRESS_FAILURE_THRESHOLD,
};
use super::{find_by_email, AccountView};
use crate::configuration::Settings;
use crate::domain::{EmailAddress, Role};
use crate::error::ApiError;
use crate::service::audit::{self, Actor};
use crate::service::passwords::{self, Verification};
use crate::service::sessions::{self, NewSession};
use crate::service::tokens::digest;

pub struct LoggedIn {
    pub account: AccountView,
    pub session: NewSession,
}

/// Logs in. Unknown emails, wrong passwords and disabled accounts give the same answer and take
/// the same time (a dummy hash is checked), so the response never tells whether an email is registered.
pub async fn login(
    db: &DatabaseConnection,
    settings: &Settings,
    email_input: &str,
    password: &str,
    previous_session: Option<&str>,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<LoggedIn, ApiError> {
    let email_key = pair_key(email_input, address_of(actor));
    let address_key = format!("address:{}", address_of(actor));
    let reserved = reserve(db, &email_key, &address_key, now).await?;
    let account = match EmailAddress::parse(email_input) {
        Ok(email) => find_by_email(db, email.as_str()).await?,
        Err(_) => None,
    };
    let stored = account.as_ref().and_then(|a| a.password_hash.clone());
    let verification = passwords::verify_login(password.to_owned(), stored).await?;
    let usable = account.as_ref().filter(|a| !a.disabled);
    match (usable, verification) {
        (Some(account), Verification::Right | Verification::RightNeedsRehash) => {
            if !settings.staff_password_login && account.role != Role::Candidate.as_str() {
                // Said only to someone who knows the password: the account's role stays private.
                return Err(ApiError::Rejected {
                    problem_type: "password-login-off",
                    status: actix_web::http::StatusCode::FORBIDDEN,
                    detail: "assessors and administrators sign in with their organisation account"
                        .to_owned(),
                    extensions: serde_json::Map::from_iter([(
                        "sign_in".to_owned(),
                        json!("/auth/oidc/login"),
                    )]),
                });
            }
            let txn = crate::database::begin_write(db).await?;
            throttle::clear(&txn, &email_key).await?;
            throttle::released(
                &txn,
                &address_key,
                ADDRESS_FAILURE_THRESHOLD,
                reserved.address,
            )
            .await?;
            if verification == Verification::RightNeedsRehash {
                let mut active: accounts::ActiveModel = account.clone().into();
                active.password_hash = Set(Some(passwords::hash(password.to_owned()).await?));
                active.update(&txn).await?;
            }
            // Rotation: the session the browser had before logging in never becomes authenticated.
            if let Some(previous) = previous_session {
                sessions::revoke(&txn, &digest(previous), now).await?;
            }
            let session = sessions::create(&txn, &account.id, settings, now).await?;
            let actor = Actor {
                account_id: Some(account.id.clone()),
                ..actor.clone()
            };
            audit::record(
                &txn,
                &actor,
                "login.success",
                Some(&account.email),
                json!({}),
                now,
            )
            .await?;
            txn.commit().await?;
            Ok(LoggedIn {
                account: account.clone().into(),
                session,
            })
        }
        _ => {
            let keys = (email_key.as_str(), address_key.as_str());
            count_failed_login(db, email_input, keys, reserved, actor, now).await?;
            Err(ApiError::Unauthenticated)
        }
    }
}

/// The login attempt as counted against the email (from this address) and against the address.
struct Reserved {
    email: Counted,
    address: Counted,
}

/// Counts the attempt against both keys before the password is checked, so that of a burst of
/// guesses only as many as the threshold allows are checked. Both or neither: an attempt refused
/// for one key is not counted against the other.
async fn reserve(
    db: &DatabaseConnection,
    email_key: &str,
    address_key: &str,
    now: DateTime<Utc>,
) -> Result<Reserved, ApiError> {
    let txn = crate::database::begin_write(db).await?;
    // The email's key first, in every transaction that writes both: PostgreSQL's row locks are
    // then always taken in one order, which cannot deadlock.
    let counted = async {
        let email = throttle::reserve(&txn, email_key, ACCOUNT_FAILURE_THRESHOLD, now).await?;
        let address = throttle::reserve(&txn, address_key, ADDRESS_FAILURE_THRESHOLD, now).await?;
        Ok(Reserved { email, address })
    }
    .await;
    match counted {
        Ok(_) => txn.commit().await?,
        // A refusal is the common end of a burst: give SQLite's write lock back at once.
        Err(_) => txn.rollback().await?,
    }
    counted
}

/// Confirms the failed login against the email (from this address) and against the address,
/// and audits it, with a lockout entry when it locked either.
async fn count_failed_login(
    db: &DatabaseConnection,
    email_input: &str,
    (email_key, address_key): (&str, &str),
    reserved: Reserved,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<(), ApiError> {
    let txn = crate::database::begin_write(db).await?;
    throttle::failed(&txn, email_key, now).await?;
    throttle::failed(&txn, address_key, now).await?;
    let (account_locked, address_locked) = (reserved.email.locked, reserved.address.locked);
    let subject = email_input.trim().to_lowercase();
    audit::record(&txn, actor, "login.failure", Some(&subject), json!({}), now).await?;
    if account_locked || address_locked {
        audit::record(
            &txn,
            actor,
            "login.lockout",
            Some(&subject),
            json!({ "email_locked": account_locked, "address_locked": address_locked }),
            now,
        )
        .await?;
    }
    txn.commit().await?;
    Ok(())
}

pub async fn logout(
    db: &DatabaseConnection,
    session_id: &str,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<(), ApiError> {
    let txn = crate::database::begin_write(db).await?;
    sessions::revoke(&txn, session_id, now).await?;
    audit::record(
        &txn,
        actor,
        "session.revoked",
        None,
        json!({ "reason": "logout" }),
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(())
}
