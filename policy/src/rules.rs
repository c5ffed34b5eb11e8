//! The rule model: what a vacancy asks of the documents candidates upload.
//!
//! The api stores [`VacancyRules`] as JSON (plain serde); the offline check reads a
//! TOML vacancy file ([`parse_vacancy_toml`], example in `policy/examples/251334.toml`)
//! or builds the rules from command-line flags ([`rules_from_flags`]).

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use chrono_tz::Tz;
use inspection::{Format, Paper};
use serde::{Deserialize, Serialize};

use crate::deadline::{local_deadline_to_utc, DeadlineProblem};
use crate::i18n;
use crate::Localized;

/// Grace after the deadline for an upload that began before it: two minutes covers a
/// slow connection sending a few megabytes, without reopening the competition.
pub const DEFAULT_GRACE_SECONDS: u32 = 120;

/// 10 MiB: an essay of two pages is far below it even with a logo or a chart, and the
/// limit keeps scanned-image PDFs (which reviewers cannot search) out.
pub const DEFAULT_MAX_BYTES: u64 = 10 * 1024 * 1024;

/// The phrase most notices ask the file name to carry.
pub const DEFAULT_FILENAME_PHRASE: &str = "Key challenges";

/// The time zone of NATO Headquarters, where the notices' dates are meant.
pub const DEFAULT_TIME_ZONE: Tz = chrono_tz::Europe::Brussels;

/// The rules of one vacancy.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VacancyRules {
    pub reference: String,
    #[serde(default)]
    pub post_codes: Vec<String>,
    /// `None` when no deadline applies (an offline check without `--deadline`, or a
    /// notice that states none); then evaluation gives no `deadline` result.
    pub deadline: Option<DateTime<Utc>>,
    /// Only for showing the deadline to people; the deadline itself is an instant.
    #[serde(default = "default_time_zone")]
    pub time_zone: Tz,
    #[serde(default = "default_grace_seconds")]
    pub grace_seconds: u32,
    #[serde(default)]
    pub documents: Vec<DocumentRules>,
    #[serde(default)]
    pub eligibility: Vec<EligibilityStatement>,
}

impl VacancyRules {
    /// The document rules of a kind, e.g. `"key-challenges"`.
    pub fn document(&self, kind: &str) -> Option<&DocumentRules> {
        self.documents.iter().find(|d| d.kind == kind)
    }

    /// The key-challenges essay if the vacancy asks for one, else its first document.
    pub fn primary_document(&self) -> Option<&DocumentRules> {
        self.document(KIND_KEY_CHALLENGES)
            .or_else(|| self.documents.first())
    }
}

pub const KIND_KEY_CHALLENGES: &str = "key-challenges";
pub const KIND_COVER_LETTER: &str = "cover-letter";

/// The rules of one document a vacancy asks for.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DocumentRules {
    /// Stable id of the document, e.g. `"key-challenges"`, `"cover-letter"`.
    pub kind: String,
    pub title_en: String,
    pub title_fr: String,
    /// Empty means any format the portal can read.
    #[serde(default)]
    pub formats: Vec<AcceptedFormat>,
    #[serde(default)]
    pub max_pages: Option<u32>,
    #[serde(default)]
    pub paper: Option<Paper>,
    #[serde(default = "default_phrase")]
    pub filename_phrase: Option<String>,
    #[serde(default)]
    pub filename_must_include_reference: bool,
    #[serde(default = "default_max_bytes")]
    pub max_bytes: u64,
    #[serde(default)]
    pub severities: Severities,
}

impl DocumentRules {
    /// A key-challenges essay with the portal's defaults: Word or PDF, no page or paper
    /// limit, the phrase "Key challenges" and the reference in the file name.
    pub fn key_challenges() -> Self {
        DocumentRules {
            kind: KIND_KEY_CHALLENGES.into(),
            title_en: "Key challenges essay".into(),
            title_fr: "Essai «\u{a0}Défis majeurs\u{a0}»".into(),
            formats: vec![AcceptedFormat::Docx, AcceptedFormat::Pdf],
            max_pages: None,
            paper: None,
            filename_phrase: default_phrase(),
            filename_must_include_reference: true,
            max_bytes: DEFAULT_MAX_BYTES,
            severities: Severities::default(),
        }
    }

    /// A cover letter: no naming rule, since no notice states one for it.
    pub fn cover_letter() -> Self {
        DocumentRules {
            kind: KIND_COVER_LETTER.into(),
            title_en: "Cover letter".into(),
            title_fr: "Lettre de motivation".into(),
            filename_phrase: None,
            filename_must_include_reference: false,
            ..Self::key_challenges()
        }
    }

    pub fn accepts(&self, format: AcceptedFormat) -> bool {
        self.formats.is_empty() || self.formats.contains(&format)
    }

    /// The accepted formats, or all of them when the rules name none.
    pub fn accepted_formats(&self) -> Vec<AcceptedFormat> {
        if self.formats.is_empty() {
            AcceptedFormat::ALL.to_vec()
        } else {
            self.formats.clone()
        }
    }
}

fn default_time_zone() -> Tz {
    DEFAULT_TIME_ZONE
}
fn default_grace_seconds() -> u32 {
    DEFAULT_GRACE_SECONDS
}
fn default_max_bytes() -> u64 {
    DEFAULT_MAX_BYTES
}
fn default_phrase() -> Option<String> {
    Some(DEFAULT_FILENAME_PHRASE.into())
}

/// Whether breaking a rule rejects the upload or only warns the candidate.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    #[default]
    Blocking,
    Advisory,
}

/// The severity of each rule a vacancy may relax. The rules that are not here
/// (`readable`, `encryption`, `deadline`) are always blocking: a file nobody can open,
/// or one sent too late, cannot be assessed whatever the vacancy says.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Severities {
    pub format: Severity,
    pub pages: Severity,
    pub paper: Severity,
    pub filename: Severity,
    pub size: Severity,
    pub macros: Severity,
}

/// A file format a vacancy may accept.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum AcceptedFormat {
    Docx,
    Pdf,
    Doc,
    Odt,
    Rtf,
}

impl AcceptedFormat {
    pub const ALL: [AcceptedFormat; 5] = [
        AcceptedFormat::Docx,
        AcceptedFormat::Pdf,
        AcceptedFormat::Doc,
        AcceptedFormat::Odt,
        AcceptedFormat::Rtf,
    ];

    /// The file extension, without the dot.
    pub fn extension(self) -> &'static str {
        match self {
            AcceptedFormat::Docx => "docx",
            AcceptedFormat::Pdf => "pdf",
            AcceptedFormat::Doc => "doc",
            AcceptedFormat::Odt => "odt",
            AcceptedFormat::Rtf => "rtf",
        }
    }

    /// The accepted format an inspected file is, if any. A macro-enabled `.docm` is
    /// not a `.docx`: it is refused by its own rule rather than passed as Word.
    pub fn from_inspected(format: Format) -> Option<AcceptedFormat> {
        match format {
            Format::Docx => Some(AcceptedFormat::Docx),
            Format::Pdf => Some(AcceptedFormat::Pdf),
            Format::Doc => Some(AcceptedFormat::Doc),
            Format::Odt => Some(AcceptedFormat::Odt),
            Format::Rtf => Some(AcceptedFormat::Rtf),
            Format::Docm | Format::Unknown => None,
        }
    }

    /// How candidates know the format, e.g. "Word (.docx)".
    pub fn label(self, lang: crate::Lang) -> &'static str {
        use crate::Lang::*;
        match (self, lang) {
            (AcceptedFormat::Docx, _) => "Word (.docx)",
            (AcceptedFormat::Pdf, _) => "PDF",
            (AcceptedFormat::Doc, En) => "Word 97–2003 (.doc)",
            (AcceptedFormat::Doc, Fr) => "Word 97-2003 (.doc)",
            (AcceptedFormat::Odt, _) => "OpenDocument (.odt)",
            (AcceptedFormat::Rtf, _) => "RTF (.rtf)",
        }
    }
}

impl fmt::Display for AcceptedFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.extension())
    }
}

impl FromStr for AcceptedFormat {
    type Err = RulesError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let s = s.trim().trim_start_matches('.').to_ascii_lowercase();
        AcceptedFormat::ALL
            .into_iter()
            .find(|f| f.extension() == s)
            .ok_or(RulesError::UnknownFormat(s))
    }
}

impl AcceptedFormat {
    /// Parses a comma-separated list such as `"docx,pdf"`, the form of `--formats`.
    pub fn parse_list(list: &str) -> Result<Vec<AcceptedFormat>, RulesError> {
        let mut out = Vec::new();
        for part in list.split(',').filter(|p| !p.trim().is_empty()) {
            let f: AcceptedFormat = part.parse()?;
            if !out.contains(&f) {
                out.push(f);
            }
        }
        Ok(out)
    }
}

/// Something a candidate must affirm before uploading.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum EligibilityStatement {
    MemberStateNational,
    SecurityClearance,
    NoGenerativeAi,
}

impl EligibilityStatement {
    /// The sentence the candidate affirms, in both languages.
    pub fn text(self) -> Localized {
        let id = match self {
            EligibilityStatement::MemberStateNational => "eligibility-member-state-national",
            EligibilityStatement::SecurityClearance => "eligibility-security-clearance",
            EligibilityStatement::NoGenerativeAi => "eligibility-no-generative-ai",
        };
        i18n::localized(id, |_| vec![])
    }
}

/// Why rules could not be read.
#[derive(Debug, thiserror::Error)]
pub enum RulesError {
    #[error("unknown format {0:?}; use docx, pdf, doc, odt or rtf")]
    UnknownFormat(String),
    #[error("invalid vacancy file: {0}")]
    Toml(#[from] toml::de::Error),
    #[error("invalid deadline {0:?}: write it as 2025-09-16T21:59:00Z, 2025-09-16T23:59:00+02:00, or a local time such as 2025-09-16T23:59:00 read in time_zone")]
    BadDeadline(String),
    #[error(transparent)]
    Deadline(#[from] DeadlineProblem),
    #[error("unknown time zone {0:?}; use an IANA name such as Europe/Brussels")]
    UnknownTimeZone(String),
    #[error("the vacancy file lists no [[documents]]")]
    NoDocuments,
}

/// The TOML vacancy file, before its deadline is resolved to an instant.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct VacancyFile {
    reference: String,
    #[serde(default)]
    post_codes: Vec<String>,
    #[serde(default)]
    deadline: Option<toml::Value>,
    #[serde(default)]
    time_zone: Option<String>,
    #[serde(default = "default_grace_seconds")]
    grace_seconds: u32,
    #[serde(default)]
    documents: Vec<DocumentFile>,
    #[serde(default)]
    eligibility: Vec<EligibilityStatement>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DocumentFile {
    #[serde(default = "default_kind")]
    kind: String,
    #[serde(default)]
    title_en: Option<String>,
    #[serde(default)]
    title_fr: Option<String>,
    #[serde(default)]
    formats: Vec<AcceptedFormat>,
    #[serde(default)]
    max_pages: Option<u32>,
    #[serde(default)]
    paper: Option<Paper>,
    /// Absent means "Key challenges"; `""` means no phrase is required.
    #[serde(default = "default_phrase")]
    filename_phrase: Option<String>,
    #[serde(default = "default_true")]
    filename_must_include_reference: bool,
    #[serde(default = "default_max_bytes")]
    max_bytes: u64,
    #[serde(default)]
    severities: Severities,
}

fn default_kind() -> String {
    KIND_KEY_CHALLENGES.into()
}
fn default_true() -> bool {
    true
}

/// Reads a TOML vacancy file (see `policy/examples/251334.toml`).
///
/// `deadline` may be an offset date-time (`2025-09-16T21:59:00Z`) or a local one
/// (`2025-09-16T23:59:00`), read in `time_zone` (default Europe/Brussels) with the
/// DST rules of [`local_deadline_to_utc`]; TOML date-times may be quoted or bare.
pub fn parse_vacancy_toml(text: &str) -> Result<VacancyRules, RulesError> {
    let file: VacancyFile = toml::from_str(text)?;
    let time_zone = match &file.time_zone {
        None => DEFAULT_TIME_ZONE,
        Some(name) => name
            .parse::<Tz>()
            .map_err(|_| RulesError::UnknownTimeZone(name.clone()))?,
    };
    let deadline = match &file.deadline {
        None => None,
        Some(value) => Some(deadline_from_toml(value, time_zone)?),
    };
    if file.documents.is_empty() {
        return Err(RulesError::NoDocuments);
    }
    let documents = file
        .documents
        .into_iter()
        .map(|d| {
            let base = if d.kind == KIND_COVER_LETTER {
                DocumentRules::cover_letter()
            } else {
                DocumentRules::key_challenges()
            };
            DocumentRules {
                title_en: d.title_en.unwrap_or(base.title_en),
                title_fr: d.title_fr.unwrap_or(base.title_fr),
                kind: d.kind,
                formats: d.formats,
                max_pages: d.max_pages,
                paper: d.paper,
                filename_phrase: d.filename_phrase.filter(|p| !p.trim().is_empty()),
                filename_must_include_reference: d.filename_must_include_reference,
                max_bytes: d.max_bytes,
                severities: d.severities,
            }
        })
        .collect();
    Ok(VacancyRules {
        reference: file.reference,
        post_codes: file.post_codes,
        deadline,
        time_zone,
        grace_seconds: file.grace_seconds,
        documents,
        eligibility: file.eligibility,
    })
}

fn deadline_from_toml(value: &toml::Value, tz: Tz) -> Result<DateTime<Utc>, RulesError> {
    let text = match value {
        toml::Value::String(s) => s.clone(),
        toml::Value::Datetime(d) => d.to_string(),
        other => return Err(RulesError::BadDeadline(other.to_string())),
    };
    parse_deadline_text(&text, tz)
}

/// An instant from RFC 3339, or a local date-time (or a bare date, meaning its last
/// second) in `tz`.
pub(crate) fn parse_deadline_text(text: &str, tz: Tz) -> Result<DateTime<Utc>, RulesError> {
    let text = text.trim();
    if let Ok(instant) = DateTime::parse_from_rfc3339(text) {
        return Ok(instant.with_timezone(&Utc));
    }
    for pattern in [
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d %H:%M",
    ] {
        if let Ok(naive) = NaiveDateTime::parse_from_str(text, pattern) {
            return Ok(local_deadline_to_utc(naive, tz)?);
        }
    }
    if let Ok(date) = NaiveDate::parse_from_str(text, "%Y-%m-%d") {
        return Ok(crate::deadline::end_of_local_day(date, tz)?);
    }
    Err(RulesError::BadDeadline(text.to_string()))
}

/// Rules from the offline check's flags. Every rule given as a flag is blocking; a rule
/// not given is not checked (no reference, no phrase, no page or paper limit, no
/// deadline). `formats` empty means any readable format.
pub fn rules_from_flags(
    reference: Option<&str>,
    formats: &[AcceptedFormat],
    max_pages: Option<u32>,
    paper: Option<Paper>,
    phrase: Option<&str>,
    deadline: Option<DateTime<Utc>>,
) -> (VacancyRules, DocumentRules) {
    let reference = reference.map(str::trim).unwrap_or("").to_string();
    let document = DocumentRules {
        formats: formats.to_vec(),
        max_pages,
        paper,
        filename_phrase: phrase
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .map(String::from),
        filename_must_include_reference: !reference.is_empty(),
        ..DocumentRules::key_challenges()
    };
    let vacancy = VacancyRules {
        reference,
        post_codes: vec![],
        deadline,
        time_zone: DEFAULT_TIME_ZONE,
        grace_seconds: DEFAULT_GRACE_SECONDS,
        documents: vec![document.clone()],
        eligibility: vec![],
    };
    (vacancy, document)
}
