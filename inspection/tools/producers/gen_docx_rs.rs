//! Producer "docx-rs": essays written through docx-rs 0.4's builder API, into
//! inspection/tests/producers/docx-rs/NNN.docx.
//!
//!   cargo test -p inspection --test producers -- --ignored generate_docx_rs_essays
//!
//! Compiled into tests/producers.rs (`#[path]` module); docx-rs comes through testkit's
//! re-export. What docx-rs writes and the other producers do not: an empty Normal style and no
//! theme (the body's font, size and spacing live in docDefaults, in a "Body Text" style of our
//! own, or on every paragraph), pPr children out of schema order, docx-rs's page margins'
//! header/footer distances, `w:dirty="false"` PAGE fields, footnotes without separator notes.
//! Each essay draws: A4 or Letter, margins, Calibri / Cambria / Times New Roman / Arial at
//! 10-12 pt, auto line spacing 240-360 ("at least" in a few), space before and after, first-line
//! indents, justified text, headings as bold larger runs or as Title/Heading1/Heading2 styles
//! (keep-with-next in some), bulleted and numbered lists through numbering.xml, a table, a header
//! or footer with a PAGE field, footnotes, keep-lines-together and widow control off in some.
//!
//! The text is essaylib.py's: the same word list and headings, sentences drawn the same way, by
//! a seeded xorshift generator (one seed per file), so that every file is reproducible alone.
//! The amount is the words-per-page estimate of essaylib.py times a calibration measured on this
//! producer, times essaylib's target pages (near the 1- and 2-page limits).

use testkit::docx_rs::{
    AbstractNumbering, AlignmentType, Docx, Footer, Footnote, Header, IndentLevel, Level, LevelJc,
    LevelText, LineSpacing, LineSpacingType, NumberFormat, Numbering, NumberingId, PageMargin,
    PageNum, Paragraph, Run, RunFonts, SpecialIndentType, Start, Style, StyleType, Table,
    TableCell, TableRow, WidthType,
};

/// Measured: the words-per-page estimate overshoots this producer's pages by 1/CALIBRATION.
const CALIBRATION: f64 = 0.62;
const SEED: u64 = 0x0D0C_50F2;

/// essaylib.py's WORDS.
const WORDS: &str = "the alliance must adapt to a changing security environment and operations require coordination
between partners of in strategic planning effective crisis management depends on clear political
guidance resources for sustained support will be difficult while priorities compete I would address
this by building trust with delegations staff across divisions ensuring that every team member
understands our objectives first office efficient influence difficulty affordable reflection flexible
long-term well-prepared deterrence defence resilience cooperation is an essential element workload
fifty budget procurement capability development interoperability standards missions national
authorities member states agency programme portfolio reform digital transformation cyber threats
climate energy supply chains logistics personnel recruitment retention training knowledge
governance accountability transparency audit risk assessment stakeholders communication public
diplomacy consensus committee council secretariat reporting timely accurate data analysis policy
implementation monitoring evaluation lessons learned innovation technology partnerships industry
academia civil society gender perspective integrity values leadership motivation culture change
workforce planning finance efficiency savings investment infrastructure headquarters field
deployment readiness exercise interagency regional global emerging disruptive legal framework
compliance procedures workflows tools platform information sharing classified unclassified
networks mandate scope timeline milestones deliverables quality review feedback improvement
continuous sustainable realistic ambitious balanced pragmatic inclusive collaborative responsive
proactive difficult complex uncertain volatile fragmented limited significant considerable
the the the of of of and and and to to to a a in in that that is is for for with with as as on on
by by be be will will our our this this it it we we are are have has can can should may more";

/// essaylib.py's HEADINGS.
const HEADINGS: &[&str] = &[
    "Context",
    "The main challenges",
    "Resources and priorities",
    "People and culture",
    "Working with partners",
    "Digital transformation",
    "Governance and accountability",
    "My approach",
    "First hundred days",
    "Risks",
    "Budget pressure",
    "Measuring success",
    "Communication",
    "Conclusion",
    "Change management",
    "Building trust",
    "Delivering results",
    "Coordination across divisions",
    "Long-term resilience",
    "Lessons learned",
];

/// essaylib.py's target_pages.
const TARGET_PAGES: &[f64] = &[
    0.55, 0.9, 0.95, 0.98, 1.0, 1.02, 1.05, 1.1, 1.5, 1.9, 1.95, 1.98, 2.0, 2.02, 2.05, 2.1, 2.5,
    2.8,
];

/// xorshift64*: small, seeded, the same on every machine.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Rng {
        let mut r = Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
        for _ in 0..4 {
            r.next();
        }
        r
    }
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    /// In [0, 1).
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
    fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }
    /// In lo..=hi.
    fn range(&mut self, lo: usize, hi: usize) -> usize {
        lo + (self.next() % (hi - lo + 1) as u64) as usize
    }
    fn pick<T: Copy>(&mut self, xs: &[T]) -> T {
        xs[(self.next() % xs.len() as u64) as usize]
    }
}

/// essaylib.sentence.
fn sentence(r: &mut Rng, words: &[&str]) -> String {
    let n = r.range(8, 26);
    let mut out: Vec<String> = Vec::with_capacity(n);
    for i in 0..n {
        let w = r.pick(words);
        let mut w = if i == 0 {
            let mut c = w.chars();
            let first = c.next().map(|f| f.to_uppercase().collect::<String>());
            first.unwrap_or_default() + c.as_str()
        } else {
            w.to_string()
        };
        if 2 < i && i + 2 < n && r.chance(0.07) {
            w.push(',');
        }
        out.push(w);
    }
    out.join(" ") + "."
}

/// essaylib.text_of: sentences until about `n` words.
fn text_of(r: &mut Rng, words: &[&str], n: usize) -> String {
    let mut out = Vec::new();
    let mut count = 0;
    while count < n {
        let s = sentence(r, words);
        count += s.split_whitespace().count();
        out.push(s);
    }
    out.join(" ")
}

enum Block {
    Title(String),
    H1(String),
    H2(String),
    /// A paragraph and maybe a footnote: (text before the mark, text after it, note).
    P(String, Option<(String, String)>),
    Bullets(Vec<String>),
    Numbers(Vec<String>),
    Table(Vec<Vec<String>>),
}

struct Features {
    h2: bool,
    lists: bool,
    table: bool,
    notes: bool,
}

/// essaylib.essay: the blocks of an essay of about `target` words.
fn essay(r: &mut Rng, words: &[&str], target: usize, f: &Features) -> Vec<Block> {
    let mut blocks = vec![Block::Title("Key challenges".into())];
    let mut count = 2;
    let mut heads: Vec<&str> = HEADINGS.to_vec();
    for i in (1..heads.len()).rev() {
        heads.swap(i, r.range(0, i));
    }
    let para_len = r.pick(&[(20, 60), (40, 120), (60, 180), (30, 200)]);
    let mut notes_left = if f.notes { r.range(1, 3) } else { 0 };
    let (mut did_list, mut did_table) = (false, false);
    let n = r.range(para_len.0, para_len.1);
    let t = text_of(r, words, n);
    count += t.split_whitespace().count();
    blocks.push(Block::P(t, None));
    let mut hi = 0;
    while count < target {
        let h = heads[hi % heads.len()].to_string();
        hi += 1;
        count += h.split_whitespace().count();
        blocks.push(if f.h2 && r.chance(0.35) {
            Block::H2(h)
        } else {
            Block::H1(h)
        });
        for _ in 0..r.range(1, 4) {
            if count >= target {
                break;
            }
            let left = target - count;
            let roll = r.unit();
            if f.lists && (roll < 0.15 && !did_list || roll < 0.06) {
                did_list = true;
                let items: Vec<String> = (0..r.range(2, 5))
                    .map(|_| {
                        let n = r.range(5, 30);
                        text_of(r, words, n)
                    })
                    .collect();
                count += items
                    .iter()
                    .map(|i| i.split_whitespace().count())
                    .sum::<usize>();
                blocks.push(if r.chance(0.5) {
                    Block::Numbers(items)
                } else {
                    Block::Bullets(items)
                });
                continue;
            }
            if f.table && !did_table && 0.8 < roll && roll <= 0.9 {
                did_table = true;
                let cols = r.range(2, 3);
                let mut rows = vec![(0..cols).map(|_| r.pick(HEADINGS).to_string()).collect()];
                for _ in 0..r.range(2, 5) {
                    rows.push(
                        (0..cols)
                            .map(|_| {
                                let n = r.range(2, 14);
                                text_of(r, words, n)
                            })
                            .collect::<Vec<_>>(),
                    );
                }
                count += rows
                    .iter()
                    .flatten()
                    .map(|c| c.split_whitespace().count())
                    .sum::<usize>();
                blocks.push(Block::Table(rows));
                continue;
            }
            let n = r.range(para_len.0, para_len.1).min(left.max(8));
            let t = text_of(r, words, n);
            count += t.split_whitespace().count();
            if notes_left > 0 && r.chance(0.4) {
                notes_left -= 1;
                // the mark after the first sentence that ends past a third of the text
                let third = t.len() / 3;
                let cut = t[third..].find(". ").map_or(t.len(), |i| third + i + 1);
                let m = r.range(6, 60);
                let note = text_of(r, words, m);
                blocks.push(Block::P(
                    t[..cut].to_string(),
                    Some((t[cut..].to_string(), note)),
                ));
                continue;
            }
            blocks.push(Block::P(t, None));
        }
    }
    blocks
}

/// essaylib.words_per_page: a rough estimate (±15 %) of how many words fill one page.
fn words_per_page(
    font: &str,
    size_pt: f64,
    line: f64,
    width_pt: f64,
    height_pt: f64,
    after_pt: f64,
) -> f64 {
    let per_pt = match font {
        "Calibri" => 0.47,
        "Cambria" => 0.50,
        "Times New Roman" => 0.45,
        "Arial" => 0.50,
        _ => 0.48,
    };
    let words_per_line = width_pt / (per_pt * size_pt) / 6.1;
    let pitch = size_pt * 1.2 * line;
    let lines = height_pt / (pitch + after_pt / 5.0) * 0.93;
    lines * words_per_line
}

fn fonts(name: &str) -> RunFonts {
    RunFonts::new()
        .ascii(name)
        .hi_ansi(name)
        .cs(name)
        .east_asia(name)
}

/// Where the body's font, size and spacing are written.
#[derive(Clone, Copy, PartialEq)]
enum BodyAt {
    /// w:docDefaults.
    Defaults,
    /// A paragraph style of our own ("Body Text") on every body paragraph: docx-rs always writes
    /// an empty "Normal" style, and a second one would be ambiguous.
    BodyStyle,
    /// On every paragraph and run.
    Direct,
}

fn build(r: &mut Rng, words: &[&str], i: usize) -> Vec<u8> {
    let paper = r.pick(&["A4", "A4", "Letter"]);
    let (w, h) = if paper == "A4" {
        (11906u32, 16838u32)
    } else {
        (12240, 15840)
    };
    let margin = r.pick(&[1440, 1134, 1418, 1800, 1701]);
    let top = r.pick(&[1440, 1134, margin, 1985]);
    let bottom = r.pick(&[1440, 1134, margin]);
    let font = r.pick(&["Calibri", "Cambria", "Times New Roman", "Arial"]);
    let size: usize = r.pick(&[20, 21, 22, 22, 24, 24]); // half-points
    let at_least = r.chance(0.1);
    let line: i32 = r.pick(&[240, 240, 259, 264, 276, 288, 300, 312, 360]);
    let after: u32 = r.pick(&[0, 100, 120, 160, 200, 240]);
    let before: u32 = r.pick(&[0, 0, 0, 60, 120]);
    let first_line: i32 = r.pick(&[0, 0, 0, 284, 360, 567, 720]);
    let justify = r.chance(0.3);
    let widows = r.chance(0.7);
    let keep = r.chance(0.3);
    let body_at = r.pick(&[BodyAt::Defaults, BodyAt::BodyStyle, BodyAt::Direct]);
    let styled_heads = r.chance(0.5);
    let keep_heads = r.chance(0.6);
    let header = r.chance(0.4);
    let footer = r.chance(0.3);
    let features = Features {
        h2: r.chance(0.5),
        lists: r.chance(0.5),
        table: r.chance(0.25),
        notes: r.chance(0.15),
    };

    let mut spacing = LineSpacing::new().before(before).after(after);
    spacing = if at_least {
        // "at least" a little more than the font's own line: LibreOffice honours the minimum
        spacing
            .line(size as i32 * 14)
            .line_rule(LineSpacingType::AtLeast)
    } else {
        spacing.line(line).line_rule(LineSpacingType::Auto)
    };

    let mut docx = Docx::new()
        .page_size(w, h)
        .page_margin(
            PageMargin::new()
                .top(top)
                .bottom(bottom)
                .left(margin)
                .right(margin)
                .header(r.pick(&[708, 720, 851]))
                .footer(r.pick(&[708, 720, 992])),
        )
        .created_at("2024-01-01T00:00:00Z")
        .updated_at("2024-01-01T00:00:00Z");
    let body_style = match body_at {
        BodyAt::Defaults => {
            docx = docx
                .default_fonts(fonts(font))
                .default_size(size)
                .default_line_spacing(spacing.clone());
            None
        }
        BodyAt::BodyStyle => {
            // a font in the defaults that the style overrides, as templates have
            docx = docx
                .default_fonts(fonts("Times New Roman"))
                .default_size(24);
            docx = docx.add_style(
                Style::new("BodyText", StyleType::Paragraph)
                    .name("Body Text")
                    .fonts(fonts(font))
                    .size(size)
                    .line_spacing(spacing.clone()),
            );
            Some("BodyText")
        }
        BodyAt::Direct => None,
    };
    let direct = body_at == BodyAt::Direct;
    let head_size = |level: usize| match level {
        0 => size + step(size, 12),
        1 => size + step(size, 6),
        _ => size + 2,
    };
    if styled_heads {
        for (id, name, level) in [
            ("Title", "Title", 0),
            ("Heading1", "heading 1", 1),
            ("Heading2", "heading 2", 2),
        ] {
            let mut s = Style::new(id, StyleType::Paragraph)
                .name(name)
                .bold()
                .size(head_size(level))
                .line_spacing(
                    LineSpacing::new()
                        .before(if level == 0 { 0 } else { 240 })
                        .after(if level == 0 { 240 } else { 120 })
                        .line(240)
                        .line_rule(LineSpacingType::Auto),
                );
            if let Some(b) = body_style {
                s = s.based_on(b);
            } else {
                s = s.fonts(fonts(font));
            }
            if level > 0 {
                s = s.outline_lvl(level - 1);
            }
            docx = docx.add_style(s);
        }
    }
    // lists: 1 bullets, 2 decimal
    let list_indent = r.pick(&[(720, 360), (567, 283), (360, 360)]);
    if features.lists {
        let level = |fmt: &str, text: &str| {
            Level::new(
                0,
                Start::new(1),
                NumberFormat::new(fmt),
                LevelText::new(text),
                LevelJc::new("left"),
            )
            .indent(
                Some(list_indent.0),
                Some(SpecialIndentType::Hanging(list_indent.1)),
                None,
                None,
            )
        };
        docx = docx
            .add_abstract_numbering(AbstractNumbering::new(1).add_level(level("bullet", "•")))
            .add_numbering(Numbering::new(1, 1))
            .add_abstract_numbering(AbstractNumbering::new(2).add_level(level("decimal", "%1.")))
            .add_numbering(Numbering::new(2, 2));
    }
    if header {
        let p = Paragraph::new()
            .add_run(
                Run::new().add_text(format!("Vacancy {} | Key challenges | page ", 270000 + i)),
            )
            .add_page_num(PageNum::new())
            .align(AlignmentType::Right);
        docx = docx.header(Header::new().add_paragraph(if direct {
            p.fonts(fonts(font)).size(size)
        } else {
            p
        }));
    }
    if footer {
        let p = Paragraph::new()
            .add_page_num(PageNum::new())
            .align(AlignmentType::Center);
        docx = docx.footer(Footer::new().add_paragraph(p));
    }

    // the amount of text
    let line_factor = if at_least { 1.0 } else { line as f64 / 240.0 };
    let wpp = words_per_page(
        font,
        size as f64 / 2.0,
        line_factor,
        (w as f64 - 2.0 * margin as f64) / 20.0,
        (h as f64 - top as f64 - bottom as f64) / 20.0,
        (after + before) as f64 / 20.0,
    );
    let target = (wpp * CALIBRATION * r.pick(TARGET_PAGES) * (0.95 + 0.1 * r.unit())) as usize;
    let blocks = essay(r, words, target, &features);

    // a body paragraph: style or direct formatting
    let body = |p: Paragraph| -> Paragraph {
        let p = if let Some(s) = body_style {
            p.style(s)
        } else {
            p
        };
        if direct {
            p.fonts(fonts(font))
                .size(size)
                .line_spacing(spacing.clone())
        } else {
            p
        }
    };
    let run = |t: &str| -> Run {
        let run = Run::new().add_text(t);
        if direct {
            run.fonts(fonts(font)).size(size)
        } else {
            run
        }
    };
    let heading = |text: &str, level: usize, rng: &mut Rng| -> Paragraph {
        let p = if styled_heads {
            let id = ["Title", "Heading1", "Heading2"][level];
            let run = if direct {
                Run::new().fonts(fonts(font))
            } else {
                Run::new()
            };
            Paragraph::new().style(id).add_run(run.add_text(text))
        } else {
            let run = run(text).bold().size(head_size(level));
            body(Paragraph::new().add_run(run)).line_spacing(
                LineSpacing::new()
                    .before(if level == 0 {
                        0
                    } else {
                        rng.pick(&[120, 240, 360])
                    })
                    .after(rng.pick(&[60, 120, 240]))
                    .line(240)
                    .line_rule(LineSpacingType::Auto),
            )
        };
        let p = if level == 0 && rng.chance(0.5) {
            p.align(AlignmentType::Center)
        } else {
            p
        };
        if keep_heads {
            p.keep_next(true)
        } else {
            p
        }
    };
    for b in &blocks {
        match b {
            Block::Title(t) => docx = docx.add_paragraph(heading(t, 0, r)),
            Block::H1(t) => docx = docx.add_paragraph(heading(t, 1, r)),
            Block::H2(t) => docx = docx.add_paragraph(heading(t, 2, r)),
            Block::P(t, note) => {
                let mut p = body(Paragraph::new()).add_run(run(t));
                if let Some((rest, note)) = note {
                    let mut footnote = Footnote::new();
                    footnote.add_content(
                        Paragraph::new().add_run(run(note).size(size.saturating_sub(4).max(16))),
                    );
                    p = p
                        .add_run(run("").add_footnote_reference(footnote))
                        .add_run(run(rest));
                }
                if first_line > 0 {
                    p = p.indent(
                        None,
                        Some(SpecialIndentType::FirstLine(first_line)),
                        None,
                        None,
                    );
                }
                if justify {
                    p = p.align(AlignmentType::Both);
                }
                if keep && r.chance(0.3) {
                    p = p.keep_lines(true);
                }
                if !widows {
                    p = p.widow_control(false);
                }
                docx = docx.add_paragraph(p);
            }
            Block::Bullets(items) | Block::Numbers(items) => {
                let id = if matches!(b, Block::Bullets(_)) { 1 } else { 2 };
                for t in items {
                    let mut p = body(Paragraph::new())
                        .add_run(run(t))
                        .numbering(NumberingId::new(id), IndentLevel::new(0));
                    if !widows {
                        p = p.widow_control(false);
                    }
                    docx = docx.add_paragraph(p);
                }
            }
            Block::Table(rows) => {
                let cols = rows[0].len();
                let width = (w as usize - 2 * margin as usize) / cols;
                let trs = rows
                    .iter()
                    .enumerate()
                    .map(|(ri, row)| {
                        TableRow::new(
                            row.iter()
                                .map(|c| {
                                    let rn = if ri == 0 { run(c).bold() } else { run(c) };
                                    TableCell::new()
                                        .width(width, WidthType::Dxa)
                                        .add_paragraph(body(Paragraph::new()).add_run(rn))
                                })
                                .collect(),
                        )
                    })
                    .collect();
                docx = docx.add_table(Table::new(trs).set_grid(vec![width; cols]));
                // Word needs a paragraph between a table and what follows; so does the essay
                docx = docx.add_paragraph(body(Paragraph::new()));
            }
        }
    }
    let mut out = std::io::Cursor::new(Vec::new());
    docx.build().pack(&mut out).expect("docx-rs writes a .docx");
    out.into_inner()
}

/// A heading's extra size in half-points: `step` for an 11 pt body, in proportion for others,
/// rounded to a whole point.
fn step(size: usize, step: usize) -> usize {
    (size * step / 22 + 1) & !1
}

/// Writes `count` essays into `dir` (its old .docx files removed first).
pub fn generate(dir: &str, count: usize) {
    let words: Vec<&str> = WORDS.split_whitespace().collect();
    std::fs::create_dir_all(dir).expect("output folder");
    for e in std::fs::read_dir(dir).expect("output folder").flatten() {
        if e.path().extension().is_some_and(|x| x == "docx") {
            std::fs::remove_file(e.path()).expect("remove an old file");
        }
    }
    for i in 0..count {
        let mut r = Rng::new(SEED * 1000 + i as u64);
        let bytes = build(&mut r, &words, i);
        std::fs::write(format!("{dir}/{i:03}.docx"), bytes).expect("write a .docx");
    }
    println!("docx-rs: {count} files in {dir}");
}
