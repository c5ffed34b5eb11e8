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
pub const PDF_ACTIONS: [(&str, &str, bool, bool); 6] = [
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
        "PDF: a link whose address is javascript:",
        "/Annots [ << /Type /Annot /Subtype /Link /Rect [0 0 10 10] /A << /S /URI /URI ( JavaScript:app.alert\\(1\\)) >> >> ]",
        true,
        false,
    ),
    (
        "PDF: rich media (Flash) annotation",
        "/Annots [ << /Type /Annot /Subtype /RichMedia /Rect [0 0 10 10] /RichMediaContent << /Assets << /Names [] >> >> >> ]",
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

/// Active content the first scans missed (second adversarial review, finding 1), each a one-page
/// PDF holding JavaScript: (case, file).
pub fn active_content() -> Vec<(&'static str, Vec<u8>)> {
    // A /Next chain 70 actions deep, each inline in the one before: the old scan stopped at 64.
    let chain = format!(
        "/AA << /O {}<< /S /JavaScript /JS (app.alert(1)) >>{} >>",
        "<< /S /GoTo /D [3 0 R /Fit] /Next ".repeat(70),
        " >>".repeat(70)
    );
    // 4.1 million numbers before the script: the old scan had one budget of 4 million values
    // for the whole file, spent them here, and passed the file as clean.
    let array = format!("[{}]", "0 ".repeat(4_100_000));
    let flood = raw(
        &[
            CATALOG.to_owned(),
            ONE_KID.to_owned(),
            A4_PAGE.to_owned(),
            format!("<< /Filler {array} >>"),
            "<< /Type /Action /S /JavaScript /JS (app.alert(1)) >>".to_owned(),
        ],
        "",
    );
    // An XFA form whose template holds a script (Acrobat runs it; no /JS key anywhere).
    let xfa = "<xdp:xdp xmlns:xdp=\"http://ns.adobe.com/xdp/\"><template><subform><event activity=\"initialize\"><script contentType=\"application/x-javascript\">app.alert(1)</script></event></subform></template></xdp:xdp>";
    let xfa_form = raw(
        &[
            "<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [] /XFA 4 0 R >> >>".to_owned(),
            ONE_KID.to_owned(),
            A4_PAGE.to_owned(),
            format!("<< /Length {} >>\nstream\n{xfa}\nendstream", xfa.len()),
        ],
        "",
    );
    vec![
        (
            "PDF: JavaScript at the end of a /Next chain 70 actions deep",
            with_page(&chain),
        ),
        (
            "PDF: JavaScript after an array of 4.1 million numbers",
            flood,
        ),
        ("PDF: a script in an XFA form", xfa_form),
    ]
}

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

/// A one-page PDF whose `streams` compressed object streams hold `per_stream` tiny objects each
/// (three of 400 000 make about 5 MB): a parser that expands them while loading spent 5 s of CPU
/// and 1 GB on it before any rule was checked (adversarial review, finding 6).
fn object_stream_flood(streams: usize, per_stream: usize) -> Vec<u8> {
    use std::fmt::Write as _;
    use std::io::Write as _;
    let mut objects: Vec<Vec<u8>> = vec![CATALOG.into(), ONE_KID.into(), A4_PAGE.into()];
    for stream in 0..streams {
        let first_number = 4 + streams + stream * per_stream;
        let (mut header, mut members) = (String::new(), String::new());
        for i in 0..per_stream {
            let _ = write!(header, "{} {} ", first_number + i, members.len());
            members.push_str("0 ");
        }
        let mut encoder =
            flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
        let _ = encoder.write_all(header.as_bytes());
        let _ = encoder.write_all(members.as_bytes());
        let data = encoder.finish().unwrap_or_default();
        let mut object = format!(
            "<< /Type /ObjStm /N {per_stream} /First {} /Filter /FlateDecode /Length {} >>\nstream\n",
            header.len(),
            data.len()
        )
        .into_bytes();
        object.extend_from_slice(&data);
        object.extend_from_slice(b"\nendstream");
        objects.push(object);
    }
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
            "PDF: three object streams of 400 000 objects each",
            "pdf",
            object_stream_flood(3, 400_000),
            REFUSED,
            Finding::Problems(&["too-complex"]),
        ),
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
        // Readers skip a node met again and show the one page (issue 32): read, not refused.
        Case::new(
            "PDF page tree loop (Pages kids itself)",
            "pdf",
            three("<< /Type /Pages /Kids [2 0 R 3 0 R] /Count 2 >>", A4_PAGE),
            REFUSED_OR_ACCEPTED,
            Finding::Anything,
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
    for (name, bytes) in active_content() {
        cases.push(Case::new(name, "pdf", bytes, REFUSED, Finding::JavaScript));
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
