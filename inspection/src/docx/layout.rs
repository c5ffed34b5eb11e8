//! The layout engine: lines, line heights, spacing and pagination as LibreOffice 7.4 does it
//! for DOCX (see /work/shared/research/docx-layout-facts.md and inspection/README.md).

use super::props::LineRule;
use super::{Block, Item, Para, ParaProps, RunFont, Section, Table};

/// Default tab stop in twips (settings.xml `w:defaultTabStop`, 720 when absent).
pub const DEFAULT_TAB: i64 = 720;

#[derive(Debug, Clone, Default)]
pub struct Line {
    /// Height of the tallest font on the line (twips).
    pub text_h: i64,
    /// Height of the tallest inline image on the line.
    pub img_h: i64,
    pub text: String,
}

/// A paragraph broken into lines, with the vertical measures of each.
#[derive(Debug, Clone)]
pub struct Laid {
    /// (pitch, fit): advance after the line, and the height that must fit on the page.
    pub lines: Vec<(i64, i64)>,
    pub texts: Vec<String>,
}

#[derive(Clone, Copy, PartialEq)]
enum AtomKind {
    Word,
    Space,
    Tab,
    Break,
}

struct Atom {
    kind: AtomKind,
    px: i64,
    h: i64,
    img_h: i64,
    text: String,
    glue: bool,
}

fn atoms(items: &[Item]) -> Vec<Atom> {
    let mut out: Vec<Atom> = Vec::new();
    for it in items {
        match it {
            Item::Text(t, f) => {
                let m = f.metrics();
                let h = f.height();
                let mut first = true;
                // split into words, spaces and break opportunities after hyphens/dashes
                let mut word = String::new();
                let flush = |word: &mut String, out: &mut Vec<Atom>, glue: bool| {
                    if word.is_empty() {
                        return;
                    }
                    let px = m.text_px(word, f.half_points);
                    if glue {
                        if let Some(prev) = out.last_mut() {
                            if prev.kind == AtomKind::Word {
                                prev.px += px;
                                prev.h = prev.h.max(h);
                                prev.text.push_str(word);
                                word.clear();
                                return;
                            }
                        }
                    }
                    out.push(Atom {
                        kind: AtomKind::Word,
                        px,
                        h,
                        img_h: 0,
                        text: std::mem::take(word),
                        glue,
                    });
                };
                let mut glue_next = true;
                let chars: Vec<char> = t.chars().collect();
                for (ci, &c) in chars.iter().enumerate() {
                    if c == ' ' {
                        flush(&mut word, &mut out, first && glue_next);
                        first = false;
                        glue_next = true;
                        out.push(Atom {
                            kind: AtomKind::Space,
                            px: m.px(m.advance(' '), f.half_points),
                            h,
                            img_h: 0,
                            text: String::new(),
                            glue: false,
                        });
                        continue;
                    }
                    word.push(c);
                    let next = chars.get(ci + 1).copied();
                    let breakable = matches!(c, '-' | '\u{2013}' | '\u{2014}' | '/')
                        && word.chars().count() > 1
                        && next.is_some_and(|n| n.is_alphabetic());
                    let breakable = breakable && (c != '/');
                    if breakable {
                        flush(&mut word, &mut out, first && glue_next);
                        first = false;
                        glue_next = false;
                    }
                }
                let g = first && glue_next;
                flush(&mut word, &mut out, g);
                if let Some(last) = out.last_mut() {
                    let _ = last.glue;
                }
            }
            Item::Tab(f) => out.push(Atom {
                kind: AtomKind::Tab,
                px: 0,
                h: f.height(),
                img_h: 0,
                text: String::new(),
                glue: false,
            }),
            Item::LineBreak(f) => out.push(Atom {
                kind: AtomKind::Break,
                px: 0,
                h: f.height(),
                img_h: 0,
                text: String::new(),
                glue: false,
            }),
            Item::Image { w, h, .. } => out.push(Atom {
                kind: AtomKind::Word,
                px: w * 6,
                h: 0,
                img_h: *h,
                text: String::new(),
                glue: false,
            }),
        }
    }
    out
}

/// Breaks a paragraph into lines for a text area `width` twips wide.
pub fn break_lines(p: &Para, width: i64) -> Vec<Line> {
    let pr = &p.props;
    let mut start_first = pr.left + pr.first;
    let mut lines: Vec<Line> = Vec::new();
    let mut first_line_offset_px = 0i64;
    if let Some((text, f)) = &p.marker {
        let mw = f.metrics().text_px(text, f.half_points);
        let marker_end = start_first * 6 + mw;
        // the marker is followed by a tab: to the hanging indent, else the next default stop
        let target = if pr.first < 0 && marker_end <= pr.left * 6 {
            pr.left
        } else {
            let x = (marker_end + 5) / 6;
            (x / DEFAULT_TAB + 1) * DEFAULT_TAB
        };
        first_line_offset_px = (target - start_first).max(0) * 6;
        let _ = &mut start_first;
    }
    let avail_for = |first: bool| -> i64 {
        let start = if first { start_first } else { pr.left };
        ((width - pr.right - start).max(1)) * 6
    };
    let atoms = atoms(&p.items);
    let mut cur = Line::default();
    let mut line_w: i64 = first_line_offset_px;
    let mut pending: i64 = 0;
    let mut has_words = false;
    let mut is_first = true;
    let mut avail = avail_for(true);
    let mut line_started_by_flow = false;
    if let Some((text, f)) = &p.marker {
        cur.text_h = f.height();
        cur.text.push_str(text);
        cur.text.push(' ');
    }
    let finish = |cur: &mut Line, lines: &mut Vec<Line>, mark_h: i64| {
        if cur.text_h == 0 && cur.img_h == 0 {
            cur.text_h = mark_h;
        }
        lines.push(std::mem::take(cur));
    };
    let mark_h = p.mark.height();
    let mut space_before_word = false;
    for a in &atoms {
        match a.kind {
            AtomKind::Space => {
                space_before_word = true;
                if has_words || (is_first && !line_started_by_flow) {
                    pending += a.px;
                    cur.text_h = cur.text_h.max(a.h);
                }
            }
            AtomKind::Tab => {
                let start = if is_first { start_first } else { pr.left };
                let x_twips = start + (line_w + pending + 5) / 6;
                let mut stop = (x_twips.div_euclid(DEFAULT_TAB) + 1) * DEFAULT_TAB;
                if pr.first < 0 && is_first && x_twips < pr.left {
                    stop = pr.left;
                }
                let new_w = (stop - start) * 6;
                cur.text_h = cur.text_h.max(a.h);
                if new_w > avail && has_words {
                    finish(&mut cur, &mut lines, mark_h);
                    is_first = false;
                    avail = avail_for(false);
                    line_w = 0;
                    pending = 0;
                    has_words = false;
                    line_started_by_flow = true;
                } else {
                    line_w = new_w;
                    pending = 0;
                    has_words = true;
                }
                cur.text.push(' ');
            }
            AtomKind::Break => {
                cur.text_h = cur.text_h.max(a.h);
                finish(&mut cur, &mut lines, mark_h);
                is_first = false;
                avail = avail_for(false);
                line_w = 0;
                pending = 0;
                has_words = false;
                line_started_by_flow = false;
            }
            AtomKind::Word => {
                let fits = line_w + pending + a.px <= avail;
                if has_words && !fits && !a.glue {
                    finish(&mut cur, &mut lines, mark_h);
                    is_first = false;
                    avail = avail_for(false);
                    line_w = 0;
                    pending = 0;
                    line_started_by_flow = true;
                } else if has_words && !fits && a.glue {
                    // glued to the previous word (no break opportunity): treat as overflow
                }
                if !has_words && line_w + pending + a.px > avail && a.img_h == 0 {
                    // a word longer than the line: broken across lines
                    let extra = (line_w + pending + a.px - 1) / avail.max(1);
                    for _ in 0..extra {
                        cur.text_h = cur.text_h.max(a.h);
                        finish(&mut cur, &mut lines, mark_h);
                        is_first = false;
                    }
                    avail = avail_for(false);
                    line_w = (line_w + pending + a.px) % avail.max(1);
                    pending = 0;
                } else {
                    line_w += pending + a.px;
                    pending = 0;
                }
                has_words = true;
                cur.text_h = cur.text_h.max(a.h);
                cur.img_h = cur.img_h.max(a.img_h);
                if cur.text.len() < 200 {
                    if space_before_word && !cur.text.is_empty() && !cur.text.ends_with(' ') {
                        cur.text.push(' ');
                    }
                    cur.text.push_str(&a.text);
                }
                space_before_word = false;
            }
        }
    }
    finish(&mut cur, &mut lines, mark_h);
    lines
}

/// LibreOffice's proportional line spacing percentage for `w:line` (auto rule).
pub fn auto_percent(line: i64) -> i64 {
    let hmm = (line * 127 * 2 + 72) / (72 * 2); // round(line·127/72)
    hmm * 100 / 423
}

/// Pitch and fit height of each line.
pub fn measure(p: &Para, width: i64) -> Laid {
    let lines = break_lines(p, width);
    let pr = &p.props;
    let font_h = p.mark.height().max(
        p.items
            .iter()
            .find_map(|i| match i {
                Item::Text(_, f) => Some(f.height()),
                _ => None,
            })
            .unwrap_or(0),
    );
    let mut out = Vec::with_capacity(lines.len());
    let mut texts = Vec::with_capacity(lines.len());
    for l in lines {
        let h = if l.img_h > 0 {
            l.img_h.max(if l.text.trim().is_empty() {
                0
            } else {
                l.text_h
            })
        } else {
            l.text_h
        };
        let (pitch, fit) = match pr.rule {
            LineRule::Auto => {
                let pct = auto_percent(pr.line);
                let base = if l.img_h > 0 { font_h } else { h };
                let extra = (base * (pct - 100)).div_euclid(100);
                let pitch = (h + extra).max(1);
                (pitch, h.min(pitch.max(h)))
            }
            LineRule::Exact => (pr.line.max(1), pr.line.max(1)),
            LineRule::AtLeast => {
                let v = h.max(pr.line).max(1);
                (v, v)
            }
        };
        out.push((pitch, fit));
        texts.push(l.text);
    }
    Laid { lines: out, texts }
}

fn para_gap(prev: Option<&ParaProps>, cur: &ParaProps, sum: bool) -> i64 {
    let before = if cur.contextual && prev.is_some_and(|p| p.style == cur.style) {
        0
    } else {
        cur.before
    };
    let after = match prev {
        Some(p) if p.contextual && p.style == cur.style => 0,
        Some(p) => p.after,
        None => 0,
    };
    if sum {
        before + after
    } else {
        before.max(after)
    }
}

/// Height of a stack of blocks (a table cell, a header): each paragraph's before, lines and
/// after, collapsing the space between paragraphs.
pub fn stack_height(blocks: &[Block], width: i64) -> i64 {
    let mut h = 0i64;
    let mut prev: Option<&ParaProps> = None;
    for b in blocks {
        match b {
            Block::Para(p) => {
                let laid = measure(p, width);
                h += if prev.is_none() {
                    p.props.before
                } else {
                    para_gap(prev, &p.props, false)
                };
                h += laid.lines.iter().map(|l| l.0).sum::<i64>();
                prev = Some(&p.props);
            }
            Block::Table(t) => {
                h += prev.map(|p| p.after).unwrap_or(0);
                h += table_rows(t).iter().map(|r| r.0).sum::<i64>();
                prev = None;
            }
            _ => {}
        }
    }
    h + prev.map(|p| p.after).unwrap_or(0)
}

/// One line of a table cell: its top and bottom below the top of the cell content, the
/// space-before of its paragraph (repeated when a row is split before this line) and its text.
#[derive(Debug, Clone)]
pub struct CellLine {
    pub top: i64,
    pub bottom: i64,
    pub before: i64,
    pub text: String,
}

/// The lines of a stack of blocks (a table cell), laid out as [`stack_height`] does, and the
/// total height. A nested table counts as one unsplittable line.
pub fn cell_lines(blocks: &[Block], width: i64) -> (Vec<CellLine>, i64) {
    let mut out = Vec::new();
    let mut h = 0i64;
    let mut prev: Option<&ParaProps> = None;
    for b in blocks {
        match b {
            Block::Para(p) => {
                let laid = measure(p, width);
                let gap = if prev.is_none() {
                    p.props.before
                } else {
                    para_gap(prev, &p.props, false)
                };
                h += gap;
                for (i, &(pitch, fit)) in laid.lines.iter().enumerate() {
                    out.push(CellLine {
                        top: h,
                        bottom: h + fit,
                        before: if i == 0 { gap } else { p.props.before },
                        text: laid.texts.get(i).cloned().unwrap_or_default(),
                    });
                    h += pitch;
                }
                prev = Some(&p.props);
            }
            Block::Table(t) => {
                h += prev.map(|p| p.after).unwrap_or(0);
                let rows = table_rows(t);
                let th = rows.iter().map(|r| r.0).sum::<i64>();
                out.push(CellLine {
                    top: h,
                    bottom: h + th,
                    before: 0,
                    text: rows.first().map(|r| r.1.clone()).unwrap_or_default(),
                });
                h += th;
                prev = None;
            }
            _ => {}
        }
    }
    (out, h + prev.map(|p| p.after).unwrap_or(0))
}

/// A table row ready for pagination.
#[derive(Debug, Clone)]
struct RowBox {
    h: i64,
    text: String,
    splittable: bool,
    top_border: i64,
    bottom_border: i64,
    /// Each cell's lines and content height.
    cells: Vec<(Vec<CellLine>, i64)>,
}

fn row_boxes(t: &Table) -> Vec<RowBox> {
    let n = t.rows.len();
    let mut out = Vec::with_capacity(n);
    for (ri, r) in t.rows.iter().enumerate() {
        let mut col = 0usize;
        let mut cells = Vec::with_capacity(r.cells.len());
        for c in &r.cells {
            let w: i64 = t.grid.iter().skip(col).take(c.span).sum();
            col += c.span;
            let w = if w <= 0 { 2000 } else { w };
            let cw = (w - t.cell_left - t.cell_right).max(60);
            cells.push(cell_lines(&c.blocks, cw));
        }
        let mut h = cells.iter().map(|c| c.1).max().unwrap_or(0);
        let mut splittable = !r.cant_split;
        if let Some((v, exact)) = r.height {
            h = if exact { v } else { h.max(v) };
            splittable &= !exact;
        }
        let top_border = if ri == 0 { t.border_top } else { 0 };
        let bottom_border = if ri + 1 == n {
            t.border_bottom
        } else {
            t.border_inside
        };
        let text = cells
            .iter()
            .flat_map(|c| c.0.iter())
            .map(|l| l.text.trim())
            .find(|s| !s.is_empty())
            .unwrap_or("")
            .to_string();
        out.push(RowBox {
            h: h + top_border + bottom_border,
            text,
            splittable,
            top_border,
            bottom_border,
            cells,
        });
    }
    out
}

/// Splits a row whose content top is `avail` twips above the page bottom: the lines that fit
/// stay, the rest form the row's follow part (which starts with a rule and the space-before of
/// the paragraph it continues, as LibreOffice does). None when no line fits.
fn split_row(r: &RowBox, avail: i64, follow_border: i64) -> Option<RowBox> {
    let mut any = false;
    let mut cells = Vec::with_capacity(r.cells.len());
    for (lines, total) in &r.cells {
        let k = lines.iter().take_while(|l| l.bottom <= avail).count();
        any |= k > 0;
        if k >= lines.len() {
            cells.push((Vec::new(), 0));
            continue;
        }
        let first = &lines[k];
        let shift = first.top - first.before;
        let rest: Vec<CellLine> = lines[k..]
            .iter()
            .map(|l| CellLine {
                top: l.top - shift,
                bottom: l.bottom - shift,
                before: l.before,
                text: l.text.clone(),
            })
            .collect();
        cells.push((rest, total - shift));
    }
    if !any {
        return None;
    }
    let content = cells.iter().map(|c| c.1).max().unwrap_or(0);
    let text = cells
        .iter()
        .flat_map(|c| c.0.iter())
        .map(|l| l.text.trim())
        .find(|s| !s.is_empty())
        .unwrap_or("")
        .to_string();
    Some(RowBox {
        h: follow_border + content + r.bottom_border,
        text,
        splittable: true,
        top_border: follow_border,
        bottom_border: r.bottom_border,
        cells,
    })
}

/// Row heights (including the horizontal rules) and the first text of each row.
pub fn table_rows(t: &Table) -> Vec<(i64, String, bool)> {
    let mut out = Vec::new();
    let n = t.rows.len();
    for (ri, r) in t.rows.iter().enumerate() {
        let mut col = 0usize;
        let mut h = 0i64;
        let mut text = String::new();
        for c in &r.cells {
            let w: i64 = t.grid.iter().skip(col).take(c.span).sum();
            col += c.span;
            let w = if w <= 0 { 2000 } else { w };
            let cw = (w - t.cell_left - t.cell_right).max(60);
            h = h.max(stack_height(&c.blocks, cw));
            if text.is_empty() {
                text = first_text(&c.blocks);
            }
        }
        if let Some((v, exact)) = r.height {
            h = if exact { v } else { h.max(v) };
        }
        if ri == 0 {
            h += t.border_top;
        }
        h += if ri + 1 == n {
            t.border_bottom
        } else {
            t.border_inside
        };
        out.push((h, text, r.cant_split));
    }
    out
}

fn first_text(blocks: &[Block]) -> String {
    for b in blocks {
        if let Block::Para(p) = b {
            let mut s = String::new();
            for it in &p.items {
                if let Item::Text(t, _) = it {
                    s.push_str(t);
                }
                if s.len() > 120 {
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

#[derive(Debug, Clone)]
pub struct Page {
    pub w: i64,
    pub h: i64,
    pub body_h: i64,
    pub start: Option<String>,
    pub filled: i64,
    pub lines: u32,
}

/// Outcome of laying out a document.
#[derive(Debug, Clone)]
pub struct Output {
    pub pages: Vec<Page>,
    pub words: u32,
}

struct Pager {
    pages: Vec<Page>,
    y: i64,
    col: i64,
    body_h: i64,
    cols: i64,
    at_top: bool,
    keep_top_space: bool,
    prev: Option<ParaProps>,
    sum_spacing: bool,
}

impl Pager {
    fn new_page(&mut self, sec: &Section, flow: bool) {
        if flow && self.col + 1 < self.cols {
            self.col += 1;
        } else {
            self.col = 0;
            self.pages.push(Page {
                w: sec.w,
                h: sec.h,
                body_h: self.body_h,
                start: None,
                filled: 0,
                lines: 0,
            });
        }
        self.y = 0;
        self.at_top = true;
        self.keep_top_space = !flow;
        self.prev = None;
    }

    fn place_line(&mut self, pitch: i64, fit: i64, text: &str) {
        if let Some(pg) = self.pages.last_mut() {
            if pg.start.is_none() && !text.trim().is_empty() {
                pg.start = Some(text.trim().to_string());
            }
            pg.lines += 1;
            pg.filled = pg.filled.max(self.y + fit);
        }
        self.y += pitch;
        self.at_top = false;
    }
}

pub struct SectionLayout<'a> {
    pub section: &'a Section,
    pub blocks: &'a [Block],
}

fn geometry(sec: &Section) -> (i64, i64) {
    let mut top = sec.top.abs();
    if sec.header_h > 0 && sec.top >= 0 {
        top = top.max(sec.header + sec.header_h);
    }
    let mut bottom = sec.h - sec.bottom.abs();
    if sec.footer_h > 0 && sec.bottom >= 0 {
        bottom = bottom.min(sec.h - sec.footer - sec.footer_h);
    }
    let body_h = (bottom - top).max(240);
    let text_w = (sec.w - sec.left - sec.right).max(240);
    let col_w = if sec.cols > 1 {
        ((text_w - (sec.cols - 1) * sec.col_space) / sec.cols).max(240)
    } else {
        text_w
    };
    (body_h, col_w)
}

fn count_words(items: &[Item]) -> u32 {
    let mut n = 0u32;
    let mut in_word = false;
    for it in items {
        match it {
            Item::Text(t, _) => {
                for c in t.chars() {
                    if c.is_whitespace() {
                        in_word = false;
                    } else if !in_word {
                        in_word = true;
                        n += 1;
                    }
                }
            }
            _ => in_word = false,
        }
    }
    n
}

fn words_in(blocks: &[Block]) -> u32 {
    let mut n = 0;
    for b in blocks {
        match b {
            Block::Para(p) => n += count_words(&p.items),
            Block::Table(t) => {
                for r in &t.rows {
                    for c in &r.cells {
                        n += words_in(&c.blocks);
                    }
                }
            }
            _ => {}
        }
    }
    n
}

/// Lays out the sections of a document into pages.
pub fn paginate(sections: &[SectionLayout<'_>], sum_spacing: bool) -> Output {
    let mut pg = Pager {
        pages: Vec::new(),
        y: 0,
        col: 0,
        body_h: 0,
        cols: 1,
        at_top: true,
        keep_top_space: true,
        prev: None,
        sum_spacing,
    };
    let mut words = 0u32;
    let mut pending_break = false;
    for (si, s) in sections.iter().enumerate() {
        let sec = s.section;
        let (body_h, col_w) = geometry(sec);
        words += words_in(s.blocks);
        if si == 0 || !sec.continuous || pg.pages.is_empty() {
            pg.body_h = body_h;
            pg.cols = sec.cols;
            pg.new_page(sec, false);
        }
        // pre-measure paragraphs for look-ahead (keep-with-next)
        let laid: Vec<Option<Laid>> = s
            .blocks
            .iter()
            .map(|b| match b {
                Block::Para(p) => Some(measure(p, col_w)),
                _ => None,
            })
            .collect();
        for (bi, b) in s.blocks.iter().enumerate() {
            match b {
                Block::PageBreak => pending_break = true,
                Block::SectionEnd(_) => {}
                Block::Para(p) => {
                    let Some(Some(l)) = laid.get(bi) else {
                        continue;
                    };
                    if pending_break || p.break_before {
                        pg.new_page(sec, false);
                        pending_break = false;
                    } else if p.props.page_break_before && !pg.at_top {
                        pg.new_page(sec, false);
                    }
                    place_para(
                        &mut pg,
                        sec,
                        p,
                        l,
                        laid.get(bi + 1).and_then(|x| x.as_ref()),
                        s.blocks.get(bi + 1),
                    );
                }
                Block::Table(t) => {
                    if pending_break {
                        pg.new_page(sec, false);
                        pending_break = false;
                    }
                    place_table(&mut pg, sec, t);
                }
            }
        }
    }
    if pg.pages.is_empty() {
        pg.pages.push(Page {
            w: 12240,
            h: 15840,
            body_h: 12960,
            start: None,
            filled: 0,
            lines: 0,
        });
    }
    Output {
        pages: pg.pages,
        words,
    }
}

fn place_para(
    pg: &mut Pager,
    sec: &Section,
    p: &Para,
    laid: &Laid,
    next: Option<&Laid>,
    next_block: Option<&Block>,
) {
    let pr = &p.props;
    let gap_of = |pg: &Pager| -> i64 {
        if pg.at_top {
            if pg.keep_top_space {
                pr.before
            } else {
                0
            }
        } else {
            para_gap(pg.prev.as_ref(), pr, pg.sum_spacing)
        }
    };
    let n = laid.lines.len();
    // keep-with-next and keep-lines: move the whole paragraph when needed
    if !pg.at_top && (pr.keep_next || pr.keep_lines) {
        let gap = gap_of(pg);
        let mut need = pg.y + gap;
        for (i, (pitch, fit)) in laid.lines.iter().enumerate() {
            need += if i + 1 == n { *fit } else { *pitch };
        }
        let mut ok = need <= pg.body_h;
        if ok && pr.keep_next {
            if let (Some(nl), Some(Block::Para(np))) = (next, next_block) {
                let ngap = para_gap(Some(pr), &np.props, pg.sum_spacing);
                let last_pitch = laid.lines.last().map(|l| l.0 - l.1).unwrap_or(0);
                let mut y = need + last_pitch + ngap;
                // the next paragraph must start here: one line without widow/orphan
                // control, else as many lines as that control lets stay (2, or all of a
                // paragraph of up to 3 lines)
                let nn = nl.lines.len();
                let k = if !np.props.widow {
                    nn.min(1)
                } else if nn <= 3 {
                    nn
                } else {
                    2
                };
                for (i, (pitch, fit)) in nl.lines.iter().take(k).enumerate() {
                    y += if i + 1 == k { *fit } else { *pitch };
                }
                ok = y <= pg.body_h;
            }
        }
        if !ok {
            pg.new_page(sec, true);
        }
    }
    let mut i = 0usize;
    let mut first = true;
    let mut guard = 0;
    while i < n {
        guard += 1;
        if guard > 100_000 {
            break;
        }
        let gap = if first { gap_of(pg) } else { 0 };
        let mut y = pg.y + gap;
        let mut k = 0usize;
        for (pitch, fit) in laid.lines.iter().skip(i) {
            if y + fit > pg.body_h {
                break;
            }
            y += pitch;
            k += 1;
        }
        let remaining = n - i;
        if k >= remaining {
            pg.y += gap;
            for j in i..n {
                let (pitch, fit) = laid.lines.get(j).copied().unwrap_or((0, 0));
                let t = laid.texts.get(j).map(String::as_str).unwrap_or("");
                pg.place_line(pitch, fit, t);
            }
            break;
        }
        let mut take = k;
        if pr.widow {
            if remaining - take < 2 {
                take = remaining.saturating_sub(2);
            }
            if take < 2 {
                take = 0;
            }
        }
        if pg.at_top && take == 0 {
            take = k.max(1);
        }
        if take > 0 {
            pg.y += gap;
            for j in i..i + take {
                let (pitch, fit) = laid.lines.get(j).copied().unwrap_or((0, 0));
                let t = laid.texts.get(j).map(String::as_str).unwrap_or("");
                pg.place_line(pitch, fit, t);
            }
            i += take;
            first = false;
        }
        pg.new_page(sec, true);
    }
    pg.prev = Some(pr.clone());
    pg.at_top = false;
}

fn place_table(pg: &mut Pager, sec: &Section, t: &Table) {
    let rows = row_boxes(t);
    let mut gap = if pg.at_top {
        0
    } else {
        pg.prev.as_ref().map(|p| p.after).unwrap_or(0)
    };
    let follow_border = t.border_top.max(t.border_inside);
    for row in rows {
        let mut row = row;
        let mut guard = 0;
        // split the row across pages while it does not fit (rows split unless cantSplit)
        while pg.y + gap + row.h > pg.body_h && guard < 1000 {
            guard += 1;
            let avail = pg.body_h - (pg.y + gap + row.top_border);
            let follow = if row.splittable {
                split_row(&row, avail, follow_border)
            } else {
                None
            };
            match follow {
                Some(f) => {
                    pg.y += gap;
                    gap = 0;
                    let part = (pg.body_h - pg.y).max(0);
                    pg.place_line(part, part, &row.text);
                    pg.new_page(sec, true);
                    row = f;
                }
                None if !pg.at_top => {
                    pg.new_page(sec, true);
                    gap = 0;
                }
                None => break,
            }
        }
        pg.y += gap;
        gap = 0;
        let mut rest = row.h;
        let mut guard = 0;
        while pg.y + rest > pg.body_h && pg.at_top && guard < 1000 {
            guard += 1;
            let part = pg.body_h - pg.y;
            if part <= 0 {
                break;
            }
            pg.place_line(part, part, &row.text);
            rest -= part;
            pg.new_page(sec, true);
        }
        pg.place_line(rest, rest, &row.text);
    }
    pg.prev = None;
    pg.at_top = false;
}

#[allow(dead_code)]
fn _font(_f: RunFont) {}
