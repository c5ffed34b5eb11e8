//! Accounts: registration, login with throttling, password changes and resets, invitations,
//! roles. Every security event goes to the audit log.

use std::process::ExitCode;

use chrono::{DateTime, Duration, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection,
    EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
};
use serde::Serialize;
use serde_json::json;
use utoipa::ToSchema;

use entity::{accounts, login_throttles, one_time_tokens};

use crate::configuration::Settings;
use crate::domain::{EmailAddress, FullName, Nationality, Password, Role};
use crate::error::ApiError;
use crate::service::audit::{self, Actor};
use crate::service::outbox;
use crate::service::passwords::{self, Verification};
use crate::service::sessions::{self, NewSession};
use crate::service::tokens::{digest, random_token};

/// Failed logins for one email from one client address before that pair is slowed down, and
/// failed logins from one address (across emails) before the address is.
pub const ACCOUNT_FAILURE_THRESHOLD: i32 = 5;
pub const ADDRESS_FAILURE_THRESHOLD: i32 = 30;
/// Reset requests for one email and from one address, and reset confirmations from one address,
/// before each is slowed down (registrations: `registrations_per_address`). Each costs a password
/// hash or a mail, so each is limited before that work is done.
const RESET_REQUESTS_PER_EMAIL: i32 = 3;
const RESET_REQUESTS_PER_ADDRESS: i32 = 10;
const CONFIRMATIONS_PER_ADDRESS: i32 = 10;
/// A reset request is answered no sooner than this, whether or not the email has an account,
/// so that the time taken does not tell.
const RESET_ANSWER_FLOOR: std::time::Duration = std::time::Duration::from_millis(250);
const FIRST_LOCK_SECONDS: i64 = 30;
const LONGEST_LOCK_SECONDS: i64 = 15 * 60;
pub const RESET_TOKEN_MINUTES: i64 = 60;
pub const INVITATION_TOKEN_DAYS: i64 = 7;

/// An account as the API shows it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AccountView {
    pub id: String,
    pub email: String,
    pub full_name: String,
    pub nationality: Option<String>,
    pub role: Role,
    pub disabled: bool,
    pub created_at: DateTime<Utc>,
}

impl From<accounts::Model> for AccountView {
    fn from(model: accounts::Model) -> Self {
        Self {
            role: Role::parse(&model.role).unwrap_or(Role::Candidate),
            id: model.id,
            email: model.email,
            full_name: model.full_name,
            nationality: model.nationality,
            disabled: model.disabled,
            created_at: model.created_at,
        }
    }
}

pub struct Registration {
    pub email: EmailAddress,
    pub full_name: FullName,
    pub nationality: Nationality,
    pub password: Password,
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

async fn insert_account(
    db: &impl ConnectionTrait,
    email: &EmailAddress,
    full_name: &FullName,
    nationality: Option<&Nationality>,
    role: Role,
    password_hash: Option<String>,
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
    };
    Ok(model.insert(db).await?)
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

fn lock_seconds(failures: i32, threshold: i32) -> Option<i64> {
    if failures < threshold {
        return None;
    }
    let doublings = (failures - threshold).min(20) as u32;
    Some((FIRST_LOCK_SECONDS << doublings).min(LONGEST_LOCK_SECONDS))
}

async fn locked_for(
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
async fn count_failure(
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
async fn rate_limit(
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

fn address_of(actor: &Actor) -> &str {
    actor.client_ip.as_deref().unwrap_or("unknown")
}

/// The throttle key of one email tried from one address. Guesses against an account slow down
/// the guesser's address only: the owner, coming from elsewhere, is never locked out by them.
fn pair_key(email: &str, address: &str) -> String {
    format!("pair:{}|{address}", email.trim().to_lowercase())
}

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
    for key in [&email_key, &address_key] {
        if let Some(retry_after_seconds) = locked_for(db, key, now).await? {
            return Err(ApiError::TooManyAttempts {
                retry_after_seconds,
            });
        }
    }
    let account = match EmailAddress::parse(email_input) {
        Ok(email) => find_by_email(db, email.as_str()).await?,
        Err(_) => None,
    };
    let stored = account.as_ref().and_then(|a| a.password_hash.clone());
    let verification = passwords::verify_login(password.to_owned(), stored).await?;
    let usable = account.as_ref().filter(|a| !a.disabled);
    match (usable, verification) {
        (Some(account), Verification::Right | Verification::RightNeedsRehash) => {
            let txn = crate::database::begin_write(db).await?;
            login_throttles::Entity::delete_by_id(email_key)
                .exec(&txn)
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
            let txn = crate::database::begin_write(db).await?;
            let account_locked =
                count_failure(&txn, &email_key, ACCOUNT_FAILURE_THRESHOLD, now).await?;
            let address_locked =
                count_failure(&txn, &address_key, ADDRESS_FAILURE_THRESHOLD, now).await?;
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
            Err(ApiError::Unauthenticated)
        }
    }
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
    let verification = passwords::verify(current.to_owned(), account.password_hash.clone()).await?;
    if verification == Verification::Wrong {
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

fn link(settings: &Settings, path: &str) -> String {
    let origin = settings
        .public_origin
        .clone()
        .unwrap_or_else(|| format!("http://{}", settings.bind));
    format!("{}{}", origin.trim_end_matches('/'), path)
}

async fn issue_token(
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
    email_input: &str,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<(), ApiError> {
    let floor = tokio::time::Instant::now() + RESET_ANSWER_FLOOR;
    let outcome = reset_if_known(db, settings, email_input, actor, now).await;
    tokio::time::sleep_until(floor).await;
    outcome
}

async fn reset_if_known(
    db: &DatabaseConnection,
    settings: &Settings,
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
    outbox::enqueue(
        &txn,
        &account.email,
        "Reset your essay-portal password / Réinitialiser votre mot de passe",
        &format!(
            "To choose a new password, open this link within {RESET_TOKEN_MINUTES} minutes:\n{url}\n\n\
             Pour choisir un nouveau mot de passe, ouvrez ce lien dans les {RESET_TOKEN_MINUTES} minutes :\n{url}\n\n\
             If you did not ask for this, ignore this message. / Si vous n'avez rien demandé, ignorez ce message.\n"
        ),
        now,
    )
    .await?;
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

/// An admin invites an assessor or admin: the account exists without a password until the
/// invitee sets one through the emailed link.
pub async fn invite(
    db: &DatabaseConnection,
    settings: &Settings,
    email: EmailAddress,
    full_name: FullName,
    role: Role,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<AccountView, ApiError> {
    let txn = crate::database::begin_write(db).await?;
    let account = insert_account(&txn, &email, &full_name, None, role, None, now).await?;
    let token = issue_token(
        &txn,
        &account.id,
        "invite",
        Duration::days(INVITATION_TOKEN_DAYS),
        now,
    )
    .await?;
    let url = link(settings, &format!("/reset?token={token}&invite=1"));
    outbox::enqueue(
        &txn,
        &account.email,
        "Your essay-portal account / Votre compte essay-portal",
        &format!(
            "An account ({}) was created for you. Choose your password within {INVITATION_TOKEN_DAYS} days:\n{url}\n\n\
             Un compte ({}) a été créé pour vous. Choisissez votre mot de passe dans les {INVITATION_TOKEN_DAYS} jours :\n{url}\n",
            role.as_str(),
            role.as_str()
        ),
        now,
    )
    .await?;
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
    let account =
        insert_account(&txn, email, full_name, nationality, role, Some(hash), now).await?;
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

fn read_password_for_cli() -> std::io::Result<String> {
    use std::io::IsTerminal;
    if std::io::stdin().is_terminal() {
        rpassword::prompt_password("Password (at least 12 characters): ")
    } else {
        let mut line = String::new();
        std::io::stdin().read_line(&mut line)?;
        Ok(line.trim_end_matches(['\r', '\n']).to_owned())
    }
}

/// `essay-portal admin create --email E`: the password comes from standard input or a prompt.
pub async fn cli_create_admin(settings: &Settings, email: &str, name: &str) -> ExitCode {
    let parsed = EmailAddress::parse(email).and_then(|e| FullName::parse(name).map(|n| (e, n)));
    let (email, name) = match parsed {
        Ok(parts) => parts,
        Err(message) => {
            eprintln!("{message}");
            return ExitCode::from(2);
        }
    };
    let password = match read_password_for_cli()
        .map_err(|e| e.to_string())
        .and_then(|p| Password::parse(&p))
    {
        Ok(password) => password,
        Err(message) => {
            eprintln!("{message}");
            return ExitCode::from(2);
        }
    };
    let outcome = async {
        let db = crate::database::connect(settings).await?;
        crate::database::migrate(&db).await?;
        Ok::<_, sea_orm::DbErr>(db)
    }
    .await;
    let db = match outcome {
        Ok(db) => db,
        Err(error) => {
            eprintln!("database: {error}");
            return ExitCode::FAILURE;
        }
    };
    match create_with_password(&db, &email, &name, None, Role::Admin, &password, Utc::now()).await {
        Ok(account) => {
            println!("admin {} created", account.email);
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("{error}");
            ExitCode::FAILURE
        }
    }
}
