//! Agreement of the engine's page count with Microsoft Word's saved count and with LibreOffice's,
//! on the Word-saved development set (`../shared/word-saved/`, see its README).
//!
//! `cargo run --release -p inspection --example word_saved -- [--csv FILE] [--save FILE] [--before FILE]`
//!
//! - `--csv FILE`: every file where the engine differs from Word, with the features it has;
//! - `--save FILE`: the engine's count of every file (`file,pages`), to compare a later run with;
//! - `--before FILE`: such a saved run; prints how many files moved toward Word's count and how
//!   many away since then, and which.
use std::collections::HashMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

struct Entry {
    file: String,
    word: u32,
    lo: Option<u32>,
}

fn arg(args: &[String], name: &str) -> Option<String> {
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .cloned()
}

fn dir() -> PathBuf {
    std::env::var_os("WORD_SAVED_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/word-saved"))
}

fn manifest(dir: &Path) -> Vec<Entry> {
    let text = std::fs::read_to_string(dir.join("manifest.csv")).unwrap_or_default();
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap_or("").split(',').collect();
    let col = |name: &str| header.iter().position(|h| *h == name);
    let (Some(f), Some(w), Some(l)) = (col("file"), col("word_pages"), col("lo_pages")) else {
        return Vec::new();
    };
    lines
        .filter_map(|line| {
            let c: Vec<&str> = line.split(',').collect();
            Some(Entry {
                file: c.get(f)?.to_string(),
                word: c.get(w)?.parse().ok()?,
                lo: c.get(l).and_then(|x| x.parse().ok()),
            })
        })
        .collect()
}

/// The layout features a file has that Word and LibreOffice are known to lay out differently.
fn features(bytes: &[u8]) -> Vec<&'static str> {
    let Ok(mut zip) = zip::ZipArchive::new(std::io::Cursor::new(bytes)) else {
        return vec!["not-a-zip"];
    };
    let mut part = |name: &str| {
        let mut s = String::new();
        if let Ok(mut f) = zip.by_name(name) {
            let _ = f.read_to_string(&mut s);
        }
        s
    };
    let doc = part("word/document.xml");
    let comments = part("word/comments.xml");
    let mut out = Vec::new();
    let checks: [(&str, bool); 9] = [
        ("endnotes", doc.contains("endnoteReference")),
        ("footnotes", doc.contains("footnoteReference")),
        (
            "comments",
            doc.contains("commentReference") || !comments.is_empty(),
        ),
        (
            "vertical-text",
            ["tbRl", "btLr", "tbLrV", "tbRlV", "\"tb\"", "\"rl\""]
                .iter()
                .any(|v| doc.contains(&format!("textDirection w:val=\"{v}")[..])),
        ),
        (
            "columns",
            doc.contains("<w:cols ") && doc.contains("w:num=\"") && {
                doc.match_indices("w:num=\"").any(|(i, _)| {
                    doc[i + 7..]
                        .split('"')
                        .next()
                        .and_then(|n| n.parse::<u32>().ok())
                        > Some(1)
                })
            },
        ),
        ("floating", doc.contains("<wp:anchor")),
        ("text-box", doc.contains("txbxContent")),
        ("tables", doc.contains("<w:tbl>")),
        (
            "fields",
            doc.contains("fldChar") || doc.contains("fldSimple"),
        ),
    ];
    for (name, has) in checks {
        if has {
            out.push(name);
        }
    }
    out
}

struct Row {
    file: String,
    word: u32,
    lo: Option<u32>,
    ours: Option<u32>,
    /// Word's count reached the facts (`word_saved_last`: its words match ours).
    trusted: bool,
    estimate: bool,
    features: Vec<&'static str>,
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let dir = dir();
    let entries = manifest(&dir);
    if entries.is_empty() {
        eprintln!("no manifest at {}", dir.display());
        std::process::exit(2);
    }
    let next = AtomicUsize::new(0);
    let rows = Mutex::new(Vec::new());
    let threads = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1)
        .min(2);
    std::thread::scope(|scope| {
        for _ in 0..threads {
            scope.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(e) = entries.get(i) else { break };
                let bytes = std::fs::read(dir.join("files").join(&e.file)).unwrap_or_default();
                let r = inspection::inspect(&bytes, &e.file, &inspection::Limits::default());
                let row = Row {
                    file: e.file.clone(),
                    word: e.word,
                    lo: e.lo,
                    ours: r.facts.pages,
                    trusted: r.facts.word_pages.is_some(),
                    estimate: r
                        .facts
                        .problems
                        .iter()
                        .any(|p| p.code == inspection::ProblemCode::Estimate),
                    features: features(&bytes),
                };
                if let Ok(mut rows) = rows.lock() {
                    rows.push(row);
                }
            });
        }
    });
    let mut rows = rows.into_inner().unwrap_or_default();
    rows.sort_by(|a, b| a.file.cmp(&b.file));

    let agree = |subset: &dyn Fn(&Row) -> bool| {
        let set: Vec<&Row> = rows.iter().filter(|r| subset(r)).collect();
        let ours = set.iter().filter(|r| r.ours == Some(r.word)).count();
        let lo = set.iter().filter(|r| r.lo == Some(r.word)).count();
        let ours_lo = set
            .iter()
            .filter(|r| r.lo.is_some() && r.ours == r.lo)
            .count();
        (set.len(), ours, lo, ours_lo)
    };
    for (label, subset) in [
        ("all", &(|_: &Row| true) as &dyn Fn(&Row) -> bool),
        ("<= 20 pages (Word)", &|r: &Row| r.word <= 20),
    ] {
        let (n, ours, lo, ours_lo) = agree(subset);
        println!(
            "{label}: {n} files; engine = Word on {ours}; LibreOffice = Word on {lo}; engine = LibreOffice on {ours_lo}"
        );
    }
    let estimates = rows.iter().filter(|r| r.estimate).count();
    let estimates_off = rows
        .iter()
        .filter(|r| r.estimate && r.ours != Some(r.word))
        .count();
    println!(
        "reported as estimates: {estimates} (of which {estimates_off} differ from Word's count)"
    );
    let trusted = rows.iter().filter(|r| r.trusted).count();
    let trusted_off = rows
        .iter()
        .filter(|r| r.trusted && r.ours.is_some_and(|p| p.abs_diff(r.word) > 1))
        .count();
    println!(
        "Word's count trusted (its words match ours): {trusted}; of those, more than a page off the layout: {trusted_off}"
    );

    if let Some(path) = arg(&args, "--csv") {
        let mut csv =
            String::from("file,word_pages,lo_pages,engine_pages,word_trusted,estimate,features\n");
        for r in rows.iter().filter(|r| r.ours != Some(r.word)) {
            csv.push_str(&format!(
                "{},{},{},{},{},{},{}\n",
                r.file,
                r.word,
                r.lo.map(|x| x.to_string()).unwrap_or_default(),
                r.ours.map(|x| x.to_string()).unwrap_or_default(),
                r.trusted,
                r.estimate,
                r.features.join(" ")
            ));
        }
        if let Err(e) = std::fs::write(&path, csv) {
            eprintln!("cannot write {path}: {e}");
        }
    }
    if let Some(path) = arg(&args, "--before") {
        let before: HashMap<String, Option<u32>> = std::fs::read_to_string(&path)
            .unwrap_or_default()
            .lines()
            .filter_map(|l| {
                let (f, p) = l.split_once(',')?;
                Some((f.to_string(), p.parse().ok()))
            })
            .collect();
        let (mut toward, mut away) = (Vec::new(), Vec::new());
        for r in &rows {
            let Some(old) = before.get(&r.file) else {
                continue;
            };
            let dist = |p: Option<u32>| p.map(|p| p.abs_diff(r.word)).unwrap_or(u32::MAX);
            let (d0, d1) = (dist(*old), dist(r.ours));
            let line = format!(
                "  {} (Word {}, LibreOffice {}, engine {} -> {}; {})",
                r.file,
                r.word,
                r.lo.map(|x| x.to_string()).unwrap_or("-".into()),
                old.map(|x| x.to_string()).unwrap_or("-".into()),
                r.ours.map(|x| x.to_string()).unwrap_or("-".into()),
                r.features.join(" ")
            );
            if d1 < d0 {
                toward.push(line);
            } else if d1 > d0 {
                away.push(line);
            }
        }
        println!("moved toward Word: {}", toward.len());
        for l in &toward {
            println!("{l}");
        }
        println!("moved away from Word: {}", away.len());
        for l in &away {
            println!("{l}");
        }
    }
    if let Some(path) = arg(&args, "--save") {
        let text: String = rows
            .iter()
            .map(|r| {
                format!(
                    "{},{}\n",
                    r.file,
                    r.ours.map(|x| x.to_string()).unwrap_or_default()
                )
            })
            .collect();
        if let Err(e) = std::fs::write(&path, text) {
            eprintln!("cannot write {path}: {e}");
        }
    }
}
