//! What a candidate must affirm, read from the notice's own words.

use super::english_part;
use crate::rules::EligibilityStatement;

/// What a candidate must affirm, from the notice's own words: nationality (NATO
/// recruits nationals of member countries), a clearance for fast-track competitions
/// open only to cleared staff, and no generative AI where the notice forbids it.
pub fn eligibility(text: &str) -> Vec<EligibilityStatement> {
    let english = english_part(text).to_lowercase();
    let mut out = vec![];
    if english.contains("nationals of nato member") || english.contains("nationals from all member")
    {
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
