//! The package's document properties: `docProps/app.xml` (what the saving program wrote about
//! the text, evidence only) and `docProps/core.xml` (author, title… for the anonymity check).

use crate::zipread::{SafeZip, ZipFailure};
use crate::{Details, Facts};

/// Reads `<Pages>`, `<Application>`, `<AppVersion>` and `<Words>` of docProps/app.xml.
pub fn read_app(
    zip: &mut SafeZip<'_>,
    facts: &mut Facts,
    details: &mut Details,
) -> Result<(), ZipFailure> {
    let Some(app) = zip.xml("docProps/app.xml", facts)? else {
        return Ok(());
    };
    let text = |name: &str| {
        app.find(name)
            .map(|n| n.text().trim().to_string())
            .filter(|t| !t.is_empty())
    };
    if let Some(p) = app.find("Pages") {
        details.app_xml_pages = p.text().trim().parse().ok();
    }
    if let Some(t) = text("Application") {
        details.app_xml_application = Some(t);
    }
    if let Some(t) = text("AppVersion") {
        details.app_xml_version = Some(t);
    }
    if let Some(w) = app.find("Words") {
        details.app_xml_words = w.text().trim().parse().ok();
    }
    Ok(())
}

/// Core properties that name people or describe the text, as metadata (`creator` as "author").
pub fn read_core(
    zip: &mut SafeZip<'_>,
    facts: &mut Facts,
    details: &mut Details,
) -> Result<(), ZipFailure> {
    let Some(core) = zip.xml("docProps/core.xml", facts)? else {
        return Ok(());
    };
    let Some(cp) = core.find("coreProperties") else {
        return Ok(());
    };
    for c in cp.elems() {
        let v = c.text().trim().to_string();
        if !v.is_empty()
            && matches!(
                c.name.as_str(),
                "creator" | "lastModifiedBy" | "title" | "subject" | "description" | "keywords"
            )
        {
            let key = if c.name == "creator" {
                "author".to_string()
            } else {
                c.name.clone()
            };
            details.metadata.push((key, v));
        }
    }
    Ok(())
}

/// Whether Microsoft Word saved the file last, so that `<Pages>` in docProps/app.xml is Word's own
/// count of this very text. Three things must hold:
/// - `<Application>` names Microsoft Word ("Microsoft Office Word", "Microsoft Macintosh Word");
///   LibreOffice, pandoc, docx-rs and Google Docs write their own name or no app.xml at all;
/// - `<AppVersion>` is present (Word always writes it);
/// - `<Words>` agrees with the words we laid out, within 10 % or 20 words. A template keeps the
///   app.xml of the Word that made it (python-docx's default says 0 words), and a program that
///   edits document.xml without rewriting app.xml leaves a stale count; either way the words
///   no longer match, and the page count is not trusted.
pub fn word_saved_last(details: &Details, laid_out_words: Option<u32>) -> bool {
    let by_word = details.app_xml_application.as_deref().is_some_and(|app| {
        let app = app.to_ascii_lowercase();
        app.contains("microsoft") && app.contains("word")
    });
    let (Some(words), Some(ours)) = (details.app_xml_words, laid_out_words) else {
        return false;
    };
    let tolerance = (ours / 10).max(20);
    by_word
        && details.app_xml_version.is_some()
        && details.app_xml_pages.is_some_and(|pages| pages > 0)
        && words.abs_diff(ours) <= tolerance
}
