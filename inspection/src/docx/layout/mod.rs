//! The layout engine: lines, line heights, spacing and pagination as LibreOffice 7.4 does it
//! for DOCX (measured against LibreOffice's own layout; the rules are summarised in
//! inspection/README.md).
//!
//! | module | owns |
//! |---|---|
//! | `inline` | words and spaces, line breaking, line spacing |
//! | `table` | cells, rows, and splitting a row between lines |
//! | `pages` | pagination: sections, columns, keep rules, widows and orphans |

mod inline;
mod pages;
mod table;

pub use inline::measure;
pub use pages::{paginate, EndnotePlace, Endnotes, Output};

use super::model::{Block, ParaProps};
use super::units::Twips;

/// Default tab stop (settings.xml `w:defaultTabStop`, half an inch when absent).
pub const DEFAULT_TAB: Twips = Twips::HALF_INCH;

/// Space between two paragraphs: the previous one's after and this one's before (none between
/// paragraphs of one style with contextual spacing), added up or the larger of the two.
fn para_gap(prev: Option<&ParaProps>, cur: &ParaProps, sum: bool) -> Twips {
    let before = if cur.contextual && prev.is_some_and(|p| p.style == cur.style) {
        Twips::ZERO
    } else {
        cur.space_before
    };
    let after = match prev {
        Some(p) if p.contextual && p.style == cur.style => Twips::ZERO,
        Some(p) => p.space_after,
        None => Twips::ZERO,
    };
    if sum {
        before + after
    } else {
        before.max(after)
    }
}

/// Height of a stack of blocks (a table cell, a header): each paragraph's before, lines and
/// after, collapsing the space between paragraphs.
pub fn stack_height(blocks: &[Block], width: Twips) -> Twips {
    let mut h = Twips::ZERO;
    let mut prev: Option<&ParaProps> = None;
    for b in blocks {
        match b {
            Block::Para(p) => {
                let laid = measure(p, width);
                h += if prev.is_none() {
                    p.props.space_before
                } else {
                    para_gap(prev, &p.props, false)
                };
                h += laid.lines.iter().map(|line| line.pitch).sum::<Twips>();
                prev = Some(&p.props);
            }
            Block::Table(t) => {
                h += prev.map(|p| p.space_after).unwrap_or(Twips::ZERO);
                h += table::row_extents(t)
                    .iter()
                    .map(|r| r.height)
                    .sum::<Twips>();
                prev = None;
            }
            _ => {}
        }
    }
    h + prev.map(|p| p.space_after).unwrap_or(Twips::ZERO)
}
