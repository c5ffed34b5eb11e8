//! sea-orm entities, one module per table.
pub mod prelude;

pub mod accounts;
pub mod applications;
pub mod audit_events;
pub mod blobs;
pub mod conflicts;
pub mod decisions;
pub mod document_versions;
pub mod extensions;
pub mod login_throttles;
pub mod one_time_tokens;
pub mod outbox;
pub mod panel_members;
pub mod rubrics;
pub mod scores;
pub mod sessions;
pub mod upload_attempts;
pub mod vacancies;
