//! PDF inspection with lopdf: page count, effective page sizes, paper class, active content.

use crate::{codes, Details, Facts, Format, Limits, PageCountSource, Paper};
use lopdf::{Dictionary, Document, LoadOptions, Object, ObjectId};
use std::collections::HashSet;

pub(crate) mod active;
mod content;
mod declared;
mod security;
mod text;
use declared::declared_object_count;
pub use text::{Line, PageText};

/// Tolerance in points, in either orientation, for a page to count as A4 or Letter (the reference
/// corpus uses ±3 pt).
pub const PAPER_TOLERANCE_PT: f64 = 3.0;
/// A4 in points.
pub const A4_PT: (f64, f64) = (595.276, 841.89);
/// US Letter in points.
pub const LETTER_PT: (f64, f64) = (612.0, 792.0);
/// Deepest /Parent or /Kids chain followed.
const MAX_TREE_DEPTH: usize = 64;
/// Longest reference chain followed when resolving one object.
const MAX_REF_CHAIN: usize = 32;

fn resolve<'a>(doc: &'a Document, mut o: &'a Object) -> Option<&'a Object> {
    for _ in 0..MAX_REF_CHAIN {
        match o {
            Object::Reference(id) => o = object(doc, *id)?.1,
            _ => return Some(o),
        }
    }
    None
}

/// The object a reference names, with its real id: the exact one, else the object of that
/// number under another generation, which poppler also takes (some writers renumber
/// generations and leave references behind).
fn object(doc: &Document, id: ObjectId) -> Option<(ObjectId, &Object)> {
    if let Some(o) = doc.objects.get(&id) {
        return Some((id, o));
    }
    doc.objects
        .range((id.0, 0)..=(id.0, u16::MAX))
        .next()
        .map(|(id, o)| (*id, o))
}

fn dict_of<'a>(doc: &'a Document, o: &'a Object) -> Option<&'a Dictionary> {
    match resolve(doc, o)? {
        Object::Dictionary(d) => Some(d),
        Object::Stream(s) => Some(&s.dict),
        _ => None,
    }
}

fn num(doc: &Document, o: &Object) -> Option<f64> {
    match resolve(doc, o)? {
        Object::Integer(i) => Some(*i as f64),
        Object::Real(r) if r.is_finite() => Some(*r as f64),
        _ => None,
    }
}

fn rect(doc: &Document, o: Option<&Object>) -> Option<[f64; 4]> {
    let Object::Array(a) = resolve(doc, o?)? else {
        return None;
    };
    if a.len() != 4 {
        return None;
    }
    let mut r = [0.0; 4];
    for (slot, v) in r.iter_mut().zip(a.iter()) {
        *slot = num(doc, v)?;
    }
    Some([
        r[0].min(r[2]),
        r[1].min(r[3]),
        r[0].max(r[2]),
        r[1].max(r[3]),
    ])
}

fn name_is(doc: &Document, o: Option<&Object>, n: &[u8]) -> bool {
    matches!(o.and_then(|o| resolve(doc, o)), Some(Object::Name(x)) if x.as_slice() == n)
}

/// Classifies one page size (points) as A4, Letter or other, in either orientation.
pub fn classify(w: f64, h: f64) -> Paper {
    let near = |(a, b): (f64, f64)| {
        ((w - a).abs() <= PAPER_TOLERANCE_PT && (h - b).abs() <= PAPER_TOLERANCE_PT)
            || ((w - b).abs() <= PAPER_TOLERANCE_PT && (h - a).abs() <= PAPER_TOLERANCE_PT)
    };
    if near(A4_PT) {
        Paper::A4
    } else if near(LETTER_PT) {
        Paper::Letter
    } else {
        Paper::Other
    }
}

/// The paper class of a document from its page sizes in points: A4 or Letter when every page is;
/// `other` when every page has the same other size; `mixed` when pages differ.
pub fn classify_doc(sizes_pt: &[(f64, f64)]) -> Option<Paper> {
    let first = *sizes_pt.first()?;
    let classes: Vec<Paper> = sizes_pt.iter().map(|&(w, h)| classify(w, h)).collect();
    if classes.iter().all(|&c| c == Paper::A4) {
        return Some(Paper::A4);
    }
    if classes.iter().all(|&c| c == Paper::Letter) {
        return Some(Paper::Letter);
    }
    let same = sizes_pt.iter().all(|&(w, h)| {
        let d = |a: f64, b: f64| (a - b).abs() <= PAPER_TOLERANCE_PT;
        (d(w, first.0) && d(h, first.1)) || (d(w, first.1) && d(h, first.0))
    });
    Some(if same { Paper::Other } else { Paper::Mixed })
}

pub fn mm(pt: f64) -> f64 {
    (pt * 25.4 / 72.0 * 10.0).round() / 10.0
}

fn pdf_string(b: &[u8]) -> String {
    if let Some(rest) = b.strip_prefix(&[0xFE, 0xFF]) {
        let units: Vec<u16> = rest
            .chunks_exact(2)
            .map(|c| u16::from_be_bytes([c[0], c[1]]))
            .collect();
        String::from_utf16_lossy(&units)
    } else if let Some(rest) = b.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        String::from_utf8_lossy(rest).into_owned()
    } else {
        b.iter().map(|&c| c as char).collect()
    }
}

struct Inherited<'a> {
    media: Option<[f64; 4]>,
    crop: Option<[f64; 4]>,
    rotate: i64,
    resources: Option<&'a Dictionary>,
}

/// The document catalog: the trailer's `/Root` when it leads to a page tree, else the first
/// object that says it is a catalog and has one, as pdf.js finds it when `/Root` was lost or
/// points elsewhere in a damaged file.
fn catalog(doc: &Document) -> Option<&Dictionary> {
    let root = doc.trailer.get(b"Root").ok().and_then(|r| dict_of(doc, r));
    if let Some(root) = root.filter(|r| r.get(b"Pages").is_ok()) {
        return Some(root);
    }
    doc.objects.values().find_map(|o| match o {
        Object::Dictionary(d)
            if name_is(doc, d.get(b"Type").ok(), b"Catalog") && d.get(b"Pages").is_ok() =>
        {
            Some(d)
        }
        _ => None,
    })
}

/// One page as shown: its object (when it is one of its own), displayed size in points, and
/// its resources, inherited from the nodes above when it has none.
pub(crate) struct Page<'a> {
    pub id: Option<ObjectId>,
    pub size: (f64, f64),
    pub resources: Option<&'a Dictionary>,
}

/// Walks the page tree from the catalog as readers do, with inheritance of MediaBox, CropBox,
/// Rotate and Resources. Nothing in the tree is trusted but `/Kids`: `/Count` may be wrong,
/// `/Type` missing; a node met again (a loop, or a page listed twice) is skipped, as poppler
/// and pdf.js do, so a looping tree is finite. A node is a page when it says so or has no
/// `/Kids` (pdf.js's rule), except a root typed `/Pages`.
fn pages(doc: &Document, max_pages: u32) -> Result<Vec<Page<'_>>, &'static str> {
    let tree = catalog(doc)
        .and_then(|c| c.get(b"Pages").ok())
        .ok_or("no document catalog leads to a page tree")?;
    let mut out = Vec::new();
    let mut seen: HashSet<ObjectId> = HashSet::new();
    let mut stack: Vec<(&Object, usize, std::rc::Rc<Inherited>)> = vec![(
        tree,
        0,
        std::rc::Rc::new(Inherited {
            media: None,
            crop: None,
            rotate: 0,
            resources: None,
        }),
    )];
    while let Some((node, depth, inh)) = stack.pop() {
        if depth > MAX_TREE_DEPTH {
            return Err("the page tree is nested too deeply");
        }
        let mut id = None;
        let mut target = node;
        for _ in 0..MAX_REF_CHAIN {
            let Object::Reference(r) = target else {
                break;
            };
            let Some((found, o)) = object(doc, *r) else {
                break;
            };
            id = Some(found);
            target = o;
        }
        if let Some(id) = id {
            if !seen.insert(id) {
                continue;
            }
        }
        let Some(d) = dict_of(doc, target) else {
            continue;
        };
        let media = rect(doc, d.get(b"MediaBox").ok()).or(inh.media);
        let crop = rect(doc, d.get(b"CropBox").ok()).or(inh.crop);
        let rotate = d
            .get(b"Rotate")
            .ok()
            .and_then(|o| num(doc, o))
            .map(|r| r as i64)
            .unwrap_or(inh.rotate);
        let resources = d
            .get(b"Resources")
            .ok()
            .and_then(|r| dict_of(doc, r))
            .or(inh.resources);
        let kids = match d.get(b"Kids").ok().and_then(|k| resolve(doc, k)) {
            Some(Object::Array(kids)) => Some(kids),
            _ => None,
        };
        let typed = |t: &[u8]| name_is(doc, d.get(b"Type").ok(), t);
        // A root typed /Pages without /Kids is an empty tree; below the root, a node without
        // /Kids is a page whatever its /Type says.
        let is_page = typed(b"Page") || (kids.is_none() && (depth > 0 || !typed(b"Pages")));
        if !is_page {
            let here = std::rc::Rc::new(Inherited {
                media,
                crop,
                rotate,
                resources,
            });
            for k in kids.into_iter().flatten().rev() {
                stack.push((k, depth + 1, here.clone()));
            }
            continue;
        }
        let media = media.unwrap_or([0.0, 0.0, LETTER_PT.0, LETTER_PT.1]);
        let b = match crop {
            Some(c) => [
                c[0].max(media[0]),
                c[1].max(media[1]),
                c[2].min(media[2]),
                c[3].min(media[3]),
            ],
            None => media,
        };
        let unit = d
            .get(b"UserUnit")
            .ok()
            .and_then(|o| num(doc, o))
            .filter(|u| *u > 0.0 && *u < 1000.0)
            .unwrap_or(1.0);
        let (mut w, mut h) = (
            ((b[2] - b[0]) * unit).max(0.0),
            ((b[3] - b[1]) * unit).max(0.0),
        );
        if rotate.rem_euclid(180) == 90 {
            std::mem::swap(&mut w, &mut h);
        }
        out.push(Page {
            id,
            size: (w, h),
            resources,
        });
        if out.len() as u32 > max_pages {
            return Err("too many pages");
        }
    }
    Ok(out)
}

/// What an owner password forbids, in the words a candidate's PDF viewer uses.
fn restrictions(p: lopdf::encryption::Permissions) -> Vec<String> {
    use lopdf::encryption::Permissions as P;
    [
        (P::COPYABLE, "copying"),
        (P::PRINTABLE, "printing"),
        (P::MODIFIABLE, "editing"),
    ]
    .into_iter()
    .filter(|(flag, _)| !p.contains(*flag))
    .map(|(_, what)| what.to_string())
    .collect()
}

fn too_many_objects(found: usize, limits: &Limits) -> String {
    format!(
        "The PDF is built from {found} objects; at most {} are accepted, far more than an essay needs. Please export it again from your word processor (File > Save as PDF) rather than from a tool that splits it into many pieces.",
        limits.max_pdf_objects
    )
}

/// What to do about a PDF that cannot be read.
const REEXPORT: &str = "Please export it again from your word processor (File > Save as PDF), or open it in a PDF reader and use Print > Save as PDF, and upload the new copy.";
/// Refusal message of a PDF no reader could show: what is wrong, and how to get a good copy.
const DAMAGED: &str = "The PDF is damaged and cannot be read: its structure (the table that locates its pages) is broken beyond repair. Please export it again from your word processor (File > Save as PDF), or open it in a PDF reader and use Print > Save as PDF, and upload the new copy.";
/// Refusal message of a PDF that needs a password to open.
const NEEDS_PASSWORD: &str = "unreadable: password-protected. The PDF needs a password to open (a password for opening it, not only for editing or printing). Please remove the password, or open it and use Print > Save as PDF to make an unprotected copy, and upload that.";

/// Why a PDF could not be opened.
pub(crate) enum Unopened {
    Damaged,
    NeedsPassword,
    OtherHandler(String),
}

/// Loads a PDF, decrypted when it opens without a password, with the permissions its owner
/// set when it is encrypted. lopdf is tried first; a file it refuses or leaves encrypted is
/// read again through [`security`], which opens what readers open (see there). The document
/// returned is decrypted, with no `/Encrypt` left in its trailer: what the anonymiser could load
/// instead of calling lopdf itself, to make an anonymous copy of every file read here.
pub(crate) fn load(
    bytes: &[u8],
    limits: &Limits,
) -> Result<(Document, Option<lopdf::encryption::Permissions>), Unopened> {
    let opts = || LoadOptions {
        max_decompressed_size: Some(limits.max_pdf_stream_bytes),
        ..LoadOptions::default()
    };
    let first = Document::load_mem_with_options(bytes, opts());
    // lopdf tries the empty user password while loading: when it works, the document is
    // decrypted and `/Encrypt` leaves the trailer.
    if let Ok(doc) = &first {
        if !doc.is_encrypted() {
            let permissions = doc.encryption_state.as_ref().map(|s| s.permissions());
            if permissions.is_none()
                || pages(doc, limits.max_pdf_pages).is_ok_and(|p| !p.is_empty())
            {
                return first
                    .map(|doc| (doc, permissions))
                    .map_err(|_| Unopened::Damaged);
            }
        }
    }
    // Not encrypted, and lopdf (which rebuilds a damaged cross-reference table itself) could
    // not read it: nothing more to try.
    if memchr::memmem::find(bytes, b"/Encrypt").is_none() {
        return first.map(|doc| (doc, None)).map_err(|_| Unopened::Damaged);
    }
    let mut doc = Document::load_mem_with_options(&security::neutralise(bytes), opts())
        .map_err(|_| Unopened::Damaged)?;
    let Some(encrypt) = doc.trailer.remove(&security::HIDDEN_ENCRYPT[1..]) else {
        // `/Encrypt` was only in an attachment or in a string: the file is not encrypted.
        return first.map(|doc| (doc, None)).map_err(|_| Unopened::Damaged);
    };
    let encrypt_id = encrypt.as_reference().ok();
    let Some(encrypt) = dict_of(&doc, &encrypt).cloned() else {
        return Err(Unopened::Damaged);
    };
    let id = match doc.trailer.get(b"ID").ok().and_then(|o| resolve(&doc, o)) {
        Some(Object::Array(ids)) => match ids.first().and_then(|o| resolve(&doc, o)) {
            Some(Object::String(s, _)) => s.clone(),
            _ => Vec::new(),
        },
        _ => Vec::new(),
    };
    let handler = match security::open(&encrypt, &id, &|o| resolve(&doc, o).cloned()) {
        security::Outcome::Open(handler) => handler,
        security::Outcome::NeedsPassword => return Err(Unopened::NeedsPassword),
        security::Outcome::OtherHandler(h) => return Err(Unopened::OtherHandler(h)),
    };
    if let Some(id) = encrypt_id {
        doc.objects.remove(&id);
    }
    for (id, object) in doc.objects.iter_mut() {
        handler.decrypt_object(*id, object);
    }
    handler.expand_object_streams(&mut doc, limits.max_pdf_stream_bytes);
    let permissions =
        lopdf::encryption::Permissions::from_bits_truncate(handler.permissions as u32 as u64);
    Ok((doc, Some(permissions)))
}

pub fn inspect_pdf(bytes: &[u8], limits: &Limits, details: &mut Details) -> Facts {
    let mut facts = Facts::new(Format::Pdf);
    // Every PDF writer ends the file with %%EOF (a few add bytes after it). Without one the file
    // was cut short, and a repairing parser may still find pages in what is left: it would be
    // accepted, then fail to open for the assessor.
    let tail = &bytes[bytes.len().saturating_sub(1024)..];
    if !tail.windows(5).any(|w| w == b"%%EOF") {
        facts.problem(
            codes::UNREADABLE,
            "The PDF is incomplete: it stops before its end marker, so it was probably cut short while downloading or copying. Please export it again.",
        );
        return facts;
    }
    // Parsing is what costs: lopdf expands every object stream while loading, so a 5 MB file of
    // three object streams declaring 400,000 objects each took 5 s of CPU and 1 GB before the
    // object cap below could see it. Their declared sizes are read from the bytes first.
    let declared = declared_object_count(bytes);
    if declared > limits.max_pdf_objects {
        facts.problem(codes::TOO_COMPLEX, too_many_objects(declared, limits));
        return facts;
    }
    let (doc, encryption) = match load(bytes, limits) {
        Ok(loaded) => loaded,
        Err(Unopened::Damaged) => {
            facts.problem(codes::UNREADABLE, DAMAGED);
            return facts;
        }
        Err(Unopened::NeedsPassword) => {
            facts.encrypted = true;
            facts.problem(codes::ENCRYPTED, NEEDS_PASSWORD);
            return facts;
        }
        Err(Unopened::OtherHandler(handler)) => {
            facts.encrypted = true;
            facts.problem(
                codes::ENCRYPTED,
                format!("unreadable: password-protected. The PDF is protected with a certificate or a security plug-in ({handler}), which only its author's credentials open. Please save it again without protection and upload that copy."),
            );
            return facts;
        }
    };
    if let Some(permissions) = encryption {
        facts.encrypted = true;
        facts.opens_without_password = true;
        facts.restrictions = restrictions(permissions);
    }
    if doc.objects.len() > limits.max_pdf_objects {
        facts.problem(
            codes::TOO_COMPLEX,
            too_many_objects(doc.objects.len(), limits),
        );
        return facts;
    }
    let active = active::scan(&doc);
    if !active.complete {
        facts.problem(
            codes::TOO_COMPLEX,
            "The PDF holds too many values to be checked for scripts, far more than an essay needs. Please export it again from your word processor (File > Save as PDF).",
        );
        return facts;
    }
    if !active.javascript.is_empty() {
        details.has_javascript = true;
        facts.problem(
            codes::JAVASCRIPT,
            format!(
                "The PDF contains JavaScript ({}).",
                active.javascript.join(", ")
            ),
        );
    }
    if active.launch {
        details.has_launch_action = true;
        facts.problem(
            codes::LAUNCH_ACTION,
            "The PDF contains an action that launches a program.",
        );
    }
    if let Some(info) = doc.trailer.get(b"Info").ok().and_then(|i| dict_of(&doc, i)) {
        for (key, label) in [
            (&b"Title"[..], "title"),
            (b"Author", "author"),
            (b"Subject", "subject"),
            (b"Keywords", "keywords"),
            (b"Creator", "creator"),
            (b"Producer", "producer"),
        ] {
            if let Some(Object::String(s, _)) = info.get(key).ok().and_then(|o| resolve(&doc, o)) {
                let v = pdf_string(s);
                if !v.trim().is_empty() {
                    details.metadata.push((label.to_string(), v));
                }
            }
        }
    }
    match pages(&doc, limits.max_pdf_pages) {
        Ok(pages) if !pages.is_empty() => {
            let sizes: Vec<(f64, f64)> = pages.iter().map(|p| p.size).collect();
            facts.pages = Some(sizes.len() as u32);
            facts.page_count_source = Some(PageCountSource::Pdf);
            facts.paper = classify_doc(&sizes);
            facts.page_sizes_mm = sizes.iter().map(|&(w, h)| [mm(w), mm(h)]).collect();
            let (texts, complete) = text::page_texts(&doc, &pages, limits.max_pdf_stream_bytes);
            record_text(&texts, &mut facts, details);
            if !complete {
                // Part of the text was left unread: a word count would be too low.
                facts.words = None;
            }
        }
        Ok(_) => facts.problem(
            codes::UNREADABLE,
            format!("The PDF has no readable pages: its page tree lists none. {REEXPORT}"),
        ),
        Err("too many pages") => facts.problem(
            codes::TOO_COMPLEX,
            format!("The PDF has more than {} pages.", limits.max_pdf_pages),
        ),
        Err(why) => facts.problem(
            codes::UNREADABLE,
            format!("The PDF cannot be read: {why}. {REEXPORT}"),
        ),
    }
    facts
}

/// Words of each page's start kept in [`Facts::page_starts`], as for Word documents.
const PAGE_START_WORDS: usize = 8;
/// Bottom margin assumed for a one-page PDF, whose body area nothing else shows (one inch,
/// what Word, LibreOffice and browsers print with by default).
const ASSUMED_MARGIN_PT: f64 = 72.0;
/// A line outermost on every page, at one height, with at most this many words, is a running
/// header or footer (a page number, a title), not the text.
const FURNITURE_WORDS: usize = 6;

/// Words, the first words of each page, the lines and fill of the last page, and the text for
/// the anonymity check, from the pages' text. A PDF without text (a scan) gets none of them.
fn record_text(texts: &[PageText], facts: &mut Facts, details: &mut Details) {
    if texts.iter().all(|t| t.lines.is_empty()) {
        return;
    }
    let body = without_furniture(texts);
    facts.words = Some(
        texts
            .iter()
            .flat_map(|t| &t.lines)
            .map(|l| l.text.split_whitespace().count() as u32)
            .sum(),
    );
    facts.page_starts = body
        .iter()
        .map(|lines| {
            let mut words = lines
                .iter()
                .flat_map(|l| l.text.split_whitespace())
                .take(PAGE_START_WORDS)
                .collect::<Vec<_>>();
            if words.is_empty() {
                words.push("");
            }
            words.join(" ")
        })
        .collect();
    let top = body
        .first()
        .and_then(|lines| lines.first())
        .map(|l| l.y)
        .unwrap_or(0.0);
    let bottom = match body.split_last() {
        Some((_, full)) if !full.is_empty() => full
            .iter()
            .flat_map(|lines| lines.iter().map(|l| l.y))
            .fold(f64::INFINITY, f64::min),
        _ => ASSUMED_MARGIN_PT,
    };
    if let Some(last) = body.last() {
        details.lines_on_last_page = Some(last.len() as u32);
        let lowest = last.last().map(|l| l.y);
        let span = top - bottom;
        let fill = match lowest {
            Some(y) if span.is_finite() && span > 1.0 => ((top - y) / span).clamp(0.0, 1.0),
            Some(_) => 1.0,
            None => 0.0,
        };
        facts.last_page_fill = Some((fill * 1000.0).round() / 1000.0);
    }
    let mut excerpt = String::new();
    for t in texts {
        for l in &t.lines {
            if excerpt.len() + l.text.len() + 1 > crate::TEXT_EXCERPT_CAP {
                break;
            }
            excerpt.push_str(&l.text);
            excerpt.push('\n');
        }
    }
    details.text_excerpt = Some(excerpt);
}

/// Each page's lines without its running header and footer: on a document of two pages or
/// more, a short line outermost on every page at the same height.
fn without_furniture(texts: &[PageText]) -> Vec<Vec<&Line>> {
    let mut pages: Vec<Vec<&Line>> = texts.iter().map(|t| t.lines.iter().collect()).collect();
    if pages.len() < 2 {
        return pages;
    }
    let short = |l: &Line| l.text.split_whitespace().count() <= FURNITURE_WORDS;
    let repeated = |outermost: &dyn Fn(&Vec<&Line>) -> Option<f64>| {
        let Some(first) = pages.first().and_then(outermost) else {
            return false;
        };
        pages
            .iter()
            .all(|p| outermost(p).is_some_and(|y| (y - first).abs() < 1.0))
    };
    let header = repeated(&|p| p.first().filter(|l| short(l)).map(|l| l.y));
    let footer = repeated(&|p| p.last().filter(|l| short(l)).map(|l| l.y));
    for p in &mut pages {
        if footer {
            p.pop();
        }
        if header && !p.is_empty() {
            p.remove(0);
        }
    }
    pages
}

#[cfg(test)]
mod tests {
    use super::*;
    #[test]
    fn a_pdf_declaring_too_many_objects_is_refused_before_it_is_parsed() {
        // Arrange: one object stream that claims 400,000 members (its data is not even there).
        let bytes = b"%PDF-1.7\n1 0 obj\n<< /Type /ObjStm /N 400000 /First 10 /Length 0 >>\nstream\n\nendstream\nendobj\n%%EOF\n";

        // Act
        let facts = inspect_pdf(bytes, &Limits::default(), &mut Details::default());

        // Assert
        let problem = facts
            .problems
            .iter()
            .find(|p| p.code == codes::TOO_COMPLEX)
            .expect("refused as too complex");
        assert!(
            problem.message.contains("400001 objects"),
            "{}",
            problem.message
        );
    }

    #[test]
    fn paper_classes() {
        assert_eq!(classify(595.0, 842.0), Paper::A4);
        assert_eq!(classify(842.0, 595.0), Paper::A4);
        assert_eq!(classify(612.0, 792.0), Paper::Letter);
        assert_eq!(classify(600.0, 800.0), Paper::Other);
        assert_eq!(
            classify_doc(&[(612.0, 792.0), (792.0, 612.0)]),
            Some(Paper::Letter)
        );
        assert_eq!(
            classify_doc(&[(612.0, 792.0), (595.0, 842.0)]),
            Some(Paper::Mixed)
        );
    }
}
