//! The OPC package around the main part: its relationships (`_rels/*.rels`) and the parts they
//! name (styles, theme, numbering, settings, headers, footers, images).

use crate::xml::Node;
use crate::zipread::{SafeZip, ZipFailure};
use crate::Facts;
use std::collections::HashMap;

/// One internal relationship of a part.
#[derive(Debug, Clone)]
pub struct Relationship {
    /// The last segment of the relationship type ("styles", "image", "header"…).
    pub kind: String,
    /// The target, as a package part name.
    pub part: String,
}

/// The internal relationships of a part, by id (external targets are left out).
#[derive(Debug, Default)]
pub struct Relationships(HashMap<String, Relationship>);

impl Relationships {
    /// Reads the relationships of `part` (none when its .rels part is absent).
    pub fn read(
        zip: &mut SafeZip<'_>,
        part: &str,
        facts: &mut Facts,
    ) -> Result<Relationships, ZipFailure> {
        let mut rels = HashMap::new();
        if let Some(r) = zip.xml(&rels_path(part), facts)? {
            if let Some(rs) = r.find("Relationships") {
                for rel in rs.children_named("Relationship") {
                    if let (Some(id), Some(t)) = (rel.attr("Id"), rel.attr("Target")) {
                        if rel.attr("TargetMode") == Some("External") {
                            continue;
                        }
                        let ty = rel.attr("Type").unwrap_or("");
                        let kind = ty.rsplit('/').next().unwrap_or("").to_string();
                        rels.insert(
                            id.to_string(),
                            Relationship {
                                kind,
                                part: join(part, t),
                            },
                        );
                    }
                }
            }
        }
        Ok(Relationships(rels))
    }

    /// The part of a relationship of this kind (any one, when there are several).
    pub fn part_of_kind(&self, kind: &str) -> Option<String> {
        self.0
            .values()
            .find(|r| r.kind == kind)
            .map(|r| r.part.clone())
    }

    /// Reads the part of a relationship of this kind, if there is one.
    pub fn read_part_of_kind(
        &self,
        zip: &mut SafeZip<'_>,
        kind: &str,
        facts: &mut Facts,
    ) -> Result<Option<Node>, ZipFailure> {
        match self.part_of_kind(kind) {
            Some(p) => zip.xml(&p, facts),
            None => Ok(None),
        }
    }

    /// Relationship id → root (`w:hdr`/`w:ftr`) of each header and footer part.
    pub fn headers_and_footers(
        &self,
        zip: &mut SafeZip<'_>,
        facts: &mut Facts,
    ) -> Result<HashMap<String, Node>, ZipFailure> {
        let mut parts = HashMap::new();
        for (id, rel) in &self.0 {
            let root = match rel.kind.as_str() {
                "header" => "hdr",
                "footer" => "ftr",
                _ => continue,
            };
            if let Some(n) = zip.xml(&rel.part, facts)? {
                if let Some(h) = n.find(root) {
                    parts.insert(id.clone(), h.clone());
                }
            }
        }
        Ok(parts)
    }

    /// Relationship id → part, for the images.
    pub fn images(&self) -> HashMap<String, String> {
        self.0
            .iter()
            .filter(|(_, r)| r.kind == "image")
            .map(|(id, r)| (id.clone(), r.part.clone()))
            .collect()
    }
}

/// The relationships part of `part` (`word/document.xml` → `word/_rels/document.xml.rels`).
fn rels_path(part: &str) -> String {
    match part.rfind('/') {
        Some(i) => format!(
            "{}/_rels/{}.rels",
            part.get(..i).unwrap_or(""),
            part.get(i + 1..).unwrap_or("")
        ),
        None => format!("_rels/{part}.rels"),
    }
}

/// The part a relationship target of `base_part` names (relative to its folder, or absolute).
fn join(base_part: &str, target: &str) -> String {
    if let Some(t) = target.strip_prefix('/') {
        return t.to_string();
    }
    let dir = base_part
        .rfind('/')
        .and_then(|i| base_part.get(..i))
        .unwrap_or("");
    let mut parts: Vec<&str> = if dir.is_empty() {
        Vec::new()
    } else {
        dir.split('/').collect()
    };
    for seg in target.split('/') {
        match seg {
            ".." => {
                parts.pop();
            }
            "." | "" => {}
            s => parts.push(s),
        }
    }
    parts.join("/")
}
