//! Paragraph, run and table properties as written in the file (`w:pPr`, `w:rPr`, `w:tblPr`):
//! every field optional, merged along the style chain by [`PPr::merge`] and friends (see
//! `styles` for the resolution order).

use super::model::TabAlign;
use super::units::{EighthPoints, HalfPoints, Twips};
use crate::xml::Node;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineRule {
    Auto,
    Exact,
    AtLeast,
}

/// A font reference as written in `w:rFonts`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FontRef {
    Name(String),
    Minor,
    Major,
}

#[derive(Debug, Clone, Default)]
pub struct PPr {
    pub before: Option<Twips>,
    pub after: Option<Twips>,
    pub before_auto: Option<bool>,
    pub after_auto: Option<bool>,
    /// `w:line` as written: twips for the exact and at-least rules, 240ths of a line for auto.
    pub line: Option<i64>,
    pub line_rule: Option<LineRule>,
    pub left: Option<Twips>,
    pub right: Option<Twips>,
    /// First-line indent: positive = firstLine, negative = hanging.
    pub first: Option<Twips>,
    pub contextual: Option<bool>,
    pub keep_next: Option<bool>,
    pub keep_lines: Option<bool>,
    pub page_break_before: Option<bool>,
    pub widow: Option<bool>,
    /// Custom tab stops set (position, alignment) and positions cleared, as written; a style's
    /// stops are inherited and a `clear` removes one.
    pub tabs: Vec<(Twips, TabAlign)>,
    pub tabs_cleared: Vec<Twips>,
    /// `w:snapToGrid`: whether the section's line grid applies (it does unless turned off).
    pub snap_to_grid: Option<bool>,
    /// Height a paragraph border takes above and below the text (`w:pBdr`): its width and its
    /// distance from the text.
    pub border_top: Option<Twips>,
    pub border_bottom: Option<Twips>,
    pub num_id: Option<String>,
    pub ilvl: Option<i64>,
    pub style: Option<String>,
}

#[derive(Debug, Clone, Default)]
pub struct RPr {
    pub font: Option<FontRef>,
    pub sz: Option<HalfPoints>,
    pub bold: Option<bool>,
    pub italic: Option<bool>,
    pub caps: Option<bool>,
    pub small_caps: Option<bool>,
    pub vanish: Option<bool>,
    pub style: Option<String>,
    pub vert_align_script: Option<bool>,
    /// `w:kern`: pair kerning from this size up (half-points; 0 turns it off).
    pub kern: Option<HalfPoints>,
}

macro_rules! over {
    ($self:ident, $o:ident, $($f:ident),*) => { $( if $o.$f.is_some() { $self.$f = $o.$f.clone(); } )* };
}

/// Most tab stops read from one `w:tabs`.
const MAX_TAB_STOPS: usize = 64;

impl PPr {
    pub fn merge(&mut self, o: &PPr) {
        self.tabs.retain(|(pos, _)| !o.tabs_cleared.contains(pos));
        for stop in &o.tabs {
            self.tabs.retain(|(pos, _)| *pos != stop.0);
            self.tabs.push(*stop);
        }
        over!(
            self,
            o,
            before,
            after,
            before_auto,
            after_auto,
            line,
            line_rule,
            left,
            right,
            first,
            contextual,
            keep_next,
            keep_lines,
            page_break_before,
            widow,
            snap_to_grid,
            border_top,
            border_bottom,
            num_id,
            ilvl,
            style
        );
    }
}

impl RPr {
    pub fn merge(&mut self, o: &RPr) {
        over!(
            self,
            o,
            font,
            sz,
            bold,
            italic,
            caps,
            small_caps,
            vanish,
            style,
            vert_align_script,
            kern
        );
    }
}

fn on_off(n: &Node) -> bool {
    !matches!(
        n.val(),
        Some("0") | Some("false") | Some("off") | Some("none")
    )
}

/// An integer attribute; decimals and units ("12pt", "1.5in") are converted to twips.
pub fn int(s: Option<&str>) -> Option<i64> {
    let s = s?.trim();
    if let Ok(v) = s.parse::<i64>() {
        return Some(v);
    }
    // Some writers use decimals or units ("12pt", "1.5in") in twip attributes.
    let (num, mult) = if let Some(x) = s.strip_suffix("pt") {
        (x, 20.0)
    } else if let Some(x) = s.strip_suffix("in") {
        (x, 1440.0)
    } else if let Some(x) = s.strip_suffix("cm") {
        (x, 1440.0 / 2.54)
    } else if let Some(x) = s.strip_suffix("mm") {
        (x, 1440.0 / 25.4)
    } else {
        (s, 1.0)
    };
    let v = num.trim().parse::<f64>().ok()? * mult;
    if v.is_finite() && v.abs() < 1e12 {
        Some(v.round() as i64)
    } else {
        None
    }
}

/// A length attribute in twips (see [`int`]).
pub fn twips(s: Option<&str>) -> Option<Twips> {
    int(s).map(Twips)
}

pub fn parse_ppr(n: &Node) -> PPr {
    let mut p = PPr::default();
    for c in n.elems() {
        match c.name.as_str() {
            "pStyle" => p.style = c.val().map(str::to_string),
            "spacing" => {
                p.before = twips(c.attr("before")).or(p.before);
                p.after = twips(c.attr("after")).or(p.after);
                if let Some(v) = c.attr("beforeAutospacing") {
                    p.before_auto = Some(!matches!(v, "0" | "false"));
                }
                if let Some(v) = c.attr("afterAutospacing") {
                    p.after_auto = Some(!matches!(v, "0" | "false"));
                }
                p.line = int(c.attr("line"));
                p.line_rule = match c.attr("lineRule") {
                    Some("exact") => Some(LineRule::Exact),
                    Some("atLeast") => Some(LineRule::AtLeast),
                    Some(_) => Some(LineRule::Auto),
                    None if p.line.is_some() => Some(LineRule::Auto),
                    None => None,
                };
            }
            "ind" => {
                p.left = twips(c.attr("left")).or(twips(c.attr("start")));
                p.right = twips(c.attr("right")).or(twips(c.attr("end")));
                if let Some(h) = twips(c.attr("hanging")) {
                    p.first = Some(-h);
                } else if let Some(f) = twips(c.attr("firstLine")) {
                    p.first = Some(f);
                }
            }
            "contextualSpacing" => p.contextual = Some(on_off(c)),
            "tabs" => {
                for tab in c.children_named("tab").take(MAX_TAB_STOPS) {
                    let Some(pos) = twips(tab.attr("pos")) else {
                        continue;
                    };
                    let pos = pos.clamp(Twips::ZERO, Twips::MAX_MEASURE);
                    match tab.val() {
                        Some("clear") => p.tabs_cleared.push(pos),
                        Some("center") => p.tabs.push((pos, TabAlign::Center)),
                        Some("right" | "end" | "decimal") => p.tabs.push((pos, TabAlign::Right)),
                        Some("bar") => {}
                        _ => p.tabs.push((pos, TabAlign::Left)),
                    }
                }
            }
            "pBdr" => {
                let side = |name: &str| -> Option<Twips> {
                    let b = c.child(name)?;
                    let width = border_w(Some(b))?;
                    if width == Twips::ZERO {
                        return Some(Twips::ZERO);
                    }
                    let space = int(b.attr("space")).unwrap_or(0).clamp(0, 31);
                    Some(width + Twips(space * 20))
                };
                p.border_top = side("top");
                p.border_bottom = side("bottom");
            }
            "keepNext" => p.keep_next = Some(on_off(c)),
            "keepLines" => p.keep_lines = Some(on_off(c)),
            "pageBreakBefore" => p.page_break_before = Some(on_off(c)),
            "widowControl" => p.widow = Some(on_off(c)),
            "snapToGrid" => p.snap_to_grid = Some(on_off(c)),
            "numPr" => {
                if let Some(id) = c.child("numId").and_then(|x| x.val()) {
                    p.num_id = Some(id.to_string());
                }
                if let Some(level) = c.child("ilvl").and_then(|x| int(x.val())) {
                    p.ilvl = Some(level);
                }
            }
            _ => {}
        }
    }
    p
}

pub fn parse_rpr(n: &Node) -> RPr {
    let mut r = RPr::default();
    for c in n.elems() {
        match c.name.as_str() {
            "rStyle" => r.style = c.val().map(str::to_string),
            "rFonts" => {
                if let Some(t) = c.attr("asciiTheme").or(c.attr("hAnsiTheme")) {
                    r.font = Some(if t.starts_with("major") {
                        FontRef::Major
                    } else {
                        FontRef::Minor
                    });
                } else if let Some(a) = c.attr("ascii").or(c.attr("hAnsi")) {
                    r.font = Some(FontRef::Name(a.to_string()));
                }
            }
            "sz" => {
                if let Some(v) = int(c.val()) {
                    r.sz = Some(HalfPoints(v.clamp(2, 3276) as u32));
                }
            }
            "b" => r.bold = Some(on_off(c)),
            "i" => r.italic = Some(on_off(c)),
            "caps" => r.caps = Some(on_off(c)),
            "smallCaps" => r.small_caps = Some(on_off(c)),
            "kern" => {
                r.kern = Some(HalfPoints(int(c.val()).unwrap_or(0).clamp(0, 3276) as u32));
            }
            "vanish" | "specVanish" => r.vanish = Some(on_off(c)),
            "vertAlign" => {
                r.vert_align_script = Some(matches!(c.val(), Some("superscript" | "subscript")))
            }
            _ => {}
        }
    }
    r
}

/// Table properties: borders (top, insideH, bottom) and cell margins (left, right).
#[derive(Debug, Clone, Default)]
pub struct TblProps {
    pub border_top: Option<Twips>,
    pub border_bottom: Option<Twips>,
    pub border_inside_h: Option<Twips>,
    pub cell_left: Option<Twips>,
    pub cell_right: Option<Twips>,
    pub cell_top: Option<Twips>,
    pub cell_bottom: Option<Twips>,
}

impl TblProps {
    pub fn merge(&mut self, o: &TblProps) {
        over!(
            self,
            o,
            border_top,
            border_bottom,
            border_inside_h,
            cell_left,
            cell_right,
            cell_top,
            cell_bottom
        );
    }
}

pub fn border_w(n: Option<&Node>) -> Option<Twips> {
    let n = n?;
    match n.val() {
        Some("nil") | Some("none") => Some(Twips::ZERO),
        value => {
            let sz = int(n.attr("sz")).unwrap_or(4).clamp(0, 96);
            // Two lines and the gap between them, each as wide as the size (measured).
            let lines = if value == Some("double") { 3 } else { 1 };
            Some(EighthPoints(sz * lines).to_twips())
        }
    }
}

pub fn parse_tblpr(n: &Node) -> TblProps {
    let mut t = TblProps::default();
    if let Some(b) = n.child("tblBorders") {
        t.border_top = border_w(b.child("top"));
        t.border_bottom = border_w(b.child("bottom"));
        t.border_inside_h = border_w(b.child("insideH"));
    }
    if let Some(m) = n.child("tblCellMar") {
        t.cell_left = m
            .child("left")
            .or(m.child("start"))
            .and_then(|x| twips(x.attr("w")));
        t.cell_right = m
            .child("right")
            .or(m.child("end"))
            .and_then(|x| twips(x.attr("w")));
        t.cell_top = m.child("top").and_then(|x| twips(x.attr("w")));
        t.cell_bottom = m.child("bottom").and_then(|x| twips(x.attr("w")));
    }
    t
}
