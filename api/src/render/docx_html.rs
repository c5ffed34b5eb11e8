//! A .docx rendered to clean HTML for assessors: headings, paragraphs, bold/italic/underline,
//! lists, tables and inline PNG/JPEG/GIF images. Everything is built from the parsed document
//! and escaped here, so no markup, script, style or link from the file reaches the page.

use std::collections::HashMap;
use std::io::{Cursor, Read};

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;

const MAX_PART_BYTES: u64 = 32 * 1024 * 1024;
const MAX_IMAGE_BYTES: u64 = 4 * 1024 * 1024;
const MAX_DEPTH: usize = 256;

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum RenderError {
    #[error("the file is not a readable Word document")]
    NotDocx,
    #[error("the document is too large or too deeply nested to show")]
    TooComplex,
}

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

fn read_part(
    archive: &mut zip::ZipArchive<Cursor<&[u8]>>,
    name: &str,
    cap: u64,
) -> Option<Vec<u8>> {
    let file = archive.by_name(name).ok()?;
    let mut bytes = Vec::new();
    file.take(cap + 1).read_to_end(&mut bytes).ok()?;
    (bytes.len() as u64 <= cap).then_some(bytes)
}

fn local_name(name: &str) -> &str {
    name.rsplit(':').next().unwrap_or(name)
}

fn attribute(element: &BytesStart, wanted: &str) -> Option<String> {
    element
        .attributes()
        .flatten()
        .find_map(|a| (local_name(a.key.as_ref()) == wanted).then(|| a.value.to_string()))
}

fn relationships(archive: &mut zip::ZipArchive<Cursor<&[u8]>>) -> HashMap<String, String> {
    let mut map = HashMap::new();
    let Some(xml) = read_part(archive, "word/_rels/document.xml.rels", MAX_PART_BYTES) else {
        return map;
    };
    let mut reader = Reader::from_reader(xml.as_slice());
    let mut buffer = Vec::new();
    while let Ok(event) = reader.read_event_into(&mut buffer) {
        match event {
            Event::Empty(e) | Event::Start(e)
                if local_name(e.name().as_ref()) == "Relationship" =>
            {
                if let (Some(id), Some(target)) = (attribute(&e, "Id"), attribute(&e, "Target")) {
                    map.insert(id, target);
                }
            }
            Event::Eof => break,
            _ => {}
        }
        buffer.clear();
    }
    map
}

#[derive(Default)]
struct Paragraph {
    style: String,
    list_level: Option<usize>,
    html: String,
}

#[derive(Default, Clone, Copy)]
struct RunStyle {
    bold: bool,
    italic: bool,
    underline: bool,
}

fn toggle_on(element: &BytesStart) -> bool {
    !matches!(
        attribute(element, "val").as_deref(),
        Some("0" | "false" | "none")
    )
}

/// Renders `word/document.xml` of a .docx as an HTML fragment.
pub fn render(bytes: &[u8]) -> Result<String, RenderError> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|_| RenderError::NotDocx)?;
    let xml =
        read_part(&mut archive, "word/document.xml", MAX_PART_BYTES).ok_or(RenderError::NotDocx)?;
    let rels = relationships(&mut archive);
    let mut reader = Reader::from_reader(xml.as_slice());
    let mut buffer = Vec::new();
    let mut out = String::new();
    let mut paragraph: Option<Paragraph> = None;
    let mut run_style = RunStyle::default();
    let mut in_run_properties = false;
    let mut in_text = false;
    let mut open_list = false;
    let mut depth = 0usize;
    // Paragraphs inside table cells are written into the cell, not the body.
    let mut cell_stack: Vec<String> = Vec::new();
    loop {
        let event = reader
            .read_event_into(&mut buffer)
            .map_err(|_| RenderError::NotDocx)?;
        match event {
            Event::Start(ref e) | Event::Empty(ref e) => {
                let is_start = matches!(event, Event::Start(_));
                if is_start {
                    depth += 1;
                    if depth > MAX_DEPTH {
                        return Err(RenderError::TooComplex);
                    }
                }
                match local_name(e.name().as_ref()) {
                    "tbl" if is_start => {
                        if open_list && cell_stack.is_empty() {
                            out.push_str("</ul>");
                            open_list = false;
                        }
                        target(&mut out, &mut cell_stack).push_str("<table>");
                    }
                    "tr" if is_start => target(&mut out, &mut cell_stack).push_str("<tr>"),
                    "tc" if is_start => cell_stack.push(String::new()),
                    "p" => {
                        paragraph = Some(Paragraph::default());
                        if !is_start {
                            finish_paragraph(
                                paragraph.take(),
                                &mut out,
                                &mut cell_stack,
                                &mut open_list,
                            );
                        }
                    }
                    "pStyle" => {
                        if let (Some(p), Some(style)) = (paragraph.as_mut(), attribute(e, "val")) {
                            p.style = style;
                        }
                    }
                    "ilvl" => {
                        if let Some(p) = paragraph.as_mut() {
                            p.list_level = Some(
                                attribute(e, "val")
                                    .and_then(|v| v.parse().ok())
                                    .unwrap_or(0),
                            );
                        }
                    }
                    "numId" => {
                        if let Some(p) = paragraph.as_mut() {
                            p.list_level.get_or_insert(0);
                        }
                    }
                    "r" if is_start => run_style = RunStyle::default(),
                    "rPr" if is_start => in_run_properties = true,
                    "b" if in_run_properties => run_style.bold = toggle_on(e),
                    "i" if in_run_properties => run_style.italic = toggle_on(e),
                    "u" if in_run_properties => run_style.underline = toggle_on(e),
                    "t" if is_start => in_text = true,
                    "br" | "cr" => {
                        if let Some(p) = paragraph.as_mut() {
                            p.html.push_str("<br>");
                        }
                    }
                    "tab" => {
                        if let Some(p) = paragraph.as_mut() {
                            p.html.push(' ');
                        }
                    }
                    "blip" => {
                        let image = attribute(e, "embed")
                            .and_then(|id| rels.get(&id).cloned())
                            .and_then(|target| image_data_uri(&mut archive, &target));
                        if let (Some(p), Some(uri)) = (paragraph.as_mut(), image) {
                            p.html.push_str(&format!("<img alt=\"\" src=\"{uri}\">"));
                        }
                    }
                    _ => {}
                }
            }
            Event::Text(text) if in_text => {
                if let Some(p) = paragraph.as_mut() {
                    let raw = text.as_ref().to_owned();
                    let decoded = quick_xml::escape::unescape(&raw)
                        .map(|c| c.into_owned())
                        .unwrap_or(raw);
                    let mut piece = escape(&decoded);
                    if run_style.underline {
                        piece = format!("<u>{piece}</u>");
                    }
                    if run_style.italic {
                        piece = format!("<em>{piece}</em>");
                    }
                    if run_style.bold {
                        piece = format!("<strong>{piece}</strong>");
                    }
                    p.html.push_str(&piece);
                }
            }
            Event::GeneralRef(reference) if in_text => {
                if let Some(p) = paragraph.as_mut() {
                    let name = reference.as_ref().to_owned();
                    let text = match name.as_str() {
                        "amp" => "&",
                        "lt" => "<",
                        "gt" => ">",
                        "quot" => "\"",
                        "apos" => "'",
                        _ => "",
                    };
                    p.html.push_str(&escape(text));
                }
            }
            Event::End(ref e) => {
                depth = depth.saturating_sub(1);
                match local_name(e.name().as_ref()) {
                    "t" => in_text = false,
                    "rPr" => in_run_properties = false,
                    "p" => finish_paragraph(
                        paragraph.take(),
                        &mut out,
                        &mut cell_stack,
                        &mut open_list,
                    ),
                    "tc" => {
                        let cell = cell_stack.pop().unwrap_or_default();
                        target(&mut out, &mut cell_stack).push_str(&format!("<td>{cell}</td>"));
                    }
                    "tr" => target(&mut out, &mut cell_stack).push_str("</tr>"),
                    "tbl" => target(&mut out, &mut cell_stack).push_str("</table>"),
                    _ => {}
                }
            }
            Event::Eof => break,
            _ => {}
        }
        buffer.clear();
    }
    if open_list {
        out.push_str("</ul>");
    }
    Ok(out)
}

fn target<'a>(out: &'a mut String, cells: &'a mut [String]) -> &'a mut String {
    match cells.last_mut() {
        Some(cell) => cell,
        None => out,
    }
}

fn finish_paragraph(
    paragraph: Option<Paragraph>,
    out: &mut String,
    cells: &mut [String],
    open_list: &mut bool,
) {
    let Some(paragraph) = paragraph else { return };
    let in_cell = !cells.is_empty();
    let destination = target(out, cells);
    let style = paragraph.style.to_ascii_lowercase();
    let body = paragraph.html;
    if !in_cell && paragraph.list_level.is_none() && *open_list {
        destination.push_str("</ul>");
        *open_list = false;
    }
    if paragraph.list_level.is_some() && !in_cell {
        if !*open_list {
            destination.push_str("<ul>");
            *open_list = true;
        }
        destination.push_str(&format!("<li>{body}</li>"));
        return;
    }
    let tag = if style == "title" {
        "h2"
    } else if style.starts_with("heading") || style.starts_with("titre") {
        match style.trim_start_matches(|c: char| !c.is_ascii_digit()) {
            "1" => "h3",
            "2" => "h4",
            _ => "h5",
        }
    } else {
        "p"
    };
    if tag == "p" && body.is_empty() {
        return;
    }
    destination.push_str(&format!("<{tag}>{body}</{tag}>"));
}

fn image_data_uri(archive: &mut zip::ZipArchive<Cursor<&[u8]>>, target: &str) -> Option<String> {
    let path = if let Some(absolute) = target.strip_prefix('/') {
        absolute.to_owned()
    } else {
        format!("word/{target}")
    };
    let lower = path.to_ascii_lowercase();
    let mime = if lower.ends_with(".png") {
        "image/png"
    } else if lower.ends_with(".jpg") || lower.ends_with(".jpeg") {
        "image/jpeg"
    } else if lower.ends_with(".gif") {
        "image/gif"
    } else {
        return None;
    };
    let bytes = read_part(archive, &path, MAX_IMAGE_BYTES)?;
    Some(format!("data:{mime};base64,{}", STANDARD.encode(bytes)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn docx(body: &str) -> Vec<u8> {
        let mut out = Cursor::new(Vec::new());
        {
            let mut zip = zip::ZipWriter::new(&mut out);
            let options = zip::write::SimpleFileOptions::default();
            zip.start_file("word/document.xml", options).unwrap();
            write!(zip, r#"<?xml version="1.0"?><w:document xmlns:w="w"><w:body>{body}</w:body></w:document>"#).unwrap();
            zip.finish().unwrap();
        }
        out.into_inner()
    }

    #[test]
    fn headings_emphasis_lists_and_tables_become_html() {
        let html = render(&docx(concat!(
            r#"<w:p><w:pPr><w:pStyle w:val="Heading1"/></w:pPr><w:r><w:t>Key challenges</w:t></w:r></w:p>"#,
            r#"<w:p><w:r><w:rPr><w:b/></w:rPr><w:t>Bold</w:t></w:r><w:r><w:t xml:space="preserve"> and plain</w:t></w:r></w:p>"#,
            r#"<w:p><w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr></w:pPr><w:r><w:t>First</w:t></w:r></w:p>"#,
            r#"<w:tbl><w:tr><w:tc><w:p><w:r><w:t>Cell</w:t></w:r></w:p></w:tc></w:tr></w:tbl>"#,
        )))
        .unwrap();
        assert_eq!(
            html,
            "<h3>Key challenges</h3><p><strong>Bold</strong> and plain</p><ul><li>First</li></ul><table><tr><td><p>Cell</p></td></tr></table>"
        );
    }

    #[test]
    fn markup_in_the_text_is_escaped() {
        let html = render(&docx(
            r#"<w:p><w:r><w:t>&lt;script&gt;alert(1)&lt;/script&gt; &amp; "x"</w:t></w:r></w:p>"#,
        ))
        .unwrap();
        assert!(!html.contains("<script>"), "{html}");
        assert!(html.contains("&lt;script&gt;"), "{html}");
    }

    #[test]
    fn a_non_docx_is_refused() {
        assert_eq!(render(b"%PDF-1.4"), Err(RenderError::NotDocx));
    }
}
