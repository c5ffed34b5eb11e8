//! Every document a notice asks for, each with its own limits: "attach a cover letter
//! (max. 1 page)" besides "a Word document summarising their views on the key challenges,
//! no more than 2 A4 pages".
//!
//! A sentence *asks* for a document when it has a verb of sending (attach, submit, upload,
//! send) and names the document: a cover (or motivation) letter, a CV, or the essay (an
//! "essay", the "key challenges", "views on", or any other "document", "file" or
//! "attachment", which is the essay most notices mean). Limits are given to the document
//! named in the same part of the sentence: with two documents in one sentence, the part
//! of the second starts at the "and", "besides", "," or ";" before it. A sentence with
//! limits that names no document ("It should not exceed three A4 pages.") speaks of the
//! document named in the two sentences before it.

use std::collections::BTreeMap;

use inspection::Paper;
use serde::{Deserialize, Serialize};

use super::document::{
    formats_in, pages_in, phrase_in, re_a4, re_attach, re_document, re_naming, re_quoted,
};
use super::text::collapse;
use super::Confidence;
use crate::rules::{AcceptedFormat, DocumentRules, KIND_COVER_LETTER, KIND_KEY_CHALLENGES};

/// The kind of a curriculum vitae.
pub const KIND_CV: &str = "cv";

/// One document a notice asks for, with the sentence each of its values came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentDraft {
    /// `key-challenges`, `cover-letter` or `cv`.
    pub kind: String,
    pub title_en: String,
    pub title_fr: String,
    pub formats: Vec<AcceptedFormat>,
    pub max_pages: Option<u32>,
    pub paper: Option<Paper>,
    pub filename_phrase: Option<String>,
    pub filename_must_include_reference: bool,
    /// For each value found (`document` is the sentence that asks for it), its sentence.
    pub evidence: BTreeMap<String, String>,
    /// For each value found, how sure the reading is: the same keys as `evidence`.
    #[serde(default)]
    pub confidence: BTreeMap<String, Confidence>,
}

impl DocumentDraft {
    fn new(kind: &str) -> Self {
        let template = template(kind);
        DocumentDraft {
            kind: kind.to_string(),
            title_en: template.title_en,
            title_fr: template.title_fr,
            formats: vec![],
            max_pages: None,
            paper: None,
            filename_phrase: None,
            filename_must_include_reference: false,
            evidence: BTreeMap::new(),
            confidence: BTreeMap::new(),
        }
    }

    fn note(&mut self, field: &str, sentence: &str, confidence: Confidence) {
        self.evidence.insert(field.into(), collapse(sentence));
        self.confidence.insert(field.into(), confidence);
    }

    /// The rules this draft proposes: the kind's defaults with every value the notice
    /// states; a file-name phrase only when the notice states one.
    pub fn to_rules(&self) -> DocumentRules {
        DocumentRules {
            kind: self.kind.clone(),
            title_en: self.title_en.clone(),
            title_fr: self.title_fr.clone(),
            formats: self.formats.clone(),
            max_pages: self.max_pages,
            paper: self.paper,
            filename_phrase: self.filename_phrase.clone(),
            filename_must_include_reference: self.filename_must_include_reference,
            ..template(&self.kind)
        }
    }
}

fn template(kind: &str) -> DocumentRules {
    match kind {
        KIND_COVER_LETTER => DocumentRules::cover_letter(),
        KIND_CV => DocumentRules {
            kind: KIND_CV.into(),
            title_en: "Curriculum vitae (CV)".into(),
            title_fr: "Curriculum vitae (CV)".into(),
            ..DocumentRules::cover_letter()
        },
        _ => DocumentRules::key_challenges(),
    }
}

re!(
    re_letter,
    r"(?i)\b(?:cover(?:ing)?\s+letter|motivation(?:al)?\s+(?:letter|statement)|letter\s+of\s+(?:motivation|interest|application)|statement\s+of\s+(?:motivation|interest)|application\s+letter)"
);
re!(re_cv, r"(?i)\b(?:CV|curriculum\s+vitae|r[ée]sum[ée])\b");
re!(
    re_essay,
    r"(?i)\b(?:essay|challenges|views\s+on|writing\s+sample)\b"
);
re!(
    re_boundary,
    r"(?i)(?:\b(?:and|as\s+well\s+as|besides|plus|together\s+with|in\s+addition\s+to|along\s+with)\b|[,;])"
);

/// The documents a sentence names, each with the byte offset where it is first named, in
/// order; a sentence that asks for an unnamed "document" names the essay.
fn mentions(sentence: &str, asks: bool) -> Vec<(&'static str, usize)> {
    let mut found: Vec<(&'static str, usize)> = vec![];
    if let Some(m) = re_letter().find(sentence) {
        found.push((KIND_COVER_LETTER, m.start()));
    }
    if let Some(m) = re_cv().find(sentence) {
        found.push((KIND_CV, m.start()));
    }
    // "letter" and "CV" are documents too: an unnamed document is the essay only when
    // no other document is named.
    let essay = re_essay().find(sentence).map(|m| m.start()).or_else(|| {
        (asks && found.is_empty())
            .then(|| re_document().find(sentence).map(|m| m.start()))
            .flatten()
    });
    if let Some(start) = essay {
        found.push((KIND_KEY_CHALLENGES, start));
    }
    found.sort_by_key(|(_, start)| *start);
    found
}

/// The part of `sentence` that speaks of each named document.
fn parts<'a>(sentence: &'a str, named: &[(&'static str, usize)]) -> Vec<(&'static str, &'a str)> {
    let mut starts = vec![0];
    for pair in named.windows(2) {
        let (previous, next) = (pair[0].1, pair[1].1);
        let between = &sentence[previous..next];
        let cut = re_boundary()
            .find_iter(between)
            .last()
            .map_or(next, |m| previous + m.start());
        starts.push(cut);
    }
    starts.push(sentence.len());
    named
        .iter()
        .enumerate()
        .map(|(i, (kind, _))| (*kind, &sentence[starts[i]..starts[i + 1]]))
        .collect()
}

struct Limits {
    formats: Vec<AcceptedFormat>,
    pages: Option<u32>,
    a4: bool,
}

fn limits(text: &str) -> Limits {
    Limits {
        formats: formats_in(text),
        pages: pages_in(text),
        a4: re_a4().is_match(text),
    }
}

impl Limits {
    fn any(&self) -> bool {
        !self.formats.is_empty() || self.pages.is_some() || self.a4
    }

    /// Fills what this part does not state from limits shared by the whole sentence.
    fn add(&mut self, shared: &Limits) {
        if self.formats.is_empty() {
            self.formats = shared.formats.clone();
        }
        if self.pages.is_none() {
            self.pages = shared.pages;
        }
        self.a4 |= shared.a4;
    }
}

re!(
    re_each,
    r"(?i)\b(?:each|all|both)(?:\s+(?:of\s+them|documents?))?\s*(?:,\s*)?(?:in|as|of|should|must|no\s+longer|not\s+exceeding|max)\b"
);

/// Limits a sentence gives every document it names: after "each" ("your CV, a cover letter
/// and an essay, each in Word or PDF"), or before the first document when a colon or
/// "the following" introduces them ("in PDF format, the following: a CV, …").
fn shared_limits(sentence: &str, named: &[(&'static str, usize)]) -> Option<Limits> {
    if named.len() < 2 {
        return None;
    }
    if let Some(m) = re_each().find(sentence) {
        if m.start() > named[named.len() - 1].1 {
            let found = limits(&sentence[m.start()..]);
            return found.any().then_some(found);
        }
    }
    let prefix = &sentence[..named[0].1];
    let introduces =
        prefix.trim_end().ends_with(':') || prefix.to_lowercase().contains("following");
    let found = limits(prefix);
    (introduces && found.any()).then_some(found)
}

/// Every document the notice's sentences ask for, in the order they are first asked for.
pub(super) fn find_documents(sentences: &[String]) -> Vec<DocumentDraft> {
    let mut documents: Vec<DocumentDraft> = vec![];
    // The last document named, and how many sentences ago.
    let mut last: Option<(&'static str, usize)> = None;
    for (index, sentence) in sentences.iter().enumerate() {
        let asks = re_attach().is_match(sentence);
        let named = mentions(sentence, asks);
        let naming_rule = re_naming().is_match(sentence);
        // A naming rule's example ("“41234 – Key challenges.pdf”") states no limit; the
        // rest of its sentence may ("as a PDF file named …").
        let limits = |text: &str| {
            if naming_rule {
                limits(&re_quoted().replace_all(text, ""))
            } else {
                limits(text)
            }
        };
        if named.is_empty() {
            let recent = last.filter(|(_, at)| index - at <= 2).map(|(kind, _)| kind);
            let found = limits(sentence);
            if let (Some(kind), true) = (recent, found.any()) {
                if let Some(document) = documents.iter_mut().find(|d| d.kind == kind) {
                    // "It should not exceed three A4 pages.": the document named just before.
                    apply(document, &found, sentence, Confidence::Medium);
                }
            }
            if naming_rule {
                file_name_rule(&mut documents, None, sentence);
            }
            continue;
        }
        let shared = shared_limits(sentence, &named);
        for (kind, part) in parts(sentence, &named) {
            let mut found = limits(part);
            if let Some(shared) = &shared {
                found.add(shared);
            }
            let exists = documents.iter().any(|d| d.kind == kind);
            if !exists && !asks && !found.any() {
                continue;
            }
            if !exists {
                let mut document = DocumentDraft::new(kind);
                let sure = if asks {
                    Confidence::High
                } else {
                    Confidence::Medium
                };
                document.note("document", sentence, sure);
                documents.push(document);
            }
            if let Some(document) = documents.iter_mut().find(|d| d.kind == kind) {
                apply(document, &found, sentence, Confidence::High);
            }
            last = Some((kind, index));
        }
        if naming_rule {
            file_name_rule(&mut documents, named.first().map(|(k, _)| *k), sentence);
        }
    }
    documents
}

/// Records the limits found, keeping the first value the notice gives for each.
fn apply(document: &mut DocumentDraft, found: &Limits, sentence: &str, sure: Confidence) {
    if document.formats.is_empty() && !found.formats.is_empty() {
        document.formats = found.formats.clone();
        document.note("formats", sentence, sure);
    }
    if document.max_pages.is_none() {
        if let Some(pages) = found.pages {
            document.max_pages = Some(pages);
            document.note("max_pages", sentence, sure);
        }
    }
    if document.paper.is_none() && found.a4 {
        document.paper = Some(Paper::A4);
        document.note("paper", sentence, sure);
    }
}

/// "The title of the attachment must include the vacancy reference and the words “Key
/// challenges”": for the document the sentence names, else the essay, else the first.
fn file_name_rule(documents: &mut [DocumentDraft], named: Option<&str>, sentence: &str) {
    let Some((phrase, with_reference)) = phrase_in(sentence) else {
        return;
    };
    let target = named
        .and_then(|kind| documents.iter().position(|d| d.kind == kind))
        .or_else(|| documents.iter().position(|d| d.kind == KIND_KEY_CHALLENGES))
        .or((!documents.is_empty()).then_some(0));
    let Some(document) = target.and_then(|i| documents.get_mut(i)) else {
        return;
    };
    if document.filename_phrase.is_some() {
        return;
    }
    let sure = if phrase.to_lowercase().contains("challenges") {
        Confidence::High
    } else {
        Confidence::Medium
    };
    document.filename_phrase = Some(phrase);
    document.filename_must_include_reference = with_reference;
    document.note("filename_phrase", sentence, sure);
}
