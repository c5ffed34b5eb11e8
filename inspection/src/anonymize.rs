//! A copy of an essay without the metadata that names its author, for the anonymous panel, and
//! without anything a reader would run or open on its own.
//! Word and PDF writers put the author's name (often an email) in places nobody sees on the page:
//! PDF `/Info` and XMP metadata, annotation authors, form values, embedded files; .docx core, app
//! and custom properties, custom XML, the attached template's path, and the authors of comments,
//! tracked changes and the people list. The text itself is not changed.
//!
//! The copy has the format the inspection decided (the same sniffing): a .docx copy is a .docx or
//! nothing, whatever else its first bytes hold. Each copy is checked again before it is returned.
//!
//! Hostile files reach this code, so it runs in the inspection worker, like [`crate::inspect`].

use std::io::{Cursor, Read, Write};

use lopdf::Object;
use quick_xml::events::{BytesStart, Event};
use quick_xml::{Reader, Writer};

use crate::{detect, pdf, Format, Limits};

/// What stands where an author's name was.
const AUTHOR: &str = "Candidate";

/// The anonymous copy of a PDF or .docx (decided from the content), or why there is none.
pub fn anonymize(bytes: &[u8], limits: &Limits) -> Result<Vec<u8>, String> {
    if bytes.len() as u64 > limits.max_file_bytes {
        return Err("the file is too large".into());
    }
    match detect::sniff_magic(bytes) {
        Format::Pdf => anonymize_pdf(bytes, limits),
        Format::Docx => {
            let copy = anonymize_docx(bytes, limits)?;
            // A reader that looks for a PDF header in the first KiB (Acrobat does) must not find
            // one in a .docx copy: the copy is written anew, but a part's bytes could still hold it.
            if copy[..copy.len().min(1024)]
                .windows(5)
                .any(|w| w == b"%PDF-")
            {
                return Err("the Word file also holds a PDF".into());
            }
            Ok(copy)
        }
        _ => Err("only PDF and Word (.docx) files are made anonymous".into()),
    }
}

fn anonymize_pdf(bytes: &[u8], limits: &Limits) -> Result<Vec<u8>, String> {
    // Opened as the inspection opens it: decrypted when it opens without a password, its cross
    // references rebuilt when damaged.
    let (mut doc, _) = pdf::load(bytes, limits)
        .map_err(|_| "the PDF could not be opened without a password".to_string())?;
    if doc.is_encrypted() {
        return Err("the PDF is encrypted".into());
    }
    doc.trailer.remove(b"Info");
    let mut metadata_streams = Vec::new();
    for (id, object) in doc.objects.iter_mut() {
        match object {
            Object::Dictionary(dictionary) => {
                dictionary.remove(b"Metadata");
                dictionary.remove(b"PieceInfo");
            }
            Object::Stream(stream) => {
                let is_metadata = stream
                    .dict
                    .get(b"Type")
                    .ok()
                    .and_then(|t| t.as_name().ok())
                    .is_some_and(|name| name == b"Metadata");
                if is_metadata {
                    metadata_streams.push(*id);
                }
                stream.dict.remove(b"Metadata");
                stream.dict.remove(b"PieceInfo");
            }
            _ => {}
        }
    }
    for id in metadata_streams {
        doc.objects.remove(&id);
    }
    pdf::active::strip(&mut doc, AUTHOR);
    // The former /Info dictionary and whatever the stripping left unreferenced go too.
    doc.prune_objects();
    let left = pdf::active::scan(&doc);
    if !left.complete || !left.javascript.is_empty() || left.launch || !left.removable.is_empty() {
        return Err(format!(
            "active content could not be removed ({})",
            left.javascript
                .iter()
                .chain(left.removable.iter())
                .copied()
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    let mut out = Vec::with_capacity(bytes.len());
    doc.save_to(&mut out).map_err(|e| e.to_string())?;
    Ok(out)
}

/// Package parts replaced whole by an empty version of themselves.
const EMPTY_PARTS: &[(&str, &str)] = &[
    (
        "docProps/core.xml",
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/"/>"#,
    ),
    (
        "docProps/app.xml",
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"/>"#,
    ),
    (
        "docProps/custom.xml",
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"/>"#,
    ),
];

/// Attributes (by local name) that carry a person: comment and revision authors and initials,
/// and the people part's user ids (often an email).
fn person_attribute(local: &[u8]) -> Option<&'static str> {
    match local {
        b"author" => Some(AUTHOR),
        b"initials" => Some("C"),
        b"userId" | b"providerId" => Some(""),
        _ => None,
    }
}

fn anonymize_docx(bytes: &[u8], limits: &Limits) -> Result<Vec<u8>, String> {
    let mut source = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| e.to_string())?;
    if source.len() > limits.max_zip_entries {
        return Err("the file has too many parts".into());
    }
    let mut out = zip::ZipWriter::new(Cursor::new(Vec::with_capacity(bytes.len())));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    let mut budget = limits.max_uncompressed_bytes;
    let mut names = Vec::with_capacity(source.len());
    for index in 0..source.len() {
        let name = source
            .by_index_raw(index)
            .map_err(|e| e.to_string())?
            .name()
            .map_err(|e| e.to_string())?
            .into_owned();
        names.push((index, name));
    }
    // The parts written anew by us first, the content types leading: whatever another part's
    // stored bytes hold (a PDF, in a polyglot), the copy's first KiB is then our own.
    names.sort_by_key(|(_, name)| {
        (
            name != "[Content_Types].xml",
            Rewrite::of(name) == Rewrite::None,
        )
    });
    for (index, name) in names {
        if let Some((_, empty)) = EMPTY_PARTS.iter().find(|(part, _)| *part == name) {
            out.start_file(name.as_str(), options)
                .map_err(|e| e.to_string())?;
            out.write_all(empty.as_bytes()).map_err(|e| e.to_string())?;
            continue;
        }
        // Every part is unpacked and packed again, none copied as stored: a stored part's bytes
        // are the author's choice, and could put a PDF header in the copy's first KiB.
        let rewrite = Rewrite::of(&name);
        let mut xml = Vec::new();
        source
            .by_index(index)
            .map_err(|e| e.to_string())?
            .take(budget + 1)
            .read_to_end(&mut xml)
            .map_err(|e| e.to_string())?;
        budget = budget
            .checked_sub(xml.len() as u64)
            .ok_or("the file unpacks to too much data")?;
        let written = match rewrite {
            Rewrite::People => without_people(&xml, limits.max_xml_depth)?,
            Rewrite::CustomXml => root_only(&xml)?,
            Rewrite::Relationships => without_local_paths(&xml, limits.max_xml_depth)?,
            Rewrite::None => xml,
        };
        out.start_file(name.as_str(), options)
            .map_err(|e| e.to_string())?;
        out.write_all(&written).map_err(|e| e.to_string())?;
    }
    Ok(out.finish().map_err(|e| e.to_string())?.into_inner())
}

/// How a package part is carried into the copy.
#[derive(Debug, PartialEq, Eq, Clone, Copy)]
enum Rewrite {
    /// Unpacked and packed again as it was.
    None,
    /// Word's XML: person attributes replaced.
    People,
    /// Custom XML data (SharePoint properties, add-ins): emptied to its root element.
    CustomXml,
    /// Relationships: paths on the author's disk replaced.
    Relationships,
}

impl Rewrite {
    fn of(name: &str) -> Self {
        let lower = name.to_ascii_lowercase();
        if lower.ends_with(".rels") {
            Rewrite::Relationships
        } else if lower.starts_with("customxml/") && lower.ends_with(".xml") {
            Rewrite::CustomXml
        } else if lower.starts_with("word/") && lower.ends_with(".xml") {
            Rewrite::People
        } else {
            Rewrite::None
        }
    }
}

/// The part's root element alone, with its namespace declarations: custom XML may hold anything
/// (a name, an employee number) and no reader shows it.
fn root_only(xml: &[u8]) -> Result<Vec<u8>, String> {
    let mut reader = Reader::from_reader(xml);
    let mut buffer = Vec::new();
    loop {
        match reader
            .read_event_into(&mut buffer)
            .map_err(|e| e.to_string())?
        {
            Event::Eof => return Ok(b"<?xml version=\"1.0\" encoding=\"UTF-8\"?><root/>".to_vec()),
            Event::DocType(_) => return Err("the document declares a DOCTYPE".into()),
            Event::Start(start) | Event::Empty(start) => {
                let qname = start.name();
                let name: &str = qname.as_ref();
                let mut root = BytesStart::new(name.to_owned());
                for attribute in start.attributes() {
                    let attribute = attribute.map_err(|e| e.to_string())?;
                    let key: &str = attribute.key.as_ref();
                    if key.starts_with("xmlns") {
                        root.push_attribute(attribute);
                    }
                }
                let mut writer = Writer::new(Vec::new());
                writer
                    .write_event(Event::Decl(quick_xml::events::BytesDecl::new(
                        "1.0",
                        Some("UTF-8"),
                        Some("yes"),
                    )))
                    .map_err(|e| e.to_string())?;
                writer
                    .write_event(Event::Empty(root))
                    .map_err(|e| e.to_string())?;
                return Ok(writer.into_inner());
            }
            _ => {}
        }
        buffer.clear();
    }
}

/// Whether a relationship's target is a path on somebody's disk or network share (an attached
/// template `C:\Users\jane.doe\…`, a linked picture), rather than a web address.
fn local_path(target: &str) -> bool {
    let t = target.trim().to_ascii_lowercase();
    let drive = t.len() > 2 && t.as_bytes()[1] == b':' && t.as_bytes()[0].is_ascii_alphabetic();
    t.starts_with("file:") || t.starts_with("\\\\") || t.starts_with('/') || drive
}

/// The relationships with every external target that is a local path replaced by a neutral one;
/// targets inside the package and web links are kept.
fn without_local_paths(xml: &[u8], max_depth: usize) -> Result<Vec<u8>, String> {
    rewrite_elements(xml, max_depth, |start| {
        let external = start.attributes().flatten().any(|a| {
            let key: &str = a.key.as_ref();
            let value: &str = &a.value;
            key == "TargetMode" && value.eq_ignore_ascii_case("External")
        });
        let qname = start.name();
        let name: &str = qname.as_ref();
        let mut copy = BytesStart::new(name.to_owned());
        for attribute in start.attributes() {
            let attribute = attribute.map_err(|e| e.to_string())?;
            let key: &str = attribute.key.as_ref();
            let is_target = key == "Target";
            // Read as written: a path on a disk needs no unescaping to be recognised.
            let value: &str = &attribute.value;
            if external && is_target && local_path(value) {
                copy.push_attribute(("Target", "file:///removed"));
            } else {
                copy.push_attribute(attribute.clone());
            }
        }
        Ok(copy)
    })
}

/// The XML with every person attribute replaced; everything else is written back as it was.
fn without_people(xml: &[u8], max_depth: usize) -> Result<Vec<u8>, String> {
    rewrite_elements(xml, max_depth, replace_people)
}

/// The XML with each element's start tag passed through `change`; everything else as it was.
fn rewrite_elements(
    xml: &[u8],
    max_depth: usize,
    change: impl Fn(&BytesStart<'_>) -> Result<BytesStart<'static>, String>,
) -> Result<Vec<u8>, String> {
    let mut reader = Reader::from_reader(xml);
    let mut writer = Writer::new(Vec::with_capacity(xml.len()));
    let mut buffer = Vec::new();
    let mut depth = 0usize;
    loop {
        let event = reader
            .read_event_into(&mut buffer)
            .map_err(|e| e.to_string())?;
        let event = match event {
            Event::Eof => break,
            Event::DocType(_) => return Err("the document declares a DOCTYPE".into()),
            Event::Start(start) => {
                depth += 1;
                if depth > max_depth {
                    return Err("the document is nested too deeply".into());
                }
                Event::Start(change(&start)?)
            }
            Event::Empty(start) => Event::Empty(change(&start)?),
            Event::End(end) => {
                depth = depth.saturating_sub(1);
                Event::End(end)
            }
            other => other,
        };
        writer.write_event(event).map_err(|e| e.to_string())?;
        buffer.clear();
    }
    Ok(writer.into_inner())
}

fn replace_people(start: &BytesStart<'_>) -> Result<BytesStart<'static>, String> {
    let name = start.name().as_ref().to_owned();
    let mut copy = BytesStart::new(name);
    for attribute in start.attributes() {
        let attribute = attribute.map_err(|e| e.to_string())?;
        let key: &str = attribute.key.as_ref();
        let local = key.rsplit(':').next().unwrap_or(key);
        match person_attribute(local.as_bytes()) {
            Some(stand_in) => copy.push_attribute((key, stand_in)),
            // Written back as it was read, still escaped.
            None => copy.push_attribute(attribute.clone()),
        }
    }
    Ok(copy)
}
