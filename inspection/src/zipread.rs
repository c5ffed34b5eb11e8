//! ZIP containers (DOCX, DOCM, ODT) read under limits: entry count, declared and actual
//! uncompressed size, compression ratio.

use crate::{codes, xml, Details, Facts, Format, Limits};
use std::io::{Cursor, Read};
use zip::ZipArchive;

/// Entries smaller than this are not checked for their compression ratio.
const RATIO_FLOOR: u64 = 1024 * 1024;

pub struct SafeZip<'a> {
    archive: ZipArchive<Cursor<&'a [u8]>>,
    names: Vec<String>,
    /// Bytes still allowed to be decompressed.
    budget: u64,
    pub limits: Limits,
}

pub enum ZipFailure {
    Unreadable,
    /// An entry's data is corrupt (bad checksum, cut-off compressed stream).
    Damaged(String),
    TooManyEntries(usize),
    Bomb(String),
}

impl<'a> SafeZip<'a> {
    pub fn open(bytes: &'a [u8], limits: &Limits) -> Result<Self, ZipFailure> {
        let archive = ZipArchive::new(Cursor::new(bytes)).map_err(|_| ZipFailure::Unreadable)?;
        let n = archive.len();
        if n > limits.max_zip_entries {
            return Err(ZipFailure::TooManyEntries(n));
        }
        let mut names = Vec::with_capacity(n);
        let mut total: u64 = 0;
        for i in 0..n {
            let Ok(e) = archive.by_index_data(i) else {
                names.push(String::new());
                continue;
            };
            let size = e.size();
            let csize = e.compressed_size().max(1);
            total = total.saturating_add(size);
            if size > RATIO_FLOOR && size / csize > limits.max_compression_ratio {
                return Err(ZipFailure::Bomb(format!(
                    "an entry compresses {}:1 (at most {}:1 is accepted)",
                    size / csize,
                    limits.max_compression_ratio
                )));
            }
            names.push(e.name().map(|c| c.into_owned()).unwrap_or_default());
        }
        if total > limits.max_uncompressed_bytes {
            return Err(ZipFailure::Bomb(format!(
                "it would expand to {} bytes (at most {} are accepted)",
                total, limits.max_uncompressed_bytes
            )));
        }
        Ok(SafeZip {
            archive,
            names,
            budget: limits.max_uncompressed_bytes,
            limits: limits.clone(),
        })
    }

    pub fn names(&self) -> &[String] {
        &self.names
    }

    fn index_of(&self, name: &str) -> Option<usize> {
        let name = name.trim_start_matches('/');
        self.names
            .iter()
            .position(|n| n == name)
            .or_else(|| self.names.iter().position(|n| n.eq_ignore_ascii_case(name)))
    }

    pub fn has(&self, name: &str) -> bool {
        self.index_of(name).is_some()
    }

    /// Reads an entry, never more than its declared size nor the remaining budget.
    /// `Ok(None)` when the entry is missing; `Err` when a limit was hit.
    pub fn read(&mut self, name: &str) -> Result<Option<Vec<u8>>, ZipFailure> {
        let Some(i) = self.index_of(name) else {
            return Ok(None);
        };
        let Ok(file) = self.archive.by_index(i) else {
            return Ok(None);
        };
        let declared = file.size();
        let cap = declared.min(self.budget);
        let mut buf = Vec::with_capacity(cap.min(16 * 1024 * 1024) as usize);
        let mut limited = file.take(cap.saturating_add(1));
        let damaged = limited.read_to_end(&mut buf).is_err();
        if buf.len() as u64 > cap {
            return Err(ZipFailure::Bomb(
                "an entry expands beyond its declared size or the overall limit".into(),
            ));
        }
        self.budget = self.budget.saturating_sub(buf.len() as u64);
        if damaged {
            if is_optional(name) {
                // Properties, thumbnails and custom XML are not laid out: Word opens a file
                // whose copy of them is damaged, as it does when they are malformed, and so
                // do we, as if the part were missing.
                return Ok(None);
            }
            // A bad checksum or a cut-off compressed stream: what was read is only part of the
            // entry, and a layout of part of a document must never be reported as its length.
            return Err(ZipFailure::Damaged(name.to_string()));
        }
        Ok(Some(buf))
    }

    /// Reads and parses an XML entry.
    pub fn xml(&mut self, name: &str, facts: &mut Facts) -> Result<Option<xml::Node>, ZipFailure> {
        let Some(bytes) = self.read(name)? else {
            return Ok(None);
        };
        let parsed = xml::parse(&bytes, self.limits.max_xml_depth, 4_000_000);
        for issue in &parsed.issues {
            match issue {
                xml::XmlIssue::TooDeep => facts.problem(
                    codes::XML_TOO_DEEP,
                    format!(
                        "The document's XML ({name}) is nested deeper than {} levels.",
                        self.limits.max_xml_depth
                    ),
                ),
                xml::XmlIssue::TooManyNodes => facts.problem(
                    codes::TOO_COMPLEX,
                    format!("The document's XML ({name}) has too many elements."),
                ),
                xml::XmlIssue::Doctype => facts.problem(
                    codes::XML_DOCTYPE,
                    format!("The document's XML ({name}) declares a DOCTYPE; it was ignored."),
                ),
                xml::XmlIssue::Malformed if !is_optional(name) => facts.problem(
                    codes::UNREADABLE,
                    format!(
                        "The document is damaged: its part {name} is not well-formed XML (it may have been cut off while saving or copying), so Word cannot open it. Please open the original in your word processor, save it again, and upload the new file."
                    ),
                ),
                // Word opens a file whose properties are damaged; so do we.
                xml::XmlIssue::Malformed => {}
            }
        }
        Ok(Some(parsed.root))
    }
}

/// Parts nothing is laid out from, which Word opens a file without: document properties
/// (title, author, page count as last saved), thumbnails and custom XML data.
fn is_optional(part: &str) -> bool {
    let part = part.trim_start_matches('/').to_ascii_lowercase();
    ["docprops/", "customxml/", "thumbnails/"]
        .iter()
        .any(|dir| part.starts_with(dir))
        || part == "meta.xml"
}

pub fn failure_problem(facts: &mut Facts, f: ZipFailure) {
    match f {
        ZipFailure::Unreadable => facts.problem(
            codes::UNREADABLE,
            "The file looks like a ZIP container (as .docx files are) but is damaged and cannot be opened.",
        ),
        ZipFailure::Damaged(part) => facts.problem(
            codes::UNREADABLE,
            format!("The document is damaged: its part {part} cannot be unpacked (it may have been cut off while saving or copying). Please save it again from your word processor and upload the new file."),
        ),
        ZipFailure::TooManyEntries(n) => facts.problem(
            codes::TOO_MANY_ENTRIES,
            format!("The file's ZIP container holds {n} entries; a document needs far fewer."),
        ),
        ZipFailure::Bomb(why) => facts.problem(
            codes::ZIP_BOMB,
            format!("The file was not unpacked: {why}."),
        ),
    }
}

/// Content type of the main document part and its path.
fn main_part(zip: &mut SafeZip<'_>, facts: &mut Facts) -> Result<(String, String), ZipFailure> {
    let mut path = String::from("word/document.xml");
    if let Some(rels) = zip.xml("_rels/.rels", facts)? {
        if let Some(rels) = rels.find("Relationships") {
            for r in rels.children_named("Relationship") {
                if r.attr("Type")
                    .is_some_and(|t| t.ends_with("/officeDocument"))
                {
                    if let Some(t) = r.attr("Target") {
                        path = t.trim_start_matches('/').to_string();
                    }
                }
            }
        }
    }
    let mut ctype = String::new();
    if let Some(ct) = zip.xml("[Content_Types].xml", facts)? {
        if let Some(types) = ct.find("Types") {
            let want = format!("/{path}");
            for o in types.children_named("Override") {
                if o.attr("PartName")
                    .is_some_and(|p| p.eq_ignore_ascii_case(&want))
                {
                    ctype = o.attr("ContentType").unwrap_or("").to_string();
                }
            }
        }
    }
    Ok((path, ctype))
}

pub fn inspect_zip(bytes: &[u8], limits: &Limits, details: &mut Details) -> Facts {
    let mut facts = Facts::new(Format::Unknown);
    let mut zip = match SafeZip::open(bytes, limits) {
        Ok(z) => z,
        Err(f) => {
            failure_problem(&mut facts, f);
            return facts;
        }
    };
    match inspect_zip_inner(&mut zip, &mut facts, details) {
        Ok(()) => {}
        Err(f) => failure_problem(&mut facts, f),
    }
    facts
}

fn inspect_zip_inner(
    zip: &mut SafeZip<'_>,
    facts: &mut Facts,
    details: &mut Details,
) -> Result<(), ZipFailure> {
    // ODT: a stored "mimetype" entry.
    if zip.has("mimetype") {
        let m = zip.read("mimetype")?.unwrap_or_default();
        let m = String::from_utf8_lossy(&m).trim().to_string();
        if m == "application/vnd.oasis.opendocument.text" {
            facts.format = Format::Odt;
            crate::docx::odt_meta(zip, facts, details)?;
            return Ok(());
        }
        if m.starts_with("application/vnd.oasis.opendocument") {
            facts.problem(
                codes::NOT_A_DOCUMENT,
                "This is an OpenDocument file but not a text document.",
            );
            return Ok(());
        }
    }
    let (path, ctype) = main_part(zip, facts)?;
    let has_vba = zip
        .names()
        .iter()
        .any(|n| n.to_ascii_lowercase().ends_with("vbaproject.bin"));
    details.has_macros = has_vba;
    let ct = ctype.to_ascii_lowercase();
    let format = if ct.contains("wordprocessingml.document.main") {
        Format::Docx
    } else if ct.contains("ms-word.document.macroenabled.main") {
        Format::Docm
    } else if ct.contains("wordprocessingml.template.main")
        || ct.contains("ms-word.template.macroenabledtemplate.main")
    {
        facts.problem(
            codes::NOT_A_DOCUMENT,
            "This is a Word template (.dotx/.dotm), not a document. Please save it as a .docx file.",
        );
        return Ok(());
    } else if ctype.is_empty() && zip.has(&path) && path.starts_with("word/") {
        // No content type for the main part: treat by its content.
        if has_vba {
            Format::Docm
        } else {
            Format::Docx
        }
    } else {
        facts.problem(
            codes::NOT_A_DOCUMENT,
            "This ZIP file is not a Word document (it may be a spreadsheet, a presentation or an archive).",
        );
        return Ok(());
    };
    facts.format = format;
    if has_vba || format == Format::Docm {
        details.has_macros = true;
        facts.problem(
            codes::MACROS,
            "The document is macro-enabled (.docm). Please save it as a plain .docx file.",
        );
    }
    crate::docx::inspect_docx(zip, &path, facts, details)
}
