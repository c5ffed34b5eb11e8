//! What the panel is warned about on an essay: the rules' advisory warnings, and signs that the
//! essay names its author.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use entity::{accounts, document_versions};

use super::access::StoredDetails;

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Flag {
    pub code: String,
    pub message: String,
    /// The same in French.
    pub message_fr: String,
    /// For an advisory rule not met: the rule, and what the notice asked and the file has, as
    /// values the page writes in its own language and units.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rule: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Object>)]
    pub expected_value: Option<serde_json::Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Object>)]
    pub found_value: Option<serde_json::Value>,
}

#[derive(Deserialize)]
struct AnonymityEvidence {
    #[serde(default)]
    text_excerpt: Option<String>,
    #[serde(default)]
    metadata: Vec<(String, String)>,
}

/// Advisory rule warnings, plus the anonymity check: the candidate's name or email in the text
/// or the document's properties.
pub(super) fn flags(
    version: &document_versions::Model,
    candidate: Option<&accounts::Model>,
) -> Vec<Flag> {
    let mut flags = Vec::new();
    if let Ok(verdict) = serde_json::from_str::<policy::Verdict>(&version.verdict) {
        for rule in verdict
            .rules
            .iter()
            .filter(|r| r.status == policy::RuleStatus::Warn)
        {
            // Worded for the panel: the candidate's message is an instruction to them ("rename
            // your file"), which reads as nonsense to an assessor.
            let (expected, found) = (
                rule.expected.as_deref().unwrap_or("—"),
                rule.found.as_deref().unwrap_or("—"),
            );
            flags.push(Flag {
                code: format!("advisory-{}", rule.rule),
                message: format!(
                    "Advisory rule not met ({}): the notice asks for {expected}; this file has {found}. It does not exclude the essay.",
                    rule.rule
                ),
                message_fr: format!(
                    "Règle indicative non respectée ({})\u{202f}: l’avis demande {expected}\u{202f}; ce fichier a {found}. L’essai n’est pas exclu pour autant.",
                    rule.rule
                ),
                rule: Some(rule.rule.to_string()),
                expected_value: rule.expected_value.as_ref().and_then(|v| serde_json::to_value(v).ok()),
                found_value: rule.found_value.as_ref().and_then(|v| serde_json::to_value(v).ok()),
            });
        }
    }
    if let (Some(candidate), Ok(inspection)) = (
        candidate,
        serde_json::from_str::<StoredDetails<AnonymityEvidence>>(&version.inspection),
    ) {
        let needles: Vec<String> = [
            candidate.full_name.to_lowercase(),
            candidate.email.to_lowercase(),
        ]
        .into_iter()
        .filter(|n| n.chars().count() >= 4)
        .collect();
        let in_text = inspection
            .details
            .text_excerpt
            .as_deref()
            .map(str::to_lowercase)
            .is_some_and(|text| needles.iter().any(|n| text.contains(n.as_str())));
        let in_properties: Vec<String> = inspection
            .details
            .metadata
            .iter()
            .filter(|(_, value)| {
                needles
                    .iter()
                    .any(|n| value.to_lowercase().contains(n.as_str()))
            })
            .map(|(key, _)| key.clone())
            .collect();
        if in_text {
            flags.push(Flag {
                code: "anonymity-text".into(),
                message: "The essay's text contains the candidate's name or email.".into(),
                message_fr:
                    "Le texte de l’essai contient le nom ou l’adresse électronique du candidat."
                        .into(),
                rule: None,
                expected_value: None,
                found_value: None,
            });
        }
        if !in_properties.is_empty() {
            flags.push(Flag {
                code: "anonymity-properties".into(),
                message: format!(
                    "The document's properties ({}) contain the candidate's name or email.",
                    in_properties.join(", ")
                ),
                message_fr: format!(
                    "Les propriétés du document ({}) contiennent le nom ou l’adresse électronique du candidat.",
                    in_properties.join(", ")
                ),
                rule: None,
                expected_value: None,
                found_value: None,
            });
        }
    }
    flags
}
