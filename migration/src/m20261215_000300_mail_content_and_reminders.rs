//! Mail as content: the outbox says what each message is for in a column (it was guessed from the
//! subject and body, which broke as soon as a template's wording changed), accounts keep the
//! language their mail is written in, and reminders to candidates with incomplete applications
//! are recorded so that each one is sent once across instances.
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Outbox {
    Table,
    Kind,
}

#[derive(DeriveIden)]
enum Accounts {
    Table,
    Language,
}

#[derive(DeriveIden)]
enum Vacancies {
    Table,
    ReminderHours,
}

#[derive(DeriveIden)]
enum Applications {
    Table,
    RemindersStoppedAt,
}

#[derive(DeriveIden)]
enum RemindersSent {
    Table,
    ApplicationId,
    OffsetHours,
    SentAt,
}

/// The old guess (`outbox::kind_of`), applied once to the rows written before the column
/// existed. Delivered bodies had their token replaced by `[hidden]`, which these patterns keep.
const BACKFILL: [&str; 4] = [
    "UPDATE outbox SET kind = 'invitation' WHERE body LIKE '%&invite=1%'",
    "UPDATE outbox SET kind = 'password_reset' WHERE kind = 'other' AND body LIKE '%/reset?token=%'",
    "UPDATE outbox SET kind = 'extension' WHERE kind = 'other' AND subject LIKE 'Extension%'",
    "UPDATE outbox SET kind = 'receipt' WHERE kind = 'other' AND subject LIKE 'Receipt%'",
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite adds one at a time.
        manager
            .alter_table(
                Table::alter()
                    .table(Outbox::Table)
                    .add_column(
                        ColumnDef::new(Outbox::Kind)
                            .string_len(32)
                            .not_null()
                            .default("other"),
                    )
                    .to_owned(),
            )
            .await?;
        let db = manager.get_connection();
        for statement in BACKFILL {
            db.execute_unprepared(statement).await?;
        }
        // Accounts made before anyone chose: English, the language mail went out in first.
        manager
            .alter_table(
                Table::alter()
                    .table(Accounts::Table)
                    .add_column(
                        ColumnDef::new(Accounts::Language)
                            .string_len(2)
                            .not_null()
                            .default("en"),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Vacancies::Table)
                    .add_column(
                        ColumnDef::new(Vacancies::ReminderHours)
                            .text()
                            .not_null()
                            .default("[72,24]"),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Applications::Table)
                    .add_column(
                        ColumnDef::new(Applications::RemindersStoppedAt)
                            .timestamp_with_time_zone()
                            .null(),
                    )
                    .to_owned(),
            )
            .await?;
        // The primary key is the "at most once": a second instance deciding the same reminder
        // fails on it, and its transaction (with the outbox message) is undone.
        manager
            .create_table(
                Table::create()
                    .table(RemindersSent::Table)
                    .col(
                        ColumnDef::new(RemindersSent::ApplicationId)
                            .string()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(RemindersSent::OffsetHours)
                            .integer()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(RemindersSent::SentAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .primary_key(
                        Index::create()
                            .col(RemindersSent::ApplicationId)
                            .col(RemindersSent::OffsetHours),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(RemindersSent::Table).to_owned())
            .await?;
        let drops: [(DynIden, DynIden); 4] = [
            (
                Applications::Table.into_iden(),
                Applications::RemindersStoppedAt.into_iden(),
            ),
            (
                Vacancies::Table.into_iden(),
                Vacancies::ReminderHours.into_iden(),
            ),
            (Accounts::Table.into_iden(), Accounts::Language.into_iden()),
            (Outbox::Table.into_iden(), Outbox::Kind.into_iden()),
        ];
        for (table, column) in drops {
            manager
                .alter_table(Table::alter().table(table).drop_column(column).to_owned())
                .await?;
        }
        Ok(())
    }
}
