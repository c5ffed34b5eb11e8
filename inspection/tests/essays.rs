//! Our own essay-like DOCX files near the 1- and 2-page limits, checked against LibreOffice's
//! page count recorded in tests/essays/reference.csv (made by tools/make_reference.sh).
mod corpus_support;
use inspection::{inspect, Limits};

#[test]
fn essays_match_libreoffice() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/essays");
    let Ok(csv) = std::fs::read_to_string(format!("{dir}/reference.csv")) else {
        println!("SKIPPED: no reference.csv");
        return;
    };
    let rows = corpus_support::parse_csv(&csv);
    let (mut n, mut exact, mut within1, mut starts_ok) = (0, 0, 0, 0);
    let mut bad = Vec::new();
    let mut bad_starts = Vec::new();
    for row in rows.iter().skip(1) {
        let (Some(file), Some(pages)) =
            (row.first(), row.get(1).and_then(|p| p.parse::<u32>().ok()))
        else {
            continue;
        };
        let bytes = std::fs::read(format!("{dir}/{file}")).expect("essay file");
        let ins = inspect(&bytes, file, &Limits::default());
        let got = ins.facts.pages.unwrap_or(0);
        n += 1;
        if got == pages {
            exact += 1;
        } else {
            bad.push(format!("{file}: {got} vs {pages}"));
        }
        if got.abs_diff(pages) <= 1 {
            within1 += 1;
        }
        // first word of each page
        let refs: Vec<&str> = row
            .get(2)
            .map(|s| s.split(" | ").collect())
            .unwrap_or_default();
        let ok = refs.len() == ins.facts.page_starts.len()
            && refs.iter().zip(&ins.facts.page_starts).all(|(r, g)| {
                r.split_whitespace().next().unwrap_or("")
                    == g.split_whitespace().next().unwrap_or("")
            });
        starts_ok += ok as usize;
        if !ok {
            bad_starts.push(format!("{file}: {:?} vs {refs:?}", ins.facts.page_starts));
        }
    }
    println!(
        "essays: {n}; page count exact {exact}/{n}, within ±1 {within1}/{n}; first word of every page {starts_ok}/{n}; mismatches {bad:?}; first-word mismatches {bad_starts:#?}"
    );
    // Measured: every essay has LibreOffice's page count and the same first word on every page.
    assert!(n >= 120, "essay set shrank: {n}");
    assert_eq!(within1, n, "an essay is off by more than one page");
    assert_eq!(exact, n, "page count differs from LibreOffice: {bad:?}");
    assert_eq!(
        starts_ok, n,
        "first word of a page differs from LibreOffice: {bad_starts:#?}"
    );
}
