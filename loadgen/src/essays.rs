//! Essays with distinct bytes per upload (so each has its own SHA-256): DOCX from the test fixtures
//! with a unique zip comment, and PDFs generated here with a unique title.

use rand::RngCore;

pub const TWO_PAGES_DOCX: &[u8] = include_bytes!("../../tests/fixtures/two-pages-a4.docx");
pub const THREE_PAGES_DOCX: &[u8] = include_bytes!("../../tests/fixtures/three-pages-a4.docx");
pub const A4: (f64, f64) = (595.28, 841.89);

/// A DOCX (a zip) with `comment` as its archive comment: same document, different bytes.
pub fn docx_with_comment(docx: &[u8], comment: &str) -> Vec<u8> {
    let eocd = docx
        .windows(4)
        .rposition(|w| w == b"PK\x05\x06")
        .expect("a zip end-of-central-directory record");
    let mut out = docx[..eocd + 20].to_vec();
    out.extend_from_slice(&(comment.len() as u16).to_le_bytes());
    out.extend_from_slice(comment.as_bytes());
    out
}

/// A PDF with one text line per page, a unique `/Title`, and optionally an unreferenced padding
/// stream of `pad` random bytes (for the large-upload mode).
pub fn pdf(pages: &[(f64, f64)], title: &str, pad: usize) -> Vec<u8> {
    let mut objects: Vec<Vec<u8>> = vec![
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        format!(
            "<< /Type /Pages /Kids [{}] /Count {} >>",
            (0..pages.len())
                .map(|i| format!("{} 0 R", 5 + 2 * i))
                .collect::<Vec<_>>()
                .join(" "),
            pages.len()
        )
        .into_bytes(),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_vec(),
        format!("<< /Title ({title}) /Producer (loadgen) >>").into_bytes(),
    ];
    for (i, (w, h)) in pages.iter().enumerate() {
        let text = format!(
            "BT /F1 12 Tf 72 {} Td (Key challenges page {} of {title}) Tj ET",
            h - 72.0,
            i + 1
        );
        objects.push(
            format!(
                "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {w} {h}] /Resources << /Font << /F1 3 0 R >> >> /Contents {} 0 R >>",
                6 + 2 * i
            )
            .into_bytes(),
        );
        objects.push(
            format!(
                "<< /Length {} >>\nstream\n{text}\nendstream",
                text.len() + 1
            )
            .into_bytes(),
        );
    }
    if pad > 0 {
        let mut noise = vec![0u8; pad];
        rand::thread_rng().fill_bytes(&mut noise);
        let mut object = format!("<< /Length {pad} >>\nstream\n").into_bytes();
        object.extend_from_slice(&noise);
        object.extend_from_slice(b"\nendstream");
        objects.push(object);
    }
    write_pdf(&objects, "/Info 4 0 R")
}

/// Writes `objects` (numbered from 1; object 1 is the catalog) as a PDF with a correct
/// cross-reference table, and `trailer_extra` in the trailer dictionary.
pub fn write_pdf(objects: &[Vec<u8>], trailer_extra: &str) -> Vec<u8> {
    let mut out = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n".to_vec();
    let mut offsets = Vec::new();
    for (i, object) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n", i + 1).as_bytes());
        out.extend_from_slice(object);
        out.extend_from_slice(b"\nendobj\n");
    }
    let xref = out.len();
    out.extend_from_slice(
        format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes(),
    );
    for offset in offsets {
        out.extend_from_slice(format!("{offset:010} 00000 n \n").as_bytes());
    }
    out.extend_from_slice(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R {trailer_extra} >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .as_bytes(),
    );
    out
}

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
        (9, 9) => (
            good_name("docx"),
            docx_with_comment(THREE_PAGES_DOCX, &tag),
            false,
        ),
        (9, _) => (format!("essay {n}.pdf"), pdf(&[A4, A4], &tag, 0), false),
        _ if n.is_multiple_of(2) => (
            good_name("docx"),
            docx_with_comment(TWO_PAGES_DOCX, &tag),
            true,
        ),
        _ => (good_name("pdf"), pdf(&[A4, A4], &tag, 0), true),
    }
}
