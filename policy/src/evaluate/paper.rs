//! The `paper` rule: the vacancy's paper size (A4, in practice), judged only for a file
//! read through. The message gives the size found, in millimetres.

use inspection::{Format, Paper};

use super::{Context, Finding, Value};
use crate::i18n::{self, s, Args};
use crate::Lang;

pub(super) fn check(ctx: &Context) -> Option<Finding> {
    if !ctx.readable {
        return None;
    }
    let required = ctx.doc.paper?;
    let facts = ctx.facts;
    let expected = || Some(paper_value(required, None));
    let doc_word = |lang: Lang| {
        let id = if facts.format == Format::Pdf {
            "doc-pdf"
        } else {
            "doc-document"
        };
        i18n::tr(lang, id, vec![])
    };
    let first_size = facts
        .page_sizes_mm
        .iter()
        .find(|[w, h]| !is_a4(*w, *h))
        .or(facts.page_sizes_mm.first())
        .copied();
    let dims = |lang: Lang| -> Args {
        let [w, h] = first_size.unwrap_or([0.0, 0.0]);
        vec![
            ("doc", s(doc_word(lang))),
            ("width", s(format!("{}", w.round() as i64))),
            ("height", s(format!("{}", h.round() as i64))),
        ]
    };
    let found_text = |p: Paper| match first_size {
        Some([w, h]) if p != Paper::Mixed => {
            paper_value(p, Some((w.round() as i64, h.round() as i64)))
        }
        _ => paper_value(p, None),
    };
    Some(match facts.paper {
        None => Finding::warn(
            expected(),
            None,
            i18n::localized("paper-unknown", |_| vec![]),
        ),
        Some(p) if p == required => Finding::pass(
            expected(),
            Some(found_text(p)),
            i18n::localized("paper-pass", |_| vec![("paper", s(paper_name(p)))]),
        ),
        Some(p) => {
            // A PDF is exported again; a Word file has its paper size set where Word keeps it.
            let pdf = facts.format == Format::Pdf;
            let id = match (p, pdf) {
                (Paper::Letter, true) => "paper-letter",
                (Paper::Mixed, true) => "paper-mixed",
                (_, true) => "paper-other",
                (Paper::Letter, false) => "paper-letter-word",
                (Paper::Mixed, false) => "paper-mixed-word",
                (_, false) => "paper-other-word",
            };
            Finding::broken(expected(), Some(found_text(p)), i18n::localized(id, dims))
        }
    })
}

fn paper_name(paper: Paper) -> &'static str {
    match paper {
        Paper::A4 => "A4",
        Paper::Letter => "Letter",
        Paper::Other => "other",
        Paper::Mixed => "mixed",
    }
}

/// Within inspection's own tolerance, in either orientation.
fn is_a4(w: f64, h: f64) -> bool {
    let (short, long) = if w < h { (w, h) } else { (h, w) };
    (short - 210.0).abs() <= 2.0 && (long - 297.0).abs() <= 2.0
}

/// A paper size in words, with its measure when known: "A4 (210 × 297 mm)", "Lettre US".
fn paper_value(paper: Paper, size: Option<(i64, i64)>) -> Value {
    let raw = match size {
        Some((w, h)) => format!("{} ({w} × {h} mm)", paper_name(paper)),
        None => paper_name(paper).to_string(),
    };
    let words = |lang: Lang| match paper {
        Paper::A4 => "A4".to_string(),
        Paper::Letter => i18n::tr(lang, "value-paper-letter", vec![]),
        Paper::Other => i18n::tr(lang, "value-paper-other", vec![]),
        Paper::Mixed => i18n::tr(lang, "value-paper-mixed", vec![]),
    };
    match size {
        Some((w, h)) => Value::words(raw, "value-paper-size", |lang| {
            vec![
                ("paper", s(words(lang))),
                ("width", s(w.to_string())),
                ("height", s(h.to_string())),
            ]
        }),
        None if paper == Paper::A4 => Value::name(raw),
        None => Value::new(
            raw,
            super::value::text(crate::Localized {
                en: words(Lang::En),
                fr: words(Lang::Fr),
            }),
        ),
    }
}
