//! What admins do to accounts: invite staff, list accounts, change roles, disable; and creating
//! an account with a known password (the command line, demo data).

use chrono::{DateTime, Duration, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection,
    EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
};
use serde_json::json;

use entity::{accounts, one_time_tokens};

use super::recovery::{issue_token, link};
use super::{insert_account, AccountView};
use crate::configuration::Settings;
use crate::domain::{EmailAddress, FullName, Nationality, Password, Role};
use crate::error::ApiError;
use crate::service::audit::{self, Actor};
use crate::service::mail::{self, MailKind, MailTemplates};
use crate::service::outbox;
use crate::service::passwords;
use crate::service::sessions;
use policy::Lang;

pub const INVITATION_TOKEN_DAYS: i64 = 7;

/// An admin invites an assessor or admin: the account exists without a password until the
/// invitee sets one through the emailed link.
#[allow(clippy::too_many_arguments)]
pub async fn invite(
    db: &DatabaseConnection,
    settings: &Settings,
    templates: &MailTemplates,
    email: EmailAddress,
    full_name: FullName,
    role: Role,
    language: Lang,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<AccountView, ApiError> {
    let txn = crate::database::begin_write(db).await?;
    let account = insert_account(&txn, &email, &full_name, None, role, None, language, now).await?;
    send_invitation(&txn, settings, templates, &account, role, now).await?;
    audit::record(
        &txn,
        actor,
        "account.invited",
        Some(&account.email),
        json!({ "role": role }),
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(account.into())
}

/// Writes a fresh invitation link to the outbox; the invitee chooses a password through it.
async fn send_invitation(
    txn: &impl ConnectionTrait,
    settings: &Settings,
    templates: &MailTemplates,
    account: &accounts::Model,
    role: Role,
    now: DateTime<Utc>,
) -> Result<(), ApiError> {
    let token = issue_token(
        txn,
        &account.id,
        "invite",
        Duration::days(INVITATION_TOKEN_DAYS),
        now,
    )
    .await?;
    let url = link(settings, &format!("/reset?token={token}&invite=1"));
    let lang = mail::language_of(account);
    let invitation = templates.compose(
        MailKind::Invitation,
        lang,
        &json!({
            "role": mail::role_name(role.as_str(), lang),
            "days": INVITATION_TOKEN_DAYS,
            "url": url,
        }),
    )?;
    outbox::enqueue(txn, &account.email, MailKind::Invitation, &invitation, now).await
}

/// Sends an invitation again to an account whose invitee has not chosen a password yet. Earlier
/// invitation links stop working: only the newest one is live.
pub async fn resend_invitation(
    db: &DatabaseConnection,
    settings: &Settings,
    templates: &MailTemplates,
    account_id: &str,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<AccountView, ApiError> {
    let txn = crate::database::begin_write(db).await?;
    let account = accounts::Entity::find_by_id(account_id.to_owned())
        .one(&txn)
        .await?
        .ok_or(ApiError::NotFound("account"))?;
    if account.password_hash.is_some() {
        return Err(ApiError::Conflict(
            "this account already has a password; its owner can reset it from the login page"
                .into(),
        ));
    }
    if account.disabled {
        return Err(ApiError::Conflict(
            "this account is disabled; enable it before inviting again".into(),
        ));
    }
    one_time_tokens::Entity::update_many()
        .col_expr(one_time_tokens::Column::UsedAt, Expr::value(Some(now)))
        .filter(one_time_tokens::Column::AccountId.eq(account.id.clone()))
        .filter(one_time_tokens::Column::Purpose.eq("invite"))
        .filter(one_time_tokens::Column::UsedAt.is_null())
        .exec(&txn)
        .await?;
    let role = Role::parse(&account.role).unwrap_or(Role::Candidate);
    send_invitation(&txn, settings, templates, &account, role, now).await?;
    audit::record(
        &txn,
        actor,
        "account.invitation_resent",
        Some(&account.email),
        json!({ "role": role }),
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(account.into())
}

pub async fn list(db: &DatabaseConnection) -> Result<Vec<AccountView>, ApiError> {
    Ok(accounts::Entity::find()
        .order_by_asc(accounts::Column::Email)
        .all(db)
        .await?
        .into_iter()
        .map(AccountView::from)
        .collect())
}

pub struct AccountChange {
    pub role: Option<Role>,
    pub disabled: Option<bool>,
}

/// Changes a role or disables an account; refuses to leave the service without an active admin.
pub async fn update(
    db: &DatabaseConnection,
    account_id: &str,
    change: AccountChange,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<AccountView, ApiError> {
    let txn = crate::database::begin_write(db).await?;
    let account = accounts::Entity::find_by_id(account_id.to_owned())
        .one(&txn)
        .await?
        .ok_or(ApiError::NotFound("account"))?;
    let was_active_admin = account.role == Role::Admin.as_str() && !account.disabled;
    let role = change
        .role
        .map(Role::as_str)
        .unwrap_or(account.role.as_str())
        .to_owned();
    let disabled = change.disabled.unwrap_or(account.disabled);
    if was_active_admin && (role != Role::Admin.as_str() || disabled) {
        let active_admins = accounts::Entity::find()
            .filter(accounts::Column::Role.eq(Role::Admin.as_str()))
            .filter(accounts::Column::Disabled.eq(false))
            .count(&txn)
            .await?;
        if active_admins <= 1 {
            return Err(ApiError::Conflict(
                "this is the last active admin; make another admin first".into(),
            ));
        }
    }
    let mut active: accounts::ActiveModel = account.clone().into();
    if role != account.role {
        active.role = Set(role.clone());
        audit::record(
            &txn,
            actor,
            "account.role_changed",
            Some(&account.email),
            json!({ "from": account.role, "to": role }),
            now,
        )
        .await?;
    }
    if disabled != account.disabled {
        active.disabled = Set(disabled);
        let event = if disabled {
            "account.disabled"
        } else {
            "account.enabled"
        };
        audit::record(&txn, actor, event, Some(&account.email), json!({}), now).await?;
        if disabled {
            let revoked = sessions::revoke_all(&txn, &account.id, now).await?;
            audit::record(
                &txn,
                actor,
                "session.revoked",
                Some(&account.email),
                json!({ "reason": "account disabled", "count": revoked }),
                now,
            )
            .await?;
        }
    }
    let updated = active.update(&txn).await?;
    txn.commit().await?;
    Ok(updated.into())
}

/// Creates an account with a known password (the CLI, and demo data).
pub async fn create_with_password(
    db: &DatabaseConnection,
    email: &EmailAddress,
    full_name: &FullName,
    nationality: Option<&Nationality>,
    role: Role,
    password: &Password,
    now: DateTime<Utc>,
) -> Result<AccountView, ApiError> {
    let hash = passwords::hash(password.expose().to_owned()).await?;
    let txn = crate::database::begin_write(db).await?;
    let account = insert_account(
        &txn,
        email,
        full_name,
        nationality,
        role,
        Some(hash),
        Lang::En,
        now,
    )
    .await?;
    audit::record(
        &txn,
        &Actor::default(),
        "account.created",
        Some(&account.email),
        json!({ "role": role, "via": "command line" }),
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(account.into())
}
