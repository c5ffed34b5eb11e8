//! A copy of an essay without the metadata that names its author, for the anonymous panel.
//! Word and PDF writers put the author's name (often an email) in places nobody sees on the page:
//! PDF `/Info` and XMP metadata; .docx core and app properties, custom properties, and the
//! authors of comments, tracked changes and the people list. The text itself is not changed.
//!
//! Hostile files reach this code, so it runs in the inspection worker, like [`crate::inspect`].

use std::io::{Cursor, Read, Write};

use lopdf::{Document, LoadOptions, Object};
use quick_xml::events::{BytesStart, Event};
use quick_xml::{Reader, Writer};

use crate::Limits;

/// What stands where an author's name was.
const AUTHOR: &str = "Candidate";

/// The anonymous copy of a PDF or .docx (decided from the content), or why there is none.
pub fn anonymize(bytes: &[u8], limits: &Limits) -> Result<Vec<u8>, String> {
    if bytes.len() as u64 > limits.max_file_bytes {
        return Err("the file is too large".into());
    }
    if bytes.starts_with(b"%PDF") || bytes.windows(5).take(1024).any(|w| w == b"%PDF-") {
        anonymize_pdf(bytes, limits)
    } else if bytes.starts_with(b"PK\x03\x04") {
        anonymize_docx(bytes, limits)
    } else {
        Err("only PDF and Word (.docx) files are made anonymous".into())
    }
}

fn anonymize_pdf(bytes: &[u8], limits: &Limits) -> Result<Vec<u8>, String> {
    let options = LoadOptions {
        max_decompressed_size: Some(limits.max_pdf_stream_bytes),
        ..LoadOptions::default()
    };
    let mut doc = Document::load_mem_with_options(bytes, options).map_err(|e| e.to_string())?;
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
    // The former /Info dictionary, now referenced by nothing, goes too.
    doc.prune_objects();
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
    for index in 0..source.len() {
        let name = source
            .by_index_raw(index)
            .map_err(|e| e.to_string())?
            .name()
            .map_err(|e| e.to_string())?
            .into_owned();
        if let Some((_, empty)) = EMPTY_PARTS.iter().find(|(part, _)| *part == name) {
            out.start_file(name.as_str(), options)
                .map_err(|e| e.to_string())?;
            out.write_all(empty.as_bytes()).map_err(|e| e.to_string())?;
            continue;
        }
        let rewrite = name.starts_with("word/") && name.ends_with(".xml");
        if !rewrite {
            let raw = source.by_index_raw(index).map_err(|e| e.to_string())?;
            out.raw_copy_file(raw).map_err(|e| e.to_string())?;
            continue;
        }
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
        out.start_file(name.as_str(), options)
            .map_err(|e| e.to_string())?;
        out.write_all(&without_people(&xml, limits.max_xml_depth)?)
            .map_err(|e| e.to_string())?;
    }
    Ok(out.finish().map_err(|e| e.to_string())?.into_inner())
}

/// The XML with every person attribute replaced; everything else is written back as it was.
fn without_people(xml: &[u8], max_depth: usize) -> Result<Vec<u8>, String> {
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
                Event::Start(replace_people(&start)?)
            }
            Event::Empty(start) => Event::Empty(replace_people(&start)?),
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
