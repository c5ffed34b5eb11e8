//! Personal data kept only as long as allowed: each vacancy's retention period and the record of
//! its purge (counts only), and candidates' erasure requests that wait for an assessment to end.
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum VacancyRetention {
    Table,
    VacancyId,
    RetentionMonths,
    PurgedAt,
    Counts,
}

#[derive(DeriveIden)]
enum ErasureRequests {
    Table,
    AccountId,
    RequestedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(VacancyRetention::Table)
                    .if_not_exists()
                    .col(
                        ColumnDef::new(VacancyRetention::VacancyId)
                            .string_len(36)
                            .not_null()
                            .primary_key(),
                    )
                    // Null: the configured default (`retention_months`).
                    .col(
                        ColumnDef::new(VacancyRetention::RetentionMonths)
                            .integer()
                            .null(),
                    )
                    .col(
                        ColumnDef::new(VacancyRetention::PurgedAt)
                            .timestamp_with_time_zone()
                            .null(),
                    )
                    // What the purge removed, as counts: all that is kept of the applications.
                    .col(ColumnDef::new(VacancyRetention::Counts).text().null())
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(ErasureRequests::Table)
                    .if_not_exists()
                    .col(
                        ColumnDef::new(ErasureRequests::AccountId)
                            .string_len(36)
                            .not_null()
                            .primary_key(),
                    )
                    .col(
                        ColumnDef::new(ErasureRequests::RequestedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(ErasureRequests::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(VacancyRetention::Table).to_owned())
            .await
    }
}
