//! The `format` rule: each detected format against the formats a vacancy accepts.

use policy::{AcceptedFormat, Format, RuleStatus};

use crate::support::{facts, rules_251334, Case};

#[test]
fn format_outcomes() {
    use AcceptedFormat::*;
    // (why, detected format, name, accepted formats, status, message fragment)
    let table: Vec<(&str, Format, &str, Vec<AcceptedFormat>, RuleStatus, &str)> = vec![
        (
            "docx accepted",
            Format::Docx,
            "251334 Key challenges.docx",
            vec![Docx],
            RuleStatus::Pass,
            "Word (.docx)",
        ),
        (
            "pdf accepted",
            Format::Pdf,
            "251334 Key challenges.pdf",
            vec![Docx, Pdf],
            RuleStatus::Pass,
            "PDF",
        ),
        (
            "pdf refused",
            Format::Pdf,
            "251334 Key challenges.pdf",
            vec![Docx],
            RuleStatus::Fail,
            "accepts only Word (.docx)",
        ),
        (
            "legacy doc",
            Format::Doc,
            "251334 Key challenges.doc",
            vec![Docx, Pdf],
            RuleStatus::Fail,
            "This file is a legacy .doc; save it as .docx",
        ),
        (
            "doc accepted",
            Format::Doc,
            "251334 Key challenges.doc",
            vec![Doc],
            RuleStatus::Pass,
            ".doc",
        ),
        (
            "odt refused",
            Format::Odt,
            "251334 Key challenges.odt",
            vec![Docx, Pdf],
            RuleStatus::Fail,
            "Word (.docx) or PDF",
        ),
        (
            "odt accepted",
            Format::Odt,
            "251334 Key challenges.odt",
            vec![Odt],
            RuleStatus::Pass,
            ".odt",
        ),
        (
            "rtf refused",
            Format::Rtf,
            "251334 Key challenges.rtf",
            vec![Docx],
            RuleStatus::Fail,
            "save it as Word (.docx)",
        ),
        (
            "rtf accepted",
            Format::Rtf,
            "251334 Key challenges.rtf",
            vec![Rtf],
            RuleStatus::Pass,
            "RTF",
        ),
        (
            "docm",
            Format::Docm,
            "251334 Key challenges.docm",
            vec![Docx],
            RuleStatus::Fail,
            "macro-enabled",
        ),
        (
            "unknown",
            Format::Unknown,
            "251334 Key challenges.docx",
            vec![Docx, Pdf],
            RuleStatus::Fail,
            "could not recognise",
        ),
        (
            "no formats named: any readable one",
            Format::Odt,
            "251334 Key challenges.odt",
            vec![],
            RuleStatus::Pass,
            ".odt",
        ),
    ];
    for (why, format, name, accepted, expected, fragment) in table {
        // Arrange
        let (vacancy, mut document) = rules_251334();
        document.formats = accepted;
        document.max_pages = None;
        let mut case = Case::new(facts(format));
        case.filename = name;
        // Act
        let verdict = case.run(&vacancy, &document);
        // Assert
        let rule = verdict.rule("format").unwrap();
        assert_eq!(rule.status, expected, "{why}");
        assert!(
            rule.message.en.contains(fragment),
            "{why}: {}",
            rule.message.en
        );
        assert_eq!(
            verdict.accepted(),
            expected == RuleStatus::Pass,
            "{why}: {verdict:#?}"
        );
    }
}
