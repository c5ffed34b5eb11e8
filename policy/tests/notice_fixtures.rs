//! Notice import on notices written in other organisations' styles (`tests/notices/*.txt`):
//! the UN's Inspira, an EU institution (EPSO), the OECD, a national civil service, WHO, the
//! World Bank, the Council of Europe, a NATO agency, an EU agency, the OSCE and a messy
//! job-board copy. Each row is what an admin must find in the draft without retyping it.
//!
//! This file uses only the draft's fields that existed before the importer read other
//! organisations' wording (commit 15c45a2), so that it compiles there and shows what was
//! missed: on that commit every test here fails, and the field-by-field table misses 47
//! of its 99 checks (at least two per notice; `cargo run -p policy --example
//! notice_fields` prints which fields each notice gives).

// Tables of tuples are how these tests state the specification, row by row.
#![allow(clippy::type_complexity)]

use chrono::{DateTime, TimeZone, Utc};
use policy::notice::{eligibility, strip_page_furniture};
use policy::{import_notice, AcceptedFormat, EligibilityStatement, Paper};

fn fixture(name: &str) -> String {
    std::fs::read_to_string(format!(
        "{}/tests/notices/{name}.txt",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

fn utc(y: i32, mo: u32, d: u32, h: u32, mi: u32, s: u32) -> Option<DateTime<Utc>> {
    Some(Utc.with_ymd_and_hms(y, mo, d, h, mi, s).unwrap())
}

/// What one notice states, as the admin should find it in the draft.
struct Row {
    file: &'static str,
    reference: Option<&'static str>,
    title: Option<&'static str>,
    deadline: Option<DateTime<Utc>>,
    formats: Vec<AcceptedFormat>,
    max_pages: Option<u32>,
    paper: Option<Paper>,
    phrase: Option<&'static str>,
    key_challenges: Vec<&'static str>,
    /// The documents asked for, in the order the notice first asks for them.
    documents: Vec<&'static str>,
}

fn table() -> Vec<Row> {
    use AcceptedFormat::*;
    vec![
        Row {
            file: "un-inspira",
            reference: Some("245871"),
            title: Some("Political Affairs Officer, P4"),
            // "15 January 2027, 11:59 p.m. (New York time)": EST is UTC−5.
            deadline: utc(2027, 1, 16, 4, 59, 0),
            // "MS Word only, no longer than one A4 page"
            formats: vec![Docx],
            max_pages: Some(1),
            paper: Some(Paper::A4),
            // "Please name the file ‘245871 Key challenges’": the reference is not the phrase.
            phrase: Some("Key challenges"),
            // "(a) …; (b) …; and (c) …"
            key_challenges: vec![
                "sustaining the good offices of the Secretary-General in a polarised regional environment",
                "strengthening early-warning analysis with the regional offices",
                "building partnerships with regional organisations and civil society",
            ],
            // "a cover letter, a CV and a key-challenges essay"
            documents: vec!["cover-letter", "cv", "key-challenges"],
        },
        Row {
            file: "epso",
            // "Reference: COM/2027/10452"
            reference: Some("COM/2027/10452"),
            title: Some("Head of Unit \"Space Security and Resilience\""),
            // "2027-01-15 at midnight Brussels time": the end of that day.
            deadline: utc(2027, 1, 15, 22, 59, 59),
            formats: vec![Docx],
            // "must not exceed a maximum of two (2) pages"
            max_pages: Some(2),
            paper: None,
            phrase: Some("Key challenges"),
            // Under a "Main challenges" heading, numbered "1)".
            key_challenges: vec![
                "Delivering the security accreditation of the Union Secure Connectivity Programme on time",
                "Building a shared threat assessment with Member States and the European Union Agency for the Space Programme",
                "Leading a unit in a period of rapid growth of its budget and staff",
            ],
            documents: vec!["cv", "cover-letter", "key-challenges"],
        },
        Row {
            file: "oecd",
            reference: Some("17842"),
            title: Some("Senior Economist - Productivity and Innovation"),
            // "31 January 2027 (23:59 Paris time)"
            deadline: utc(2027, 1, 31, 22, 59, 0),
            // "in Word format, 2 pages max."
            formats: vec![Docx],
            max_pages: Some(2),
            paper: None,
            phrase: Some("Key challenges"),
            key_challenges: vec![
                "Renewing the productivity agenda after the end of the OECD Global Forum on Productivity",
                "Bringing firm-level data from member countries into a common analytical framework",
                "Communicating findings to finance ministries with different priorities",
            ],
            documents: vec!["key-challenges"],
        },
        Row {
            file: "uk-civil-service",
            // "Reference number" on its own line, the number on the next.
            reference: Some("412983"),
            title: Some("Deputy Director, Defence Industrial Strategy"),
            // "Sunday 17th January 2027 at 11:55pm (UK time)": GMT in winter.
            deadline: utc(2027, 1, 17, 23, 55, 0),
            // "a .docx or PDF file of no more than two sides of A4"
            formats: vec![Docx, Pdf],
            max_pages: Some(2),
            paper: Some(Paper::A4),
            phrase: Some("Key challenges"),
            // "(i) …; (ii) …; (iii) …"
            key_challenges: vec![
                "setting a long-term demand signal for industry across the equipment plan",
                "securing supply chains for critical minerals and components",
                "growing skills in the defence sector outside the South East",
            ],
            documents: vec!["key-challenges"],
        },
        Row {
            file: "who",
            // "Post number: 1095872"
            reference: Some("1095872"),
            title: Some("Technical Officer (Digital Health Governance)"),
            // "Jan 26, 2027, 11:59 PM (Geneva time)"
            deadline: utc(2027, 1, 26, 22, 59, 0),
            // "in PDF format and must not exceed 1 page"
            formats: vec![Pdf],
            max_pages: Some(1),
            paper: None,
            phrase: None,
            // Under "KEY CHALLENGES", lettered "a."
            key_challenges: vec![
                "Aligning the global strategy on digital health with the new International Health Regulations",
                "Supporting low-income countries in building interoperable health information systems",
                "Establishing a governance framework for artificial intelligence in health",
            ],
            documents: vec!["key-challenges"],
        },
        Row {
            file: "world-bank",
            // "Job #: req30512"
            reference: Some("req30512"),
            title: Some("Senior Public Sector Specialist"),
            // "1/20/2027 (MM/DD/YYYY) at 11:59pm UTC"
            deadline: utc(2027, 1, 20, 23, 59, 0),
            formats: vec![Docx, Pdf],
            max_pages: Some(2),
            paper: None,
            phrase: None,
            key_challenges: vec![
                "Restoring fiscal credibility in countries emerging from debt distress",
                "Making public investment management work in fragile settings",
                "Measuring the results of governance reforms",
            ],
            // "your CV, a cover letter and an essay on the key challenges, each in Word or PDF"
            documents: vec!["cv", "cover-letter", "key-challenges"],
        },
        Row {
            file: "council-of-europe",
            // "Vacancy notice n° e12/2027"
            reference: Some("e12/2027"),
            title: Some("Head of Division, Cybercrime Programme Office"),
            // "26 January 2027 (midnight, Central European Time)"
            deadline: utc(2027, 1, 26, 22, 59, 59),
            formats: vec![Docx, Pdf],
            max_pages: Some(2),
            paper: None,
            phrase: None,
            key_challenges: vec![
                "Scaling up capacity building on the Second Additional Protocol to the Budapest Convention",
                "Securing multi-donor funding beyond 2028",
                "Keeping the programme's human rights safeguards central to its work",
            ],
            documents: vec!["key-challenges"],
        },
        Row {
            file: "nato-ncia",
            // "Vacancy Number: 270012"
            reference: Some("270012"),
            title: Some("Principal Cyber Security Architect"),
            // "20 January 2027 at 23:59 hrs (The Hague time)"
            deadline: utc(2027, 1, 20, 22, 59, 0),
            // "MS Word only, 2 pages maximum"
            formats: vec![Docx],
            max_pages: Some(2),
            paper: None,
            phrase: Some("Key Challenges"),
            // "a) …; b) …; c) …"
            key_challenges: vec![
                "migrating NATO's classified networks to a zero-trust architecture",
                "integrating national cyber contributions into the Alliance's defence",
                "retaining scarce cyber talent in a competitive market",
            ],
            documents: vec!["key-challenges"],
        },
        Row {
            file: "eda-agency",
            // "VN: 2027/TA/014"
            reference: Some("2027/TA/014"),
            title: Some("Head of Unit Research, Technology and Innovation Strategy"),
            // "15 January 2027 (23:59 CET)"
            deadline: utc(2027, 1, 15, 22, 59, 0),
            formats: vec![Docx, Pdf],
            // "The essay should not exceed 1 page."
            max_pages: Some(1),
            paper: None,
            phrase: None,
            // In one sentence: "The key challenges are: (a) …; (b) …; and (c) …."
            key_challenges: vec![
                "turning research results into capability programmes",
                "bringing start-ups into defence procurement",
                "aligning the Agency's priorities with the European Defence Fund",
            ],
            documents: vec!["cv", "cover-letter", "key-challenges"],
        },
        Row {
            file: "osce",
            // "Vacancy number: VNSECS02115"
            reference: Some("VNSECS02115"),
            title: Some("Senior Political Adviser"),
            // A date only: the end of that day (Brussels and Vienna share the offset).
            deadline: utc(2027, 1, 17, 22, 59, 59),
            formats: vec![Pdf],
            max_pages: Some(2),
            paper: None,
            phrase: None,
            key_challenges: vec![
                "Restoring consensus on the budget among the participating States",
                "Supporting the Chairpersonship in protracted conflict settings",
                "Adapting field operations to a reduced resource base",
            ],
            // "a CV and a short paper on the key challenges in PDF format"
            documents: vec!["cv", "key-challenges"],
        },
        Row {
            file: "job-board",
            // "Job ID: 251760" followed by a stray control character.
            reference: Some("251760"),
            title: Some("Policy Officer (Partnerships)"),
            deadline: utc(2027, 2, 1, 22, 59, 59),
            formats: vec![Docx, Pdf],
            // "no longer than one A4 page"
            max_pages: Some(1),
            paper: Some(Paper::A4),
            // "name the file with the vacancy reference followed by “Key challenges”"
            phrase: Some("Key challenges"),
            key_challenges: vec![
                "Renewing the partnership programmes after the Summit",
                "Making partner contributions to operations count",
                "Keeping partners informed in a crisis",
            ],
            documents: vec!["key-challenges"],
        },
    ]
}

#[test]
fn notices_in_other_organisations_styles_are_read_field_by_field() {
    let mut failures = vec![];
    for row in table() {
        // Act
        let d = import_notice(&fixture(row.file));
        // Assert: every field, all rows, so that one run lists every miss.
        let kinds: Vec<&str> = d.documents.iter().map(|x| x.kind.as_str()).collect();
        let checks = [
            ("reference", d.reference.as_deref() == row.reference),
            ("title", d.title.as_deref() == row.title),
            ("deadline", d.deadline == row.deadline),
            ("formats", d.formats == row.formats),
            ("max_pages", d.max_pages == row.max_pages),
            ("paper", d.paper == row.paper),
            (
                "filename_phrase",
                d.filename_phrase.as_deref() == row.phrase,
            ),
            ("key_challenges", d.key_challenges == row.key_challenges),
            ("documents", kinds == row.documents),
        ];
        for (field, ok) in checks {
            if !ok {
                failures.push(format!("{} {field}: got {:?}", row.file, got(&d, field)));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

fn got(d: &policy::NoticeDraft, field: &str) -> String {
    match field {
        "reference" => format!("{:?}", d.reference),
        "title" => format!("{:?}", d.title),
        "deadline" => format!("{:?}", d.deadline),
        "formats" => format!("{:?}", d.formats),
        "max_pages" => format!("{:?}", d.max_pages),
        "paper" => format!("{:?}", d.paper),
        "filename_phrase" => format!("{:?}", d.filename_phrase),
        "key_challenges" => format!("{:?}", d.key_challenges),
        _ => format!(
            "{:?}",
            d.documents.iter().map(|x| &x.kind).collect::<Vec<_>>()
        ),
    }
}

#[test]
fn each_document_of_the_fixtures_has_its_own_limits() {
    use AcceptedFormat::*;
    // (file, kind, formats, max pages, paper)
    let table: Vec<(&str, &str, Vec<AcceptedFormat>, Option<u32>, Option<Paper>)> = vec![
        ("un-inspira", "cover-letter", vec![], None, None),
        (
            "un-inspira",
            "key-challenges",
            vec![Docx],
            Some(1),
            Some(Paper::A4),
        ),
        ("epso", "cv", vec![], None, None),
        ("epso", "key-challenges", vec![Docx], Some(2), None),
        (
            "uk-civil-service",
            "key-challenges",
            vec![Docx, Pdf],
            Some(2),
            Some(Paper::A4),
        ),
        // "each in Word or PDF": every document of the sentence.
        ("world-bank", "cv", vec![Docx, Pdf], None, None),
        ("world-bank", "cover-letter", vec![Docx, Pdf], None, None),
        (
            "world-bank",
            "key-challenges",
            vec![Docx, Pdf],
            Some(2),
            None,
        ),
        ("eda-agency", "cover-letter", vec![], None, None),
        (
            "eda-agency",
            "key-challenges",
            vec![Docx, Pdf],
            Some(1),
            None,
        ),
        ("osce", "cv", vec![], None, None),
        ("osce", "key-challenges", vec![Pdf], Some(2), None),
    ];
    for (file, kind, formats, pages, paper) in table {
        let d = import_notice(&fixture(file));
        let doc = d.documents.iter().find(|x| x.kind == kind);
        let found = doc.map(|x| (x.formats.clone(), x.max_pages, x.paper));
        assert_eq!(found, Some((formats, pages, paper)), "{file} {kind}");
    }
}

#[test]
fn the_file_name_must_carry_the_reference_where_the_notice_says_so() {
    let table = [
        ("un-inspira", true),
        ("epso", true),
        ("oecd", true),
        ("uk-civil-service", true),
        // "the vacancy number and the words …"
        ("nato-ncia", true),
        ("job-board", true),
    ];
    for (file, with_reference) in table {
        let d = import_notice(&fixture(file));
        let essay = d.documents.iter().find(|x| x.kind == "key-challenges");
        assert_eq!(
            essay.map(|x| x.filename_must_include_reference),
            Some(with_reference),
            "{file}"
        );
    }
}

#[test]
fn eligibility_statements_are_read_across_wrapped_lines() {
    use EligibilityStatement::*;
    let table = [
        ("nato-ncia", vec![MemberStateNational, NoGenerativeAi]),
        ("job-board", vec![MemberStateNational, NoGenerativeAi]),
        // Not NATO's statement: nationals of the Council of Europe's or the EU's states.
        ("council-of-europe", vec![]),
        ("epso", vec![]),
    ];
    for (file, expected) in table {
        let text = strip_page_furniture(&fixture(file));
        assert_eq!(eligibility(&text), expected, "{file}");
    }
}

#[test]
fn the_job_board_copy_loses_its_furniture_and_control_characters_but_no_sentence() {
    let kept = strip_page_furniture(&fixture("job-board"));
    for gone in [
        "Home | Jobs",
        "cookies",
        "Accept all cookies",
        "Manage preferences",
        "Other Job Recommendations",
        "1 dag geleden",
        "Share this job",
        "Apply now",
        "Save job",
        "2 days ago",
        "Air Products",
        "\u{1}",
        "\u{1b}",
        "[1m",
    ] {
        assert!(!kept.contains(gone), "{gone:?} is still there:\n{kept}");
    }
    assert!(
        kept.starts_with("Policy Officer (Partnerships)\n"),
        "{kept}"
    );
    for sentence in [
        "Job ID: 251760\n",
        "\nSUMMARY\n",
        "The Partnerships Section of the Political Affairs and Security Policy Division manages NATO's relations with partner countries.",
        "The document should be no longer than one A4 page.",
        "Please name the file with the vacancy reference followed by “Key challenges”.",
        "NATO will not accept any phase of the recruitment",
    ] {
        assert!(kept.contains(sentence), "{sentence:?} was lost:\n{kept}");
    }
}
