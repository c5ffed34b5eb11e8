//! What a rule expected and found, twice: as the short English text of the `check --json`
//! contract (`expected`, `found`), and as a [`RuleValue`] that each page writes in its own
//! language and units (`expected_value`, `found_value`): sizes as "10 MB" / "10 Mo", instants
//! in the reader's time zone, "1 page" / "2 pages".

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::i18n::{self, Args};
use crate::{Lang, Localized};

/// A value of the checklist, structured so that a page can write it in its language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum RuleValue {
    /// Words, in both languages.
    Text { en: String, fr: String },
    /// A name that reads the same in every language: a file name, a paper size.
    Name { text: String },
    /// A size in bytes; a limit when `at_most`.
    Bytes {
        bytes: u64,
        #[serde(default)]
        at_most: bool,
    },
    /// A number of pages; a limit when `at_most`.
    Pages {
        pages: u32,
        #[serde(default)]
        at_most: bool,
    },
    /// An upload that begins before this instant.
    BeganBefore { at: DateTime<Utc> },
    /// When the upload began, and when it completed if that decided the rule.
    Began {
        began: DateTime<Utc>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        completed: Option<DateTime<Utc>>,
    },
}

/// One value of a finding: the contract's English text and its structured form.
pub(super) struct Value {
    pub(super) raw: String,
    pub(super) value: RuleValue,
}

impl Value {
    pub(super) fn new(raw: impl Into<String>, value: RuleValue) -> Self {
        Value {
            raw: raw.into(),
            value,
        }
    }

    /// Words from the `value-*` messages; `raw` is the contract's English text.
    pub(super) fn words(raw: impl Into<String>, id: &str, args: impl Fn(Lang) -> Args) -> Self {
        Self::new(raw, text(i18n::localized(id, args)))
    }

    pub(super) fn name(text: impl Into<String>) -> Self {
        let text = text.into();
        Self::new(text.clone(), RuleValue::Name { text })
    }
}

pub(super) fn text(localized: Localized) -> RuleValue {
    RuleValue::Text {
        en: localized.en,
        fr: localized.fr,
    }
}
