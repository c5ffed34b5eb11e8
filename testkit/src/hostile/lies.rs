//! Files lying about their type, empty, cut short or too large.

use super::{Case, Finding, REFUSED, REFUSED_OR_ACCEPTED};
use crate::fixtures::TWO_PAGES_A4_DOCX;
use crate::pdf::{essay, A4};

const PNG: &[u8] =
    b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89";
const HTML: &[u8] =
    b"<!doctype html><html><body><script>alert(1)</script>Key challenges</body></html>";
const SHORT_HTML: &[u8] = b"<html><body>hi</body></html>";
const ZIP_CUT: &[u8] = b"PK\x03\x04garbage";
const OLE_CUT: &[u8] = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1 truncated";
const NO_XREF_LOOP: &[u8] = b"%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [2 0 R] /Count 1 >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF";

pub(super) fn cases() -> Vec<Case> {
    let elf = std::fs::read("/bin/true").unwrap_or_else(|_| b"\x7fELF\x02\x01\x01".repeat(100));
    let good_pdf = essay(&[A4, A4], "truncated", 0);
    let cut_pdf = &good_pdf[..good_pdf.len() * 6 / 10];
    let cut_docx = &TWO_PAGES_A4_DOCX[..TWO_PAGES_A4_DOCX.len() * 6 / 10];
    // Refused by the server; not read by the library, for the reason given.
    let named = |name: &str, extension, bytes: &[u8], problem: &'static [&'static str]| {
        let finding = Finding::Problems(problem);
        Case::new(name, extension, bytes.to_vec(), REFUSED, finding)
    };
    let (lie, unreadable): (&[&str], &[&str]) = (&["not-a-document"], &["unreadable"]);
    let mut cases = vec![
        named("ELF executable named .pdf", "pdf", &elf, lie),
        named("PNG image named .docx", "docx", PNG, lie),
        named("PNG signature only", "docx", b"\x89PNG\r\n\x1a\n", lie),
        named("HTML named .pdf", "pdf", HTML, lie),
        named("HTML named .docx", "docx", SHORT_HTML, lie),
        named("RTF named .docx", "docx", b"{\\rtf1 hello}", lie),
        named("zip signature then garbage", "docx", ZIP_CUT, unreadable),
        named("OLE signature then nothing", "docx", OLE_CUT, unreadable),
        named("0 bytes", "pdf", b"", lie),
        named("truncated PDF (first 60%)", "pdf", cut_pdf, unreadable),
        named("truncated DOCX (first 60%)", "docx", cut_docx, unreadable),
        named("PDF header only", "pdf", b"%PDF-1.7\n", unreadable),
        named("PDF 1.4 header only", "pdf", b"%PDF-1.4\n", unreadable),
        named("PDF loop, no xref table", "pdf", NO_XREF_LOOP, unreadable),
    ];
    // Valid documents under the other format's name: refused, or read for what they are.
    for (name, extension, bytes) in [
        ("valid PDF named .docx", "docx", essay(&[A4, A4], "liar", 0)),
        ("valid DOCX named .pdf", "pdf", TWO_PAGES_A4_DOCX.to_vec()),
    ] {
        let finding = Finding::Anything;
        cases.push(Case::new(
            name,
            extension,
            bytes,
            REFUSED_OR_ACCEPTED,
            finding,
        ));
    }
    // Larger than the vacancy allows (10 MiB), though not than the library does.
    let big = essay(&[A4], "big", 11 << 20);
    cases.push(Case::new(
        "11 MiB upload",
        "pdf",
        big,
        &[413],
        Finding::Anything,
    ));
    cases
}
