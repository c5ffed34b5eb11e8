//! The `deadline` rule: before, at and after the deadline, grace, extensions, and no
//! result when no deadline applies. Instants and DST are tested in `tests/deadline.rs`.

use chrono::{DateTime, Duration, Utc};
use policy::{rules_from_flags, Format, RuleStatus};

use crate::support::{deadline, facts, rules_251334, Case};

#[test]
fn deadline_outcomes() {
    // (why, upload began, completed, extension, status, message fragment)
    let d = deadline();
    let s = Duration::seconds;
    let table: Vec<(&str, DateTime<Utc>, DateTime<Utc>, Option<DateTime<Utc>>, RuleStatus, &str)> = vec![
        ("a second before", d - s(1), d - s(1), None, RuleStatus::Pass, "began before the deadline"),
        ("in grace", d - s(1), d + s(100), None, RuleStatus::Pass, "began before the deadline"),
        (
            "exactly at",
            d,
            d + s(1),
            None,
            RuleStatus::Fail,
            "The deadline was 16 September 2025, 23:59 Brussels time (21:59 UTC); uploads are closed.",
        ),
        ("too slow", d - s(10), d + s(300), None, RuleStatus::Fail, "finished 300 seconds after it, beyond the grace period of 120 seconds"),
        ("late but extended", d + s(3600), d + s(3601), Some(d + Duration::days(2)), RuleStatus::Pass, "extended deadline"),
        ("after the extension", d + Duration::days(3), d + Duration::days(3), Some(d + Duration::days(2)), RuleStatus::Fail, "Your extended deadline was 18 September 2025"),
    ];
    for (why, began, completed, extension, expected, fragment) in table {
        // Arrange
        let (vacancy, document) = rules_251334();
        let mut case = Case::new(facts(Format::Docx));
        case.began = began;
        case.completed = completed;
        case.extension = extension;
        // Act
        let verdict = case.run(&vacancy, &document);
        // Assert
        let rule = verdict.rule("deadline").unwrap();
        assert_eq!(rule.status, expected, "{why}");
        assert!(rule.blocking || expected == RuleStatus::Pass, "{why}");
        assert!(
            rule.message.en.contains(fragment),
            "{why}: {}",
            rule.message.en
        );
    }
}

#[test]
fn without_a_deadline_there_is_no_deadline_result() {
    // Arrange
    let (vacancy, document) = rules_from_flags(
        Some("251334"),
        &[],
        None,
        None,
        Some("Key challenges"),
        None,
    );
    // Act
    let verdict = Case::new(facts(Format::Docx)).run(&vacancy, &document);
    // Assert
    assert!(verdict.rule("deadline").is_none());
    assert!(verdict.rule("pages").is_none() && verdict.rule("paper").is_none());
    assert!(verdict.accepted());
}
