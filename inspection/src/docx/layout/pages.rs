//! Pagination: sections, columns, paragraphs split between pages under the keep rules and
//! widow/orphan control, and table rows split between lines.

use super::inline::measure as measure_para;
use super::inline::{measure_on_grid, Laid, LaidLine};
use super::para_gap;
use super::table::{row_boxes, split_row, RowBox};
use crate::docx::model::{Block, Item, Para, ParaProps, Section, SectionBlocks, Table};
use crate::docx::units::{Twips, LETTER};

/// Shortest page body and narrowest column.
const MIN_BODY: Twips = Twips(240);

/// One laid-out page.
#[derive(Debug, Clone)]
pub struct Page {
    pub width: Twips,
    pub height: Twips,
    /// Height of the text area.
    pub body_height: Twips,
    /// The first text on the page.
    pub start: Option<String>,
    /// How far down the text area the text reaches.
    pub filled: Twips,
    pub lines: u32,
}

/// Outcome of laying out a document.
#[derive(Debug, Clone)]
pub struct Output {
    pub pages: Vec<Page>,
    pub words: u32,
}

/// What the footnote area takes beyond its lines: 57 twips of space, the 10-twip separator,
/// 57 more down to the first note line (reserved even when no separator is drawn; measured,
/// `shared/research/docx-footnotes.md`).
const NOTE_AREA_OVERHEAD: Twips = Twips(124);
/// The first part of a note paragraph on a page is at least this many lines (orphans are
/// enforced inside notes; widows are not).
const NOTE_ORPHANS: usize = 2;

/// One line of a footnote, with what the area's height needs of its paragraph.
#[derive(Debug, Clone)]
struct NoteLine {
    pitch: Twips,
    fit: Twips,
    /// Its paragraph's first line (the paragraph's space-before goes above it).
    first_of_para: bool,
    /// Its place in its paragraph.
    index_in_para: usize,
    before: Twips,
    after: Twips,
}

/// Each referenced footnote laid out: its lines, in order.
fn lay_out_notes(notes: &[Vec<Para>], width: Twips) -> Vec<Vec<NoteLine>> {
    notes
        .iter()
        .map(|paras| {
            let mut out = Vec::new();
            for p in paras {
                let laid = measure_para(p, width);
                for (i, line) in laid.lines.iter().enumerate() {
                    out.push(NoteLine {
                        pitch: line.pitch,
                        fit: line.fit,
                        first_of_para: i == 0,
                        index_in_para: i,
                        before: p.props.space_before,
                        after: p.props.space_after,
                    });
                }
            }
            out
        })
        .collect()
}

/// Height of a footnote area holding `lines`: nothing without lines; else the overhead, each
/// paragraph's space-before (the first one's too), the larger of after and before between two
/// paragraphs, the last paragraph's after dropped, and the last line only its fit.
fn area_height(lines: &[NoteLine]) -> Twips {
    if lines.is_empty() {
        return Twips::ZERO;
    }
    let mut h = NOTE_AREA_OVERHEAD;
    let mut prev_after: Option<Twips> = None;
    let n = lines.len();
    for (i, l) in lines.iter().enumerate() {
        if l.first_of_para {
            h += match prev_after {
                None => l.before,
                Some(after) => after.max(l.before),
            };
        }
        h += if i + 1 == n { l.fit } else { l.pitch };
        prev_after = Some(l.after);
    }
    h
}

/// Where a body line and its notes go.
enum NotePlacement {
    /// The line stays on this page; these note lines join the area, those go to the next page.
    Stay {
        here: Vec<NoteLine>,
        carried: Vec<NoteLine>,
    },
    /// The line goes to the next page (with its notes).
    Move,
}

/// The footnote area of the page being filled.
#[derive(Debug, Clone, Default)]
struct NoteArea {
    lines: Vec<NoteLine>,
    /// Note lines for the next page: the rest of a split note, or notes pushed over whole.
    carried: Vec<NoteLine>,
}

impl NoteArea {
    fn height(&self) -> Twips {
        area_height(&self.lines)
    }

    /// LibreOffice's rules for a body line whose top is `y` on a page `body` high whose area may
    /// grow to `cap` (`shared/research/docx-footnotes.md`, "Page-breaking rule").
    fn place(
        &self,
        y: Twips,
        line: &LaidLine,
        notes: &[Vec<NoteLine>],
        body: Twips,
        cap: Twips,
    ) -> NotePlacement {
        let bottom = y + line.fit;
        if bottom + self.height() > body {
            return NotePlacement::Move;
        }
        let new: Vec<NoteLine> = line
            .notes
            .iter()
            .filter_map(|&n| notes.get(n))
            .flatten()
            .cloned()
            .collect();
        if new.is_empty() {
            return NotePlacement::Stay {
                here: Vec::new(),
                carried: Vec::new(),
            };
        }
        // New notes cannot follow a note that continues on the next page.
        if self.carried.is_empty() {
            let mut all = self.lines.clone();
            all.extend(new.iter().cloned());
            let h = area_height(&all);
            if bottom + h <= body && h <= cap {
                return NotePlacement::Stay {
                    here: new,
                    carried: Vec::new(),
                };
            }
            // Split: the notes take lines in order while the area stays within what is left
            // and the cap, with orphan control inside each note paragraph.
            let limit = (body - bottom).min(cap);
            let mut taken = self.lines.clone();
            let mut k = 0;
            for l in &new {
                taken.push(l.clone());
                if area_height(&taken) > limit {
                    break;
                }
                k += 1;
            }
            if let Some(next) = new.get(k) {
                if !next.first_of_para {
                    let on_this_page = next.index_in_para;
                    if on_this_page < NOTE_ORPHANS {
                        k = k.saturating_sub(on_this_page);
                    }
                }
            }
            if k >= 1 {
                return NotePlacement::Stay {
                    here: new[..k].to_vec(),
                    carried: new[k..].to_vec(),
                };
            }
        }
        // The first new note gets no line here. On a page without notes the line moves; on a
        // page with notes it stays (its notes pushed over whole) unless it is the last line
        // that fits.
        if self.lines.is_empty() {
            return NotePlacement::Move;
        }
        if y + line.fit * 2 <= body - self.height() {
            NotePlacement::Stay {
                here: Vec::new(),
                carried: new,
            }
        } else {
            NotePlacement::Move
        }
    }

    /// A new page: carried lines first, as many as the cap allows.
    fn next_page(&mut self, cap: Twips) {
        let carried = std::mem::take(&mut self.carried);
        self.lines.clear();
        let mut rest = carried.into_iter();
        for l in rest.by_ref() {
            self.lines.push(l);
            if area_height(&self.lines) > cap && self.lines.len() > 1 {
                if let Some(back) = self.lines.pop() {
                    self.carried.push(back);
                }
                break;
            }
        }
        self.carried.extend(rest);
    }
}

/// Where the next line goes.
struct Pager {
    pages: Vec<Page>,
    /// Position in the current column, from the top of the text area.
    y: Twips,
    column: i64,
    body_height: Twips,
    columns: i64,
    /// Where the columns of the current section start on this page: below the text of an
    /// earlier section on the same page (a continuous section break), else the top.
    column_top: Twips,
    /// Nothing has been placed in this column yet.
    at_top: bool,
    /// A paragraph at the top keeps its space-before (after a hard break, not after a flow).
    keep_top_space: bool,
    prev: Option<ParaProps>,
    sum_spacing: bool,
    /// The footnotes referenced, laid out, and the current page's footnote area.
    notes: Vec<Vec<NoteLine>>,
    area: NoteArea,
    /// The next page is the first of its section.
    first_page_of_section: bool,
}

impl Pager {
    /// The next column, or a new page (`flow`: because the previous one is full).
    fn new_page(&mut self, sec: &Section, flow: bool) {
        if flow && self.column + 1 < self.columns {
            self.column += 1;
            self.y = self.column_top;
        } else {
            self.column = 0;
            self.column_top = Twips::ZERO;
            self.y = Twips::ZERO;
            // A section with a title page has a header and footer of its own on its first page.
            let first = std::mem::take(&mut self.first_page_of_section);
            self.body_height = page_body_height(sec, first);
            self.pages.push(Page {
                width: sec.page_width,
                height: sec.page_height,
                body_height: self.body_height,
                start: None,
                filled: Twips::ZERO,
                lines: 0,
            });
        }
        self.at_top = true;
        self.keep_top_space = !flow;
        self.prev = None;
        let cap = self.note_cap();
        self.area.next_page(cap);
    }

    /// A continuous section break on this page: the text before it, when it was set in columns,
    /// is balanced between them (as Word and LibreOffice do), and the new section's columns
    /// start below it.
    fn start_columns_here(&mut self, columns: i64) {
        let mut top = self.y;
        if self.columns > 1 {
            let full = (self.limit() - self.column_top).max(Twips::ZERO);
            let used = full * self.column + (self.y - self.column_top).max(Twips::ZERO);
            top = self.column_top + Twips((used.get() + self.columns - 1) / self.columns);
        }
        self.column_top = top;
        self.y = top;
        self.column = 0;
        self.columns = columns;
    }

    /// The tallest the footnote area may grow: the body keeps at least a fifth of the page.
    fn note_cap(&self) -> Twips {
        self.body_height - Twips(self.body_height.get() / 5)
    }

    /// The height left for body text above the footnote area.
    fn limit(&self) -> Twips {
        self.body_height - self.area.height()
    }

    fn place_line(&mut self, pitch: Twips, fit: Twips, text: &str) {
        if let Some(page) = self.pages.last_mut() {
            if page.start.is_none() && !text.trim().is_empty() {
                page.start = Some(text.trim().to_string());
            }
            page.lines += 1;
            page.filled = page.filled.max(self.y + fit);
        }
        self.y += pitch;
        self.at_top = false;
    }

    /// The space above a paragraph placed next.
    fn gap_before(&self, pr: &ParaProps) -> Twips {
        if self.at_top {
            if self.keep_top_space {
                pr.space_before
            } else {
                Twips::ZERO
            }
        } else {
            para_gap(self.prev.as_ref(), pr, self.sum_spacing)
        }
    }
}

/// Body height of a page of the section: its first page's when `first` and the section has a
/// title page.
fn page_body_height(sec: &Section, first: bool) -> Twips {
    match (first, sec.first_page_header_footer) {
        (true, Some((header_height, footer_height))) => {
            geometry(&Section {
                header_height,
                footer_height,
                ..sec.clone()
            })
            .0
        }
        _ => geometry(sec).0,
    }
}

/// Body height and column width of a section's pages.
fn geometry(sec: &Section) -> (Twips, Twips) {
    let mut top = sec.margin_top.abs();
    if sec.header_height > Twips::ZERO && sec.margin_top >= Twips::ZERO {
        top = top.max(sec.header_distance + sec.header_height);
    }
    let mut bottom = sec.page_height - sec.margin_bottom.abs();
    if sec.footer_height > Twips::ZERO && sec.margin_bottom >= Twips::ZERO {
        bottom = bottom.min(sec.page_height - sec.footer_distance - sec.footer_height);
    }
    let body_height = (bottom - top).max(MIN_BODY);
    let text_width = (sec.page_width - sec.margin_left - sec.margin_right).max(MIN_BODY);
    // Vertical text turns the text area a quarter: a line is as long as the area is high, and
    // lines follow each other across its width (columns of a vertical section are left out).
    if sec.vertical {
        return (text_width, body_height);
    }
    let column_width = if sec.columns > 1 {
        ((text_width - (sec.columns - 1) * sec.column_gap) / sec.columns).max(MIN_BODY)
    } else {
        text_width
    };
    (body_height, column_width)
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

/// Where a document's endnotes are set: Word and LibreOffice 7.4 differ.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EndnotePlace {
    /// Right after the last line of text, on the same page when they fit (Word).
    AfterText,
    /// On a page of their own after the text (LibreOffice 7.4's endnote page).
    OwnPage,
}

/// The endnotes of a document, as blocks (the separator first), and where they go.
pub struct Endnotes<'a> {
    pub blocks: &'a [Block],
    pub place: EndnotePlace,
}

/// Lays out the sections of a document into pages, then its endnotes.
pub fn paginate(
    sections: &[SectionBlocks],
    sum_spacing: bool,
    notes: &[Vec<Para>],
    endnotes: &Endnotes<'_>,
) -> Output {
    // Notes are set in the text width of the first section (essays have one).
    let note_width = sections
        .first()
        .map(|s| geometry(&s.section).1)
        .unwrap_or(MIN_BODY);
    let mut pager = Pager {
        pages: Vec::new(),
        y: Twips::ZERO,
        column: 0,
        body_height: Twips::ZERO,
        columns: 1,
        column_top: Twips::ZERO,
        at_top: true,
        keep_top_space: true,
        prev: None,
        sum_spacing,
        notes: lay_out_notes(notes, note_width),
        area: NoteArea::default(),
        first_page_of_section: false,
    };
    let mut words = 0u32;
    let mut pending_break = false;
    for (i, s) in sections.iter().enumerate() {
        words += words_in(&s.blocks);
        place_section(&mut pager, s, i == 0, false, &mut pending_break);
    }
    // Endnotes are set in the last section's page setup. Their words are not the essay's (Word
    // leaves them out of its own count too).
    if let (Some(last), false) = (sections.last(), endnotes.blocks.is_empty()) {
        let notes_section = SectionBlocks {
            section: Section {
                continuous: endnotes.place == EndnotePlace::AfterText,
                ..last.section.clone()
            },
            blocks: endnotes.blocks.to_vec(),
        };
        pending_break = false;
        let after_text = endnotes.place == EndnotePlace::AfterText;
        place_section(
            &mut pager,
            &notes_section,
            false,
            after_text,
            &mut pending_break,
        );
    }
    // Notes pushed past the last line of text get pages of their own.
    if let Some(last) = sections.last() {
        let mut guard = 0;
        while !pager.area.carried.is_empty() && guard < 10_000 {
            guard += 1;
            pager.new_page(&last.section, true);
        }
    }
    if pager.pages.is_empty() {
        pager.pages.push(Page {
            width: LETTER.width,
            height: LETTER.height,
            body_height: LETTER.height - Twips::INCH * 2,
            start: None,
            filled: Twips::ZERO,
            lines: 0,
        });
    }
    Output {
        pages: pager.pages,
        words,
    }
}

/// Places the blocks of one section; a hard break at its end carries over to the next.
/// `flows_on`: the blocks continue the text where it stopped, in its column (endnotes after
/// the text), rather than after a section break.
fn place_section(
    pager: &mut Pager,
    s: &SectionBlocks,
    first: bool,
    flows_on: bool,
    pending_break: &mut bool,
) {
    let sec = &s.section;
    let (body_height, column_width) = geometry(sec);
    if first || !sec.continuous || pager.pages.is_empty() {
        pager.body_height = body_height;
        pager.columns = sec.columns;
        pager.first_page_of_section = true;
        pager.new_page(sec, false);
    } else if !flows_on && (sec.columns != pager.columns || sec.columns > 1) {
        pager.start_columns_here(sec.columns);
    }
    // pre-measure paragraphs for look-ahead (keep-with-next)
    let laid: Vec<Option<Laid>> = s
        .blocks
        .iter()
        .map(|b| match b {
            Block::Para(p) => Some(measure_on_grid(p, column_width, sec.line_grid)),
            _ => None,
        })
        .collect();
    for (index, b) in s.blocks.iter().enumerate() {
        match b {
            Block::PageBreak => *pending_break = true,
            Block::SectionEnd(_) => {}
            Block::Para(p) => {
                let Some(Some(measured)) = laid.get(index) else {
                    continue;
                };
                if *pending_break || p.break_before {
                    pager.new_page(sec, false);
                    *pending_break = false;
                } else if p.props.page_break_before && !pager.at_top {
                    pager.new_page(sec, false);
                }
                let next = laid.get(index + 1).and_then(|x| x.as_ref());
                place_para(pager, sec, p, measured, next, s.blocks.get(index + 1));
            }
            Block::Table(t) => {
                if *pending_break {
                    pager.new_page(sec, false);
                    *pending_break = false;
                }
                let keep_with = match (laid.get(index + 1), s.blocks.get(index + 1)) {
                    (Some(Some(next)), Some(Block::Para(np))) if first_para_keeps_next(t) => {
                        Some(para_gap(None, &np.props, pager.sum_spacing) + start_kept(np, next))
                    }
                    _ => None,
                };
                place_table(pager, sec, t, keep_with);
            }
        }
    }
}

/// Height from the top of the first line to the bottom of the last: the pitches of all lines
/// but the last, and the last one's fit.
fn height_to_last_fit(lines: &[LaidLine]) -> Twips {
    let n = lines.len();
    lines
        .iter()
        .enumerate()
        .map(|(i, line)| if i + 1 == n { line.fit } else { line.pitch })
        .sum()
}

/// Whether a paragraph with keep-with-next or keep-lines fits where it would go: all of it, and
/// for keep-with-next the start of the next paragraph: one line without widow/orphan control,
/// else as many lines as that control lets stay (2, or all of a paragraph of up to 3 lines).
fn keeps_fit(
    pager: &Pager,
    p: &Para,
    laid: &Laid,
    next: Option<&Laid>,
    next_block: Option<&Block>,
) -> bool {
    let pr = &p.props;
    let need = pager.y + pager.gap_before(pr) + height_to_last_fit(&laid.lines);
    if need > pager.limit() || !pr.keep_next {
        return need <= pager.limit();
    }
    let (Some(next), Some(Block::Para(np))) = (next, next_block) else {
        return true;
    };
    let next_gap = para_gap(Some(pr), &np.props, pager.sum_spacing);
    let last_pitch = laid
        .lines
        .last()
        .map(|line| line.pitch - line.fit)
        .unwrap_or(Twips::ZERO);
    need + last_pitch + next_gap + start_kept(np, next) <= pager.limit()
}

/// How much of a paragraph must come on the page of what is kept with it: all of it when it is
/// kept together or kept with the one after it; otherwise as much as widow and orphan control
/// keeps together at the top of the next page.
fn start_kept(np: &Para, next: &Laid) -> Twips {
    let n = next.lines.len();
    let k = if np.props.keep_lines || np.props.keep_next {
        n
    } else if !np.props.widow_control {
        n.min(1)
    } else if n <= 3 {
        n
    } else {
        2
    };
    height_to_last_fit(&next.lines[..k])
}

/// A table is kept with the paragraph after it when its first paragraph has keep-with-next:
/// so LibreOffice 7.4 imports it (keep-with-next on a later paragraph of the table does not).
fn first_para_keeps_next(t: &Table) -> bool {
    let first = t
        .rows
        .first()
        .and_then(|r| r.cells.first())
        .and_then(|c| c.blocks.first());
    matches!(first, Some(Block::Para(p)) if p.props.keep_next)
}

fn place_para(
    pager: &mut Pager,
    sec: &Section,
    p: &Para,
    laid: &Laid,
    next: Option<&Laid>,
    next_block: Option<&Block>,
) {
    let pr = &p.props;
    // keep-with-next and keep-lines: move the whole paragraph when needed
    if !pager.at_top
        && (pr.keep_next || pr.keep_lines)
        && !keeps_fit(pager, p, laid, next, next_block)
    {
        pager.new_page(sec, true);
    }
    place_lines(pager, sec, pr, &laid.lines);
    pager.prev = Some(pr.clone());
    pager.at_top = false;
}

/// Places a paragraph's lines, page after page, under widow/orphan control. Each line's
/// footnotes go into the page's footnote area with it (or are split or pushed over, by
/// LibreOffice's rules), and the area's height is what the body cannot use.
fn place_lines(pager: &mut Pager, sec: &Section, pr: &ParaProps, lines: &[LaidLine]) {
    let n = lines.len();
    let mut i = 0usize;
    let mut first = true;
    let mut guard = 0;
    let cap = pager.note_cap();
    while i < n {
        guard += 1;
        if guard > 100_000 {
            break;
        }
        let gap = if first {
            pager.gap_before(pr)
        } else {
            Twips::ZERO
        };
        // How many lines fit on this page, their notes with them (a dry run on a copy of the
        // area, so that widow and orphan control can shorten the run before anything is placed).
        let mut y = pager.y + gap;
        let mut area = pager.area.clone();
        let mut k = 0usize;
        for line in lines.iter().skip(i) {
            match area.place(y, line, &pager.notes, pager.body_height, cap) {
                NotePlacement::Move => break,
                NotePlacement::Stay { here, carried } => {
                    area.lines.extend(here);
                    area.carried.extend(carried);
                }
            }
            y += line.pitch;
            k += 1;
        }
        let remaining = n - i;
        let mut take = k;
        if k < remaining && pr.widow_control {
            if remaining - take < 2 {
                take = remaining.saturating_sub(2);
            }
            if take < 2 {
                take = 0;
            }
        }
        if k < remaining && pager.at_top && take == 0 {
            take = k.max(1);
        }
        if take > 0 {
            pager.y += gap;
            for line in lines.iter().skip(i).take(take) {
                let placement =
                    pager
                        .area
                        .place(pager.y, line, &pager.notes, pager.body_height, cap);
                if let NotePlacement::Stay { here, carried } = placement {
                    pager.area.lines.extend(here);
                    pager.area.carried.extend(carried);
                } else {
                    // A line forced onto an empty page: its notes follow it.
                    pager.area.carried.extend(
                        line.notes
                            .iter()
                            .filter_map(|&n| pager.notes.get(n))
                            .flatten()
                            .cloned(),
                    );
                }
                pager.place_line(line.pitch, line.fit, &line.text);
            }
            i += take;
            first = false;
        }
        if i < n {
            pager.new_page(sec, true);
        }
    }
}

/// A new page for a table that continues on it, its header rows drawn again at the top.
fn new_page_with_headers(pager: &mut Pager, sec: &Section, headers: &[RowBox]) {
    pager.new_page(sec, true);
    for h in headers {
        pager.place_line(h.height, h.height, &h.text);
    }
}

/// Places a table; `keep_with` is the room the start of the next paragraph needs on the page
/// of the last row when the table is kept with it.
fn place_table(pager: &mut Pager, sec: &Section, t: &Table, keep_with: Option<Twips>) {
    let mut gap = if pager.at_top {
        Twips::ZERO
    } else {
        pager
            .prev
            .as_ref()
            .map(|p| p.space_after)
            .unwrap_or(Twips::ZERO)
    };
    let follow_border = t.border_top.max(t.border_inside);
    let column_width = geometry(sec).1;
    let scaled;
    let t = match t.width_pct {
        Some(pct) => {
            scaled = scaled_to(t, column_width.percent_floor(pct) / 50);
            &scaled
        }
        None => t,
    };
    let boxes = row_boxes(t);
    // The header rows at the start of the table, drawn again on each page it continues on.
    let headers: Vec<RowBox> = boxes
        .iter()
        .zip(&t.rows)
        .take_while(|(_, r)| r.header)
        .map(|(b, _)| b.clone())
        .collect();
    let rows = boxes.len();
    for (i, row) in boxes.into_iter().enumerate() {
        let repeat = if i < headers.len() {
            &[][..]
        } else {
            &headers[..]
        };
        // The last row of a table kept with the next paragraph goes to the next page when that
        // paragraph's start does not fit after it, unless the row can split there, leaving its
        // end on the next page with the paragraph: LibreOffice splits it only when the table has
        // other rows and the row's "at least" height fits.
        if let Some(room) = keep_with.filter(|_| i + 1 == rows && !pager.at_top) {
            let top = pager.y + gap + row.top_border;
            let end = pager.y + gap + row.height;
            let splits = rows > 1 && row.splittable && pager.limit() - top >= row.min_height;
            if end + room > pager.limit() && (end <= pager.limit() || !splits) {
                new_page_with_headers(pager, sec, repeat);
                gap = Twips::ZERO;
            }
        }
        place_row(pager, sec, row, &mut gap, follow_border, repeat);
    }
    pager.prev = None;
    pager.at_top = false;
}

/// How much taller the page's footnote area grows with a row's notes.
fn notes_extra(pager: &Pager, note_lines: &[NoteLine]) -> Twips {
    if note_lines.is_empty() || !pager.area.carried.is_empty() {
        return Twips::ZERO;
    }
    let mut lines = pager.area.lines.clone();
    lines.extend(note_lines.iter().cloned());
    area_height(&lines) - pager.area.height()
}

/// A table row's notes join the page's area (behind a note that continues, or past the cap,
/// they go to the next page).
fn add_row_notes(pager: &mut Pager, note_lines: &[NoteLine]) {
    if note_lines.is_empty() {
        return;
    }
    let mut lines = pager.area.lines.clone();
    lines.extend(note_lines.iter().cloned());
    if pager.area.carried.is_empty() && area_height(&lines) <= pager.note_cap() {
        pager.area.lines = lines;
    } else {
        pager.area.carried.extend(note_lines.iter().cloned());
    }
}

/// `t` with its grid scaled to `width` (a table sized in percent of the text width).
fn scaled_to(t: &Table, width: Twips) -> Table {
    let total: Twips = t.grid.iter().copied().sum();
    let mut scaled = t.clone();
    if total > Twips::ZERO && width > Twips::ZERO {
        for col in &mut scaled.grid {
            *col = Twips(col.get() * width.get() / total.get());
        }
    }
    scaled
}

/// Places a row: split across pages while it does not fit (rows split unless cantSplit or of an
/// exact height); a row taller than a whole page is cut into page-sized parts.
fn place_row(
    pager: &mut Pager,
    sec: &Section,
    mut row: RowBox,
    gap: &mut Twips,
    follow_border: Twips,
    headers: &[RowBox],
) {
    let next_page = |pager: &mut Pager| new_page_with_headers(pager, sec, headers);
    let mut guard = 0;
    // A row of one-line cells stays when only its cells' space-after would overflow.
    let need = |row: &RowBox| {
        if row.single_lines {
            row.tight_height
        } else {
            row.height
        }
    };
    // The notes referenced in the row's cells come into the page's footnote area with it.
    let mut note_lines: Vec<NoteLine> = row
        .notes
        .iter()
        .filter_map(|&n| pager.notes.get(n))
        .flatten()
        .cloned()
        .collect();
    while pager.y + *gap + need(&row) + notes_extra(pager, &note_lines) > pager.limit()
        && guard < 1000
    {
        guard += 1;
        let avail =
            pager.limit() - notes_extra(pager, &note_lines) - (pager.y + *gap + row.top_border);
        let follow = if row.splittable {
            split_row(&row, avail, follow_border)
        } else {
            None
        };
        match follow {
            Some(f) => {
                pager.y += *gap;
                *gap = Twips::ZERO;
                add_row_notes(pager, &note_lines);
                note_lines.clear();
                let part = (pager.limit() - pager.y).max(Twips::ZERO);
                pager.place_line(part, part, &row.text);
                next_page(pager);
                row = f;
            }
            None if !pager.at_top => {
                next_page(pager);
                *gap = Twips::ZERO;
            }
            None => break,
        }
    }
    pager.y += *gap;
    *gap = Twips::ZERO;
    add_row_notes(pager, &note_lines);
    let mut rest = row.height;
    let mut guard = 0;
    while pager.y + rest > pager.limit() && pager.at_top && guard < 1000 {
        guard += 1;
        let part = pager.limit() - pager.y;
        if part <= Twips::ZERO {
            break;
        }
        pager.place_line(part, part, &row.text);
        rest -= part;
        next_page(pager);
    }
    pager.place_line(rest, rest, &row.text);
}
