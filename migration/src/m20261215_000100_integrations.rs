//! Other systems talk to the portal: API tokens (only a hash stored, scoped, expiring,
//! revocable), webhooks with the secret they sign with, the events services write in the same
//! transaction as what caused them, and one delivery per event and webhook, claimed once across
//! instances and retried with a back-off like the mail outbox.
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum ApiTokens {
    Table,
    Id,
    Name,
    TokenHash,
    Scopes,
    CreatedBy,
    CreatedAt,
    ExpiresAt,
    LastUsedAt,
    RevokedAt,
}

#[derive(DeriveIden)]
enum Webhooks {
    Table,
    Id,
    Url,
    Secret,
    Events,
    CreatedBy,
    CreatedAt,
}

#[derive(DeriveIden)]
enum WebhookEvents {
    Table,
    Id,
    EventType,
    Data,
    DedupeKey,
    CreatedAt,
    DispatchedAt,
}

#[derive(DeriveIden)]
enum WebhookDeliveries {
    Table,
    Id,
    WebhookId,
    EventId,
    EventType,
    Body,
    CreatedAt,
    Attempts,
    NextAttemptAt,
    ClaimedUntil,
    DeliveredAt,
    LastAttemptAt,
    LastStatus,
    LastError,
}

fn at(column: impl IntoIden) -> ColumnDef {
    ColumnDef::new(column)
        .timestamp_with_time_zone()
        .not_null()
        .to_owned()
}

fn at_or_null(column: impl IntoIden) -> ColumnDef {
    ColumnDef::new(column)
        .timestamp_with_time_zone()
        .null()
        .to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(ApiTokens::Table)
                    .col(
                        ColumnDef::new(ApiTokens::Id)
                            .string_len(36)
                            .not_null()
                            .primary_key(),
                    )
                    .col(ColumnDef::new(ApiTokens::Name).string_len(200).not_null())
                    .col(
                        ColumnDef::new(ApiTokens::TokenHash)
                            .string_len(64)
                            .not_null()
                            .unique_key(),
                    )
                    .col(ColumnDef::new(ApiTokens::Scopes).text().not_null())
                    .col(ColumnDef::new(ApiTokens::CreatedBy).string_len(36).null())
                    .col(at(ApiTokens::CreatedAt))
                    .col(at_or_null(ApiTokens::ExpiresAt))
                    .col(at_or_null(ApiTokens::LastUsedAt))
                    .col(at_or_null(ApiTokens::RevokedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Webhooks::Table)
                    .col(
                        ColumnDef::new(Webhooks::Id)
                            .string_len(36)
                            .not_null()
                            .primary_key(),
                    )
                    .col(ColumnDef::new(Webhooks::Url).text().not_null())
                    .col(ColumnDef::new(Webhooks::Secret).text().not_null())
                    .col(ColumnDef::new(Webhooks::Events).text().not_null())
                    .col(ColumnDef::new(Webhooks::CreatedBy).string_len(36).null())
                    .col(at(Webhooks::CreatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(WebhookEvents::Table)
                    .col(
                        ColumnDef::new(WebhookEvents::Id)
                            .string_len(40)
                            .not_null()
                            .primary_key(),
                    )
                    .col(
                        ColumnDef::new(WebhookEvents::EventType)
                            .string_len(40)
                            .not_null(),
                    )
                    .col(ColumnDef::new(WebhookEvents::Data).text().not_null())
                    // Events that must happen once (an application completed) carry a key.
                    .col(
                        ColumnDef::new(WebhookEvents::DedupeKey)
                            .string_len(200)
                            .null()
                            .unique_key(),
                    )
                    .col(at(WebhookEvents::CreatedAt))
                    .col(at_or_null(WebhookEvents::DispatchedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_webhook_events_pending")
                    .table(WebhookEvents::Table)
                    .col(WebhookEvents::DispatchedAt)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(WebhookDeliveries::Table)
                    .col(
                        ColumnDef::new(WebhookDeliveries::Id)
                            .big_integer()
                            .not_null()
                            .auto_increment()
                            .primary_key(),
                    )
                    .col(
                        ColumnDef::new(WebhookDeliveries::WebhookId)
                            .string_len(36)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(WebhookDeliveries::EventId)
                            .string_len(40)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(WebhookDeliveries::EventType)
                            .string_len(40)
                            .not_null(),
                    )
                    .col(ColumnDef::new(WebhookDeliveries::Body).text().not_null())
                    .col(at(WebhookDeliveries::CreatedAt))
                    .col(
                        ColumnDef::new(WebhookDeliveries::Attempts)
                            .integer()
                            .not_null()
                            .default(0),
                    )
                    .col(at_or_null(WebhookDeliveries::NextAttemptAt))
                    .col(at_or_null(WebhookDeliveries::ClaimedUntil))
                    .col(at_or_null(WebhookDeliveries::DeliveredAt))
                    .col(at_or_null(WebhookDeliveries::LastAttemptAt))
                    .col(
                        ColumnDef::new(WebhookDeliveries::LastStatus)
                            .integer()
                            .null(),
                    )
                    .col(ColumnDef::new(WebhookDeliveries::LastError).text().null())
                    .to_owned(),
            )
            .await?;
        // One delivery per event and webhook, whichever instance fans the event out.
        manager
            .create_index(
                Index::create()
                    .name("idx_webhook_deliveries_once")
                    .table(WebhookDeliveries::Table)
                    .col(WebhookDeliveries::WebhookId)
                    .col(WebhookDeliveries::EventId)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_webhook_deliveries_pending")
                    .table(WebhookDeliveries::Table)
                    .col(WebhookDeliveries::DeliveredAt)
                    .col(WebhookDeliveries::NextAttemptAt)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            WebhookDeliveries::Table.into_iden(),
            WebhookEvents::Table.into_iden(),
            Webhooks::Table.into_iden(),
            ApiTokens::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
