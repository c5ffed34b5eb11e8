//! Essay-like .docx files from several producers (LibreOffice from FODT and HTML, pandoc with
//! its own and custom reference docs, python-docx, real Word-saved files from the shared corpus
//! with their body replaced), checked against LibreOffice's page count and the first words of
//! each page recorded in tests/producers/reference.csv.
//!
//! Regenerate (needs LibreOffice, pandoc, python-docx, poppler-utils and the Carlito, Caladea and
//! Liberation fonts): `bash inspection/tools/producers/make_all.sh`. The docx-rs producer is
//! written by the ignored test `generate_docx_rs_essays` below (docx-rs through testkit's
//! re-export; the generator is tools/producers/gen_docx_rs.rs).
mod corpus_support;
#[path = "../tools/producers/gen_docx_rs.rs"]
mod gen_docx_rs;
use inspection::{inspect, Limits, PageCountSource};
use std::collections::BTreeMap;

const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/producers");

/// Measured floors from `cargo test -p inspection --test producers -- --nocapture`:
/// (producer, files, page count exact, first word of every page equal). Raise a floor when the
/// engine improves; never lower one without saying why.
const FLOORS: &[(&str, usize, usize, usize)] = &[
    ("libreoffice", 105, 105, 104),
    ("pandoc", 105, 105, 105),
    ("python-docx", 105, 105, 104),
    // 26 of these use fonts without a metric twin (Yu Mincho, DengXian, Aptos): measured with
    // DejaVu Sans as LibreOffice draws them (see `fonts`), still reported as estimates.
    ("word-templates", 105, 105, 101),
    ("docx-rs", 105, 105, 105),
];

#[derive(Default)]
struct Tally {
    n: usize,
    exact: usize,
    /// Files whose fonts are all measured exactly (no `estimate` problem), and of them exact.
    measured: usize,
    measured_exact: usize,
    within1: usize,
    starts_ok: usize,
    bad: Vec<String>,
    bad_starts: Vec<String>,
}

/// A list label: a bullet (any token without letters or digits, such as "•" or Symbol's
/// U+F0B7) or a number like "2.", "b)", "iv.".
fn is_label(w: &str) -> bool {
    let Some(stem) = w.strip_suffix(['.', ')']) else {
        return !w.chars().any(char::is_alphanumeric);
    };
    !stem.is_empty()
        && (stem.chars().all(|c| c.is_ascii_digit())
            || stem.chars().count() == 1 && stem.chars().all(|c| c.is_ascii_alphabetic())
            || stem.chars().all(|c| "ivxlc".contains(c)))
}

/// The first word of a page's text after its list label, if any: reference.csv holds the body
/// text without labels (tools/producers/make_reference.py), the engine's page starts hold the
/// label's text.
fn first_word(s: &str) -> &str {
    s.split_whitespace().find(|w| !is_label(w)).unwrap_or("")
}

#[test]
fn producers_match_libreoffice() {
    let Ok(csv) = std::fs::read_to_string(format!("{DIR}/reference.csv")) else {
        println!("SKIPPED: no reference.csv");
        return;
    };
    let rows = corpus_support::parse_csv(&csv);
    let mut by: BTreeMap<String, Tally> = BTreeMap::new();
    for row in rows.iter().skip(1) {
        let (Some(file), Some(producer), Some(pages)) = (
            row.first(),
            row.get(1),
            row.get(2).and_then(|p| p.parse::<u32>().ok()),
        ) else {
            continue;
        };
        let bytes = std::fs::read(format!("{DIR}/{file}")).expect("producer file");
        let ins = inspect(&bytes, file, &Limits::default());
        let t = by.entry(producer.clone()).or_default();
        let got = ins.facts.pages.unwrap_or(0);
        let source = match ins.facts.page_count_source {
            Some(PageCountSource::Layout) | None => String::new(),
            Some(s) => format!(" ({s:?})"),
        };
        t.n += 1;
        let estimate = ins
            .facts
            .problems
            .iter()
            .any(|p| p.code == inspection::ProblemCode::Estimate);
        if !estimate {
            t.measured += 1;
            t.measured_exact += (got == pages) as usize;
        }
        if got == pages {
            t.exact += 1;
        } else {
            t.bad.push(format!("{file}: {got} vs {pages}{source}"));
        }
        if got.abs_diff(pages) <= 1 {
            t.within1 += 1;
        }
        // first word of each page
        let refs: Vec<&str> = row
            .get(3)
            .map(|s| s.split(" | ").collect())
            .unwrap_or_default();
        let ok = refs.len() == ins.facts.page_starts.len()
            && refs
                .iter()
                .zip(&ins.facts.page_starts)
                .all(|(r, g)| first_word(r) == first_word(g));
        t.starts_ok += ok as usize;
        if !ok {
            t.bad_starts
                .push(format!("{file}: {:?} vs {refs:?}", ins.facts.page_starts));
        }
    }
    let mut all = Tally::default();
    for (producer, t) in &by {
        let n = t.n;
        println!(
            "{producer}: {n} files; page count exact {}/{n} ({}/{} where every font is measured), within ±1 {}/{n}; first word of every page {}/{n}\n  page-count mismatches {:?}\n  first-word mismatches {:#?}",
            t.exact, t.measured_exact, t.measured, t.within1, t.starts_ok, t.bad, t.bad_starts
        );
        all.n += t.n;
        all.exact += t.exact;
        all.measured += t.measured;
        all.measured_exact += t.measured_exact;
        all.within1 += t.within1;
        all.starts_ok += t.starts_ok;
    }
    let n = all.n;
    println!(
        "all producers: {n} files; page count exact {}/{n} ({}/{} where every font is measured), within ±1 {}/{n}; first word of every page {}/{n}",
        all.exact, all.measured_exact, all.measured, all.within1, all.starts_ok
    );
    assert!(n >= 400, "producer set shrank: {n} files");
    // Never more than one page off, and exact wherever the fonts are measured exactly.
    assert_eq!(all.within1, n, "a document is more than one page off");
    assert_eq!(
        all.measured_exact, all.measured,
        "a page count differs from LibreOffice on a document whose fonts are measured exactly"
    );
    assert!(by.len() >= 5, "producers missing: {:?}", by.keys());
    for &(producer, files, exact, starts) in FLOORS {
        let t = by
            .get(producer)
            .unwrap_or_else(|| panic!("no files of producer {producer}"));
        assert!(t.n >= files, "{producer}: {} files, expected {files}", t.n);
        assert!(
            t.exact >= exact,
            "{producer}: page count exact {}/{} fell below the measured floor {exact}: {:?}",
            t.exact,
            t.n,
            t.bad
        );
        assert!(
            t.starts_ok >= starts,
            "{producer}: first words {}/{} fell below the measured floor {starts}: {:#?}",
            t.starts_ok,
            t.n,
            t.bad_starts
        );
    }
}

/// Prints the inspection of the producer files named in `PRODUCER_FILES` (paths relative to
/// tests/producers/, separated by spaces) as JSON, for comparing with LibreOffice's PDF:
/// `PRODUCER_FILES="pandoc/003.docx" cargo test -p inspection --test producers -- --ignored --nocapture inspect_producer_files`
#[test]
#[ignore]
fn inspect_producer_files() {
    let files = std::env::var("PRODUCER_FILES").unwrap_or_default();
    for file in files.split_whitespace() {
        let bytes = std::fs::read(format!("{DIR}/{file}")).expect("producer file");
        let ins = inspect(&bytes, file, &Limits::default());
        println!(
            "{file}: {}",
            serde_json::to_string_pretty(&ins.facts).unwrap_or_default()
        );
    }
}

/// Writes the docx-rs producer's essays, tests/producers/docx-rs/NNN.docx (then
/// `python3 inspection/tools/producers/make_reference.py docx-rs` for their reference rows):
/// `cargo test -p inspection --test producers -- --ignored generate_docx_rs_essays`
#[test]
#[ignore]
fn generate_docx_rs_essays() {
    gen_docx_rs::generate(&format!("{DIR}/docx-rs"), 105);
}
