//! What a candidate must affirm, read from the notice's own words.

use super::english_part;
use crate::rules::EligibilityStatement;

/// What a candidate must affirm, from the notice's own words: nationality (NATO
/// recruits nationals of member countries), a clearance for fast-track competitions
/// open only to cleared staff, and no generative AI where the notice forbids it.
pub fn eligibility(text: &str) -> Vec<EligibilityStatement> {
    // Words wrapped across lines ("nationals of NATO member\ncountries") read as one.
    let english = english_part(text)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase();
    let mut out = vec![];
    let member_national = [
        "nationals of nato member",
        "nationals of a nato member",
        "nationals of one of the nato member",
        "citizens of nato member",
        "citizens of a nato member",
        "nationals from all member",
    ];
    if member_national.iter().any(|p| english.contains(p)) {
        out.push(EligibilityStatement::MemberStateNational);
    }
    if english.contains("fast track") && english.contains("security clearance") {
        out.push(EligibilityStatement::SecurityClearance);
    }
    if english.contains("generative artificial-intelligence")
        || english.contains("generative artificial intelligence")
        || english.contains("generative ai")
    {
        out.push(EligibilityStatement::NoGenerativeAi);
    }
    out
}
