//! Other systems: API tokens an applicant-tracking system calls the API with, and webhooks that
//! tell it what happened (Standard Webhooks: <https://www.standardwebhooks.com/>).
pub mod api_tokens;
pub mod delivery;
pub mod events;
pub mod webhooks;

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

pub use api_tokens::{ApiClient, CreatedToken, NewToken, TokenView};
pub use delivery::{signature, spawn_dispatcher, DispatcherSettings};
pub use events::EventType;
pub use webhooks::{CreatedWebhook, DeliveryView, NewWebhook, WebhookView};

/// What a token lets its holder do. A route accepts a token only when it names the scope it
/// needs (see `auth::AdminOrToken`); every other route refuses tokens.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
pub enum Scope {
    /// Vacancies and their applications (status and per-document verdicts).
    #[serde(rename = "vacancies:read")]
    VacanciesRead,
    /// Create and update vacancies, with the same validation as the form.
    #[serde(rename = "vacancies:write")]
    VacanciesWrite,
    /// The panel's results.
    #[serde(rename = "results:read")]
    ResultsRead,
    /// Current essays, as the anonymous copy the panel reads.
    #[serde(rename = "essays:read")]
    EssaysRead,
}

impl Scope {
    pub const ALL: [Scope; 4] = [
        Scope::VacanciesRead,
        Scope::VacanciesWrite,
        Scope::ResultsRead,
        Scope::EssaysRead,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Scope::VacanciesRead => "vacancies:read",
            Scope::VacanciesWrite => "vacancies:write",
            Scope::ResultsRead => "results:read",
            Scope::EssaysRead => "essays:read",
        }
    }

    pub fn parse(text: &str) -> Option<Scope> {
        Scope::ALL.into_iter().find(|s| s.as_str() == text)
    }
}
