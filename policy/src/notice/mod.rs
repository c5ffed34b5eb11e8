//! Reading a vacancy notice's plain text into a draft of rules, with the sentence each
//! value came from so that the person publishing the vacancy can check it.
//!
//! [`import_notice`] leaves out the job board's furniture and control characters
//! ([`strip_page_furniture`]), reads the English part (`language`) as lines and sentences
//! (`text`), then each subject in its module: `heading` (reference under any label,
//! title, posts), `deadline` (dates, times and zones, through chrono-tz), `document`
//! (formats, pages, paper, file-name words), `documents` (each document asked for) and
//! `challenges` (bulleted, numbered, lettered or inline lists); [`eligibility`] too.
//! Each value found carries its sentence (`evidence`) and a [`Confidence`]; every field
//! of [`NOTICE_FIELDS`] not found is in `not_found`, and [`NoticeDraft::summary`] lists
//! them all, found or "not found — set it".
//!
//! Decisions (also in `DECISIONS.md`, with those for other organisations' wording, 13c):
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
    AcceptedFormat, DocumentRules, EligibilityStatement, VacancyRules, DEFAULT_GRACE_SECONDS,
    DEFAULT_TIME_ZONE, KIND_COVER_LETTER,
};

/// How sure the importer is of a value it read, for the admin who checks the draft.
///
/// * `high`: stated under its own label or in the usual wording ("Vacancy number:
///   270012", "Closing date: 15 January 2027 (23:59 CET)", "MS Word only" in the sentence
///   that asks for the essay).
/// * `medium`: reading it took an assumption written in `DECISIONS.md` (a date without a
///   time is the end of that day, a time without a zone is Brussels time, a limit stated
///   for another document such as the cover letter, a title that is the first line naming
///   a job, a list written inline).
/// * `low`: a guess to check first (a title that is merely the first short line).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Confidence {
    Low,
    Medium,
    High,
}

/// The notice schema: every field an import looks for, in the order the summary lists
/// them. A field not found is listed in [`NoticeDraft::not_found`].
pub const NOTICE_FIELDS: [&str; 9] = [
    "reference",
    "title",
    "deadline",
    "formats",
    "max_pages",
    "paper",
    "filename_phrase",
    "key_challenges",
    "eligibility",
];

/// One line of the import's summary: a field of the schema, found (with its sentence and
/// confidence) or not.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldSummary {
    pub field: String,
    pub found: bool,
    /// The value as the admin reads it ("2 pages", "docx, pdf"); empty when not found.
    pub value: String,
    pub sentence: Option<String>,
    pub confidence: Option<Confidence>,
}

impl FieldSummary {
    /// "max_pages: 1 (high) — “The document should be no longer than one A4 page.”" or
    /// "paper: not found — set it".
    pub fn line(&self) -> String {
        match (&self.found, &self.sentence, self.confidence) {
            (true, Some(sentence), Some(confidence)) => {
                let confidence = serde_json::to_value(confidence)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_string))
                    .unwrap_or_default();
                format!(
                    "{}: {} ({confidence}) — “{sentence}”",
                    self.field, self.value
                )
            }
            (true, ..) => format!("{}: {}", self.field, self.value),
            (false, ..) => format!("{}: not found — set it", self.field),
        }
    }
}

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
    /// For each field found, how sure the reading is: the same keys as `evidence`.
    #[serde(default)]
    pub confidence: BTreeMap<String, Confidence>,
    /// What a candidate must affirm, from the notice's own words ([`eligibility`]).
    #[serde(default)]
    pub eligibility: Vec<EligibilityStatement>,
    /// Every field of [`NOTICE_FIELDS`] the notice did not give: the admin sets these.
    #[serde(default)]
    pub not_found: Vec<String>,
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
            eligibility: self.eligibility.clone(),
        }
    }

    /// Every field of the notice schema ([`NOTICE_FIELDS`]), found with its value,
    /// sentence and confidence, or not found: what the import page and the offline
    /// `import-notice` command show, so that nothing missed passes for found.
    pub fn summary(&self) -> Vec<FieldSummary> {
        NOTICE_FIELDS
            .iter()
            .map(|&field| {
                let value = self.value_of(field);
                let found = value.is_some();
                FieldSummary {
                    field: field.to_string(),
                    found,
                    value: value.unwrap_or_default(),
                    sentence: self.evidence.get(field).cloned().filter(|_| found),
                    confidence: self.confidence.get(field).copied().filter(|_| found),
                }
            })
            .collect()
    }

    /// A field's value in words, or `None` when the notice did not give it.
    fn value_of(&self, field: &str) -> Option<String> {
        let list = |items: Vec<String>| (!items.is_empty()).then(|| items.join(", "));
        match field {
            "reference" => self.reference.clone(),
            "title" => self.title.clone(),
            "deadline" => self.deadline.map(|d| d.to_rfc3339()),
            "formats" => list(
                self.formats
                    .iter()
                    .map(|f| f.extension().to_string())
                    .collect(),
            ),
            "max_pages" => self.max_pages.map(|p| p.to_string()),
            "paper" => self.paper.map(|p| format!("{p:?}")),
            "filename_phrase" => self.filename_phrase.clone(),
            "key_challenges" => {
                (!self.key_challenges.is_empty()).then(|| self.key_challenges.len().to_string())
            }
            "eligibility" => list(
                self.eligibility
                    .iter()
                    .filter_map(|e| serde_json::to_value(e).ok())
                    .filter_map(|v| v.as_str().map(str::to_string))
                    .collect(),
            ),
            _ => None,
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
use document::{find_filename_phrase, find_formats, find_pages, re_a4, re_attach};
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
    let mut confidence = BTreeMap::new();
    let mut note = |field: &str, sentence: &str, sure: Confidence| {
        evidence.insert(field.to_string(), collapse(sentence));
        confidence.insert(field.to_string(), sure);
    };

    let (reference, title) = find_reference_and_title(&lines);
    if let Some((_, e, c)) = &reference {
        note("reference", e, *c);
    }
    let posts = title
        .as_ref()
        .map(|(t, _, _)| split_posts(t))
        .unwrap_or_default();
    if let Some((_, e, c)) = &title {
        note("title", e, *c);
        note("posts", e, *c);
    }
    let documents = find_documents(&sentences);
    let deadline = find_deadline(english);
    if let Some(found) = &deadline {
        note("deadline", &found.evidence, found.confidence);
    }
    let formats = find_formats(&sentences);
    if let Some((_, e)) = &formats {
        note("formats", e, sentence_confidence(e));
    }
    let pages = find_pages(&sentences);
    let mut paper = None;
    if let Some((_, a4, e)) = &pages {
        note("max_pages", e, sentence_confidence(e));
        if *a4 {
            paper = Some(Paper::A4);
            note("paper", e, sentence_confidence(e));
        }
    }
    if paper.is_none() {
        if let Some((_, e)) = &formats {
            if re_a4().is_match(e) {
                paper = Some(Paper::A4);
                note("paper", e, sentence_confidence(e));
            }
        }
    }
    let phrase = find_filename_phrase(&sentences);
    if let Some((p, e)) = &phrase {
        let sure = if p.to_lowercase().contains("challenges") {
            Confidence::High
        } else {
            Confidence::Medium
        };
        note("filename_phrase", e, sure);
    }
    let challenges = find_key_challenges(&lines);
    let key_challenges = match challenges {
        Some((items, e)) if !items.is_empty() => {
            // A list written inline in its intro is split on its markers: check it.
            let inline = items.len() > 1 && e.contains(&items[0]);
            let sure = if inline {
                Confidence::Medium
            } else {
                Confidence::High
            };
            note("key_challenges", &e, sure);
            items
        }
        _ => vec![],
    };
    let eligibility = eligibility(english);
    if !eligibility.is_empty() {
        let sentence = eligibility_sentence(&sentences, &eligibility);
        note("eligibility", &sentence, Confidence::High);
    }

    let mut draft = NoticeDraft {
        reference: reference.map(|(r, _, _)| r),
        title: title.map(|(t, _, _)| t),
        deadline: deadline.map(|d| d.at),
        formats: formats.map(|(f, _)| f).unwrap_or_default(),
        max_pages: pages.map(|(p, _, _)| p),
        paper,
        filename_phrase: phrase.map(|(p, _)| p),
        key_challenges,
        posts,
        documents,
        evidence,
        confidence,
        eligibility,
        not_found: vec![],
    };
    draft.not_found = draft
        .summary()
        .into_iter()
        .filter(|f| !f.found)
        .map(|f| f.field)
        .collect();
    draft
}

/// A limit read from a sentence that asks for the essay (or names no other document) is
/// the essay's; one from a sentence about a cover letter or CV only may not be.
fn sentence_confidence(sentence: &str) -> Confidence {
    let lower = sentence.to_lowercase();
    let essay = ["essay", "challenges", "views on", "document", "attachment"]
        .iter()
        .any(|w| lower.contains(w));
    let other = ["cover letter", "motivation letter", "cv", "curriculum"]
        .iter()
        .any(|w| lower.contains(w));
    if other && !essay {
        Confidence::Medium
    } else if re_attach().is_match(sentence) || essay {
        Confidence::High
    } else {
        Confidence::Medium
    }
}

/// The sentences the eligibility statements were read from, joined.
fn eligibility_sentence(sentences: &[String], statements: &[EligibilityStatement]) -> String {
    let mut found: Vec<&str> = vec![];
    for statement in statements {
        let sentence = sentences.iter().find(|s| {
            let lower = s.to_lowercase();
            match statement {
                EligibilityStatement::SecurityClearance => lower.contains("security clearance"),
                _ => eligibility(s).contains(statement),
            }
        });
        if let Some(sentence) = sentence {
            if !found.contains(&sentence.as_str()) {
                found.push(sentence);
            }
        }
    }
    found.join(" ")
}
