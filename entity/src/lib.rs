//! sea-orm entities, one module per table.
pub mod prelude;

pub mod accounts;
pub mod audit_events;
pub mod login_throttles;
pub mod one_time_tokens;
pub mod outbox;
pub mod sessions;
