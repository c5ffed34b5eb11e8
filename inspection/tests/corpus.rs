//! Runs the inspection over the shared real-world corpus (skipped when absent).
mod corpus_support;

#[test]
fn corpus_agreement() {
    let Some(r) = corpus_support::run(false) else {
        println!("SKIPPED: corpus not found at {}", corpus_support::CORPUS);
        return;
    };
    println!("{}", r.summary());
    assert!(r.files >= 1);
    assert!(
        r.format_bad.is_empty(),
        "format mismatches: {:?}",
        r.format_bad
    );
    assert!(
        r.encrypted_bad.is_empty(),
        "encrypted mismatches: {:?}",
        r.encrypted_bad
    );
    assert!(r.pdf_bad.is_empty(), "PDF mismatches: {:?}", r.pdf_bad);
    // Speed is a benchmark figure (`--example corpus_report` on the release build), not a test: a
    // busy machine running the debug build is many times slower. Only a hang fails here.
    assert!(
        r.slowest.0.as_secs_f64() < 120.0,
        "slowest file {} took {:?} (hangs?)",
        r.slowest.1,
        r.slowest.0
    );
    // DOCX agreement is reported above; guard against regressions.
    assert!(
        r.docx_within1 * 100 >= r.docx_checked * 95,
        "DOCX ±1 agreement fell"
    );
}
