//! The verdict as a whole: the order of the rules, the JSON contract of `check --json`,
//! and both languages on every rule.

use policy::{Decision, Format, Paper, RuleStatus, Verdict};
use serde_json::Value;

use crate::support::{deadline, facts, rules_251334, Case};

#[test]
fn a_conforming_essay_is_accepted_with_every_rule_passing() {
    // Arrange
    let (vacancy, document) = rules_251334();
    // Act
    let verdict = Case::new(facts(Format::Docx)).run(&vacancy, &document);
    // Assert
    assert_eq!(verdict.verdict, Decision::Accept);
    let ids: Vec<&str> = verdict.rules.iter().map(|r| r.rule.as_str()).collect();
    assert_eq!(
        ids,
        [
            "format",
            "encryption",
            "readable",
            "macros",
            "pages",
            "paper",
            "filename",
            "size",
            "deadline"
        ]
    );
    assert!(
        verdict.rules.iter().all(|r| r.status == RuleStatus::Pass),
        "{verdict:#?}"
    );
}

#[test]
fn the_json_matches_the_check_contract() {
    // Arrange
    let (vacancy, document) = rules_251334();
    let mut case = Case::new(facts(Format::Pdf));
    case.filename = "essay.pdf";
    // Act
    let json: Value = serde_json::to_value(case.run(&vacancy, &document)).unwrap();
    // Assert
    assert_eq!(json["verdict"], "reject");
    for rule in json["rules"].as_array().unwrap() {
        assert!(rule["rule"].is_string());
        assert!(["pass", "fail", "warn"].contains(&rule["status"].as_str().unwrap()));
        assert!(rule["expected"].is_string() || rule["expected"].is_null());
        assert!(rule["found"].is_string() || rule["found"].is_null());
        assert!(rule["message"]["en"].is_string() && rule["message"]["fr"].is_string());
        assert!(rule["blocking"].is_boolean());
        let text = rule.to_string();
        assert!(
            !text.contains('\u{2068}') && !text.contains('\u{2069}'),
            "isolation marks: {text}"
        );
    }
    let format = &json["rules"][0];
    assert_eq!(format["rule"], "format");
    assert_eq!(format["expected"], "docx");
    assert_eq!(format["found"], "pdf");
    // The contract round-trips.
    let back: Verdict = serde_json::from_value(json.clone()).unwrap();
    assert_eq!(serde_json::to_value(back).unwrap(), json);
}

#[test]
fn every_french_message_differs_from_the_english_one() {
    // Arrange
    let (vacancy, document) = rules_251334();
    let mut f = facts(Format::Pdf);
    f.paper = Some(Paper::Letter);
    f.page_sizes_mm = vec![[215.9, 279.4]];
    f.pages = Some(4);
    let mut case = Case::new(f);
    case.filename = "essay.pdf";
    case.began = deadline();
    // Act
    let rules = case.run(&vacancy, &document).rules;
    // Assert
    for rule in rules {
        assert_ne!(rule.message.en, rule.message.fr, "{}", rule.rule);
        assert!(
            !rule.message.fr.contains(" ;") && !rule.message.fr.contains(" :"),
            "{}",
            rule.message.fr
        );
    }
}
