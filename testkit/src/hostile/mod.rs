//! The hostile inputs, each with the answer it must get: from the server (`loadgen hostile`
//! uploads every one next to normal uploads) and from the inspection library (its `hostile` test
//! inspects every one in-process). One list, so that a file added for one is tried by both.

mod docx;
mod lies;
mod pdf;

pub use self::docx::{deep_xml_with_doctype, pdf_polyglot, zip_bomb};
pub use self::pdf::{active_content, PDF_ACTIONS};

/// How large the bombs are made.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Scale {
    /// The real thing, for the server: a zip bomb of 1 GiB.
    Server,
    /// For the inspection library's own test, in-process on a debug build: a zip bomb of
    /// 50 MiB, which the same limit (the compression ratio) refuses.
    Library,
}

/// What the inspection library must find in a case.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Finding {
    /// Each of these problem codes among the problems found.
    Problems(&'static [&'static str]),
    /// A JavaScript action.
    JavaScript,
    /// A Launch action.
    Launch,
    /// Nothing in particular: it is inspected without a panic or a hang.
    Anything,
}

/// One hostile input and the answers it must get.
pub struct Case {
    pub name: String,
    /// What it is named: `docx` or `pdf` (often not what it is).
    pub extension: &'static str,
    pub bytes: Vec<u8>,
    /// The server's answers that are right: a refusal (422, or 413 over the vacancy's size), or
    /// 201 as well where the file is heavy but legal.
    pub statuses: &'static [u16],
    pub finding: Finding,
}

impl Case {
    fn new(
        name: impl Into<String>,
        extension: &'static str,
        bytes: Vec<u8>,
        statuses: &'static [u16],
        finding: Finding,
    ) -> Self {
        Case {
            name: name.into(),
            extension,
            bytes,
            statuses,
            finding,
        }
    }

    /// The file name it is uploaded under for a vacancy `reference` asking for "Key challenges":
    /// a right name, so that only the content is at fault.
    pub fn file_name(&self, reference: &str) -> String {
        format!("{reference} Key challenges.{}", self.extension)
    }
}

/// A refusal: the document rules' 422.
pub const REFUSED: &[u16] = &[422];
/// Refused, or accepted when the server can read it within its limits.
pub const REFUSED_OR_ACCEPTED: &[u16] = &[422, 201];

/// Every hostile case: Word files, PDFs, then files lying about their type, empty or cut short.
pub fn cases(scale: Scale) -> Vec<Case> {
    let mut cases = docx::cases(scale);
    cases.extend(pdf::cases());
    cases.extend(lies::cases());
    cases
}
