//! sea-orm entities, one module per table.
pub mod prelude;

pub mod accounts;
pub mod api_tokens;
pub mod applications;
pub mod audit_events;
pub mod blobs;
pub mod conflicts;
pub mod decisions;
pub mod document_versions;
pub mod erasure_requests;
pub mod extensions;
pub mod login_throttles;
pub mod one_time_tokens;
pub mod outbox;
pub mod panel_members;
pub mod rubrics;
pub mod score_revisions;
pub mod scores;
pub mod sessions;
pub mod upload_attempts;
pub mod vacancies;
pub mod vacancy_retention;
pub mod webhook_deliveries;
pub mod webhook_events;
pub mod webhooks;
