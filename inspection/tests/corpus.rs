//! Runs the inspection over the shared real-world corpus (`testkit::ci::corpus_dir`). Skipped
//! when it is absent, except under CI, where that fails.
mod corpus_support;

#[test]
fn corpus_agreement() {
    if testkit::ci::corpus().is_none() {
        return;
    }
    let r = corpus_support::run(false).expect("the corpus manifest has the expected columns");
    println!("{}", r.summary());
    assert!(r.files >= 1);
    assert!(
        r.format.bad.is_empty(),
        "format mismatches: {:?}",
        r.format.bad
    );
    assert!(
        r.encrypted.bad.is_empty(),
        "encrypted mismatches: {:?}",
        r.encrypted.bad
    );
    assert!(r.pdf.bad.is_empty(), "PDF mismatches: {:?}", r.pdf.bad);
    // Speed is a benchmark figure (`--example corpus_report` on the release build), not a test: a
    // busy machine running the debug build is many times slower. Only a hang fails here.
    assert!(
        r.slowest.0.as_secs_f64() < 120.0,
        "slowest file {} took {:?} (hangs?)",
        r.slowest.1,
        r.slowest.0
    );
    // Every .docx of the corpus with a reference gets LibreOffice's page count.
    assert_eq!(
        r.docx.exact, r.docx.checked,
        "DOCX page counts differ from LibreOffice: {:?}",
        r.docx.bad
    );
}
