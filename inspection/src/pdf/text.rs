//! The text of a PDF's pages, read from their content streams: what a candidate's checklist
//! says about where each page starts and how full the last one is, and what the anonymity
//! check reads.
//!
//! The content stream is walked with its graphics state (`q`/`Q`/`cm`) and text state (`BT`,
//! `Tm`, `Td`, `TD`, `T*`, `TL`, `Tf`): each string shown gets a position in page space, so
//! that lines are told apart by their baselines and words by the gaps between strings. The
//! characters come from lopdf's decoding with each font's encoding or `ToUnicode` map; the
//! advance of a string from the font's widths (`/Widths`, or `/W` and `/DW` for composite
//! fonts), half an em per character when a font gives none. Text in form XObjects is not read.
//! The operators are read by [`super::content`], which is what keeps reading a two-page essay
//! under half a millisecond (lopdf's `Content::decode` alone took a millisecond).

use lopdf::{Dictionary, Document, Encoding, Object};
use std::collections::BTreeMap;

/// The text found on one page.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct PageText {
    /// The lines, top to bottom, as shown.
    pub lines: Vec<Line>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    /// Baseline height in page space (points from the bottom of the page).
    pub y: f64,
    pub text: String,
}

/// A gap wider than this share of the font size between two strings on one line is a space.
const WORD_GAP_EM: f64 = 0.15;
/// A `TJ` adjustment more negative than this (thousandths of an em) is a space.
const TJ_SPACE: f64 = -180.0;
/// Two strings whose baselines differ by less than this (points) are on one line.
const SAME_LINE_PT: f64 = 2.0;
/// Content operations read per document, and bytes of content decoded: a hostile file cannot
/// make text reading expensive.
/// An essay page's content is tens of kilobytes; a drawing's, megabytes (a 25-page book of
/// drawings took 0.7 s to read with sixteen times these budgets, against 0.08 s to load).
const MAX_OPERATIONS: usize = 200_000;
const MAX_CONTENT_BYTES: usize = 1536 * 1024;
/// A page whose content is larger than this is a drawing or a scan: it is not read.
const MAX_PAGE_CONTENT_BYTES: usize = 512 * 1024;

struct Budget {
    operations: usize,
    bytes: usize,
}

/// The text of every page, in page order, and whether every page was read through. A page
/// whose content cannot be read, or is past the budgets, gives an empty `PageText`: text is
/// evidence for the checklist, never a reason to refuse a file.
pub(super) fn page_texts(
    doc: &Document,
    pages: &[super::Page],
    max_stream_bytes: usize,
) -> (Vec<PageText>, bool) {
    let mut budget = Budget {
        operations: MAX_OPERATIONS,
        bytes: MAX_CONTENT_BYTES,
    };
    // Fonts are shared by pages; their encodings (a ToUnicode map to parse) are read once.
    let mut fonts = FontCache::default();
    let mut complete = true;
    let texts = pages
        .iter()
        .map(|page| {
            page_text(doc, page, max_stream_bytes, &mut budget, &mut fonts).unwrap_or_else(|| {
                complete = false;
                PageText::default()
            })
        })
        .collect();
    (texts, complete && budget.operations > 0)
}

/// Fonts read so far, by the address of their dictionary in the loaded document.
type FontCache<'a> = std::collections::HashMap<usize, Option<std::rc::Rc<Font<'a>>>>;

fn page_text<'a>(
    doc: &'a Document,
    page: &super::Page<'a>,
    max_stream_bytes: usize,
    budget: &mut Budget,
    cache: &mut FontCache<'a>,
) -> Option<PageText> {
    if budget.operations == 0 {
        return None;
    }
    let id = page.id?;
    let fonts: BTreeMap<Vec<u8>, std::rc::Rc<Font>> = page_fonts(doc, page.resources)
        .into_iter()
        .filter_map(|(name, dict)| {
            let font = cache
                .entry(dict as *const Dictionary as usize)
                .or_insert_with(|| Font::read(doc, dict, max_stream_bytes).map(std::rc::Rc::new))
                .clone()?;
            Some((name, font))
        })
        .collect();
    let bytes = doc
        .get_page_content_with_limit(id, max_stream_bytes.min(budget.bytes))
        .ok()?;
    budget.bytes = budget.bytes.saturating_sub(bytes.len());
    if bytes.len() > MAX_PAGE_CONTENT_BYTES {
        return None;
    }
    let mut walker = Walker::default();
    super::content::for_each_operation(&bytes, |operator, operands| {
        if budget.operations == 0 {
            return false;
        }
        budget.operations -= 1;
        walker.apply(operator, operands, &fonts);
        true
    });
    Some(walker.finish())
}

/// The fonts of a page's resources (inherited ones included, from the walk of the page tree),
/// by resource name.
fn page_fonts<'a>(
    doc: &'a Document,
    resources: Option<&'a Dictionary>,
) -> Vec<(Vec<u8>, &'a Dictionary)> {
    let deref = |o: &'a Object| -> Option<&'a Object> {
        match o {
            Object::Reference(id) => doc.get_object(*id).ok(),
            _ => Some(o),
        }
    };
    let Some(Object::Dictionary(fonts)) =
        resources.and_then(|r| r.get(b"Font").ok()).and_then(deref)
    else {
        return Vec::new();
    };
    fonts
        .iter()
        .filter_map(|(name, f)| match deref(f)? {
            Object::Dictionary(d) => Some((name.clone(), d)),
            _ => None,
        })
        .collect()
}

/// An affine matrix [a b c d e f], as PDF writes them.
#[derive(Debug, Clone, Copy)]
struct Matrix([f64; 6]);

impl Default for Matrix {
    fn default() -> Self {
        Matrix::IDENTITY
    }
}

impl Matrix {
    const IDENTITY: Matrix = Matrix([1.0, 0.0, 0.0, 1.0, 0.0, 0.0]);

    fn translate(x: f64, y: f64) -> Matrix {
        Matrix([1.0, 0.0, 0.0, 1.0, x, y])
    }

    /// `self` then `then` (PDF's `self × then`).
    fn then(self, then: Matrix) -> Matrix {
        let [a, b, c, d, e, f] = self.0;
        let [a2, b2, c2, d2, e2, f2] = then.0;
        Matrix([
            a * a2 + b * c2,
            a * b2 + b * d2,
            c * a2 + d * c2,
            c * b2 + d * d2,
            e * a2 + f * c2 + e2,
            e * b2 + f * d2 + f2,
        ])
    }

    fn apply(self, x: f64, y: f64) -> (f64, f64) {
        let [a, b, c, d, e, f] = self.0;
        (a * x + c * y + e, b * x + d * y + f)
    }

    /// How much a unit length along x grows (the font size's scale on the page).
    fn x_scale(self) -> f64 {
        let [a, b, ..] = self.0;
        (a * a + b * b).sqrt()
    }
}

fn number(o: &Object) -> Option<f64> {
    match o {
        Object::Integer(i) => Some(*i as f64),
        Object::Real(r) if r.is_finite() => Some(*r as f64),
        _ => None,
    }
}

fn matrix(operands: &[Object]) -> Option<Matrix> {
    if operands.len() != 6 {
        return None;
    }
    let mut m = [0.0; 6];
    for (slot, o) in m.iter_mut().zip(operands) {
        *slot = number(o)?;
    }
    Some(Matrix(m))
}

/// What reading text needs of a font: its encoding, the width of each code, and whether codes
/// are two bytes (composite fonts).
struct Font<'a> {
    encoding: Encoding<'a>,
    /// Strings already decoded, by their bytes. Writers show text a glyph or a few at a time
    /// (`[<01>2<02>-2<03>] TJ`), so the same few byte strings come back thousands of times, and
    /// lopdf decodes each through a ToUnicode lookup, vectors and a UTF-16 decoder: this was
    /// most of the time an inspection of a PDF took.
    decoded: std::cell::RefCell<std::collections::HashMap<Vec<u8>, Box<str>, Fnv>>,
    widths: BTreeMap<u32, f64>,
    /// The widths of one-byte codes (simple fonts), looked up for every character shown.
    byte_widths: Vec<f64>,
    default_width: f64,
    two_byte: bool,
}

impl<'a> Font<'a> {
    fn read(doc: &'a Document, dict: &'a Dictionary, max_stream_bytes: usize) -> Option<Self> {
        let encoding = dict
            .get_font_encoding_with_limit(doc, max_stream_bytes)
            .ok()?;
        let resolve = |o: &'a Object| -> Option<&'a Object> {
            match o {
                Object::Reference(id) => doc.get_object(*id).ok(),
                _ => Some(o),
            }
        };
        let array = |d: &'a Dictionary, key: &[u8]| -> Option<&'a Vec<Object>> {
            resolve(d.get(key).ok()?)?.as_array().ok()
        };
        let two_byte = dict.get(b"Subtype").ok().and_then(|o| o.as_name().ok()) == Some(b"Type0");
        let mut widths = BTreeMap::new();
        let mut default_width = 500.0;
        if two_byte {
            let descendant = array(dict, b"DescendantFonts")
                .and_then(|a| a.first())
                .and_then(resolve)
                .and_then(|o| o.as_dict().ok());
            if let Some(d) = descendant {
                if let Some(w) = d.get(b"DW").ok().and_then(resolve).and_then(number) {
                    default_width = w;
                } else {
                    default_width = 1000.0;
                }
                if let Some(w) = array(d, b"W") {
                    read_cid_widths(w, &resolve, &mut widths);
                }
            }
        } else if let Some(w) = array(dict, b"Widths") {
            let first = dict
                .get(b"FirstChar")
                .ok()
                .and_then(resolve)
                .and_then(number)
                .unwrap_or(0.0) as u32;
            for (i, o) in w.iter().enumerate().take(256) {
                if let Some(v) = resolve(o).and_then(number) {
                    widths.insert(first.saturating_add(i as u32), v);
                }
            }
        }
        let byte_widths = if two_byte {
            Vec::new()
        } else {
            (0..256u32)
                .map(|c| widths.get(&c).copied().unwrap_or(default_width))
                .collect()
        };
        Some(Font {
            encoding,
            decoded: Default::default(),
            byte_widths,
            widths,
            default_width,
            two_byte,
        })
    }

    /// Appends the text of a shown string, as lopdf decodes it.
    fn decode(&self, bytes: &[u8], out: &mut String) {
        /// Distinct strings remembered per font; past this they are decoded each time.
        const MAX_DECODED: usize = 4096;
        /// Longer strings are words or lines, rarely repeated: not remembered.
        const MAX_KEY: usize = 16;
        if let Some(text) = self.decoded.borrow().get(bytes) {
            out.push_str(text);
            return;
        }
        let mut text = String::new();
        // What was decoded before an error is kept, as it always was.
        let complete = self.encoding.write_to_string(bytes, &mut text).is_ok();
        out.push_str(&text);
        let mut decoded = self.decoded.borrow_mut();
        if complete && bytes.len() <= MAX_KEY && decoded.len() < MAX_DECODED {
            decoded.insert(bytes.to_vec(), text.into_boxed_str());
        }
    }

    /// Width of a string in text space units (thousandths of an em).
    fn advance(&self, bytes: &[u8]) -> f64 {
        let code_width = |c: u32| self.widths.get(&c).copied().unwrap_or(self.default_width);
        if self.two_byte {
            bytes
                .chunks(2)
                .map(|c| code_width(c.iter().fold(0u32, |acc, b| acc << 8 | *b as u32)))
                .sum()
        } else {
            bytes
                .iter()
                .map(|&b| {
                    self.byte_widths
                        .get(usize::from(b))
                        .copied()
                        .unwrap_or(self.default_width)
                })
                .sum()
        }
    }
}

/// FNV-1a, for the decoded-string cache: its keys are a few bytes long, where SipHash's setup
/// costs more than the lookup, and they come from the file being read, whose author gains
/// nothing by colliding them (the cache is bounded).
#[derive(Default, Clone, Copy)]
struct Fnv;

struct FnvHasher(u64);

impl std::hash::BuildHasher for Fnv {
    type Hasher = FnvHasher;
    fn build_hasher(&self) -> FnvHasher {
        FnvHasher(0xcbf2_9ce4_8422_2325)
    }
}

impl std::hash::Hasher for FnvHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
    }
}

/// `/W [c [w1 w2 …] cfirst clast w …]` of a CID font, bounded.
fn read_cid_widths<'a>(
    w: &'a [Object],
    resolve: &dyn Fn(&'a Object) -> Option<&'a Object>,
    out: &mut BTreeMap<u32, f64>,
) {
    const MAX_ENTRIES: usize = 65_536;
    let mut i = 0;
    while i < w.len() && out.len() < MAX_ENTRIES {
        let Some(first) = resolve(&w[i]).and_then(number) else {
            return;
        };
        let first = first.max(0.0) as u32;
        match w.get(i + 1).and_then(resolve) {
            Some(Object::Array(list)) => {
                for (k, o) in list.iter().enumerate().take(MAX_ENTRIES) {
                    if let Some(v) = resolve(o).and_then(number) {
                        out.insert(first.saturating_add(k as u32), v);
                    }
                }
                i += 2;
            }
            Some(o) => {
                let (Some(last), Some(v)) =
                    (number(o), w.get(i + 2).and_then(resolve).and_then(number))
                else {
                    return;
                };
                let last = (last.max(0.0) as u32).min(first.saturating_add(MAX_ENTRIES as u32));
                for c in first..=last {
                    out.insert(c, v);
                }
                i += 3;
            }
            None => return,
        }
    }
}

#[derive(Default)]
struct Walker {
    ctm: Matrix,
    saved: Vec<Matrix>,
    tm: Matrix,
    tlm: Matrix,
    leading: f64,
    font: Option<Vec<u8>>,
    size: f64,
    char_spacing: f64,
    word_spacing: f64,
    /// Strings shown, with their start and end in page space and font size on the page.
    pieces: Vec<Piece>,
}

struct Piece {
    x: f64,
    y: f64,
    end_x: f64,
    em: f64,
    text: String,
}

impl Walker {
    fn apply(
        &mut self,
        operator: &str,
        operands: &[Object],
        fonts: &BTreeMap<Vec<u8>, std::rc::Rc<Font>>,
    ) {
        let num = |i: usize| operands.get(i).and_then(number);
        match operator {
            "q" if self.saved.len() < 64 => self.saved.push(self.ctm),
            "Q" => self.ctm = self.saved.pop().unwrap_or_default(),
            "cm" => {
                if let Some(m) = matrix(operands) {
                    self.ctm = m.then(self.ctm);
                }
            }
            "BT" => {
                self.tm = Matrix::IDENTITY;
                self.tlm = Matrix::IDENTITY;
            }
            "Tf" => {
                self.font = operands
                    .first()
                    .and_then(|o| o.as_name().ok())
                    .map(<[u8]>::to_vec);
                self.size = num(1).unwrap_or(0.0);
            }
            "TL" => self.leading = num(0).unwrap_or(0.0),
            "Tc" => self.char_spacing = num(0).unwrap_or(0.0),
            "Tw" => self.word_spacing = num(0).unwrap_or(0.0),
            "Tm" => {
                if let Some(m) = matrix(operands) {
                    self.tm = m;
                    self.tlm = m;
                }
            }
            "Td" | "TD" => {
                let (Some(x), Some(y)) = (num(0), num(1)) else {
                    return;
                };
                if operator == "TD" {
                    self.leading = -y;
                }
                self.next_line(x, y);
            }
            "T*" => self.next_line(0.0, -self.leading),
            "Tj" => self.show(operands, fonts),
            "TJ" => {
                if let Some(Object::Array(items)) = operands.first() {
                    self.show(items, fonts);
                }
            }
            "'" => {
                self.next_line(0.0, -self.leading);
                self.show(operands, fonts);
            }
            "\"" => {
                self.word_spacing = num(0).unwrap_or(self.word_spacing);
                self.char_spacing = num(1).unwrap_or(self.char_spacing);
                self.next_line(0.0, -self.leading);
                self.show(operands.get(2..).unwrap_or(&[]), fonts);
            }
            _ => {}
        }
    }

    fn next_line(&mut self, x: f64, y: f64) {
        let m = Matrix::translate(x, y).then(self.tlm);
        self.tlm = m;
        self.tm = m;
    }

    /// Shows strings (and `TJ` adjustments), moving the text matrix by their advance.
    fn show(&mut self, items: &[Object], fonts: &BTreeMap<Vec<u8>, std::rc::Rc<Font>>) {
        let Some(font) = self.font.as_ref().and_then(|f| fonts.get(f)) else {
            return;
        };
        let mut tm = self.tm;
        let size = self.size;
        let start = tm.then(self.ctm);
        let (x, y) = start.apply(0.0, 0.0);
        let em = (size * start.x_scale()).abs();
        let mut text = String::with_capacity(64);
        for item in items {
            match item {
                Object::String(bytes, _) => {
                    font.decode(bytes, &mut text);
                    let spaces = bytes.iter().filter(|&&b| b == b' ').count() as f64;
                    let advance = font.advance(bytes) / 1000.0 * size
                        + self.char_spacing * bytes.len() as f64
                        + if font.two_byte {
                            0.0
                        } else {
                            self.word_spacing * spaces
                        };
                    tm = Matrix::translate(advance, 0.0).then(tm);
                }
                other => {
                    if let Some(adjust) = number(other) {
                        if adjust < TJ_SPACE && !text.ends_with(' ') {
                            text.push(' ');
                        }
                        tm = Matrix::translate(-adjust / 1000.0 * size, 0.0).then(tm);
                    }
                }
            }
        }
        self.tm = tm;
        let (end_x, _) = tm.then(self.ctm).apply(0.0, 0.0);
        if !text.trim().is_empty() && x.is_finite() && y.is_finite() {
            self.pieces.push(Piece {
                x,
                y,
                end_x,
                em,
                text,
            });
        }
    }

    /// The pieces as lines, top to bottom, left to right.
    fn finish(mut self) -> PageText {
        self.pieces
            .sort_by(|a, b| b.y.total_cmp(&a.y).then(a.x.total_cmp(&b.x)));
        let mut lines: Vec<Line> = Vec::new();
        let mut last_end: Option<(f64, f64)> = None;
        for p in self.pieces {
            let same_line = lines
                .last()
                .is_some_and(|l: &Line| (l.y - p.y).abs() < SAME_LINE_PT);
            if !same_line {
                lines.push(Line {
                    y: p.y,
                    text: String::new(),
                });
                last_end = None;
            }
            let Some(line) = lines.last_mut() else {
                continue;
            };
            if let Some((end, em)) = last_end {
                let gap = p.x - end;
                if gap > WORD_GAP_EM * em.max(p.em)
                    && !line.text.ends_with(char::is_whitespace)
                    && !p.text.starts_with(char::is_whitespace)
                {
                    line.text.push(' ');
                }
            }
            line.text.push_str(&p.text);
            last_end = Some((p.end_x, p.em));
        }
        for l in &mut lines {
            l.text = l.text.split_whitespace().collect::<Vec<_>>().join(" ");
        }
        PageText { lines }
    }
}
