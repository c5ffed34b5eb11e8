//! Format sniffing from content.

use crate::Format;

const OLE_MAGIC: &[u8] = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1";

/// First-pass format from magic bytes: `Doc` means "an OLE compound file" and `Docx` means
/// "a ZIP container"; both are refined by looking inside.
pub fn sniff_magic(bytes: &[u8]) -> Format {
    let head = bytes.get(..1024).unwrap_or(bytes);
    if bytes.starts_with(OLE_MAGIC) {
        Format::Doc
    } else if bytes.starts_with(b"PK\x03\x04") {
        Format::Docx
    } else if bytes.starts_with(b"{\\rtf") {
        Format::Rtf
    } else if head.windows(5).any(|w| w == b"%PDF-") {
        Format::Pdf
    } else {
        Format::Unknown
    }
}

/// A short description of an unsupported file.
pub fn describe_unknown(bytes: &[u8]) -> &'static str {
    let lower: Vec<u8> = bytes
        .iter()
        .take(512)
        .map(|b| b.to_ascii_lowercase())
        .collect();
    let contains = |n: &[u8]| lower.windows(n.len()).any(|w| w == n);
    if bytes.is_empty() {
        "the file is empty"
    } else if bytes.starts_with(b"\x89PNG") {
        "a PNG image"
    } else if bytes.starts_with(b"\xFF\xD8\xFF") {
        "a JPEG image"
    } else if bytes.starts_with(b"GIF8") {
        "a GIF image"
    } else if bytes.starts_with(b"PK") {
        "a ZIP archive"
    } else if contains(b"<html") || contains(b"<!doctype html") {
        "an HTML page"
    } else if bytes
        .iter()
        .take(4096)
        .all(|&b| b >= 0x20 || b == b'\n' || b == b'\r' || b == b'\t' || b >= 0x80)
    {
        "plain text"
    } else {
        "an unrecognised file"
    }
}
