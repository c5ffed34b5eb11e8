//! Notice import on the five real notices, and on variants in the same style.

// Tables of tuples are how these tests state the specification, row by row.
#![allow(clippy::type_complexity)]

use chrono::{DateTime, TimeZone, Utc};
use policy::notice::{english_part, strip_page_furniture};
use policy::{import_notice, AcceptedFormat, NoticeDraft, Paper};
use serde_json::Value;

fn notice(name: &str) -> String {
    std::fs::read_to_string(format!("{}/notices/{name}.txt", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

fn utc(y: i32, mo: u32, d: u32, h: u32, mi: u32, s: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, mo, d, h, mi, s).unwrap()
}

struct Expected {
    file: &'static str,
    reference: Option<&'static str>,
    title: &'static str,
    deadline: Option<DateTime<Utc>>,
    formats: Vec<AcceptedFormat>,
    max_pages: Option<u32>,
    paper: Option<Paper>,
    phrase: Option<&'static str>,
    key_challenges: Vec<&'static str>,
    posts: Vec<&'static str>,
}

fn expectations() -> Vec<Expected> {
    use AcceptedFormat::*;
    vec![
        Expected {
            file: "251918",
            reference: Some("251918"),
            title: "Head, Current Operations Section",
            // "Application Deadline 04-Jan-2026": a date only, so the end of that day in
            // Brussels (CET, UTC+1).
            deadline: Some(utc(2026, 1, 4, 22, 59, 59)),
            // "a Word or pdf document, maximum of two A4 pages"
            formats: vec![Docx, Pdf],
            max_pages: Some(2),
            paper: Some(Paper::A4),
            phrase: None,
            key_challenges: vec![
                "Considering how NATO operations, missions and activities outside SACEUR’s Area of Responsibility contribute to Alliance deterrence and defence and support NATO’s Strategic Concept following Russia’s full-scale invasion of Ukraine",
                "Advancing NATO's role in Kosovo and in Iraq given the security and political developments across those regions",
                "Evolving NATO’s role in sustaining support to Ukraine, both financially and practically",
            ],
            posts: vec!["Head, Current Operations Section"],
        },
        Expected {
            file: "241167",
            reference: Some("241167"),
            title: "Senior Operations Officer",
            deadline: None,
            formats: vec![],
            // The cover letter's "(max. 2 pages)": the only document asked for.
            max_pages: Some(2),
            paper: None,
            phrase: None,
            key_challenges: vec![],
            posts: vec!["Senior Operations Officer"],
        },
        Expected {
            file: "staff-officer-crse",
            reference: None,
            title: "Staff Officer",
            // "Plazo: 31-12-2025" (Spanish for deadline), a date only.
            deadline: Some(utc(2025, 12, 31, 22, 59, 59)),
            formats: vec![],
            max_pages: None,
            paper: None,
            phrase: None,
            key_challenges: vec![],
            posts: vec!["Staff Officer"],
        },
        Expected {
            file: "251334",
            reference: Some("251334"),
            title: "Assistant Secretary General, Operations",
            // "16-Sep-2025, 9:59:00 PM" is UTC: 23:59 in Brussels.
            deadline: Some(utc(2025, 9, 16, 21, 59, 0)),
            formats: vec![Docx],
            max_pages: Some(2),
            paper: Some(Paper::A4),
            phrase: Some("Key challenges"),
            // The published page lost the list under "will likely include:".
            key_challenges: vec![],
            posts: vec!["Assistant Secretary General, Operations"],
        },
        Expected {
            file: "250875",
            reference: Some("250875"),
            title: "Head NATO Affairs and Security Policy Section (1 post) & Head Multilateral Organisations Section (1 post)",
            deadline: Some(utc(2025, 6, 18, 21, 59, 0)),
            formats: vec![Docx],
            max_pages: Some(1),
            paper: Some(Paper::A4),
            phrase: Some("Key challenges"),
            key_challenges: vec![
                "Contribute to maintaining Allied unity in an increasingly challenging domestic and international political environment",
                "Facilitate the delivery of the NATO political agenda by providing insights and advice on allied capabilities to support the Alliance’s priorities",
                "Coordinate with a wide range of stakeholders and multilateral organizations in a structured, calibrated and flexible way to promote positive cooperation in key areas for the Alliance",
            ],
            posts: vec!["Head NATO Affairs and Security Policy Section", "Head Multilateral Organisations Section"],
        },
    ]
}

#[test]
fn the_five_real_notices() {
    for e in expectations() {
        // Act
        let d = import_notice(&notice(e.file));
        // Assert
        let who = e.file;
        assert_eq!(d.reference.as_deref(), e.reference, "{who} reference");
        assert_eq!(d.title.as_deref(), Some(e.title), "{who} title");
        assert_eq!(d.deadline, e.deadline, "{who} deadline");
        assert_eq!(d.formats, e.formats, "{who} formats");
        assert_eq!(d.max_pages, e.max_pages, "{who} max_pages");
        assert_eq!(d.paper, e.paper, "{who} paper");
        assert_eq!(
            d.filename_phrase.as_deref(),
            e.phrase,
            "{who} filename_phrase"
        );
        assert_eq!(d.key_challenges, e.key_challenges, "{who} key_challenges");
        assert_eq!(d.posts, e.posts, "{who} posts");
    }
}

#[test]
fn every_found_field_has_its_evidence_and_no_other() {
    for e in expectations() {
        let d = import_notice(&notice(e.file));
        let json: Value = serde_json::to_value(&d).unwrap();
        let evidence = json["evidence"].as_object().unwrap();
        for field in [
            "reference",
            "title",
            "deadline",
            "max_pages",
            "paper",
            "filename_phrase",
        ] {
            assert_eq!(
                !json[field].is_null(),
                evidence.contains_key(field),
                "{} {field}",
                e.file
            );
        }
        for field in ["formats", "key_challenges", "posts", "eligibility"] {
            let found = !json[field].as_array().unwrap().is_empty();
            assert_eq!(found, evidence.contains_key(field), "{} {field}", e.file);
        }
        let confidence = json["confidence"].as_object().unwrap();
        assert!(
            confidence.keys().eq(evidence.keys()),
            "{}: a confidence for each field found",
            e.file
        );
    }
    let d = import_notice(&notice("251334"));
    assert_eq!(
        d.evidence["deadline"],
        "Application Deadline 16-Sep-2025, 9:59:00 PM"
    );
    assert_eq!(
        d.evidence["filename_phrase"],
        "The title of the attachment must include the vacancy reference and the words “Key challenges”."
    );
    assert!(d.evidence["max_pages"].contains("no more than 2 A4 pages"));
}

#[test]
fn the_json_shape_is_exactly_the_contract() {
    let json: Value = serde_json::to_value(import_notice(&notice("251334"))).unwrap();
    let keys: Vec<&str> = json
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    let mut expected = [
        "reference",
        "title",
        "deadline",
        "formats",
        "max_pages",
        "paper",
        "filename_phrase",
        "key_challenges",
        "posts",
        "documents",
        "evidence",
        // Added with the summary: each found field's confidence (same keys as
        // `evidence`), the eligibility statements, and the fields not found.
        "confidence",
        "eligibility",
        "not_found",
    ];
    expected.sort();
    let mut keys = keys;
    keys.sort();
    assert_eq!(keys, expected);
    assert_eq!(json["deadline"], "2025-09-16T21:59:00Z");
    assert_eq!(json["formats"], serde_json::json!(["docx"]));
    assert_eq!(json["paper"], "A4");
    assert_eq!(json["max_pages"], 2);
    let back: NoticeDraft = serde_json::from_value(json).unwrap();
    assert_eq!(back, import_notice(&notice("251334")));
}

#[test]
fn the_french_version_is_cut_off() {
    let text = notice("251918");
    let english = english_part(&text);
    assert!(english.contains("Perform any other related duty as assigned."));
    assert!(!english.contains("Date de retrait"));
    assert!(!english.contains("Les principaux défis"));
    // The French half alone must not leak into an English-only notice's reading.
    for name in ["241167", "staff-officer-crse", "251334", "250875"] {
        let t = notice(name);
        assert!(
            english_part(&t).contains("CONTRACT"),
            "{name} cut too early"
        );
    }
}

/// A notice written in the same style but not among the five: the importer must read
/// it from its wording, not from anything specific to the fixtures.
const UNSEEN: &str = "\
Senior Policy Adviser, Cyber Defence (252001)

Primary Location Belgium-Brussels
Application Deadline 02-Mar-2026, 10:59:00 PM

Key challenges facing the successful candidate over the next 3 years will include:

• Building the Alliance's cyber defence posture;
• Working with industry partners and
• Integrating national capabilities.

Candidates are asked to attach one document in Word or PDF format summarising their views on these key challenges. It should not exceed three A4 pages.

The file name must contain the vacancy reference and the words \"Key challenges\".

Conseiller principal ou conseillère principale pour la politique, cyberdéfense (252001)

Date de retrait 02-mars-2026

Les principaux défis que la personne retenue sera amenée à relever dans les trois prochaines années seront les suivants :

• renforcer la posture de cyberdéfense de l'Alliance ;
Les personnes candidates sont invitées à joindre un document de cinq pages A4 au maximum, en format Word ou PDF, pour exposer leur point de vue sur les principaux défis et la manière dont elles les relèveraient.
";

#[test]
fn an_unseen_notice_in_the_same_style() {
    let d = import_notice(UNSEEN);
    assert_eq!(d.reference.as_deref(), Some("252001"));
    assert_eq!(
        d.title.as_deref(),
        Some("Senior Policy Adviser, Cyber Defence")
    );
    // 10:59 PM UTC in winter is 23:59 in Brussels.
    assert_eq!(d.deadline, Some(utc(2026, 3, 2, 22, 59, 0)));
    assert_eq!(d.formats, vec![AcceptedFormat::Docx, AcceptedFormat::Pdf]);
    assert_eq!(d.max_pages, Some(3));
    assert_eq!(d.paper, Some(Paper::A4));
    assert_eq!(d.filename_phrase.as_deref(), Some("Key challenges"));
    assert_eq!(
        d.key_challenges,
        [
            "Building the Alliance's cyber defence posture",
            "Working with industry partners",
            "Integrating national capabilities"
        ]
    );
}

#[test]
fn deadline_wordings() {
    let table = [
        (
            "Application Deadline 16-Sep-2025, 9:59:00 PM",
            Some(utc(2025, 9, 16, 21, 59, 0)),
        ),
        (
            "Application Deadline\n\n 16-Sep-2025, 9:59:00 PM",
            Some(utc(2025, 9, 16, 21, 59, 0)),
        ),
        (
            "Application Deadline 01-Feb-2026, 12:30:00 AM",
            Some(utc(2026, 2, 1, 0, 30, 0)),
        ),
        (
            "Application Deadline 01-Feb-2026, 12:30:00 PM",
            Some(utc(2026, 2, 1, 12, 30, 0)),
        ),
        (
            "Application Deadline 04-Jan-2026",
            Some(utc(2026, 1, 4, 22, 59, 59)),
        ),
        ("Deadline: 30-06-2026", Some(utc(2026, 6, 30, 21, 59, 59))),
        (
            "Candidates are requested to attach their essay by latest 18/06/2025.",
            Some(utc(2025, 6, 18, 21, 59, 59)),
        ),
        (
            "Please attach the essay by latest 16 September 2025.",
            Some(utc(2025, 9, 16, 21, 59, 59)),
        ),
        ("Día de actualización: 16-11-2025", None),
        ("Application Deadline 31-Feb-2026", None),
    ];
    for (text, expected) in table {
        assert_eq!(import_notice(text).deadline, expected, "{text:?}");
    }
}

#[test]
fn page_limit_wordings() {
    let table = [
        (
            "Please attach a document, maximum of two A4 pages.",
            Some(2),
            Some(Paper::A4),
        ),
        (
            "Please attach a cover letter (max. 2 pages).",
            Some(2),
            None,
        ),
        (
            "This essay should be no more than 2 A4 pages long.",
            Some(2),
            Some(Paper::A4),
        ),
        (
            "Please limit yourself to maximum 1 A4 page into total.",
            Some(1),
            Some(Paper::A4),
        ),
        ("The essay must not exceed three pages.", Some(3), None),
        ("Attach an essay of 2 pages maximum.", Some(2), None),
        ("Attach your essay.", None, None),
    ];
    for (text, pages, paper) in table {
        let d = import_notice(text);
        assert_eq!((d.max_pages, d.paper), (pages, paper), "{text:?}");
    }
}

#[test]
fn a_reference_that_stands_only_in_the_title_line_is_found() {
    let table = [
        (
            "Policy Officer (Partnerships) — 251760",
            "Policy Officer (Partnerships)",
        ),
        (
            "Policy Officer (Partnerships) – 251760",
            "Policy Officer (Partnerships)",
        ),
        (
            "Policy Officer (Partnerships) - 251760",
            "Policy Officer (Partnerships)",
        ),
        (
            "Policy Officer (Partnerships) | 251760",
            "Policy Officer (Partnerships)",
        ),
        (
            "Policy Officer (Partnerships) (251760)",
            "Policy Officer (Partnerships)",
        ),
        (
            "251760 — Policy Officer (Partnerships)",
            "Policy Officer (Partnerships)",
        ),
        (
            "251760: Policy Officer (Partnerships)",
            "Policy Officer (Partnerships)",
        ),
    ];
    for (line, title) in table {
        // Arrange: the title line, then a body that states the reference nowhere else.
        let text = format!(
            "{line}\n\nNATO\nBrussels\n\nPlease attach your essay on the key challenges.\n"
        );
        // Act
        let d = import_notice(&text);
        // Assert
        assert_eq!(d.reference.as_deref(), Some("251760"), "{line:?}");
        assert_eq!(d.title.as_deref(), Some(title), "{line:?}");
        assert_eq!(d.evidence["reference"], line, "{line:?}");
    }
    // A labelled reference further down still counts; a date never does.
    let labelled = import_notice("Policy Officer\n\nRef. 251760\n");
    assert_eq!(labelled.reference.as_deref(), Some("251760"));
    let dated = import_notice("Policy Officer\n\nPosted 16-09-2025\n");
    assert_eq!(dated.reference, None);
}

/// (kind, formats, max pages, paper, file-name phrase) of each document, in order.
type DocRow = (
    &'static str,
    Vec<AcceptedFormat>,
    Option<u32>,
    Option<Paper>,
    Option<&'static str>,
);

fn documents_of(
    d: &NoticeDraft,
) -> Vec<(
    String,
    Vec<AcceptedFormat>,
    Option<u32>,
    Option<Paper>,
    Option<String>,
)> {
    d.documents
        .iter()
        .map(|x| {
            (
                x.kind.clone(),
                x.formats.clone(),
                x.max_pages,
                x.paper,
                x.filename_phrase.clone(),
            )
        })
        .collect()
}

fn owned(
    docs: Vec<DocRow>,
) -> Vec<(
    String,
    Vec<AcceptedFormat>,
    Option<u32>,
    Option<Paper>,
    Option<String>,
)> {
    docs.into_iter()
        .map(|(k, f, p, a, n)| (k.to_string(), f, p, a, n.map(str::to_string)))
        .collect()
}

#[test]
fn every_document_a_notice_asks_for_comes_back_with_its_own_limits() {
    use AcceptedFormat::*;
    let table: Vec<(&str, Vec<DocRow>)> = vec![
        (
            "Please attach a cover letter (max. 1 page) besides the key-challenges essay. \
             The essay, in Word or PDF, must not exceed two A4 pages.",
            vec![
                ("cover-letter", vec![], Some(1), None, None),
                ("key-challenges", vec![Docx, Pdf], Some(2), Some(Paper::A4), None),
            ],
        ),
        (
            "Candidates must attach one MS Word document summarising their views on the key challenges \
             (maximum 2 A4 pages) and a cover letter of no more than one page.",
            vec![
                ("key-challenges", vec![Docx], Some(2), Some(Paper::A4), None),
                ("cover-letter", vec![], Some(1), None, None),
            ],
        ),
        (
            "Please upload your CV and a motivation letter (max. 1 page, PDF).",
            vec![("cv", vec![], None, None, None), ("cover-letter", vec![Pdf], Some(1), None, None)],
        ),
        (
            "Attach an essay on the key challenges. It should not exceed three A4 pages.\n\n\
             The file name must contain the vacancy reference and the words \"Key challenges\".",
            vec![("key-challenges", vec![], Some(3), Some(Paper::A4), Some("Key challenges"))],
        ),
        ("Please attach a document, maximum of two A4 pages.", vec![("key-challenges", vec![], Some(2), Some(Paper::A4), None)]),
        // Mentioned but never asked for, and with no limit: not a document to upload.
        ("The key challenges of the post are many.", vec![]),
        ("Applications must be submitted online.", vec![]),
    ];
    for (text, expected) in table {
        // Act
        let d = import_notice(text);
        // Assert
        assert_eq!(documents_of(&d), owned(expected.clone()), "{text:?}");
        let rules = d.to_vacancy_rules();
        assert_eq!(rules.documents.len(), expected.len(), "{text:?}");
        for (doc, (kind, _, pages, ..)) in rules.documents.iter().zip(&expected) {
            assert_eq!(
                (doc.kind.as_str(), doc.max_pages),
                (*kind, *pages),
                "{text:?}"
            );
        }
    }
    // Each document's limits carry the sentence they came from.
    let d = import_notice(
        "Please attach a cover letter (max. 1 page) besides the key-challenges essay.",
    );
    assert_eq!(
        d.documents[0].evidence["max_pages"],
        "Please attach a cover letter (max. 1 page) besides the key-challenges essay."
    );
    assert_eq!(
        d.documents[1].evidence["document"],
        d.documents[0].evidence["document"]
    );
}

#[test]
fn the_five_real_notices_ask_for_the_same_documents_as_before() {
    use AcceptedFormat::*;
    let table: Vec<(&str, Vec<DocRow>)> = vec![
        (
            "251918",
            vec![(
                "key-challenges",
                vec![Docx, Pdf],
                Some(2),
                Some(Paper::A4),
                None,
            )],
        ),
        (
            "241167",
            vec![("cover-letter", vec![], Some(2), None, None)],
        ),
        ("staff-officer-crse", vec![]),
        (
            "251334",
            vec![(
                "key-challenges",
                vec![Docx],
                Some(2),
                Some(Paper::A4),
                Some("Key challenges"),
            )],
        ),
        (
            "250875",
            vec![(
                "key-challenges",
                vec![Docx],
                Some(1),
                Some(Paper::A4),
                Some("Key challenges"),
            )],
        ),
    ];
    for (file, expected) in table {
        let d = import_notice(&notice(file));
        assert_eq!(documents_of(&d), owned(expected), "{file}");
        let rules = d.to_vacancy_rules();
        for doc in &rules.documents {
            // A naming rule with the reference only where the notice states one.
            assert_eq!(
                doc.filename_must_include_reference,
                doc.filename_phrase.is_some(),
                "{file}"
            );
        }
    }
}

#[test]
fn job_board_page_furniture_is_left_out_of_the_notice() {
    let furniture = [
        "Apply",
        "Apply now",
        "Apply now Apply later",
        "Save job",
        "Save",
        "Share",
        "1 dag geleden",
        "3 dagen geleden",
        "2 weken geleden",
        "5 days ago",
        "1 day ago",
        "Posted 30+ days ago",
        "il y a 3 jours",
        "🌎",
        "📅",
        "Job stats:  3  0  0",
        "This job posting isn't available in all website languages",
    ];
    for line in furniture {
        let text = format!("Policy Officer — 251760\n{line}\nPlease attach your essay.\n");
        let kept = strip_page_furniture(&text);
        assert_eq!(
            kept, "Policy Officer — 251760\nPlease attach your essay.\n",
            "{line:?}"
        );
    }
    // Words that only look like furniture inside a sentence stay.
    let prose = "Policy Officer\nApply expertise to activities across the crisis spectrum.\nShare information with partners.\n";
    assert_eq!(strip_page_furniture(prose), prose);
    // Other employers' jobs after the notice are cut off.
    let text = notice("251334");
    let kept = strip_page_furniture(&text);
    assert!(kept.contains("The title of the attachment must include the vacancy reference"));
    for gone in [
        "Other Job Recommendations",
        "Johnson & Johnson",
        "dag geleden",
        "\nApply\n",
    ] {
        assert!(!kept.contains(gone), "{gone:?} is still there");
    }
    let kept = strip_page_furniture(&notice("250875"));
    for gone in ["Apply now Apply later", "More jobs like this", "Job stats"] {
        assert!(!kept.contains(gone), "{gone:?} is still there");
    }
    assert!(kept.contains("NATO does not charge any application"));
}
