//! The `paper` rule: A4, US Letter, other and mixed sizes, and an unknown size.

use policy::{Format, Paper, RuleStatus};

use crate::support::{facts, rules_251334, Case};

#[test]
fn paper_outcomes() {
    // (why, format, paper, page sizes, status, message fragment)
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
            "Your document is set to US Letter (216 × 279 mm); in Word, choose Layout › Size › A4",
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
        // Arrange
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
        // Act
        let verdict = case.run(&vacancy, &document);
        // Assert
        let rule = verdict.rule("paper").unwrap();
        assert_eq!(rule.status, expected, "{why}");
        assert!(
            rule.message.en.contains(fragment),
            "{why}: {}",
            rule.message.en
        );
    }
}
