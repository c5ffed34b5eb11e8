//! A staff sign-in through the organisation's OpenID provider, between the redirect to the
//! provider and its callback.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "oidc_sign_ins")]
pub struct Model {
    /// SHA-256 of the `state` parameter (hex); the state itself is only in the browser.
    #[sea_orm(primary_key, auto_increment = false)]
    pub state_digest: String,
    pub nonce: String,
    pub pkce_verifier: String,
    /// The same-origin path to return to.
    pub next_path: String,
    pub created_at: DateTimeUtc,
    pub expires_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
