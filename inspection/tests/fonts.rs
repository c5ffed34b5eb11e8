//! Fonts with no metric twin make the page count an estimate, named in the facts; Word's own
//! saved count is taken only when Word saved this very text last.
use inspection::{inspect, Facts, Limits};
use std::io::Write;

const W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";

fn zip_of(entries: &[(&str, String)]) -> Vec<u8> {
    let mut buf = std::io::Cursor::new(Vec::new());
    {
        let mut z = zip::ZipWriter::new(&mut buf);
        let opt = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        for (n, d) in entries {
            z.start_file(*n, opt).unwrap();
            z.write_all(d.as_bytes()).unwrap();
        }
        z.finish().unwrap();
    }
    buf.into_inner()
}

/// An A4 essay of `paragraphs` paragraphs of body text in `body_font`, plus one short run in
/// `symbol_font` when given, with `app_xml` as docProps/app.xml when given.
fn essay(
    body_font: &str,
    paragraphs: usize,
    symbol_font: Option<&str>,
    app_xml: Option<String>,
) -> Vec<u8> {
    let sentence = "The Alliance faces a changing security environment that asks for steady work. ";
    let mut body = String::new();
    for _ in 0..paragraphs {
        body.push_str(&format!(
            r#"<w:p><w:r><w:t xml:space="preserve">{}</w:t></w:r></w:p>"#,
            sentence.repeat(4)
        ));
    }
    if let Some(symbol) = symbol_font {
        body.push_str(&format!(
            r#"<w:p><w:r><w:rPr><w:rFonts w:ascii="{symbol}" w:hAnsi="{symbol}"/></w:rPr><w:t>→ ✓</w:t></w:r></w:p>"#
        ));
    }
    let document = format!(
        r#"<?xml version="1.0"?><w:document xmlns:w="{W}"><w:body>{body}<w:sectPr><w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="1440" w:right="1440" w:bottom="1440" w:left="1440" w:header="720" w:footer="720" w:gutter="0"/></w:sectPr></w:body></w:document>"#
    );
    let styles = format!(
        r#"<?xml version="1.0"?><w:styles xmlns:w="{W}"><w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii="{body_font}" w:hAnsi="{body_font}"/><w:sz w:val="24"/></w:rPr></w:rPrDefault><w:pPrDefault><w:pPr><w:spacing w:after="160" w:line="259" w:lineRule="auto"/></w:pPr></w:pPrDefault></w:docDefaults></w:styles>"#
    );
    let mut entries = vec![
        ("[Content_Types].xml", r#"<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>"#.to_string()),
        ("_rels/.rels", r#"<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>"#.to_string()),
        ("word/_rels/document.xml.rels", r#"<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>"#.to_string()),
        ("word/document.xml", document),
        ("word/styles.xml", styles),
    ];
    if let Some(app) = app_xml {
        entries.push(("docProps/app.xml", app));
    }
    zip_of(&entries)
}

fn app_xml(application: &str, version: Option<&str>, pages: u32, words: u32) -> String {
    let version = version
        .map(|v| format!("<AppVersion>{v}</AppVersion>"))
        .unwrap_or_default();
    format!(
        r#"<?xml version="1.0"?><Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"><Template>Normal.dotm</Template><Pages>{pages}</Pages><Words>{words}</Words><Application>{application}</Application>{version}</Properties>"#
    )
}

fn facts(bytes: &[u8]) -> Facts {
    inspect(bytes, "251334 Key challenges.docx", &Limits::default()).facts
}

fn estimate(facts: &Facts) -> Option<&str> {
    facts
        .problems
        .iter()
        .find(|p| p.code == "estimate")
        .map(|p| p.message.as_str())
}

#[test]
fn an_aptos_essay_is_an_estimate_that_names_its_font() {
    let f = facts(&essay("Aptos", 12, None, None));
    assert_eq!(f.unmeasured_fonts, vec!["Aptos".to_owned()]);
    let message = estimate(&f).expect("an estimate");
    assert!(message.contains("Aptos"), "{message}");
    assert_eq!(f.word_pages, None);
}

#[test]
fn a_calibri_essay_is_exact_even_with_a_stray_symbol_in_another_font() {
    let f = facts(&essay("Calibri", 12, Some("Segoe UI Symbol"), None));
    assert_eq!(estimate(&f), None, "{:?}", f.problems);
    assert!(f.unmeasured_fonts.is_empty());
}

#[test]
fn words_own_count_is_taken_only_when_word_saved_this_text_last() {
    // Arrange: how many words the layout reads, to write a matching app.xml.
    let words = facts(&essay("Aptos", 12, None, None)).words.unwrap();
    // (why, app.xml, Word's count expected)
    let table = [
        (
            "Word saved it: Application, AppVersion and word count agree",
            Some(app_xml("Microsoft Office Word", Some("16.0000"), 2, words)),
            Some(2),
        ),
        (
            "Word on a Mac",
            Some(app_xml(
                "Microsoft Macintosh Word",
                Some("16.0000"),
                3,
                words + 5,
            )),
            Some(3),
        ),
        (
            "a template's stale app.xml (python-docx: 0 words)",
            Some(app_xml("Microsoft Macintosh Word", Some("14.0000"), 1, 0)),
            None,
        ),
        (
            "LibreOffice saved it last",
            Some(app_xml("LibreOffice/7.4.7.2$Linux_X86_64", None, 2, words)),
            None,
        ),
        (
            "no AppVersion",
            Some(app_xml("Microsoft Office Word", None, 2, words)),
            None,
        ),
        ("no app.xml at all (pandoc, docx-rs)", None, None),
    ];
    for (why, app, expected) in table {
        // Act
        let f = facts(&essay("Aptos", 12, None, app));
        // Assert
        assert_eq!(f.word_pages, expected, "{why}");
    }
}
