//! A damaged .docx is refused with its reason, never reported with the page count of the part
//! that could be read: Word cannot open it, and the assessor would get an unreadable file.
use inspection::{inspect, Limits, ProblemCode};
use testkit::docx::{app_xml, pages, part, replace_parts, zip_stored};

fn unreadable_reason(bytes: &[u8]) -> Option<String> {
    let facts = inspect(bytes, "251334 Key challenges.docx", &Limits::default()).facts;
    assert_eq!(facts.pages, None, "no page count for a damaged file");
    facts
        .problems
        .iter()
        .find(|p| p.code == ProblemCode::Unreadable)
        .map(|p| p.message.clone())
}

#[test]
fn a_part_cut_off_half_way_is_refused_with_its_name() {
    // docx-rs writes a numbering part without naming it; name it, as Word does.
    let plain = pages(2, "damaged");
    let rels = part(&plain, "word/_rels/document.xml.rels").replace(
        "</Relationships>",
        r#"<Relationship Id="rIdNumbering" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/numbering" Target="numbering.xml"/></Relationships>"#,
    );
    let essay = replace_parts(
        &plain,
        &[("word/_rels/document.xml.rels", rels.into_bytes())],
    );
    assert_eq!(
        inspect(&essay, "essay.docx", &Limits::default())
            .facts
            .pages,
        Some(2)
    );
    for name in [
        "word/document.xml",
        "word/styles.xml",
        "word/numbering.xml",
        "word/settings.xml",
    ] {
        // Arrange: the part cut off at half its length.
        let whole = part(&essay, name);
        let half = whole.as_bytes()[..whole.len() / 2].to_vec();
        let damaged = replace_parts(&essay, &[(name, half)]);

        // Act
        let reason = unreadable_reason(&damaged);

        // Assert
        let reason = reason.unwrap_or_else(|| panic!("{name}: accepted"));
        assert!(reason.contains(name), "{name}: {reason}");
        assert!(reason.contains("not well-formed"), "{name}: {reason}");
    }
}

#[test]
fn crossed_end_tags_are_refused() {
    let essay = pages(1, "crossed");
    let document = part(&essay, "word/document.xml").replacen("</w:t></w:r>", "</w:r></w:t>", 1);
    let damaged = replace_parts(&essay, &[("word/document.xml", document.into_bytes())]);
    assert!(unreadable_reason(&damaged).is_some());
}

#[test]
fn a_part_whose_checksum_fails_is_refused() {
    // Arrange: a stored package in which one byte of the text changed after it was written.
    let essay = pages(1, "checksum");
    let names = ["[Content_Types].xml", "_rels/.rels", "word/document.xml"];
    let entries: Vec<(&str, Vec<u8>)> = names
        .iter()
        .map(|n| (*n, part(&essay, n).into_bytes()))
        .collect();
    let mut bytes = zip_stored(&entries);
    let at = bytes
        .windows(14)
        .position(|w| w == b"Key challenges")
        .expect("the text, stored");
    bytes[at] = b'k';

    // Act
    let reason = unreadable_reason(&bytes).expect("refused");

    // Assert
    assert!(reason.contains("word/document.xml"), "{reason}");
}

#[test]
fn damaged_document_properties_do_not_stop_the_reading() {
    // Word opens a file whose docProps/app.xml is damaged, and so do we.
    let essay = pages(1, "props");
    let app = part(&essay, "docProps/app.xml");
    let damaged = replace_parts(
        &essay,
        &[("docProps/app.xml", app.as_bytes()[..app.len() / 2].to_vec())],
    );
    let facts = inspect(&damaged, "essay.docx", &Limits::default()).facts;
    assert_eq!(facts.pages, Some(1), "{:?}", facts.problems);
}

#[test]
fn document_properties_whose_zip_data_fails_its_checksum_are_ignored() {
    // Arrange: a stored package whose docProps/app.xml (then core.xml) had a byte changed after
    // it was written, so that its CRC no longer matches.
    let essay = pages(1, "crc");
    let app = app_xml("Microsoft Office Word", Some("16.0000"), 1, 40);
    let entries: Vec<(&str, Vec<u8>)> = vec![
        (
            "[Content_Types].xml",
            part(&essay, "[Content_Types].xml").into_bytes(),
        ),
        ("_rels/.rels", part(&essay, "_rels/.rels").into_bytes()),
        (
            "word/document.xml",
            part(&essay, "word/document.xml").into_bytes(),
        ),
        ("docProps/app.xml", app.into_bytes()),
        (
            "docProps/core.xml",
            part(&essay, "docProps/core.xml").into_bytes(),
        ),
    ];
    let plain = zip_stored(&entries);
    let intact = inspect(&plain, "essay.docx", &Limits::default());
    assert_eq!(intact.facts.pages, Some(1));
    assert_eq!(intact.details.app_xml_pages, Some(1));
    for needle in [&b"<Application>"[..], b"<dc:creator>"] {
        let mut bytes = plain.clone();
        let at = bytes
            .windows(needle.len())
            .position(|w| w == needle)
            .expect("the part, stored");
        bytes[at + 1] ^= 0x20;

        // Act
        let inspection = inspect(&bytes, "essay.docx", &Limits::default());

        // Assert: read as if the part were missing.
        let facts = &inspection.facts;
        let what = String::from_utf8_lossy(needle);
        assert_eq!(facts.pages, Some(1), "{what}: {:?}", facts.problems);
        assert!(facts.problems.is_empty(), "{what}: {:?}", facts.problems);
        if needle == b"<Application>" {
            assert_eq!(inspection.details.app_xml_pages, None);
        }
    }
}

#[test]
fn a_body_part_whose_zip_data_fails_its_checksum_stays_refused_with_its_name() {
    let essay = pages(1, "crc");
    let names = [
        "[Content_Types].xml",
        "_rels/.rels",
        "word/document.xml",
        "word/styles.xml",
        "docProps/app.xml",
    ];
    let entries: Vec<(&str, Vec<u8>)> = names
        .iter()
        .map(|n| (*n, part(&essay, n).into_bytes()))
        .collect();
    let mut bytes = zip_stored(&entries);
    let at = bytes
        .windows(9)
        .position(|w| w == b"<w:styles")
        .expect("the styles, stored");
    bytes[at + 1] = b'W';
    let reason = unreadable_reason(&bytes).expect("refused");
    assert!(reason.contains("word/styles.xml"), "{reason}");
}
