//! API tokens: created by an admin and shown once, stored as a SHA-256, scoped, expiring and
//! revocable; every use updates the last-use time and is audited.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
};
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;

use entity::api_tokens;

use super::Scope;
use crate::error::ApiError;
use crate::service::audit::{self, Actor};
use crate::service::tokens::{digest, random_token};

/// Every token starts with it, so that one pasted into a log or a repository is recognised by
/// people and by secret scanners.
pub const TOKEN_PREFIX: &str = "ept_";

#[derive(Debug, Deserialize, ToSchema)]
pub struct NewToken {
    /// What the token is for ("ATS production").
    pub name: String,
    pub scopes: Vec<Scope>,
    /// When the token stops working; `null` for never.
    #[serde(default)]
    pub expires_at: Option<DateTime<Utc>>,
}

/// The answer to creating a token: the only time the token itself is shown.
#[derive(Debug, Serialize, ToSchema)]
pub struct CreatedToken {
    pub id: String,
    pub token: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TokenView {
    pub id: String,
    pub name: String,
    pub scopes: Vec<Scope>,
    pub created_at: DateTime<Utc>,
    pub expires_at: Option<DateTime<Utc>>,
    pub last_used_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
    /// `active`, `expired` or `revoked`.
    pub status: &'static str,
}

/// The system calling with a valid token.
#[derive(Debug, Clone)]
pub struct ApiClient {
    pub token_id: String,
    pub name: String,
    pub scopes: Vec<Scope>,
    /// No account acts: the audit log names the token in the entry's detail.
    pub actor: Actor,
}

fn scopes_of(stored: &str) -> Vec<Scope> {
    serde_json::from_str::<Vec<String>>(stored)
        .unwrap_or_default()
        .iter()
        .filter_map(|s| Scope::parse(s))
        .collect()
}

fn status_of(row: &api_tokens::Model, now: DateTime<Utc>) -> &'static str {
    if row.revoked_at.is_some() {
        "revoked"
    } else if row.expires_at.is_some_and(|at| at <= now) {
        "expired"
    } else {
        "active"
    }
}

pub async fn create(
    db: &impl ConnectionTrait,
    admin: &Actor,
    request: NewToken,
    now: DateTime<Utc>,
) -> Result<CreatedToken, ApiError> {
    let name = request.name.trim();
    if name.is_empty() || name.chars().count() > 200 {
        return Err(ApiError::Validation(
            "give the token a name of 1 to 200 characters".into(),
        ));
    }
    let mut scopes = request.scopes;
    scopes.sort_by_key(|s| s.as_str());
    scopes.dedup();
    if scopes.is_empty() {
        return Err(ApiError::Validation(
            "choose at least one scope for the token".into(),
        ));
    }
    if request.expires_at.is_some_and(|at| at <= now) {
        return Err(ApiError::Validation(
            "the expiry must be in the future".into(),
        ));
    }
    let token = format!("{TOKEN_PREFIX}{}", random_token());
    let id = uuid::Uuid::new_v4().to_string();
    let names: Vec<&str> = scopes.iter().map(|s| s.as_str()).collect();
    api_tokens::Entity::insert(api_tokens::ActiveModel {
        id: Set(id.clone()),
        name: Set(name.to_owned()),
        token_hash: Set(digest(&token)),
        scopes: Set(json!(names).to_string()),
        created_by: Set(admin.account_id.clone()),
        created_at: Set(now),
        expires_at: Set(request.expires_at),
        last_used_at: Set(None),
        revoked_at: Set(None),
    })
    .exec(db)
    .await?;
    audit::record(
        db,
        admin,
        "api_token.created",
        None,
        json!({ "token_id": id, "name": name, "scopes": names, "expires_at": request.expires_at }),
        now,
    )
    .await?;
    Ok(CreatedToken { id, token })
}

pub async fn list(
    db: &impl ConnectionTrait,
    now: DateTime<Utc>,
) -> Result<Vec<TokenView>, ApiError> {
    let rows = api_tokens::Entity::find()
        .order_by_desc(api_tokens::Column::CreatedAt)
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .map(|row| TokenView {
            status: status_of(&row, now),
            scopes: scopes_of(&row.scopes),
            id: row.id,
            name: row.name,
            created_at: row.created_at,
            expires_at: row.expires_at,
            last_used_at: row.last_used_at,
            revoked_at: row.revoked_at,
        })
        .collect())
}

/// Revokes a token at once; revoking one already revoked changes nothing.
pub async fn revoke(
    db: &impl ConnectionTrait,
    admin: &Actor,
    id: &str,
    now: DateTime<Utc>,
) -> Result<(), ApiError> {
    let row = api_tokens::Entity::find_by_id(id.to_owned())
        .one(db)
        .await?
        .ok_or(ApiError::NotFound("token"))?;
    if row.revoked_at.is_some() {
        return Ok(());
    }
    api_tokens::Entity::update_many()
        .col_expr(api_tokens::Column::RevokedAt, Expr::value(Some(now)))
        .filter(api_tokens::Column::Id.eq(id))
        .exec(db)
        .await?;
    audit::record(
        db,
        admin,
        "api_token.revoked",
        None,
        json!({ "token_id": row.id, "name": row.name }),
        now,
    )
    .await?;
    Ok(())
}

/// The client a bearer token stands for, or 401 when it is unknown, expired or revoked. The
/// use is recorded (last-use time, and an audit entry with the method and path) before the
/// route decides whether the token's scopes cover it.
pub async fn authenticate(
    db: &impl ConnectionTrait,
    token: &str,
    method: &str,
    path: &str,
    client_ip: Option<String>,
    now: DateTime<Utc>,
) -> Result<ApiClient, ApiError> {
    if !token.starts_with(TOKEN_PREFIX) {
        return Err(ApiError::Unauthenticated);
    }
    let row = api_tokens::Entity::find()
        .filter(api_tokens::Column::TokenHash.eq(digest(token)))
        .one(db)
        .await?
        .ok_or(ApiError::Unauthenticated)?;
    if status_of(&row, now) != "active" {
        return Err(ApiError::Unauthenticated);
    }
    api_tokens::Entity::update_many()
        .col_expr(api_tokens::Column::LastUsedAt, Expr::value(Some(now)))
        .filter(api_tokens::Column::Id.eq(row.id.clone()))
        .exec(db)
        .await?;
    let actor = Actor {
        account_id: None,
        client_ip,
    };
    audit::record(
        db,
        &actor,
        "api_token.used",
        None,
        json!({ "token_id": row.id, "name": row.name, "method": method, "path": path }),
        now,
    )
    .await?;
    Ok(ApiClient {
        scopes: scopes_of(&row.scopes),
        token_id: row.id,
        name: row.name,
        actor,
    })
}
