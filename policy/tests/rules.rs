//! The rule model: JSON as the api stores it, the TOML vacancy file, flags, and the
//! demo vacancies built from the embedded notices.

// Tables of tuples are how these tests state the specification, row by row.
#![allow(clippy::type_complexity)]

use chrono::{TimeZone, Utc};
use policy::rules::{DocumentRules, Severity};
use policy::{
    demo_vacancies, parse_vacancy_toml, rules_from_flags, AcceptedFormat, EligibilityStatement,
    Paper, RulesError, VacancyRules,
};

#[test]
fn the_example_vacancy_file_parses() {
    let text = include_str!("../examples/251334.toml");
    let rules = parse_vacancy_toml(text).unwrap();
    assert_eq!(rules.reference, "251334");
    assert_eq!(
        rules.deadline,
        Some(Utc.with_ymd_and_hms(2025, 9, 16, 21, 59, 0).unwrap())
    );
    assert_eq!(rules.time_zone, chrono_tz::Europe::Brussels);
    let doc = rules.primary_document().unwrap();
    assert_eq!(doc.formats, vec![AcceptedFormat::Docx]);
    assert_eq!((doc.max_pages, doc.paper), (Some(2), Some(Paper::A4)));
    assert_eq!(doc.filename_phrase.as_deref(), Some("Key challenges"));
    assert!(doc.filename_must_include_reference);
}

#[test]
fn a_minimal_vacancy_file_takes_the_defaults() {
    let rules = parse_vacancy_toml("reference = \"250875\"\ndeadline = \"2025-06-18T23:59:00\"\n[[documents]]\nmax_pages = 1\n").unwrap();
    // A local time is read in Brussels (CEST in June).
    assert_eq!(
        rules.deadline,
        Some(Utc.with_ymd_and_hms(2025, 6, 18, 21, 59, 0).unwrap())
    );
    assert_eq!(rules.grace_seconds, 120);
    let doc = &rules.documents[0];
    assert_eq!(doc.kind, "key-challenges");
    assert_eq!(doc.filename_phrase.as_deref(), Some("Key challenges"));
    assert_eq!(doc.severities.pages, Severity::Blocking);
}

#[test]
fn vacancy_file_errors_say_what_is_wrong() {
    let table = [
        ("reference = \"1\"\n", "no [[documents]]"),
        (
            "reference = \"1\"\ndeadline = \"2025-03-30T02:30:00\"\n[[documents]]\n",
            "does not exist",
        ),
        (
            "reference = \"1\"\ntime_zone = \"Mars/Olympus\"\n[[documents]]\n",
            "unknown time zone",
        ),
        (
            "reference = \"1\"\n[[documents]]\nformats = [\"docx\", \"pages\"]\n",
            "invalid vacancy file",
        ),
        (
            "reference = \"1\"\ndeadline = \"soon\"\n[[documents]]\n",
            "invalid deadline",
        ),
        (
            "reference = \"1\"\ncolour = \"blue\"\n[[documents]]\n",
            "unknown field",
        ),
    ];
    for (text, fragment) in table {
        let error = parse_vacancy_toml(text).unwrap_err().to_string();
        assert!(error.contains(fragment), "{text:?}: {error}");
    }
}

#[test]
fn flags_make_blocking_rules_and_skip_what_is_not_given() {
    let (vacancy, doc) = rules_from_flags(
        Some("251334"),
        &AcceptedFormat::parse_list("docx, pdf").unwrap(),
        Some(2),
        Some(Paper::A4),
        Some("Key challenges"),
        None,
    );
    assert_eq!(vacancy.deadline, None);
    assert_eq!(doc.formats, vec![AcceptedFormat::Docx, AcceptedFormat::Pdf]);
    assert!(doc.filename_must_include_reference);
    assert_eq!(doc.severities, Default::default());

    let (vacancy, doc) = rules_from_flags(None, &[], None, None, None, None);
    assert_eq!(vacancy.reference, "");
    assert!(!doc.filename_must_include_reference && doc.filename_phrase.is_none());
    assert!(matches!(
        AcceptedFormat::parse_list("docx,xls"),
        Err(RulesError::UnknownFormat(_))
    ));
}

#[test]
fn rules_round_trip_through_json() {
    let (mut vacancy, _) =
        rules_from_flags(Some("251334"), &[], Some(2), Some(Paper::A4), None, None);
    vacancy.eligibility = vec![EligibilityStatement::NoGenerativeAi];
    vacancy.documents.push(DocumentRules::cover_letter());
    let json = serde_json::to_string(&vacancy).unwrap();
    assert!(
        json.contains("\"no-generative-ai\"") && json.contains("\"Europe/Brussels\""),
        "{json}"
    );
    let back: VacancyRules = serde_json::from_str(&json).unwrap();
    assert_eq!(back, vacancy);
}

#[test]
fn eligibility_statements_are_bilingual() {
    for statement in [
        EligibilityStatement::MemberStateNational,
        EligibilityStatement::SecurityClearance,
        EligibilityStatement::NoGenerativeAi,
    ] {
        let text = statement.text();
        assert!(
            text.en.starts_with('I') && text.fr.starts_with('J'),
            "{text:?}"
        );
    }
}

#[test]
fn demo_vacancies_carry_the_notices_rules() {
    let demos = demo_vacancies();
    let refs: Vec<&str> = demos.iter().map(|d| d.reference.as_str()).collect();
    assert_eq!(refs, ["251918", "241167", "CRSE-SO", "251334", "250875"]);
    let by = |r: &str| demos.iter().find(|d| d.reference == r).unwrap();
    use EligibilityStatement::*;

    let fast_track = by("251918");
    assert_eq!(
        fast_track.title_fr,
        "Chef de la Section Opérations en cours"
    );
    assert_eq!(
        fast_track.rules.eligibility,
        [MemberStateNational, SecurityClearance, NoGenerativeAi]
    );
    let essay = fast_track.rules.document("key-challenges").unwrap();
    assert_eq!(
        essay.severities.filename,
        Severity::Advisory,
        "no naming rule stated"
    );
    assert_eq!(fast_track.key_challenges.len(), 3);

    let letter = by("241167");
    let doc = letter.rules.document("cover-letter").unwrap();
    assert_eq!(doc.max_pages, Some(2));
    assert_eq!(letter.rules.documents.len(), 1);
    assert_eq!(letter.deadline, None);

    let no_ref = by("CRSE-SO");
    assert!(!no_ref.reference_stated);
    assert!(
        no_ref.rules.documents.is_empty(),
        "the notice asks for no document"
    );
    assert!(!no_ref.rules.eligibility.contains(&NoGenerativeAi));

    let asg = by("251334");
    let doc = asg.rules.document("key-challenges").unwrap();
    assert_eq!(doc.formats, [AcceptedFormat::Docx]);
    assert_eq!(doc.severities.filename, Severity::Blocking);
    assert!(doc.filename_must_include_reference);
    assert_eq!(asg.rules.eligibility, [MemberStateNational, NoGenerativeAi]);

    let two_posts = by("250875");
    assert_eq!(two_posts.rules.post_codes, ["PASP0109", "PASP0016"]);
    assert_eq!(two_posts.posts.len(), 2);
    assert_eq!(
        two_posts.rules.primary_document().unwrap().max_pages,
        Some(1)
    );
    for d in &demos {
        assert!(!d.notice_text.is_empty() && !d.title_en.is_empty() && !d.title_fr.is_empty());
    }
}
