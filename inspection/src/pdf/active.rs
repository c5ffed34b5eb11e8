//! Active content in a PDF: what a reader would run or open on its own, found once and used twice —
//! by the inspection, which refuses what runs code, and by the anonymiser, which removes the rest
//! from the panel's copy and then checks its own output with the same scan.
//!
//! The scan visits every value of every object once, iteratively (an inline `/Next` chain or an
//! array nested thousands deep costs no stack), so its cost is that of the parse lopdf already
//! made. A scan that could not visit everything does not pass the file as clean: the file is
//! refused as too complex.

use lopdf::{Dictionary, Document, Object, ObjectId};
use std::collections::HashSet;

/// Values visited at most, across the whole document. The largest essays in the corpus have
/// under 2 million; a file past this is refused as too complex rather than passed unchecked.
pub(crate) const SCAN_BUDGET: usize = 40_000_000;

/// What the scan found. Each list names where it was seen, for the message and the tests.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub(crate) struct ActiveContent {
    /// JavaScript: `/JS`, `/S /JavaScript`, a `javascript:` URI, the document's JavaScript name
    /// tree, scripts in an XFA form, rich media that executes.
    pub javascript: Vec<&'static str>,
    /// Actions that start a program.
    pub launch: bool,
    /// Not code, but not the essay either: embedded files, actions that open other files or send
    /// data away, forms. Kept out of the panel's copy; not a reason to refuse.
    pub removable: Vec<&'static str>,
    /// False when the budget ran out before every value was seen.
    pub complete: bool,
}

/// The name an entry holds, through references (as [`super::resolve`] follows them).
fn name<'a>(doc: &'a Document, object: Option<&'a Object>) -> Option<&'a [u8]> {
    match super::resolve(doc, object?)? {
        Object::Name(n) => Some(n.as_slice()),
        _ => None,
    }
}

fn is_javascript_uri(doc: &Document, uri: Option<&Object>) -> bool {
    let Some(Object::String(bytes, _)) = uri.and_then(|u| super::resolve(doc, u)) else {
        return false;
    };
    // Readers skip leading blanks and control characters, and schemes are case-insensitive.
    let text: Vec<u8> = bytes
        .iter()
        .copied()
        .skip_while(|b| *b <= b' ')
        .filter(|b| !matches!(b, b'\t' | b'\n' | b'\r'))
        .take(16)
        .map(|b| b.to_ascii_lowercase())
        .collect();
    text.starts_with(b"javascript:") || text.starts_with(b"vbscript:")
}

/// Action types that open something outside the essay or send data away.
const REMOVABLE_ACTIONS: &[&[u8]] = &[
    b"GoToR",
    b"GoToE",
    b"SubmitForm",
    b"ImportData",
    b"Rendition",
    b"Movie",
    b"Sound",
];
/// Annotation types that carry files, media or forms.
const REMOVABLE_ANNOTATIONS: &[&[u8]] = &[
    b"FileAttachment",
    b"Widget",
    b"Screen",
    b"Movie",
    b"Sound",
    b"3D",
];

fn classify(doc: &Document, d: &Dictionary, found: &mut ActiveContent) {
    let action = name(doc, d.get(b"S").ok());
    if d.has(b"JS") || action == Some(b"JavaScript") {
        found.javascript.push("a JavaScript action");
    }
    if action == Some(b"URI") && is_javascript_uri(doc, d.get(b"URI").ok()) {
        found.javascript.push("a javascript: link");
    }
    if action == Some(b"RichMediaExecute") {
        found.javascript.push("a rich-media script");
    }
    if action == Some(b"Launch") {
        found.launch = true;
    }
    if action.is_some_and(|a| REMOVABLE_ACTIONS.contains(&a)) {
        found
            .removable
            .push("an action that opens another file or sends data");
    }
    let subtype = name(doc, d.get(b"Subtype").ok());
    if subtype == Some(b"RichMedia") {
        found.javascript.push("rich media (Flash or 3D)");
    }
    if subtype.is_some_and(|s| REMOVABLE_ANNOTATIONS.contains(&s)) {
        found
            .removable
            .push("a form field, attachment or media annotation");
    }
    // The document's JavaScript name tree (in the catalog's /Names), wherever it is written.
    if d.has(b"JavaScript") {
        found.javascript.push("document-level JavaScript");
    }
    if d.has(b"EmbeddedFiles") || d.has(b"EF") {
        found.removable.push("an embedded file");
    }
    if d.has(b"XFA") {
        if xfa_has_script(doc, d.get(b"XFA").ok()) {
            found.javascript.push("a script in an XFA form");
        }
        found.removable.push("an XFA form");
    }
}

/// Whether an XFA form (a stream, or an array of names and streams) holds a `<script>`. A part
/// that cannot be decompressed counts as holding one: it cannot be shown to be harmless.
fn xfa_has_script(doc: &Document, xfa: Option<&Object>) -> bool {
    let mut parts = Vec::new();
    match xfa.and_then(|x| super::resolve(doc, x)) {
        Some(Object::Array(items)) => parts.extend(items.iter()),
        Some(other) => parts.push(other),
        None => return false,
    }
    parts
        .into_iter()
        .any(|part| match super::resolve(doc, part) {
            Some(Object::Stream(stream)) => {
                let content = if stream.dict.has(b"Filter") {
                    match stream.decompressed_content() {
                        Ok(c) => c,
                        Err(_) => return true,
                    }
                } else {
                    stream.content.clone()
                };
                let lower: Vec<u8> = content.iter().map(|b| b.to_ascii_lowercase()).collect();
                lower
                    .windows(7)
                    .any(|w| (w[0] == b'<' || w[0] == b':') && &w[1..] == b"script")
            }
            _ => false,
        })
}

/// Every object's every value, once, within [`SCAN_BUDGET`].
pub(crate) fn scan(doc: &Document) -> ActiveContent {
    scan_with_budget(doc, SCAN_BUDGET)
}

pub(crate) fn scan_with_budget(doc: &Document, budget: usize) -> ActiveContent {
    let mut found = ActiveContent {
        complete: true,
        ..ActiveContent::default()
    };
    let mut left = budget;
    // Inline values only: references are not followed, since every indirect object is a root.
    let mut stack: Vec<&Object> = doc.objects.values().collect();
    stack.extend(doc.trailer.iter().map(|(_, v)| v));
    while let Some(object) = stack.pop() {
        if left == 0 {
            found.complete = false;
            break;
        }
        left -= 1;
        match object {
            Object::Array(items) => stack.extend(items.iter()),
            Object::Dictionary(d) => {
                classify(doc, d, &mut found);
                stack.extend(d.iter().map(|(_, v)| v));
            }
            Object::Stream(s) => {
                classify(doc, &s.dict, &mut found);
                stack.extend(s.dict.iter().map(|(_, v)| v));
            }
            _ => {}
        }
    }
    found.javascript.sort_unstable();
    found.javascript.dedup();
    found.removable.sort_unstable();
    found.removable.dedup();
    found
}

/// Keys that make a dictionary act or carry something other than the essay's own pages (the
/// last two are the name trees of document scripts and attachments, in a /Names dictionary).
const ACTIVE_KEYS: &[&[u8]] = &[
    b"AA",
    b"OpenAction",
    b"JS",
    b"EF",
    b"RichMediaContent",
    b"JavaScript",
    b"EmbeddedFiles",
];
/// Catalog entries with forms, portfolios and document-level scripts.
const CATALOG_KEYS: &[&[u8]] = &[b"AcroForm", b"Collection", b"Threads", b"URI"];

/// Removes from the document every action, form, embedded file and media object, and blanks the
/// authors of annotations, keeping the pages and what they show. Links keep a destination inside
/// the document or an `http(s)`/`mailto` address; any other action goes.
pub(crate) fn strip(doc: &mut Document, author: &str) {
    let mut doomed: HashSet<ObjectId> = HashSet::new();
    // First pass, read-only: which objects are forms, attachments, media, scripts or name trees
    // of them. They are deleted whole, so that a structure tree pointing at them keeps nothing.
    for (id, object) in doc.objects.iter() {
        let Some(d) = (match object {
            Object::Dictionary(d) => Some(d),
            Object::Stream(s) => Some(&s.dict),
            _ => None,
        }) else {
            continue;
        };
        let subtype = name(doc, d.get(b"Subtype").ok());
        let kind = name(doc, d.get(b"Type").ok());
        let action = name(doc, d.get(b"S").ok());
        let removable_annotation =
            subtype.is_some_and(|s| REMOVABLE_ANNOTATIONS.contains(&s) || s == b"RichMedia");
        let file = kind.is_some_and(|k| k == b"EmbeddedFile" || k == b"Filespec");
        let form_field = d.has(b"FT") || (d.has(b"Kids") && d.has(b"T") && !d.has(b"Count"));
        let script_action = d.has(b"JS")
            || action.is_some_and(|a| {
                a == b"JavaScript"
                    || a == b"Launch"
                    || a == b"RichMediaExecute"
                    || REMOVABLE_ACTIONS.contains(&a)
            });
        let javascript_link = action == Some(b"URI") && is_javascript_uri(doc, d.get(b"URI").ok());
        if removable_annotation || file || form_field || script_action || javascript_link {
            doomed.insert(*id);
        }
    }
    for id in &doomed {
        doc.objects.remove(id);
    }
    for object in doc.objects.values_mut() {
        let mut stack: Vec<&mut Object> = vec![object];
        while let Some(object) = stack.pop() {
            let d = match object {
                Object::Dictionary(d) => d,
                Object::Stream(s) => &mut s.dict,
                Object::Array(items) => {
                    // References to deleted objects (an /Annots entry, a /Kids entry) go too.
                    items.retain(
                        |item| !matches!(item, Object::Reference(id) if doomed.contains(id)),
                    );
                    items.retain(|item| !is_removable_inline(item));
                    stack.extend(items.iter_mut());
                    continue;
                }
                _ => continue,
            };
            for key in ACTIVE_KEYS {
                d.remove(key);
            }
            let catalog = matches!(d.get(b"Type"), Ok(Object::Name(n)) if n == b"Catalog");
            if catalog {
                for key in CATALOG_KEYS {
                    d.remove(key);
                }
            }
            // A markup annotation (a comment, a highlight) keeps its mark; its author goes.
            if d.has(b"Subtype") && d.has(b"Rect") {
                if d.has(b"T") {
                    d.set("T", Object::string_literal(author));
                }
                d.remove(b"Popup");
                d.remove(b"RC");
            }
            if let Ok(action) = d.get(b"A") {
                if !is_plain_link(action) {
                    d.remove(b"A");
                }
            }
            d.remove(b"Next");
            stack.extend(d.iter_mut().map(|(_, v)| v));
        }
    }
    // Inline copies in the trailer (rare) are handled like any object's.
    for key in ACTIVE_KEYS {
        doc.trailer.remove(key);
    }
}

/// An inline dictionary in an array that is itself something to remove (an annotation written
/// inline in /Annots).
fn is_removable_inline(item: &Object) -> bool {
    let Object::Dictionary(d) = item else {
        return false;
    };
    let subtype = d.get(b"Subtype").ok().and_then(|s| s.as_name().ok());
    subtype.is_some_and(|s| REMOVABLE_ANNOTATIONS.contains(&s) || s == b"RichMedia")
}

/// An action a link may keep: a destination in the document, or an ordinary web or mail address.
fn is_plain_link(action: &Object) -> bool {
    // Indirect actions were judged in the first pass (and deleted when not plain).
    let Object::Dictionary(d) = action else {
        return true;
    };
    match d.get(b"S").ok().and_then(|s| s.as_name().ok()) {
        Some(b"GoTo") => true,
        Some(b"URI") => match d.get(b"URI") {
            Ok(Object::String(uri, _)) => {
                let lower: Vec<u8> = uri.iter().take(8).map(|b| b.to_ascii_lowercase()).collect();
                lower.starts_with(b"http://")
                    || lower.starts_with(b"https://")
                    || lower.starts_with(b"mailto:")
            }
            _ => false,
        },
        _ => false,
    }
}
