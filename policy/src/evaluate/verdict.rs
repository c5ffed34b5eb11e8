//! The verdict and its parts: the JSON contract of `check --json`, stored with each
//! upload and read by the frontend. Every id and status here serialises to a fixed
//! lower-case string; changing one breaks stored verdicts.

use std::fmt;
use std::str::FromStr;

use serde::de::{self, Deserializer, Unexpected};
use serde::{Deserialize, Serialize, Serializer};

use super::RuleValue;
use crate::Localized;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Decision {
    Accept,
    Reject,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RuleStatus {
    Pass,
    Fail,
    Warn,
}

/// A rule of the evaluation. Declared, and listed in [`RuleId::ALL`], in the order a
/// verdict gives its results. Serialises as [`RuleId::as_str`], e.g. `"format"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RuleId {
    Format,
    Encryption,
    Readable,
    Macros,
    Pages,
    Paper,
    Filename,
    Size,
    Deadline,
}

impl RuleId {
    /// Every rule, in verdict order.
    pub const ALL: [RuleId; 9] = [
        RuleId::Format,
        RuleId::Encryption,
        RuleId::Readable,
        RuleId::Macros,
        RuleId::Pages,
        RuleId::Paper,
        RuleId::Filename,
        RuleId::Size,
        RuleId::Deadline,
    ];

    /// The stable id, as in the JSON contract, stored verdicts and metrics.
    pub fn as_str(self) -> &'static str {
        match self {
            RuleId::Format => "format",
            RuleId::Encryption => "encryption",
            RuleId::Readable => "readable",
            RuleId::Macros => "macros",
            RuleId::Pages => "pages",
            RuleId::Paper => "paper",
            RuleId::Filename => "filename",
            RuleId::Size => "size",
            RuleId::Deadline => "deadline",
        }
    }
}

impl fmt::Display for RuleId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // `pad`, so that `{:<10}` lines up as it did when the id was a string.
        f.pad(self.as_str())
    }
}

impl AsRef<str> for RuleId {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

impl PartialEq<str> for RuleId {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for RuleId {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl From<RuleId> for String {
    fn from(rule: RuleId) -> String {
        rule.as_str().to_string()
    }
}

/// A string that is not one of the [`RuleId`]s.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown rule id {0:?}")]
pub struct UnknownRuleId(pub String);

impl FromStr for RuleId {
    type Err = UnknownRuleId;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        RuleId::ALL
            .into_iter()
            .find(|rule| rule.as_str() == s)
            .ok_or_else(|| UnknownRuleId(s.to_string()))
    }
}

impl Serialize for RuleId {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for RuleId {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let id = String::deserialize(deserializer)?;
        id.parse()
            .map_err(|_| de::Error::invalid_value(Unexpected::Str(&id), &"a rule id"))
    }
}

/// The outcome of one rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RuleResult {
    pub rule: RuleId,
    pub status: RuleStatus,
    pub expected: Option<String>,
    pub found: Option<String>,
    pub message: Localized,
    pub blocking: bool,
    /// `expected` as a value each page writes in its own language and units.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expected_value: Option<RuleValue>,
    /// `found` as a value each page writes in its own language and units.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub found_value: Option<RuleValue>,
}

/// The verdict on one upload; serialises to the `check --json` contract.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Verdict {
    pub verdict: Decision,
    pub rules: Vec<RuleResult>,
}

impl Verdict {
    /// Rejected when any result is a blocking failure.
    pub(super) fn from_results(rules: Vec<RuleResult>) -> Self {
        let reject = rules
            .iter()
            .any(|r| r.status == RuleStatus::Fail && r.blocking);
        Verdict {
            verdict: if reject {
                Decision::Reject
            } else {
                Decision::Accept
            },
            rules,
        }
    }

    pub fn accepted(&self) -> bool {
        self.verdict == Decision::Accept
    }

    /// The result of a rule, by [`RuleId`] or by its string id (`"pages"`).
    pub fn rule(&self, id: impl AsRef<str>) -> Option<&RuleResult> {
        let id = id.as_ref();
        self.rules.iter().find(|r| r.rule.as_str() == id)
    }
}
