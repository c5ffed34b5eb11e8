//! Vacancy rules and their evaluation. Pure: values in, values out; `now` is passed in.
//!
//! * [`rules`]: the rule model a vacancy stores (JSON) or an offline check reads (TOML).
//! * [`evaluate()`]: inspection facts + upload context + rules in, a [`Verdict`] out;
//!   one module per rule under [`mod@evaluate`], each result named by a [`RuleId`].
//! * [`filename`]: the file-name rule, its suggestion and its plain-words statement.
//! * [`deadline`]: deadline instants, grace, extensions, DST and their display.
//! * [`notice`]: a draft of rules read from a vacancy notice's plain text.
//! * [`demo`]: five real notices, embedded, with the rules they state.
//!
//! Every decision on an ambiguity is written next to the code that makes it and
//! collected in `policy/DECISIONS.md`.

pub mod deadline;
pub mod demo;
pub mod evaluate;
pub mod filename;
mod i18n;
pub mod notice;
pub mod rules;

use serde::{Deserialize, Serialize};

pub use deadline::{
    deadline_check, format_deadline, local_deadline_to_utc, DeadlineOutcome, DeadlineProblem,
};
pub use demo::{demo_vacancies, DemoVacancy};
pub use evaluate::{
    evaluate, Decision, EvaluationInput, RuleId, RuleResult, RuleStatus, RuleValue, UnknownRuleId,
    Verdict,
};
pub use filename::{check_filename, filename_rule_text, suggested_filename, FilenameProblem};
pub use inspection::{Facts, Format, PageCountSource, Paper};
pub use notice::{import_notice, NoticeDraft};
pub use rules::{
    parse_vacancy_toml, rules_from_flags, AcceptedFormat, DocumentRules, EligibilityStatement,
    RulesError, Severities, Severity, VacancyRules,
};

/// A language the portal speaks. English and French are NATO's official languages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    En,
    Fr,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::En, Lang::Fr];
}

/// The same text in both official languages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Localized {
    pub en: String,
    pub fr: String,
}

impl Localized {
    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::En => &self.en,
            Lang::Fr => &self.fr,
        }
    }
}
