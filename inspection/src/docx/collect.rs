//! From `word/document.xml` to [`Block`]s: the body's paragraphs, tables and sections, with
//! every property resolved (the runs inside a paragraph are collected in `runs`).

use super::layout;
use super::model::{Block, Cell, Para, Row, RowHeight, RunFont, Section, SectionBlocks, Table};
use super::numbering::{ListCounters, Numbering};
use super::props::{border_w, int, parse_ppr, parse_rpr, parse_tblpr, twips, TblProps};
use super::runs::ParaBuilder;
use super::styles::{Styles, ThemeFonts};
use super::units::{Twips, LETTER};
use crate::xml::Node;
use std::collections::HashMap;

/// Default cell margin left and right (0.075 inch), when neither the table nor its style sets one.
const DEFAULT_CELL_MARGIN: Twips = Twips(108);
/// Largest top or bottom cell margin taken from a file.
const MAX_CELL_MARGIN: Twips = Twips(2880);
/// Widest grid column taken from a file.
const MAX_GRID_COLUMN: Twips = Twips(100_000);
/// Most grid columns one cell may span or a row may skip.
const MAX_SPAN: i64 = 64;
/// Most text columns of a section.
const MAX_COLUMNS: i64 = 16;
/// Narrowest and widest page taken from a file.
const MIN_PAGE: Twips = Twips(144);
const MAX_PAGE: Twips = Twips(31680 * 2);
/// Narrowest text width a header or footer is laid out in.
const MIN_HEADER_WIDTH: Twips = Twips::HALF_INCH;

/// What the collector keeps while it walks the document.
pub struct Collector<'a> {
    pub styles: &'a Styles,
    pub theme_fonts: ThemeFonts,
    pub numbering: Numbering,
    pub list_counters: ListCounters,
    /// Fonts named by the text that have no metric twin, in order of appearance.
    pub fallback_fonts: Vec<String>,
    /// Paragraphs still allowed ([`crate::Limits::max_layout_blocks`]).
    pub blocks_budget: usize,
    /// Floating pictures and text boxes met (left out of the layout).
    pub floating_objects: usize,
    /// Relationship id → header or footer root (`w:hdr`/`w:ftr`), until it is laid out.
    pub header_parts: HashMap<String, Node>,
    /// Relationship id → laid-out height of that header or footer.
    pub header_heights: HashMap<String, Twips>,
    /// Relationship id → package part, for the main part's images.
    pub image_parts: HashMap<String, String>,
    /// Letters and digits laid out in each font that has no metric twin.
    pub unmeasured_chars: HashMap<String, usize>,
    /// Footnote id → its `w:footnote`, from the footnotes part (separators left out).
    pub note_parts: HashMap<String, Node>,
    /// The footnotes referenced, in order of reference: the paragraphs of each.
    pub notes: Vec<Vec<Para>>,
    /// Endnote id → its `w:endnote`, from the endnotes part (separators left out).
    pub endnote_parts: HashMap<String, Node>,
    /// The endnotes referenced, in order of reference: the paragraphs of each.
    pub endnotes: Vec<Vec<Para>>,
    /// The endnotes part's separator (`w:type="separator"`): Word sets it above the endnotes.
    pub endnote_separator: Option<Node>,
    /// The number of the note being collected, while its paragraphs are.
    pub current_note: Option<String>,
    /// The font of the last paragraph collected, from its style alone (its mark's own run
    /// properties left out), when that paragraph is empty: see [`Collector::sections`].
    pub last_style_mark: Option<RunFont>,
}

impl<'a> Collector<'a> {
    pub fn new(
        styles: &'a Styles,
        theme_fonts: ThemeFonts,
        numbering: Numbering,
        header_parts: HashMap<String, Node>,
        image_parts: HashMap<String, String>,
        blocks_budget: usize,
    ) -> Collector<'a> {
        Collector {
            styles,
            theme_fonts,
            numbering,
            list_counters: HashMap::new(),
            fallback_fonts: Vec::new(),
            blocks_budget,
            floating_objects: 0,
            header_parts,
            header_heights: HashMap::new(),
            image_parts,
            unmeasured_chars: HashMap::new(),
            note_parts: HashMap::new(),
            notes: Vec::new(),
            endnote_parts: HashMap::new(),
            endnotes: Vec::new(),
            endnote_separator: None,
            current_note: None,
            last_style_mark: None,
        }
    }

    /// Takes the footnotes of the package (the `w:footnotes` root of its footnotes part).
    pub fn with_footnotes(mut self, footnotes: Option<&Node>) -> Self {
        if let Some(root) = footnotes.and_then(|n| n.find("footnotes")) {
            for note in root.children_named("footnote") {
                let separator = matches!(
                    note.attr("type"),
                    Some("separator" | "continuationSeparator" | "continuationNotice")
                );
                if let (Some(id), false) = (note.attr("id"), separator) {
                    self.note_parts.insert(id.to_string(), note.clone());
                }
            }
        }
        self
    }

    /// Takes the endnotes of the package (the `w:endnotes` root of its endnotes part).
    pub fn with_endnotes(mut self, endnotes: Option<&Node>) -> Self {
        if let Some(root) = endnotes.and_then(|n| n.find("endnotes")) {
            for note in root.children_named("endnote") {
                match (note.attr("type"), note.attr("id")) {
                    (Some("separator"), _) => self.endnote_separator = Some(note.clone()),
                    (Some("continuationSeparator" | "continuationNotice"), _) => {}
                    (_, Some(id)) => {
                        self.endnote_parts.insert(id.to_string(), note.clone());
                    }
                    _ => {}
                }
            }
        }
        self
    }

    /// The blocks of a note (or any container of paragraphs).
    pub fn blocks_of(&mut self, n: &Node, out: &mut Vec<Block>) {
        self.body(n, None, out);
    }
}

impl Collector<'_> {
    /// The sections of `w:document`, each with its blocks. There is always at least one; blocks
    /// after the last section break take the last section's setup, and a page break at the very
    /// end of the document is dropped (as LibreOffice does).
    pub fn sections(&mut self, document: &Node) -> Vec<SectionBlocks> {
        let mut blocks = Vec::new();
        // Some writers emit several w:body elements; LibreOffice starts each on a new page.
        for (i, body) in document.children_named("body").enumerate() {
            if i > 0 {
                blocks.push(Block::PageBreak);
            }
            self.body(body, None, &mut blocks);
        }
        let mut sections: Vec<SectionBlocks> = Vec::new();
        let mut cur: Vec<Block> = Vec::new();
        for b in blocks {
            match b {
                Block::SectionEnd(section) => sections.push(SectionBlocks {
                    section,
                    blocks: std::mem::take(&mut cur),
                }),
                other => cur.push(other),
            }
        }
        if !cur.is_empty() || sections.is_empty() {
            let section = match sections.last() {
                Some(last) => last.section.clone(),
                None => self.section(&Node::default()),
            };
            sections.push(SectionBlocks {
                section,
                blocks: cur,
            });
        }
        if let Some(last) = sections.last_mut() {
            while matches!(last.blocks.last(), Some(Block::PageBreak)) {
                last.blocks.pop();
            }
            // The empty paragraph that ends a document after a table takes its height from its
            // style, not from its mark's own size: LibreOffice 7.4 (and Word) push a table to
            // a new page for a 10 pt empty last paragraph even when its mark says 6 pt.
            if let ([.., Block::Table(_), Block::Para(p)], Some(font)) =
                (&mut last.blocks[..], self.last_style_mark)
            {
                if p.items.is_empty() {
                    p.mark = font;
                }
            }
        }
        sections
    }

    /// The blocks of a body, a table cell, a header or a content control.
    fn body(&mut self, n: &Node, table_style: Option<&str>, out: &mut Vec<Block>) {
        for c in n.elems() {
            if self.blocks_budget == 0 {
                return;
            }
            match c.name.as_str() {
                "p" => self.paragraph(c, table_style, out),
                "tbl" => self.table(c, out),
                "sdt" => {
                    if let Some(sc) = c.child("sdtContent") {
                        self.body(sc, table_style, out);
                    }
                }
                "customXml" | "ins" | "moveTo" => self.body(c, table_style, out),
                "sectPr" => out.push(Block::SectionEnd(self.section(c))),
                _ => {}
            }
        }
    }

    /// Parses a `w:p` into one or more paragraphs (split at hard page breaks), plus an optional
    /// section end.
    fn paragraph(&mut self, p: &Node, table_style: Option<&str>, out: &mut Vec<Block>) {
        if self.blocks_budget == 0 {
            return;
        }
        self.blocks_budget -= 1;
        let ppr_node = p.child("pPr");
        let direct = ppr_node.map(parse_ppr).unwrap_or_default();
        let (pp, para_rpr) = self.resolve_para(&direct, table_style);
        let props = self.concrete(&pp);
        let mut mark_rpr = para_rpr.clone();
        if let Some(mr) = ppr_node.and_then(|x| x.child("rPr")) {
            let m = parse_rpr(mr);
            if let Some(cs) = &m.style {
                for st in self.styles.chain(cs) {
                    mark_rpr.merge(&st.rpr);
                }
            }
            let mut m2 = m.clone();
            m2.vanish = None;
            mark_rpr.merge(&m2);
        }
        let mark = self.run_font(&mark_rpr);
        let mut marker = self.marker(&pp, &mark_rpr);
        let mut b = ParaBuilder::default();
        self.collect_runs(p, &para_rpr, &mut b);
        let (pieces, trailing_break) = b.into_pieces();
        // Only an empty paragraph's style font can be wanted (see `sections`), and it is worked
        // out after the runs, whose footnotes are collected as paragraphs of their own.
        self.last_style_mark = if pieces.iter().all(Vec::is_empty) {
            Some(self.run_font(&para_rpr))
        } else {
            None
        };
        let count = pieces.len();
        for (i, items) in pieces.into_iter().enumerate() {
            let mut props = props.clone();
            if i > 0 {
                props.space_before = Twips::ZERO;
                props.page_break_before = false;
            }
            if i + 1 < count {
                props.space_after = Twips::ZERO;
            }
            out.push(Block::Para(Para {
                props,
                items,
                mark,
                marker: marker.take(),
                break_before: i > 0,
            }));
        }
        if trailing_break {
            out.push(Block::PageBreak);
        }
        if let Some(sp) = ppr_node.and_then(|x| x.child("sectPr")) {
            out.push(Block::SectionEnd(self.section(sp)));
        }
    }

    fn table(&mut self, t: &Node, out: &mut Vec<Block>) {
        let tblpr = t.child("tblPr");
        let style_id = tblpr
            .and_then(|x| x.child("tblStyle"))
            .and_then(|x| x.val())
            .map(str::to_string)
            .or(self.styles.default_table.clone());
        let mut tp = TblProps::default();
        if let Some(sid) = &style_id {
            for st in self.styles.chain(sid) {
                if let Some(x) = &st.tbl {
                    tp.merge(x);
                }
            }
        }
        if let Some(x) = tblpr {
            tp.merge(&parse_tblpr(x));
        }
        let grid: Vec<Twips> = t
            .child("tblGrid")
            .map(|g| {
                g.children_named("gridCol")
                    .map(|c| {
                        twips(c.attr("w"))
                            .unwrap_or(Twips::ZERO)
                            .clamp(Twips::ZERO, MAX_GRID_COLUMN)
                    })
                    .collect()
            })
            .unwrap_or_default();
        let rows = t
            .children_named("tr")
            .map(|tr| self.row(tr, style_id.as_deref()))
            .collect();
        let width_pct = t
            .child("tblPr")
            .and_then(|p| p.child("tblW"))
            .filter(|w| w.attr("type") == Some("pct"))
            .and_then(|w| {
                let v = w.attr("w")?.trim();
                match v.strip_suffix('%') {
                    Some(percent) => percent
                        .trim()
                        .parse::<f64>()
                        .ok()
                        .map(|p| (p * 50.0) as i64),
                    None => v.parse::<i64>().ok(),
                }
            })
            .filter(|p| (1..=50_000).contains(p));
        out.push(Block::Table(Table {
            grid,
            width_pct,
            rows,
            border_top: tp.border_top.unwrap_or(Twips::ZERO),
            border_inside: tp.border_inside_h.unwrap_or(Twips::ZERO),
            border_bottom: tp.border_bottom.unwrap_or(Twips::ZERO),
            cell_margin_left: tp.cell_left.unwrap_or(DEFAULT_CELL_MARGIN),
            cell_margin_top: tp
                .cell_top
                .unwrap_or(Twips::ZERO)
                .clamp(Twips::ZERO, MAX_CELL_MARGIN),
            cell_margin_bottom: tp
                .cell_bottom
                .unwrap_or(Twips::ZERO)
                .clamp(Twips::ZERO, MAX_CELL_MARGIN),
            cell_margin_right: tp.cell_right.unwrap_or(DEFAULT_CELL_MARGIN),
        }));
    }

    fn row(&mut self, tr: &Node, table_style: Option<&str>) -> Row {
        let trpr = tr.child("trPr");
        let cant_split = trpr
            .and_then(|x| x.child("cantSplit"))
            .is_some_and(|c| !matches!(c.val(), Some("0") | Some("false")));
        let height = trpr.and_then(|x| x.child("trHeight")).and_then(|h| {
            let v = twips(h.val())?.clamp(Twips::ZERO, Twips::MAX_MEASURE);
            Some(if h.attr("hRule") == Some("exact") {
                RowHeight::Exact(v)
            } else {
                RowHeight::AtLeast(v)
            })
        });
        let mut cells = Vec::new();
        let skip_before = trpr
            .and_then(|x| x.child("gridBefore"))
            .and_then(|x| int(x.val()))
            .unwrap_or(0)
            .clamp(0, MAX_SPAN) as usize;
        if skip_before > 0 {
            cells.push(Cell {
                span: skip_before,
                blocks: Vec::new(),
                border_top: Twips::ZERO,
                border_bottom: Twips::ZERO,
                vertical: false,
            });
        }
        for tc in tr.elems() {
            let tc = match tc.name.as_str() {
                "tc" => tc,
                "sdt" => match tc.child("sdtContent").and_then(|s| s.child("tc")) {
                    Some(x) => x,
                    None => continue,
                },
                _ => continue,
            };
            let tcpr = tc.child("tcPr");
            let span = tcpr
                .and_then(|x| x.child("gridSpan"))
                .and_then(|x| int(x.val()))
                .unwrap_or(1)
                .clamp(1, MAX_SPAN) as usize;
            let vmerge_cont = tcpr
                .and_then(|x| x.child("vMerge"))
                .is_some_and(|v| v.val() != Some("restart"));
            let mut blocks = Vec::new();
            if !vmerge_cont {
                self.body(tc, table_style, &mut blocks);
            }
            let borders = tcpr.and_then(|x| x.child("tcBorders"));
            let border = |side: &str| {
                borders
                    .and_then(|b| border_w(b.child(side)))
                    .unwrap_or(Twips::ZERO)
            };
            cells.push(Cell {
                span,
                blocks,
                border_top: border("top"),
                border_bottom: border("bottom"),
                vertical: tcpr.is_some_and(vertical_text),
            });
        }
        let header = trpr
            .and_then(|x| x.child("tblHeader"))
            .is_some_and(|c| !matches!(c.val(), Some("0") | Some("false")));
        Row {
            cells,
            header,
            cant_split,
            height,
        }
    }

    /// The page setup of a `w:sectPr`, with the heights of its default header and footer.
    pub fn section(&mut self, s: &Node) -> Section {
        let mut sec = page_setup(s);
        let text_width =
            (sec.page_width - sec.margin_left - sec.margin_right).max(MIN_HEADER_WIDTH);
        if let Some(h) = self.header_height(s, "headerReference", text_width) {
            sec.header_height = h;
        }
        if let Some(h) = self.header_height(s, "footerReference", text_width) {
            sec.footer_height = h;
        }
        let title_page = s
            .child("titlePg")
            .is_some_and(|t| !matches!(t.val(), Some("0" | "false")));
        if title_page {
            let header = self
                .header_height_of(s, "headerReference", "first", text_width)
                .unwrap_or(Twips::ZERO);
            let footer = self
                .header_height_of(s, "footerReference", "first", text_width)
                .unwrap_or(Twips::ZERO);
            sec.first_page_header_footer = Some((header, footer));
        }
        sec
    }

    /// Laid-out height of the default header or footer `kind` refers to (each part is laid out
    /// once, with list counters of its own).
    fn header_height(&mut self, s: &Node, kind: &str, text_width: Twips) -> Option<Twips> {
        self.header_height_of(s, kind, "default", text_width)
    }

    /// Laid-out height of the header or footer `kind` of type `which` (default, first, even).
    fn header_height_of(
        &mut self,
        s: &Node,
        kind: &str,
        which: &str,
        text_width: Twips,
    ) -> Option<Twips> {
        let id = s
            .children_named(kind)
            .find(|r| r.attr("type").unwrap_or("default") == which)
            .and_then(|r| r.attr("id"))?
            .to_string();
        if let Some(h) = self.header_heights.get(&id).copied() {
            return Some(h);
        }
        let node = self.header_parts.remove(&id)?;
        let mut blocks = Vec::new();
        let saved = std::mem::take(&mut self.list_counters);
        self.body(&node, None, &mut blocks);
        self.list_counters = saved;
        let h = layout::stack_height(&blocks, text_width);
        self.header_heights.insert(id, h);
        Some(h)
    }
}

/// Whether the `w:textDirection` of a section or cell sets its lines vertically: `tbRl`, `btLr`
/// and their `V` forms in the transitional names, `rl`, `lr` and theirs in the strict ones
/// (`tb` in the strict names is horizontal, the default).
fn vertical_text(props: &Node) -> bool {
    matches!(
        props.child("textDirection").and_then(|d| d.val()),
        Some("tbRl" | "btLr" | "tbRlV" | "tbLrV" | "rl" | "lr" | "rlV" | "lrV")
    )
}

/// Text columns of a `w:cols`: `w:num`, or with columns of their own widths
/// (`w:equalWidth="0"`), as many as it lists.
fn column_count(cols: Option<&Node>) -> i64 {
    let Some(cols) = cols else {
        return 1;
    };
    let listed = cols.children_named("col").count() as i64;
    let n = match (unequal_columns(cols), listed) {
        (true, 1..) => listed,
        _ => int(cols.attr("num")).unwrap_or(1),
    };
    n.clamp(1, MAX_COLUMNS)
}

/// The space between columns. Columns of their own widths are laid out at their average
/// width: the gap is the average of their own spaces after them (the last one has none), which
/// leaves the text the same total width as Word gives it.
fn column_gap(cols: Option<&Node>) -> Twips {
    let Some(cols) = cols else {
        return Twips::HALF_INCH;
    };
    let listed: Vec<&Node> = cols.children_named("col").collect();
    if unequal_columns(cols) && listed.len() > 1 {
        let spaces: Twips = listed[..listed.len() - 1]
            .iter()
            .map(|c| twips(c.attr("space")).unwrap_or(Twips::ZERO))
            .sum();
        return spaces / (listed.len() as i64 - 1);
    }
    twips(cols.attr("space")).unwrap_or(Twips::HALF_INCH)
}

fn unequal_columns(cols: &Node) -> bool {
    matches!(cols.attr("equalWidth"), Some("0" | "false" | "off"))
}

/// Page size, margins and columns of a `w:sectPr` (no header or footer yet).
fn page_setup(s: &Node) -> Section {
    let size = s.child("pgSz");
    let mar = s.child("pgMar");
    let mut width = size
        .and_then(|x| twips(x.attr("w")))
        .unwrap_or(LETTER.width);
    let mut height = size
        .and_then(|x| twips(x.attr("h")))
        .unwrap_or(LETTER.height);
    let orient = size.and_then(|x| x.attr("orient"));
    let landscape = orient == Some("landscape");
    if landscape && width < height || !landscape && width > height && orient.is_some() {
        std::mem::swap(&mut width, &mut height);
    }
    let margin = |k: &str, d: Twips| mar.and_then(|x| twips(x.attr(k))).unwrap_or(d);
    let max = Twips::MAX_MEASURE;
    let cols = s.child("cols");
    Section {
        page_width: width.clamp(MIN_PAGE, MAX_PAGE),
        page_height: height.clamp(MIN_PAGE, MAX_PAGE),
        margin_top: margin("top", Twips::INCH),
        margin_bottom: margin("bottom", Twips::INCH),
        margin_left: margin("left", Twips::INCH).clamp(Twips::ZERO, max),
        margin_right: margin("right", Twips::INCH).clamp(Twips::ZERO, max),
        header_distance: margin("header", Twips::HALF_INCH).clamp(Twips::ZERO, max),
        footer_distance: margin("footer", Twips::HALF_INCH).clamp(Twips::ZERO, max),
        columns: column_count(cols),
        column_gap: column_gap(cols).clamp(Twips::ZERO, max),
        continuous: s.child("type").and_then(|t| t.val()) == Some("continuous"),
        vertical: vertical_text(s),
        header_height: Twips::ZERO,
        footer_height: Twips::ZERO,
        first_page_header_footer: None,
        line_grid: s.child("docGrid").and_then(|g| {
            let snaps = matches!(
                g.attr("type"),
                Some("lines" | "linesAndChars" | "snapToChars")
            );
            let pitch = twips(g.attr("linePitch"))?;
            (snaps && pitch > Twips::ZERO).then_some(pitch.min(Twips::MAX_MEASURE))
        }),
    }
}
