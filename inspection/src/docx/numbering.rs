//! Lists: the numbering part (`word/numbering.xml`) and the markers it gives paragraphs.

use super::collect::Collector;
use super::model::RunFont;
use super::props::{int, parse_ppr, parse_rpr, PPr, RPr};
use crate::xml::Node;
use std::collections::HashMap;

/// The list definitions of a document.
#[derive(Debug, Default)]
pub struct Numbering {
    /// numId → levels (the abstract definition's, with the num's overrides applied).
    nums: HashMap<String, HashMap<i64, Level>>,
}

/// One level of a list definition (`w:lvl`).
#[derive(Debug, Clone, Default)]
struct Level {
    /// `w:numFmt`: "decimal", "lowerLetter", "upperRoman", "bullet", "none"…
    fmt: String,
    /// `w:lvlText`, with `%1`…`%9` standing for the numbers of the levels.
    text: String,
    start: i64,
    ppr: PPr,
    rpr: RPr,
}

/// List counters while the body is collected: (numId, level) → the last number given.
pub type ListCounters = HashMap<(String, i64), i64>;

impl Numbering {
    pub fn parse(root: Option<&Node>) -> Numbering {
        let mut out = Numbering::default();
        let Some(root) = root.and_then(|r| r.find("numbering")) else {
            return out;
        };
        let mut abstracts: HashMap<String, HashMap<i64, Level>> = HashMap::new();
        for a in root.children_named("abstractNum") {
            let Some(id) = a.attr("abstractNumId") else {
                continue;
            };
            let mut levels = HashMap::new();
            for lvl in a.children_named("lvl") {
                let ilvl = int(lvl.attr("ilvl")).unwrap_or(0);
                levels.insert(ilvl, Level::parse(lvl));
            }
            // docx-rs writes its own abstractNum 1 before the author's, under the same id:
            // LibreOffice keeps the first definition of an id, and so do we.
            abstracts.entry(id.to_string()).or_insert(levels);
        }
        for n in root.children_named("num") {
            let Some(id) = n.attr("numId") else { continue };
            let Some(aid) = n.child("abstractNumId").and_then(|x| x.val()) else {
                continue;
            };
            let mut levels = abstracts.get(aid).cloned().unwrap_or_default();
            for o in n.children_named("lvlOverride") {
                let ilvl = int(o.attr("ilvl")).unwrap_or(0);
                if let Some(lvl) = o.child("lvl") {
                    levels.insert(ilvl, Level::parse(lvl));
                }
                if let Some(s) = o.child("startOverride").and_then(|x| int(x.val())) {
                    if let Some(level) = levels.get_mut(&ilvl) {
                        level.start = s;
                    }
                }
            }
            out.nums.entry(id.to_string()).or_insert(levels);
        }
        out
    }

    /// The paragraph properties of a list level (its indents, mostly).
    pub fn level_ppr(&self, num_id: &str, ilvl: i64) -> Option<&PPr> {
        self.nums
            .get(num_id)
            .and_then(|levels| levels.get(&ilvl))
            .map(|level| &level.ppr)
    }
}

impl Level {
    fn parse(lvl: &Node) -> Level {
        Level {
            fmt: lvl
                .child("numFmt")
                .and_then(|x| x.val())
                .unwrap_or("decimal")
                .to_string(),
            text: lvl
                .child("lvlText")
                .and_then(|x| x.val())
                .unwrap_or("")
                .to_string(),
            start: lvl.child("start").and_then(|x| int(x.val())).unwrap_or(1),
            ppr: lvl.child("pPr").map(parse_ppr).unwrap_or_default(),
            rpr: lvl.child("rPr").map(parse_rpr).unwrap_or_default(),
        }
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

impl Collector<'_> {
    /// The list marker of a paragraph and its font, counting the paragraph in its list.
    pub(super) fn marker(&mut self, p: &PPr, para_rpr: &RPr) -> Option<(String, RunFont)> {
        let nid = p.num_id.as_ref()?;
        if nid == "0" {
            return None;
        }
        let ilvl = p.ilvl.unwrap_or(0);
        let levels = self.numbering.nums.get(nid)?;
        let lvl = levels.get(&ilvl)?.clone();
        // counters: this level increments, deeper levels restart
        let key = (nid.clone(), ilvl);
        let next = match self.list_counters.get(&key) {
            Some(v) => v + 1,
            None => lvl.start,
        };
        self.list_counters.insert(key, next);
        self.list_counters
            .retain(|(num, level), _| !(num == nid && *level > ilvl));
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
                    self.list_counters
                        .get(&(nid.clone(), k))
                        .copied()
                        .unwrap_or_else(|| levels.get(&k).map(|level| level.start).unwrap_or(1))
                };
                let f = levels
                    .get(&k)
                    .map(|level| level.fmt.as_str())
                    .unwrap_or("decimal");
                t = t.replace(&format!("%{}", k + 1), &format_num(f, v));
            }
            t
        };
        let mut r = para_rpr.clone();
        r.merge(&lvl.rpr);
        let symbol_font = is_symbol_font(&self.font_name(&r.font));
        if symbol_font {
            // LibreOffice draws Symbol and Wingdings bullets with OpenSymbol, which never makes
            // a line taller than the text beside it; the label is measured in the text's font.
            r.font = para_rpr.font.clone();
        }
        let f = self.run_font(&r);
        let text = if symbol_font {
            text.chars().map(symbol_to_unicode).collect()
        } else if r.caps == Some(true) || r.small_caps == Some(true) {
            // "Chapter 1." in a heading set in capitals is drawn "CHAPTER 1.".
            text.to_uppercase()
        } else {
            text
        };
        Some((text, f))
    }
}

/// Fonts whose characters are pictures at private-use code points.
fn is_symbol_font(name: &str) -> bool {
    let name = name.trim().to_ascii_lowercase();
    name == "symbol" || name.starts_with("wingdings") || name == "webdings" || name == "opensymbol"
}

/// The Unicode character a Symbol or Wingdings bullet shows (Word writes them in the private-use
/// area, U+F020 to U+F0FF), so that the page starts and the assessors' text show a bullet.
fn symbol_to_unicode(c: char) -> char {
    match c {
        '\u{F0B7}' | '\u{F09F}' | '\u{F06C}' => '\u{2022}',
        '\u{F0A7}' | '\u{F06E}' => '\u{25AA}',
        '\u{F0D8}' => '\u{27A2}',
        '\u{F0FC}' => '\u{2713}',
        '\u{F076}' => '\u{2756}',
        '\u{F071}' => '\u{2751}',
        c if ('\u{F020}'..='\u{F0FF}').contains(&c) => '\u{2022}',
        c => c,
    }
}
