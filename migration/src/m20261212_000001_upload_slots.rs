//! Uploads in flight per candidate, held where every instance sees them. With several instances
//! on one PostgreSQL database, a per-process count let a candidate have the limit in flight on
//! each instance (second adversarial review, finding 13). Each row is a lease on one of the
//! candidate's slots: given back when the upload ends, and taken over once it expires, so that an
//! instance that died holding one does not keep it for ever.
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum UploadSlots {
    Table,
    AccountId,
    Slot,
    Holder,
    ExpiresAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(UploadSlots::Table)
                    .col(ColumnDef::new(UploadSlots::AccountId).string().not_null())
                    .col(ColumnDef::new(UploadSlots::Slot).integer().not_null())
                    .col(ColumnDef::new(UploadSlots::Holder).string().not_null())
                    .col(
                        ColumnDef::new(UploadSlots::ExpiresAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .primary_key(
                        Index::create()
                            .col(UploadSlots::AccountId)
                            .col(UploadSlots::Slot),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(UploadSlots::Table).to_owned())
            .await
    }
}
