//! Reading a vacancy notice's plain text into a draft of rules, with the sentence each
//! value came from so that the person publishing the vacancy can check it.
//!
//! [`import_notice`] reads the English part (`language`) as lines and sentences
//! (`text`), then each subject in its module: `heading` (reference, title, posts),
//! `deadline`, `document` (formats, pages, paper, file-name words) and
//! `challenges`; [`eligibility`] is read separately, for the demo vacancies.
//!
//! Decisions (also in `DECISIONS.md`):
//! * **Times in "Application Deadline 16-Sep-2025, 9:59:00 PM" are UTC.** The same
//!   notices say "by latest 16 September 2025", and 21:59 UTC is 23:59 in Brussels in
//!   summer: the recruitment portal stores the end of the Brussels day and prints it in
//!   UTC. Reading it as Brussels time would close the competition two hours early.
//! * **A date-only deadline ("Application Deadline 04-Jan-2026", "Plazo: 31-12-2025",
//!   "by latest 18/06/2025") means the end of that day in Brussels, 23:59:59**: a
//!   candidate reads "by 4 January" as "any time on 4 January", and NATO HQ is there.
//! * **"Word" means .docx.** "MS Word document" names the application, and its format
//!   today is .docx; a legacy .doc cannot have its pages measured, so it is only
//!   accepted when a notice names it (".doc", "Word 97-2003").
//! * The French version that follows the English one is cut off before reading: the
//!   first line that is clearly French (by its function words) after a substantial
//!   English part ends the text. English matches are the only ones used.
//! * A page limit is read from any "maximum / max. / no more than / at most N pages"
//!   sentence: when a notice asks only for a cover letter (241167), its "max. 2 pages"
//!   is the draft's page limit (the evidence sentence shows which document it is).
//! * A notice with an empty key-challenges list (251334, whose list was lost from the
//!   published page) gives no challenges rather than the sentences that follow it.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use inspection::Paper;
use serde::{Deserialize, Serialize};

use crate::rules::{
    AcceptedFormat, DocumentRules, VacancyRules, DEFAULT_GRACE_SECONDS, DEFAULT_TIME_ZONE,
    KIND_COVER_LETTER,
};

/// What a notice states, as far as it could be read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NoticeDraft {
    pub reference: Option<String>,
    pub title: Option<String>,
    /// RFC 3339 in UTC when serialised.
    pub deadline: Option<DateTime<Utc>>,
    pub formats: Vec<AcceptedFormat>,
    pub max_pages: Option<u32>,
    pub paper: Option<Paper>,
    pub filename_phrase: Option<String>,
    pub key_challenges: Vec<String>,
    pub posts: Vec<String>,
    /// Every document the notice asks for, each with its own limits and evidence. The
    /// fields above (`formats` … `filename_phrase`) are the first ones the notice states,
    /// whichever document they concern.
    pub documents: Vec<DocumentDraft>,
    /// For each field found, the sentence (or line) it was read from.
    pub evidence: BTreeMap<String, String>,
}

impl NoticeDraft {
    /// Vacancy rules proposed from the draft: one document per document the notice asks
    /// for, each with its own limits, every stated rule blocking, and a file-name phrase
    /// only when the notice states one.
    pub fn to_vacancy_rules(&self) -> VacancyRules {
        let documents = if self.documents.is_empty() {
            self.single_document().into_iter().collect()
        } else {
            self.documents.iter().map(DocumentDraft::to_rules).collect()
        };
        VacancyRules {
            reference: self.reference.clone().unwrap_or_default(),
            post_codes: vec![],
            deadline: self.deadline,
            time_zone: DEFAULT_TIME_ZONE,
            grace_seconds: DEFAULT_GRACE_SECONDS,
            documents,
            eligibility: vec![],
        }
    }
}

impl NoticeDraft {
    /// The one document the draft's first-found limits describe, when no sentence names a
    /// document: the key-challenges essay (else a cover letter when the evidence is about one).
    fn single_document(&self) -> Option<DocumentRules> {
        let essay_asked = !self.key_challenges.is_empty()
            || self.filename_phrase.is_some()
            || self
                .evidence
                .get("formats")
                .or(self.evidence.get("max_pages"))
                .is_some_and(|s| !s.to_lowercase().contains("cover letter"));
        let cover_letter_asked = self
            .evidence
            .values()
            .any(|s| s.to_lowercase().contains("cover letter"));
        let base = if essay_asked {
            DocumentRules::key_challenges()
        } else if cover_letter_asked {
            DocumentRules::cover_letter()
        } else {
            return None;
        };
        let is_letter = base.kind == KIND_COVER_LETTER;
        Some(DocumentRules {
            formats: self.formats.clone(),
            max_pages: self.max_pages,
            paper: self.paper,
            filename_phrase: if is_letter {
                None
            } else {
                self.filename_phrase.clone()
            },
            filename_must_include_reference: !is_letter
                && self.filename_phrase.is_some()
                && self.reference.is_some(),
            ..base
        })
    }
}

/// Defines `fn $name() -> &'static Regex`, compiled once on first use.
macro_rules! re {
    ($vis:vis $name:ident, $pattern:expr) => {
        $vis fn $name() -> &'static ::regex::Regex {
            static RE: ::std::sync::OnceLock<::regex::Regex> = ::std::sync::OnceLock::new();
            RE.get_or_init(|| ::regex::Regex::new($pattern).expect("valid regex"))
        }
    };
}

mod challenges;
mod deadline;
mod document;
mod documents;
mod eligibility;
mod heading;
mod language;
mod text;

pub use documents::{DocumentDraft, KIND_CV};
pub use eligibility::eligibility;
pub use heading::post_codes;
pub use language::english_part;

use challenges::find_key_challenges;
use deadline::find_deadline;
use document::{find_filename_phrase, find_formats, find_pages, re_a4};
use documents::find_documents;
use heading::{find_reference_and_title, split_posts};
use text::{collapse, logical_lines, sentences};
pub use text::{strip_control_characters, strip_page_furniture};

/// Reads a notice's plain text (English, possibly followed by French) into a draft.
/// The job board's page furniture is left out first ([`strip_page_furniture`]).
pub fn import_notice(text: &str) -> NoticeDraft {
    let text = strip_page_furniture(text);
    let english = english_part(&text);
    let lines = logical_lines(english);
    let sentences = sentences(&lines);
    let mut evidence = BTreeMap::new();
    let mut note = |field: &str, sentence: &str| {
        evidence.insert(field.to_string(), collapse(sentence));
    };

    let (reference, title) = find_reference_and_title(&lines);
    if let Some((_, e)) = &reference {
        note("reference", e);
    }
    let posts = title
        .as_ref()
        .map(|(t, _)| split_posts(t))
        .unwrap_or_default();
    if let Some((_, e)) = &title {
        note("title", e);
        note("posts", e);
    }
    let documents = find_documents(&sentences);
    let deadline = find_deadline(english);
    if let Some((_, e)) = &deadline {
        note("deadline", e);
    }
    let formats = find_formats(&sentences);
    if let Some((_, e)) = &formats {
        note("formats", e);
    }
    let pages = find_pages(&sentences);
    let mut paper = None;
    if let Some((_, a4, e)) = &pages {
        note("max_pages", e);
        if *a4 {
            paper = Some(Paper::A4);
            note("paper", e);
        }
    }
    if paper.is_none() {
        if let Some((_, e)) = &formats {
            if re_a4().is_match(e) {
                paper = Some(Paper::A4);
                note("paper", e);
            }
        }
    }
    let phrase = find_filename_phrase(&sentences);
    if let Some((_, e)) = &phrase {
        note("filename_phrase", e);
    }
    let challenges = find_key_challenges(&lines);
    let key_challenges = match challenges {
        Some((items, e)) if !items.is_empty() => {
            note("key_challenges", &e);
            items
        }
        _ => vec![],
    };

    NoticeDraft {
        reference: reference.map(|(r, _)| r),
        title: title.map(|(t, _)| t),
        deadline: deadline.map(|(d, _)| d),
        formats: formats.map(|(f, _)| f).unwrap_or_default(),
        max_pages: pages.map(|(p, _, _)| p),
        paper,
        filename_phrase: phrase.map(|(p, _)| p),
        key_challenges,
        posts,
        documents,
        evidence,
    }
}
