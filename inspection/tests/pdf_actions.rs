//! JavaScript and Launch actions are found wherever a PDF writes them, not only as objects of
//! their own: a page's `/AA`, an annotation inline in `/Annots`, a `/Next` chain.
use inspection::{inspect, Limits};

/// A one-page A4 PDF whose page dictionary gets `page_extra`, with a correct xref table.
fn pdf_with_page(page_extra: &str) -> Vec<u8> {
    let objects = [
        "<< /Type /Catalog /Pages 2 0 R >>".to_string(),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_string(),
        format!("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] {page_extra} >>"),
    ];
    let mut out = b"%PDF-1.7\n".to_vec();
    let mut offsets = Vec::new();
    for (i, body) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n{body}\nendobj\n", i + 1).as_bytes());
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
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .as_bytes(),
    );
    out
}

#[test]
fn actions_are_found_at_any_depth() {
    // (why, page dictionary entries, JavaScript expected, Launch expected)
    let table = [
        ("a plain page", "", false, false),
        ("page open action in /AA", "/AA << /O << /S /JavaScript /JS (app.alert(1)) >> >>", true, false),
        ("annotation inline in /Annots", "/Annots [ << /Type /Annot /Subtype /Link /Rect [0 0 10 10] /A << /S /Launch /F (cmd.exe) >> >> ]", false, true),
        ("JavaScript at the end of a /Next chain", "/AA << /C << /S /GoTo /D [3 0 R /Fit] /Next << /S /GoTo /D [3 0 R /Fit] /Next [ << /S /JavaScript /JS (x) >> ] >> >> >>", true, false),
    ];
    for (why, extra, javascript, launch) in table {
        let inspection = inspect(&pdf_with_page(extra), "essay.pdf", &Limits::default());
        assert_eq!(
            inspection.facts.pages,
            Some(1),
            "{why}: {:?}",
            inspection.facts.problems
        );
        assert_eq!(inspection.details.has_javascript, javascript, "{why}");
        assert_eq!(inspection.details.has_launch_action, launch, "{why}");
    }
}
