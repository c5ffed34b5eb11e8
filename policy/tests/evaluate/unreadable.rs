//! The `encryption`, `readable` and `macros` rules, and a file that is not a document:
//! each rejects, and none leaves a guess about pages or paper.

use policy::{Decision, Format, RuleStatus};

use crate::support::{facts, problem, rules_251334, status, Case};

#[test]
fn unreadable_and_encrypted_files_are_rejected_without_page_or_paper_guesses() {
    // Arrange
    let (vacancy, document) = rules_251334();
    let mut encrypted = facts(Format::Docx);
    encrypted.encrypted = true;
    encrypted.pages = None;
    let mut broken = facts(Format::Docx);
    broken
        .problems
        .push(problem("unreadable", "word/document.xml is missing"));
    let mut macros = facts(Format::Docx);
    macros.problems.push(problem("macros", "VBA project"));
    let mut not_a_document = facts(Format::Unknown);
    not_a_document
        .problems
        .push(problem("not-a-document", "PNG image"));
    let mut zip_bomb = facts(Format::Unknown);
    zip_bomb.pages = None;
    zip_bomb.problems.push(problem(
        "zip-bomb",
        "The file was not unpacked: an entry compresses 1027:1 (at most 100:1 is accepted).",
    ));
    let table = [
        ("encrypted", encrypted, "encryption", "password-protected"),
        (
            "a zip bomb is named as such, not as an unknown format",
            zip_bomb,
            "format",
            "could not open this file safely to check it: The file was not unpacked",
        ),
        (
            "unreadable",
            broken,
            "readable",
            "word/document.xml is missing",
        ),
        ("macros", macros, "macros", "contains macros"),
        (
            "not a document",
            not_a_document,
            "format",
            "could not recognise",
        ),
    ];
    for (why, f, rule, fragment) in table {
        // Act
        let verdict = Case::new(f).run(&vacancy, &document);
        // Assert
        assert_eq!(verdict.verdict, Decision::Reject, "{why}");
        let r = verdict.rule(rule).unwrap();
        assert_eq!(r.status, RuleStatus::Fail, "{why}");
        assert!(r.message.en.contains(fragment), "{why}: {}", r.message.en);
        if why != "macros" {
            assert_eq!(status(&verdict, "pages"), None, "{why}: no page guess");
            assert_eq!(status(&verdict, "paper"), None, "{why}: no paper guess");
        }
    }
}

#[test]
fn a_pdf_that_opens_without_a_password_passes_and_says_what_it_restricts() {
    // Arrange: encrypted with an empty user password; the owner forbids copying and printing.
    let (vacancy, document) = crate::support::rules_251918();
    let mut restricted = facts(Format::Pdf);
    restricted.encrypted = true;
    restricted.opens_without_password = true;
    restricted.restrictions = vec!["copying".into(), "printing".into()];

    // Act
    let verdict = Case {
        filename: "251918 Key challenges.pdf",
        ..Case::new(restricted)
    }
    .run(&vacancy, &document);

    // Assert
    assert_eq!(verdict.verdict, Decision::Accept, "{verdict:#?}");
    let rule = verdict.rule("encryption").expect("judged");
    assert_eq!(rule.status, RuleStatus::Pass);
    assert!(
        rule.message.en.contains("restrict copying and printing"),
        "{}",
        rule.message.en
    );
    assert!(
        rule.message.fr.contains("la copie et l’impression"),
        "{}",
        rule.message.fr
    );
    assert_eq!(status(&verdict, "pages"), Some(RuleStatus::Pass));
}
