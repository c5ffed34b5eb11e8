//! Word documents. The inspection tests depend on exact XML (a layout, a part the package does or
//! does not name, a picture drawn 20,000 times), so most are written here part by part; where a
//! test only needs a valid document of N pages, [`pages`] builds one with `docx-rs`.

use std::io::{Read, Write};

/// WordprocessingML's namespace.
pub const W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
/// The namespace of relationships (and the prefix of their types).
pub const R: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
/// `[Content_Types].xml` naming `word/document.xml` as the main part, and nothing else.
pub const CONTENT_TYPES: &str = r#"<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>"#;
/// An A4 section with one-inch margins, as the last child of `w:body`.
pub const A4_SECTION: &str = r#"<w:sectPr><w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="1440" w:right="1440" w:bottom="1440" w:left="1440" w:header="720" w:footer="720" w:gutter="0"/></w:sectPr>"#;

/// A zip of `entries` in their order, each deflated.
pub fn zip_deflated<T: AsRef<[u8]>>(entries: &[(&str, T)]) -> Vec<u8> {
    zip(entries, zip::CompressionMethod::Deflated)
}

/// A zip of `entries` in their order, each stored: a test document of many repeats would
/// otherwise look like a zip bomb.
pub fn zip_stored<T: AsRef<[u8]>>(entries: &[(&str, T)]) -> Vec<u8> {
    zip(entries, zip::CompressionMethod::Stored)
}

fn zip<T: AsRef<[u8]>>(entries: &[(&str, T)], method: zip::CompressionMethod) -> Vec<u8> {
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default().compression_method(method);
    for (name, bytes) in entries {
        out.start_file(*name, options).expect("a zip entry");
        out.write_all(bytes.as_ref()).expect("a zip entry's bytes");
    }
    out.finish().expect("a zip").into_inner()
}

/// The smallest package the inspection reads: [`CONTENT_TYPES`] and `word/document.xml`, no
/// relationships, deflated.
pub fn minimal(document_xml: &[u8]) -> Vec<u8> {
    zip_deflated(&[
        ("[Content_Types].xml", CONTENT_TYPES.as_bytes()),
        ("word/document.xml", document_xml),
    ])
}

/// `[Content_Types].xml` naming `main` as the main part (and PNG pictures).
pub fn content_types(main: &str) -> String {
    format!(
        r#"<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="png" ContentType="image/png"/><Override PartName="/{main}" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>"#
    )
}

/// `_rels/.rels` naming `main` as the office document.
pub fn package_rels(main: &str) -> String {
    format!(
        r#"<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="{R}/officeDocument" Target="{main}"/></Relationships>"#
    )
}

/// `w:document` around `body`, declaring the prefixes the picture tests use.
pub fn document(body: &str) -> String {
    format!(
        r#"<?xml version="1.0"?><w:document xmlns:w="{W}" xmlns:r="{R}" xmlns:wp="wp" xmlns:a="a" xmlns:pic="pic"><w:body>{body}</w:body></w:document>"#
    )
}

/// A relationships part (`word/_rels/document.xml.rels`) with one relationship.
pub fn rels(id: &str, kind: &str, target: &str) -> String {
    format!(
        r#"<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="{id}" Type="{R}/{kind}" Target="{target}"/></Relationships>"#
    )
}

/// A paragraph of one run of `text`.
pub fn paragraph(text: &str) -> String {
    format!(r#"<w:p><w:r><w:t xml:space="preserve">{text}</w:t></w:r></w:p>"#)
}

/// A stored package whose main part is `main` (named by `_rels/.rels`) with `body` as its body,
/// and `extra` parts after it (relationships of the main part go in its `_rels` folder).
pub fn package(main: &str, body: &str, extra: &[(&str, Vec<u8>)]) -> Vec<u8> {
    let (content_types, package_rels, document) =
        (content_types(main), package_rels(main), document(body));
    let mut entries: Vec<(&str, &[u8])> = vec![
        ("[Content_Types].xml", content_types.as_bytes()),
        ("_rels/.rels", package_rels.as_bytes()),
        (main, document.as_bytes()),
    ];
    entries.extend(extra.iter().map(|(name, bytes)| (*name, bytes.as_slice())));
    zip_stored(&entries)
}

/// A one-section A4 .docx with `body` as its text and `extra` parts.
pub fn with_body(body: &str, extra: &[(&str, Vec<u8>)]) -> Vec<u8> {
    package("word/document.xml", &format!("{body}{A4_SECTION}"), extra)
}

/// `docProps/app.xml` as a program that says it is `application` (at `version`) writes it.
pub fn app_xml(application: &str, version: Option<&str>, pages: u32, words: u32) -> String {
    let version = version
        .map(|v| format!("<AppVersion>{v}</AppVersion>"))
        .unwrap_or_default();
    format!(
        r#"<?xml version="1.0"?><Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"><Template>Normal.dotm</Template><Pages>{pages}</Pages><Words>{words}</Words><Application>{application}</Application>{version}</Properties>"#
    )
}

/// An A4 essay of `paragraphs` paragraphs of body text in `body_font` (12 pt), plus one short
/// run in `symbol_font` when given, with `app_xml` as `docProps/app.xml` when given. In Calibri,
/// 28 paragraphs run onto a third page.
pub fn font_essay(
    body_font: &str,
    paragraphs: usize,
    symbol_font: Option<&str>,
    app_xml: Option<String>,
) -> Vec<u8> {
    let sentence = "The Alliance faces a changing security environment that asks for steady work. ";
    let mut body = paragraph(&sentence.repeat(4)).repeat(paragraphs);
    if let Some(symbol) = symbol_font {
        body.push_str(&format!(
            r#"<w:p><w:r><w:rPr><w:rFonts w:ascii="{symbol}" w:hAnsi="{symbol}"/></w:rPr><w:t>→ ✓</w:t></w:r></w:p>"#
        ));
    }
    let styles = format!(
        r#"<?xml version="1.0"?><w:styles xmlns:w="{W}"><w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii="{body_font}" w:hAnsi="{body_font}"/><w:sz w:val="24"/></w:rPr></w:rPrDefault><w:pPrDefault><w:pPr><w:spacing w:after="160" w:line="259" w:lineRule="auto"/></w:pPr></w:pPrDefault></w:docDefaults></w:styles>"#
    );
    let mut parts = vec![
        ("word/styles.xml", styles.into_bytes()),
        (
            "word/_rels/document.xml.rels",
            rels("rIdStyles", "styles", "styles.xml").into_bytes(),
        ),
    ];
    if let Some(app) = app_xml {
        parts.push(("docProps/app.xml", app.into_bytes()));
    }
    with_body(&body, &parts)
}

/// A valid A4 .docx in Calibri of `pages` pages (page breaks between them), each saying `tag`,
/// so that every tag gives different bytes. Built with `docx-rs`.
pub fn pages(pages: usize, tag: &str) -> Vec<u8> {
    use docx_rs::{BreakType, Docx, Paragraph, Run, RunFonts};
    let mut docx = Docx::new()
        .page_size(11906, 16838)
        .default_fonts(RunFonts::new().ascii("Calibri").hi_ansi("Calibri"))
        .default_size(24);
    for page in 1..=pages {
        let mut run = Run::new().add_text(format!("Key challenges, page {page} of {tag}"));
        if page < pages {
            run = run.add_break(BreakType::Page);
        }
        docx = docx.add_paragraph(Paragraph::new().add_run(run));
    }
    let mut out = std::io::Cursor::new(Vec::new());
    docx.build().pack(&mut out).expect("docx-rs writes a .docx");
    out.into_inner()
}

/// The text of part `name` of a zip (a .docx).
pub fn part(docx: &[u8], name: &str) -> String {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(docx)).expect("a zip");
    let mut text = String::new();
    archive
        .by_name(name)
        .unwrap_or_else(|e| panic!("{name}: {e}"))
        .read_to_string(&mut text)
        .expect("a text part");
    text
}

/// The text of every part of a zip, one after the other.
pub fn all_text(docx: &[u8]) -> String {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(docx)).expect("a zip");
    let mut text = String::new();
    for i in 0..archive.len() {
        archive
            .by_index(i)
            .expect("a zip entry")
            .read_to_string(&mut text)
            .expect("a text part");
    }
    text
}

/// `docx` with part `name` left out and written anew, deflated, after the others by `write`
/// (a large-file entry, so that it may inflate past 4 GiB).
pub fn replace_part(
    docx: &[u8],
    name: &str,
    write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Vec<u8> {
    rewrite(docx, &[name], |out| {
        let deflated = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated)
            .large_file(true);
        out.start_file(name, deflated)?;
        write(out)?;
        Ok(())
    })
}

/// `docx` with `parts` left out and written anew, stored, after the others in their order.
pub fn replace_parts(docx: &[u8], parts: &[(&str, Vec<u8>)]) -> Vec<u8> {
    let names: Vec<&str> = parts.iter().map(|(name, _)| *name).collect();
    rewrite(docx, &names, |out| {
        let stored = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Stored);
        for (name, bytes) in parts {
            out.start_file(*name, stored)?;
            out.write_all(bytes)?;
        }
        Ok(())
    })
}

type Zip = zip::ZipWriter<std::io::Cursor<Vec<u8>>>;

fn rewrite(
    docx: &[u8],
    drop: &[&str],
    add: impl FnOnce(&mut Zip) -> Result<(), Box<dyn std::error::Error>>,
) -> Vec<u8> {
    let mut source = zip::ZipArchive::new(std::io::Cursor::new(docx)).expect("a zip");
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for i in 0..source.len() {
        let file = source.by_index_raw(i).expect("a zip entry");
        if !file.name().is_ok_and(|name| drop.contains(&name.as_ref())) {
            out.raw_copy_file(file).expect("a copied entry");
        }
    }
    add(&mut out).expect("the new parts");
    out.finish().expect("a zip").into_inner()
}
