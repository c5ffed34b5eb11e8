//! The one place where inspection facts meet a vacancy's rules, so that the upload path and the
//! offline `check` command give the same verdict for the same file.
use chrono::{DateTime, Utc};
use inspection::Inspection;
use policy::{DocumentRules, EvaluationInput, VacancyRules, Verdict};

pub struct UploadContext<'a> {
    pub filename: &'a str,
    pub size_bytes: u64,
    pub upload_began: DateTime<Utc>,
    pub upload_completed: DateTime<Utc>,
    pub extended_deadline: Option<DateTime<Utc>>,
}

pub fn judge(
    inspection: &Inspection,
    context: &UploadContext<'_>,
    vacancy: &VacancyRules,
    document: &DocumentRules,
) -> Verdict {
    policy::evaluate(&EvaluationInput {
        facts: &inspection.facts,
        overflow_lines: inspection.details.lines_on_last_page,
        has_macros: Some(inspection.details.has_macros),
        filename: context.filename,
        size_bytes: context.size_bytes,
        upload_began: context.upload_began,
        upload_completed: context.upload_completed,
        extended_deadline: context.extended_deadline,
        vacancy,
        document,
    })
}
