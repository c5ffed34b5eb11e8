//! Evaluation: each format, page and paper outcome, advisory rules, the deadline, and
//! the JSON contract of `check --json`.

// Tables of tuples are how these tests state the specification, row by row.
#![allow(clippy::type_complexity)]

use chrono::{DateTime, Duration, TimeZone, Utc};
use policy::rules::{DocumentRules, Severity, VacancyRules};
use policy::{
    evaluate, rules_from_flags, AcceptedFormat, Decision, EvaluationInput, Facts, Format,
    PageCountSource, Paper, RuleStatus, Verdict,
};
use serde_json::Value;

fn facts(format: Format) -> Facts {
    Facts {
        format,
        encrypted: false,
        pages: Some(2),
        page_count_source: Some(match format {
            Format::Pdf => PageCountSource::Pdf,
            Format::Doc => PageCountSource::Metadata,
            _ => PageCountSource::Layout,
        }),
        paper: Some(Paper::A4),
        page_sizes_mm: vec![[210.0, 297.0], [210.0, 297.0]],
        last_page_fill: Some(0.5),
        words: Some(900),
        page_starts: vec![
            "The Alliance faces".into(),
            "Second, the Alliance must".into(),
        ],
        word_pages: None,
        unmeasured_fonts: Vec::new(),
        problems: vec![],
    }
}

fn problem(code: &str, message: &str) -> inspection::Problem {
    inspection::Problem {
        code: code.into(),
        message: message.into(),
    }
}

fn deadline() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2025, 9, 16, 21, 59, 0).unwrap()
}

/// 251334's rules: Word only, two A4 pages, reference and "Key challenges" in the name.
fn rules_251334() -> (VacancyRules, DocumentRules) {
    rules_from_flags(
        Some("251334"),
        &[AcceptedFormat::Docx],
        Some(2),
        Some(Paper::A4),
        Some("Key challenges"),
        Some(deadline()),
    )
}

struct Case {
    facts: Facts,
    filename: &'static str,
    size: u64,
    began: DateTime<Utc>,
    completed: DateTime<Utc>,
    extension: Option<DateTime<Utc>>,
    overflow_lines: Option<u32>,
    has_macros: Option<bool>,
}

impl Case {
    fn new(facts: Facts) -> Self {
        let began = deadline() - Duration::hours(1);
        Case {
            facts,
            filename: "251334 Key challenges.docx",
            size: 40_000,
            began,
            completed: began + Duration::seconds(3),
            extension: None,
            overflow_lines: None,
            has_macros: None,
        }
    }

    fn run(&self, vacancy: &VacancyRules, document: &DocumentRules) -> Verdict {
        evaluate(&EvaluationInput {
            facts: &self.facts,
            overflow_lines: self.overflow_lines,
            has_macros: self.has_macros,
            filename: self.filename,
            size_bytes: self.size,
            upload_began: self.began,
            upload_completed: self.completed,
            extended_deadline: self.extension,
            vacancy,
            document,
        })
    }
}

fn status(v: &Verdict, rule: &str) -> Option<RuleStatus> {
    v.rule(rule).map(|r| r.status)
}

#[test]
fn a_conforming_essay_is_accepted_with_every_rule_passing() {
    let (vacancy, document) = rules_251334();
    let verdict = Case::new(facts(Format::Docx)).run(&vacancy, &document);
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
fn format_outcomes() {
    use AcceptedFormat::*;
    // (why, detected format, name, accepted formats, status, message fragment)
    let table: Vec<(&str, Format, &str, Vec<AcceptedFormat>, RuleStatus, &str)> = vec![
        (
            "docx accepted",
            Format::Docx,
            "251334 Key challenges.docx",
            vec![Docx],
            RuleStatus::Pass,
            "Word (.docx)",
        ),
        (
            "pdf accepted",
            Format::Pdf,
            "251334 Key challenges.pdf",
            vec![Docx, Pdf],
            RuleStatus::Pass,
            "PDF",
        ),
        (
            "pdf refused",
            Format::Pdf,
            "251334 Key challenges.pdf",
            vec![Docx],
            RuleStatus::Fail,
            "accepts only Word (.docx)",
        ),
        (
            "legacy doc",
            Format::Doc,
            "251334 Key challenges.doc",
            vec![Docx, Pdf],
            RuleStatus::Fail,
            "This file is a legacy .doc; save it as .docx",
        ),
        (
            "doc accepted",
            Format::Doc,
            "251334 Key challenges.doc",
            vec![Doc],
            RuleStatus::Pass,
            ".doc",
        ),
        (
            "odt refused",
            Format::Odt,
            "251334 Key challenges.odt",
            vec![Docx, Pdf],
            RuleStatus::Fail,
            "Word (.docx) or PDF",
        ),
        (
            "odt accepted",
            Format::Odt,
            "251334 Key challenges.odt",
            vec![Odt],
            RuleStatus::Pass,
            ".odt",
        ),
        (
            "rtf refused",
            Format::Rtf,
            "251334 Key challenges.rtf",
            vec![Docx],
            RuleStatus::Fail,
            "save it as Word (.docx)",
        ),
        (
            "rtf accepted",
            Format::Rtf,
            "251334 Key challenges.rtf",
            vec![Rtf],
            RuleStatus::Pass,
            "RTF",
        ),
        (
            "docm",
            Format::Docm,
            "251334 Key challenges.docm",
            vec![Docx],
            RuleStatus::Fail,
            "macro-enabled",
        ),
        (
            "unknown",
            Format::Unknown,
            "251334 Key challenges.docx",
            vec![Docx, Pdf],
            RuleStatus::Fail,
            "could not recognise",
        ),
        (
            "no formats named: any readable one",
            Format::Odt,
            "251334 Key challenges.odt",
            vec![],
            RuleStatus::Pass,
            ".odt",
        ),
    ];
    for (why, format, name, accepted, expected, fragment) in table {
        // Arrange
        let (vacancy, mut document) = rules_251334();
        document.formats = accepted;
        document.max_pages = None;
        let mut case = Case::new(facts(format));
        case.filename = name;
        // Act
        let verdict = case.run(&vacancy, &document);
        // Assert
        let rule = verdict.rule("format").unwrap();
        assert_eq!(rule.status, expected, "{why}");
        assert!(
            rule.message.en.contains(fragment),
            "{why}: {}",
            rule.message.en
        );
        assert_eq!(
            verdict.accepted(),
            expected == RuleStatus::Pass,
            "{why}: {verdict:#?}"
        );
    }
}

#[test]
fn page_outcomes() {
    // (why, pages, source, overflow lines, estimate?, status, message)
    let table: Vec<(&str, Option<u32>, PageCountSource, Option<u32>, bool, RuleStatus, &str)> = vec![
        ("one page", Some(1), PageCountSource::Layout, None, false, RuleStatus::Pass, "Your essay has one page, within the limit of 2."),
        ("exactly at the limit", Some(2), PageCountSource::Pdf, None, false, RuleStatus::Pass, "Your essay has 2 pages, within the limit of 2."),
        (
            "four lines over",
            Some(3),
            PageCountSource::Layout,
            Some(4),
            false,
            RuleStatus::Fail,
            "Your essay runs 4 lines onto page 3, from “In the longer term, NATO…”; shorten it to 2 pages.",
        ),
        (
            "one line over",
            Some(3),
            PageCountSource::Renderer,
            Some(1),
            false,
            RuleStatus::Fail,
            "Your essay runs one line onto page 3",
        ),
        ("a page over, lines unknown", Some(3), PageCountSource::Pdf, None, false, RuleStatus::Fail, "Your essay runs onto page 3, from “In the longer term, NATO…”"),
        ("far over", Some(5), PageCountSource::Pdf, None, false, RuleStatus::Fail, "Your essay has 5 pages, but the limit is 2; shorten it by 3 pages."),
        ("estimated over: warn only", Some(3), PageCountSource::Layout, Some(2), true, RuleStatus::Warn, "onto page 3"),
        ("count unknown: warn", None, PageCountSource::Layout, None, false, RuleStatus::Warn, "could not count the pages"),
        ("doc metadata over: warn", Some(3), PageCountSource::Metadata, None, false, RuleStatus::Warn, "This legacy .doc says it has 3 pages"),
        ("doc metadata within: still warn", Some(2), PageCountSource::Metadata, None, false, RuleStatus::Warn, "cannot measure it ourselves"),
    ];
    for (why, pages, source, lines, estimate, expected, fragment) in table {
        // Arrange: the format rule accepts .doc so that only the page rule speaks.
        let (vacancy, mut document) = rules_251334();
        document.formats = vec![];
        let mut f = facts(Format::Pdf);
        f.pages = pages;
        f.page_count_source = Some(source);
        f.page_starts
            .push("In the longer term, NATO should invest".into());
        if estimate {
            f.problems
                .push(problem("estimate", "fonts without metrics"));
        }
        let mut case = Case::new(f);
        case.filename = "251334 Key challenges.pdf";
        case.overflow_lines = lines;
        // Act
        let verdict = case.run(&vacancy, &document);
        // Assert
        let rule = verdict.rule("pages").unwrap();
        assert_eq!(rule.status, expected, "{why}");
        assert!(
            rule.message.en.contains(fragment),
            "{why}: {}",
            rule.message.en
        );
        assert_eq!(rule.blocking, expected == RuleStatus::Fail, "{why}");
        assert_eq!(verdict.accepted(), expected != RuleStatus::Fail, "{why}");
    }
}

#[test]
fn fonts_we_cannot_measure_are_decided_by_the_best_evidence() {
    // (why, layout pages, Word's count, unmeasured fonts, last page fill, status, English words, French words)
    let table: Vec<(&str, u32, Option<u32>, &[&str], f64, RuleStatus, &str, &str)> = vec![
        ("Aptos, Word within, layout over: accepted on Word's count, with an advisory", 3, Some(2), &["Aptos"], 0.3, RuleStatus::Warn,
            "Microsoft Word counts 2 pages, within the limit of 2; we used Word’s own count because its font (Aptos) cannot be measured exactly", "Microsoft Word compte 2 pages"),
        ("Aptos, Word over, layout within: Word decides", 2, Some(3), &["Aptos"], 0.5, RuleStatus::Fail,
            "Microsoft Word itself counts 3 pages, but the limit is 2", "Microsoft Word compte lui-même 3 pages"),
        ("Aptos, no Word count, layout over: never rejected", 3, None, &["Aptos"], 0.2, RuleStatus::Warn,
            "only an estimate because its font (Aptos) cannot be measured exactly here, so it is not refused. To be sure, save it in Microsoft Word", "il n’est donc pas refusé"),
        ("Aptos, no Word count, last page full: told how to be sure", 2, None, &["Aptos"], 0.95, RuleStatus::Warn,
            "To be sure, save it in Microsoft Word", "Pour en être sûr"),
        ("Aptos and Segoe UI, no Word count, room to spare", 1, None, &["Aptos", "Segoe UI"], 0.6, RuleStatus::Pass,
            "appears to have one page, within the limit of 2; this is an estimate because its fonts (Aptos, Segoe UI) cannot", "ses polices (Aptos, Segoe UI)"),
        ("Aptos, Word and layout within: passes on Word's count", 2, Some(2), &["Aptos"], 0.5, RuleStatus::Pass,
            "Microsoft Word counts 2 pages, within the limit of 2; we used Word’s own count", "nous avons retenu le décompte de Word"),
    ];
    for (why, pages, word, fonts, fill, expected, en, fr) in table {
        // Arrange
        let (vacancy, document) = rules_251334();
        let mut f = facts(Format::Docx);
        f.pages = Some(pages);
        f.last_page_fill = Some(fill);
        f.word_pages = word;
        f.unmeasured_fonts = fonts.iter().map(|s| s.to_string()).collect();
        f.problems
            .push(problem("estimate", "fonts without metrics"));
        // Act
        let verdict = Case::new(f).run(&vacancy, &document);
        // Assert
        let rule = verdict.rule("pages").unwrap();
        assert_eq!(rule.status, expected, "{why}: {}", rule.message.en);
        assert!(rule.message.en.contains(en), "{why}: {}", rule.message.en);
        assert!(rule.message.fr.contains(fr), "{why}: {}", rule.message.fr);
        assert_eq!(verdict.accepted(), expected != RuleStatus::Fail, "{why}");
    }
}

#[test]
fn a_measured_count_over_the_limit_that_word_disagrees_with_is_advisory() {
    // (why, layout pages, Word's count, status, words)
    let table = [
        (
            "Calibri, Word within, layout over",
            3,
            Some(2),
            RuleStatus::Warn,
            "Microsoft Word counts 2 pages, within the limit of 2, but our layout finds 3",
        ),
        (
            "Calibri, Word agrees: rejected",
            3,
            Some(3),
            RuleStatus::Fail,
            "onto page 3",
        ),
        (
            "Calibri, no Word count: rejected",
            3,
            None,
            RuleStatus::Fail,
            "onto page 3",
        ),
        (
            "Calibri, within: passes",
            2,
            Some(2),
            RuleStatus::Pass,
            "within the limit of 2",
        ),
    ];
    for (why, pages, word, expected, words) in table {
        let (vacancy, document) = rules_251334();
        let mut f = facts(Format::Docx);
        f.pages = Some(pages);
        f.word_pages = word;
        f.page_starts
            .push("In the longer term, NATO should invest".into());
        let verdict = Case::new(f).run(&vacancy, &document);
        let rule = verdict.rule("pages").unwrap();
        assert_eq!(rule.status, expected, "{why}: {}", rule.message.en);
        assert!(
            rule.message.en.contains(words),
            "{why}: {}",
            rule.message.en
        );
    }
}

#[test]
fn the_overflow_message_reads_well_in_french() {
    let (vacancy, document) = rules_251334();
    let mut f = facts(Format::Docx);
    f.pages = Some(3);
    f.page_starts.push("In the longer term".into());
    let mut case = Case::new(f);
    case.overflow_lines = Some(4);
    let verdict = case.run(&vacancy, &document);
    assert_eq!(
        verdict.rule("pages").unwrap().message.fr,
        "Votre texte déborde de 4 lignes sur la page 3, à partir de «\u{a0}In the longer term\u{a0}»\u{202f}; raccourcissez-le à 2 pages."
    );
}

#[test]
fn paper_outcomes() {
    let table: Vec<(&str, Format, Option<Paper>, Vec<[f64; 2]>, RuleStatus, &str)> = vec![
        (
            "A4",
            Format::Pdf,
            Some(Paper::A4),
            vec![[210.0, 297.0]],
            RuleStatus::Pass,
            "A4",
        ),
        (
            "US Letter PDF",
            Format::Pdf,
            Some(Paper::Letter),
            vec![[215.9, 279.4]],
            RuleStatus::Fail,
            "Your PDF is US Letter (216 × 279 mm); export it as A4 (210 × 297 mm).",
        ),
        (
            "US Letter Word",
            Format::Docx,
            Some(Paper::Letter),
            vec![[215.9, 279.4]],
            RuleStatus::Fail,
            "Your document is US Letter",
        ),
        (
            "A5",
            Format::Pdf,
            Some(Paper::Other),
            vec![[148.0, 210.0]],
            RuleStatus::Fail,
            "pages of 148 × 210 mm, which is not A4",
        ),
        (
            "mixed",
            Format::Pdf,
            Some(Paper::Mixed),
            vec![[210.0, 297.0], [215.9, 279.4]],
            RuleStatus::Fail,
            "mixes page sizes",
        ),
        (
            "unknown",
            Format::Pdf,
            None,
            vec![],
            RuleStatus::Warn,
            "could not tell the paper size",
        ),
    ];
    for (why, format, paper, sizes, expected, fragment) in table {
        let (vacancy, mut document) = rules_251334();
        document.formats = vec![];
        let mut f = facts(format);
        f.paper = paper;
        f.page_sizes_mm = sizes;
        let mut case = Case::new(f);
        case.filename = if format == Format::Pdf {
            "251334 Key challenges.pdf"
        } else {
            "251334 Key challenges.docx"
        };
        let verdict = case.run(&vacancy, &document);
        let rule = verdict.rule("paper").unwrap();
        assert_eq!(rule.status, expected, "{why}");
        assert!(
            rule.message.en.contains(fragment),
            "{why}: {}",
            rule.message.en
        );
    }
}

#[test]
fn unreadable_and_encrypted_files_are_rejected_without_page_or_paper_guesses() {
    let (vacancy, document) = rules_251334();
    let mut encrypted = facts(Format::Docx);
    encrypted.encrypted = true;
    encrypted.pages = None;
    let mut broken = facts(Format::Docx);
    broken
        .problems
        .push(problem("unreadable", "word/document.xml is missing"));
    let mut macros = facts(Format::Docx);
    macros.problems.push(problem("macros", "VBA project"));
    let mut not_a_document = facts(Format::Unknown);
    not_a_document
        .problems
        .push(problem("not-a-document", "PNG image"));
    let mut zip_bomb = facts(Format::Unknown);
    zip_bomb.pages = None;
    zip_bomb.problems.push(problem(
        "zip-bomb",
        "The file was not unpacked: an entry compresses 1027:1 (at most 100:1 is accepted).",
    ));
    let table = [
        ("encrypted", encrypted, "encryption", "password-protected"),
        (
            "a zip bomb is named as such, not as an unknown format",
            zip_bomb,
            "format",
            "could not open this file safely to check it: The file was not unpacked",
        ),
        (
            "unreadable",
            broken,
            "readable",
            "word/document.xml is missing",
        ),
        ("macros", macros, "macros", "contains macros"),
        (
            "not a document",
            not_a_document,
            "format",
            "could not recognise",
        ),
    ];
    for (why, f, rule, fragment) in table {
        let verdict = Case::new(f).run(&vacancy, &document);
        assert_eq!(verdict.verdict, Decision::Reject, "{why}");
        let r = verdict.rule(rule).unwrap();
        assert_eq!(r.status, RuleStatus::Fail, "{why}");
        assert!(r.message.en.contains(fragment), "{why}: {}", r.message.en);
        if why != "macros" {
            assert_eq!(status(&verdict, "pages"), None, "{why}: no page guess");
            assert_eq!(status(&verdict, "paper"), None, "{why}: no paper guess");
        }
    }
}

#[test]
fn filename_outcomes_and_advisory_severity() {
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
        let (vacancy, mut document) = rules_251334();
        document.severities.filename = severity;
        let mut case = Case::new(facts(Format::Docx));
        case.filename = name;
        let verdict = case.run(&vacancy, &document);
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

#[test]
fn size_limit() {
    let (vacancy, document) = rules_251334();
    let table = [
        (10 * 1024 * 1024, RuleStatus::Pass),
        (10 * 1024 * 1024 + 1, RuleStatus::Fail),
    ];
    for (size, expected) in table {
        let mut case = Case::new(facts(Format::Docx));
        case.size = size;
        let verdict = case.run(&vacancy, &document);
        assert_eq!(status(&verdict, "size"), Some(expected), "{size}");
    }
    let mut case = Case::new(facts(Format::Docx));
    case.size = 12_900_000;
    let rule = case.run(&vacancy, &document).rule("size").unwrap().clone();
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

#[test]
fn deadline_outcomes() {
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
        let (vacancy, document) = rules_251334();
        let mut case = Case::new(facts(Format::Docx));
        case.began = began;
        case.completed = completed;
        case.extension = extension;
        let verdict = case.run(&vacancy, &document);
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
    let (vacancy, document) = rules_from_flags(
        Some("251334"),
        &[],
        None,
        None,
        Some("Key challenges"),
        None,
    );
    let verdict = Case::new(facts(Format::Docx)).run(&vacancy, &document);
    assert!(verdict.rule("deadline").is_none());
    assert!(verdict.rule("pages").is_none() && verdict.rule("paper").is_none());
    assert!(verdict.accepted());
}

#[test]
fn the_json_matches_the_check_contract() {
    let (vacancy, document) = rules_251334();
    let mut case = Case::new(facts(Format::Pdf));
    case.filename = "essay.pdf";
    let json: Value = serde_json::to_value(case.run(&vacancy, &document)).unwrap();
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
    let (vacancy, document) = rules_251334();
    let mut f = facts(Format::Pdf);
    f.paper = Some(Paper::Letter);
    f.page_sizes_mm = vec![[215.9, 279.4]];
    f.pages = Some(4);
    let mut case = Case::new(f);
    case.filename = "essay.pdf";
    case.began = deadline();
    for rule in case.run(&vacancy, &document).rules {
        assert_ne!(rule.message.en, rule.message.fr, "{}", rule.rule);
        assert!(
            !rule.message.fr.contains(" ;") && !rule.message.fr.contains(" :"),
            "{}",
            rule.message.fr
        );
    }
}
