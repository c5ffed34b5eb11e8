//! Hostile and odd inputs: limits become problems, nothing panics.
use inspection::{inspect, render_human, was_read, Format, Inspection, Limits};
use std::io::Write;

fn zip_of(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let mut buf = std::io::Cursor::new(Vec::new());
    {
        let mut z = zip::ZipWriter::new(&mut buf);
        let opt = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        for (n, d) in entries {
            z.start_file(*n, opt).unwrap();
            z.write_all(d).unwrap();
        }
        z.finish().unwrap();
    }
    buf.into_inner()
}

const CT: &[u8] = br#"<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>"#;

fn codes(i: &Inspection) -> Vec<String> {
    i.facts.problems.iter().map(|p| p.code.clone()).collect()
}

#[test]
fn zip_bomb_is_refused() {
    let big = vec![b'a'; 50 * 1024 * 1024];
    let z = zip_of(&[("[Content_Types].xml", CT), ("word/document.xml", &big)]);
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
    let z = zip_of(&entries);
    let limits = Limits {
        max_zip_entries: 10,
        ..Limits::default()
    };
    let i = inspect(&z, "many.docx", &limits);
    assert_eq!(codes(&i), vec!["too-many-entries"]);
}

#[test]
fn deep_xml_and_doctype() {
    let mut doc = String::from(
        r#"<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">]><w:document xmlns:w="w"><w:body>"#,
    );
    for _ in 0..5000 {
        doc.push_str("<w:sdt><w:sdtContent>");
    }
    let z = zip_of(&[
        ("[Content_Types].xml", CT),
        ("word/document.xml", doc.as_bytes()),
    ]);
    let i = inspect(&z, "deep.docx", &Limits::default());
    let c = codes(&i);
    assert!(c.contains(&"xml-too-deep".to_string()), "{c:?}");
    assert!(c.contains(&"xml-doctype".to_string()), "{c:?}");
}

#[test]
fn minimal_docx_is_one_page() {
    let doc = br#"<w:document xmlns:w="w"><w:body><w:p><w:r><w:t>Hello world</w:t></w:r></w:p></w:body></w:document>"#;
    let z = zip_of(&[("[Content_Types].xml", CT), ("word/document.xml", doc)]);
    let i = inspect(&z, "min.docx", &Limits::default());
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

#[test]
fn odd_inputs_do_not_panic() {
    let limits = Limits::default();
    let samples: Vec<Vec<u8>> = vec![
        vec![],
        b"%PDF-1.4\n".to_vec(),
        b"%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [2 0 R] /Count 1 >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF".to_vec(),
        b"PK\x03\x04garbage".to_vec(),
        b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1 truncated".to_vec(),
        b"{\\rtf1 hello}".to_vec(),
        b"<html><body>hi</body></html>".to_vec(),
        b"\x89PNG\r\n\x1a\n".to_vec(),
    ];
    for s in samples {
        let i = inspect(&s, "x", &limits);
        let _ = render_human(&i);
        assert!(!was_read(&i.facts) || i.facts.pages.is_some());
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
    let z = zip_of(&[("[Content_Types].xml", CT), ("word/document.xml", doc)]);
    for n in (0..z.len()).step_by(7) {
        let _ = inspect(&z[..n], "p.docx", &Limits::default());
    }
}

/// Every input the fuzzer (fuzz/, target `inspect`) found crashing or hanging is kept in
/// tests/fuzz-regressions/ and must now be inspected without a panic, quickly.
#[test]
fn fuzz_regressions_do_not_panic_or_hang() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fuzz-regressions");
    let mut n = 0;
    for e in std::fs::read_dir(dir).expect("fuzz-regressions dir") {
        let path = e.expect("dir entry").path();
        if path.extension().is_some_and(|x| x == "md") {
            continue;
        }
        let bytes = std::fs::read(&path).expect("regression input");
        let t = std::time::Instant::now();
        let i = inspect(&bytes, "fuzz.docx", &Limits::default());
        let _ = render_human(&i);
        let secs = t.elapsed().as_secs_f64();
        // A hang guard, not a speed check: the inspection worker's CPU allowance is 5 s on the
        // release build, and a debug build on a busy machine is easily 20 times slower.
        assert!(secs < 120.0, "{}: {secs:.1} s (hangs?)", path.display());
        n += 1;
    }
    println!("fuzz regressions replayed: {n}");
}
