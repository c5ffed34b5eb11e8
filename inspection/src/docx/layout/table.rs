//! Tables: cell widths from the grid, cell contents as lines, rows as boxes that pagination can
//! split between lines.

use super::inline::natural_length;
use super::{measure, para_gap, stack_height};
use crate::docx::model::{Block, Item, ParaProps, RowHeight, Table};
use crate::docx::units::Twips;

/// Width assumed for a cell whose grid columns have no width.
const UNSIZED_CELL: Twips = Twips(2000);
/// Narrowest text width of a cell.
const MIN_CELL_TEXT: Twips = Twips(60);
/// Text of a row's first paragraph kept for page starts (bytes, about).
const FIRST_TEXT_CAP: usize = 120;

/// One line of a table cell: its top and bottom below the top of the cell content, the
/// space-before of its paragraph (repeated when a row is split before this line) and its text.
#[derive(Debug, Clone)]
pub struct CellLine {
    pub top: Twips,
    pub bottom: Twips,
    /// Where the line's pitch ends: a row split after it needs this much room.
    pub end: Twips,
    /// The footnotes referenced on the line.
    pub notes: Vec<usize>,
    pub before: Twips,
    pub text: String,
}

/// The laid-out content of a cell.
#[derive(Debug, Clone)]
pub struct CellContent {
    pub lines: Vec<CellLine>,
    pub height: Twips,
}

/// A table row ready for pagination.
#[derive(Debug, Clone)]
pub struct RowBox {
    /// Height, horizontal rules included.
    pub height: Twips,
    /// The cells' top margin: repeated above the part of a row continued on the next page.
    pub margin_top: Twips,
    /// Height without the space-after of the cells' last paragraphs: enough room for a row
    /// whose cells hold one line each (LibreOffice lets that space overflow the page).
    pub tight_height: Twips,
    /// Every cell holds at most one line.
    pub single_lines: bool,
    /// The footnotes referenced in the row's cells, in order.
    pub notes: Vec<usize>,
    pub text: String,
    pub splittable: bool,
    /// The row's "at least" height: the last row of a table kept with the next paragraph splits
    /// only where this much of it fits (other rows split wherever a line fits). Zero for a
    /// follow part.
    pub min_height: Twips,
    pub top_border: Twips,
    pub bottom_border: Twips,
    pub cells: Vec<CellContent>,
}

/// A row's height (rules included) and its first text, for stacking tables inside cells and
/// headers.
#[derive(Debug, Clone)]
pub struct RowExtent {
    pub height: Twips,
    pub text: String,
}

/// Text width of a cell that starts at grid column `col` and spans `span` columns.
fn cell_text_width(t: &Table, col: usize, span: usize) -> Twips {
    let w: Twips = t.grid.iter().skip(col).take(span).sum();
    let w = if w <= Twips::ZERO { UNSIZED_CELL } else { w };
    (w - t.cell_margin_left - t.cell_margin_right).max(MIN_CELL_TEXT)
}

/// The rule below row `ri` of `n`: the bottom border under the last row, else the inside one,
/// or the cells' own borders there when wider (LibreOffice gives every cell its own).
fn rule_below(t: &Table, ri: usize, n: usize) -> Twips {
    let cells_bottom = cell_rule(t, ri, |c| c.border_bottom);
    if ri + 1 == n {
        t.border_bottom.max(cells_bottom)
    } else {
        let next_top = cell_rule(t, ri + 1, |c| c.border_top);
        t.border_inside.max(cells_bottom).max(next_top)
    }
}

/// The rule above the first row.
fn rule_above_first(t: &Table) -> Twips {
    t.border_top.max(cell_rule(t, 0, |c| c.border_top))
}

/// The widest of one border of the cells of row `ri`.
fn cell_rule(t: &Table, ri: usize, side: impl Fn(&crate::docx::model::Cell) -> Twips) -> Twips {
    t.rows
        .get(ri)
        .map(|r| r.cells.iter().map(side).max().unwrap_or(Twips::ZERO))
        .unwrap_or(Twips::ZERO)
}

/// A cell's content moved down by the table's top cell margin, and its height grown by both.
fn with_margins(mut cell: CellContent, t: &Table) -> CellContent {
    for line in &mut cell.lines {
        line.top += t.cell_margin_top;
        line.bottom += t.cell_margin_top;
        line.end += t.cell_margin_top;
    }
    cell.height += t.cell_margin_top + t.cell_margin_bottom;
    cell
}

/// The lines of a stack of blocks (a table cell), laid out as [`stack_height`] does, and the
/// total height. A nested table counts as one unsplittable line.
fn cell_lines(blocks: &[Block], width: Twips) -> CellContent {
    let mut out = Vec::new();
    let mut h = Twips::ZERO;
    let mut prev: Option<&ParaProps> = None;
    for b in blocks {
        match b {
            Block::Para(p) => {
                let laid = measure(p, width);
                let gap = if prev.is_none() {
                    p.props.space_before
                } else {
                    para_gap(prev, &p.props, false)
                };
                h += gap;
                for (i, line) in laid.lines.into_iter().enumerate() {
                    out.push(CellLine {
                        top: h,
                        bottom: h + line.fit,
                        end: h + line.pitch,
                        notes: line.notes,
                        before: if i == 0 { gap } else { p.props.space_before },
                        text: line.text,
                    });
                    h += line.pitch;
                }
                prev = Some(&p.props);
            }
            Block::Table(t) => {
                h += prev.map(|p| p.space_after).unwrap_or(Twips::ZERO);
                let rows = row_extents(t);
                let th: Twips = rows.iter().map(|r| r.height).sum();
                out.push(CellLine {
                    top: h,
                    bottom: h + th,
                    end: h + th,
                    notes: Vec::new(),
                    before: Twips::ZERO,
                    text: rows.first().map(|r| r.text.clone()).unwrap_or_default(),
                });
                h += th;
                prev = None;
            }
            _ => {}
        }
    }
    CellContent {
        lines: out,
        height: h + prev.map(|p| p.space_after).unwrap_or(Twips::ZERO),
    }
}

/// A cell of vertical text: its lines run down the cell side by side, so the row is as tall as
/// the longest of them, and cannot be split between pages (a line would be cut across).
fn vertical_cell(blocks: &[Block]) -> CellContent {
    let length = blocks
        .iter()
        .filter_map(|b| match b {
            Block::Para(p) => Some(natural_length(p)),
            _ => None,
        })
        .max()
        .unwrap_or(Twips::ZERO);
    CellContent {
        lines: vec![CellLine {
            top: Twips::ZERO,
            bottom: length,
            end: length,
            notes: Vec::new(),
            before: Twips::ZERO,
            text: first_text(blocks),
        }],
        height: length,
    }
}

/// The first non-blank line of the cells.
fn first_line_text(cells: &[CellContent]) -> String {
    cells
        .iter()
        .flat_map(|c| c.lines.iter())
        .map(|line| line.text.trim())
        .find(|s| !s.is_empty())
        .unwrap_or("")
        .to_string()
}

pub fn row_boxes(t: &Table) -> Vec<RowBox> {
    let n = t.rows.len();
    let mut out = Vec::with_capacity(n);
    for (ri, r) in t.rows.iter().enumerate() {
        let mut col = 0usize;
        let mut cells = Vec::with_capacity(r.cells.len());
        for c in &r.cells {
            let width = cell_text_width(t, col, c.span);
            col += c.span;
            let content = if c.vertical {
                vertical_cell(&c.blocks)
            } else {
                cell_lines(&c.blocks, width)
            };
            cells.push(with_margins(content, t));
        }
        let mut h = cells.iter().map(|c| c.height).max().unwrap_or(Twips::ZERO);
        let mut splittable = !r.cant_split;
        let mut min_height = Twips::ZERO;
        match r.height {
            Some(RowHeight::Exact(v)) => {
                h = v;
                splittable = false;
            }
            Some(RowHeight::AtLeast(v)) => {
                h = h.max(v);
                min_height = v;
            }
            None => {}
        }
        let top_border = if ri == 0 {
            rule_above_first(t)
        } else {
            Twips::ZERO
        };
        let bottom_border = rule_below(t, ri, n);
        let single_lines = cells.iter().all(|c| c.lines.len() <= 1);
        let tight = cells
            .iter()
            .filter_map(|c| c.lines.last().map(|l| l.end + t.cell_margin_bottom))
            .max()
            .unwrap_or(Twips::ZERO)
            .max(if splittable { Twips::ZERO } else { h });
        out.push(RowBox {
            height: h + top_border + bottom_border,
            margin_top: t.cell_margin_top,
            tight_height: tight.min(h) + top_border + bottom_border,
            single_lines,
            notes: cells
                .iter()
                .flat_map(|c| c.lines.iter().flat_map(|l| l.notes.iter().copied()))
                .collect(),
            text: first_line_text(&cells),
            splittable,
            min_height,
            top_border,
            bottom_border,
            cells,
        });
    }
    out
}

/// Splits a row whose content top is `avail` above the page bottom: the lines that fit stay,
/// the rest form the row's follow part (which starts with a rule and the space-before of the
/// paragraph it continues, as LibreOffice does). None when no line fits.
pub fn split_row(r: &RowBox, avail: Twips, follow_border: Twips) -> Option<RowBox> {
    let mut any = false;
    let mut cells = Vec::with_capacity(r.cells.len());
    for cell in &r.cells {
        let lines = &cell.lines;
        // The rule under the part left on this page must fit below its last line, and a
        // cell's last line brings its paragraph's space-after (LibreOffice splits such a line
        // off rather than let the space overflow).
        let last = lines.len().saturating_sub(1);
        let k = lines
            .iter()
            .enumerate()
            .take_while(|(i, line)| {
                let end = if *i == last { cell.height } else { line.end };
                end + r.bottom_border <= avail
            })
            .count();
        any |= k > 0;
        if k >= lines.len() {
            cells.push(CellContent {
                lines: Vec::new(),
                height: Twips::ZERO,
            });
            continue;
        }
        let first = &lines[k];
        // The continued part starts with the cell's top margin again.
        let shift = first.top - first.before - r.margin_top;
        let rest: Vec<CellLine> = lines[k..]
            .iter()
            .map(|line| CellLine {
                top: line.top - shift,
                bottom: line.bottom - shift,
                end: line.end - shift,
                notes: line.notes.clone(),
                before: line.before,
                text: line.text.clone(),
            })
            .collect();
        cells.push(CellContent {
            lines: rest,
            height: cell.height - shift,
        });
    }
    if !any {
        return None;
    }
    let content = cells.iter().map(|c| c.height).max().unwrap_or(Twips::ZERO);
    Some(RowBox {
        height: follow_border + content + r.bottom_border,
        margin_top: r.margin_top,
        tight_height: follow_border + content + r.bottom_border,
        single_lines: false,
        // The notes went with the part placed first.
        notes: Vec::new(),
        text: first_line_text(&cells),
        splittable: true,
        min_height: Twips::ZERO,
        top_border: follow_border,
        bottom_border: r.bottom_border,
        cells,
    })
}

/// Row heights (including the horizontal rules) and the first text of each row.
pub fn row_extents(t: &Table) -> Vec<RowExtent> {
    let mut out = Vec::new();
    let n = t.rows.len();
    for (ri, r) in t.rows.iter().enumerate() {
        let mut col = 0usize;
        let mut h = Twips::ZERO;
        let mut text = String::new();
        for c in &r.cells {
            let width = cell_text_width(t, col, c.span);
            col += c.span;
            let content = if c.vertical {
                vertical_cell(&c.blocks).height
            } else {
                stack_height(&c.blocks, width)
            };
            h = h.max(content + t.cell_margin_top + t.cell_margin_bottom);
            if text.is_empty() {
                text = first_text(&c.blocks);
            }
        }
        match r.height {
            Some(RowHeight::Exact(v)) => h = v,
            Some(RowHeight::AtLeast(v)) => h = h.max(v),
            None => {}
        }
        if ri == 0 {
            h += rule_above_first(t);
        }
        h += rule_below(t, ri, n);
        out.push(RowExtent { height: h, text });
    }
    out
}

/// The text of the first paragraph with any.
fn first_text(blocks: &[Block]) -> String {
    for b in blocks {
        if let Block::Para(p) = b {
            let mut s = String::new();
            for it in &p.items {
                if let Item::Text(t, _) = it {
                    s.push_str(t);
                }
                if s.len() > FIRST_TEXT_CAP {
                    break;
                }
            }
            if !s.trim().is_empty() {
                return s.trim().to_string();
            }
        }
    }
    String::new()
}
