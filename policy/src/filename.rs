//! The file-name rule: notices ask that "the title of the attachment must include the
//! vacancy reference and the words “Key challenges”", so that reviewers can find each
//! essay among thousands of attachments.
//!
//! The rule, exactly:
//! * Only the basename counts: anything up to the last `/` or `\` is dropped, since
//!   browsers on Windows still send full paths.
//! * The name is compared in Unicode NFC and case-insensitively, so a macOS name in NFD
//!   matches the same name typed on Windows.
//! * `_`, `-`, `.` and whitespace are separators, and a run of them counts as one.
//! * The reference must be a whole token: `251334_Key` matches, `2513345` does not.
//!   Look-alike characters (`25l334`, full-width `２５１３３４`) are not the reference.
//! * The phrase's words must appear in order as consecutive tokens.
//! * Control characters, and the invisible bidirectional controls that can disguise an
//!   extension (U+202E "…xcod.exe"), are refused; so is a name over 255 bytes (UTF-8,
//!   after NFC), the limit of common file systems.

use serde::{Deserialize, Serialize};
use unicode_normalization::UnicodeNormalization;

use crate::i18n::{self, s};
use crate::{Lang, Localized};

/// The longest name, in bytes, that common file systems store.
pub const MAX_FILENAME_BYTES: usize = 255;

/// Why a file name breaks the rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[serde(rename_all = "kebab-case", tag = "problem")]
pub enum FilenameProblem {
    #[error("the file has no name")]
    Empty,
    #[error("the file name contains a control character")]
    ControlCharacter,
    #[error("the file name is {bytes} bytes long, over the limit of 255")]
    TooLong { bytes: usize },
    #[error("the file name does not contain the reference as a separate token")]
    MissingReference,
    #[error("the file name does not contain the required words in order")]
    MissingPhrase,
    #[error("the file name contains neither the reference nor the required words")]
    MissingReferenceAndPhrase,
}

/// The part of a path after the last `/` or `\`.
pub fn basename(name: &str) -> &str {
    name.rsplit(['/', '\\']).next().unwrap_or(name)
}

fn is_separator(c: char) -> bool {
    matches!(c, '_' | '-' | '.') || c.is_whitespace()
}

fn is_forbidden(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Lower-case NFC tokens of a name or phrase.
fn tokens(text: &str) -> Vec<String> {
    let folded: String = text.nfc().collect::<String>().to_lowercase();
    // Lower-casing can denormalise (e.g. some Greek capitals); normalise again.
    let folded: String = folded.nfc().collect();
    folded
        .split(is_separator)
        .filter(|t| !t.is_empty())
        .map(String::from)
        .collect()
}

/// Checks a file name against the rule. `reference` and `phrase` are each skipped when
/// `None` or blank; the control-character and length checks always apply.
pub fn check_filename(
    name: &str,
    reference: Option<&str>,
    phrase: Option<&str>,
) -> Result<(), FilenameProblem> {
    let base = basename(name);
    if base.trim().is_empty() {
        return Err(FilenameProblem::Empty);
    }
    if base.chars().any(is_forbidden) {
        return Err(FilenameProblem::ControlCharacter);
    }
    let bytes = base.nfc().collect::<String>().len();
    if bytes > MAX_FILENAME_BYTES {
        return Err(FilenameProblem::TooLong { bytes });
    }
    let name_tokens = tokens(base);
    let missing_reference = match reference.map(tokens) {
        Some(r) if !r.is_empty() => !contains_run(&name_tokens, &r),
        _ => false,
    };
    let missing_phrase = match phrase.map(tokens) {
        Some(p) if !p.is_empty() => !contains_run(&name_tokens, &p),
        _ => false,
    };
    match (missing_reference, missing_phrase) {
        (false, false) => Ok(()),
        (true, false) => Err(FilenameProblem::MissingReference),
        (false, true) => Err(FilenameProblem::MissingPhrase),
        (true, true) => Err(FilenameProblem::MissingReferenceAndPhrase),
    }
}

fn contains_run(haystack: &[String], needle: &[String]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// The name we suggest: "251334 Key challenges.docx". Blank parts are left out; `ext`
/// may be given with or without its dot.
pub fn suggested_filename(reference: &str, phrase: &str, ext: &str) -> String {
    let stem: Vec<&str> = [reference.trim(), phrase.trim()]
        .into_iter()
        .filter(|p| !p.is_empty())
        .collect();
    let stem = if stem.is_empty() {
        "essay".to_string()
    } else {
        stem.join(" ")
    };
    let ext = ext.trim().trim_start_matches('.');
    if ext.is_empty() {
        stem
    } else {
        format!("{stem}.{ext}")
    }
}

/// The rule in plain words, for the README and candidate pages, with an example name.
pub fn filename_rule_text(reference: Option<&str>, phrase: Option<&str>, ext: &str) -> Localized {
    let reference = reference.map(str::trim).filter(|r| !r.is_empty());
    let phrase = phrase.map(str::trim).filter(|p| !p.is_empty());
    let example = suggested_filename(reference.unwrap_or(""), phrase.unwrap_or(""), ext);
    let id = match (reference, phrase) {
        (Some(_), Some(_)) => "filename-rule-both",
        (Some(_), None) => "filename-rule-reference",
        (None, Some(_)) => "filename-rule-phrase",
        (None, None) => "filename-rule-none",
    };
    i18n::localized(id, |_: Lang| {
        vec![
            ("reference", s(reference.unwrap_or(""))),
            ("phrase", s(phrase.unwrap_or(""))),
            ("example", s(example.clone())),
        ]
    })
}
