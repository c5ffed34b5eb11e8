//! The `size` rule: the limit to the byte, and sizes written in each language.

use policy::{Format, RuleStatus};

use crate::support::{facts, rules_251334, status, Case};

#[test]
fn size_limit() {
    // Arrange: (size in bytes, status) against the default 10 MiB limit.
    let (vacancy, document) = rules_251334();
    let table = [
        (10 * 1024 * 1024, RuleStatus::Pass),
        (10 * 1024 * 1024 + 1, RuleStatus::Fail),
    ];
    for (size, expected) in table {
        let mut case = Case::new(facts(Format::Docx));
        case.size = size;
        // Act
        let verdict = case.run(&vacancy, &document);
        // Assert
        assert_eq!(status(&verdict, "size"), Some(expected), "{size}");
    }
    // Arrange: the message, in each language.
    let mut case = Case::new(facts(Format::Docx));
    case.size = 12_900_000;
    // Act
    let rule = case.run(&vacancy, &document).rule("size").unwrap().clone();
    // Assert
    assert!(
        rule.message
            .en
            .starts_with("The file is 12.3 MB, over the limit of 10 MB"),
        "{}",
        rule.message.en
    );
    assert!(
        rule.message.fr.starts_with("Le fichier fait 12,3\u{a0}Mo"),
        "{}",
        rule.message.fr
    );
}
