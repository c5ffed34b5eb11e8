//! Shared by tests/corpus.rs and examples/corpus_report.rs.
#![allow(dead_code)]
use inspection::{inspect, Format, Limits, Paper};
use std::time::{Duration, Instant};

/// The files that agreed with the manifest, counted, and those that did not, named.
#[derive(Default, Debug)]
pub struct Tally {
    pub ok: usize,
    pub bad: Vec<String>,
}

/// Page counts compared with the manifest's reference: how many were compared, equal, within
/// one page, on the same paper, and the files that differ.
#[derive(Default, Debug)]
pub struct Pages {
    pub bad: Vec<String>,
    pub checked: usize,
    pub exact: usize,
    pub within1: usize,
    pub paper_ok: usize,
}

#[derive(Default, Debug)]
pub struct Report {
    pub files: usize,
    pub format: Tally,
    pub encrypted: Tally,
    pub pdf: Pages,
    pub docx: Pages,
    pub slowest: (Duration, String),
}

impl Report {
    pub fn summary(&self) -> String {
        let (files, pdf, docx) = (self.files, &self.pdf, &self.docx);
        [
            format!("files: {files}"),
            format!("format agreement: {}/{files} {:?}", self.format.ok, self.format.bad),
            format!(
                "encrypted flag agreement: {}/{files} {:?}",
                self.encrypted.ok, self.encrypted.bad
            ),
            format!(
                "PDF page count: {}/{}, paper: {}/{} {:?}",
                pdf.exact, pdf.checked, pdf.paper_ok, pdf.checked, pdf.bad
            ),
            format!(
                "DOCX/DOCM page count (LibreOffice reference): exact {}/{}, within ±1 {}/{}; paper {}/{}",
                docx.exact, docx.checked, docx.within1, docx.checked, docx.paper_ok, docx.checked
            ),
            format!("DOCX mismatches: {:?}", docx.bad),
            format!("slowest: {:?} {}", self.slowest.0, self.slowest.1),
        ]
        .join("\n")
    }
}

/// Minimal CSV reader (quoted fields with commas and doubled quotes).
pub fn parse_csv(text: &str) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    let mut row = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                field.push('"');
                chars.next();
            }
            ('"', _) => quoted = !quoted,
            (',', false) => row.push(std::mem::take(&mut field)),
            ('\n', false) => {
                row.push(std::mem::take(&mut field));
                rows.push(std::mem::take(&mut row));
            }
            ('\r', false) => {}
            (c, _) => field.push(c),
        }
    }
    if !field.is_empty() || !row.is_empty() {
        row.push(field);
        rows.push(row);
    }
    rows
}

fn paper_name(p: Option<Paper>) -> &'static str {
    match p {
        Some(Paper::A4) => "A4",
        Some(Paper::Letter) => "Letter",
        Some(Paper::Other) => "other",
        Some(Paper::Mixed) => "mixed",
        None => "",
    }
}

pub fn run(verbose: bool) -> Option<Report> {
    let dir = testkit::ci::corpus_dir();
    let manifest = std::fs::read_to_string(dir.join("manifest.csv")).ok()?;
    let rows = parse_csv(&manifest);
    let header = rows.first()?.clone();
    let col = |name: &str| header.iter().position(|h| h == name);
    let (c_file, c_kind, c_pages, c_paper, c_enc, c_notes) = (
        col("file")?,
        col("kind")?,
        col("ref_pages")?,
        col("paper")?,
        col("encrypted")?,
        col("notes")?,
    );
    let limits = Limits::default();
    let mut r = Report::default();
    for row in rows.iter().skip(1) {
        let get = |i: usize| row.get(i).map(String::as_str).unwrap_or("");
        let file = get(c_file);
        if file.is_empty() {
            continue;
        }
        let Ok(bytes) = std::fs::read(dir.join("files").join(file)) else {
            continue;
        };
        r.files += 1;
        let t = Instant::now();
        let ins = inspect(&bytes, file, &limits);
        let el = t.elapsed();
        if el > r.slowest.0 {
            r.slowest = (el, file.to_string());
        }
        let f = &ins.facts;
        let kind = get(c_kind);
        let fmt_ok = match kind {
            "pdf" => f.format == Format::Pdf,
            "docx" => f.format == Format::Docx,
            "docm" => f.format == Format::Docm,
            "doc" => f.format == Format::Doc,
            "odt" => f.format == Format::Odt,
            // "other": RTF, templates, broken zips: our unknown or rtf; an encrypted OOXML
            // package is reported as an encrypted docx.
            _ => {
                matches!(f.format, Format::Unknown | Format::Rtf)
                    || (f.format == Format::Docx && f.encrypted)
            }
        };
        if fmt_ok {
            r.format.ok += 1;
        } else {
            r.format
                .bad
                .push(format!("{file}: {kind} vs {:?}", f.format));
        }
        let enc = get(c_enc) == "yes";
        if enc == f.encrypted {
            r.encrypted.ok += 1;
        } else {
            r.encrypted.bad.push(file.to_string());
        }
        let ref_pages: Option<u32> = get(c_pages).parse().ok().filter(|&p| p > 0);
        let notes = get(c_notes);
        if kind == "pdf" && !notes.contains("needs a password") {
            if let Some(rp) = ref_pages {
                r.pdf.checked += 1;
                let pages_ok = f.pages == Some(rp);
                let paper_ok = paper_name(f.paper) == get(c_paper);
                r.pdf.exact += pages_ok as usize;
                r.pdf.paper_ok += paper_ok as usize;
                if !pages_ok || !paper_ok {
                    r.pdf.bad.push(format!(
                        "{file}: {:?}/{} vs {rp}/{}",
                        f.pages,
                        paper_name(f.paper),
                        get(c_paper)
                    ));
                }
            }
        }
        if matches!(kind, "docx" | "docm") {
            if let Some(rp) = ref_pages {
                r.docx.checked += 1;
                let p = f.pages.unwrap_or(0);
                if p == rp {
                    r.docx.exact += 1;
                } else {
                    r.docx.bad.push(format!("{file}: {p} vs {rp}"));
                }
                if p.abs_diff(rp) <= 1 {
                    r.docx.within1 += 1;
                }
                if paper_name(f.paper) == get(c_paper) {
                    r.docx.paper_ok += 1;
                }
            }
        }
        if verbose {
            println!(
                "{file}\t{kind}\t{:?}\t{:?}\tref {:?}\t{}\t{:?}\t{:?}",
                f.format,
                f.pages,
                ref_pages,
                paper_name(f.paper),
                el,
                f.problems
                    .iter()
                    .map(|p| p.code.as_str())
                    .collect::<Vec<_>>()
            );
        }
    }
    Some(r)
}
