//! The `pages` rule: measured counts, estimates, Word's own count, and the overflow
//! message in both languages.

use policy::{Format, PageCountSource, RuleStatus};

use crate::support::{facts, problem, rules_251334, Case};

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
        ("every font measured, Word two pages from the layout: the reason is Word's count, not floating objects", 4, Some(2), &[], 0.5, RuleStatus::Warn,
            "we used Word’s own count because Microsoft Word’s own count differs from our layout’s by more than a page", "diffère de celui de notre mise en page de plus d’une page"),
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
        // Arrange
        let (vacancy, document) = rules_251334();
        let mut f = facts(Format::Docx);
        f.pages = Some(pages);
        f.word_pages = word;
        f.page_starts
            .push("In the longer term, NATO should invest".into());
        // Act
        let verdict = Case::new(f).run(&vacancy, &document);
        // Assert
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
    // Arrange
    let (vacancy, document) = rules_251334();
    let mut f = facts(Format::Docx);
    f.pages = Some(3);
    f.page_starts.push("In the longer term".into());
    let mut case = Case::new(f);
    case.overflow_lines = Some(4);
    // Act
    let verdict = case.run(&vacancy, &document);
    // Assert
    assert_eq!(
        verdict.rule("pages").unwrap().message.fr,
        "Votre texte déborde de 4 lignes sur la page 3, à partir de «\u{a0}In the longer term\u{a0}»\u{202f}; raccourcissez-le à 2 pages."
    );
}
