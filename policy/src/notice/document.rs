//! What a notice asks of the document: formats, a page limit (and A4), and words the
//! file name must contain.

use super::text::clean;
use crate::rules::AcceptedFormat;

re!(
    re_pages,
    r"(?i)\b(?:maximum|max\.?|no\s+more\s+than|not\s+(?:more|longer)\s+than|not\s+exceed(?:ing)?|at\s+most|up\s+to|limit(?:ed)?\s+to)\s+(?:of\s+)?(\d{1,2}|one|two|three|four|five|six)\s+(?:\(\d+\)\s+)?(A4\s+)?pages?\b"
);
re!(
    re_pages_after,
    r"(?i)\b(\d{1,2}|one|two|three|four|five|six)\s+(A4\s+)?pages?\s+(?:maximum|max\b|at\s+most)"
);
re!(pub(super) re_a4, r"\bA4\b");
re!(re_word, r"\b(?:MS\s+|Microsoft\s+)?Word\b");
re!(re_pdf, r"(?i)\bpdf\b");
re!(re_doc, r"(?i)(?:\.doc\b|\bword\s*97)");
re!(re_odt, r"(?i)(?:\bodt\b|opendocument)");
re!(re_rtf, r"(?i)\brtf\b");
re!(pub(super) re_attach, r"(?i)\b(?:attach|submit|upload|send)\w*\b");
re!(
    pub(super) re_document,
    r"(?i)\b(?:document|essay|file|letter|attachment)s?\b"
);
re!(
    re_naming,
    r"(?i)\b(?:title|name|file\s*name)\b.*\b(?:must|should|shall)\b.*\b(?:include|contain)"
);
re!(pub(super) re_quoted, r#"[“"]([^”"]{2,60})[”"]"#);

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

/// The formats a piece of text names: "MS Word" is .docx, ".doc" or "Word 97" the legacy one.
pub(super) fn formats_in(text: &str) -> Vec<AcceptedFormat> {
    let mut formats = vec![];
    if re_word().is_match(text) {
        formats.push(AcceptedFormat::Docx);
    }
    if re_pdf().is_match(text) {
        formats.push(AcceptedFormat::Pdf);
    }
    if re_doc().is_match(text) {
        formats.push(AcceptedFormat::Doc);
    }
    if re_odt().is_match(text) {
        formats.push(AcceptedFormat::Odt);
    }
    if re_rtf().is_match(text) {
        formats.push(AcceptedFormat::Rtf);
    }
    formats
}

pub(super) fn find_formats(sentences: &[String]) -> Option<(Vec<AcceptedFormat>, String)> {
    sentences.iter().find_map(|sentence| {
        if !(re_attach().is_match(sentence) && re_document().is_match(sentence)) {
            return None;
        }
        let formats = formats_in(sentence);
        (!formats.is_empty()).then(|| (formats, sentence.clone()))
    })
}

/// The page limit a piece of text states ("max. 2 pages", "2 pages maximum").
pub(super) fn pages_in(text: &str) -> Option<u32> {
    let c = re_pages()
        .captures(text)
        .or_else(|| re_pages_after().captures(text))?;
    number_word(&c[1])
}

pub(super) fn find_pages(sentences: &[String]) -> Option<(u32, bool, String)> {
    sentences.iter().find_map(|sentence| {
        let c = re_pages()
            .captures(sentence)
            .or_else(|| re_pages_after().captures(sentence))?;
        let pages = number_word(&c[1])?;
        Some((pages, re_a4().is_match(sentence), sentence.clone()))
    })
}

pub(super) fn find_filename_phrase(sentences: &[String]) -> Option<(String, String)> {
    sentences.iter().find_map(|sentence| {
        if !re_naming().is_match(sentence) {
            return None;
        }
        let c = re_quoted().captures(sentence)?;
        Some((clean(c[1].trim()), sentence.clone()))
    })
}
