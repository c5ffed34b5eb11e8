//! The README and `docs/` name files of the repository as paths in backticks
//! (`api/src/service/receipts/mod.rs`); every such path exists, so that a reader who follows one
//! finds the file (an earlier README named files that had moved).

use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The folders of the repository a named path can start with.
const TOPS: [&str; 15] = [
    "api/",
    "entity/",
    "migration/",
    "frontend/",
    "tests/",
    "policy/",
    "inspection/",
    "docs/",
    "deploy/",
    ".ci/",
    "fuzz/",
    "loadgen/",
    "testkit/",
    "benches/",
    "src/",
];

/// The repository paths `text` names in backticks: no patterns (`*`, `{a,b}`, `<name>`), and
/// without a trailing `:line`, `::item` or `#anchor`.
fn named_paths(text: &str) -> Vec<(usize, String)> {
    let mut out = vec![];
    for (n, line) in text.lines().enumerate() {
        for (i, part) in line.split('`').enumerate() {
            if i % 2 == 0 || part.contains(char::is_whitespace) {
                continue;
            }
            if !TOPS.iter().any(|top| part.starts_with(top)) {
                continue;
            }
            if part.contains(['{', '*', '<', '$', '[', '|']) {
                continue;
            }
            let end = [part.find("::"), part.find('#'), part.find(':')]
                .into_iter()
                .flatten()
                .min()
                .unwrap_or(part.len());
            let path = part[..end].trim_end_matches(['.', ',', ';', ')']);
            out.push((n + 1, path.to_owned()));
        }
    }
    out
}

#[test]
fn every_path_the_readme_and_docs_name_exists() {
    let root = root();
    let mut documents = vec![root.join("README.md"), root.join("inspection/README.md")];
    let mut docs: Vec<_> = std::fs::read_dir(root.join("docs"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    docs.sort();
    documents.extend(docs);
    let mut missing = vec![];
    for document in documents {
        let text = std::fs::read_to_string(&document).unwrap();
        // A path is read from the repository's root, or from the document's own folder (a
        // crate's README names its files from there).
        let here = document.parent().unwrap_or(Path::new("."));
        for (line, path) in named_paths(&text) {
            if !root.join(&path).exists() && !here.join(&path).exists() {
                let name = document.strip_prefix(&root).unwrap().display();
                missing.push(format!("{name}:{line}: `{path}`"));
            }
        }
    }
    assert!(
        missing.is_empty(),
        "{} paths named that do not exist:\n{}",
        missing.len(),
        missing.join("\n")
    );
}
