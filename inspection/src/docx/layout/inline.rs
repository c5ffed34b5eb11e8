//! Inside a paragraph: words and spaces measured in sixths of a twip, broken into lines, and
//! each line's pitch and height under the paragraph's line spacing.

use super::DEFAULT_TAB;
use crate::docx::model::{Item, LineSpacing, Para, ParaProps, RunFont, TabAlign};
use crate::docx::units::{SixthTwips, Twips};

/// A broken line before line spacing.
#[derive(Debug, Clone, Default)]
struct Line {
    /// Height of the tallest font on the line.
    text_height: Twips,
    /// Height of the tallest inline image on the line.
    image_height: Twips,
    text: String,
    /// The footnotes referenced on the line, in order.
    notes: Vec<usize>,
}

/// One line of a laid-out paragraph.
#[derive(Debug, Clone)]
pub struct LaidLine {
    /// Advance from this line's top to the next line's top.
    pub pitch: Twips,
    /// The height that must fit on the page.
    pub fit: Twips,
    pub text: String,
    /// The footnotes referenced on the line, in order.
    pub notes: Vec<usize>,
}

/// A paragraph broken into lines, with the vertical measures of each.
#[derive(Debug, Clone)]
pub struct Laid {
    pub lines: Vec<LaidLine>,
}

#[derive(Clone, Copy, PartialEq)]
enum AtomKind {
    Word,
    Space,
    Tab,
    Break,
}

/// The unit of line breaking.
struct Atom {
    kind: AtomKind,
    width: SixthTwips,
    /// Line height of its font.
    height: Twips,
    image_height: Twips,
    text: String,
    /// No break opportunity before it (it continues the previous word across a font change).
    glue: bool,
    /// The footnotes whose marks it carries.
    notes: Vec<usize>,
}

impl Atom {
    /// A tab or a line break: no width, its font's height.
    fn blank(kind: AtomKind, height: Twips) -> Atom {
        Atom {
            kind,
            width: SixthTwips::ZERO,
            height,
            image_height: Twips::ZERO,
            text: String::new(),
            glue: false,
            notes: Vec::new(),
        }
    }
}

fn atoms(items: &[Item]) -> Vec<Atom> {
    let mut out: Vec<Atom> = Vec::new();
    for it in items {
        match it {
            Item::Text(t, f) => push_text_atoms(t, f, &mut out),
            Item::Tab(f) => out.push(Atom::blank(AtomKind::Tab, f.height())),
            Item::LineBreak(f) => out.push(Atom::blank(AtomKind::Break, f.height())),
            Item::Image { width, height, .. } => out.push(Atom {
                kind: AtomKind::Word,
                width: width.to_sixths(),
                height: Twips::ZERO,
                image_height: *height,
                text: String::new(),
                glue: false,
                notes: Vec::new(),
            }),
            // The mark sticks to the word before it and never makes its line taller.
            Item::NoteRef { note, mark, font } => {
                let width = font.mark_width(mark);
                let notes: Vec<usize> =
                    (*note != usize::MAX).then_some(*note).into_iter().collect();
                match out.last_mut() {
                    Some(prev) if prev.kind == AtomKind::Word => {
                        prev.width += width;
                        prev.notes.extend(notes);
                    }
                    _ => out.push(Atom {
                        kind: AtomKind::Word,
                        width,
                        height: Twips::ZERO,
                        image_height: Twips::ZERO,
                        text: String::new(),
                        glue: false,
                        notes,
                    }),
                }
            }
        }
    }
    out
}

/// Splits a run's text into words, spaces and break opportunities after hyphens and dashes. The
/// first word of the run is glued to a word that ends the previous run.
fn push_text_atoms(t: &str, f: &RunFont, out: &mut Vec<Atom>) {
    let height = f.height();
    let flush = |word: &mut String, out: &mut Vec<Atom>, glue: bool| {
        if word.is_empty() {
            return;
        }
        let width = f.text_width(word);
        if glue {
            if let Some(prev) = out.last_mut() {
                if prev.kind == AtomKind::Word {
                    prev.width += width;
                    prev.height = prev.height.max(height);
                    prev.text.push_str(word);
                    word.clear();
                    return;
                }
            }
        }
        out.push(Atom {
            kind: AtomKind::Word,
            width,
            height,
            image_height: Twips::ZERO,
            text: std::mem::take(word),
            glue,
            notes: Vec::new(),
        });
    };
    let mut first = true;
    let mut glue_next = true;
    let mut word = String::new();
    let chars: Vec<char> = t.chars().collect();
    for (ci, &c) in chars.iter().enumerate() {
        if c == ' ' {
            flush(&mut word, out, first && glue_next);
            first = false;
            glue_next = true;
            out.push(Atom {
                kind: AtomKind::Space,
                width: f.space_width(),
                height,
                image_height: Twips::ZERO,
                text: String::new(),
                glue: false,
                notes: Vec::new(),
            });
            continue;
        }
        word.push(c);
        let next = chars.get(ci + 1).copied();
        let breakable = matches!(c, '-' | '\u{2013}' | '\u{2014}')
            && word.chars().count() > 1
            && next.is_some_and(|n| n.is_alphabetic());
        if breakable {
            flush(&mut word, out, first && glue_next);
            first = false;
            glue_next = false;
        }
    }
    flush(&mut word, out, first && glue_next);
}

/// Longest text kept of a line (for page starts).
const LINE_TEXT_CAP: usize = 200;

/// The state of breaking one paragraph into lines.
struct LineBreaker<'a> {
    props: &'a ParaProps,
    /// Width of the text area.
    width: Twips,
    /// Where the first line starts (left indent plus first-line indent).
    first_start: Twips,
    /// Height of a line with nothing on it: the paragraph mark's.
    mark_height: Twips,
    lines: Vec<Line>,
    cur: Line,
    /// Width taken on the current line, and the spaces waiting before the next word.
    used: SixthTwips,
    pending_space: SixthTwips,
    /// Width available on the current line.
    avail: SixthTwips,
    has_words: bool,
    is_first: bool,
    /// The current line began because the previous one was full (not at a line break).
    started_by_flow: bool,
    space_before_word: bool,
}

impl LineBreaker<'_> {
    fn line_start(&self, first: bool) -> Twips {
        if first {
            self.first_start
        } else {
            self.props.indent_left
        }
    }

    fn available(&self, first: bool) -> SixthTwips {
        (self.width - self.props.indent_right - self.line_start(first))
            .max(Twips(1))
            .to_sixths()
    }

    fn finish_line(&mut self) {
        if self.cur.text_height == Twips::ZERO && self.cur.image_height == Twips::ZERO {
            self.cur.text_height = self.mark_height;
        }
        self.lines.push(std::mem::take(&mut self.cur));
    }

    /// Ends the current line and starts an empty one that is not the first.
    fn next_line(&mut self) {
        self.finish_line();
        self.is_first = false;
        self.avail = self.available(false);
        self.used = SixthTwips::ZERO;
        self.pending_space = SixthTwips::ZERO;
    }

    fn space(&mut self, a: &Atom) {
        self.space_before_word = true;
        if self.has_words || (self.is_first && !self.started_by_flow) {
            self.pending_space += a.width;
            self.cur.text_height = self.cur.text_height.max(a.height);
        }
    }

    /// A tab advances to the next custom stop past the text, else the next default stop (to
    /// the hanging indent first, on a first line that has one); past the line's end it moves
    /// to the next line. A right stop ends the text that follows it (`following`: its width
    /// up to the next tab or break) at the stop, a centre stop centres it there.
    fn tab(&mut self, a: &Atom, following: SixthTwips) {
        let start = self.line_start(self.is_first);
        let x = start + (self.used + self.pending_space).to_twips_up();
        let custom = self.props.tabs.iter().find(|t| t.position > x);
        let stop = match custom {
            Some(t) => {
                let follow = following.to_twips_up();
                match t.align {
                    TabAlign::Left => t.position,
                    TabAlign::Right => (t.position - follow).max(x),
                    TabAlign::Center => (t.position - Twips(follow.get() / 2)).max(x),
                }
            }
            None => {
                let mut stop = DEFAULT_TAB * (x.div_euclid(DEFAULT_TAB) + 1);
                let indent_left = self.props.indent_left;
                if self.props.indent_first < Twips::ZERO && self.is_first && x < indent_left {
                    stop = indent_left;
                }
                stop
            }
        };
        let new_used = (stop - start).to_sixths();
        self.cur.text_height = self.cur.text_height.max(a.height);
        if new_used > self.avail && self.has_words {
            self.next_line();
            self.has_words = false;
            self.started_by_flow = true;
        } else {
            self.used = new_used;
            self.pending_space = SixthTwips::ZERO;
            self.has_words = true;
        }
        self.cur.text.push(' ');
    }

    fn hard_break(&mut self, a: &Atom) {
        self.cur.text_height = self.cur.text_height.max(a.height);
        self.next_line();
        self.has_words = false;
        self.started_by_flow = false;
    }

    fn word(&mut self, a: &Atom) {
        let fits = self.used + self.pending_space + a.width <= self.avail;
        // A word glued to the previous one (no break opportunity) overflows instead.
        if self.has_words && !fits && !a.glue {
            self.next_line();
            self.started_by_flow = true;
        }
        let end = self.used + self.pending_space + a.width;
        if !self.has_words && end > self.avail && a.image_height == Twips::ZERO {
            // a word longer than the line: broken across lines
            let extra = (end - SixthTwips(1)) / self.avail.max(SixthTwips(1));
            for _ in 0..extra {
                self.cur.text_height = self.cur.text_height.max(a.height);
                self.finish_line();
                self.is_first = false;
            }
            self.avail = self.available(false);
            self.used = end % self.avail.max(SixthTwips(1));
        } else {
            self.used = end;
        }
        self.pending_space = SixthTwips::ZERO;
        self.has_words = true;
        self.cur.text_height = self.cur.text_height.max(a.height);
        self.cur.image_height = self.cur.image_height.max(a.image_height);
        self.cur.notes.extend_from_slice(&a.notes);
        if self.cur.text.len() < LINE_TEXT_CAP {
            if self.space_before_word && !self.cur.text.is_empty() && !self.cur.text.ends_with(' ')
            {
                self.cur.text.push(' ');
            }
            self.cur.text.push_str(&a.text);
        }
        self.space_before_word = false;
    }
}

/// The length of a paragraph's longest line when nothing wraps it: what vertical text in a table
/// cell needs of the row's height (Word and LibreOffice grow the row to the text).
pub fn natural_length(p: &Para) -> Twips {
    let mut longest = SixthTwips::ZERO;
    let mut line = SixthTwips::ZERO;
    for atom in atoms(&p.items) {
        if atom.kind == AtomKind::Break {
            longest = longest.max(line);
            line = SixthTwips::ZERO;
        } else {
            line += atom.width;
        }
    }
    let indents = (p.props.indent_left + p.props.indent_right).max(Twips::ZERO);
    longest.max(line).to_twips_up() + indents
}

/// Breaks a paragraph into lines for a text area `width` wide.
fn break_lines(p: &Para, width: Twips) -> Vec<Line> {
    let props = &p.props;
    let first_start = props.indent_left + props.indent_first;
    let mut breaker = LineBreaker {
        props,
        width,
        first_start,
        mark_height: p.mark.height(),
        lines: Vec::new(),
        cur: Line::default(),
        used: SixthTwips::ZERO,
        pending_space: SixthTwips::ZERO,
        avail: SixthTwips::ZERO,
        has_words: false,
        is_first: true,
        started_by_flow: false,
        space_before_word: false,
    };
    breaker.avail = breaker.available(true);
    if let Some((text, f)) = &p.marker {
        // the marker is followed by a tab: to the hanging indent, else the next default stop
        let marker_end = first_start.to_sixths() + f.text_width(text);
        let target =
            if props.indent_first < Twips::ZERO && marker_end <= props.indent_left.to_sixths() {
                props.indent_left
            } else {
                DEFAULT_TAB * (marker_end.to_twips_up() / DEFAULT_TAB + 1)
            };
        breaker.used = (target - first_start).max(Twips::ZERO).to_sixths();
        breaker.cur.text_height = f.height();
        breaker.cur.text.push_str(text);
        breaker.cur.text.push(' ');
    }
    let atoms = atoms(&p.items);
    for (i, a) in atoms.iter().enumerate() {
        match a.kind {
            AtomKind::Space => breaker.space(a),
            AtomKind::Tab => {
                let following = if props.tabs.is_empty() {
                    SixthTwips::ZERO
                } else {
                    atoms
                        .iter()
                        .skip(i + 1)
                        .take_while(|b| matches!(b.kind, AtomKind::Word | AtomKind::Space))
                        .fold(SixthTwips::ZERO, |sum, b| sum + b.width)
                };
                breaker.tab(a, following)
            }
            AtomKind::Break => breaker.hard_break(a),
            AtomKind::Word => breaker.word(a),
        }
    }
    breaker.finish_line();
    breaker.lines
}

/// LibreOffice's proportional line spacing percentage for `w:line` (auto rule, 240ths of a
/// line): the value is converted as if it were twips to 1/100 mm, rounded, and taken relative to
/// 4.23 mm (12 pt).
pub fn auto_percent(in_240ths: i64) -> i64 {
    let hundredths_mm = (in_240ths * 127 * 2 + 72) / (72 * 2); // round(line·127/72)
    hundredths_mm * 100 / 423
}

/// The whole grid rows a line of height `h` takes (at least one).
fn snap_to_grid(h: Twips, grid: Twips) -> Twips {
    let rows = ((h.get() + grid.get() - 1) / grid.get()).max(1);
    Twips(grid.get() * rows)
}

/// Lines of a paragraph laid out in a text area `width` wide, with their pitch and fit height.
pub fn measure(p: &Para, width: Twips) -> Laid {
    measure_on_grid(p, width, None)
}

/// [`measure`] in a section with a line grid of this pitch: a line takes as many grid rows as
/// its height needs, and proportional spacing multiplies the rows
/// (`shared/research/docx-from-libreoffice.md` §2: 600 → 690 at 115 %).
pub fn measure_on_grid(p: &Para, width: Twips, grid: Option<Twips>) -> Laid {
    let grid = grid.filter(|g| *g > Twips::ZERO && p.props.snap_to_grid);
    let lines = break_lines(p, width);
    let font_height = p.mark.height().max(
        p.items
            .iter()
            .find_map(|i| match i {
                Item::Text(_, f) => Some(f.height()),
                _ => None,
            })
            .unwrap_or(Twips::ZERO),
    );
    let mut out = Vec::with_capacity(lines.len());
    for line in lines {
        let has_image = line.image_height > Twips::ZERO;
        let h = if has_image {
            line.image_height.max(if line.text.trim().is_empty() {
                Twips::ZERO
            } else {
                line.text_height
            })
        } else {
            line.text_height
        };
        let (pitch, fit) = match (p.props.spacing, grid) {
            (LineSpacing::Auto { in_240ths }, Some(g)) => {
                let snapped = snap_to_grid(h, g);
                let percent = auto_percent(in_240ths);
                let pitch = (snapped + snapped.percent_floor(percent - 100)).max(Twips(1));
                (pitch, snapped)
            }
            (LineSpacing::Auto { in_240ths }, None) => {
                let percent = auto_percent(in_240ths);
                // the extra of a line with a picture is proportional to the text, not the picture
                let base = if has_image { font_height } else { h };
                let pitch = (h + base.percent_floor(percent - 100)).max(Twips(1));
                (pitch, h)
            }
            // On a line grid, exact and at-least lines take whole grid rows too (measured:
            // exact 240 on a 360 grid gives 360; 276 at least on a 240 grid gives 480).
            (LineSpacing::Exact(line), Some(g)) => {
                let snapped = snap_to_grid(line.max(Twips(1)), g);
                (snapped, snapped)
            }
            (LineSpacing::AtLeast(line), Some(g)) => {
                let snapped = snap_to_grid(h.max(line).max(Twips(1)), g);
                (snapped, snapped)
            }
            (LineSpacing::Exact(line), None) => (line.max(Twips(1)), line.max(Twips(1))),
            (LineSpacing::AtLeast(line), None) => {
                let v = h.max(line).max(Twips(1));
                (v, v)
            }
        };
        out.push(LaidLine {
            pitch,
            fit,
            text: line.text,
            notes: line.notes,
        });
    }
    // A border above or below the paragraph takes its room with the first and last line.
    if let Some(first) = out.first_mut() {
        first.pitch += p.props.border_top;
        first.fit += p.props.border_top;
    }
    if let Some(last) = out.last_mut() {
        last.pitch += p.props.border_bottom;
        last.fit += p.props.border_bottom;
    }
    Laid { lines: out }
}
