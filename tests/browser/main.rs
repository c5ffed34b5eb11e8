//! Browser tests: the real application, driven in headless Chromium through chromedriver.
//! Where Debian's `chromium` and `chromium-driver` are not installed they say they were skipped,
//! except under CI (`CI=true`), where that is a failure.
//!
//! Run: `apt-get install -y chromium chromium-driver`, then `cargo test --test browser`.
//! With `BROWSER_SCREENSHOTS=/some/dir` the candidate's journey also saves screenshots there.
#[path = "../api/helpers.rs"]
mod helpers;

mod accounts;
mod admin;
mod candidate;
mod drafts;
mod driver;
mod french;
mod integrations;
mod mail;
mod pages;
mod privacy;
mod reading;
mod staff;
mod stall;
mod states;
mod template;
mod weight;
