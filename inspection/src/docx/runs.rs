//! The runs of a paragraph (`w:r` and the elements that wrap them) to [`Item`]s: text, tabs,
//! breaks and inline pictures, skipping hidden text and field codes.

use super::collect::Collector;
use super::model::{Block, Item, RunFont};
use super::props::{int, parse_rpr, RPr};
use super::styles::has_twin;
use super::units::{Emu, Twips};
use crate::xml::{self, Child, Node};

/// Largest picture dimension taken from a DrawingML extent.
const MAX_PICTURE: Twips = Twips(1_000_000);

/// The items of a paragraph as they are collected.
#[derive(Default)]
pub struct ParaBuilder {
    items: Vec<Item>,
    /// Paragraph pieces ended by a page break (`w:br w:type="page"`).
    done: Vec<Vec<Item>>,
    /// One entry per open field: true while its code (before `separate`) is being read.
    field_depth: Vec<bool>,
}

impl ParaBuilder {
    /// The pieces of the paragraph, and whether it ended with a page break (which then applies
    /// to what follows rather than starting an empty piece).
    pub fn into_pieces(self) -> (Vec<Vec<Item>>, bool) {
        let mut pieces = self.done;
        let trailing_break = !pieces.is_empty() && self.items.is_empty();
        if !trailing_break {
            pieces.push(self.items);
        }
        (pieces, trailing_break)
    }

    fn in_field_code(&self) -> bool {
        self.field_depth.last().copied().unwrap_or(false)
    }

    fn push_text(&mut self, t: String, font: RunFont) {
        if let Some(Item::Text(prev, pf)) = self.items.last_mut() {
            if *pf == font {
                prev.push_str(&t);
                return;
            }
        }
        self.items.push(Item::Text(t, font));
    }
}

/// Width and height of a VML shape from its `style`; `None` for an absolutely positioned
/// (floating) one.
fn vml_size(style: &str) -> Option<(Twips, Twips)> {
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
    Some((Twips(w?), Twips(h?)))
}

impl Collector<'_> {
    /// The runs of `n` and of the elements that wrap runs (hyperlinks, insertions, fields…).
    pub(super) fn collect_runs(&mut self, n: &Node, para_rpr: &RPr, b: &mut ParaBuilder) {
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

    /// The run properties of `w:r`: the paragraph's, its character style's, its own.
    fn run_props(&self, r: &Node, para_rpr: &RPr) -> RPr {
        let direct = r.child("rPr").map(parse_rpr).unwrap_or_default();
        let mut rp = para_rpr.clone();
        if let Some(cs) = &direct.style {
            for st in self.styles.chain(cs) {
                rp.merge(&st.rpr);
            }
        }
        rp.merge(&direct);
        rp
    }

    fn run(&mut self, r: &Node, para_rpr: &RPr, b: &mut ParaBuilder) {
        let rp = self.run_props(r, para_rpr);
        if rp.vanish == Some(true) {
            return;
        }
        let font = self.run_font(&rp);
        let font_name = self.font_name(&rp.font);
        for c in r.elems() {
            match c.name.as_str() {
                "fldChar" => match c.attr("fldCharType") {
                    Some("begin") => b.field_depth.push(true),
                    Some("separate") => {
                        if let Some(in_code) = b.field_depth.last_mut() {
                            *in_code = false;
                        }
                    }
                    Some("end") => {
                        b.field_depth.pop();
                    }
                    _ => {}
                },
                _ if b.in_field_code() => {}
                "t" => self.text(c, &rp, font, &font_name, b),
                "noBreakHyphen" => b.items.push(Item::Text("\u{2011}".into(), font)),
                "sym" => b.items.push(Item::Text("\u{25CF}".into(), font)),
                "tab" | "ptab" => b.items.push(Item::Tab(font)),
                "br" if c.attr("type") == Some("page") => {
                    let items = std::mem::take(&mut b.items);
                    b.done.push(items);
                }
                // A column break is laid out as a line break.
                "br" | "cr" => b.items.push(Item::LineBreak(font)),
                "footnoteReference" => self.note_reference(c, font, b),
                "endnoteReference" => self.endnote_reference(c, font, b),
                // The number at the start of an endnote's own text.
                "endnoteRef" => {
                    if let Some(number) = self.current_note.clone() {
                        b.items.push(Item::NoteRef {
                            note: usize::MAX,
                            mark: number,
                            font,
                        });
                    }
                }
                // The number at the start of a note's own text.
                "footnoteRef" => {
                    if let Some(number) = self.current_note.clone() {
                        if self.styles.footnote_reference {
                            b.items.push(Item::NoteRef {
                                note: usize::MAX,
                                mark: number,
                                font,
                            });
                        } else {
                            // Without the style LibreOffice sets the number as plain text in
                            // the paragraph's size, whatever the run says.
                            let plain = self.run_font(para_rpr);
                            b.items.push(Item::Text(number, plain));
                        }
                    }
                }
                "drawing" => self.drawing(c, b),
                "pict" | "object" => self.vml_picture(c, b),
                "AlternateContent" => {
                    if let Some(ch) = c.child("Choice").or(c.child("Fallback")) {
                        // The chosen content, as a run with this run's properties.
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

    /// A `w:t`: its text (capitalised when the run says so, without line feeds, no-break spaces
    /// as spaces), counted for its font when that font has no metric twin.
    fn text(&mut self, t: &Node, rp: &RPr, font: RunFont, font_name: &str, b: &mut ParaBuilder) {
        let mut text = xml::own_text(t);
        if rp.caps == Some(true) || rp.small_caps == Some(true) {
            text = text.to_uppercase();
        }
        let text: String = text
            .chars()
            .map(|ch| if ch == '\u{A0}' { ' ' } else { ch })
            .filter(|ch| *ch != '\n' && *ch != '\r')
            .collect();
        if !has_twin(font_name) {
            *self
                .unmeasured_chars
                .entry(font_name.to_string())
                .or_default() += text.chars().filter(|ch| ch.is_alphanumeric()).count();
        }
        if !text.is_empty() {
            b.push_text(text, font);
        }
    }

    /// A footnote reference: the note is collected (its paragraphs, with the styles of the
    /// document) and numbered in order of reference, as LibreOffice numbers them whatever the
    /// ids. References inside a note are not followed.
    fn note_reference(&mut self, c: &Node, font: RunFont, b: &mut ParaBuilder) {
        if self.current_note.is_some() {
            return;
        }
        let Some(note) = c.attr("id").and_then(|id| self.note_parts.get(id)).cloned() else {
            return;
        };
        let number = (self.notes.len() + 1).to_string();
        self.current_note = Some(number.clone());
        let mut blocks = Vec::new();
        self.blocks_of(&note, &mut blocks);
        self.current_note = None;
        let mut paras: Vec<_> = blocks
            .into_iter()
            .filter_map(|block| match block {
                Block::Para(p) => Some(p),
                _ => None,
            })
            .collect();
        // LibreOffice numbers every note, whether or not its text starts with a footnoteRef
        // (docx-rs writes none, nor any footnote style): then the number is plain text in the
        // paragraph's own size, which can make the first line taller.
        if let Some(first) = paras.first_mut() {
            let numbered = first
                .items
                .iter()
                .any(|item| matches!(item, Item::NoteRef { .. }));
            if !numbered {
                first
                    .items
                    .insert(0, Item::Text(number.clone(), first.mark));
            }
        }
        self.notes.push(paras);
        b.items.push(Item::NoteRef {
            note: self.notes.len() - 1,
            mark: number,
            font,
        });
    }

    /// An endnote reference: the note is collected like a footnote but set apart from the page
    /// it is referenced on (at the end of the text, see `layout::Endnotes`), so the mark carries
    /// no note of the footnote area. Numbered i, ii, iii… in order of reference, as Word and
    /// LibreOffice number endnotes by default.
    fn endnote_reference(&mut self, c: &Node, font: RunFont, b: &mut ParaBuilder) {
        if self.current_note.is_some() {
            return;
        }
        let Some(note) = c
            .attr("id")
            .and_then(|id| self.endnote_parts.get(id))
            .cloned()
        else {
            return;
        };
        let number = lower_roman(self.endnotes.len() + 1);
        self.current_note = Some(number.clone());
        let mut blocks = Vec::new();
        self.blocks_of(&note, &mut blocks);
        self.current_note = None;
        let paras: Vec<_> = blocks
            .into_iter()
            .filter_map(|block| match block {
                Block::Para(p) => Some(p),
                _ => None,
            })
            .collect();
        self.endnotes.push(paras);
        b.items.push(Item::NoteRef {
            note: usize::MAX,
            mark: number,
            font,
        });
    }

    /// A DrawingML picture: inline ones are laid out, floating ones only counted.
    fn drawing(&mut self, c: &Node, b: &mut ParaBuilder) {
        let Some(inline) = c.child("inline") else {
            self.floating_objects += 1;
            return;
        };
        if let Some(e) = inline.child("extent") {
            let extent = |k: &str| {
                Emu(int(e.attr(k)).unwrap_or(0))
                    .to_twips()
                    .clamp(Twips::ZERO, MAX_PICTURE)
            };
            let part = inline
                .find("blip")
                .and_then(|blip| blip.attr("embed"))
                .and_then(|id| self.image_parts.get(id))
                .cloned();
            b.items.push(Item::Image {
                width: extent("cx"),
                height: extent("cy"),
                part,
            });
        }
    }

    /// A VML picture or object: laid out unless it is absolutely positioned.
    fn vml_picture(&mut self, c: &Node, b: &mut ParaBuilder) {
        let Some(shape) = c.find("shape").or(c.find("rect")) else {
            return;
        };
        match shape.attr("style").and_then(vml_size) {
            Some((width, height)) => {
                let part = shape
                    .find("imagedata")
                    .and_then(|data| data.attr("id"))
                    .and_then(|id| self.image_parts.get(id))
                    .cloned();
                b.items.push(Item::Image {
                    width,
                    height,
                    part,
                })
            }
            None => self.floating_objects += 1,
        }
    }
}

/// `n` in lower-case Roman numerals (endnote marks).
fn lower_roman(mut n: usize) -> String {
    const DIGITS: [(usize, &str); 13] = [
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
    let mut out = String::new();
    for (value, digits) in DIGITS {
        while n >= value {
            out.push_str(digits);
            n -= value;
        }
    }
    out
}
