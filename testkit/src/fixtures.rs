//! The essays in `tests/fixtures`: real Word documents whose page counts are known.

/// Two A4 pages: passes a "2 A4 pages" rule.
pub const TWO_PAGES_A4_DOCX: &[u8] = include_bytes!("../../tests/fixtures/two-pages-a4.docx");
/// Three A4 pages: one too many.
pub const THREE_PAGES_A4_DOCX: &[u8] = include_bytes!("../../tests/fixtures/three-pages-a4.docx");

/// A file of `tests/fixtures` by name.
pub fn fixture(name: &str) -> Vec<u8> {
    let path = format!("{}/tests/fixtures/{name}", crate::REPOSITORY);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}
