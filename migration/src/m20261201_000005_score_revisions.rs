//! Scores keep their history: saving a score again makes a new revision instead of overwriting
//! the old one. `scores` holds each assessor's latest revision (and its number); every revision,
//! the first included, is a row of `score_revisions`. Scores from before this migration become
//! revision 1.
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Scores {
    Table,
    ApplicationId,
    AccountId,
    Marks,
    Comment,
    WeightedMean,
    SubmittedAt,
    VersionId,
    Revision,
}

#[derive(DeriveIden)]
enum ScoreRevisions {
    Table,
    ApplicationId,
    AccountId,
    Revision,
    Marks,
    Comment,
    WeightedMean,
    SubmittedAt,
    VersionId,
}

#[derive(DeriveIden)]
enum Applications {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Accounts {
    Table,
    Id,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Scores::Table)
                    .add_column(
                        ColumnDef::new(Scores::Revision)
                            .integer()
                            .not_null()
                            .default(1),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(ScoreRevisions::Table)
                    .col(
                        ColumnDef::new(ScoreRevisions::ApplicationId)
                            .string_len(36)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(ScoreRevisions::AccountId)
                            .string_len(36)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(ScoreRevisions::Revision)
                            .integer()
                            .not_null(),
                    )
                    .col(ColumnDef::new(ScoreRevisions::Marks).text().not_null())
                    .col(ColumnDef::new(ScoreRevisions::Comment).text().not_null())
                    .col(
                        ColumnDef::new(ScoreRevisions::WeightedMean)
                            .double()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(ScoreRevisions::SubmittedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(ScoreRevisions::VersionId)
                            .string_len(36)
                            .null(),
                    )
                    .primary_key(
                        Index::create()
                            .col(ScoreRevisions::ApplicationId)
                            .col(ScoreRevisions::AccountId)
                            .col(ScoreRevisions::Revision),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(ScoreRevisions::Table, ScoreRevisions::ApplicationId)
                            .to(Applications::Table, Applications::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(ScoreRevisions::Table, ScoreRevisions::AccountId)
                            .to(Accounts::Table, Accounts::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;
        // Every score already given is its own first revision.
        let copy = Query::insert()
            .into_table(ScoreRevisions::Table)
            .columns([
                ScoreRevisions::ApplicationId,
                ScoreRevisions::AccountId,
                ScoreRevisions::Revision,
                ScoreRevisions::Marks,
                ScoreRevisions::Comment,
                ScoreRevisions::WeightedMean,
                ScoreRevisions::SubmittedAt,
                ScoreRevisions::VersionId,
            ])
            .select_from(
                Query::select()
                    .columns([
                        Scores::ApplicationId,
                        Scores::AccountId,
                        Scores::Revision,
                        Scores::Marks,
                        Scores::Comment,
                        Scores::WeightedMean,
                        Scores::SubmittedAt,
                        Scores::VersionId,
                    ])
                    .from(Scores::Table)
                    .to_owned(),
            )
            .map_err(|e| DbErr::Migration(e.to_string()))?
            .to_owned();
        manager.exec_stmt(copy).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(ScoreRevisions::Table).to_owned())
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Scores::Table)
                    .drop_column(Scores::Revision)
                    .to_owned(),
            )
            .await
    }
}
