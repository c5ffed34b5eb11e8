//! The `filename` rule as evaluation applies it: the name's content and extension, and
//! an advisory severity. The matching itself is tested in `tests/filename.rs`.

use policy::rules::Severity;
use policy::{Format, RuleStatus};

use crate::support::{facts, rules_251334, Case};

#[test]
fn filename_outcomes_and_advisory_severity() {
    // (why, name, severity, status, accepted?, message fragment)
    let table: Vec<(&str, &str, Severity, RuleStatus, bool, &str)> = vec![
        (
            "good name",
            "251334 Key challenges.docx",
            Severity::Blocking,
            RuleStatus::Pass,
            true,
            "meets",
        ),
        (
            "no reference",
            "Key challenges.docx",
            Severity::Blocking,
            RuleStatus::Fail,
            false,
            "rename the file to “251334 Key challenges.docx”",
        ),
        (
            "no reference, advisory",
            "Key challenges.docx",
            Severity::Advisory,
            RuleStatus::Warn,
            true,
            "251334 Key challenges.docx",
        ),
        (
            "wrong extension",
            "251334 Key challenges.pdf",
            Severity::Blocking,
            RuleStatus::Fail,
            false,
            "but its name ends in “.pdf”; rename it to “251334 Key challenges.docx”",
        ),
        (
            "no extension",
            "251334 Key challenges",
            Severity::Blocking,
            RuleStatus::Fail,
            false,
            "rename it to “251334 Key challenges.docx”",
        ),
    ];
    for (why, name, severity, expected, accepted, fragment) in table {
        // Arrange
        let (vacancy, mut document) = rules_251334();
        document.severities.filename = severity;
        let mut case = Case::new(facts(Format::Docx));
        case.filename = name;
        // Act
        let verdict = case.run(&vacancy, &document);
        // Assert
        let rule = verdict.rule("filename").unwrap();
        assert_eq!(rule.status, expected, "{why}");
        assert_eq!(verdict.accepted(), accepted, "{why}");
        assert!(
            rule.message.en.contains(fragment),
            "{why}: {}",
            rule.message.en
        );
    }
}
