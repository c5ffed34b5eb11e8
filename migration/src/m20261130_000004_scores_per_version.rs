//! A score belongs to the essay version that was read. A candidate who replaced a scored essay
//! (allowed until their own deadline) left the score attached to text nobody had read.
//! Scores from before this migration have no version and keep counting as they did.
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Scores {
    Table,
    VersionId,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Scores::Table)
                    .add_column(ColumnDef::new(Scores::VersionId).string_len(36).null())
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Scores::Table)
                    .drop_column(Scores::VersionId)
                    .to_owned(),
            )
            .await
    }
}
