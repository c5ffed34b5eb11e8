//! Indexes for keeping versions and refused attempts within their limits. An accepted upload
//! beyond `versions_per_document` deletes old versions and then each of their files that no
//! version uses any more: that question ("which versions use this file?") and the foreign key's
//! own check on deleting a file would otherwise read every version of every candidate. A refused
//! upload deletes the oldest refused attempts of its document beyond
//! `refused_attempts_per_document`, found in order without reading the other documents'.
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum DocumentVersions {
    Table,
    BlobSha256,
}

#[derive(DeriveIden)]
enum UploadAttempts {
    Table,
    ApplicationId,
    DocumentKind,
    Accepted,
    Id,
}

const VERSIONS_BY_FILE: &str = "idx_document_versions_blob_sha256";
const ATTEMPTS_BY_DOCUMENT: &str = "idx_upload_attempts_document";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_index(
                Index::create()
                    .name(VERSIONS_BY_FILE)
                    .table(DocumentVersions::Table)
                    .col(DocumentVersions::BlobSha256)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name(ATTEMPTS_BY_DOCUMENT)
                    .table(UploadAttempts::Table)
                    .col(UploadAttempts::ApplicationId)
                    .col(UploadAttempts::DocumentKind)
                    .col(UploadAttempts::Accepted)
                    .col(UploadAttempts::Id)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for (name, table) in [
            (ATTEMPTS_BY_DOCUMENT, UploadAttempts::Table.into_iden()),
            (VERSIONS_BY_FILE, DocumentVersions::Table.into_iden()),
        ] {
            manager
                .drop_index(Index::drop().name(name).table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
