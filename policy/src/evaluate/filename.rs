//! The `filename` rule: the name carries what the vacancy asks (reference, phrase; see
//! [`crate::filename`] for the matching), and its extension matches the content. The
//! message suggests a name that passes.

use super::{Context, Finding, Value};
use crate::filename::{basename, check_filename, suggested_filename, FilenameProblem};
use crate::i18n::{self, n, s, Args};
use crate::rules::AcceptedFormat;
use crate::Lang;

pub(super) fn check(ctx: &Context) -> Option<Finding> {
    let input = ctx.input;
    let doc = ctx.doc;
    let detected = ctx.detected;
    let reference = if doc.filename_must_include_reference {
        Some(input.vacancy.reference.as_str()).filter(|r| !r.trim().is_empty())
    } else {
        None
    };
    let phrase = doc.filename_phrase.as_deref();
    let base = basename(input.filename);
    // Suggest the extension the file will have once it is in an accepted format.
    let ext = match detected {
        Some(f) if doc.accepts(f) => f,
        _ => ctx.first,
    };
    let suggestion = if reference.is_none() && phrase.is_none() {
        // Nothing is required of the name: suggest a clean version of the candidate's own.
        clean_name(base, ext)
    } else {
        suggested_filename(
            reference.unwrap_or(""),
            phrase.unwrap_or(""),
            ext.extension(),
        )
    };
    let expected = Some(Value::name(suggestion.clone()));
    let found = || Some(Value::name(base));
    let args = |_: Lang| -> Args {
        vec![
            ("suggestion", s(suggestion.clone())),
            ("reference", s(reference.unwrap_or(""))),
            ("phrase", s(phrase.unwrap_or(""))),
        ]
    };
    let id = match check_filename(input.filename, reference, phrase) {
        Err(FilenameProblem::Empty) => Some("filename-empty"),
        Err(FilenameProblem::ControlCharacter) => Some("filename-control"),
        Err(FilenameProblem::TooLong { .. }) => Some("filename-too-long"),
        Err(FilenameProblem::MissingReference) => Some("filename-missing-reference"),
        Err(FilenameProblem::MissingPhrase) => Some("filename-missing-phrase"),
        Err(FilenameProblem::MissingReferenceAndPhrase) => Some("filename-missing-both"),
        Ok(()) => None,
    };
    if let Some(id) = id {
        let bytes = base.len();
        return Some(Finding::broken(
            expected,
            found(),
            i18n::localized(id, |lang| {
                let mut a = args(lang);
                a.push(("bytes", n(bytes as f64)));
                a
            }),
        ));
    }
    // A name whose extension contradicts the content opens in the wrong program, or not
    // at all, on the reviewer's computer.
    if let Some(format) = detected {
        let name_ext = base
            .rsplit_once('.')
            .map(|(_, e)| e.to_lowercase())
            .unwrap_or_default();
        if name_ext != format.extension() {
            let fixed = replace_extension(base, format);
            let shown_ext = if name_ext.is_empty() {
                String::new()
            } else {
                format!(".{name_ext}")
            };
            return Some(Finding::broken(
                Some(Value::name(fixed.clone())),
                found(),
                i18n::localized("filename-extension", |lang| {
                    vec![
                        ("format", s(format.label(lang))),
                        ("ext", s(shown_ext.clone())),
                        ("suggestion", s(fixed.clone())),
                    ]
                }),
            ));
        }
    }
    Some(Finding::pass(
        expected,
        found(),
        i18n::localized("filename-pass", |_| vec![]),
    ))
}

/// The candidate's name with control characters dropped and the right extension.
fn clean_name(base: &str, format: AcceptedFormat) -> String {
    let cleaned: String = base.chars().filter(|c| !c.is_control()).collect();
    let stem = cleaned
        .rsplit_once('.')
        .map(|(s, _)| s)
        .unwrap_or(&cleaned)
        .trim();
    let stem = if stem.is_empty() { "essay" } else { stem };
    let stem: String = stem.chars().take(120).collect();
    format!("{stem}.{}", format.extension())
}

fn replace_extension(base: &str, format: AcceptedFormat) -> String {
    let stem = match base.rsplit_once('.') {
        // Keep a dotted stem like "251334.Key.challenges" whole only when the tail is
        // clearly an extension (short and alphanumeric).
        Some((stem, ext)) if ext.len() <= 5 && ext.chars().all(|c| c.is_ascii_alphanumeric()) => {
            stem
        }
        _ => base,
    };
    format!("{stem}.{}", format.extension())
}
