//! Notice import, phrasing by phrasing: each table is one subject of the notice schema
//! (reference, formats, page limit, deadline, key challenges, documents, file name,
//! page furniture), each row a wording some organisation uses and what it must give.
//!
//! Only the draft's fields that existed at commit 15c45a2 are used, so that the file
//! compiles there: every test below fails on that commit (each lists its failing rows),
//! and passes since the importer reads other organisations' wording.

// Tables of tuples are how these tests state the specification, row by row.
#![allow(clippy::type_complexity)]

use chrono::{DateTime, TimeZone, Utc};
use policy::notice::strip_page_furniture;
use policy::{import_notice, AcceptedFormat, Paper};

fn utc(y: i32, mo: u32, d: u32, h: u32, mi: u32, s: u32) -> Option<DateTime<Utc>> {
    Some(Utc.with_ymd_and_hms(y, mo, d, h, mi, s).unwrap())
}

/// Runs every row and fails once with all the rows that did not give what they state.
fn check<T: PartialEq + std::fmt::Debug>(rows: Vec<(&str, T)>, read: impl Fn(&str) -> T) {
    let failures: Vec<String> = rows
        .into_iter()
        .filter_map(|(text, expected)| {
            let got = read(text);
            (got != expected)
                .then(|| format!("{text:?}\n    expected {expected:?}\n    got      {got:?}"))
        })
        .collect();
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

/// A test's own copy of a string, to compare with the table's literals.
fn leak(text: &str) -> &'static str {
    Box::leak(text.to_string().into_boxed_str())
}

#[test]
fn the_reference_under_any_label() {
    check(
        vec![
            ("Policy Officer\n\nVacancy number: 270012\n", Some("270012")),
            ("Policy Officer\n\nVacancy Number 270012\n", Some("270012")),
            (
                "Policy Officer\n\nRef.: COE/1234/2027\n",
                Some("COE/1234/2027"),
            ),
            (
                "Policy Officer\n\nReference: COM/2027/10452\n",
                Some("COM/2027/10452"),
            ),
            ("Policy Officer\n\nJob ID: 17842\n", Some("17842")),
            ("Policy Officer\n\nJob Opening ID: 245871\n", Some("245871")),
            ("Policy Officer\n\nVN: 2027/TA/014\n", Some("2027/TA/014")),
            ("Policy Officer\n\nPost number: 1095872\n", Some("1095872")),
            ("Policy Officer\n\nJob #: req30512\n", Some("req30512")),
            ("Policy Officer\n\nRequisition ID: 31877\n", Some("31877")),
            (
                "Policy Officer\n\nVacancy notice n° e12/2027\n",
                Some("e12/2027"),
            ),
            // A labelled line is not a title line, whatever number ends it.
            (
                "Senior Legal Officer\n\nVacancy Notice Number: 2027/0123 (273456)\n",
                Some("2027/0123"),
            ),
            // The label alone on its line, the value on the next.
            (
                "Policy Officer\n\nReference number\n412983\n",
                Some("412983"),
            ),
            (
                "Policy Officer\n\nJob Opening ID\n\n245871\n",
                Some("245871"),
            ),
            // A value must hold a digit: prose that starts with a label is not one.
            (
                "Policy Officer\n\nReferences: available on request.\n",
                None,
            ),
            (
                "Policy Officer\n\nReference is made to the Staff Regulations.\n",
                None,
            ),
            (
                "Policy Officer\n\nJob ID:\n\nPlease attach your essay.\n",
                None,
            ),
        ],
        |text| import_notice(text).reference.map(|r| leak(&r)),
    );
}

#[test]
fn the_title_under_a_label_or_the_first_line_naming_a_job() {
    check(
        vec![
            (
                "Job Title: Senior Protection Officer\nJob Requisition ID: 41234\n",
                Some("Senior Protection Officer"),
            ),
            (
                "European Defence Agency\n\nHead of Unit Research\n\nVN: 2027/TA/014\n",
                Some("Head of Unit Research"),
            ),
            (
                "EUROPEAN COMMISSION\nVacancy notice for the post of Head of Unit (AD 9 - AD 14)\nReference: COM/2027/10452\nHead of Unit Space Security\n",
                Some("Head of Unit Space Security"),
            ),
            (
                "Home | Jobs | Belgium | Policy Officer\nPolicy Officer (Partnerships)\n",
                Some("Policy Officer (Partnerships)"),
            ),
            (
                "Grade: P4\nDuty Station: Vienna\nSenior Political Adviser\n",
                Some("Senior Political Adviser"),
            ),
        ],
        |text| import_notice(text).title.map(|t| leak(&t)),
    );
}

#[test]
fn formats_in_any_wording() {
    use AcceptedFormat::*;
    check(
        vec![
            ("Essays are accepted in MS Word only.", vec![Docx]),
            ("Please upload your essay in .docx.", vec![Docx]),
            ("The essay must be in Word format.", vec![Docx]),
            ("Accepted format: PDF format only.", vec![Pdf]),
            ("Your essay should be uploaded as a .docx or PDF file.", vec![Docx, Pdf]),
            ("The essay may be written in word format or as a PDF.", vec![Docx, Pdf]),
            ("Candidates should attach an essay (Word or PDF).", vec![Docx, Pdf]),
            // Software skills are not formats.
            (
                "Be competent with off-the-shelf software (e.g. MS Excel, Word, Outlook and PowerPoint).",
                vec![],
            ),
        ],
        |text| import_notice(text).formats,
    );
}

#[test]
fn page_limits_in_words_or_digits() {
    check(
        vec![
            (
                "The essay should be no longer than one A4 page.",
                (Some(1), Some(Paper::A4)),
            ),
            (
                "Please submit a one-page essay on the key challenges.",
                (Some(1), None),
            ),
            (
                "Your essay should be no more than two sides of A4.",
                (Some(2), Some(Paper::A4)),
            ),
            (
                "Essays are limited to two single-sided A4 pages.",
                (Some(2), Some(Paper::A4)),
            ),
            ("Page limit: 2 pages.", (Some(2), None)),
            (
                "The essay must not be longer than three pages.",
                (Some(3), None),
            ),
            ("The essay is not to exceed two pages.", (Some(2), None)),
            (
                "The essay must not exceed a maximum of two (2) pages.",
                (Some(2), None),
            ),
            ("Essay length: 2 pages max.", (Some(2), None)),
            (
                "The essay may be of maximum 1,500 words or two pages.",
                (Some(2), None),
            ),
            ("The essay must not exceed 1 page.", (Some(1), None)),
            ("The maximum period of service is 6 years.", (None, None)),
        ],
        |text| {
            let d = import_notice(text);
            (d.max_pages, d.paper)
        },
    );
}

#[test]
fn deadlines_with_times_and_time_zones() {
    check(
        vec![
            (
                "Closing date: 15 January 2027 (23:59 CET)",
                utc(2027, 1, 15, 22, 59, 0),
            ),
            // The zone's own rules: 23:59 in Brussels is 21:59 UTC in summer.
            (
                "Closing date: 15 July 2027 (23:59 CET)",
                utc(2027, 7, 15, 21, 59, 0),
            ),
            // Midnight on a date is the end of that day, as a date alone is.
            (
                "Deadline for applications: 2027-01-15 at midnight Brussels time",
                utc(2027, 1, 15, 22, 59, 59),
            ),
            (
                "Deadline for applications: 26 January 2027 (midnight, Central European Time)",
                utc(2027, 1, 26, 22, 59, 59),
            ),
            (
                "Closing Date: 1/20/2027 (MM/DD/YYYY) at 11:59pm UTC",
                utc(2027, 1, 20, 23, 59, 0),
            ),
            (
                "Closing date: Sunday 17th January 2027 at 11:55pm (UK time)",
                utc(2027, 1, 17, 23, 55, 0),
            ),
            (
                "Deadline: 15 January 2027, 11:59 p.m. (New York time)",
                utc(2027, 1, 16, 4, 59, 0),
            ),
            (
                "Application deadline: 20 January 2027 at 23:59 hrs (The Hague time)",
                utc(2027, 1, 20, 22, 59, 0),
            ),
            (
                "Closing Date: Jan 26, 2027, 11:59 PM (Geneva time)",
                utc(2027, 1, 26, 22, 59, 0),
            ),
            (
                "Closing date: 31 January 2027 (23:59 Paris time)",
                utc(2027, 1, 31, 22, 59, 0),
            ),
            (
                "Deadline: 12 March 2027, 12:00 noon Europe/Vienna",
                utc(2027, 3, 12, 11, 0, 0),
            ),
            // A city alone in brackets; "midday"; "midnight" with a zone; "24:00".
            ("Closing Date: 2027-01-15 23:59 (Vienna)", utc(2027, 1, 15, 22, 59, 0)),
            (
                "Deadline for applications: 22/01/2027 at 12:00 midday (Brussels time)\nThe essay must be in English.",
                utc(2027, 1, 22, 11, 0, 0),
            ),
            (
                "Closing date: January 29, 2027 (midnight Geneva time)",
                utc(2027, 1, 29, 22, 59, 59),
            ),
            (
                "Closing date for applications: 10.02.2027 (24:00 CET)",
                utc(2027, 2, 10, 22, 59, 59),
            ),
            // A time without a zone is Brussels time; a date alone, the end of the day there.
            ("Closing date: 15/01/2027 17:00", utc(2027, 1, 15, 16, 0, 0)),
            (
                "Applications close on 5 February 2027.",
                utc(2027, 2, 5, 22, 59, 59),
            ),
            ("Closing date: 17-Jan-2027", utc(2027, 1, 17, 22, 59, 59)),
            // No deadline: a posting date, a deadline to come.
            ("Date Posted: 16 December 2026", None),
            ("Deadline: to be confirmed", None),
            ("Applications must arrive by the closing date.", None),
        ],
        |text| import_notice(text).deadline,
    );
}

#[test]
fn key_challenges_as_any_kind_of_list() {
    let three = vec![
        "Building the posture".to_string(),
        "Working with industry".to_string(),
        "Integrating capabilities".to_string(),
    ];
    check(
        vec![
            (
                "Key challenges facing the successful candidate:\n(a) Building the posture;\n(b) Working with industry; and\n(c) Integrating capabilities.\n",
                three.clone(),
            ),
            (
                "Key challenges:\na) Building the posture;\nb) Working with industry;\nc) Integrating capabilities.\n",
                three.clone(),
            ),
            (
                "KEY CHALLENGES\na. Building the posture\nb. Working with industry\nc. Integrating capabilities\n",
                three.clone(),
            ),
            (
                "The key challenges for the post holder will be:\n(i) Building the posture;\n(ii) Working with industry;\n(iii) Integrating capabilities.\n",
                three.clone(),
            ),
            (
                "Main challenges\n\n1) Building the posture;\n2) Working with industry;\n3) Integrating capabilities.\n",
                three.clone(),
            ),
            (
                "Key challenges of the role\nApplicants are asked to reflect on the following key challenges:\n1. Building the posture.\n2. Working with industry.\n3. Integrating capabilities.\n",
                three.clone(),
            ),
            (
                "4. KEY CHALLENGES\nThe key challenges are: (a) Building the posture; (b) Working with industry; and (c) Integrating capabilities.\n",
                three.clone(),
            ),
            (
                "The key challenges are: (a) Building the posture; (b) Working with industry; and (c) Integrating capabilities.\n",
                three.clone(),
            ),
            (
                "Key challenges include:\n1 - Building the posture\n2 - Working with industry\n3 - Integrating capabilities\n",
                three.clone(),
            ),
            // Challenges named in prose are not a list.
            ("The post holder will face many challenges in the region.\n", vec![]),
        ],
        |text| import_notice(text).key_challenges,
    );
}

/// (kind, formats, max pages, paper) of each document, in order.
type DocRow = (String, Vec<AcceptedFormat>, Option<u32>, Option<Paper>);

fn doc(
    kind: &str,
    formats: Vec<AcceptedFormat>,
    pages: Option<u32>,
    paper: Option<Paper>,
) -> DocRow {
    (kind.to_string(), formats, pages, paper)
}

#[test]
fn several_documents_in_one_sentence() {
    use AcceptedFormat::*;
    check(
        vec![
            (
                "Applicants must upload a cover letter, a CV and a key-challenges essay (MS Word only, no longer than one A4 page).",
                vec![
                    doc("cover-letter", vec![], None, None),
                    doc("cv", vec![], None, None),
                    doc("key-challenges", vec![Docx], Some(1), Some(Paper::A4)),
                ],
            ),
            (
                "Please upload your CV, a cover letter and an essay on the key challenges, each in Word or PDF.",
                vec![
                    doc("cv", vec![Docx, Pdf], None, None),
                    doc("cover-letter", vec![Docx, Pdf], None, None),
                    doc("key-challenges", vec![Docx, Pdf], None, None),
                ],
            ),
            (
                "Please submit the following documents in PDF format: a CV, a motivation letter and an essay on the key challenges.",
                vec![
                    doc("cv", vec![Pdf], None, None),
                    doc("cover-letter", vec![Pdf], None, None),
                    doc("key-challenges", vec![Pdf], None, None),
                ],
            ),
            (
                "Applicants must submit a motivation statement and an essay on the key challenges (PDF only).",
                vec![
                    doc("cover-letter", vec![], None, None),
                    doc("key-challenges", vec![Pdf], None, None),
                ],
            ),
            // Limits in a naming sentence, outside the quoted example name.
            (
                "Please upload your essay on the key challenges (maximum of 2 pages) as a PDF file named “41234 – Key challenges.docx”.",
                vec![doc("key-challenges", vec![Pdf], Some(2), None)],
            ),
            (
                "The key challenges essay must be written in English, maximum two pages A4, and saved as PDF.",
                vec![doc("key-challenges", vec![Pdf], Some(2), Some(Paper::A4))],
            ),
            (
                "Candidates must send a CV, a motivation letter and a key-challenges essay (Word or PDF). The essay should not exceed 1 page.",
                vec![
                    doc("cv", vec![], None, None),
                    doc("cover-letter", vec![], None, None),
                    doc("key-challenges", vec![Docx, Pdf], Some(1), None),
                ],
            ),
        ],
        |text| {
            import_notice(text)
                .documents
                .iter()
                .map(|d| (d.kind.clone(), d.formats.clone(), d.max_pages, d.paper))
                .collect::<Vec<DocRow>>()
        },
    );
}

#[test]
fn the_file_name_rule_in_any_wording() {
    check(
        vec![
            (
                "Please attach your essay. Please name the file ‘245871 Key challenges’.",
                (Some("Key challenges".to_string()), Some(true)),
            ),
            (
                "Please attach your essay. The file must be named \"17842_Key challenges\".",
                (Some("Key challenges".to_string()), Some(true)),
            ),
            (
                "Please attach your essay. Please save the document as 'Key challenges - 412983'.",
                (Some("Key challenges".to_string()), Some(true)),
            ),
            (
                "Please attach your essay. The file name should contain the reference and the words 'Key challenges'.",
                (Some("Key challenges".to_string()), Some(true)),
            ),
            (
                "Please attach your essay. Please name the file with the vacancy reference followed by “Key challenges”.",
                (Some("Key challenges".to_string()), Some(true)),
            ),
            (
                "Please attach your essay. The file name must include the words “Key Challenges”.",
                (Some("Key Challenges".to_string()), Some(false)),
            ),
            // A quotation that is not a naming rule.
            (
                "Please attach your essay. “Pending Budget Approval”",
                (None, Some(false)),
            ),
        ],
        |text| {
            let d = import_notice(text);
            let essay = d.documents.iter().find(|x| x.kind == "key-challenges");
            (
                d.filename_phrase.clone(),
                essay.map(|x| x.filename_must_include_reference),
            )
        },
    );
}

#[test]
fn job_board_furniture_goes_and_the_notice_stays() {
    let furniture = [
        "Home | Jobs",
        "Home | Jobs | Belgium | Policy Officer",
        "Home › Careers › Policy Officer",
        "Share this job",
        "Share on LinkedIn",
        "Apply now",
        "Apply for this job",
        "Sign in to apply",
        "2 days ago",
        "Posted 3 days ago",
        "Reposted 1 week ago",
        "vor 3 Tagen",
        "hace 2 días",
        "42 applicants",
        "Skip to main content",
        "Back to search results",
        "We use cookies to give you the best experience. By continuing you agree to our Cookie Policy.",
        "This website uses cookies.",
        "Accept all cookies",
        "Reject all",
        "Cookie settings",
        "Manage preferences",
        "Other Job Recommendations",
        "Follow us on LinkedIn",
        "Home > Careers > Vacancies",
    ];
    let rows: Vec<(&str, bool)> = furniture.iter().map(|line| (*line, false)).collect();
    let prose = [
        "Policy Officer (Partnerships) | 251760",
        "Share information with partners.",
        "Home-based work is possible for up to two days a week.",
        "Jobs in the Section are demanding.",
        "Cookies are not used to select candidates.",
        "Apply expertise to activities across the crisis spectrum.",
    ];
    let rows: Vec<(&str, bool)> = rows
        .into_iter()
        .chain(prose.iter().map(|line| (*line, true)))
        .collect();
    check(rows, |line| {
        let text = format!("Policy Officer — 251760\n{line}\nPlease attach your essay.\n");
        strip_page_furniture(&text).contains(line)
    });
}

#[test]
fn control_characters_go_and_line_breaks_and_tabs_stay() {
    check(
        vec![
            ("Job ID: 251760\u{1}\n", "Job ID: 251760\n"),
            ("\u{1b}[1mSUMMARY\u{1b}[0m\n", "SUMMARY\n"),
            (
                "Policy\u{7} Officer\r\nBrussels\n",
                "Policy Officer\nBrussels\n",
            ),
            ("Grade:\tA4\n", "Grade:\tA4\n"),
            ("\u{feff}Policy Officer\u{0}\n", "Policy Officer\n"),
        ],
        |text| leak(&strip_page_furniture(text)),
    );
}
