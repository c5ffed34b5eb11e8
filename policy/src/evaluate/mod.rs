//! Evaluation: one uploaded document against its vacancy's rules.
//!
//! Each rule is one function, `check(&Context) -> Option<Finding>`, in a module of its
//! own; [`evaluate()`] runs them in [`RuleId::ALL`] order. A rule says only what it
//! found (pass, warn, or broken); whether a broken rule fails and blocks, or only warns,
//! is the vacancy's severity for that rule, applied here in one place.
//!
//! Decisions (also in `DECISIONS.md`):
//! * Only measured evidence rejects. A page count read from a legacy `.doc`'s metadata
//!   (written by whatever last saved it) or flagged by inspection as an estimate gives a
//!   `warn`, never a `fail`, on the page rule; the format rule is where a `.doc` is
//!   refused when the vacancy does not accept it.
//! * A rule the vacancy marks advisory gives `warn` instead of `fail` and never rejects.
//! * `readable`, `encryption` and `deadline` are always blocking.
//! * Rules that cannot be judged are left out rather than guessed: nothing about pages
//!   or paper for a file that is encrypted or not a document at all.

mod deadline;
mod encryption;
mod filename;
mod format;
mod macros;
mod pages;
mod paper;
mod problem_codes;
mod readable;
mod size;
mod value;
mod verdict;

use chrono::{DateTime, Utc};
use inspection::{Facts, Format, Problem};

use crate::rules::{AcceptedFormat, DocumentRules, Severity, VacancyRules};
use crate::Localized;
use problem_codes::{has_problem, ENCRYPTED, NOT_A_DOCUMENT};

pub use value::RuleValue;
pub use verdict::{Decision, RuleId, RuleResult, RuleStatus, UnknownRuleId, Verdict};

use value::Value;

/// Everything one evaluation needs; the caller supplies the clock readings.
#[derive(Debug, Clone)]
pub struct EvaluationInput<'a> {
    pub facts: &'a Facts,
    /// Lines of text on the first page past the limit, when the document runs exactly
    /// one page over (inspection's `lines_on_last_page`). Lets the message say "runs 4
    /// lines onto page 3" instead of only "has 3 pages".
    pub overflow_lines: Option<u32>,
    /// Whether the file carries macros, when the caller knows (inspection's details).
    /// Inspection's `macros` problem code and the `.docm` format count as well.
    pub has_macros: Option<bool>,
    /// The file name as the browser or the command line gave it, path and all.
    pub filename: &'a str,
    pub size_bytes: u64,
    /// The instant the upload began: the one that counts against the deadline.
    pub upload_began: DateTime<Utc>,
    pub upload_completed: DateTime<Utc>,
    /// This candidate's extended deadline, if they were granted one.
    pub extended_deadline: Option<DateTime<Utc>>,
    pub vacancy: &'a VacancyRules,
    pub document: &'a DocumentRules,
}

/// Evaluates one upload. Pure: the same input always gives the same verdict.
pub fn evaluate(input: &EvaluationInput) -> Verdict {
    let ctx = Context::new(input);
    let results = RuleId::ALL
        .into_iter()
        .filter_map(|rule| {
            let finding = check(rule, &ctx)?;
            Some(finding.into_result(rule, severity(rule, ctx.doc)))
        })
        .collect();
    Verdict::from_results(results)
}

/// Runs one rule; `None` when the rule does not apply or cannot be judged.
fn check(rule: RuleId, ctx: &Context) -> Option<Finding> {
    match rule {
        RuleId::Format => format::check(ctx),
        RuleId::Encryption => encryption::check(ctx),
        RuleId::Readable => readable::check(ctx),
        RuleId::Macros => macros::check(ctx),
        RuleId::Pages => pages::check(ctx),
        RuleId::Paper => paper::check(ctx),
        RuleId::Filename => filename::check(ctx),
        RuleId::Size => size::check(ctx),
        RuleId::Deadline => deadline::check(ctx),
    }
}

/// What breaking a rule does: the vacancy's severity, except for the rules no vacancy
/// may relax (a file nobody can open, or one sent too late, cannot be assessed).
fn severity(rule: RuleId, doc: &DocumentRules) -> Severity {
    let s = &doc.severities;
    match rule {
        RuleId::Format => s.format,
        RuleId::Macros => s.macros,
        RuleId::Pages => s.pages,
        RuleId::Paper => s.paper,
        RuleId::Filename => s.filename,
        RuleId::Size => s.size,
        RuleId::Encryption | RuleId::Readable | RuleId::Deadline => Severity::Blocking,
    }
}

/// The input and what every rule reads of it, worked out once.
struct Context<'a> {
    input: &'a EvaluationInput<'a>,
    facts: &'a Facts,
    doc: &'a DocumentRules,
    /// The accepted formats; all of them when the vacancy names none.
    accepted: Vec<AcceptedFormat>,
    /// The format to suggest: the first accepted one.
    first: AcceptedFormat,
    /// The accepted format the file is, if any (a `.docm` is none).
    detected: Option<AcceptedFormat>,
    /// The file is a document of a kind inspection recognises.
    known: bool,
    /// Needs a password to open.
    encrypted: bool,
    /// The problem that stopped inspection reading the file through, if any.
    unreadable: Option<&'a Problem>,
    /// Known, not encrypted and read through: pages and paper can be judged.
    readable: bool,
}

impl<'a> Context<'a> {
    fn new(input: &'a EvaluationInput<'a>) -> Self {
        let facts = input.facts;
        let doc = input.document;
        let accepted = doc.accepted_formats();
        let first = accepted[0];
        let known = facts.format != Format::Unknown && !has_problem(facts, &[NOT_A_DOCUMENT]);
        // Encryption matters only when it keeps readers out.
        let encrypted =
            (facts.encrypted && !facts.opens_without_password) || has_problem(facts, &[ENCRYPTED]);
        let unreadable = facts.problems.iter().find(|p| p.code.means_unreadable());
        Context {
            input,
            facts,
            doc,
            accepted,
            first,
            detected: AcceptedFormat::from_inspected(facts.format),
            known,
            encrypted,
            unreadable,
            readable: known && !encrypted && unreadable.is_none(),
        }
    }
}

/// What a rule found, before the rule's severity decides what a breach does.
struct Finding {
    outcome: Outcome,
    expected: Option<Value>,
    found: Option<Value>,
    message: Localized,
}

enum Outcome {
    Pass,
    /// Never blocks, whatever the severity.
    Warn,
    /// `fail` and blocking, or `warn` when the vacancy made the rule advisory.
    Broken,
}

impl Finding {
    fn new(
        outcome: Outcome,
        expected: Option<Value>,
        found: Option<Value>,
        message: Localized,
    ) -> Self {
        Finding {
            outcome,
            expected,
            found,
            message,
        }
    }

    fn pass(expected: Option<Value>, found: Option<Value>, message: Localized) -> Self {
        Self::new(Outcome::Pass, expected, found, message)
    }

    fn warn(expected: Option<Value>, found: Option<Value>, message: Localized) -> Self {
        Self::new(Outcome::Warn, expected, found, message)
    }

    fn broken(expected: Option<Value>, found: Option<Value>, message: Localized) -> Self {
        Self::new(Outcome::Broken, expected, found, message)
    }

    fn into_result(self, rule: RuleId, severity: Severity) -> RuleResult {
        let (status, blocking) = match (self.outcome, severity) {
            (Outcome::Pass, _) => (RuleStatus::Pass, false),
            (Outcome::Warn, _) | (Outcome::Broken, Severity::Advisory) => (RuleStatus::Warn, false),
            (Outcome::Broken, Severity::Blocking) => (RuleStatus::Fail, true),
        };
        let (expected, expected_value) = split(self.expected);
        let (found, found_value) = split(self.found);
        RuleResult {
            rule,
            status,
            expected,
            found,
            message: self.message,
            blocking,
            expected_value,
            found_value,
        }
    }
}

fn split(value: Option<Value>) -> (Option<String>, Option<RuleValue>) {
    match value {
        Some(Value { raw, value }) => (Some(raw), Some(value)),
        None => (None, None),
    }
}
