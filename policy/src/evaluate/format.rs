//! The `format` rule: the file is in a format the vacancy accepts. A legacy `.doc`
//! where `.docx` is accepted, a macro-enabled `.docm`, a file that could not be opened
//! safely, and one not recognised at all each get their own message.

use inspection::Format;

use super::value::{text, RuleValue};
use super::{Context, Finding, Value};
use crate::i18n::{self, join_or, s};
use crate::rules::AcceptedFormat;
use crate::{Lang, Localized};

pub(super) fn check(ctx: &Context) -> Option<Finding> {
    let facts = ctx.facts;
    let doc = ctx.doc;
    let first = ctx.first;
    let list = |lang| formats_list(&ctx.accepted, lang);
    let expected = || {
        Some(Value::new(
            ctx.accepted
                .iter()
                .map(|f| f.extension())
                .collect::<Vec<_>>()
                .join(", "),
            text(Localized {
                en: list(Lang::En),
                fr: list(Lang::Fr),
            }),
        ))
    };
    let found = || {
        Some(Value::new(
            format_found(facts.format),
            found_value(facts.format),
        ))
    };
    Some(match ctx.detected {
        Some(f) if doc.accepts(f) => Finding::pass(
            expected(),
            found(),
            i18n::localized("format-pass", |lang| vec![("found", s(f.label(lang)))]),
        ),
        Some(AcceptedFormat::Doc) if doc.accepts(AcceptedFormat::Docx) => Finding::broken(
            expected(),
            found(),
            i18n::localized("format-legacy-doc", |_| vec![]),
        ),
        Some(f) => Finding::broken(
            expected(),
            found(),
            i18n::localized("format-wrong", |lang| {
                vec![
                    ("found", s(f.label(lang))),
                    ("accepted", s(list(lang))),
                    ("first", s(first.label(lang))),
                ]
            }),
        ),
        None if facts.format == Format::Docm => Finding::broken(
            expected(),
            found(),
            i18n::localized("format-docm", |_| vec![]),
        ),
        // The container could not be opened safely (a zip bomb, too many parts, a worker that
        // was stopped): say that, rather than "not recognised", which would be wrong and useless.
        None => match ctx.unreadable {
            Some(problem) => Finding::broken(
                expected(),
                Some(Value::words(
                    problem.code.to_string(),
                    "value-unreadable",
                    |_| vec![],
                )),
                i18n::localized("format-unopened", |lang| {
                    vec![
                        ("problem", s(problem.message.clone())),
                        ("first", s(first.label(lang))),
                    ]
                }),
            ),
            None => Finding::broken(
                expected(),
                found(),
                i18n::localized("format-unknown", |lang| {
                    vec![("accepted", s(list(lang))), ("first", s(first.label(lang)))]
                }),
            ),
        },
    })
}

fn formats_list(formats: &[AcceptedFormat], lang: Lang) -> String {
    let labels: Vec<String> = formats.iter().map(|f| f.label(lang).to_string()).collect();
    join_or(&labels, lang)
}

/// Inspection's name for the format, as in its JSON: `"pdf"`, `"docm"`, `"unknown"`.
fn format_found(format: Format) -> String {
    serde_json::to_value(format)
        .ok()
        .and_then(|v| v.as_str().map(String::from))
        .unwrap_or_else(|| "unknown".into())
}

/// The format found, in words: the accepted formats by their labels, the others by name.
fn found_value(format: Format) -> RuleValue {
    let both = |en: &str, fr: &str| {
        text(Localized {
            en: en.into(),
            fr: fr.into(),
        })
    };
    if let Some(f) = AcceptedFormat::from_inspected(format) {
        return both(f.label(Lang::En), f.label(Lang::Fr));
    }
    match format {
        Format::Docm => both("Word with macros (.docm)", "Word avec macros (.docm)"),
        _ => text(i18n::localized("value-format-unknown", |_| vec![])),
    }
}
