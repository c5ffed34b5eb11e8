//! Every revision of every score: saving a score again adds a row here, never overwrites one.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "score_revisions")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub application_id: String,
    #[sea_orm(primary_key, auto_increment = false)]
    pub account_id: String,
    /// 1 for the first score, then 2, 3… for each save after it.
    #[sea_orm(primary_key, auto_increment = false)]
    pub revision: i32,
    /// JSON object: criterion id → mark 1..5.
    #[sea_orm(column_type = "Text")]
    pub marks: String,
    #[sea_orm(column_type = "Text")]
    pub comment: String,
    #[sea_orm(column_type = "Double")]
    pub weighted_mean: f64,
    pub submitted_at: DateTimeUtc,
    /// The essay version that was read and scored.
    pub version_id: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
