//! The style sheet (`word/styles.xml`), the theme's fonts, and the resolution of properties to
//! concrete values: docDefaults → table style → paragraph style chain → numbering → direct.

use super::collect::Collector;
use super::model::{LineSpacing, ParaProps, RunFont, TabStop};
use super::props::{parse_ppr, parse_rpr, parse_tblpr, FontRef, LineRule, PPr, RPr, TblProps};
use super::units::{HalfPoints, Twips};
use crate::fonts;
use crate::xml::Node;
use std::collections::HashMap;

#[derive(Debug, Clone, Default)]
pub struct Style {
    pub based_on: Option<String>,
    pub ppr: PPr,
    pub rpr: RPr,
    /// Table styles: borders and cell margins.
    pub tbl: Option<TblProps>,
}

#[derive(Debug, Default)]
pub struct Styles {
    pub default_ppr: PPr,
    pub default_rpr: RPr,
    pub styles: HashMap<String, Style>,
    pub default_para: Option<String>,
    pub default_table: Option<String>,
    /// A character style named "footnote reference" exists: LibreOffice sets a note's own
    /// number with it (a superscript); without it the number is plain text.
    pub footnote_reference: bool,
}

impl Styles {
    pub fn parse(root: Option<&Node>) -> Styles {
        let mut s = Styles::default();
        let Some(root) = root.and_then(|r| r.find("styles")) else {
            return s;
        };
        if let Some(dd) = root.child("docDefaults") {
            if let Some(p) = dd.child("pPrDefault").and_then(|x| x.child("pPr")) {
                s.default_ppr = parse_ppr(p);
            }
            if let Some(r) = dd.child("rPrDefault").and_then(|x| x.child("rPr")) {
                s.default_rpr = parse_rpr(r);
            }
        }
        for st in root.children_named("style") {
            let Some(id) = st.attr("styleId") else {
                continue;
            };
            let kind = st.attr("type").unwrap_or("paragraph").to_string();
            if kind == "character"
                && st
                    .child("name")
                    .and_then(|n| n.val())
                    .is_some_and(|n| n.eq_ignore_ascii_case("footnote reference"))
            {
                s.footnote_reference = true;
            }
            let is_default = matches!(st.attr("default"), Some("1") | Some("true"));
            if is_default && kind == "paragraph" {
                s.default_para = Some(id.to_string());
            }
            if is_default && kind == "table" {
                s.default_table = Some(id.to_string());
            }
            let mut style = Style {
                based_on: st
                    .child("basedOn")
                    .and_then(|b| b.val())
                    .map(str::to_string),
                ..Style::default()
            };
            if let Some(p) = st.child("pPr") {
                style.ppr = parse_ppr(p);
                style.ppr.style = None;
            }
            if let Some(r) = st.child("rPr") {
                style.rpr = parse_rpr(r);
                style.rpr.style = None;
            }
            if let Some(t) = st.child("tblPr") {
                style.tbl = Some(parse_tblpr(t));
            }
            s.styles.insert(id.to_string(), style);
        }
        s
    }

    /// The chain of styles from the root ancestor down to `id`.
    pub fn chain(&self, id: &str) -> Vec<&Style> {
        let mut out = Vec::new();
        let mut cur = Some(id.to_string());
        let mut guard = 0;
        while let Some(c) = cur {
            guard += 1;
            if guard > 32 {
                break;
            }
            match self.styles.get(&c) {
                Some(st) => {
                    out.push(st);
                    cur = st.based_on.clone();
                }
                None => break,
            }
        }
        out.reverse();
        out
    }

    pub fn para_style_id<'a>(&'a self, id: Option<&'a str>) -> Option<&'a str> {
        match id {
            Some(i) if self.styles.contains_key(i) => Some(i),
            _ => self.default_para.as_deref(),
        }
    }
}

/// The theme's fonts, which `w:rFonts` may name instead of a font (`w:asciiTheme`).
#[derive(Debug, Clone)]
pub struct ThemeFonts {
    /// The body font (`a:minorFont`).
    pub minor: String,
    /// The headings font (`a:majorFont`).
    pub major: String,
}

impl ThemeFonts {
    /// Reads the theme part; Office's defaults where it is absent or names no Latin font.
    pub fn parse(theme: Option<&Node>) -> ThemeFonts {
        let get = |which: &str| {
            theme
                .and_then(|t| t.find(which))
                .and_then(|f| f.child("latin"))
                .and_then(|latin| latin.attr("typeface"))
                .filter(|s| !s.is_empty())
                .map(str::to_string)
        };
        ThemeFonts {
            minor: get("minorFont").unwrap_or_else(|| "Calibri".into()),
            major: get("majorFont").unwrap_or_else(|| "Calibri Light".into()),
        }
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

/// Space before or after a paragraph with `w:beforeAutospacing`/`w:afterAutospacing` (14 pt).
const AUTO_SPACING: Twips = Twips(280);
/// `w:line` of single spacing, in 240ths of a line.
const SINGLE_LINE: i64 = 240;
/// LibreOffice shrinks superscript and subscript to this percentage of the size.
const SCRIPT_PERCENT: u32 = 58;
/// The smallest font size: 1 pt.
const MIN_SIZE: HalfPoints = HalfPoints(2);

impl Collector<'_> {
    pub(super) fn font_name(&self, f: &Option<FontRef>) -> String {
        match f {
            Some(FontRef::Name(n)) => n.clone(),
            Some(FontRef::Minor) => self.theme_fonts.minor.clone(),
            Some(FontRef::Major) => self.theme_fonts.major.clone(),
            None => "Times New Roman".to_string(),
        }
    }

    /// The font a run is measured with; notes fonts measured with a fallback.
    pub(super) fn run_font(&mut self, r: &RPr) -> RunFont {
        let name = self.font_name(&r.font);
        let family = fonts::family_for(&name);
        if !has_twin(&name) && !self.fallback_fonts.iter().any(|f| f == &name) {
            self.fallback_fonts.push(name);
        }
        let mut size = r.sz.unwrap_or(HalfPoints::DEFAULT);
        if r.vert_align_script == Some(true) {
            // The line keeps the normal height through the paragraph's other text, so only the
            // width matters here.
            size = size.percent(SCRIPT_PERCENT).max(MIN_SIZE);
        }
        RunFont {
            family,
            kern: r
                .kern
                .is_some_and(|from| from.get() > 0 && size.get() >= from.get()),
            bold: r.bold.unwrap_or(false),
            italic: r.italic.unwrap_or(false),
            size,
        }
    }

    /// Resolved paragraph properties and the paragraph-level run properties.
    pub(super) fn resolve_para(&self, direct: &PPr, table_style: Option<&str>) -> (PPr, RPr) {
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
            if let Some(level_ppr) = self.numbering.level_ppr(nid, ilvl.unwrap_or(0)) {
                p.merge(level_ppr);
            }
        }
        p.merge(direct);
        p.num_id = num_id;
        p.ilvl = ilvl;
        p.style = sid.map(str::to_string);
        (p, r)
    }

    /// Concrete values for resolved properties: defaults filled in, absurd values clamped.
    pub(super) fn concrete(&self, p: &PPr) -> ParaProps {
        let max = Twips::MAX_MEASURE;
        let before = if p.before_auto == Some(true) {
            AUTO_SPACING
        } else {
            p.before.unwrap_or(Twips::ZERO)
        };
        let after = if p.after_auto == Some(true) {
            AUTO_SPACING
        } else {
            p.after.unwrap_or(Twips::ZERO)
        };
        let line = p.line.unwrap_or(SINGLE_LINE).clamp(0, max.get());
        let mut tabs: Vec<TabStop> = p
            .tabs
            .iter()
            .map(|&(position, align)| TabStop { position, align })
            .collect();
        tabs.sort_by_key(|t| t.position);
        ParaProps {
            tabs,
            space_before: before.clamp(Twips::ZERO, max),
            space_after: after.clamp(Twips::ZERO, max),
            spacing: match p.line_rule.unwrap_or(LineRule::Auto) {
                LineRule::Auto => LineSpacing::Auto { in_240ths: line },
                LineRule::Exact => LineSpacing::Exact(Twips(line)),
                LineRule::AtLeast => LineSpacing::AtLeast(Twips(line)),
            },
            indent_left: p.left.unwrap_or(Twips::ZERO).clamp(-max, max),
            indent_right: p.right.unwrap_or(Twips::ZERO).clamp(-max, max),
            indent_first: p.first.unwrap_or(Twips::ZERO).clamp(-max, max),
            contextual: p.contextual.unwrap_or(false),
            keep_next: p.keep_next.unwrap_or(false),
            keep_lines: p.keep_lines.unwrap_or(false),
            page_break_before: p.page_break_before.unwrap_or(false),
            widow_control: p.widow.unwrap_or(true),
            snap_to_grid: p.snap_to_grid.unwrap_or(true),
            border_top: p
                .border_top
                .unwrap_or(Twips::ZERO)
                .clamp(Twips::ZERO, Twips::INCH),
            border_bottom: p
                .border_bottom
                .unwrap_or(Twips::ZERO)
                .clamp(Twips::ZERO, Twips::INCH),
            style: p.style.clone().unwrap_or_default(),
        }
    }
}
