//! The checklist's values: besides the contract's English `expected`/`found`, each rule gives
//! `expected_value`/`found_value`, which a page writes in its own language and units.

use policy::{Format, RuleValue};
use serde_json::json;

use crate::support::{deadline, facts, problem, rules_251334, Case};

#[test]
fn sizes_pages_and_instants_are_numbers_and_dates_not_english_text() {
    // Arrange: an essay of three pages, sent an hour before the deadline.
    let (vacancy, document) = rules_251334();
    let mut three = facts(Format::Docx);
    three.pages = Some(3);
    let mut case = Case::new(three);
    case.size = 123_456;

    // Act
    let verdict = case.run(&vacancy, &document);

    // Assert
    let size = verdict.rule("size").unwrap();
    assert_eq!(
        size.expected_value,
        Some(RuleValue::Bytes {
            bytes: 10 * 1024 * 1024,
            at_most: true
        })
    );
    assert_eq!(
        size.found_value,
        Some(RuleValue::Bytes {
            bytes: 123_456,
            at_most: false
        })
    );
    let pages = verdict.rule("pages").unwrap();
    assert_eq!(
        pages.expected_value,
        Some(RuleValue::Pages {
            pages: 2,
            at_most: true
        })
    );
    assert_eq!(
        pages.found_value,
        Some(RuleValue::Pages {
            pages: 3,
            at_most: false
        })
    );
    let on_time = verdict.rule("deadline").unwrap();
    assert_eq!(
        on_time.expected_value,
        Some(RuleValue::BeganBefore { at: deadline() })
    );
    assert_eq!(
        on_time.found_value,
        Some(RuleValue::Began {
            began: case.began,
            completed: None
        })
    );
    // The contract's text stays as it was.
    assert_eq!(size.expected.as_deref(), Some("at most 10485760 bytes"));
    assert_eq!(pages.expected.as_deref(), Some("at most 2"));
}

#[test]
fn words_come_in_both_languages() {
    // Arrange: a file that needs a password, and one that cannot be read through.
    let (vacancy, document) = rules_251334();
    let mut locked = facts(Format::Docx);
    locked.encrypted = true;
    let mut damaged = facts(Format::Docx);
    damaged.problems = vec![problem("unreadable", "word/document.xml is missing")];

    // Act
    let locked = Case::new(locked).run(&vacancy, &document);
    let damaged = Case::new(damaged).run(&vacancy, &document);

    // Assert
    let encryption = locked.rule("encryption").unwrap();
    assert_eq!(
        serde_json::to_value(&encryption.expected_value).unwrap(),
        json!({"kind": "text", "en": "not encrypted", "fr": "non protégé par un mot de passe"})
    );
    let readable = damaged.rule("readable").unwrap();
    let found = serde_json::to_value(&readable.found_value).unwrap();
    assert_eq!(found["kind"], "text");
    assert_eq!(found["fr"], "endommagé ou illisible");
    assert_eq!(
        serde_json::to_value(&locked.rule("filename").unwrap().found_value).unwrap(),
        json!({"kind": "name", "text": case_name()})
    );
}

fn case_name() -> &'static str {
    Case::new(facts(Format::Docx)).filename
}

#[test]
fn a_verdict_stored_before_values_existed_still_reads() {
    // Arrange: a rule result as stored before `expected_value`/`found_value`.
    let stored = json!({"verdict": "accept", "rules": [{"rule": "size", "status": "pass",
        "expected": "at most 10 bytes", "found": "5 bytes",
        "message": {"en": "ok", "fr": "ok"}, "blocking": false}]});

    // Act
    let verdict: policy::Verdict = serde_json::from_value(stored.clone()).unwrap();

    // Assert: no values, and it serialises back to the same JSON.
    assert_eq!(verdict.rules[0].found_value, None);
    assert_eq!(serde_json::to_value(&verdict).unwrap(), stored);
}
