//! Table rules of LibreOffice 7.4 that the corpus form `poi__form_footnotes.docx` showed (each
//! case here was checked against `soffice --convert-to pdf`): a table whose first paragraph has
//! keep-with-next stays with the paragraph after it (a one-row table moves whole; the last row of
//! a longer one splits only where its "at least" height fits); and the empty paragraph that ends
//! a document after a table is as tall as its style, whatever size its mark says.
use inspection::{inspect, Facts, Limits};
use testkit::docx::with_body;

/// One line of exactly 13.8 pt (276 twips): the A4 page's 13,958-twip body holds 50 of them.
fn line(text: &str, keep_next: bool) -> String {
    let keep = if keep_next { "<w:keepNext/>" } else { "" };
    format!(
        r#"<w:p><w:pPr>{keep}<w:spacing w:after="0" w:line="276" w:lineRule="exact"/></w:pPr><w:r><w:t>{text}</w:t></w:r></w:p>"#
    )
}

fn filler(n: usize) -> String {
    (0..n)
        .map(|i| line(&format!("Filler {i}"), false))
        .collect()
}

/// A one-cell table of the given paragraphs, its row "at least" `height` twips tall.
fn table(paragraphs: &str, height: Option<u32>) -> String {
    let tr_pr = height
        .map(|h| format!(r#"<w:trPr><w:trHeight w:val="{h}"/></w:trPr>"#))
        .unwrap_or_default();
    format!(
        r#"<w:tbl><w:tblPr><w:tblW w:w="0" w:type="auto"/></w:tblPr><w:tblGrid><w:gridCol w:w="9000"/></w:tblGrid><w:tr>{tr_pr}<w:tc><w:tcPr><w:tcW w:w="9000" w:type="dxa"/></w:tcPr>{paragraphs}</w:tc></w:tr></w:tbl>"#
    )
}

fn facts(name: &str, body: &str) -> Facts {
    let bytes = with_body(body, &[]);
    // To check a case against LibreOffice: TABLES_KEPT_OUT=/tmp/dir, then convert the files.
    if let Some(dir) = std::env::var_os("TABLES_KEPT_OUT") {
        let _ = std::fs::write(
            std::path::Path::new(&dir).join(format!("{name}.docx")),
            &bytes,
        );
    }
    inspect(&bytes, "251334 Key challenges.docx", &Limits::default()).facts
}

#[test]
fn a_row_kept_with_the_next_paragraph_moves_whole_rather_than_split() {
    // 48 lines leave 710 twips: two of the row's four lines, but not its 1,200 twips.
    let rows = |keep_next: bool| {
        let mut rows = vec![line("Row start", keep_next)];
        rows.extend(["Row text 1", "Row text 2", "Row text 3"].map(|t| line(t, false)));
        rows.concat()
    };
    // (case, row height, table kept with the next paragraph, where page 2 starts)
    let cases = [
        ("row_split", None, false, "Row text 2"),
        ("row_at_least", Some(1200), false, "Row text 2"),
        // A one-row table kept with the next paragraph moves whole.
        ("row_kept_split", None, true, "Row start"),
        ("row_kept_at_least", Some(1200), true, "Row start"),
    ];
    for (name, height, keep_next, page_two_starts) in cases {
        let f = facts(
            name,
            &(filler(48) + &table(&rows(keep_next), height) + &filler(1)),
        );
        assert_eq!(
            f.page_starts.get(1).map(String::as_str),
            Some(page_two_starts),
            "{name}"
        );
    }
}

#[test]
fn a_table_whose_first_paragraph_keeps_with_next_goes_with_the_next_paragraph() {
    // 49 lines and the one-line table fill 13,800 twips: the paragraph after it does not fit.
    let cases = [
        ("table_kept", true, "Kept table"),
        ("table_loose", false, "After"),
    ];
    for (name, keep_next, page_two_starts) in cases {
        let body =
            filler(49) + &table(&line("Kept table", keep_next), None) + &line("After", false);
        let f = facts(name, &body);
        assert_eq!(
            f.page_starts.get(1).map(String::as_str),
            Some(page_two_starts),
            "{name}"
        );
    }
}

#[test]
fn an_empty_last_paragraph_after_a_table_is_as_tall_as_its_style() {
    // 49 lines and a one-line table leave 158 twips: room for a 3 pt line, not a 10 pt one.
    let table_then_empty = filler(49) + &table(&line("Table line", false), None);
    let cases = [
        (
            "empty_last_small_mark",
            r#"<w:p><w:pPr><w:rPr><w:sz w:val="6"/></w:rPr></w:pPr></w:p>"#,
            2,
        ),
        (
            "text_last_small",
            r#"<w:p><w:pPr><w:rPr><w:sz w:val="6"/></w:rPr></w:pPr><w:r><w:rPr><w:sz w:val="6"/></w:rPr><w:t>end</w:t></w:r></w:p>"#,
            1,
        ),
    ];
    for (name, last, pages) in cases {
        let f = facts(name, &(table_then_empty.clone() + last));
        assert_eq!(f.pages, Some(pages), "{name}: {:?}", f.page_starts);
    }
}
