//! Human-readable output and the read/not-read decision for the CLI.

use crate::{codes, Facts, Format, Inspection, PageCountSource, Paper, ProblemCode};
use std::fmt::Write;

/// Whether the document was read: its format is known and no problem stopped the reading.
/// The CLI exits 0 when this is true and 1 otherwise.
pub fn was_read(facts: &Facts) -> bool {
    const FATAL: &[ProblemCode] = &[
        codes::TOO_LARGE,
        codes::TOO_MANY_ENTRIES,
        codes::ZIP_BOMB,
        codes::XML_TOO_DEEP,
        codes::ENCRYPTED,
        codes::UNREADABLE,
        codes::NOT_A_DOCUMENT,
        codes::TOO_COMPLEX,
    ];
    facts.format != Format::Unknown
        && facts.pages.is_some()
        && !facts.problems.iter().any(|p| FATAL.contains(&p.code))
}

fn format_name(f: Format) -> &'static str {
    match f {
        Format::Pdf => "PDF",
        Format::Docx => "Word document (DOCX)",
        Format::Docm => "macro-enabled Word document (DOCM)",
        Format::Doc => "legacy Word document (DOC)",
        Format::Odt => "OpenDocument text (ODT)",
        Format::Rtf => "Rich Text Format (RTF)",
        Format::Unknown => "unknown",
    }
}

/// A short human-readable report of an inspection.
pub fn render_human(i: &Inspection) -> String {
    let f = &i.facts;
    let mut s = String::new();
    let _ = writeln!(s, "Format:     {}", format_name(f.format));
    if f.encrypted && f.opens_without_password {
        let restricted = if f.restrictions.is_empty() {
            String::new()
        } else {
            format!("; restricts {}", f.restrictions.join(", "))
        };
        let _ = writeln!(s, "Encrypted:  opens without a password{restricted}");
    } else if f.encrypted {
        let _ = writeln!(s, "Encrypted:  yes (needs a password to open)");
    }
    match f.pages {
        Some(p) => {
            let src = match f.page_count_source {
                Some(PageCountSource::Pdf) => "from the PDF",
                Some(PageCountSource::Layout) => "from our layout of the document",
                Some(PageCountSource::Renderer) => "from a renderer",
                Some(PageCountSource::Metadata) => "from the file's metadata",
                None => "",
            };
            let _ = writeln!(s, "Pages:      {p} ({src})");
        }
        None => {
            let _ = writeln!(s, "Pages:      unknown");
        }
    }
    if let Some(p) = f.paper {
        let name = match p {
            Paper::A4 => "A4",
            Paper::Letter => "US Letter",
            Paper::Other => "other",
            Paper::Mixed => "mixed sizes",
        };
        let size = f
            .page_sizes_mm
            .first()
            .map(|[w, h]| format!(" ({w} × {h} mm)"))
            .unwrap_or_default();
        let _ = writeln!(s, "Paper:      {name}{size}");
    }
    if let Some(w) = f.words {
        let _ = writeln!(s, "Words:      {w}");
    }
    if let (Some(p), Some(fill)) = (f.pages, f.last_page_fill) {
        let lines = i
            .details
            .lines_on_last_page
            .map(|l| format!(", {l} lines"))
            .unwrap_or_default();
        let _ = writeln!(
            s,
            "Last page:  {:.0}% full{lines}",
            (fill * 100.0).clamp(0.0, 100.0)
        );
        if p > 1 {
            if let Some(start) = f.page_starts.last() {
                let _ = writeln!(s, "Page {p} starts: \u{201c}{start}\u{2026}\u{201d}");
            }
        }
    }
    if let Some(app) = &i.details.app_xml_pages {
        let by = i
            .details
            .app_xml_application
            .as_deref()
            .map(|a| format!(" by {a}"))
            .unwrap_or_default();
        let _ = writeln!(s, "Saved as:   {app} pages{by} (docProps/app.xml)");
    }
    for p in &f.problems {
        let _ = writeln!(s, "Problem:    [{}] {}", p.code, p.message);
    }
    let _ = writeln!(
        s,
        "{}",
        if was_read(f) {
            "Result:     read"
        } else {
            "Result:     not read"
        }
    );
    s
}
