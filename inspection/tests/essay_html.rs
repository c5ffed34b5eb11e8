//! What assessors read of a .docx is built from the document the page rule counted: the main
//! part that `_rels/.rels` names, without hidden or field-code text, with every image listed once.
use inspection::{inspect, Limits};
use testkit::docx::{document, package as docx, paragraph, rels, W};

fn essay_html(bytes: &[u8]) -> inspection::EssayHtml {
    let inspection = inspect(bytes, "251334 Key challenges.docx", &Limits::default());
    assert!(
        inspection.facts.problems.is_empty(),
        "{:?}",
        inspection.facts.problems
    );
    inspection.details.essay_html.expect("a .docx has HTML")
}

#[test]
fn headings_emphasis_list_markers_and_tables_become_html() {
    let body = concat!(
        r#"<w:p><w:pPr><w:pStyle w:val="Heading1"/></w:pPr><w:r><w:t>Key challenges</w:t></w:r></w:p>"#,
        r#"<w:p><w:r><w:rPr><w:b/></w:rPr><w:t>Bold</w:t></w:r><w:r><w:t xml:space="preserve"> and plain</w:t></w:r></w:p>"#,
        r#"<w:tbl><w:tr><w:tc><w:p><w:r><w:t>Cell</w:t></w:r></w:p></w:tc></w:tr></w:tbl>"#,
    );
    let styles = format!(
        r#"<?xml version="1.0"?><w:styles xmlns:w="{W}"><w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/><w:rPr><w:b/><w:sz w:val="32"/></w:rPr></w:style></w:styles>"#
    );
    let rels = rels("rIdStyles", "styles", "styles.xml");
    let html = essay_html(&docx(
        "word/document.xml",
        body,
        &[
            ("word/styles.xml", styles.into_bytes()),
            ("word/_rels/document.xml.rels", rels.into_bytes()),
        ],
    ))
    .html;
    assert!(
        html.contains("<h3><strong>Key challenges</strong></h3>"),
        "{html}"
    );
    assert!(
        html.contains("<p><strong>Bold</strong> and plain</p>"),
        "{html}"
    );
    assert!(
        html.contains("<table><tbody><tr><td><p>Cell</p></td></tr></tbody></table>"),
        "{html}"
    );
}

#[test]
fn lists_become_lists_with_their_markers_and_header_rows_column_headers() {
    // Arrange: a numbered list of two with a bullet nested in its first item, a bulleted list,
    // and a table whose first row repeats on every page (w:tblHeader).
    let item = |num: u8, ilvl: u8, text: &str| {
        format!(
            r#"<w:p><w:pPr><w:numPr><w:ilvl w:val="{ilvl}"/><w:numId w:val="{num}"/></w:numPr><w:ind w:left="{}" w:hanging="360"/></w:pPr><w:r><w:t>{text}</w:t></w:r></w:p>"#,
            720 * (u32::from(ilvl) + 1)
        )
    };
    let body = [
        item(1, 0, "First"),
        item(2, 1, "Nested"),
        item(1, 0, "Second"),
        paragraph("Between"),
        item(2, 0, "Bullet"),
        r#"<w:tbl><w:tr><w:trPr><w:tblHeader/></w:trPr><w:tc><w:p><w:r><w:t>Risk</w:t></w:r></w:p></w:tc></w:tr><w:tr><w:tc><w:p><w:r><w:t>Delay</w:t></w:r></w:p></w:tc></w:tr></w:tbl>"#.to_owned(),
    ]
    .concat();
    let level = |ilvl: u8, fmt: &str, text: &str| {
        format!(
            r#"<w:lvl w:ilvl="{ilvl}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/><w:lvlText w:val="{text}"/></w:lvl>"#
        )
    };
    let numbering = format!(
        r#"<?xml version="1.0"?><w:numbering xmlns:w="{W}"><w:abstractNum w:abstractNumId="0">{}{}</w:abstractNum><w:abstractNum w:abstractNumId="1">{}{}</w:abstractNum><w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num><w:num w:numId="2"><w:abstractNumId w:val="1"/></w:num></w:numbering>"#,
        level(0, "decimal", "%1."),
        level(1, "lowerLetter", "%2)"),
        level(0, "bullet", "•"),
        level(1, "bullet", "–"),
    );
    let rels = rels("rIdNumbering", "numbering", "numbering.xml");

    let html = essay_html(&docx(
        "word/document.xml",
        &body,
        &[
            ("word/numbering.xml", numbering.into_bytes()),
            ("word/_rels/document.xml.rels", rels.into_bytes()),
        ],
    ))
    .html;

    assert!(
        html.contains(concat!(
            r#"<ol class="essay-list"><li><span class="essay-marker">1.</span> First"#,
            r#"<ul class="essay-list"><li><span class="essay-marker">–</span> Nested</li></ul></li>"#,
            r#"<li><span class="essay-marker">2.</span> Second</li></ol><p>Between</p>"#,
            r#"<ul class="essay-list"><li><span class="essay-marker">•</span> Bullet</li></ul>"#,
        )),
        "{html}"
    );
    assert!(
        html.contains(concat!(
            r#"<table><thead><tr><th scope="col"><p>Risk</p></th></tr></thead>"#,
            r#"<tbody><tr><td><p>Delay</p></td></tr></tbody></table>"#,
        )),
        "{html}"
    );
}

#[test]
fn markup_in_the_text_is_escaped() {
    let html = essay_html(&docx(
        "word/document.xml",
        &paragraph(r#"&lt;script&gt;alert(1)&lt;/script&gt; &amp; "x""#),
        &[],
    ))
    .html;
    assert!(!html.contains("<script>"), "{html}");
    assert!(html.contains("&lt;script&gt;"), "{html}");
}

#[test]
fn the_main_part_named_by_the_package_is_what_is_shown() {
    // Arrange: the package names word/essay.xml; a different word/document.xml sits beside it.
    let decoy = document(&paragraph(
        "Signed: Ana Silva, thirteen pages of unchecked text",
    ));
    let bytes = docx(
        "word/essay.xml",
        &paragraph("The checked essay"),
        &[("word/document.xml", decoy.into_bytes())],
    );

    // Act
    let html = essay_html(&bytes).html;

    // Assert
    assert!(html.contains("The checked essay"), "{html}");
    assert!(!html.contains("Ana Silva"), "{html}");
}

#[test]
fn hidden_and_field_code_text_is_not_shown() {
    let body = concat!(
        r#"<w:p><w:r><w:t xml:space="preserve">Visible </w:t></w:r>"#,
        r#"<w:r><w:rPr><w:vanish/></w:rPr><w:t>HIDDEN</w:t></w:r>"#,
        r#"<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:t>CODE</w:t></w:r>"#,
        r#"<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>result</w:t></w:r>"#,
        r#"<w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>"#,
    );
    let html = essay_html(&docx("word/document.xml", body, &[])).html;
    assert!(html.contains("Visible"), "{html}");
    assert!(html.contains("result"), "{html}");
    assert!(!html.contains("HIDDEN"), "{html}");
    assert!(!html.contains("CODE"), "{html}");
}

#[test]
fn one_image_referenced_twenty_thousand_times_is_listed_once_and_capped() {
    // Arrange: a 1 MiB "picture" and 20,000 inline drawings of it.
    let drawing = r#"<w:r><w:drawing><wp:inline><wp:extent cx="9525" cy="9525"/><a:graphic><a:graphicData><pic:pic><pic:blipFill><a:blip r:embed="rIdImg"/></pic:blipFill></pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing></w:r>"#;
    let body = format!("<w:p>{}</w:p>", drawing.repeat(20_000));
    let rels = rels("rIdImg", "image", "media/image1.png");
    let mut seed = 1u32;
    let picture: Vec<u8> = (0..1024 * 1024)
        .map(|_| {
            seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12_345);
            (seed >> 16) as u8
        })
        .collect();
    let bytes = docx(
        "word/document.xml",
        &body,
        &[
            ("word/_rels/document.xml.rels", rels.into_bytes()),
            ("word/media/image1.png", picture),
        ],
    );

    // Act
    let essay = essay_html(&bytes);

    // Assert: one part listed, a bounded number of tags, no image bytes in the HTML.
    assert_eq!(essay.images, vec!["word/media/image1.png".to_owned()]);
    assert_eq!(essay.html.matches("<img ").count(), 200);
    assert!(essay.html.len() < 1024 * 1024, "{} bytes", essay.html.len());
    assert!(!essay.html.contains("base64"));
}
