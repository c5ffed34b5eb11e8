//! What a notice asks of the document: formats, a page limit (and A4), and words the
//! file name must contain.

use super::text::clean;
use crate::rules::AcceptedFormat;

// A page limit: "maximum of two (2) A4 pages", "no longer than one A4 page", "not exceed
// 1 page", "2 pages max.", "no more than two sides of A4", "a one-page essay".
re!(
    re_pages,
    r"(?ix)\b(?:
        maximum | max\.? | no\s+more\s+than | not\s+more\s+than | no\s+longer\s+than |
        not\s+longer\s+than | not\s+be\s+(?:longer|more)\s+than | not\s+to\s+exceed | not\s+exceed(?:ing)? | exceeding | at\s+most |
        up\s+to | limit(?:ed)?\s+to | (?:maximum\s+)?length\s+(?:of|is|:) | page\s+limit\s*(?:of|is|:)?
    )\s+(?:of\s+)?(?:a\s+)?(?:max(?:imum|\.)?\s+(?:of\s+)?)?
    (\d{1,2}|one|two|three|four|five|six|seven|eight|nine|ten)(?:\s*\(\d{1,2}\))?
    (?:\s+(?:A4|single[-\s]sided|double[-\s]spaced|typed|typewritten|printed|standard|full))*
    \s+(?:pages?|sides?\s+of\s+A4|sides?)\b"
);
re!(
    re_pages_after,
    r"(?ix)\b(\d{1,2}|one|two|three|four|five|six|seven|eight|nine|ten)(?:\s*\(\d{1,2}\))?
    (?:\s+A4)?\s+(?:pages?|sides?\s+of\s+A4)\s*(?:,\s*)?
    (?:maximum|max\b|at\s+most|or\s+(?:less|fewer)|long\s+at\s+most)"
);
// "maximum 1,500 words or two pages": the page limit of a limit in words or pages.
re!(
    re_pages_words_or,
    r"(?ix)\b(?:maximum|max\.?|no\s+more\s+than|not\s+more\s+than|up\s+to|not\s+exceed(?:ing)?|at\s+most)
    \s+(?:of\s+)?[\d,.\s]+\s+words\s*,?\s*or\s+(?:a\s+maximum\s+of\s+)?
    (\d{1,2}|one|two|three|four|five|six|seven|eight|nine|ten)(?:\s*\(\d{1,2}\))?(?:\s+A4)?\s+pages?\b"
);
re!(
    re_pages_compound,
    r"(?ix)\b(\d{1,2}|one|two|three|four|five|six)[-\s]page\s+
    (?:essay|document|statement|paper|note|letter|summary|text|submission|limit|maximum)\b"
);
re!(pub(super) re_a4, r"\bA4\b");
re!(
    re_word,
    r"(?:\b(?:MS\s+|Microsoft\s+)?Word\b|(?i:\bword\s+(?:format|document|file|version)s?\b))"
);
re!(re_docx, r"(?i)\.?\bdocx\b");
re!(re_pdf, r"(?i)\bpdf\b");
re!(re_doc, r"(?i)(?:\.doc\b|\bword\s*97)");
re!(re_odt, r"(?i)(?:\bodt\b|opendocument)");
re!(re_rtf, r"(?i)\brtf\b");
// Software skills ("MS Excel, Word, Outlook and PowerPoint") are not formats.
re!(
    re_software,
    r"(?i)\b(?:excel|powerpoint|outlook|office\s+suite)\b"
);
re!(
    re_format_context,
    r"(?i)\b(?:format|formats|only|accepted|docx|file|files|version)\b"
);
re!(
    pub(super) re_attach,
    r"(?i)(?:\b(?:attach|submit|upload|send|enclose)\w*\b|\b(?:provide|write|prepare|include)\s+(?:a|an|one|your|their)\s+(?:[\w-]+\s+){0,3}?(?:essay|paper|document)\b)"
);
re!(
    pub(super) re_document,
    r"(?i)\b(?:document|essay|file|letter|attachment)s?\b"
);
// A sentence stating how to name the file: "The title of the attachment must include …",
// "Please name the file …", "The file must be named …", "save the document as …".
re!(
    pub(super) re_naming,
    r"(?ix)
    \b(?:title|name|file\s*name|filename)\b.*\b(?:must|should|shall|has\s+to|needs?\s+to|is\s+to)\b.*
      \b(?:include|contain|read|start|begin|end|be|show|bear)
    | \b(?:name|save|title|label|entitle)\s+(?:your|the|this|each|their|his|her)\s+
      (?:\w+\s+){0,2}?(?:file|document|essay|attachment|statement|paper)s?\b
    | \b(?:file|document|essay|attachment|statement|paper)s?\b.{0,60}\b(?:named|entitled|titled|saved\s+as|labell?ed|called)\b
    "
);
re!(
    pub(super) re_quoted,
    r#"(?:[“"«]\s*([^”"»]{2,60}?)\s*[”"»]|‘([^’]{2,60})’|(?:^|[\s(:])'([^']{2,60})'(?:[^\p{L}]|$))"#
);
re!(re_phrase_key_challenges, r"(?i)\bkey[\s_\-]+challenges?\b");
re!(
    re_reference_words,
    r"(?i)\b(?:reference|ref\.|vacancy\s+(?:number|no)|job\s+(?:id|number|opening)|post\s+number|requisition|VN)\b"
);

fn number_word(text: &str) -> Option<u32> {
    match text.to_lowercase().as_str() {
        "one" => Some(1),
        "two" => Some(2),
        "three" => Some(3),
        "four" => Some(4),
        "five" => Some(5),
        "six" => Some(6),
        "seven" => Some(7),
        "eight" => Some(8),
        "nine" => Some(9),
        "ten" => Some(10),
        digits => digits.parse().ok(),
    }
}

/// The formats a piece of text names: "MS Word" is .docx, ".doc" or "Word 97" the legacy one.
pub(super) fn formats_in(text: &str) -> Vec<AcceptedFormat> {
    let mut formats = vec![];
    if re_word().is_match(text) || re_docx().is_match(text) {
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
        let about_a_document = re_attach().is_match(sentence)
            || re_document().is_match(sentence)
            || re_format_context().is_match(sentence);
        if !about_a_document || re_software().is_match(sentence) {
            return None;
        }
        let formats = formats_in(sentence);
        (!formats.is_empty()).then(|| (formats, sentence.clone()))
    })
}

/// The page limit a piece of text states ("max. 2 pages", "2 pages maximum", "no longer
/// than one A4 page", "two sides of A4", "a one-page essay").
pub(super) fn pages_in(text: &str) -> Option<u32> {
    let c = re_pages()
        .captures(text)
        .or_else(|| re_pages_after().captures(text))
        .or_else(|| re_pages_words_or().captures(text))
        .or_else(|| re_pages_compound().captures(text))?;
    number_word(&c[1]).filter(|&n| n > 0)
}

pub(super) fn find_pages(sentences: &[String]) -> Option<(u32, bool, String)> {
    sentences.iter().find_map(|sentence| {
        let pages = pages_in(sentence)?;
        Some((pages, re_a4().is_match(sentence), sentence.clone()))
    })
}

/// The words a naming sentence asks the file name to carry, and whether it asks for the
/// reference too: “245871 Key challenges”, "17842_Key challenges", 'Key challenges -
/// 412983' all give "Key challenges" (the reference is a separate rule), with the
/// reference; "the vacancy reference and the words “Key challenges”" too.
pub(super) fn phrase_in(sentence: &str) -> Option<(String, bool)> {
    if !re_naming().is_match(sentence) {
        return None;
    }
    let quoted = re_quoted().captures_iter(sentence).find_map(|c| {
        let text = c.iter().skip(1).flatten().next()?.as_str().trim();
        (!text.is_empty()).then(|| text.to_string())
    })?;
    let with_digits = quoted
        .split(|c: char| c.is_whitespace() || c == '_')
        .any(|t| t.chars().filter(char::is_ascii_digit).count() >= 3);
    let phrase = if let Some(m) = re_phrase_key_challenges().find(&quoted) {
        // "Key_Challenges" is written with a space: the file-name rule splits on both.
        m.as_str().replace(['_', '-'], " ")
    } else {
        // The quoted name without the example reference, placeholders and extension.
        quoted
            .split(|c: char| c.is_whitespace() || c == '_')
            .filter(|t| !t.chars().any(|c| c.is_ascii_digit()))
            .filter(|t| !t.starts_with(['[', '<', '{']) && !t.ends_with([']', '>', '}']))
            .filter(|t| !matches!(*t, "-" | "–" | "+"))
            .collect::<Vec<_>>()
            .join(" ")
            .trim_end_matches(".docx")
            .trim_end_matches(".pdf")
            .to_string()
    };
    let phrase = clean(&phrase);
    if phrase.chars().filter(|c| c.is_alphabetic()).count() < 2 {
        return None;
    }
    let with_reference = with_digits || re_reference_words().is_match(sentence);
    Some((phrase, with_reference))
}

pub(super) fn find_filename_phrase(sentences: &[String]) -> Option<(String, String)> {
    sentences
        .iter()
        .find_map(|sentence| phrase_in(sentence).map(|(phrase, _)| (phrase, sentence.clone())))
}
