//! Footnotes take room at the foot of the page, so they move page breaks: pandoc essays with
//! notes (tests/footnotes/fnN.docx, written by `pandoc fnN.md -o fnN.docx`, pandoc 2.17, default
//! reference document: Letter, Cambria 12 pt, notes set like the body) against LibreOffice 7.4's
//! page count and the first words of each page (`soffice --convert-to pdf`, `pdftotext`, with
//! Carlito and Caladea installed). fn3 without its notes lays out in 3 pages; with them, 4.
use inspection::{inspect, Limits};

#[test]
fn footnotes_move_page_breaks_as_in_libreoffice() {
    let table: [(&str, &[&str]); 6] = [
        ("fn0", &["Key challenges", "Coherence capability priority"]),
        (
            "fn1",
            &[
                "Key challenges",
                "challenge budget coherence",
                "Security policy security",
            ],
        ),
        (
            "fn2",
            &[
                "Key challenges",
                "resilience threat defence",
                "cooperation reform innovation",
            ],
        ),
        (
            "fn3",
            &[
                "Key challenges",
                "Planning alliance security",
                "reform security policy",
                "threat capability innovation",
            ],
        ),
        (
            "fn4",
            &[
                "Key challenges",
                "partners staff staff",
                "mission alliance priority",
                "Operations planning priority",
            ],
        ),
        (
            "fn5",
            &[
                "Key challenges",
                "Mission defence mission",
                "deterrence cooperation budget",
                "reform reform threat",
                "Challenge resilience reform",
            ],
        ),
    ];
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/footnotes");
    for (name, libreoffice) in table {
        // Arrange
        let bytes = std::fs::read(format!("{dir}/{name}.docx")).expect("fixture");

        // Act
        let facts = inspect(&bytes, "essay.docx", &Limits::default()).facts;

        // Assert
        let starts: Vec<String> = facts
            .page_starts
            .iter()
            .map(|s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
            .collect();
        assert_eq!(facts.pages, Some(libreoffice.len() as u32), "{name}");
        assert_eq!(starts, libreoffice, "{name}");
    }
}

#[test]
fn the_text_of_footnotes_reaches_the_anonymity_check_and_the_panel() {
    // Arrange: fn0's first note, as its Markdown source has it.
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/footnotes");
    let source = std::fs::read_to_string(format!("{dir}/fn0.md")).expect("source");
    let note = source
        .lines()
        .find_map(|l| l.strip_prefix("[^1]: "))
        .expect("a first note");
    let bytes = std::fs::read(format!("{dir}/fn0.docx")).expect("fixture");

    // Act
    let details = inspect(&bytes, "essay.docx", &Limits::default()).details;

    // Assert
    let text = details.text_excerpt.expect("text");
    assert!(text.contains(note.trim()), "{note} not in the text");
    let html = details.essay_html.expect("html").html;
    assert!(html.contains("<hr class=\"essay-notes\">"), "{html}");
    assert!(html.contains("<sup>1</sup>"), "{html}");
}
