//! DOCX: parts, page setup, formatting resolution, and our own layout engine.

pub mod html;
mod layout;
mod props;

use crate::fonts::{self, Family};
use crate::xml::{self, Child, Node};
use crate::zipread::{SafeZip, ZipFailure};
use crate::{codes, Details, Facts, PageCountSource, TEXT_EXCERPT_CAP};
use props::*;
use std::collections::HashMap;

/// The measured font of a run.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RunFont {
    pub family: Family,
    pub bold: bool,
    pub italic: bool,
    /// Size in half-points.
    pub half_points: u32,
}

impl RunFont {
    pub fn metrics(&self) -> &'static fonts::FaceMetrics {
        fonts::face(self.family, self.bold, self.italic)
    }
    pub fn height(&self) -> i64 {
        self.metrics().line_height(self.half_points)
    }
}

#[derive(Debug, Clone)]
pub enum Item {
    Text(String, RunFont),
    Tab(RunFont),
    LineBreak(RunFont),
    /// An inline picture: its size and, when it is one, the package part holding its bytes.
    Image {
        w: i64,
        h: i64,
        part: Option<String>,
    },
}

/// Concrete paragraph properties after resolution (twips).
#[derive(Debug, Clone)]
pub struct ParaProps {
    pub before: i64,
    pub after: i64,
    pub line: i64,
    pub rule: LineRule,
    pub left: i64,
    pub right: i64,
    pub first: i64,
    pub contextual: bool,
    pub keep_next: bool,
    pub keep_lines: bool,
    pub page_break_before: bool,
    pub widow: bool,
    pub style: String,
}

#[derive(Debug, Clone)]
pub struct Para {
    pub props: ParaProps,
    pub items: Vec<Item>,
    pub mark: RunFont,
    /// List marker text and its font.
    pub marker: Option<(String, RunFont)>,
    /// A hard page break comes before this paragraph (split at `w:br w:type="page"`).
    pub break_before: bool,
}

#[derive(Debug, Clone)]
pub struct Cell {
    pub span: usize,
    pub blocks: Vec<Block>,
}

#[derive(Debug, Clone)]
pub struct Row {
    pub cells: Vec<Cell>,
    pub cant_split: bool,
    pub height: Option<(i64, bool)>,
}

#[derive(Debug, Clone)]
pub struct Table {
    pub grid: Vec<i64>,
    pub rows: Vec<Row>,
    pub border_top: i64,
    pub border_inside: i64,
    pub border_bottom: i64,
    pub cell_left: i64,
    pub cell_right: i64,
}

#[derive(Debug, Clone)]
pub enum Block {
    Para(Para),
    Table(Table),
    /// End of a section; the blocks before it (since the previous one) belong to it.
    SectionEnd(Section),
    /// A hard break that applies to what follows (from a break at the end of a paragraph).
    PageBreak,
}

#[derive(Debug, Clone)]
pub struct Section {
    pub w: i64,
    pub h: i64,
    pub top: i64,
    pub bottom: i64,
    pub left: i64,
    pub right: i64,
    pub header: i64,
    pub footer: i64,
    pub cols: i64,
    pub col_space: i64,
    pub continuous: bool,
    pub header_h: i64,
    pub footer_h: i64,
}

pub struct Ctx<'a> {
    pub styles: &'a Styles,
    pub minor: String,
    pub major: String,
    pub numbering: Numbering,
    pub counters: HashMap<(String, i64), i64>,
    pub fallback_fonts: Vec<String>,
    pub blocks_budget: usize,
    pub floating: usize,
    pub header_parts: HashMap<String, Node>,
    pub header_heights: HashMap<String, i64>,
    /// Relationship id → package part, for the main part's images.
    pub image_parts: HashMap<String, String>,
    /// Letters and digits laid out in each font that has no metric twin.
    pub unmeasured_chars: HashMap<String, usize>,
}

#[derive(Debug, Default)]
pub struct Numbering {
    /// numId -> (abstract levels, overrides)
    nums: HashMap<String, HashMap<i64, Level>>,
}

#[derive(Debug, Clone, Default)]
struct Level {
    fmt: String,
    text: String,
    start: i64,
    ppr: PPr,
    rpr: RPr,
}

impl Numbering {
    fn parse(root: Option<&Node>) -> Numbering {
        let mut out = Numbering::default();
        let Some(root) = root.and_then(|r| r.find("numbering")) else {
            return out;
        };
        let parse_lvl = |l: &Node| Level {
            fmt: l
                .child("numFmt")
                .and_then(|x| x.val())
                .unwrap_or("decimal")
                .to_string(),
            text: l
                .child("lvlText")
                .and_then(|x| x.val())
                .unwrap_or("")
                .to_string(),
            start: l.child("start").and_then(|x| int(x.val())).unwrap_or(1),
            ppr: l.child("pPr").map(parse_ppr).unwrap_or_default(),
            rpr: l.child("rPr").map(parse_rpr).unwrap_or_default(),
        };
        let mut abstracts: HashMap<String, HashMap<i64, Level>> = HashMap::new();
        for a in root.children_named("abstractNum") {
            let Some(id) = a.attr("abstractNumId") else {
                continue;
            };
            let mut lv = HashMap::new();
            for l in a.children_named("lvl") {
                let il = int(l.attr("ilvl")).unwrap_or(0);
                lv.insert(il, parse_lvl(l));
            }
            abstracts.insert(id.to_string(), lv);
        }
        for n in root.children_named("num") {
            let Some(id) = n.attr("numId") else { continue };
            let Some(aid) = n.child("abstractNumId").and_then(|x| x.val()) else {
                continue;
            };
            let mut lv = abstracts.get(aid).cloned().unwrap_or_default();
            for o in n.children_named("lvlOverride") {
                let il = int(o.attr("ilvl")).unwrap_or(0);
                if let Some(l) = o.child("lvl") {
                    lv.insert(il, parse_lvl(l));
                }
                if let Some(s) = o.child("startOverride").and_then(|x| int(x.val())) {
                    if let Some(l) = lv.get_mut(&il) {
                        l.start = s;
                    }
                }
            }
            out.nums.insert(id.to_string(), lv);
        }
        out
    }
}

fn roman(mut n: i64, upper: bool) -> String {
    let table = [
        (1000, "m"),
        (900, "cm"),
        (500, "d"),
        (400, "cd"),
        (100, "c"),
        (90, "xc"),
        (50, "l"),
        (40, "xl"),
        (10, "x"),
        (9, "ix"),
        (5, "v"),
        (4, "iv"),
        (1, "i"),
    ];
    let mut s = String::new();
    n = n.clamp(1, 3999);
    for (v, r) in table {
        while n >= v {
            s.push_str(r);
            n -= v;
        }
    }
    if upper {
        s.to_uppercase()
    } else {
        s
    }
}

fn format_num(fmt: &str, n: i64) -> String {
    match fmt {
        "lowerLetter" => {
            let c = (b'a' + ((n.max(1) - 1) % 26) as u8) as char;
            c.to_string()
        }
        "upperLetter" => {
            let c = (b'A' + ((n.max(1) - 1) % 26) as u8) as char;
            c.to_string()
        }
        "lowerRoman" => roman(n, false),
        "upperRoman" => roman(n, true),
        _ => n.to_string(),
    }
}

impl Ctx<'_> {
    fn font_name(&self, f: &Option<FontRef>) -> String {
        match f {
            Some(FontRef::Name(n)) => n.clone(),
            Some(FontRef::Minor) => self.minor.clone(),
            Some(FontRef::Major) => self.major.clone(),
            None => "Times New Roman".to_string(),
        }
    }

    fn run_font(&mut self, r: &RPr) -> RunFont {
        let name = self.font_name(&r.font);
        let family = fonts::family_for(&name);
        if !has_twin(&name) && !self.fallback_fonts.iter().any(|f| f == &name) {
            self.fallback_fonts.push(name);
        }
        let mut hp = r.sz.unwrap_or(20);
        if r.vert_align_script == Some(true) {
            // LibreOffice shrinks super/subscript to 58 %; the line keeps the normal height
            // through the paragraph's other text, so only the width matters here.
            hp = (hp * 58 / 100).max(2);
        }
        RunFont {
            family,
            bold: r.bold.unwrap_or(false),
            italic: r.italic.unwrap_or(false),
            half_points: hp,
        }
    }

    /// Resolved paragraph properties and the paragraph-level run properties.
    fn resolve_para(&self, direct: &PPr, table_style: Option<&str>) -> (PPr, RPr) {
        let mut p = self.styles.default_ppr.clone();
        let mut r = self.styles.default_rpr.clone();
        if let Some(ts) = table_style {
            for st in self.styles.chain(ts) {
                p.merge(&st.ppr);
                r.merge(&st.rpr);
            }
        }
        let sid = self.styles.para_style_id(direct.style.as_deref());
        if let Some(sid) = sid {
            for st in self.styles.chain(sid) {
                p.merge(&st.ppr);
                r.merge(&st.rpr);
            }
        }
        // numbering from style or direct
        let mut num_id = p.num_id.clone();
        let mut ilvl = p.ilvl;
        if direct.num_id.is_some() {
            num_id = direct.num_id.clone();
        }
        if direct.ilvl.is_some() {
            ilvl = direct.ilvl;
        }
        if let Some(nid) = &num_id {
            if let Some(l) = self
                .numbering
                .nums
                .get(nid)
                .and_then(|lv| lv.get(&ilvl.unwrap_or(0)))
            {
                p.merge(&l.ppr);
            }
        }
        p.merge(direct);
        p.num_id = num_id;
        p.ilvl = ilvl;
        p.style = sid.map(str::to_string);
        (p, r)
    }

    fn concrete(&self, p: &PPr) -> ParaProps {
        let before = if p.before_auto == Some(true) {
            280
        } else {
            p.before.unwrap_or(0)
        };
        let after = if p.after_auto == Some(true) {
            280
        } else {
            p.after.unwrap_or(0)
        };
        ParaProps {
            before: before.clamp(0, 31680),
            after: after.clamp(0, 31680),
            line: p.line.unwrap_or(240).clamp(0, 31680),
            rule: p.line_rule.unwrap_or(LineRule::Auto),
            left: p.left.unwrap_or(0).clamp(-31680, 31680),
            right: p.right.unwrap_or(0).clamp(-31680, 31680),
            first: p.first.unwrap_or(0).clamp(-31680, 31680),
            contextual: p.contextual.unwrap_or(false),
            keep_next: p.keep_next.unwrap_or(false),
            keep_lines: p.keep_lines.unwrap_or(false),
            page_break_before: p.page_break_before.unwrap_or(false),
            widow: p.widow.unwrap_or(true),
            style: p.style.clone().unwrap_or_default(),
        }
    }

    fn marker(&mut self, p: &PPr, para_rpr: &RPr) -> Option<(String, RunFont)> {
        let nid = p.num_id.as_ref()?;
        if nid == "0" {
            return None;
        }
        let ilvl = p.ilvl.unwrap_or(0);
        let levels = self.numbering.nums.get(nid)?;
        let lvl = levels.get(&ilvl)?.clone();
        // counters: this level increments, deeper levels restart
        let key = (nid.clone(), ilvl);
        let next = match self.counters.get(&key) {
            Some(v) => v + 1,
            None => lvl.start,
        };
        self.counters.insert(key, next);
        self.counters.retain(|(n, l), _| !(n == nid && *l > ilvl));
        let text = if lvl.fmt == "bullet" {
            lvl.text.clone()
        } else if lvl.fmt == "none" {
            String::new()
        } else {
            let mut t = lvl.text.clone();
            for k in 0..=ilvl.min(8) {
                let v = if k == ilvl {
                    next
                } else {
                    self.counters
                        .get(&(nid.clone(), k))
                        .copied()
                        .unwrap_or_else(|| levels.get(&k).map(|l| l.start).unwrap_or(1))
                };
                let f = levels.get(&k).map(|l| l.fmt.as_str()).unwrap_or("decimal");
                t = t.replace(&format!("%{}", k + 1), &format_num(f, v));
            }
            t
        };
        let mut r = para_rpr.clone();
        r.merge(&lvl.rpr);
        let f = self.run_font(&r);
        Some((text, f))
    }
}

/// Whether a font name has a metric-identical free twin.
pub fn has_twin(name: &str) -> bool {
    let n = name.to_ascii_lowercase();
    [
        "calibri",
        "carlito",
        "cambria",
        "caladea",
        "arial",
        "helvetica",
        "arimo",
        "liberation",
        "times new roman",
        // Times (Linotype, macOS Word's serif) has the widths of Times New Roman.
        "times",
        "tinos",
        "courier new",
        "cousine",
        "symbol",
    ]
    .iter()
    .any(|k| n.contains(k))
}

fn emu_to_twips(v: i64) -> i64 {
    (v / 635).clamp(0, 1_000_000)
}

fn vml_size(style: &str) -> Option<(i64, i64)> {
    let mut w = None;
    let mut h = None;
    for part in style.split(';') {
        let mut kv = part.splitn(2, ':');
        let k = kv.next()?.trim();
        let v = kv.next().unwrap_or("").trim();
        match k {
            "width" => w = int(Some(v)),
            "height" => h = int(Some(v)),
            "position" if v == "absolute" => return None,
            _ => {}
        }
    }
    Some((w?, h?))
}

struct ParaBuilder {
    items: Vec<Item>,
    /// Paragraph pieces split at page breaks.
    done: Vec<(Vec<Item>, bool)>,
    field_depth: Vec<bool>,
}

impl Ctx<'_> {
    fn collect_runs(&mut self, n: &Node, para_rpr: &RPr, b: &mut ParaBuilder) {
        for c in n.elems() {
            match c.name.as_str() {
                "r" => self.run(c, para_rpr, b),
                "hyperlink" | "ins" | "smartTag" | "customXml" | "moveTo" | "fldSimple" | "dir"
                | "bdo" => self.collect_runs(c, para_rpr, b),
                "sdt" => {
                    if let Some(sc) = c.child("sdtContent") {
                        self.collect_runs(sc, para_rpr, b);
                    }
                }
                "AlternateContent" => {
                    if let Some(ch) = c.child("Choice").or(c.child("Fallback")) {
                        self.collect_runs(ch, para_rpr, b);
                    }
                }
                _ => {}
            }
        }
    }

    fn run(&mut self, r: &Node, para_rpr: &RPr, b: &mut ParaBuilder) {
        let direct = r.child("rPr").map(parse_rpr).unwrap_or_default();
        let mut rp = para_rpr.clone();
        if let Some(cs) = &direct.style {
            for st in self.styles.chain(cs) {
                rp.merge(&st.rpr);
            }
        }
        rp.merge(&direct);
        if rp.vanish == Some(true) {
            return;
        }
        let font = self.run_font(&rp);
        let font_name = self.font_name(&rp.font);
        let hidden_field = |b: &ParaBuilder| b.field_depth.last().copied().unwrap_or(false);
        for c in r.elems() {
            match c.name.as_str() {
                "fldChar" => match c.attr("fldCharType") {
                    Some("begin") => b.field_depth.push(true),
                    Some("separate") => {
                        if let Some(l) = b.field_depth.last_mut() {
                            *l = false;
                        }
                    }
                    Some("end") => {
                        b.field_depth.pop();
                    }
                    _ => {}
                },
                _ if hidden_field(b) => {}
                "t" => {
                    let mut t = xml::own_text(c);
                    if rp.caps == Some(true) || rp.small_caps == Some(true) {
                        t = t.to_uppercase();
                    }
                    let t: String = t
                        .chars()
                        .map(|ch| if ch == '\u{A0}' { ' ' } else { ch })
                        .filter(|ch| *ch != '\n' && *ch != '\r')
                        .collect();
                    if !has_twin(&font_name) {
                        *self.unmeasured_chars.entry(font_name.clone()).or_default() +=
                            t.chars().filter(|ch| ch.is_alphanumeric()).count();
                    }
                    if !t.is_empty() {
                        if let Some(Item::Text(prev, pf)) = b.items.last_mut() {
                            if *pf == font {
                                prev.push_str(&t);
                                continue;
                            }
                        }
                        b.items.push(Item::Text(t, font));
                    }
                }
                "noBreakHyphen" => b.items.push(Item::Text("\u{2011}".into(), font)),
                "sym" => b.items.push(Item::Text("\u{25CF}".into(), font)),
                "tab" | "ptab" => b.items.push(Item::Tab(font)),
                "br" => match c.attr("type") {
                    Some("page") => {
                        let items = std::mem::take(&mut b.items);
                        b.done.push((items, true));
                    }
                    Some("column") => b.items.push(Item::LineBreak(font)),
                    _ => b.items.push(Item::LineBreak(font)),
                },
                "cr" => b.items.push(Item::LineBreak(font)),
                "drawing" => {
                    if let Some(inl) = c.child("inline") {
                        if let Some(e) = inl.child("extent") {
                            let w = emu_to_twips(int(e.attr("cx")).unwrap_or(0));
                            let h = emu_to_twips(int(e.attr("cy")).unwrap_or(0));
                            let part = inl
                                .find("blip")
                                .and_then(|blip| blip.attr("embed"))
                                .and_then(|id| self.image_parts.get(id))
                                .cloned();
                            b.items.push(Item::Image { w, h, part });
                        }
                    } else {
                        self.floating += 1;
                    }
                }
                "pict" | "object" => {
                    if let Some(shape) = c.find("shape").or(c.find("rect")) {
                        match shape.attr("style").and_then(vml_size) {
                            Some((w, h)) => {
                                let part = shape
                                    .find("imagedata")
                                    .and_then(|data| data.attr("id"))
                                    .and_then(|id| self.image_parts.get(id))
                                    .cloned();
                                b.items.push(Item::Image { w, h, part })
                            }
                            None => self.floating += 1,
                        }
                    }
                }
                "AlternateContent" => {
                    if let Some(ch) = c.child("Choice").or(c.child("Fallback")) {
                        let wrapper = Node {
                            name: "r".into(),
                            attrs: Vec::new(),
                            children: r
                                .child("rPr")
                                .map(|x| Child::Elem(x.clone()))
                                .into_iter()
                                .chain(ch.children.iter().cloned())
                                .collect(),
                        };
                        self.run(&wrapper, para_rpr, b);
                    }
                }
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
        let marker = self.marker(&pp, &mark_rpr);
        let mut b = ParaBuilder {
            items: Vec::new(),
            done: Vec::new(),
            field_depth: Vec::new(),
        };
        self.collect_runs(p, &para_rpr, &mut b);
        let mut pieces: Vec<Vec<Item>> = std::mem::take(&mut b.done)
            .into_iter()
            .map(|(items, _)| items)
            .collect();
        let tail = std::mem::take(&mut b.items);
        let split = !pieces.is_empty();
        let trailing_break = split && tail.is_empty();
        if !trailing_break {
            pieces.push(tail);
        }
        let k = pieces.len();
        let mut marker = marker;
        for (i, items) in pieces.into_iter().enumerate() {
            let mut pr = props.clone();
            if i > 0 {
                pr.before = 0;
                pr.page_break_before = false;
            }
            if i + 1 < k {
                pr.after = 0;
            }
            out.push(Block::Para(Para {
                props: pr,
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
        let grid: Vec<i64> = t
            .child("tblGrid")
            .map(|g| {
                g.children_named("gridCol")
                    .map(|c| int(c.attr("w")).unwrap_or(0).clamp(0, 100_000))
                    .collect()
            })
            .unwrap_or_default();
        let mut rows = Vec::new();
        for tr in t.children_named("tr") {
            let trpr = tr.child("trPr");
            let cant_split = trpr
                .and_then(|x| x.child("cantSplit"))
                .is_some_and(|c| !matches!(c.val(), Some("0") | Some("false")));
            let height = trpr.and_then(|x| x.child("trHeight")).and_then(|h| {
                int(h.val()).map(|v| (v.clamp(0, 31680), h.attr("hRule") == Some("exact")))
            });
            let mut cells = Vec::new();
            let skip_before = trpr
                .and_then(|x| x.child("gridBefore"))
                .and_then(|x| int(x.val()))
                .unwrap_or(0)
                .clamp(0, 64) as usize;
            if skip_before > 0 {
                cells.push(Cell {
                    span: skip_before,
                    blocks: Vec::new(),
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
                    .clamp(1, 64) as usize;
                let vmerge_cont = tcpr
                    .and_then(|x| x.child("vMerge"))
                    .is_some_and(|v| v.val() != Some("restart"));
                let mut blocks = Vec::new();
                if !vmerge_cont {
                    self.body(tc, style_id.as_deref(), &mut blocks);
                }
                cells.push(Cell { span, blocks });
            }
            rows.push(Row {
                cells,
                cant_split,
                height,
            });
        }
        out.push(Block::Table(Table {
            grid,
            rows,
            border_top: tp.border_top.unwrap_or(0),
            border_inside: tp.border_inside_h.unwrap_or(0),
            border_bottom: tp.border_bottom.unwrap_or(0),
            cell_left: tp.cell_left.unwrap_or(108),
            cell_right: tp.cell_right.unwrap_or(108),
        }));
    }

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

    fn section(&mut self, s: &Node) -> Section {
        let pg = s.child("pgSz");
        let mar = s.child("pgMar");
        let mut w = pg.and_then(|x| int(x.attr("w"))).unwrap_or(12240);
        let mut h = pg.and_then(|x| int(x.attr("h"))).unwrap_or(15840);
        let landscape = pg.and_then(|x| x.attr("orient")) == Some("landscape");
        if landscape && w < h || !landscape && w > h && pg.and_then(|x| x.attr("orient")).is_some()
        {
            std::mem::swap(&mut w, &mut h);
        }
        let m = |k: &str, d: i64| mar.and_then(|x| int(x.attr(k))).unwrap_or(d);
        let cols = s.child("cols");
        let mut sec = Section {
            w: w.clamp(144, 31680 * 2),
            h: h.clamp(144, 31680 * 2),
            top: m("top", 1440),
            bottom: m("bottom", 1440),
            left: m("left", 1440).clamp(0, 31680),
            right: m("right", 1440).clamp(0, 31680),
            header: m("header", 720).clamp(0, 31680),
            footer: m("footer", 720).clamp(0, 31680),
            cols: cols
                .and_then(|c| int(c.attr("num")))
                .unwrap_or(1)
                .clamp(1, 16),
            col_space: cols
                .and_then(|c| int(c.attr("space")))
                .unwrap_or(720)
                .clamp(0, 31680),
            continuous: s.child("type").and_then(|t| t.val()) == Some("continuous"),
            header_h: 0,
            footer_h: 0,
        };
        let text_w = (sec.w - sec.left - sec.right).max(720);
        for (kind, slot) in [("headerReference", 0), ("footerReference", 1)] {
            let id = s
                .children_named(kind)
                .find(|r| r.attr("type").unwrap_or("default") == "default")
                .and_then(|r| r.attr("id"))
                .map(str::to_string);
            if let Some(id) = id {
                if let Some(hh) = self.header_heights.get(&id).copied() {
                    if slot == 0 {
                        sec.header_h = hh;
                    } else {
                        sec.footer_h = hh;
                    }
                } else if let Some(node) = self.header_parts.remove(&id) {
                    let mut blocks = Vec::new();
                    let saved = std::mem::take(&mut self.counters);
                    self.body(&node, None, &mut blocks);
                    self.counters = saved;
                    let hh = layout::stack_height(&blocks, text_w);
                    self.header_heights.insert(id, hh);
                    if slot == 0 {
                        sec.header_h = hh;
                    } else {
                        sec.footer_h = hh;
                    }
                }
            }
        }
        sec
    }
}

fn rels_path(part: &str) -> String {
    match part.rfind('/') {
        Some(i) => format!(
            "{}/_rels/{}.rels",
            part.get(..i).unwrap_or(""),
            part.get(i + 1..).unwrap_or("")
        ),
        None => format!("_rels/{part}.rels"),
    }
}

fn join(base_part: &str, target: &str) -> String {
    if let Some(t) = target.strip_prefix('/') {
        return t.to_string();
    }
    let dir = base_part
        .rfind('/')
        .and_then(|i| base_part.get(..i))
        .unwrap_or("");
    let mut parts: Vec<&str> = if dir.is_empty() {
        Vec::new()
    } else {
        dir.split('/').collect()
    };
    for seg in target.split('/') {
        match seg {
            ".." => {
                parts.pop();
            }
            "." | "" => {}
            s => parts.push(s),
        }
    }
    parts.join("/")
}

fn theme_fonts(theme: Option<&Node>) -> (String, String) {
    let get = |which: &str| {
        theme
            .and_then(|t| t.find(which))
            .and_then(|f| f.child("latin"))
            .and_then(|l| l.attr("typeface"))
            .filter(|s| !s.is_empty())
            .map(str::to_string)
    };
    (
        get("minorFont").unwrap_or_else(|| "Calibri".into()),
        get("majorFont").unwrap_or_else(|| "Calibri Light".into()),
    )
}

fn push_text_excerpt(blocks: &[Block], out: &mut String) {
    for b in blocks {
        if out.len() >= TEXT_EXCERPT_CAP {
            return;
        }
        match b {
            Block::Para(p) => {
                for it in &p.items {
                    match it {
                        Item::Text(t, _) => {
                            for c in t.chars() {
                                if out.len() >= TEXT_EXCERPT_CAP {
                                    return;
                                }
                                out.push(c);
                            }
                        }
                        Item::Tab(_) => out.push('\t'),
                        Item::LineBreak(_) => out.push('\n'),
                        Item::Image { .. } => {}
                    }
                }
                out.push('\n');
            }
            Block::Table(t) => {
                for r in &t.rows {
                    for c in &r.cells {
                        push_text_excerpt(&c.blocks, out);
                    }
                }
            }
            _ => {}
        }
    }
}

fn first_words(s: &str, n: usize) -> String {
    let mut out: Vec<&str> = s.split_whitespace().take(n).collect();
    if out.is_empty() {
        out.push("");
    }
    out.join(" ")
}

pub fn inspect_docx(
    zip: &mut SafeZip<'_>,
    main: &str,
    facts: &mut Facts,
    details: &mut Details,
) -> Result<(), ZipFailure> {
    // evidence and metadata
    if let Some(app) = zip.xml("docProps/app.xml", facts)? {
        if let Some(p) = app.find("Pages") {
            details.app_xml_pages = p.text().trim().parse().ok();
        }
        if let Some(a) = app.find("Application") {
            let t = a.text().trim().to_string();
            if !t.is_empty() {
                details.app_xml_application = Some(t);
            }
        }
        if let Some(v) = app.find("AppVersion") {
            let t = v.text().trim().to_string();
            if !t.is_empty() {
                details.app_xml_version = Some(t);
            }
        }
        if let Some(w) = app.find("Words") {
            details.app_xml_words = w.text().trim().parse().ok();
        }
    }
    if let Some(core) = zip.xml("docProps/core.xml", facts)? {
        if let Some(cp) = core.find("coreProperties") {
            for c in cp.elems() {
                let v = c.text().trim().to_string();
                if !v.is_empty()
                    && matches!(
                        c.name.as_str(),
                        "creator"
                            | "lastModifiedBy"
                            | "title"
                            | "subject"
                            | "description"
                            | "keywords"
                    )
                {
                    let key = if c.name == "creator" {
                        "author".to_string()
                    } else {
                        c.name.clone()
                    };
                    details.metadata.push((key, v));
                }
            }
        }
    }
    let Some(doc) = zip.xml(main, facts)? else {
        facts.problem(
            codes::UNREADABLE,
            "The Word document has no main text part and cannot be read.",
        );
        return Ok(());
    };
    if facts
        .problems
        .iter()
        .any(|p| p.code == codes::XML_TOO_DEEP || p.code == codes::TOO_COMPLEX)
    {
        return Ok(());
    }
    // relationships of the main part
    let mut rels: HashMap<String, (String, String)> = HashMap::new();
    if let Some(r) = zip.xml(&rels_path(main), facts)? {
        if let Some(rs) = r.find("Relationships") {
            for rel in rs.children_named("Relationship") {
                if let (Some(id), Some(t)) = (rel.attr("Id"), rel.attr("Target")) {
                    if rel.attr("TargetMode") == Some("External") {
                        continue;
                    }
                    let ty = rel.attr("Type").unwrap_or("");
                    let ty = ty.rsplit('/').next().unwrap_or("").to_string();
                    rels.insert(id.to_string(), (ty, join(main, t)));
                }
            }
        }
    }
    let find_rel = |ty: &str| rels.values().find(|(t, _)| t == ty).map(|(_, p)| p.clone());
    let styles_root = match find_rel("styles") {
        Some(p) => zip.xml(&p, facts)?,
        None => zip.xml("word/styles.xml", facts)?,
    };
    let styles = Styles::parse(styles_root.as_ref());
    let theme = match find_rel("theme") {
        Some(p) => zip.xml(&p, facts)?,
        None => None,
    };
    let (minor, major) = theme_fonts(theme.as_ref());
    let numbering = match find_rel("numbering") {
        Some(p) => Numbering::parse(zip.xml(&p, facts)?.as_ref()),
        None => Numbering::default(),
    };
    // Space between paragraphs is the larger of after/before, but LibreOffice adds them up when
    // settings.xml has doNotUseHTMLParagraphAutoSpacing -- and also when there is no settings part
    // at all (its import defaults then stay at "add spacing"; measured, see README).
    let mut sum_spacing = true;
    if let Some(p) = find_rel("settings") {
        if let Some(s) = zip.xml(&p, facts)? {
            sum_spacing = s.find("doNotUseHTMLParagraphAutoSpacing").is_some();
        }
    }
    let mut header_parts = HashMap::new();
    for (id, (ty, path)) in &rels {
        if ty == "header" || ty == "footer" {
            if let Some(n) = zip.xml(path, facts)? {
                let wanted = if ty == "header" { "hdr" } else { "ftr" };
                if let Some(h) = n.find(wanted) {
                    header_parts.insert(id.clone(), h.clone());
                }
            }
        }
    }
    let mut ctx = Ctx {
        styles: &styles,
        minor,
        major,
        numbering,
        counters: HashMap::new(),
        fallback_fonts: Vec::new(),
        blocks_budget: zip.limits.max_layout_blocks,
        floating: 0,
        header_parts,
        header_heights: HashMap::new(),
        image_parts: rels
            .iter()
            .filter(|(_, (ty, _))| ty == "image")
            .map(|(id, (_, path))| (id.clone(), path.clone()))
            .collect(),
        unmeasured_chars: HashMap::new(),
    };
    let Some(document) = doc.find("document") else {
        facts.problem(
            codes::UNREADABLE,
            "The Word document has no body and cannot be read.",
        );
        return Ok(());
    };
    let mut blocks = Vec::new();
    // Some writers emit several w:body elements; LibreOffice starts each on a new page.
    for (i, body) in document.children_named("body").enumerate() {
        if i > 0 {
            blocks.push(Block::PageBreak);
        }
        ctx.body(body, None, &mut blocks);
    }
    // group blocks into sections
    let mut sections: Vec<(Section, Vec<Block>)> = Vec::new();
    let mut cur: Vec<Block> = Vec::new();
    for b in blocks {
        match b {
            Block::SectionEnd(s) => sections.push((s, std::mem::take(&mut cur))),
            other => cur.push(other),
        }
    }
    if !cur.is_empty() || sections.is_empty() {
        let s = match sections.last() {
            Some((s, _)) => s.clone(),
            None => ctx.section(&Node::default()),
        };
        sections.push((s, cur));
    }
    // a trailing page break at the very end of the document is dropped (as LibreOffice does)
    if let Some((_, bl)) = sections.last_mut() {
        while matches!(bl.last(), Some(Block::PageBreak)) {
            bl.pop();
        }
    }
    let layouts: Vec<layout::SectionLayout<'_>> = sections
        .iter()
        .map(|(s, b)| layout::SectionLayout {
            section: s,
            blocks: b,
        })
        .collect();
    let out = layout::paginate(&layouts, sum_spacing);
    let n = out.pages.len() as u32;
    facts.pages = Some(n);
    facts.page_count_source = Some(PageCountSource::Layout);
    facts.words = Some(out.words);
    let sizes_pt: Vec<(f64, f64)> = out
        .pages
        .iter()
        .map(|p| (p.w as f64 / 20.0, p.h as f64 / 20.0))
        .collect();
    facts.paper = crate::pdf::classify_doc(&sizes_pt);
    facts.page_sizes_mm = sizes_pt
        .iter()
        .map(|&(w, h)| [crate::pdf::mm(w), crate::pdf::mm(h)])
        .collect();
    facts.page_starts = out
        .pages
        .iter()
        .map(|p| first_words(p.start.as_deref().unwrap_or(""), 8))
        .collect();
    if let Some(last) = out.pages.last() {
        let fill = if last.body_h > 0 {
            (last.filled as f64 / last.body_h as f64).clamp(0.0, 1.0)
        } else {
            0.0
        };
        facts.last_page_fill = Some((fill * 1000.0).round() / 1000.0);
        details.lines_on_last_page = Some(last.lines);
    }
    // lines per full page of Normal text in the first section
    if let Some((sec, _)) = sections.first() {
        let (pp, rp) = ctx.resolve_para(&PPr::default(), None);
        let props = ctx.concrete(&pp);
        let f = ctx.run_font(&rp);
        let probe = Para {
            props,
            items: vec![Item::Text("x".into(), f)],
            mark: f,
            marker: None,
            break_before: false,
        };
        let l = layout::measure(&probe, 10_000);
        if let (Some(&(pitch, fit)), Some(first)) = (l.lines.first(), out.pages.first()) {
            if pitch > 0 {
                details.lines_per_full_page =
                    Some(((first.body_h - fit).max(0) / pitch + 1) as u32);
            }
        }
        let _ = sec;
    }
    let mut text = String::new();
    for (_, b) in &sections {
        push_text_excerpt(b, &mut text);
    }
    details.essay_html = Some(html::render(sections.iter().map(|(_, b)| b.as_slice())));
    details.text_excerpt = Some(text);
    details.fallback_fonts = ctx.fallback_fonts.clone();
    facts.unmeasured_fonts = fonts_that_matter(&ctx.unmeasured_chars);
    let mut estimate = Vec::new();
    if !facts.unmeasured_fonts.is_empty() {
        estimate.push(format!(
            "The text is in {}, which we cannot measure exactly (no font with the same widths is available here), so the page count is an estimate.",
            facts.unmeasured_fonts.join(", ")
        ));
    }
    if ctx.floating > 0 {
        estimate.push(
            "The document has floating images or text boxes; the page count is an estimate."
                .to_string(),
        );
    }
    if !estimate.is_empty() {
        facts.problem(codes::ESTIMATE, estimate.join(" "));
    }
    if word_saved_last(details, facts.words) {
        facts.word_pages = details.app_xml_pages;
    }
    Ok(())
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

/// Whether Microsoft Word saved the file last, so that `<Pages>` in docProps/app.xml is Word's own
/// count of this very text. Three things must hold:
/// - `<Application>` names Microsoft Word ("Microsoft Office Word", "Microsoft Macintosh Word");
///   LibreOffice, pandoc, docx-rs and Google Docs write their own name or no app.xml at all;
/// - `<AppVersion>` is present (Word always writes it);
/// - `<Words>` agrees with the words we laid out, within 10 % or 20 words. A template keeps the
///   app.xml of the Word that made it (python-docx's default says 0 words), and a program that
///   edits document.xml without rewriting app.xml leaves a stale count; either way the words
///   no longer match, and the page count is not trusted.
pub fn word_saved_last(details: &Details, laid_out_words: Option<u32>) -> bool {
    let by_word = details.app_xml_application.as_deref().is_some_and(|app| {
        let app = app.to_ascii_lowercase();
        app.contains("microsoft") && app.contains("word")
    });
    let (Some(words), Some(ours)) = (details.app_xml_words, laid_out_words) else {
        return false;
    };
    let tolerance = (ours / 10).max(20);
    by_word
        && details.app_xml_version.is_some()
        && details.app_xml_pages.is_some_and(|pages| pages > 0)
        && words.abs_diff(ours) <= tolerance
}

/// ODT: page count from meta.xml (`meta:document-statistic/@meta:page-count`).
pub fn odt_meta(
    zip: &mut SafeZip<'_>,
    facts: &mut Facts,
    details: &mut Details,
) -> Result<(), ZipFailure> {
    if let Some(m) = zip.xml("meta.xml", facts)? {
        if let Some(st) = m.find("document-statistic") {
            if let Some(p) = st.attr("page-count").and_then(|v| v.parse::<u32>().ok()) {
                facts.pages = Some(p);
                facts.page_count_source = Some(PageCountSource::Metadata);
            }
            facts.words = st.attr("word-count").and_then(|v| v.parse().ok());
        }
        for (tag, key) in [
            ("initial-creator", "author"),
            ("creator", "lastModifiedBy"),
            ("title", "title"),
        ] {
            if let Some(n) = m.find(tag) {
                let v = n.text().trim().to_string();
                if !v.is_empty() {
                    details.metadata.push((key.to_string(), v));
                }
            }
        }
    }
    Ok(())
}
