//! Database migrations, applied at start and by `essay-portal migrate` or `cargo run -p migration -- up`.
pub use sea_orm_migration::prelude::*;

mod m20261122_000001_accounts;
mod m20261122_000002_vacancies_and_submissions;
mod m20261122_000003_assessment;
mod m20261130_000004_scores_per_version;
mod m20261201_000005_score_revisions;
mod m20261201_000008_personal_data;
mod m20261201_000009_outbox_claims;
mod m20261210_000010_pruning_indexes;
mod m20261212_000001_upload_slots;
mod m20261212_000011_decisions_per_version;
mod m20261215_000100_integrations;
mod m20261215_000200_organisation_sign_in;
mod m20261215_000300_mail_content_and_reminders;
mod m20261215_000400_refused_attempt_names;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261122_000001_accounts::Migration),
            Box::new(m20261122_000002_vacancies_and_submissions::Migration),
            Box::new(m20261122_000003_assessment::Migration),
            Box::new(m20261130_000004_scores_per_version::Migration),
            Box::new(m20261201_000005_score_revisions::Migration),
            Box::new(m20261201_000008_personal_data::Migration),
            Box::new(m20261201_000009_outbox_claims::Migration),
            Box::new(m20261210_000010_pruning_indexes::Migration),
            Box::new(m20261212_000001_upload_slots::Migration),
            Box::new(m20261212_000011_decisions_per_version::Migration),
            Box::new(m20261215_000100_integrations::Migration),
            Box::new(m20261215_000200_organisation_sign_in::Migration),
            Box::new(m20261215_000300_mail_content_and_reminders::Migration),
            Box::new(m20261215_000400_refused_attempt_names::Migration),
        ]
    }
}
