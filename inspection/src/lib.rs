//! Document inspection: bytes and a declared filename in, facts out. Pure: no database, no HTTP, no clock.

use serde::{Deserialize, Serialize};

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
}
