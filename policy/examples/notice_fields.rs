//! Which fields the notice importer finds in each notice: one row per notice, one column
//! per field of the notice schema ("y" found, "-" not found).
//!
//! ```text
//! cargo run -p policy --example notice_fields                 # fixtures and real notices
//! cargo run -p policy --example notice_fields -- FILE.txt ...  # any notices
//! ```
//!
//! It reads only the draft's fields that existed before the importer read other
//! organisations' wording, so that the same command runs on older commits (to compare).

use policy::import_notice;

const FIELDS: [&str; 8] = [
    "reference",
    "title",
    "deadline",
    "formats",
    "max_pages",
    "paper",
    "filename_phrase",
    "key_challenges",
];

fn main() {
    let root = env!("CARGO_MANIFEST_DIR");
    let mut files: Vec<String> = std::env::args().skip(1).collect();
    if files.is_empty() {
        for dir in ["tests/notices", "notices"] {
            let mut names: Vec<String> = std::fs::read_dir(format!("{root}/{dir}"))
                .map(|entries| {
                    entries
                        .filter_map(Result::ok)
                        .map(|e| e.path().display().to_string())
                        .filter(|p| p.ends_with(".txt"))
                        .collect()
                })
                .unwrap_or_default();
            names.sort();
            files.extend(names);
        }
    }
    let short: Vec<&str> = FIELDS
        .iter()
        .map(|f| match *f {
            "reference" => "ref",
            "deadline" => "deadl",
            "formats" => "fmt",
            "max_pages" => "pages",
            "filename_phrase" => "name",
            "key_challenges" => "chall",
            other => other,
        })
        .collect();
    println!("{:<22} {} found", "notice", short.join(" "));
    let mut total = 0;
    for file in &files {
        let text = String::from_utf8_lossy(&std::fs::read(file).expect("readable")).into_owned();
        let d = import_notice(&text);
        let found = [
            d.reference.is_some(),
            d.title.is_some(),
            d.deadline.is_some(),
            !d.formats.is_empty(),
            d.max_pages.is_some(),
            d.paper.is_some(),
            d.filename_phrase.is_some(),
            !d.key_challenges.is_empty(),
        ];
        let cells: Vec<String> = found
            .iter()
            .zip(&short)
            .map(|(f, s)| format!("{:<w$}", if *f { "y" } else { "-" }, w = s.len()))
            .collect();
        let n = found.iter().filter(|f| **f).count();
        total += n;
        let name = std::path::Path::new(file)
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        println!("{name:<22} {} {n}/{}", cells.join(" "), FIELDS.len());
    }
    println!("total found: {total}");
}
