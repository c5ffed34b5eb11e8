//! `essay-portal check` over the shared real-world corpus: the verdict must agree with what the
//! corpus manifest implies for a "Word or PDF, at most 2 A4 pages" vacancy. The corpus is
//! `shared/corpus` beside the repository, or `$ESSAY_PORTAL_CORPUS`; where it is absent the test
//! says it was skipped, except under CI (`CI=true`), where that is a failure.
use std::process::Command;

/// What the manifest implies: readable Word or PDF, not encrypted, at most 2 pages, A4.
fn expected_accept(row: &csv::StringRecord) -> Option<bool> {
    let (kind, pages, paper, encrypted) = (&row[7], &row[8], &row[11], &row[12]);
    if pages.is_empty() && (kind == "docx" || kind == "pdf") && encrypted != "yes" {
        return None; // The reference tools could not read it either: nothing to compare with.
    }
    Some(
        matches!(kind, "docx" | "pdf")
            && encrypted != "yes"
            && pages.parse::<u32>().is_ok_and(|p| p <= 2)
            && paper == "A4",
    )
}

#[test]
fn check_agrees_with_the_corpus_manifest() {
    let Some(dir) = testkit::ci::corpus() else {
        return;
    };
    let mut reader = csv::Reader::from_path(dir.join("manifest.csv")).unwrap();
    let (mut compared, mut agreed) = (0, 0);
    let mut disagreements = Vec::new();
    for row in reader.records() {
        let row = row.unwrap();
        let Some(expected) = expected_accept(&row) else {
            continue;
        };
        let output = Command::new(env!("CARGO_BIN_EXE_essay-portal"))
            .args([
                "check",
                "--formats",
                "docx,pdf",
                "--max-pages",
                "2",
                "--paper",
                "A4",
                "--json",
            ])
            .arg(dir.join("files").join(&row[0]))
            .output()
            .unwrap();
        let code = output.status.code().unwrap_or(-1);
        assert!(
            code == 0 || code == 1,
            "{}: exit {code}: {}",
            &row[0],
            String::from_utf8_lossy(&output.stderr)
        );
        let verdict: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
        assert_eq!(
            verdict["verdict"] == "accept",
            code == 0,
            "exit code and verdict agree for {}",
            &row[0]
        );
        compared += 1;
        if (code == 0) == expected {
            agreed += 1;
        } else {
            let failing: Vec<String> = verdict["rules"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|r| r["status"] == "fail")
                .map(|r| format!("{}={}", r["rule"], r["found"]))
                .collect();
            // Fonts without metrics (and no Word count to go by) make the page count an estimate,
            // which never rejects (issue 20): the manifest's reference count is LibreOffice's,
            // laid out with a substitute font too.
            let estimated = verdict["rules"].as_array().unwrap().iter().any(|r| {
                r["rule"] == "pages"
                    && r["status"] == "warn"
                    && r["found"]
                        .as_str()
                        .is_some_and(|f| f.ends_with("(estimate)"))
            });
            disagreements.push(format!(
                "{} (kind {}, ref pages {}, paper {}): expected {}, failing {:?}{}",
                &row[0],
                &row[7],
                &row[8],
                &row[11],
                if expected { "accept" } else { "reject" },
                failing,
                if estimated { ", pages estimated" } else { "" }
            ));
        }
    }
    println!("check vs manifest: {agreed}/{compared} agree");
    for line in &disagreements {
        println!("  {line}");
    }
    assert!(compared >= 150, "only {compared} files compared");
    // Accepted differences: a PDF carrying JavaScript is refused by the macros rule, which the
    // manifest does not record; an essay whose fonts cannot be measured is never refused on pages
    // (measured: 196 of 198 agree, one being such a PDF and one a Yu Mincho document).
    let unexplained: Vec<&String> = disagreements
        .iter()
        .filter(|d| !d.contains("macros") && !d.ends_with("pages estimated"))
        .collect();
    assert!(
        unexplained.is_empty(),
        "unexplained disagreements:\n{unexplained:?}"
    );
    let estimated = disagreements
        .iter()
        .filter(|d| d.ends_with("pages estimated"))
        .count();
    assert!(
        agreed + 1 + estimated >= compared,
        "{agreed}/{compared}, {estimated} estimated"
    );
}
