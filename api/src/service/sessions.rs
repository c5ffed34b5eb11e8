//! Server-side sessions: revocable, with idle and absolute timeouts.

use chrono::{DateTime, Duration, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
    QuerySelect,
};

use entity::{accounts, sessions};

use crate::configuration::Settings;
use crate::error::ApiError;
use crate::service::tokens::{digest, random_token};

/// A session as handed to the browser: the cookie value and the CSRF token the pages send back.
pub struct NewSession {
    pub cookie_value: String,
    pub csrf_token: String,
}

pub async fn create(
    db: &impl ConnectionTrait,
    account_id: &str,
    settings: &Settings,
    now: DateTime<Utc>,
) -> Result<NewSession, ApiError> {
    let cookie_value = random_token();
    let csrf_token = random_token();
    sessions::Entity::insert(sessions::ActiveModel {
        id: Set(digest(&cookie_value)),
        account_id: Set(account_id.to_owned()),
        csrf_token: Set(csrf_token.clone()),
        created_at: Set(now),
        last_seen_at: Set(now),
        expires_at: Set(now + Duration::hours(settings.session_absolute_hours)),
        revoked_at: Set(None),
    })
    .exec(db)
    .await?;
    Ok(NewSession {
        cookie_value,
        csrf_token,
    })
}

/// The live session and its account for a cookie value, or `None` when it is unknown, revoked,
/// idle too long, past its absolute lifetime, or its account is disabled.
pub async fn lookup(
    db: &sea_orm::DatabaseConnection,
    cookie_value: &str,
    settings: &Settings,
    now: DateTime<Utc>,
) -> Result<Option<(sessions::Model, accounts::Model)>, ApiError> {
    // One query for both: every authenticated request, and each upload of a rush, starts here.
    let account_of_session: sea_orm::RelationDef = sessions::Entity::belongs_to(accounts::Entity)
        .from(sessions::Column::AccountId)
        .to(accounts::Column::Id)
        .into();
    let Some((session, Some(account))) = sessions::Entity::find_by_id(digest(cookie_value))
        .join(sea_orm::JoinType::InnerJoin, account_of_session)
        .select_also(accounts::Entity)
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    let idle_limit = session.last_seen_at + Duration::minutes(settings.session_idle_minutes);
    if session.revoked_at.is_some() || now >= session.expires_at || now >= idle_limit {
        return Ok(None);
    }
    if account.disabled {
        return Ok(None);
    }
    // Writing on every request would turn reads into writes at the deadline rush; a minute's
    // resolution is plenty for an idle timeout measured in tens of minutes.
    if now - session.last_seen_at > Duration::minutes(1) {
        let _turn = crate::database::write_turn(db).await;
        let mut active: sessions::ActiveModel = session.clone().into();
        active.last_seen_at = Set(now);
        active.update(db).await?;
    }
    Ok(Some((session, account)))
}

pub async fn revoke(
    db: &impl ConnectionTrait,
    session_id: &str,
    now: DateTime<Utc>,
) -> Result<(), ApiError> {
    sessions::Entity::update_many()
        .col_expr(
            sessions::Column::RevokedAt,
            sea_orm::sea_query::Expr::value(now),
        )
        .filter(sessions::Column::Id.eq(session_id))
        .exec(db)
        .await?;
    Ok(())
}

/// Ends every session of an account (password change or reset, disabling).
pub async fn revoke_all(
    db: &impl ConnectionTrait,
    account_id: &str,
    now: DateTime<Utc>,
) -> Result<u64, ApiError> {
    let result = sessions::Entity::update_many()
        .col_expr(
            sessions::Column::RevokedAt,
            sea_orm::sea_query::Expr::value(now),
        )
        .filter(sessions::Column::AccountId.eq(account_id))
        .filter(sessions::Column::RevokedAt.is_null())
        .exec(db)
        .await?;
    Ok(result.rows_affected)
}
