//! The fixtures every rule's tests share: facts of a conforming two-page essay, the
//! rules of vacancy 251334, and an upload [`Case`] an hour before its deadline.

use chrono::{DateTime, Duration, TimeZone, Utc};
use policy::rules::{DocumentRules, VacancyRules};
use policy::{
    evaluate, rules_from_flags, AcceptedFormat, EvaluationInput, Facts, Format, PageCountSource,
    Paper, RuleStatus, Verdict,
};

pub fn facts(format: Format) -> Facts {
    Facts {
        format,
        encrypted: false,
        opens_without_password: false,
        restrictions: Vec::new(),
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

pub fn problem(code: &str, message: &str) -> inspection::Problem {
    inspection::Problem {
        code: code.parse().expect("a problem code inspection knows"),
        message: message.into(),
    }
}

pub fn deadline() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2025, 9, 16, 21, 59, 0).unwrap()
}

/// 251334's rules: Word only, two A4 pages, reference and "Key challenges" in the name.
pub fn rules_251334() -> (VacancyRules, DocumentRules) {
    rules_from_flags(
        Some("251334"),
        &[AcceptedFormat::Docx],
        Some(2),
        Some(Paper::A4),
        Some("Key challenges"),
        Some(deadline()),
    )
}

/// 251918's rules: a Word or PDF document, otherwise as 251334.
pub fn rules_251918() -> (VacancyRules, DocumentRules) {
    rules_from_flags(
        Some("251918"),
        &[AcceptedFormat::Docx, AcceptedFormat::Pdf],
        Some(2),
        Some(Paper::A4),
        Some("Key challenges"),
        Some(deadline()),
    )
}

pub struct Case {
    pub facts: Facts,
    pub filename: &'static str,
    pub size: u64,
    pub began: DateTime<Utc>,
    pub completed: DateTime<Utc>,
    pub extension: Option<DateTime<Utc>>,
    pub overflow_lines: Option<u32>,
    pub has_macros: Option<bool>,
}

impl Case {
    pub fn new(facts: Facts) -> Self {
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

    pub fn run(&self, vacancy: &VacancyRules, document: &DocumentRules) -> Verdict {
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

pub fn status(v: &Verdict, rule: &str) -> Option<RuleStatus> {
    v.rule(rule).map(|r| r.status)
}
