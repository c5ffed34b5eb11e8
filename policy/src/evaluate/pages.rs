//! The `pages` rule: at most the vacancy's number of pages, judged only for a file read
//! through. Only measured evidence rejects: a legacy `.doc`'s own count, or a layout
//! that could only estimate, warns; when Word saved the file last, its count weighs in.

use inspection::{Facts, PageCountSource};

use super::problem_codes::{has_problem, ESTIMATE};
use super::value::RuleValue;
use super::{Context, Finding, Value};
use crate::i18n::{self, n, s, Args};
use crate::Lang;

pub(super) fn check(ctx: &Context) -> Option<Finding> {
    if !ctx.readable {
        return None;
    }
    let max = ctx.doc.max_pages?;
    let facts = ctx.facts;
    let expected = || Some(at_most(max));
    let Some(pages) = facts.pages else {
        return Some(Finding::warn(
            expected(),
            None,
            i18n::localized("pages-unknown", |_| pages_args(&[("max", max)])),
        ));
    };
    let found = || {
        Some(Value::new(
            pages.to_string(),
            RuleValue::Pages {
                pages,
                at_most: false,
            },
        ))
    };
    if has_problem(facts, &[ESTIMATE]) {
        return Some(estimated(facts, max, pages));
    }
    if facts.page_count_source == Some(PageCountSource::Metadata) {
        // A .doc's page count is whatever the last program to save it wrote.
        return Some(Finding::warn(
            expected(),
            found(),
            i18n::localized("pages-metadata", |_| {
                pages_args(&[("pages", pages), ("max", max)])
            }),
        ));
    }
    if pages <= max {
        return Some(Finding::pass(
            expected(),
            found(),
            i18n::localized("pages-pass", |_| {
                pages_args(&[("pages", pages), ("max", max)])
            }),
        ));
    }
    let start = facts
        .page_starts
        .get(max as usize)
        .map(|t| excerpt(t))
        .filter(|t| !t.is_empty());
    let page = max + 1;
    let message = match (pages == page, ctx.input.overflow_lines, start) {
        (true, Some(lines), Some(start)) => i18n::localized("pages-over-lines", |_| {
            let mut args = pages_args(&[("lines", lines), ("page", page), ("max", max)]);
            args.push(("start", s(start.clone())));
            args
        }),
        (true, _, Some(start)) => i18n::localized("pages-over-start", |_| {
            let mut args = pages_args(&[("page", page), ("max", max)]);
            args.push(("start", s(start.clone())));
            args
        }),
        _ => i18n::localized("pages-over", |_| {
            pages_args(&[("pages", pages), ("max", max), ("excess", pages - max)])
        }),
    };
    Some(match facts.word_pages {
        // Word saved the file last and counts fewer pages: our layout may be right (assessors may
        // see the extra page), but a measured disagreement with Word is not enough to reject.
        Some(word) if word <= max => Finding::warn(
            expected(),
            found(),
            i18n::localized("pages-word-disagrees", |_| {
                pages_args(&[("word", word), ("pages", pages), ("max", max)])
            }),
        ),
        _ => Finding::broken(expected(), found(), message),
    })
}

fn pages_args(pairs: &[(&'static str, u32)]) -> Args {
    pairs.iter().map(|(k, v)| (*k, n(*v))).collect()
}

/// The first words of a page, as the candidate will recognise them: "In the longer term…".
fn excerpt(text: &str) -> String {
    let words: Vec<&str> = text.split_whitespace().collect();
    if words.len() <= 5 {
        words.join(" ")
    } else {
        format!("{}…", words[..5].join(" "))
    }
}

/// Why the layout's count is an estimate, in the candidate's language.
fn estimate_reason(facts: &Facts, pages: u32, lang: Lang) -> String {
    // Word saved the file and counts more than a page apart from our layout: that, not floating
    // objects, is why the count is an estimate (inspection's Word-layout check).
    let word_disagrees = facts
        .word_pages
        .is_some_and(|word| word.abs_diff(pages) > 1);
    if facts.unmeasured_fonts.is_empty() && word_disagrees {
        i18n::tr(lang, "estimate-word", vec![])
    } else if facts.unmeasured_fonts.is_empty() {
        i18n::tr(lang, "estimate-floating", vec![])
    } else {
        i18n::tr(
            lang,
            "estimate-fonts",
            vec![
                ("fonts", s(facts.unmeasured_fonts.join(", "))),
                ("count", n(facts.unmeasured_fonts.len() as u32)),
            ],
        )
    }
}

/// The page rule when the layout could only estimate (fonts without metrics, floating objects).
/// The best evidence decides, and the message says which: Microsoft Word's own count when Word
/// saved the file last; otherwise the estimate, which never rejects and tells a candidate near
/// or over the limit how to be sure.
fn estimated(facts: &Facts, max: u32, pages: u32) -> Finding {
    let expected = || Some(at_most(max));
    let args = |lang: Lang, pairs: &[(&'static str, u32)]| {
        let mut args = pages_args(pairs);
        args.push(("reason", s(estimate_reason(facts, pages, lang))));
        args
    };
    if let Some(word) = facts.word_pages {
        let found = || {
            Some(Value::words(
                format!("{word} (Microsoft Word's count; our estimate: {pages})"),
                "value-pages-word",
                |_| pages_args(&[("word", word), ("pages", pages)]),
            ))
        };
        if word > max {
            let message = i18n::localized("pages-word-over", |lang| {
                args(
                    lang,
                    &[("word", word), ("max", max), ("excess", word - max)],
                )
            });
            return Finding::broken(expected(), found(), message);
        }
        let message = i18n::localized("pages-word-pass", |lang| {
            args(lang, &[("word", word), ("pages", pages), ("max", max)])
        });
        // Accepted on Word's count; when our estimate is over the limit, that stays visible
        // as an advisory (and so as a flag for the panel and admins).
        return if pages > max {
            Finding::warn(expected(), found(), message)
        } else {
            Finding::pass(expected(), found(), message)
        };
    }
    let found = || {
        Some(Value::words(
            format!("{pages} (estimate)"),
            "value-pages-estimate",
            |_| pages_args(&[("pages", pages)]),
        ))
    };
    let near = pages == max && facts.last_page_fill.is_some_and(|fill| fill >= 0.85);
    if pages < max || (pages == max && !near) {
        return Finding::pass(
            expected(),
            found(),
            i18n::localized("pages-estimate-pass", |lang| {
                args(lang, &[("pages", pages), ("max", max)])
            }),
        );
    }
    let id = if pages > max {
        "pages-estimate-over"
    } else {
        "pages-estimate-near"
    };
    Finding::warn(
        expected(),
        found(),
        i18n::localized(id, |lang| {
            args(lang, &[("pages", pages), ("max", max), ("page", max + 1)])
        }),
    )
}

/// "at most 2": the contract's text and the value.
fn at_most(max: u32) -> Value {
    Value::new(
        format!("at most {max}"),
        RuleValue::Pages {
            pages: max,
            at_most: true,
        },
    )
}
