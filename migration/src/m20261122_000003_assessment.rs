//! Assessment: panels, rubrics, conflicts of interest, scores and longlist decisions.
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Accounts {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Vacancies {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Applications {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum PanelMembers {
    Table,
    VacancyId,
    AccountId,
    IsChair,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Rubrics {
    Table,
    VacancyId,
    Criteria,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Conflicts {
    Table,
    ApplicationId,
    AccountId,
    Reason,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Scores {
    Table,
    ApplicationId,
    AccountId,
    Marks,
    Comment,
    WeightedMean,
    SubmittedAt,
}

#[derive(DeriveIden)]
enum Decisions {
    Table,
    ApplicationId,
    Decision,
    DecidedBy,
    Note,
    DecidedAt,
}

fn fk(
    from: (impl IntoIden, impl IntoIden),
    to: (impl IntoIden, impl IntoIden),
) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .from(from.0, from.1)
        .to(to.0, to.1)
        .on_delete(ForeignKeyAction::Restrict)
        .to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(PanelMembers::Table)
                    .col(
                        ColumnDef::new(PanelMembers::VacancyId)
                            .string_len(36)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(PanelMembers::AccountId)
                            .string_len(36)
                            .not_null(),
                    )
                    .col(ColumnDef::new(PanelMembers::IsChair).boolean().not_null())
                    .col(
                        ColumnDef::new(PanelMembers::CreatedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .primary_key(
                        Index::create()
                            .col(PanelMembers::VacancyId)
                            .col(PanelMembers::AccountId),
                    )
                    .foreign_key(&mut fk(
                        (PanelMembers::Table, PanelMembers::VacancyId),
                        (Vacancies::Table, Vacancies::Id),
                    ))
                    .foreign_key(&mut fk(
                        (PanelMembers::Table, PanelMembers::AccountId),
                        (Accounts::Table, Accounts::Id),
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Rubrics::Table)
                    .col(
                        ColumnDef::new(Rubrics::VacancyId)
                            .string_len(36)
                            .not_null()
                            .primary_key(),
                    )
                    .col(ColumnDef::new(Rubrics::Criteria).text().not_null())
                    .col(
                        ColumnDef::new(Rubrics::UpdatedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .foreign_key(&mut fk(
                        (Rubrics::Table, Rubrics::VacancyId),
                        (Vacancies::Table, Vacancies::Id),
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Conflicts::Table)
                    .col(
                        ColumnDef::new(Conflicts::ApplicationId)
                            .string_len(36)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(Conflicts::AccountId)
                            .string_len(36)
                            .not_null(),
                    )
                    .col(ColumnDef::new(Conflicts::Reason).text().not_null())
                    .col(
                        ColumnDef::new(Conflicts::CreatedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .primary_key(
                        Index::create()
                            .col(Conflicts::ApplicationId)
                            .col(Conflicts::AccountId),
                    )
                    .foreign_key(&mut fk(
                        (Conflicts::Table, Conflicts::ApplicationId),
                        (Applications::Table, Applications::Id),
                    ))
                    .foreign_key(&mut fk(
                        (Conflicts::Table, Conflicts::AccountId),
                        (Accounts::Table, Accounts::Id),
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Scores::Table)
                    .col(
                        ColumnDef::new(Scores::ApplicationId)
                            .string_len(36)
                            .not_null(),
                    )
                    .col(ColumnDef::new(Scores::AccountId).string_len(36).not_null())
                    .col(ColumnDef::new(Scores::Marks).text().not_null())
                    .col(ColumnDef::new(Scores::Comment).text().not_null())
                    .col(ColumnDef::new(Scores::WeightedMean).double().not_null())
                    .col(
                        ColumnDef::new(Scores::SubmittedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .primary_key(
                        Index::create()
                            .col(Scores::ApplicationId)
                            .col(Scores::AccountId),
                    )
                    .foreign_key(&mut fk(
                        (Scores::Table, Scores::ApplicationId),
                        (Applications::Table, Applications::Id),
                    ))
                    .foreign_key(&mut fk(
                        (Scores::Table, Scores::AccountId),
                        (Accounts::Table, Accounts::Id),
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Decisions::Table)
                    .col(
                        ColumnDef::new(Decisions::ApplicationId)
                            .string_len(36)
                            .not_null()
                            .primary_key(),
                    )
                    .col(
                        ColumnDef::new(Decisions::Decision)
                            .string_len(32)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(Decisions::DecidedBy)
                            .string_len(36)
                            .not_null(),
                    )
                    .col(ColumnDef::new(Decisions::Note).text().not_null())
                    .col(
                        ColumnDef::new(Decisions::DecidedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .foreign_key(&mut fk(
                        (Decisions::Table, Decisions::ApplicationId),
                        (Applications::Table, Applications::Id),
                    ))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            Decisions::Table.into_iden(),
            Scores::Table.into_iden(),
            Conflicts::Table.into_iden(),
            Rubrics::Table.into_iden(),
            PanelMembers::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
