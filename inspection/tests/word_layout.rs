//! Where Microsoft Word and LibreOffice lay a .docx out differently, the page count follows the
//! program that saved the file, and what neither program prints is never counted.
//!
//! The documents are written here part by part: A4, one-inch margins, Calibri 11 pt (measured
//! with its metric twin Carlito), 8 pt after each paragraph, lines at 1.08, as Word's default
//! template sets them. Where a count is LibreOffice's, it is LibreOffice 7.4's
//! (`soffice --headless --convert-to pdf`, then `pdfinfo`, with Carlito installed) on these very
//! bytes; where it is Word's, the test says why Word gives it. To get those bytes:
//! `WORD_LAYOUT_FIXTURES=DIR cargo test -p inspection --test word_layout -- --test-threads=1`
//! writes every document built here to DIR (0.docx, 1.docx… in the order the tests build them).
use inspection::{inspect, Facts, Limits, ProblemCode};
use testkit::docx::{app_xml, paragraph, A4_SECTION, R, W};

const SENTENCE: &str =
    "The Alliance faces a changing security environment that asks for steady work. ";

/// Calibri 11 pt, 8 pt after, 1.08 lines: Word's defaults since 2013.
fn styles() -> String {
    format!(
        r#"<?xml version="1.0"?><w:styles xmlns:w="{W}"><w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii="Calibri" w:hAnsi="Calibri"/><w:sz w:val="22"/></w:rPr></w:rPrDefault><w:pPrDefault><w:pPr><w:spacing w:after="160" w:line="259" w:lineRule="auto"/></w:pPr></w:pPrDefault></w:docDefaults></w:styles>"#
    )
}

/// A .docx whose document part has `body` in its `w:body` (section properties included), with
/// the styles above, `parts` named by the main part's relationships (`(kind, name, xml)`) and
/// `app` as docProps/app.xml.
fn docx(body: &str, parts: &[(&str, &str, String)], app: Option<String>) -> Vec<u8> {
    let mut rels = format!(
        r#"<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rIdStyles" Type="{R}/styles" Target="styles.xml"/>"#
    );
    for (i, (kind, name, _)) in parts.iter().enumerate() {
        rels.push_str(&format!(
            r#"<Relationship Id="rIdPart{i}" Type="{R}/{kind}" Target="{name}"/>"#
        ));
    }
    rels.push_str("</Relationships>");
    let mut extra = vec![
        ("word/styles.xml".to_string(), styles().into_bytes()),
        (
            "word/_rels/document.xml.rels".to_string(),
            rels.into_bytes(),
        ),
    ];
    for (_, name, xml) in parts {
        extra.push((format!("word/{name}"), xml.clone().into_bytes()));
    }
    if let Some(app) = app {
        extra.push(("docProps/app.xml".to_string(), app.into_bytes()));
    }
    let extra: Vec<(&str, Vec<u8>)> = extra
        .iter()
        .map(|(name, bytes)| (name.as_str(), bytes.clone()))
        .collect();
    let bytes = testkit::docx::package("word/document.xml", body, &extra);
    if let Some(dir) = std::env::var_os("WORD_LAYOUT_FIXTURES") {
        let n = std::fs::read_dir(&dir).map(|d| d.count()).unwrap_or(0);
        let _ = std::fs::write(std::path::Path::new(&dir).join(format!("{n}.docx")), &bytes);
    }
    bytes
}

fn facts(bytes: &[u8]) -> Facts {
    inspect(bytes, "Key challenges.docx", &Limits::default()).facts
}

/// `n` paragraphs of four sentences (four or five lines each at this width).
fn text(n: usize) -> String {
    paragraph(&SENTENCE.repeat(4)).repeat(n)
}

/// A paragraph of text whose last word carries the reference to endnote 1.
fn with_endnote_reference() -> String {
    format!(
        r#"<w:p><w:r><w:t xml:space="preserve">{SENTENCE}</w:t></w:r><w:r><w:rPr><w:vertAlign w:val="superscript"/></w:rPr><w:endnoteReference w:id="1"/></w:r></w:p>"#
    )
}

/// An endnotes part: Word's separator, then endnote 1 of `paragraphs` paragraphs, the first
/// starting with a sentence no body paragraph has.
fn endnotes(paragraphs: usize) -> String {
    let note = format!(
        r#"<w:p><w:r><w:endnoteRef/></w:r><w:r><w:t xml:space="preserve"> Source: the annual report of the agency, chapter four.</w:t></w:r></w:p>{}"#,
        text(paragraphs.saturating_sub(1))
    );
    format!(
        r#"<?xml version="1.0"?><w:endnotes xmlns:w="{W}"><w:endnote w:type="separator" w:id="-1"><w:p><w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto"/></w:pPr><w:r><w:separator/></w:r></w:p></w:endnote><w:endnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/></w:r></w:p></w:endnote><w:endnote w:id="1">{note}</w:endnote></w:endnotes>"#
    )
}

/// docProps/app.xml as Word writes it, with the words of the body so that its count is trusted.
fn saved_by_word(pages: u32, words: u32) -> String {
    app_xml("Microsoft Office Word", Some("16.0000"), pages, words)
}

fn saved_by_libreoffice(pages: u32, words: u32) -> String {
    app_xml(
        "LibreOffice/7.4.7.2$Linux_X86_64 LibreOffice_project/40$Build-2",
        None,
        pages,
        words,
    )
}

fn has_estimate(facts: &Facts) -> bool {
    facts
        .problems
        .iter()
        .any(|p| p.code == ProblemCode::Estimate)
}

#[test]
fn endnotes_follow_the_text_when_word_saved_the_file() {
    // Arrange: eight paragraphs (about two thirds of the page), then a long endnote of eight
    // more. Word sets endnotes right after the text, so they run onto a second page; left
    // out, as they were, the essay looked one page long. (LibreOffice counts 2 pages too, the
    // second its endnote page.)
    let body = format!("{}{}{A4_SECTION}", text(7), with_endnote_reference());
    let essay = docx(
        &body,
        &[("endnotes", "endnotes.xml", endnotes(8))],
        Some(saved_by_word(2, 0)),
    );

    // Act
    let facts = facts(&essay);

    // Assert
    assert_eq!(facts.pages, Some(2), "{:?}", facts.page_starts);
    assert!(
        !facts.page_starts[1].starts_with("Source"),
        "the note starts on page 1 and runs on: {:?}",
        facts.page_starts
    );
}

#[test]
fn the_text_of_endnotes_reaches_the_anonymity_check_and_the_panel() {
    // Arrange
    let body = format!("{}{A4_SECTION}", with_endnote_reference());
    let essay = docx(
        &body,
        &[("endnotes", "endnotes.xml", endnotes(1))],
        Some(saved_by_word(1, 13)),
    );

    // Act
    let details = inspect(&essay, "essay.docx", &Limits::default()).details;

    // Assert
    let excerpt = details.text_excerpt.unwrap_or_default();
    assert!(excerpt.contains("annual report of the agency"), "{excerpt}");
    let html = details.essay_html.map(|h| h.html).unwrap_or_default();
    assert!(html.contains("annual report of the agency"), "{html}");
}

#[test]
fn endnotes_get_a_page_of_their_own_when_libreoffice_saved_the_file() {
    // Arrange: one paragraph and a one-line endnote. LibreOffice 7.4 gives endnotes a page of
    // their own: it counts 2 pages for these bytes, whoever saved them. Word sets the note
    // under the text: 1 page, as Word's saved count says of the 16 such one-page documents
    // of the Word-saved development set (LibreOffice: 2 for each).
    let body = format!("{}{A4_SECTION}", with_endnote_reference());
    let by_libreoffice = docx(
        &body,
        &[("endnotes", "endnotes.xml", endnotes(1))],
        Some(saved_by_libreoffice(2, 13)),
    );
    let by_word = docx(
        &body,
        &[("endnotes", "endnotes.xml", endnotes(1))],
        Some(saved_by_word(1, 13)),
    );

    // Act
    let (libreoffice, word) = (facts(&by_libreoffice), facts(&by_word));

    // Assert
    assert_eq!(libreoffice.pages, Some(2));
    assert_eq!(
        libreoffice.page_starts.get(1).map(|s| s.contains("Source")),
        Some(true),
        "{:?}",
        libreoffice.page_starts
    );
    assert_eq!(word.pages, Some(1));
}

#[test]
fn comments_are_never_counted() {
    // Arrange: a one-page essay whose comment is longer than a page. Neither Word's print
    // layout nor LibreOffice's PDF export prints comments (LibreOffice: 1 page for these bytes).
    let comment = format!(
        r#"<?xml version="1.0"?><w:comments xmlns:w="{W}"><w:comment w:id="0" w:author="Reviewer" w:initials="R">{}</w:comment></w:comments>"#,
        text(20)
    );
    let body = format!(
        r#"<w:p><w:commentRangeStart w:id="0"/><w:r><w:t xml:space="preserve">{SENTENCE}</w:t></w:r><w:commentRangeEnd w:id="0"/><w:r><w:commentReference w:id="0"/></w:r></w:p>{A4_SECTION}"#
    );
    let essay = docx(&body, &[("comments", "comments.xml", comment)], None);

    // Act
    let facts = facts(&essay);

    // Assert
    assert_eq!(facts.pages, Some(1));
    assert_eq!(facts.words, Some(12));
}

#[test]
fn a_page_of_vertical_text_sets_its_lines_across_the_page() {
    // Arrange: 28 one-line paragraphs fit on one page laid out across (32 such paragraphs fit
    // its 24.6 cm), but set vertically each is a line down the page and they follow each other
    // across its 15.9 cm, where 21 fit: they need two pages. LibreOffice counts 2 for these
    // bytes.
    let section = A4_SECTION.replace(
        "</w:sectPr>",
        r#"<w:textDirection w:val="tbRl"/></w:sectPr>"#,
    );
    let body = format!("{}{section}", paragraph("Line of text.").repeat(28));
    let essay = docx(&body, &[], None);

    // Act
    let facts = facts(&essay);

    // Assert
    assert_eq!(facts.pages, Some(2));
}

#[test]
fn a_table_cell_of_vertical_text_is_as_tall_as_its_text_is_long() {
    // Arrange: eight paragraphs, then a one-row table whose first cell holds a sentence set
    // bottom to top. Across, the sentence takes a few lines of the narrow cell and the row fits
    // under the text; turned, the row is as tall as the sentence is long (about 13 cm) and goes
    // to page 2. That is Word's layout: a row of turned text grows with it. LibreOffice 7.4
    // counts 1 page for these bytes only because it breaks the turned text at the height of
    // one line and hides what does not fit (its PDF shows "The Allia nce face" and no more).
    let cell = |props: &str, text: &str| {
        format!(
            r#"<w:tc><w:tcPr><w:tcW w:w="1500" w:type="dxa"/>{props}</w:tcPr>{}</w:tc>"#,
            paragraph(text)
        )
    };
    let table = format!(
        r#"<w:tbl><w:tblPr><w:tblW w:w="3000" w:type="dxa"/></w:tblPr><w:tblGrid><w:gridCol w:w="1500"/><w:gridCol w:w="1500"/></w:tblGrid><w:tr>{}{}</w:tr></w:tbl>"#,
        cell(r#"<w:textDirection w:val="btLr"/>"#, SENTENCE),
        cell("", "Note")
    );
    let body = format!("{}{table}{}{A4_SECTION}", text(8), paragraph(""));
    let essay = docx(&body, &[], None);

    // Act
    let facts = facts(&essay);

    // Assert
    assert_eq!(facts.pages, Some(2), "{:?}", facts.page_starts);
}

#[test]
fn two_columns_after_a_continuous_break_start_under_the_title() {
    // Arrange: a title in one column, a continuous section break, then 60 one-line paragraphs
    // in two columns: 30 lines a column fit on the page under the title. Set in one column of
    // half the width, as they were, they ran onto a second page. LibreOffice counts 1 page.
    let title_section = r#"<w:p><w:pPr><w:sectPr><w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="1440" w:right="1440" w:bottom="1440" w:left="1440" w:header="720" w:footer="720" w:gutter="0"/></w:sectPr></w:pPr><w:r><w:t>Key challenges</w:t></w:r></w:p>"#;
    let two_columns = A4_SECTION.replace(
        "</w:sectPr>",
        r#"<w:type w:val="continuous"/><w:cols w:num="2" w:space="720"/></w:sectPr>"#,
    );
    let body = format!(
        "{title_section}{}{two_columns}",
        paragraph("Line of text.").repeat(60)
    );
    let essay = docx(&body, &[], None);

    // Act
    let facts = facts(&essay);

    // Assert
    assert_eq!(facts.pages, Some(1), "{:?}", facts.page_starts);
}

#[test]
fn a_count_more_than_a_page_off_words_own_is_an_estimate_with_words_number() {
    // Arrange: a one-page essay whose app.xml, written by Word with these very words, says
    // 4 pages: something Word laid out escaped us.
    let body = format!("{}{A4_SECTION}", text(2));
    let off = docx(&body, &[], Some(saved_by_word(4, 96)));
    let close = docx(&body, &[], Some(saved_by_word(2, 96)));

    // Act
    let (off, close) = (facts(&off), facts(&close));

    // Assert
    assert_eq!(off.pages, Some(1));
    assert_eq!(off.word_pages, Some(4));
    assert!(has_estimate(&off), "{:?}", off.problems);
    let message = &off.problems[0].message;
    assert!(
        message.contains("Microsoft Word counted 4 pages"),
        "{message}"
    );
    // Within a page, the layout's count stands.
    assert_eq!(close.word_pages, Some(2));
    assert!(!has_estimate(&close), "{:?}", close.problems);
}

#[test]
fn columns_of_their_own_widths_keep_the_space_word_gives_between_them() {
    // Arrange: two columns of their own widths (`w:equalWidth="0"`) with two inches between
    // them, written, as Word writes them, in each `w:col` and not on `w:cols`. Read with the
    // default half-inch gap, as they were, the columns were a third wider and eleven paragraphs
    // fitted on one page; in 5.4 cm columns they need two. LibreOffice counts 2 for these bytes
    // (and 1 for the same text with a half-inch gap).
    let section = A4_SECTION.replace(
        "</w:sectPr>",
        r#"<w:cols w:num="2" w:equalWidth="0"><w:col w:w="3073" w:space="2880"/><w:col w:w="3073"/></w:cols></w:sectPr>"#,
    );
    let body = format!("{}{section}", text(11));
    let essay = docx(&body, &[], None);

    // Act
    let facts = facts(&essay);

    // Assert
    assert_eq!(facts.pages, Some(2), "{:?}", facts.page_starts);
}
