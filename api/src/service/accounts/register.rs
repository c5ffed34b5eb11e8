//! Candidates register themselves.

use chrono::{DateTime, Utc};
use sea_orm::DatabaseConnection;
use serde_json::json;

use super::throttle::{address_of, rate_limit};
use super::{find_by_email, insert_account, AccountView};
use crate::configuration::Settings;
use crate::domain::{EmailAddress, FullName, Nationality, Password, Role};
use crate::error::ApiError;
use crate::service::audit::{self, Actor};
use crate::service::passwords;
use policy::Lang;

pub struct Registration {
    pub email: EmailAddress,
    pub full_name: FullName,
    pub nationality: Nationality,
    pub password: Password,
    /// The language the registration page was shown in: the language of the account's mail.
    pub language: Lang,
}

/// A candidate registers themselves. A duplicate email is refused with 409: registration cannot
/// avoid saying so without a confirmation round-trip by email, which is listed as a follow-up.
pub async fn register(
    db: &DatabaseConnection,
    settings: &Settings,
    registration: Registration,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<AccountView, ApiError> {
    // Cheap things first: an address registering again and again is stopped before it makes
    // the server hash passwords, and so is an email that is taken.
    rate_limit(
        db,
        &format!("register:{}", address_of(actor)),
        settings.registrations_per_address,
        now,
    )
    .await?;
    if find_by_email(db, registration.email.as_str())
        .await?
        .is_some()
    {
        return Err(ApiError::Conflict(
            "an account with this email already exists; log in or reset your password".into(),
        ));
    }
    let hash = passwords::hash(registration.password.expose().to_owned()).await?;
    let txn = crate::database::begin_write(db).await?;
    let account = insert_account(
        &txn,
        &registration.email,
        &registration.full_name,
        Some(&registration.nationality),
        Role::Candidate,
        Some(hash),
        registration.language,
        now,
    )
    .await?;
    let actor = Actor {
        account_id: Some(account.id.clone()),
        ..actor.clone()
    };
    audit::record(
        &txn,
        &actor,
        "account.registered",
        Some(&account.email),
        json!({}),
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(account.into())
}
