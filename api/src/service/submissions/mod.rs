//! Applications and their documents: apply, upload (inspect, judge, store), replace, withdraw,
//! receipts. An accepted upload's bytes, hash, facts, verdict and receipt are committed in one
//! transaction before the candidate is told "accepted".

mod applications;
mod deadlines;
mod files;
mod prune;
mod store;
mod upload;
mod versions;

use policy::Lang;

pub use applications::{
    apply, get_own, list_own, withdraw, ApplicationDocumentView, ApplicationView, ApplyInput,
    RefusedAttemptView,
};
pub(crate) use deadlines::closes_at;
pub use deadlines::{application_closes_at, own_deadline, OwnDeadline};
pub use files::{own_file, own_receipt};
pub use upload::{upload, UploadOutcome, UploadRequest};
pub use versions::VersionView;

/// How many versions each document keeps, as candidates are told (see `prune`).
pub fn versions_kept(settings: &crate::configuration::Settings) -> u32 {
    prune::Limits::of(settings).versions()
}

pub fn lang_or_en(raw: Option<&str>) -> Lang {
    match raw {
        Some(l) if l.starts_with("fr") => Lang::Fr,
        _ => Lang::En,
    }
}
