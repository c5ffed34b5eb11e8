//! The inspection problem codes evaluation reads, by their type (`inspection::ProblemCode`):
//! which ones mean the file could not be read through, and which are active content, is
//! inspection's to say.

use inspection::{Facts, ProblemCode};

pub(super) use inspection::codes::{ENCRYPTED, ESTIMATE, MACROS, NOT_A_DOCUMENT};

/// Whether inspection reported any of `codes`.
pub(super) fn has_problem(facts: &Facts, codes: &[ProblemCode]) -> bool {
    facts.problems.iter().any(|p| codes.contains(&p.code))
}

/// Whether inspection reported active content in a PDF (JavaScript, a Launch action).
pub(super) fn has_active_content(facts: &Facts) -> bool {
    facts.problems.iter().any(|p| p.code.is_active_content())
}
