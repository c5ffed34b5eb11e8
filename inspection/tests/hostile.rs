//! Hostile and odd inputs: limits become problems, nothing panics. The hostile cases are
//! `testkit::hostile`'s, the same that `loadgen hostile` sends the server.
use inspection::{inspect, render_human, was_read, Format, Inspection, Limits};
use testkit::docx::{minimal, zip_deflated};
use testkit::hostile::{cases, deep_xml_with_doctype, zip_bomb, Finding, Scale};

fn codes(i: &Inspection) -> Vec<String> {
    i.facts
        .problems
        .iter()
        .map(|p| p.code.to_string())
        .collect()
}

#[test]
fn zip_bomb_is_refused() {
    let z = zip_bomb(50);
    let i = inspect(&z, "bomb.docx", &Limits::default());
    assert!(
        codes(&i).contains(&"zip-bomb".to_string()),
        "{:?}",
        codes(&i)
    );
    assert!(!was_read(&i.facts));
}

#[test]
fn too_many_entries() {
    let names: Vec<String> = (0..50).map(|i| format!("f{i}.xml")).collect();
    let entries: Vec<(&str, &[u8])> = names.iter().map(|n| (n.as_str(), &b"x"[..])).collect();
    let z = zip_deflated(&entries);
    let limits = Limits {
        max_zip_entries: 10,
        ..Limits::default()
    };
    let i = inspect(&z, "many.docx", &limits);
    assert_eq!(codes(&i), vec!["too-many-entries"]);
}

#[test]
fn deep_xml_and_doctype() {
    let i = inspect(&deep_xml_with_doctype(), "deep.docx", &Limits::default());
    let c = codes(&i);
    assert!(c.contains(&"xml-too-deep".to_string()), "{c:?}");
    assert!(c.contains(&"xml-doctype".to_string()), "{c:?}");
}

#[test]
fn minimal_docx_is_one_page() {
    let doc = br#"<w:document xmlns:w="w"><w:body><w:p><w:r><w:t>Hello world</w:t></w:r></w:p></w:body></w:document>"#;
    let i = inspect(&minimal(doc), "min.docx", &Limits::default());
    assert_eq!(i.facts.format, Format::Docx);
    assert_eq!(i.facts.pages, Some(1));
    assert_eq!(i.facts.words, Some(2));
    assert!(was_read(&i.facts));
    assert!(render_human(&i).contains("Pages:"));
    // lossless JSON round trip
    let j = serde_json::to_string(&i).unwrap();
    let back: Inspection = serde_json::from_str(&j).unwrap();
    assert_eq!(back, i);
}

/// Every hostile case is inspected without a panic, finds what the case says it must, and is
/// either unread or counted.
#[test]
fn odd_inputs_do_not_panic() {
    let limits = Limits::default();
    for case in cases(Scale::Library) {
        let i = inspect(&case.bytes, &case.file_name("251334"), &limits);
        let _ = render_human(&i);
        let why = &case.name;
        assert!(!was_read(&i.facts) || i.facts.pages.is_some(), "{why}");
        match case.finding {
            Finding::Problems(expected) => {
                for code in expected {
                    assert!(
                        codes(&i).contains(&code.to_string()),
                        "{why}: {:?}",
                        codes(&i)
                    );
                }
            }
            Finding::JavaScript => assert!(i.details.has_javascript, "{why}"),
            Finding::Launch => assert!(i.details.has_launch_action, "{why}"),
            Finding::Anything => {}
        }
    }
    let big = vec![0u8; 100];
    let i = inspect(
        &big,
        "x",
        &Limits {
            max_file_bytes: 10,
            ..Limits::default()
        },
    );
    assert_eq!(codes(&i), vec!["too-large"]);
}

#[test]
fn every_prefix_of_a_docx_is_safe() {
    let doc = br#"<w:document xmlns:w="w"><w:body><w:p><w:r><w:t>Hello world</w:t></w:r></w:p><w:tbl><w:tr><w:tc><w:p/></w:tc></w:tr></w:tbl></w:body></w:document>"#;
    let z = minimal(doc);
    for n in (0..z.len()).step_by(7) {
        let _ = inspect(&z[..n], "p.docx", &Limits::default());
    }
}
