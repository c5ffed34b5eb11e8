//! What the layout tells [`Facts`] and [`Details`]: pages, paper, fill, lines, and whether the
//! count is an estimate.

use super::collect::Collector;
use super::excerpt::first_words;
use super::layout::{self, Output};
use super::model::{Item, Para};
use super::props::PPr;
use super::units::Twips;
use crate::{codes, Details, Facts, PageCountSource};
use std::collections::HashMap;

/// Words of each page's start kept in [`Facts::page_starts`].
const PAGE_START_WORDS: usize = 8;

/// Page count, word count, paper, page sizes and starts, and the fill of the last page.
pub fn record_pages(out: &Output, facts: &mut Facts, details: &mut Details) {
    facts.pages = Some(out.pages.len() as u32);
    facts.page_count_source = Some(PageCountSource::Layout);
    facts.words = Some(out.words);
    let sizes_pt: Vec<(f64, f64)> = out
        .pages
        .iter()
        .map(|p| (p.width.to_points(), p.height.to_points()))
        .collect();
    facts.paper = crate::pdf::classify_doc(&sizes_pt);
    facts.page_sizes_mm = sizes_pt
        .iter()
        .map(|&(w, h)| [crate::pdf::mm(w), crate::pdf::mm(h)])
        .collect();
    facts.page_starts = out
        .pages
        .iter()
        .map(|p| first_words(p.start.as_deref().unwrap_or(""), PAGE_START_WORDS))
        .collect();
    if let Some(last) = out.pages.last() {
        let fill = if last.body_height > Twips::ZERO {
            (last.filled.get() as f64 / last.body_height.get() as f64).clamp(0.0, 1.0)
        } else {
            0.0
        };
        facts.last_page_fill = Some((fill * 1000.0).round() / 1000.0);
        details.lines_on_last_page = Some(last.lines);
    }
}

/// Width a one-character probe paragraph is laid out in: wide enough for one line.
const PROBE_WIDTH: Twips = Twips(10_000);

/// Lines of Normal-style text the first page holds: one line of the default paragraph style
/// measured, then as many as fit its body height.
pub fn lines_per_full_page(collector: &mut Collector<'_>, out: &Output) -> Option<u32> {
    let (pp, rp) = collector.resolve_para(&PPr::default(), None);
    let props = collector.concrete(&pp);
    let font = collector.run_font(&rp);
    let probe = Para {
        props,
        items: vec![Item::Text("x".into(), font)],
        mark: font,
        marker: None,
        break_before: false,
    };
    let laid = layout::measure(&probe, PROBE_WIDTH);
    let (line, first_page) = (laid.lines.first()?, out.pages.first()?);
    if line.pitch <= Twips::ZERO {
        return None;
    }
    Some(((first_page.body_height - line.fit).max(Twips::ZERO) / line.pitch + 1) as u32)
}

/// Letters and digits below which a font without a twin is left out of the estimate: a stray
/// symbol, a bullet or a one-word label in another font cannot move a page break by itself.
const CHARS_THAT_MATTER: usize = 8;

/// The fonts without a twin that carry enough of the text to change the layout, most used first.
fn fonts_that_matter(chars: &HashMap<String, usize>) -> Vec<String> {
    let mut fonts: Vec<(&String, &usize)> = chars
        .iter()
        .filter(|(_, n)| **n >= CHARS_THAT_MATTER)
        .collect();
    fonts.sort_by(|a, b| b.1.cmp(a.1).then_with(|| a.0.cmp(b.0)));
    fonts.into_iter().map(|(name, _)| name.clone()).collect()
}

/// The fonts measured with a fallback, and the problem `estimate` when they carry text or the
/// document floats pictures or text boxes.
pub fn record_estimate(collector: &Collector<'_>, facts: &mut Facts, details: &mut Details) {
    details.fallback_fonts = collector.fallback_fonts.clone();
    facts.unmeasured_fonts = fonts_that_matter(&collector.unmeasured_chars);
    let mut estimate = Vec::new();
    if !facts.unmeasured_fonts.is_empty() {
        estimate.push(format!(
            "The text is in {}, which we cannot measure exactly (no font with the same widths is available here), so the page count is an estimate.",
            facts.unmeasured_fonts.join(", ")
        ));
    }
    if collector.floating_objects > 0 {
        estimate.push(
            "The document has floating images or text boxes; the page count is an estimate."
                .to_string(),
        );
    }
    if !estimate.is_empty() {
        facts.problem(codes::ESTIMATE, estimate.join(" "));
    }
}

/// Pages by which our layout may differ from Word's own saved count before our count is only
/// an estimate. One page is within what a font's metrics or a different line break can move;
/// beyond it the layout missed something Word did (a feature we do not lay out), and Word's
/// number, saved with this very text, is the better evidence.
const WORD_TOLERANCE: u32 = 1;

/// When Word saved the file last (`facts.word_pages`) and counted more than a page more or
/// fewer than our layout, the count is an estimate and says so, with Word's number.
pub fn record_word_disagreement(facts: &mut Facts) {
    let (Some(word), Some(ours)) = (facts.word_pages, facts.pages) else {
        return;
    };
    if word.abs_diff(ours) <= WORD_TOLERANCE {
        return;
    }
    let reason = format!(
        "Microsoft Word counted {word} page{} when it last saved this file, our layout {ours}: the page count is an estimate.",
        if word == 1 { "" } else { "s" }
    );
    match facts
        .problems
        .iter_mut()
        .find(|p| p.code == codes::ESTIMATE)
    {
        Some(p) => {
            p.message.push(' ');
            p.message.push_str(&reason);
        }
        None => facts.problem(codes::ESTIMATE, reason),
    }
}
