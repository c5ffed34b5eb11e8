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
    pub code: String,
    pub message: String,
}

/// What inspection found. Serialises to the stable `inspect --json` contract.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Facts {
    pub format: Format,
    pub encrypted: bool,
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

    fn problem(&mut self, code: &str, message: impl Into<String>) {
        if !self.problems.iter().any(|p| p.code == code) {
            self.problems.push(Problem {
                code: code.to_string(),
                message: message.into(),
            });
        }
    }
}

/// Stable problem codes.
pub mod codes {
    /// The file is larger than [`crate::Limits::max_file_bytes`].
    pub const TOO_LARGE: &str = "too-large";
    /// A ZIP container holds more entries than allowed.
    pub const TOO_MANY_ENTRIES: &str = "too-many-entries";
    /// A ZIP container would expand to too much data, or compresses suspiciously well.
    pub const ZIP_BOMB: &str = "zip-bomb";
    /// XML nested deeper than allowed.
    pub const XML_TOO_DEEP: &str = "xml-too-deep";
    /// XML carries a DOCTYPE (entity expansion is never performed).
    pub const XML_DOCTYPE: &str = "xml-doctype";
    /// The document needs a password.
    pub const ENCRYPTED: &str = "encrypted";
    /// The document is of a known kind but could not be read.
    pub const UNREADABLE: &str = "unreadable";
    /// The file is not a document of a supported kind.
    pub const NOT_A_DOCUMENT: &str = "not-a-document";
    /// The document carries macros (VBA).
    pub const MACROS: &str = "macros";
    /// The PDF carries JavaScript.
    pub const JAVASCRIPT: &str = "javascript";
    /// The PDF carries a Launch action.
    pub const LAUNCH_ACTION: &str = "launch-action";
    /// The PDF has more pages or objects than allowed.
    pub const TOO_COMPLEX: &str = "too-complex";
    /// The page count is an estimate (e.g. fonts without metrics, floating objects).
    pub const ESTIMATE: &str = "estimate";
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
    /// Most objects a PDF may have.
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
            max_pdf_objects: 500_000,
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

/// Inspects a document. The format is decided from the content; `declared_filename` is only used
/// for messages. Never panics; every limit violation becomes a [`Problem`].
pub fn inspect(bytes: &[u8], declared_filename: &str, limits: &Limits) -> Inspection {
    let _ = declared_filename;
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
