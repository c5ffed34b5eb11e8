//! Hostile Word files: bombs, entity tricks, nesting, encryption.

use super::{Case, Finding, Scale, REFUSED, REFUSED_OR_ACCEPTED};
use crate::docx::{minimal, part, rels, replace_part, replace_parts, zip_deflated};
use crate::fixtures::TWO_PAGES_A4_DOCX;

/// The two-page fixture's `word/document.xml`, split where the body's content starts.
fn fixture_document() -> (String, usize) {
    let xml = part(TWO_PAGES_A4_DOCX, "word/document.xml");
    let body_at = xml.find("<w:body>").expect("a w:body") + "<w:body>".len();
    (xml, body_at)
}

/// The two-page fixture with a PDF holding JavaScript as its first part, stored: Acrobat looks
/// for "%PDF-" in a file's first KiB and would open it as that PDF, while the inspection reads it
/// as Word (second adversarial review, finding 8). The panel's copy must be Word.
pub fn pdf_polyglot() -> Vec<u8> {
    use std::io::Read;
    let pdf = crate::pdf::with_page("/AA << /O << /S /JavaScript /JS (app.alert(1)) >> >>");
    let mut source =
        zip::ZipArchive::new(std::io::Cursor::new(TWO_PAGES_A4_DOCX)).expect("the fixture");
    let mut parts: Vec<(String, Vec<u8>)> = vec![("a.pdf".into(), pdf)];
    for index in 0..source.len() {
        let mut entry = source.by_index(index).expect("a part");
        let mut bytes = Vec::new();
        entry.read_to_end(&mut bytes).expect("a part's bytes");
        parts.push((entry.name().expect("a part name").into_owned(), bytes));
    }
    let entries: Vec<(&str, &[u8])> = parts
        .iter()
        .map(|(name, bytes)| (name.as_str(), bytes.as_slice()))
        .collect();
    crate::docx::zip_stored(&entries)
}

/// The two-page fixture with `mib` MiB of one letter in a run of its body, deflated to about a
/// thousandth of that.
pub fn zip_bomb(mib: usize) -> Vec<u8> {
    let (xml, body_at) = fixture_document();
    let (head, tail) = xml.split_at(body_at);
    replace_part(TWO_PAGES_A4_DOCX, "word/document.xml", |w| {
        w.write_all(head.as_bytes())?;
        w.write_all(b"<w:p><w:r><w:t>")?;
        let chunk = vec![b'a'; 1 << 20];
        for _ in 0..mib {
            w.write_all(&chunk)?;
        }
        w.write_all(b"</w:t></w:r></w:p>")?;
        w.write_all(tail.as_bytes())
    })
}

/// A document 5,000 elements deep that declares an entity in a DOCTYPE.
pub fn deep_xml_with_doctype() -> Vec<u8> {
    let mut doc = String::from(
        r#"<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">]><w:document xmlns:w="w"><w:body>"#,
    );
    doc.push_str(&"<w:sdt><w:sdtContent>".repeat(5000));
    minimal(doc.as_bytes())
}

/// One 1 MiB picture drawn 20,000 times and referenced by 20,000 bare blips: the assessor's view
/// once embedded it afresh for each reference and took the server down.
fn image_bomb() -> Vec<u8> {
    let drawing = r#"<w:r><w:drawing><wp:inline xmlns:wp="wp" xmlns:a="a" xmlns:pic="pic" xmlns:r="r"><wp:extent cx="9525" cy="9525"/><a:graphic><a:graphicData><pic:pic><pic:blipFill><a:blip r:embed="rIdBomb"/></pic:blipFill></pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing></w:r>"#;
    let bare = r#"<a:blip xmlns:a="a" xmlns:r="r" r:embed="rIdBomb"/>"#;
    let rels_xml = part(TWO_PAGES_A4_DOCX, "word/_rels/document.xml.rels");
    let bomb = rels("rIdBomb", "image", "media/bomb.png");
    let relationship = &bomb[bomb.find("<Relationship ").expect("a relationship")..];
    let rels_xml = rels_xml.replace("</Relationships>", relationship);
    let mut seed = 7u32;
    let picture: Vec<u8> = (0..1 << 20)
        .map(|_| {
            seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12_345);
            (seed >> 16) as u8
        })
        .collect();
    let (xml, body_at) = fixture_document();
    let document = format!(
        "{}<w:p>{}</w:p><w:p>{}</w:p>{}",
        &xml[..body_at],
        drawing.repeat(20_000),
        bare.repeat(20_000),
        &xml[body_at..]
    );
    replace_parts(
        TWO_PAGES_A4_DOCX,
        &[
            ("word/_rels/document.xml.rels", rels_xml.into_bytes()),
            ("word/media/bomb.png", picture),
            ("word/document.xml", document.into_bytes()),
        ],
    )
}

/// Thousands of entries and no document.
fn many_entries() -> Vec<u8> {
    let names: Vec<String> = (0..20_000)
        .map(|i| format!("word/media/x{i}.bin"))
        .collect();
    let mut entries: Vec<(&str, &[u8])> = vec![(
        "[Content_Types].xml",
        b"<?xml version=\"1.0\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"/>",
    )];
    entries.extend(names.iter().map(|name| (name.as_str(), &[0u8; 64][..])));
    zip_deflated(&entries)
}

/// The fixture whose document declares `doctype` and shows `entity` in a first paragraph.
fn with_entity(doctype: &str, entity: &str) -> Vec<u8> {
    let (xml, _) = fixture_document();
    let xml = xml.replacen("?>", &format!("?>{doctype}"), 1).replacen(
        "<w:body>",
        &format!("<w:body><w:p><w:r><w:t>{entity}</w:t></w:r></w:p>"),
        1,
    );
    replace_part(TWO_PAGES_A4_DOCX, "word/document.xml", |w| {
        w.write_all(xml.as_bytes())
    })
}

fn billion_laughs() -> Vec<u8> {
    let mut laughs = String::from("<!DOCTYPE w:document [<!ENTITY l0 \"lol\">");
    for i in 1..10 {
        let previous = format!("&l{};", i - 1);
        laughs.push_str(&format!("<!ENTITY l{i} \"{}\">", previous.repeat(10)));
    }
    laughs.push_str("]>");
    with_entity(&laughs, "&l9;")
}

/// An encrypted Office document: an OLE compound file (EncryptionInfo + EncryptedPackage).
fn encrypted_ole() -> Vec<u8> {
    let mut ole = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    ole.resize(8 * 1024, 0);
    ole.extend(
        "EncryptedPackage EncryptionInfo"
            .encode_utf16()
            .flat_map(|c| c.to_le_bytes()),
    );
    ole
}

pub(super) fn cases(scale: Scale) -> Vec<Case> {
    let (bomb_name, bomb) = match scale {
        Scale::Server => ("zip bomb DOCX (1 GiB inflated)", zip_bomb(1024)),
        Scale::Library => ("zip bomb DOCX (50 MiB inflated)", zip_bomb(50)),
    };
    vec![
        Case::new(
            "DOCX whose first part is a PDF with JavaScript (a polyglot)",
            "docx",
            pdf_polyglot(),
            REFUSED_OR_ACCEPTED,
            Finding::Anything,
        ),
        Case::new(
            bomb_name,
            "docx",
            bomb,
            REFUSED,
            Finding::Problems(&["zip-bomb"]),
        ),
        // Accepted or not, it must be answered, and the service must stay up.
        Case::new(
            "DOCX: one 1 MiB picture drawn 20 000 times",
            "docx",
            image_bomb(),
            REFUSED_OR_ACCEPTED,
            Finding::Anything,
        ),
        Case::new(
            "zip with 20 000 entries, no document",
            "docx",
            many_entries(),
            REFUSED,
            Finding::Problems(&["too-many-entries"]),
        ),
        Case::new(
            "XXE DOCX (external entity file:///etc/passwd)",
            "docx",
            with_entity(
                "<!DOCTYPE w:document [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>",
                "&xxe;",
            ),
            REFUSED,
            Finding::Problems(&["xml-doctype"]),
        ),
        Case::new(
            "billion laughs DOCX",
            "docx",
            billion_laughs(),
            REFUSED,
            Finding::Problems(&["xml-doctype"]),
        ),
        Case::new(
            "DOCX 5 000 elements deep, with a DOCTYPE",
            "docx",
            deep_xml_with_doctype(),
            REFUSED,
            Finding::Problems(&["xml-too-deep", "xml-doctype"]),
        ),
        Case::new(
            "encrypted DOCX (OLE container) named .docx",
            "docx",
            encrypted_ole(),
            REFUSED,
            Finding::Problems(&["unreadable"]),
        ),
    ]
}
