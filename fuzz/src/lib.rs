//! The fuzz targets' code, one function per target, shared with the regression replay
//! (`tests/fuzz_replay`, which includes this file): a finding replays exactly as it was found.
//! Only `inspection`, `policy` and `zip` may be used here; both builds have them.

use std::io::{Cursor, Write};

use inspection::Limits;

/// The targets, as named in `fuzz/targets/` and `tests/fuzz-regressions/`.
pub const TARGETS: &[&str] = &["docx_parts", "docx_bytes", "pdf", "notice", "filename"];

/// One input through one target.
pub fn run(target: &str, data: &[u8]) {
    match target {
        "docx_parts" => {
            if let Some(docx) = docx_with_part(data) {
                worker(&docx, "251334 Key challenges.docx");
            }
        }
        "docx_bytes" => worker(data, "251334 Key challenges.docx"),
        "pdf" => worker(data, "251334 Key challenges.pdf"),
        "notice" => notice(data),
        "filename" => filename(data),
        other => panic!("unknown fuzz target {other}"),
    }
}

/// Notice import: an admin pastes a vacancy notice's text; the rules are read from it.
fn notice(data: &[u8]) {
    let draft = policy::notice::import_notice(&String::from_utf8_lossy(data));
    let _ = draft.to_vacancy_rules();
}

/// The file-name rule: the name a candidate's browser sends, against a reference and a phrase
/// an admin typed; the input's three fields are separated by NUL bytes.
fn filename(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let mut fields = text.split('\0');
    let name = fields.next().unwrap_or_default();
    let reference = fields.next();
    let phrase = fields.next();
    let _ = policy::filename::check_filename(name, reference, phrase);
    if let (Some(reference), Some(phrase)) = (reference, phrase) {
        let suggested = policy::filename::suggested_filename(reference, phrase, "docx");
        let _ = policy::filename::check_filename(&suggested, Some(reference), Some(phrase));
    }
}

/// The parts a structure-aware input may replace, chosen by its first byte. Each is read by a
/// different parser path (package, main text, styles, numbering, notes, properties).
pub const PARTS: &[&str] = &[
    "word/document.xml",
    "word/styles.xml",
    "word/numbering.xml",
    "[Content_Types].xml",
    "_rels/.rels",
    "word/_rels/document.xml.rels",
    "word/settings.xml",
    "word/footnotes.xml",
    "docProps/app.xml",
    "docProps/core.xml",
    "word/theme/theme1.xml",
    "word/fontTable.xml",
];

/// A real essay whose parts are kept when the input replaces one of them.
pub const TEMPLATE: &[u8] = include_bytes!("../../inspection/tests/essays/essay000.docx");

/// Everything the inspection worker does with an uploaded file. A panic, a timeout or an
/// out-of-memory here is a finding.
fn worker(bytes: &[u8], filename: &str) {
    let limits = Limits::default();
    let inspection = inspection::inspect(bytes, filename, &limits);
    let _ = inspection::render_human(&inspection);
    let _ = inspection::was_read(&inspection.facts);
    let _ = inspection::anonymize(bytes, &limits);
}

/// The template with the part `data[0]` selects replaced by (or added as) `data[1..]`.
fn docx_with_part(data: &[u8]) -> Option<Vec<u8>> {
    let (&selector, content) = data.split_first()?;
    let part = PARTS[usize::from(selector) % PARTS.len()];
    let mut template = zip::ZipArchive::new(Cursor::new(TEMPLATE)).ok()?;
    let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for i in 0..template.len() {
        let mut entry = template.by_index(i).ok()?;
        let name = entry.name().ok()?.into_owned();
        if name == part {
            continue;
        }
        let mut bytes = Vec::new();
        std::io::copy(&mut entry, &mut bytes).ok()?;
        out.start_file(name, options).ok()?;
        out.write_all(&bytes).ok()?;
    }
    out.start_file(part, options).ok()?;
    out.write_all(content).ok()?;
    Some(out.finish().ok()?.into_inner())
}
