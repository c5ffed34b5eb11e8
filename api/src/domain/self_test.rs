//! The self-test run when an admin saves a vacancy: a sample that should pass and one that
//! should fail are judged against the new rules, and the admin is warned when the rules do not
//! behave (e.g. a page limit of 0, a phrase the suggested file name cannot satisfy, no format).
//! Pure: rules and an instant in, findings out.
use chrono::{DateTime, Duration, Utc};
use inspection::{Details, Facts, Format, Inspection, PageCountSource, Paper};
use policy::{AcceptedFormat, DocumentRules, VacancyRules};
use serde::Serialize;
use utoipa::ToSchema;

use crate::domain::verdicts::{judge, UploadContext};

#[derive(Debug, Clone, Serialize, ToSchema, PartialEq)]
pub struct SelfTestFinding {
    pub document: String,
    pub sample: String,
    pub expected: String,
    pub got: String,
    /// The rules that failed on the sample that should pass (empty otherwise).
    pub failing_rules: Vec<String>,
}

#[derive(Debug, Clone, Serialize, ToSchema, PartialEq)]
pub struct SelfTest {
    pub passed: bool,
    pub findings: Vec<SelfTestFinding>,
}

fn sample(format: AcceptedFormat, pages: u32, paper: Paper) -> Inspection {
    let format = match format {
        AcceptedFormat::Docx => Format::Docx,
        AcceptedFormat::Pdf => Format::Pdf,
        AcceptedFormat::Doc => Format::Doc,
        AcceptedFormat::Odt => Format::Odt,
        AcceptedFormat::Rtf => Format::Rtf,
    };
    let size = match paper {
        Paper::Letter => [215.9, 279.4],
        _ => [210.0, 297.0],
    };
    Inspection {
        facts: Facts {
            format,
            encrypted: false,
            opens_without_password: false,
            restrictions: Vec::new(),
            pages: Some(pages),
            page_count_source: Some(if format == Format::Pdf {
                PageCountSource::Pdf
            } else {
                PageCountSource::Layout
            }),
            paper: Some(paper),
            page_sizes_mm: vec![size; pages as usize],
            last_page_fill: Some(0.5),
            words: Some(400 * pages),
            page_starts: vec![],
            word_pages: None,
            unmeasured_fonts: Vec::new(),
            problems: vec![],
        },
        details: Details::default(),
    }
}

fn check(
    vacancy: &VacancyRules,
    document: &DocumentRules,
    now: DateTime<Utc>,
) -> Vec<SelfTestFinding> {
    let mut findings = Vec::new();
    let Some(format) = document.accepted_formats().first().copied() else {
        return findings;
    };
    let began = vacancy.deadline.map_or(now, |d| d - Duration::hours(1));
    let good_name = policy::suggested_filename(
        &vacancy.reference,
        document
            .filename_phrase
            .as_deref()
            .unwrap_or("Key challenges"),
        format.extension(),
    );
    let pages = document.max_pages.unwrap_or(1).max(1);
    let good = sample(format, pages, document.paper.unwrap_or(Paper::A4));
    let at = began;
    let verdict = judge(
        &good,
        &UploadContext {
            filename: &good_name,
            size_bytes: 50_000,
            upload_began: at,
            upload_completed: at,
            extended_deadline: None,
        },
        vacancy,
        document,
    );
    if !verdict.accepted() {
        findings.push(SelfTestFinding {
            document: document.kind.clone(),
            sample: format!("{good_name}, {pages} page(s), A4"),
            expected: "accept".into(),
            got: "reject".into(),
            failing_rules: verdict
                .rules
                .iter()
                .filter(|r| r.blocking && r.status == policy::RuleStatus::Fail)
                .map(|r| format!("{}: {}", r.rule, r.message.en))
                .collect(),
        });
    }
    // Too long and badly named: with any page or naming rule in force, this must be refused.
    let limited = document.max_pages.is_some()
        || document.filename_phrase.is_some()
        || document.filename_must_include_reference;
    if limited {
        let bad = sample(format, document.max_pages.map_or(1, |p| p + 1), Paper::A4);
        let verdict = judge(
            &bad,
            &UploadContext {
                filename: "essay-final.docx",
                size_bytes: 50_000,
                upload_began: at,
                upload_completed: at,
                extended_deadline: None,
            },
            vacancy,
            document,
        );
        if verdict.accepted() {
            findings.push(SelfTestFinding {
                document: document.kind.clone(),
                sample: "essay-final.docx, one page over the limit".into(),
                expected: "reject".into(),
                got: "accept (are the rules all advisory?)".into(),
                failing_rules: vec![],
            });
        }
    }
    findings
}

pub fn run(vacancy: &VacancyRules, now: DateTime<Utc>) -> SelfTest {
    let findings: Vec<SelfTestFinding> = vacancy
        .documents
        .iter()
        .flat_map(|d| check(vacancy, d, now))
        .collect();
    SelfTest {
        passed: findings.is_empty(),
        findings,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules(document: DocumentRules) -> VacancyRules {
        let (mut vacancy, _) = policy::rules_from_flags(
            Some("251334"),
            &[AcceptedFormat::Docx],
            Some(2),
            Some(Paper::A4),
            Some("Key challenges"),
            None,
        );
        vacancy.documents = vec![document];
        vacancy
    }

    #[test]
    fn sound_rules_pass_and_all_advisory_rules_are_reported() {
        let sound = DocumentRules {
            max_pages: Some(2),
            paper: Some(Paper::A4),
            formats: vec![AcceptedFormat::Docx],
            ..DocumentRules::key_challenges()
        };
        assert!(run(&rules(sound.clone()), Utc::now()).passed);

        let mut toothless = sound;
        toothless.severities = policy::Severities {
            format: policy::Severity::Advisory,
            pages: policy::Severity::Advisory,
            paper: policy::Severity::Advisory,
            filename: policy::Severity::Advisory,
            size: policy::Severity::Advisory,
            macros: policy::Severity::Advisory,
        };
        let result = run(&rules(toothless), Utc::now());
        assert!(!result.passed);
        assert_eq!(result.findings[0].expected, "reject");
    }

    #[test]
    fn a_tiny_size_limit_makes_the_good_sample_fail() {
        let tiny = DocumentRules {
            max_bytes: 10,
            ..DocumentRules::key_challenges()
        };
        let result = run(&rules(tiny), Utc::now());
        assert!(!result.passed);
        assert!(
            result.findings[0]
                .failing_rules
                .iter()
                .any(|r| r.starts_with("size")),
            "{result:?}"
        );
    }
}
