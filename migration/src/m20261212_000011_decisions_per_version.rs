//! A decision belongs to the essay version it was made on. A decision stored against the
//! application survived the candidate replacing the essay (allowed during an extension or where
//! the panel reads before the deadline), so the longlist named text nobody had judged.
//!
//! Existing decisions, and scores saved before versions were recorded, are given the version
//! that is current when this runs: that is the text they have been counted for until now (the
//! first document by kind, as the results use it). A decision or score on an application with no
//! current version keeps no version, and counts for no current text.
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Decisions {
    Table,
    VersionId,
}

/// The current version of the row's application, for `UPDATE <table> SET version_id = …`.
fn current_version_of(table: &str) -> String {
    format!(
        "UPDATE {table} SET version_id = (SELECT v.id FROM document_versions v \
         WHERE v.application_id = {table}.application_id AND v.is_current = TRUE \
         ORDER BY v.document_kind LIMIT 1) WHERE version_id IS NULL"
    )
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Decisions::Table)
                    .add_column(ColumnDef::new(Decisions::VersionId).string_len(36).null())
                    .to_owned(),
            )
            .await?;
        let db = manager.get_connection();
        for table in ["decisions", "scores", "score_revisions"] {
            db.execute_unprepared(&current_version_of(table)).await?;
        }
        Ok(())
    }

    /// Drops the decisions' version; the versions given to old scores stay (they name the text
    /// those scores were counted for, which is true either way).
    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Decisions::Table)
                    .drop_column(Decisions::VersionId)
                    .to_owned(),
            )
            .await
    }
}
