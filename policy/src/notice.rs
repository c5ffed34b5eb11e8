//! Reading a vacancy notice's plain text into a draft of rules, with the sentence each
//! value came from so that the person publishing the vacancy can check it.
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
use std::sync::OnceLock;

use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc};
use inspection::Paper;
use regex::Regex;
use serde::{Deserialize, Serialize};

use crate::deadline::end_of_local_day;
use crate::rules::{
    AcceptedFormat, DocumentRules, EligibilityStatement, VacancyRules, DEFAULT_GRACE_SECONDS,
    DEFAULT_TIME_ZONE, KIND_COVER_LETTER,
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
    /// For each field found, the sentence (or line) it was read from.
    pub evidence: BTreeMap<String, String>,
}

impl NoticeDraft {
    /// Vacancy rules proposed from the draft: one key-challenges essay when the notice
    /// asks for one (else a cover letter when it asks for that), every stated rule
    /// blocking, and a file-name phrase only when the notice states one.
    pub fn to_vacancy_rules(&self) -> VacancyRules {
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
            Some(DocumentRules::key_challenges())
        } else if cover_letter_asked {
            Some(DocumentRules::cover_letter())
        } else {
            None
        };
        let documents = base
            .map(|base| {
                let is_letter = base.kind == KIND_COVER_LETTER;
                DocumentRules {
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
                }
            })
            .into_iter()
            .collect();
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

macro_rules! re {
    ($name:ident, $pattern:expr) => {
        fn $name() -> &'static Regex {
            static RE: OnceLock<Regex> = OnceLock::new();
            RE.get_or_init(|| Regex::new($pattern).expect("valid regex"))
        }
    };
}

re!(re_ref_parenthesised, r"\((\d{6})\)\s*$");
re!(re_ref_dash, r"[-–]\s*(\d{6})\s*$");
re!(
    re_ref_requisition,
    r"(?i)(?:(\d{6})\s+Requisition\s*#|Requisition\s*(?:#|No\.?|number)?\s*:?\s*(\d{6})\b)"
);
re!(
    re_ref_labelled,
    r"(?i)\b(?:vacancy\s+)?reference(?:\s+(?:number|no\.?))?\s*[:#]?\s*(\d{6})\b"
);
re!(
    re_deadline_taleo,
    r"(?i)application\s+deadline\s*:?\s*(\d{1,2})-([a-z]{3})[a-z]*\.?-(\d{4})(?:,?\s+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([ap])\.?m\.?)?"
);
re!(
    re_deadline_numeric,
    r"(?i)\b(?:plazo|deadline|closing\s+date)\s*:\s*(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})\b"
);
re!(
    re_deadline_by_latest,
    r"(?i)\bby\s+(?:the\s+)?latest\s+(?:(\d{1,2})\s+([a-z]+)\s+(\d{4})|(\d{1,2})/(\d{1,2})/(\d{4}))"
);
re!(re_list_marker, r"^(?:[•·\-\*\+«»▪◦‣–]|\d{1,2}[.)])\s+");
re!(
    re_pages,
    r"(?i)\b(?:maximum|max\.?|no\s+more\s+than|not\s+(?:more|longer)\s+than|not\s+exceed(?:ing)?|at\s+most|up\s+to|limit(?:ed)?\s+to)\s+(?:of\s+)?(\d{1,2}|one|two|three|four|five|six)\s+(?:\(\d+\)\s+)?(A4\s+)?pages?\b"
);
re!(
    re_pages_after,
    r"(?i)\b(\d{1,2}|one|two|three|four|five|six)\s+(A4\s+)?pages?\s+(?:maximum|max\b|at\s+most)"
);
re!(re_a4, r"\bA4\b");
re!(re_word, r"\b(?:MS\s+|Microsoft\s+)?Word\b");
re!(re_pdf, r"(?i)\bpdf\b");
re!(re_doc, r"(?i)(?:\.doc\b|\bword\s*97)");
re!(re_odt, r"(?i)(?:\bodt\b|opendocument)");
re!(re_rtf, r"(?i)\brtf\b");
re!(re_attach, r"(?i)\b(?:attach|submit|upload|send)\w*\b");
re!(
    re_document,
    r"(?i)\b(?:document|essay|file|letter|attachment)s?\b"
);
re!(
    re_naming,
    r"(?i)\b(?:title|name|file\s*name)\b.*\b(?:must|should|shall)\b.*\b(?:include|contain)"
);
re!(re_quoted, r#"[“"]([^”"]{2,60})[”"]"#);
re!(re_posts_marker, r"(?i)\s*\(\s*\d+\s+posts?\s*\)");
re!(re_post_code, r"\(([A-Z]{3,5}\d{4})\)");

const FRENCH_WORDS: &[&str] = &[
    "le", "la", "les", "des", "du", "de", "et", "pour", "une", "un", "est", "sont", "dans", "sur",
    "aux", "au", "qui", "que", "ses", "leur", "avec", "par", "d", "l", "qu",
];
const ENGLISH_WORDS: &[&str] = &[
    "the", "and", "of", "to", "for", "with", "in", "is", "are", "on", "by", "as", "will", "be",
    "this", "that", "an",
];

fn word_counts(line: &str) -> (usize, usize) {
    let lower = line.to_lowercase();
    let words = lower.split(|c: char| !c.is_alphabetic());
    let (mut en, mut fr) = (0, 0);
    for w in words.filter(|w| !w.is_empty()) {
        if ENGLISH_WORDS.contains(&w) {
            en += 1;
        }
        if FRENCH_WORDS.contains(&w) {
            fr += 1;
        }
    }
    (en, fr)
}

/// The English part of a notice: everything before the first clearly French line that
/// follows a substantial English part (a bilingual letterhead at the top is kept).
pub fn english_part(text: &str) -> &str {
    let mut english_seen = 0;
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let (en, fr) = word_counts(line);
        if english_seen >= 40 && fr >= 2 && fr > 2 * en {
            return &text[..offset];
        }
        english_seen += en;
        offset += line.len();
    }
    text
}

/// Lines with wrapped paragraphs joined: a long line that does not end a sentence
/// continues on the next, unless the next starts a list item.
fn logical_lines(text: &str) -> Vec<String> {
    let mut out: Vec<String> = vec![];
    let mut current = String::new();
    for raw in text.lines() {
        let line = raw.trim();
        if line.is_empty() {
            if !current.is_empty() {
                out.push(std::mem::take(&mut current));
            }
            out.push(String::new());
            continue;
        }
        let continues = !current.is_empty()
            && current.chars().count() >= 60
            && !current.ends_with(['.', ';', ':', '!', '?'])
            && !re_list_marker().is_match(line);
        if continues {
            current.push(' ');
            current.push_str(line);
        } else {
            if !current.is_empty() {
                out.push(std::mem::take(&mut current));
            }
            current.push_str(line);
        }
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

/// Sentences of the logical lines: a line splits after ". " (or "? ", "! ") followed by
/// a capital, which keeps "max. 2 pages" whole.
fn sentences(lines: &[String]) -> Vec<String> {
    let mut out = vec![];
    for line in lines.iter().filter(|l| !l.is_empty()) {
        let chars: Vec<char> = line.chars().collect();
        let mut start = 0;
        for i in 0..chars.len() {
            let ends = matches!(chars[i], '.' | '?' | '!')
                && chars.get(i + 1).is_some_and(|c| c.is_whitespace())
                && chars.get(i + 2).is_some_and(|c| c.is_uppercase());
            if ends {
                out.push(
                    chars[start..=i]
                        .iter()
                        .collect::<String>()
                        .trim()
                        .to_string(),
                );
                start = i + 1;
            }
        }
        let rest: String = chars[start..].iter().collect();
        if !rest.trim().is_empty() {
            out.push(rest.trim().to_string());
        }
    }
    out
}

fn collapse(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Undoes the doubled apostrophes of OCR ("SACEUR'’s") and collapses whitespace.
fn clean(text: &str) -> String {
    collapse(&text.replace("'’", "’").replace("’'", "’"))
}

fn month_number(name: &str) -> Option<u32> {
    const MONTHS: [&str; 12] = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ];
    let prefix: String = name.to_lowercase().chars().take(3).collect();
    MONTHS
        .iter()
        .position(|m| *m == prefix)
        .map(|i| i as u32 + 1)
}

fn number_word(text: &str) -> Option<u32> {
    match text.to_lowercase().as_str() {
        "one" => Some(1),
        "two" => Some(2),
        "three" => Some(3),
        "four" => Some(4),
        "five" => Some(5),
        "six" => Some(6),
        digits => digits.parse().ok(),
    }
}

fn end_of_brussels_day(year: i32, month: u32, day: u32) -> Option<DateTime<Utc>> {
    let date = NaiveDate::from_ymd_opt(year, month, day)?;
    end_of_local_day(date, DEFAULT_TIME_ZONE).ok()
}

fn find_deadline(english: &str) -> Option<(DateTime<Utc>, String)> {
    if let Some(c) = re_deadline_taleo().captures(english) {
        let day: u32 = c[1].parse().ok()?;
        let month = month_number(&c[2])?;
        let year: i32 = c[3].parse().ok()?;
        let evidence = collapse(&c[0]);
        let Some(hour) = c.get(4) else {
            return end_of_brussels_day(year, month, day).map(|d| (d, evidence));
        };
        let mut hour: u32 = hour.as_str().parse().ok()?;
        let minute: u32 = c[5].parse().ok()?;
        let second: u32 = c.get(6).map_or(Some(0), |s| s.as_str().parse().ok())?;
        let pm = c[7].eq_ignore_ascii_case("p");
        hour = match (hour, pm) {
            (12, false) => 0,
            (12, true) => 12,
            (h, true) => h + 12,
            (h, false) => h,
        };
        let naive = NaiveDateTime::new(
            NaiveDate::from_ymd_opt(year, month, day)?,
            NaiveTime::from_hms_opt(hour, minute, second)?,
        );
        return Some((Utc.from_utc_datetime(&naive), evidence));
    }
    if let Some(c) = re_deadline_numeric().captures(english) {
        let deadline =
            end_of_brussels_day(c[3].parse().ok()?, c[2].parse().ok()?, c[1].parse().ok()?)?;
        return Some((deadline, collapse(&c[0])));
    }
    let c = re_deadline_by_latest().captures(english)?;
    let deadline = if let Some(day) = c.get(1) {
        end_of_brussels_day(
            c[3].parse().ok()?,
            month_number(&c[2])?,
            day.as_str().parse().ok()?,
        )?
    } else {
        end_of_brussels_day(c[6].parse().ok()?, c[5].parse().ok()?, c[4].parse().ok()?)?
    };
    Some((deadline, collapse(&c[0])))
}

/// A value read from a notice, with the line or sentence it came from.
type Found<T> = Option<(T, String)>;

fn find_reference_and_title(lines: &[String]) -> (Found<String>, Found<String>) {
    for line in lines.iter().take(60).filter(|l| l.len() < 200) {
        for re in [re_ref_parenthesised(), re_ref_dash()] {
            if let Some(c) = re.captures(line) {
                let title = line[..c.get(0).map_or(0, |m| m.start())]
                    .trim()
                    .trim_end_matches([' ', '-', '–', ','])
                    .to_string();
                let reference = (c[1].to_string(), line.clone());
                let title = (!title.is_empty() && title.chars().any(char::is_alphabetic))
                    .then(|| (clean(&title), line.clone()));
                return (Some(reference), title);
            }
        }
    }
    let reference = lines.iter().find_map(|line| {
        let c = re_ref_requisition()
            .captures(line)
            .or_else(|| re_ref_labelled().captures(line))?;
        let number = c.iter().skip(1).flatten().next()?.as_str().to_string();
        Some((number, line.clone()))
    });
    (reference, find_plain_title(lines))
}

/// The first short line that reads like a job title, skipping a site's chrome.
fn find_plain_title(lines: &[String]) -> Option<(String, String)> {
    lines.iter().take(15).find_map(|line| {
        let lower = line.to_lowercase();
        let words = line.split_whitespace().count();
        let letters: Vec<char> = line.chars().filter(|c| c.is_alphabetic()).collect();
        let shouting = letters.iter().all(|c| c.is_uppercase());
        let chrome = [
            "job posting",
            "website",
            "http",
            "vacancy notification",
            "apply",
        ]
        .iter()
        .any(|w| lower.contains(w));
        let ok = (1..=12).contains(&words)
            && letters.len() >= 3
            && !shouting
            && !chrome
            && !line.ends_with(['.', ':', ';']);
        ok.then(|| (clean(line), line.clone()))
    })
}

fn find_formats(sentences: &[String]) -> Option<(Vec<AcceptedFormat>, String)> {
    sentences.iter().find_map(|sentence| {
        if !(re_attach().is_match(sentence) && re_document().is_match(sentence)) {
            return None;
        }
        let mut formats = vec![];
        if re_word().is_match(sentence) {
            formats.push(AcceptedFormat::Docx);
        }
        if re_pdf().is_match(sentence) {
            formats.push(AcceptedFormat::Pdf);
        }
        if re_doc().is_match(sentence) {
            formats.push(AcceptedFormat::Doc);
        }
        if re_odt().is_match(sentence) {
            formats.push(AcceptedFormat::Odt);
        }
        if re_rtf().is_match(sentence) {
            formats.push(AcceptedFormat::Rtf);
        }
        (!formats.is_empty()).then(|| (formats, sentence.clone()))
    })
}

fn find_pages(sentences: &[String]) -> Option<(u32, bool, String)> {
    sentences.iter().find_map(|sentence| {
        let c = re_pages()
            .captures(sentence)
            .or_else(|| re_pages_after().captures(sentence))?;
        let pages = number_word(&c[1])?;
        Some((pages, re_a4().is_match(sentence), sentence.clone()))
    })
}

fn find_filename_phrase(sentences: &[String]) -> Option<(String, String)> {
    sentences.iter().find_map(|sentence| {
        if !re_naming().is_match(sentence) {
            return None;
        }
        let c = re_quoted().captures(sentence)?;
        Some((clean(c[1].trim()), sentence.clone()))
    })
}

fn find_key_challenges(lines: &[String]) -> Option<(Vec<String>, String)> {
    let intro = lines
        .iter()
        .position(|l| l.to_lowercase().contains("key challenges") && l.trim_end().ends_with(':'))?;
    let mut items = vec![];
    for line in &lines[intro + 1..] {
        if line.is_empty() {
            continue;
        }
        let Some(marker) = re_list_marker().find(line) else {
            break;
        };
        let item = clean(&line[marker.end()..]);
        let item = item
            .trim_end_matches([';', ',', '.', ' '])
            .trim_end_matches(" and")
            .trim_end_matches([';', ',', ' '])
            .to_string();
        if !item.is_empty() {
            items.push(item);
        }
    }
    Some((items, clean(&lines[intro])))
}

fn split_posts(title: &str) -> Vec<String> {
    if re_posts_marker().is_match(title) {
        title
            .split('&')
            .map(|part| clean(&re_posts_marker().replace_all(part, "")))
            .filter(|p| !p.is_empty())
            .collect()
    } else {
        vec![title.to_string()]
    }
}

/// The post codes a notice lists, e.g. "(PASP0109)".
pub fn post_codes(text: &str) -> Vec<String> {
    let mut codes: Vec<String> = vec![];
    for c in re_post_code().captures_iter(english_part(text)) {
        if !codes.contains(&c[1].to_string()) {
            codes.push(c[1].to_string());
        }
    }
    codes
}

/// What a candidate must affirm, from the notice's own words: nationality (NATO
/// recruits nationals of member countries), a clearance for fast-track competitions
/// open only to cleared staff, and no generative AI where the notice forbids it.
pub fn eligibility(text: &str) -> Vec<EligibilityStatement> {
    let english = english_part(text).to_lowercase();
    let mut out = vec![];
    if english.contains("nationals of nato member") || english.contains("nationals from all member")
    {
        out.push(EligibilityStatement::MemberStateNational);
    }
    if english.contains("fast track") && english.contains("security clearance") {
        out.push(EligibilityStatement::SecurityClearance);
    }
    if english.contains("generative artificial-intelligence")
        || english.contains("generative artificial intelligence")
        || english.contains("generative ai")
    {
        out.push(EligibilityStatement::NoGenerativeAi);
    }
    out
}

/// Reads a notice's plain text (English, possibly followed by French) into a draft.
pub fn import_notice(text: &str) -> NoticeDraft {
    let english = english_part(text);
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
        evidence,
    }
}
