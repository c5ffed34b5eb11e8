//! Demo data for `serve --demo`.
use sea_orm::DatabaseConnection;

use crate::configuration::Settings;

pub async fn load_if_empty(
    _db: &DatabaseConnection,
    _settings: &Settings,
) -> Result<(), sea_orm::DbErr> {
    Ok(())
}
