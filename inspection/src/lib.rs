//! Document inspection: bytes and a declared filename in, facts out. Pure: no database, no HTTP, no clock.

use serde::{Deserialize, Serialize};

mod anonymize;
mod detect;
mod docx;
pub mod fonts;
mod ole;
mod pdf;
mod render;
mod xml;
mod zipread;

pub use anonymize::anonymize;
pub use render::{render_human, was_read};

/// The format of a document, decided from its content, never from its extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    Pdf,
    Docx,
    Docm,
    Doc,
    Odt,
    Rtf,
    Unknown,
}

/// Where a page count came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PageCountSource {
    Pdf,
    Layout,
    Renderer,
    Metadata,
}

/// Paper class of a document's pages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Paper {
    A4,
    Letter,
    #[serde(rename = "other")]
    Other,
    #[serde(rename = "mixed")]
    Mixed,
}

/// Something that stopped or limited the reading of a document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Problem {
    pub code: ProblemCode,
    pub message: String,
}

/// What inspection found. Serialises to the stable `inspect --json` contract.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Facts {
    pub format: Format,
    /// The file carries encryption. Whether that stops anyone reading it is
    /// `opens_without_password`.
    pub encrypted: bool,
    /// An encrypted PDF whose user password is empty: every viewer opens it without asking
    /// (the owner password only restricts copying, printing or editing).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub opens_without_password: bool,
    /// What the owner of such a PDF restricted: `copying`, `printing`, `editing`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub restrictions: Vec<String>,
    pub pages: Option<u32>,
    pub page_count_source: Option<PageCountSource>,
    pub paper: Option<Paper>,
    pub page_sizes_mm: Vec<[f64; 2]>,
    pub last_page_fill: Option<f64>,
    pub words: Option<u32>,
    pub page_starts: Vec<String>,
    pub problems: Vec<Problem>,
    /// Microsoft Word's own page count, from `docProps/app.xml`, when Word saved the file last
    /// (see `docx::word_saved_last`): the best evidence for fonts we cannot measure.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub word_pages: Option<u32>,
    /// Fonts that carry part of the text and have no metric twin here: the layout measured them
    /// with a substitute, so its page count is an estimate (problem `estimate`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub unmeasured_fonts: Vec<String>,
}

impl Facts {
    fn new(format: Format) -> Self {
        Facts {
            format,
            encrypted: false,
            opens_without_password: false,
            restrictions: Vec::new(),
            pages: None,
            page_count_source: None,
            paper: None,
            page_sizes_mm: Vec::new(),
            last_page_fill: None,
            words: None,
            page_starts: Vec::new(),
            problems: Vec::new(),
            word_pages: None,
            unmeasured_fonts: Vec::new(),
        }
    }

    fn problem(&mut self, code: ProblemCode, message: impl Into<String>) {
        if !self.problems.iter().any(|p| p.code == code) {
            self.problems.push(Problem {
                code,
                message: message.into(),
            });
        }
    }
}

/// What stopped or qualified the reading of a file: a stable code, serialized as today's
/// kebab-case strings (`zip-bomb`), which stored inspections and the policy's rules read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ProblemCode {
    /// The file is larger than [`crate::Limits::max_file_bytes`].
    TooLarge,
    /// A ZIP container holds more entries than allowed.
    TooManyEntries,
    /// A ZIP container would expand to too much data, or compresses suspiciously well.
    ZipBomb,
    /// XML nested deeper than allowed.
    XmlTooDeep,
    /// XML carries a DOCTYPE (entity expansion is never performed).
    XmlDoctype,
    /// The document needs a password.
    Encrypted,
    /// The document is of a known kind but could not be read.
    Unreadable,
    /// The file is not a document of a supported kind.
    NotADocument,
    /// The document carries macros (VBA).
    Macros,
    /// The PDF carries JavaScript.
    Javascript,
    /// The PDF carries a Launch action.
    LaunchAction,
    /// The PDF has more pages or objects than allowed.
    TooComplex,
    /// The page count is an estimate (e.g. fonts without metrics, floating objects).
    Estimate,
}

impl ProblemCode {
    /// Every code, in declaration order.
    pub const ALL: &'static [ProblemCode] = &[
        ProblemCode::TooLarge,
        ProblemCode::TooManyEntries,
        ProblemCode::ZipBomb,
        ProblemCode::XmlTooDeep,
        ProblemCode::XmlDoctype,
        ProblemCode::Encrypted,
        ProblemCode::Unreadable,
        ProblemCode::NotADocument,
        ProblemCode::Macros,
        ProblemCode::Javascript,
        ProblemCode::LaunchAction,
        ProblemCode::TooComplex,
        ProblemCode::Estimate,
    ];

    pub const fn as_str(self) -> &'static str {
        match self {
            ProblemCode::TooLarge => "too-large",
            ProblemCode::TooManyEntries => "too-many-entries",
            ProblemCode::ZipBomb => "zip-bomb",
            ProblemCode::XmlTooDeep => "xml-too-deep",
            ProblemCode::XmlDoctype => "xml-doctype",
            ProblemCode::Encrypted => "encrypted",
            ProblemCode::Unreadable => "unreadable",
            ProblemCode::NotADocument => "not-a-document",
            ProblemCode::Macros => "macros",
            ProblemCode::Javascript => "javascript",
            ProblemCode::LaunchAction => "launch-action",
            ProblemCode::TooComplex => "too-complex",
            ProblemCode::Estimate => "estimate",
        }
    }

    /// The file could not be read through, so no rule about its content can be judged.
    pub const fn means_unreadable(self) -> bool {
        matches!(
            self,
            ProblemCode::Unreadable
                | ProblemCode::TooLarge
                | ProblemCode::TooManyEntries
                | ProblemCode::ZipBomb
                | ProblemCode::XmlTooDeep
                | ProblemCode::XmlDoctype
                | ProblemCode::TooComplex
        )
    }

    /// Active content in a PDF (refused with macros).
    pub const fn is_active_content(self) -> bool {
        matches!(self, ProblemCode::Javascript | ProblemCode::LaunchAction)
    }
}

impl std::fmt::Display for ProblemCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for ProblemCode {
    type Err = String;

    fn from_str(code: &str) -> Result<Self, Self::Err> {
        ProblemCode::ALL
            .iter()
            .find(|c| c.as_str() == code)
            .copied()
            .ok_or_else(|| format!("unknown problem code {code:?}"))
    }
}

impl PartialEq<str> for ProblemCode {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for ProblemCode {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

/// The problem codes under their old constant names.
pub mod codes {
    use super::ProblemCode;

    pub const TOO_LARGE: ProblemCode = ProblemCode::TooLarge;
    pub const TOO_MANY_ENTRIES: ProblemCode = ProblemCode::TooManyEntries;
    pub const ZIP_BOMB: ProblemCode = ProblemCode::ZipBomb;
    pub const XML_TOO_DEEP: ProblemCode = ProblemCode::XmlTooDeep;
    pub const XML_DOCTYPE: ProblemCode = ProblemCode::XmlDoctype;
    pub const ENCRYPTED: ProblemCode = ProblemCode::Encrypted;
    pub const UNREADABLE: ProblemCode = ProblemCode::Unreadable;
    pub const NOT_A_DOCUMENT: ProblemCode = ProblemCode::NotADocument;
    pub const MACROS: ProblemCode = ProblemCode::Macros;
    pub const JAVASCRIPT: ProblemCode = ProblemCode::Javascript;
    pub const LAUNCH_ACTION: ProblemCode = ProblemCode::LaunchAction;
    pub const TOO_COMPLEX: ProblemCode = ProblemCode::TooComplex;
    pub const ESTIMATE: ProblemCode = ProblemCode::Estimate;
}

/// Limits checked before doing work on hostile files.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Limits {
    /// Largest file accepted at all.
    pub max_file_bytes: u64,
    /// Most entries in a ZIP container (DOCX, ODT).
    pub max_zip_entries: usize,
    /// Most bytes all ZIP entries may expand to (declared and actually read).
    pub max_uncompressed_bytes: u64,
    /// Highest ratio of uncompressed to compressed size of one entry (for entries over 64 KiB).
    pub max_compression_ratio: u64,
    /// Deepest XML element nesting.
    pub max_xml_depth: usize,
    /// Most pages a PDF may have.
    pub max_pdf_pages: u32,
    /// Most objects a PDF may have. Essays have hundreds (the largest in the reference corpus,
    /// a 2.6 MB book, 2,070); each costs parsing time and memory before any rule can be checked.
    pub max_pdf_objects: usize,
    /// Most bytes one PDF stream may decompress to.
    pub max_pdf_stream_bytes: usize,
    /// Most paragraphs and table cells the layout engine will lay out.
    pub max_layout_blocks: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_file_bytes: 20 * 1024 * 1024,
            max_zip_entries: 2000,
            max_uncompressed_bytes: 200 * 1024 * 1024,
            max_compression_ratio: 100,
            max_xml_depth: 256,
            max_pdf_pages: 10_000,
            max_pdf_objects: 50_000,
            max_pdf_stream_bytes: 64 * 1024 * 1024,
            max_layout_blocks: 200_000,
        }
    }
}

/// Facts outside the stable contract that the policy and assessment layers need.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Details {
    /// Lines of body text on the last page (DOCX layout).
    pub lines_on_last_page: Option<u32>,
    /// Lines of Normal-style text a full page holds (DOCX layout).
    pub lines_per_full_page: Option<u32>,
    pub has_macros: bool,
    pub has_javascript: bool,
    pub has_launch_action: bool,
    /// `<Pages>` of docProps/app.xml: what the saving program last wrote (evidence only).
    pub app_xml_pages: Option<u32>,
    /// `<Application>` of docProps/app.xml.
    pub app_xml_application: Option<String>,
    /// `<AppVersion>` of docProps/app.xml.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub app_xml_version: Option<String>,
    /// `<Words>` of docProps/app.xml.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub app_xml_words: Option<u32>,
    /// Document metadata (DOCX core properties, PDF Info, OLE summary) for an anonymity check.
    pub metadata: Vec<(String, String)>,
    /// Plain body text, capped at about 64 KiB.
    pub text_excerpt: Option<String>,
    /// Fonts named by the document that have no metric twin (measured with a fallback).
    pub fallback_fonts: Vec<String>,
    /// What assessors read of a .docx, built from the blocks that were laid out and counted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub essay_html: Option<EssayHtml>,
}

/// A .docx as escaped HTML for assessors. Images are `<img data-essay-image="N">`, N indexing
/// [`EssayHtml::images`] (package part names, each listed once, PNG/JPEG/GIF only).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct EssayHtml {
    pub html: String,
    pub images: Vec<String>,
}

/// The content type an essay image part is served with; `None` for parts that are not shown.
pub fn essay_image_content_type(part: &str) -> Option<&'static str> {
    docx::html::image_content_type(part)
}

/// Everything [`inspect`] found.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Inspection {
    pub facts: Facts,
    pub details: Details,
}

/// Largest text excerpt kept in [`Details::text_excerpt`].
pub const TEXT_EXCERPT_CAP: usize = 64 * 1024;

/// Inspects a document. The format is decided from the content alone: the declared filename (the
/// uploader's text) is not read, not even for messages, which describe the content instead. Never
/// panics; every limit violation becomes a [`Problem`].
pub fn inspect(bytes: &[u8], _declared_filename: &str, limits: &Limits) -> Inspection {
    let mut details = Details::default();
    if bytes.len() as u64 > limits.max_file_bytes {
        let mut facts = Facts::new(detect::sniff_magic(bytes));
        facts.problem(
            codes::TOO_LARGE,
            format!(
                "The file is {} bytes; the largest accepted is {} bytes.",
                bytes.len(),
                limits.max_file_bytes
            ),
        );
        return Inspection { facts, details };
    }
    let facts = match detect::sniff_magic(bytes) {
        Format::Pdf => pdf::inspect_pdf(bytes, limits, &mut details),
        Format::Rtf => {
            let mut f = Facts::new(Format::Rtf);
            f.problem(
                codes::NOT_A_DOCUMENT,
                "This is an RTF file. Please upload a Word document (.docx) or a PDF.",
            );
            f
        }
        Format::Doc => ole::inspect_ole(bytes, limits, &mut details),
        Format::Docx => zipread::inspect_zip(bytes, limits, &mut details),
        _ => {
            let mut f = Facts::new(Format::Unknown);
            f.problem(
                codes::NOT_A_DOCUMENT,
                format!(
                    "This file is not a Word document or a PDF ({}).",
                    detect::describe_unknown(bytes)
                ),
            );
            f
        }
    };
    Inspection { facts, details }
}
