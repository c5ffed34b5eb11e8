//! Vacancies with their rules, per-candidate extensions, applications, stored documents
//! (bytes kept in the database, keyed by SHA-256), their versions, and every upload attempt.
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
    Reference,
    TitleEn,
    TitleFr,
    NoticeText,
    KeyChallenges,
    Posts,
    Status,
    OpensAt,
    Rules,
    AssessorsSeeBeforeDeadline,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Extensions {
    Table,
    Id,
    VacancyId,
    AccountId,
    Deadline,
    Reason,
    GrantedBy,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Applications {
    Table,
    Id,
    VacancyId,
    CandidateId,
    Posts,
    Affirmations,
    AnonCode,
    Status,
    CreatedAt,
    WithdrawnAt,
}

#[derive(DeriveIden)]
enum Blobs {
    Table,
    Sha256,
    Size,
    Bytes,
    CreatedAt,
}

#[derive(DeriveIden)]
enum DocumentVersions {
    Table,
    Id,
    ApplicationId,
    DocumentKind,
    Version,
    BlobSha256,
    OriginalFilename,
    SizeBytes,
    Pages,
    Inspection,
    Verdict,
    UploadBeganAt,
    UploadCompletedAt,
    Receipt,
    IdempotencyKey,
    IsCurrent,
}

#[derive(DeriveIden)]
enum UploadAttempts {
    Table,
    Id,
    ApplicationId,
    DocumentKind,
    At,
    Sha256,
    SizeBytes,
    Accepted,
    Verdict,
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
                    .table(Vacancies::Table)
                    .col(
                        ColumnDef::new(Vacancies::Id)
                            .string_len(36)
                            .not_null()
                            .primary_key(),
                    )
                    .col(
                        ColumnDef::new(Vacancies::Reference)
                            .string_len(64)
                            .not_null()
                            .unique_key(),
                    )
                    .col(
                        ColumnDef::new(Vacancies::TitleEn)
                            .string_len(400)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(Vacancies::TitleFr)
                            .string_len(400)
                            .not_null(),
                    )
                    .col(ColumnDef::new(Vacancies::NoticeText).text().not_null())
                    .col(ColumnDef::new(Vacancies::KeyChallenges).text().not_null())
                    .col(ColumnDef::new(Vacancies::Posts).text().not_null())
                    .col(ColumnDef::new(Vacancies::Status).string_len(16).not_null())
                    .col(
                        ColumnDef::new(Vacancies::OpensAt)
                            .timestamp_with_time_zone()
                            .null(),
                    )
                    .col(ColumnDef::new(Vacancies::Rules).text().not_null())
                    .col(
                        ColumnDef::new(Vacancies::AssessorsSeeBeforeDeadline)
                            .boolean()
                            .not_null()
                            .default(false),
                    )
                    .col(
                        ColumnDef::new(Vacancies::CreatedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(Vacancies::UpdatedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Extensions::Table)
                    .col(
                        ColumnDef::new(Extensions::Id)
                            .big_integer()
                            .not_null()
                            .auto_increment()
                            .primary_key(),
                    )
                    .col(
                        ColumnDef::new(Extensions::VacancyId)
                            .string_len(36)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(Extensions::AccountId)
                            .string_len(36)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(Extensions::Deadline)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .col(ColumnDef::new(Extensions::Reason).text().not_null())
                    .col(
                        ColumnDef::new(Extensions::GrantedBy)
                            .string_len(36)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(Extensions::CreatedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .foreign_key(&mut fk(
                        (Extensions::Table, Extensions::VacancyId),
                        (Vacancies::Table, Vacancies::Id),
                    ))
                    .foreign_key(&mut fk(
                        (Extensions::Table, Extensions::AccountId),
                        (Accounts::Table, Accounts::Id),
                    ))
                    .index(
                        Index::create()
                            .unique()
                            .col(Extensions::VacancyId)
                            .col(Extensions::AccountId),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Applications::Table)
                    .col(
                        ColumnDef::new(Applications::Id)
                            .string_len(36)
                            .not_null()
                            .primary_key(),
                    )
                    .col(
                        ColumnDef::new(Applications::VacancyId)
                            .string_len(36)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(Applications::CandidateId)
                            .string_len(36)
                            .not_null(),
                    )
                    .col(ColumnDef::new(Applications::Posts).text().not_null())
                    .col(ColumnDef::new(Applications::Affirmations).text().not_null())
                    .col(
                        ColumnDef::new(Applications::AnonCode)
                            .string_len(16)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(Applications::Status)
                            .string_len(16)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(Applications::CreatedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(Applications::WithdrawnAt)
                            .timestamp_with_time_zone()
                            .null(),
                    )
                    .foreign_key(&mut fk(
                        (Applications::Table, Applications::VacancyId),
                        (Vacancies::Table, Vacancies::Id),
                    ))
                    .foreign_key(&mut fk(
                        (Applications::Table, Applications::CandidateId),
                        (Accounts::Table, Accounts::Id),
                    ))
                    .index(
                        Index::create()
                            .unique()
                            .col(Applications::VacancyId)
                            .col(Applications::CandidateId),
                    )
                    .index(
                        Index::create()
                            .unique()
                            .col(Applications::VacancyId)
                            .col(Applications::AnonCode),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Blobs::Table)
                    .col(
                        ColumnDef::new(Blobs::Sha256)
                            .string_len(64)
                            .not_null()
                            .primary_key(),
                    )
                    .col(ColumnDef::new(Blobs::Size).big_integer().not_null())
                    .col(ColumnDef::new(Blobs::Bytes).blob().not_null())
                    .col(
                        ColumnDef::new(Blobs::CreatedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(DocumentVersions::Table)
                    .col(
                        ColumnDef::new(DocumentVersions::Id)
                            .string_len(36)
                            .not_null()
                            .primary_key(),
                    )
                    .col(
                        ColumnDef::new(DocumentVersions::ApplicationId)
                            .string_len(36)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(DocumentVersions::DocumentKind)
                            .string_len(64)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(DocumentVersions::Version)
                            .integer()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(DocumentVersions::BlobSha256)
                            .string_len(64)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(DocumentVersions::OriginalFilename)
                            .string_len(1024)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(DocumentVersions::SizeBytes)
                            .big_integer()
                            .not_null(),
                    )
                    .col(ColumnDef::new(DocumentVersions::Pages).integer().null())
                    .col(
                        ColumnDef::new(DocumentVersions::Inspection)
                            .text()
                            .not_null(),
                    )
                    .col(ColumnDef::new(DocumentVersions::Verdict).text().not_null())
                    .col(
                        ColumnDef::new(DocumentVersions::UploadBeganAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(DocumentVersions::UploadCompletedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .col(ColumnDef::new(DocumentVersions::Receipt).text().not_null())
                    .col(
                        ColumnDef::new(DocumentVersions::IdempotencyKey)
                            .string_len(200)
                            .null(),
                    )
                    .col(
                        ColumnDef::new(DocumentVersions::IsCurrent)
                            .boolean()
                            .not_null(),
                    )
                    .foreign_key(&mut fk(
                        (DocumentVersions::Table, DocumentVersions::ApplicationId),
                        (Applications::Table, Applications::Id),
                    ))
                    .foreign_key(&mut fk(
                        (DocumentVersions::Table, DocumentVersions::BlobSha256),
                        (Blobs::Table, Blobs::Sha256),
                    ))
                    .index(
                        Index::create()
                            .unique()
                            .col(DocumentVersions::ApplicationId)
                            .col(DocumentVersions::DocumentKind)
                            .col(DocumentVersions::Version),
                    )
                    .index(
                        Index::create()
                            .unique()
                            .col(DocumentVersions::ApplicationId)
                            .col(DocumentVersions::DocumentKind)
                            .col(DocumentVersions::IdempotencyKey),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(UploadAttempts::Table)
                    .col(
                        ColumnDef::new(UploadAttempts::Id)
                            .big_integer()
                            .not_null()
                            .auto_increment()
                            .primary_key(),
                    )
                    .col(
                        ColumnDef::new(UploadAttempts::ApplicationId)
                            .string_len(36)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(UploadAttempts::DocumentKind)
                            .string_len(64)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(UploadAttempts::At)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(UploadAttempts::Sha256)
                            .string_len(64)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(UploadAttempts::SizeBytes)
                            .big_integer()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(UploadAttempts::Accepted)
                            .boolean()
                            .not_null(),
                    )
                    .col(ColumnDef::new(UploadAttempts::Verdict).text().not_null())
                    .foreign_key(&mut fk(
                        (UploadAttempts::Table, UploadAttempts::ApplicationId),
                        (Applications::Table, Applications::Id),
                    ))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            UploadAttempts::Table.into_iden(),
            DocumentVersions::Table.into_iden(),
            Blobs::Table.into_iden(),
            Applications::Table.into_iden(),
            Extensions::Table.into_iden(),
            Vacancies::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
