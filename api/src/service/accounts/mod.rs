//! Accounts: registration, login with throttling, password changes and resets, invitations,
//! roles. Every security event goes to the audit log.

mod admin;
mod login;
mod organisation;
mod recovery;
mod register;
mod throttle;

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
};
use serde::Serialize;
use utoipa::ToSchema;

use entity::accounts;

use crate::domain::{EmailAddress, FullName, Nationality, Role};
use crate::error::ApiError;
use crate::service::audit::{self, Actor};
use crate::service::mail;
use policy::Lang;

pub use admin::{
    create_with_password, invite, list, resend_invitation, update, AccountChange,
    INVITATION_TOKEN_DAYS,
};
pub use login::{login, logout, LoggedIn};
pub use organisation::{audit_refusal, organisation_sign_in};
pub use recovery::{
    change_password, password_is_right, redeem_token, request_password_reset, RESET_TOKEN_MINUTES,
};
pub use register::{register, Registration};

pub use throttle::{forget_account, ACCOUNT_FAILURE_THRESHOLD, ADDRESS_FAILURE_THRESHOLD};

/// An account as the API shows it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AccountView {
    pub id: String,
    pub email: String,
    pub full_name: String,
    pub nationality: Option<String>,
    pub role: Role,
    pub disabled: bool,
    /// The language of the account's mail: `en` or `fr`.
    #[schema(value_type = String)]
    pub language: Lang,
    /// `active`, `disabled`, or `invited` (no password chosen yet).
    pub status: AccountStatus,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum AccountStatus {
    Active,
    Disabled,
    Invited,
}

impl From<accounts::Model> for AccountView {
    fn from(model: accounts::Model) -> Self {
        let status = if model.disabled {
            AccountStatus::Disabled
        } else if model.password_hash.is_none() {
            AccountStatus::Invited
        } else {
            AccountStatus::Active
        };
        Self {
            status,
            role: Role::parse(&model.role).unwrap_or(Role::Candidate),
            language: mail::language_of(&model),
            id: model.id,
            email: model.email,
            full_name: model.full_name,
            nationality: model.nationality,
            disabled: model.disabled,
            created_at: model.created_at,
        }
    }
}

async fn find_by_email(
    db: &impl ConnectionTrait,
    email: &str,
) -> Result<Option<accounts::Model>, ApiError> {
    Ok(accounts::Entity::find()
        .filter(accounts::Column::Email.eq(email))
        .one(db)
        .await?)
}

#[allow(clippy::too_many_arguments)]
async fn insert_account(
    db: &impl ConnectionTrait,
    email: &EmailAddress,
    full_name: &FullName,
    nationality: Option<&Nationality>,
    role: Role,
    password_hash: Option<String>,
    language: Lang,
    now: DateTime<Utc>,
) -> Result<accounts::Model, ApiError> {
    if find_by_email(db, email.as_str()).await?.is_some() {
        return Err(ApiError::Conflict(
            "an account with this email already exists".into(),
        ));
    }
    let model = accounts::ActiveModel {
        id: Set(uuid::Uuid::new_v4().to_string()),
        email: Set(email.as_str().to_owned()),
        full_name: Set(full_name.as_str().to_owned()),
        nationality: Set(nationality.map(|n| n.as_str().to_owned())),
        role: Set(role.as_str().to_owned()),
        password_changed_at: Set(password_hash.as_ref().map(|_| now)),
        password_hash: Set(password_hash),
        disabled: Set(false),
        created_at: Set(now),
        language: Set(mail::lang_code(language).to_owned()),
    };
    Ok(model.insert(db).await?)
}

/// The account's owner chooses the language of their mail (on /account).
pub async fn set_language(
    db: &impl ConnectionTrait,
    account: &accounts::Model,
    language: Lang,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<AccountView, ApiError> {
    let mut model: accounts::ActiveModel = account.clone().into();
    model.language = Set(mail::lang_code(language).to_owned());
    let updated = model.update(db).await?;
    audit::record(
        db,
        actor,
        "account.language_changed",
        Some(&updated.email),
        serde_json::json!({ "language": mail::lang_code(language) }),
        now,
    )
    .await?;
    Ok(updated.into())
}
