//! Essays with distinct bytes per upload (so each has its own SHA-256): DOCX of two or three
//! pages and PDFs of two A4 pages, each saying a tag of its own.

use testkit::pdf::{essay as pdf, A4};

/// Upload number `n` of a rush against vacancy `reference`: file name, bytes, and whether the
/// vacancy's rules should accept it. One in ten breaks a rule (three pages, or a wrong name);
/// the rest alternate DOCX and PDF. With `pad_to` > 0 every upload is a PDF of about that size.
pub fn essay(n: usize, reference: &str, pad_to: usize) -> (String, Vec<u8>, bool) {
    let good_name = |ext: &str| format!("{reference} Key challenges {n}.{ext}");
    let tag = format!("loadgen {n} {}", rand::random::<u64>());
    if pad_to > 0 {
        let base = pdf(&[A4, A4], &tag, 0).len();
        return (
            good_name("pdf"),
            pdf(&[A4, A4], &tag, pad_to.saturating_sub(base + 64)),
            true,
        );
    }
    match (n % 10, n % 20) {
        (9, 9) => (good_name("docx"), testkit::docx::pages(3, &tag), false),
        (9, _) => (format!("essay {n}.pdf"), pdf(&[A4, A4], &tag, 0), false),
        _ if n.is_multiple_of(2) => (good_name("docx"), testkit::docx::pages(2, &tag), true),
        _ => (good_name("pdf"), pdf(&[A4, A4], &tag, 0), true),
    }
}
