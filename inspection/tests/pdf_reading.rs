//! What a PDF says to its reader: whether it needs a password, and its text: the words, where
//! each page starts and how full the last page is.
use inspection::{inspect, Limits, ProblemCode};
use lopdf::Permissions;
use testkit::pdf::{encrypted, essay, text_pages, with_attachment, A4};

fn lines(n: usize, tag: &str) -> Vec<String> {
    (1..=n)
        .map(|i| format!("{tag} line {i} of the essay on the key challenges"))
        .collect()
}

#[test]
fn a_pdf_that_opens_without_a_password_is_readable_and_says_what_its_owner_restricts() {
    // Arrange: an empty user password; the owner password forbids copying and printing.
    let plain = essay(&[A4, A4], "Key challenges", 0);
    let restricted = Permissions::all() - Permissions::COPYABLE - Permissions::PRINTABLE;
    let pdf = encrypted(&plain, "", "owner-secret", restricted);

    // Act
    let facts = inspect(&pdf, "251918 Key challenges.pdf", &Limits::default()).facts;

    // Assert
    assert!(facts.problems.is_empty(), "{:?}", facts.problems);
    assert!(facts.encrypted && facts.opens_without_password);
    assert_eq!(facts.restrictions, ["copying", "printing"]);
    assert_eq!(facts.pages, Some(2));
    assert_eq!(
        facts.page_starts[1],
        "Key challenges page 2 of Key challenges"
    );
}

#[test]
fn a_pdf_that_needs_a_password_to_open_is_encrypted() {
    let pdf = encrypted(
        &essay(&[A4], "Key challenges", 0),
        "user-secret",
        "owner-secret",
        Permissions::all(),
    );

    let facts = inspect(&pdf, "essay.pdf", &Limits::default()).facts;

    assert!(facts.encrypted && !facts.opens_without_password);
    assert!(facts
        .problems
        .iter()
        .any(|p| p.code == ProblemCode::Encrypted));
    assert_eq!(facts.pages, None);
}

#[test]
fn an_encrypted_attachment_does_not_make_the_document_encrypted() {
    // Arrange: the essay carries, as an attachment, a PDF that needs a password.
    let locked = encrypted(
        &essay(&[A4], "annex", 0),
        "user-secret",
        "owner-secret",
        Permissions::all(),
    );
    let pdf = with_attachment(&essay(&[A4], "Key challenges", 0), "annex.pdf", &locked);
    assert!(
        pdf.windows(8).any(|w| w == b"/Encrypt"),
        "the attachment shows"
    );

    // Act
    let facts = inspect(&pdf, "essay.pdf", &Limits::default()).facts;

    // Assert
    assert!(!facts.encrypted, "{:?}", facts.problems);
    assert!(facts.problems.is_empty(), "{:?}", facts.problems);
    assert_eq!(facts.pages, Some(1));
}

#[test]
fn a_pdfs_words_page_starts_and_last_page_fill_come_from_its_text() {
    // Arrange: two full pages of 50 lines and a third of 10; word gaps are kerning, not spaces.
    let (one, two, three) = (lines(50, "First"), lines(50, "Second"), lines(10, "Third"));
    fn as_refs(v: &[String]) -> Vec<&str> {
        v.iter().map(String::as_str).collect()
    }
    let pdf = text_pages(&[&as_refs(&one), &as_refs(&two), &as_refs(&three)]);

    // Act
    let inspection = inspect(&pdf, "essay.pdf", &Limits::default());
    let facts = inspection.facts;

    // Assert: the page numbers in the footer are furniture, not text that starts a page.
    assert_eq!(facts.pages, Some(3));
    assert_eq!(
        facts.page_starts,
        [
            "First line 1 of the essay on the",
            "Second line 1 of the essay on the",
            "Third line 1 of the essay on the",
        ]
    );
    assert_eq!(facts.words, Some(110 * 10 + 3));
    let fill = facts.last_page_fill.expect("a fill");
    assert!((0.17..0.22).contains(&fill), "10 lines of 50: {fill}");
    assert_eq!(inspection.details.lines_on_last_page, Some(10));
    let text = inspection
        .details
        .text_excerpt
        .expect("text for the anonymity check");
    assert!(
        text.contains("Third line 10 of the essay on the key challenges"),
        "{text}"
    );
}

#[test]
fn a_pdf_without_text_reports_no_words() {
    let facts = inspect(&testkit::pdf::pages(&[A4]), "scan.pdf", &Limits::default()).facts;
    assert_eq!(facts.words, None);
    assert!(facts.page_starts.is_empty());
}
