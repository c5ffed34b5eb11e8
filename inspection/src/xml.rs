//! A small, hostile-input-safe XML tree built with quick-xml.
//!
//! No DTD is processed: a DOCTYPE is reported and ignored, and only the five predefined entities
//! and character references are expanded. Nesting depth and node count are capped.

use quick_xml::events::Event;
use quick_xml::Reader;

/// One XML element. Names are local names (namespace prefix dropped).
#[derive(Debug, Default, Clone)]
pub struct Node {
    pub name: String,
    pub attrs: Vec<(String, String)>,
    pub children: Vec<Child>,
}

#[derive(Debug, Clone)]
pub enum Child {
    Elem(Node),
    Text(String),
}

/// Why parsing stopped early (what was parsed so far is still returned).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum XmlIssue {
    TooDeep,
    TooManyNodes,
    Doctype,
    Malformed,
}

pub struct Parsed {
    pub root: Node,
    pub issues: Vec<XmlIssue>,
}

fn local(s: &str) -> String {
    match s.rfind(':') {
        Some(i) => s.get(i + 1..).unwrap_or("").to_string(),
        None => s.to_string(),
    }
}

/// Expands the predefined entities and character references of an attribute value.
pub fn unescape(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(rest.get(..i).unwrap_or(""));
        let after = rest.get(i + 1..).unwrap_or("");
        match after.find(';') {
            Some(j) if j <= 10 => {
                let name = after.get(..j).unwrap_or("");
                if let Some(c) = resolve_entity(name) {
                    out.push(c);
                } else {
                    out.push('&');
                    out.push_str(name);
                    out.push(';');
                }
                rest = after.get(j + 1..).unwrap_or("");
            }
            _ => {
                out.push('&');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

fn resolve_entity(name: &str) -> Option<char> {
    match name {
        "amp" => Some('&'),
        "lt" => Some('<'),
        "gt" => Some('>'),
        "quot" => Some('"'),
        "apos" => Some('\''),
        _ => {
            let num = name.strip_prefix('#')?;
            let v = if let Some(h) = num.strip_prefix('x').or_else(|| num.strip_prefix('X')) {
                u32::from_str_radix(h, 16).ok()?
            } else {
                num.parse::<u32>().ok()?
            };
            char::from_u32(v)
        }
    }
}

fn to_str(bytes: &[u8]) -> std::borrow::Cow<'_, str> {
    let b = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if b.starts_with(b"\xFF\xFE") || b.starts_with(b"\xFE\xFF") {
        let le = b.starts_with(b"\xFF\xFE");
        let units: Vec<u16> = b
            .get(2..)
            .unwrap_or(&[])
            .chunks_exact(2)
            .map(|c| {
                let (x, y) = (
                    c.first().copied().unwrap_or(0),
                    c.get(1).copied().unwrap_or(0),
                );
                if le {
                    u16::from_le_bytes([x, y])
                } else {
                    u16::from_be_bytes([x, y])
                }
            })
            .collect();
        let s: String = char::decode_utf16(units)
            .map(|r| r.unwrap_or('\u{FFFD}'))
            .collect();
        // The declaration says UTF-16; quick-xml reads str, so drop it.
        return std::borrow::Cow::Owned(s.replacen("encoding=\"UTF-16\"", "", 1));
    }
    String::from_utf8_lossy(b)
}

/// Parses `bytes` into a tree under a synthetic root.
pub fn parse(bytes: &[u8], max_depth: usize, max_nodes: usize) -> Parsed {
    let text = to_str(bytes);
    let mut reader = Reader::from_str(&text);
    // Every producer writes well-formed XML and Word refuses a part that is not; a mismatched
    // end tag is how a damaged or cut-off part shows.
    reader.config_mut().check_end_names = true;
    let mut stack: Vec<Node> = vec![Node::default()];
    let mut issues = Vec::new();
    let mut nodes = 0usize;
    fn push_text(stack: &mut [Node], t: &str) {
        if t.is_empty() {
            return;
        }
        if let Some(top) = stack.last_mut() {
            if let Some(Child::Text(prev)) = top.children.last_mut() {
                prev.push_str(t);
            } else {
                top.children.push(Child::Text(t.to_string()));
            }
        }
    }
    loop {
        match reader.read_event() {
            Ok(Event::Start(e)) => {
                nodes += 1;
                if stack.len() > max_depth {
                    issues.push(XmlIssue::TooDeep);
                    break;
                }
                if nodes > max_nodes {
                    issues.push(XmlIssue::TooManyNodes);
                    break;
                }
                stack.push(make_node(&e));
            }
            Ok(Event::Empty(e)) => {
                nodes += 1;
                if nodes > max_nodes {
                    issues.push(XmlIssue::TooManyNodes);
                    break;
                }
                let n = make_node(&e);
                if let Some(top) = stack.last_mut() {
                    top.children.push(Child::Elem(n));
                }
            }
            Ok(Event::End(_)) => {
                if stack.len() > 1 {
                    if let Some(n) = stack.pop() {
                        if let Some(top) = stack.last_mut() {
                            top.children.push(Child::Elem(n));
                        }
                    }
                }
            }
            Ok(Event::Text(t)) => push_text(&mut stack, &t.xml10_content()),
            Ok(Event::CData(t)) => push_text(&mut stack, &t.xml10_content()),
            Ok(Event::GeneralRef(r)) => {
                let name: &str = &r;
                if let Some(c) = resolve_entity(name) {
                    let mut b = [0u8; 4];
                    push_text(&mut stack, c.encode_utf8(&mut b));
                }
            }
            Ok(Event::DocType(_)) => issues.push(XmlIssue::Doctype),
            Ok(Event::Eof) => {
                // A part cut off between two tags parses without error up to here; the
                // elements still open say it ended early.
                if stack.len() > 1 {
                    issues.push(XmlIssue::Malformed);
                }
                break;
            }
            Ok(_) => {}
            Err(_) => {
                issues.push(XmlIssue::Malformed);
                break;
            }
        }
    }
    while stack.len() > 1 {
        if let Some(n) = stack.pop() {
            if let Some(top) = stack.last_mut() {
                top.children.push(Child::Elem(n));
            }
        }
    }
    Parsed {
        root: stack.pop().unwrap_or_default(),
        issues,
    }
}

fn make_node(e: &quick_xml::events::BytesStart<'_>) -> Node {
    let name = local(e.name().as_ref());
    let mut attrs = Vec::new();
    for a in e.attributes().with_checks(false).flatten() {
        attrs.push((local(a.key.as_ref()), unescape(&a.value)));
    }
    Node {
        name,
        attrs,
        children: Vec::new(),
    }
}

impl Node {
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
    /// `w:val`-style attribute.
    pub fn val(&self) -> Option<&str> {
        self.attr("val")
    }
    pub fn elems(&self) -> impl Iterator<Item = &Node> {
        self.children.iter().filter_map(|c| match c {
            Child::Elem(n) => Some(n),
            Child::Text(_) => None,
        })
    }
    pub fn child(&self, name: &str) -> Option<&Node> {
        self.elems().find(|n| n.name == name)
    }
    pub fn children_named<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Node> + 'a {
        self.elems().filter(move |n| n.name == name)
    }
    /// First descendant (depth-first) with the given name.
    pub fn find(&self, name: &str) -> Option<&Node> {
        let mut stack: Vec<&Node> = vec![self];
        while let Some(n) = stack.pop() {
            for c in n.elems().collect::<Vec<_>>().into_iter().rev() {
                if c.name == name {
                    return Some(c);
                }
                stack.push(c);
            }
        }
        None
    }
    /// Concatenated text of all descendants.
    pub fn text(&self) -> String {
        let mut out = String::new();
        let mut stack: Vec<&Node> = vec![self];
        while let Some(n) = stack.pop() {
            for c in n.children.iter().rev() {
                if let Child::Elem(e) = c {
                    stack.push(e);
                }
            }
            for c in &n.children {
                if let Child::Text(t) = c {
                    out.push_str(t);
                }
            }
        }
        out
    }
}

/// A tree's own text (direct children only).
pub fn own_text(n: &Node) -> String {
    let mut s = String::new();
    for c in &n.children {
        if let Child::Text(t) = c {
            s.push_str(t);
        }
    }
    s
}

// Drop deep trees iteratively so that a hostile nesting cannot overflow the stack on drop.
impl Drop for Node {
    fn drop(&mut self) {
        let mut pending: Vec<Node> = Vec::new();
        for c in self.children.drain(..) {
            if let Child::Elem(n) = c {
                pending.push(n);
            }
        }
        while let Some(mut n) = pending.pop() {
            for c in n.children.drain(..) {
                if let Child::Elem(m) = c {
                    pending.push(m);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[test]
    fn doctype_is_not_expanded() {
        let x = br#"<?xml version="1.0"?><!DOCTYPE a [<!ENTITY e "boom">]><a>&e;&amp;x</a>"#;
        let p = parse(x, 10, 100);
        assert!(p.issues.contains(&XmlIssue::Doctype));
        assert_eq!(p.root.text(), "&x");
    }
    #[test]
    fn a_part_cut_off_or_with_crossed_tags_is_malformed() {
        for (bytes, why) in [
            (&b"<w:document><w:body><w:p>"[..], "cut between tags"),
            (b"<w:document><w:body><w:p><w:r><w:t>Hel", "cut inside text"),
            (b"<w:document><w:body><w:p w:rsid", "cut inside a tag"),
            (b"<a><b></a></b>", "crossed end tags"),
        ] {
            assert!(
                parse(bytes, 50, 1000).issues.contains(&XmlIssue::Malformed),
                "{why}"
            );
        }
        assert!(parse(b"<a><b/>text</a>", 50, 1000).issues.is_empty());
    }

    #[test]
    fn depth_is_capped() {
        let mut x = String::new();
        for _ in 0..1000 {
            x.push_str("<a>");
        }
        let p = parse(x.as_bytes(), 50, 100_000);
        assert!(p.issues.contains(&XmlIssue::TooDeep));
    }
}
