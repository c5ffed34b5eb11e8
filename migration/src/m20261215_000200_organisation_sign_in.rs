//! Staff sign-in through the organisation's OpenID provider. A sign-in in progress is held in the
//! database, not in one instance's memory, so that the provider may send the browser back to any
//! instance; its row is deleted when the callback uses it, so a replayed state finds nothing. Each
//! account remembers the provider's (issuer, subject) it was bound to at its first sign-in: an
//! email address can be reassigned at the provider, a subject cannot.
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum OidcSignIns {
    Table,
    StateDigest,
    Nonce,
    PkceVerifier,
    NextPath,
    CreatedAt,
    ExpiresAt,
}

#[derive(DeriveIden)]
enum ExternalIdentities {
    Table,
    Issuer,
    Subject,
    AccountId,
    CreatedAt,
    LastSignInAt,
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
            .create_table(
                Table::create()
                    .table(OidcSignIns::Table)
                    .col(
                        ColumnDef::new(OidcSignIns::StateDigest)
                            .string()
                            .not_null()
                            .primary_key(),
                    )
                    .col(ColumnDef::new(OidcSignIns::Nonce).string().not_null())
                    .col(
                        ColumnDef::new(OidcSignIns::PkceVerifier)
                            .string()
                            .not_null(),
                    )
                    .col(ColumnDef::new(OidcSignIns::NextPath).string().not_null())
                    .col(
                        ColumnDef::new(OidcSignIns::CreatedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(OidcSignIns::ExpiresAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_oidc_sign_ins_expires_at")
                    .table(OidcSignIns::Table)
                    .col(OidcSignIns::ExpiresAt)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(ExternalIdentities::Table)
                    .col(
                        ColumnDef::new(ExternalIdentities::Issuer)
                            .string()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(ExternalIdentities::Subject)
                            .string()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(ExternalIdentities::AccountId)
                            .string()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(ExternalIdentities::CreatedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(ExternalIdentities::LastSignInAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .primary_key(
                        Index::create()
                            .col(ExternalIdentities::Issuer)
                            .col(ExternalIdentities::Subject),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(ExternalIdentities::Table, ExternalIdentities::AccountId)
                            .to(Accounts::Table, Accounts::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        // One subject per account at each provider: a second person cannot be bound to it.
        manager
            .create_index(
                Index::create()
                    .name("idx_external_identities_account_issuer")
                    .table(ExternalIdentities::Table)
                    .col(ExternalIdentities::AccountId)
                    .col(ExternalIdentities::Issuer)
                    .unique()
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(ExternalIdentities::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(OidcSignIns::Table).to_owned())
            .await
    }
}
