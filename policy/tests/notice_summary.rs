//! The import's summary: every field of the notice schema is either found, with the
//! sentence it came from and a confidence, or listed as "not found — set it". Nothing
//! missed passes for found.

// Tables of tuples are how these tests state the specification, row by row.
#![allow(clippy::type_complexity)]

use policy::import_notice;
use policy::notice::{Confidence, NOTICE_FIELDS};

fn read(path: &str) -> String {
    std::fs::read_to_string(format!("{}/{path}.txt", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

#[test]
fn what_each_notice_does_not_state_is_listed_as_not_found() {
    let table: Vec<(&str, Vec<&str>)> = vec![
        // Eleven notices in other organisations' styles.
        ("tests/notices/un-inspira", vec!["eligibility"]),
        ("tests/notices/epso", vec!["paper", "eligibility"]),
        ("tests/notices/oecd", vec!["paper", "eligibility"]),
        ("tests/notices/uk-civil-service", vec!["eligibility"]),
        (
            "tests/notices/who",
            vec!["paper", "filename_phrase", "eligibility"],
        ),
        (
            "tests/notices/world-bank",
            vec!["paper", "filename_phrase", "eligibility"],
        ),
        (
            "tests/notices/council-of-europe",
            vec!["paper", "filename_phrase", "eligibility"],
        ),
        ("tests/notices/nato-ncia", vec!["paper"]),
        (
            "tests/notices/eda-agency",
            vec!["paper", "filename_phrase", "eligibility"],
        ),
        (
            "tests/notices/osce",
            vec!["paper", "filename_phrase", "eligibility"],
        ),
        // The messy job-board copy of issue 28: everything is there once read.
        ("tests/notices/job-board", vec![]),
        // The five real notices.
        ("notices/251918", vec!["filename_phrase"]),
        (
            "notices/241167",
            vec![
                "deadline",
                "formats",
                "paper",
                "filename_phrase",
                "key_challenges",
            ],
        ),
        (
            "notices/staff-officer-crse",
            vec![
                "reference",
                "formats",
                "max_pages",
                "paper",
                "filename_phrase",
                "key_challenges",
            ],
        ),
        // Its key-challenges list was lost from the published page.
        ("notices/251334", vec!["key_challenges"]),
        ("notices/250875", vec![]),
    ];
    for (file, not_found) in table {
        // Act
        let d = import_notice(&read(file));
        let summary = d.summary();
        // Assert: every field once, in the schema's order; found or "not found — set it".
        let fields: Vec<&str> = summary.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(fields, NOTICE_FIELDS, "{file}");
        assert_eq!(d.not_found, not_found, "{file}");
        for field in &summary {
            let line = field.line();
            if not_found.contains(&field.field.as_str()) {
                assert_eq!(line, format!("{}: not found — set it", field.field));
                assert_eq!((field.sentence.as_ref(), field.confidence), (None, None));
            } else {
                let sentence = field.sentence.as_deref().expect("a sentence");
                assert!(line.contains(sentence), "{file}: {line}");
                assert!(field.confidence.is_some(), "{file}: {line}");
            }
        }
    }
}

#[test]
fn a_notice_with_nothing_in_it_has_everything_to_set() {
    let d = import_notice("Home | Jobs\nApply now\n\n");
    assert_eq!(d.not_found, NOTICE_FIELDS);
    assert!(d
        .summary()
        .iter()
        .all(|f| f.line().ends_with("not found — set it")));
}

#[test]
fn each_value_says_how_sure_the_reading_is() {
    use Confidence::*;
    let table: Vec<(&str, &str, Confidence)> = vec![
        // Deadlines: a date, a time and a zone leave nothing to assume.
        (
            "Closing date: 15 January 2027 (23:59 CET)",
            "deadline",
            High,
        ),
        // A date alone is the end of that day in Brussels: an assumption.
        ("Closing date: 15 January 2027", "deadline", Medium),
        // A time without a zone is read in Brussels: an assumption.
        ("Closing date: 15/01/2027 17:00", "deadline", Medium),
        // The recruitment portal's own wording, read as UTC (DECISIONS.md).
        (
            "Application Deadline 16-Sep-2025, 9:59:00 PM",
            "deadline",
            High,
        ),
        // References: under a label at a line's start, or in the title line.
        (
            "Policy Officer\n\nVacancy number: 270012\n",
            "reference",
            High,
        ),
        ("Policy Officer — 251760\n", "reference", High),
        (
            "Policy Officer\n\nPlease quote Ref. 251760 in all mail.\n",
            "reference",
            Medium,
        ),
        // Titles: the first line that names a job, or merely the first line.
        ("Policy Officer\n\nJob ID: 17842\n", "title", Medium),
        ("European Defence Agency\n\nVN: 2027/TA/014\n", "title", Low),
        // Limits in the sentence that asks for the essay, or about a cover letter only.
        ("The essay must not exceed 2 pages.", "max_pages", High),
        (
            "Please attach a cover letter (max. 2 pages).",
            "max_pages",
            Medium,
        ),
        // A list, or items split out of one sentence.
        (
            "Key challenges:\n1. Building the posture;\n2. Working with industry.\n",
            "key_challenges",
            High,
        ),
        (
            "The key challenges are: (a) Building the posture; (b) Working with industry.\n",
            "key_challenges",
            Medium,
        ),
        (
            "Please attach your essay. The file name must include the words “Key challenges”.",
            "filename_phrase",
            High,
        ),
    ];
    for (text, field, expected) in table {
        let d = import_notice(text);
        assert_eq!(d.confidence.get(field), Some(&expected), "{text:?} {field}");
        assert!(d.evidence.contains_key(field), "{text:?} {field}");
    }
}

#[test]
fn each_document_value_has_its_sentence_and_confidence() {
    let table: Vec<(&str, &str, Vec<(&str, Confidence)>)> = vec![
        (
            "Attach an essay on the key challenges. It should not exceed three A4 pages.",
            "key-challenges",
            // The limit stands in the sentence after the one naming the essay.
            vec![
                ("document", Confidence::High),
                ("max_pages", Confidence::Medium),
                ("paper", Confidence::Medium),
            ],
        ),
        (
            "Candidates are requested to attach a key challenges essay, MS Word only, 2 pages maximum. \
             The file name must include the vacancy number and the words \"Key Challenges\".",
            "key-challenges",
            vec![
                ("document", Confidence::High),
                ("filename_phrase", Confidence::High),
                ("formats", Confidence::High),
                ("max_pages", Confidence::High),
            ],
        ),
    ];
    for (text, kind, expected) in table {
        let d = import_notice(text);
        let doc = d.documents.iter().find(|x| x.kind == kind).unwrap();
        let got: Vec<(&str, Confidence)> = doc
            .confidence
            .iter()
            .map(|(k, v)| (k.as_str(), *v))
            .collect();
        assert_eq!(got, expected, "{text:?}");
        assert!(doc.evidence.keys().eq(doc.confidence.keys()), "{text:?}");
    }
}
