//! The `paper` rule: the vacancy's paper size (A4, in practice), judged only for a file
//! read through. The message gives the size found, in millimetres.

use inspection::{Format, Paper};

use super::{Context, Finding};
use crate::i18n::{self, s, Args};
use crate::Lang;

pub(super) fn check(ctx: &Context) -> Option<Finding> {
    if !ctx.readable {
        return None;
    }
    let required = ctx.doc.paper?;
    let facts = ctx.facts;
    let expected = Some(paper_name(required).to_string());
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
            format!(
                "{} ({} × {} mm)",
                paper_name(p),
                w.round() as i64,
                h.round() as i64
            )
        }
        _ => paper_name(p).to_string(),
    };
    Some(match facts.paper {
        None => Finding::warn(expected, None, i18n::localized("paper-unknown", |_| vec![])),
        Some(p) if p == required => Finding::pass(
            expected,
            Some(found_text(p)),
            i18n::localized("paper-pass", |_| vec![("paper", s(paper_name(p)))]),
        ),
        Some(p) => {
            let id = match p {
                Paper::Letter => "paper-letter",
                Paper::Mixed => "paper-mixed",
                _ => "paper-other",
            };
            Finding::broken(expected, Some(found_text(p)), i18n::localized(id, dims))
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
