//! The file name of each upload attempt, so that a candidate finds a refused attempt again, with
//! its checklist, under the document it was for (the page used to lose it on reload or on a
//! change of language). Nullable: attempts recorded before this migration have no name.
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum UploadAttempts {
    Table,
    OriginalFilename,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(UploadAttempts::Table)
                    .add_column(
                        ColumnDef::new(UploadAttempts::OriginalFilename)
                            .string()
                            .null(),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(UploadAttempts::Table)
                    .drop_column(UploadAttempts::OriginalFilename)
                    .to_owned(),
            )
            .await
    }
}
