//! Hostile PDFs: deep nesting, reference loops, huge page counts, actions, encryption. Written
//! object by object with [`raw`], since how each object is written is the point.

use super::{Case, Finding, REFUSED, REFUSED_OR_ACCEPTED};
use crate::pdf::{raw, with_page};

const CATALOG: &str = "<< /Type /Catalog /Pages 2 0 R >>";
const ONE_KID: &str = "<< /Type /Pages /Kids [3 0 R] /Count 1 >>";
const UNREADABLE: Finding = Finding::Problems(&["unreadable"]);
const A4_PAGE: &str = "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595.28 841.89] >>";

/// Actions written inline, where a scan of top-level objects never looked: (case, entries of
/// the page dictionary, whether it holds JavaScript, whether it holds a Launch action).
pub const PDF_ACTIONS: [(&str, &str, bool, bool); 4] = [
    (
        "PDF: JavaScript in a page's /AA open action",
        "/AA << /O << /S /JavaScript /JS (app.alert(1)) >> >>",
        true,
        false,
    ),
    (
        "PDF: Launch action inline in /Annots",
        "/Annots [ << /Type /Annot /Subtype /Link /Rect [0 0 10 10] /A << /S /Launch /F (cmd.exe) >> >> ]",
        false,
        true,
    ),
    (
        "PDF: JavaScript at the end of a /Next chain",
        "/AA << /C << /S /GoTo /D [3 0 R /Fit] /Next [ << /S /JavaScript /JS (x) >> ] >> >>",
        true,
        false,
    ),
    (
        "PDF: JavaScript two links down a /Next chain",
        "/AA << /C << /S /GoTo /D [3 0 R /Fit] /Next << /S /GoTo /D [3 0 R /Fit] /Next [ << /S /JavaScript /JS (x) >> ] >> >> >>",
        true,
        false,
    ),
];

fn three(kids: &str, page: &str) -> Vec<u8> {
    raw(&[CATALOG, kids, page], "")
}

fn many_pages(pages: usize) -> Vec<u8> {
    let kids: Vec<String> = (0..pages).map(|i| format!("{} 0 R", i + 3)).collect();
    let mut objects = vec![
        CATALOG.to_owned(),
        format!(
            "<< /Type /Pages /Kids [{}] /Count {pages} >>",
            kids.join(" ")
        ),
    ];
    objects.extend((0..pages).map(|_| A4_PAGE.to_owned()));
    raw(&objects, "")
}

pub(super) fn cases() -> Vec<Case> {
    let depth = 200_000;
    let nested_arrays = format!(
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595.28 841.89] /X {}{} >>",
        "[".repeat(depth),
        "]".repeat(depth)
    );
    let nested_dictionaries = format!(
        "<< /Type /Pages /Kids [3 0 R] /Count 1 /X {}1{} >>",
        "<< /A ".repeat(100_000),
        " >>".repeat(100_000)
    );
    let mut cases =
        vec![
        Case::new(
            "PDF nested 200 000 arrays deep",
            "pdf",
            three(ONE_KID, &nested_arrays),
            REFUSED,
            UNREADABLE,
        ),
        Case::new(
            "PDF nested 100 000 dictionaries deep",
            "pdf",
            three(&nested_dictionaries, A4_PAGE),
            REFUSED,
            UNREADABLE,
        ),
        Case::new(
            "PDF page tree loop (Pages kids itself)",
            "pdf",
            three("<< /Type /Pages /Kids [2 0 R 3 0 R] /Count 2 >>", A4_PAGE),
            REFUSED,
            UNREADABLE,
        ),
        Case::new(
            "PDF two-node page tree cycle",
            "pdf",
            three(
                "<< /Type /Pages /Kids [3 0 R] /Count 2 >>",
                "<< /Type /Pages /Parent 2 0 R /Kids [2 0 R] /Count 2 >>",
            ),
            REFUSED,
            UNREADABLE,
        ),
        Case::new(
            "PDF reference loop (/Length 4 0 R in 4 0 obj)",
            "pdf",
            raw(
                &[
                    CATALOG,
                    ONE_KID,
                    "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595.28 841.89] /Contents 4 0 R >>",
                    "<< /Length 4 0 R >>\nstream\nBT ET\nendstream",
                ],
                "",
            ),
            REFUSED_OR_ACCEPTED,
            Finding::Anything,
        ),
        Case::new(
            "PDF claiming /Count 2 000 000 000",
            "pdf",
            three("<< /Type /Pages /Kids [3 0 R] /Count 2000000000 >>", A4_PAGE),
            REFUSED_OR_ACCEPTED,
            Finding::Anything,
        ),
        Case::new(
            "PDF with 60 000 real pages",
            "pdf",
            many_pages(60_000),
            REFUSED,
            Finding::Problems(&["too-complex"]),
        ),
    ];
    for (name, page_extra, javascript, _) in PDF_ACTIONS {
        let finding = if javascript {
            Finding::JavaScript
        } else {
            Finding::Launch
        };
        cases.push(Case::new(
            name,
            "pdf",
            with_page(page_extra),
            REFUSED,
            finding,
        ));
    }
    cases.push(Case::new(
        "encrypted PDF (/Encrypt in trailer)",
        "pdf",
        raw(
            &[
                CATALOG,
                ONE_KID,
                A4_PAGE,
                "<< /Filter /Standard /V 2 /R 3 /Length 128 /O <00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff> /U <00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff> /P -44 >>",
            ],
            "/Encrypt 4 0 R /ID [<0123456789abcdef0123456789abcdef> <0123456789abcdef0123456789abcdef>]",
        ),
        REFUSED,
        Finding::Problems(&["encrypted"]),
    ));
    cases
}
