//! Marking on a rubric, and how the assessors' marks add up: pure arithmetic, no database.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Spread of weighted means (on the 1–5 scale) at which assessors are said to disagree.
pub const DISAGREEMENT_SPREAD: f64 = 1.5;

#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema, PartialEq)]
pub struct Criterion {
    pub id: String,
    pub title: String,
    pub descriptor: String,
    pub weight: f64,
    /// What each mark means: five descriptors, for marks 1 to 5 (empty: none written).
    #[serde(default)]
    pub levels: Vec<String>,
    /// The title, descriptor and levels in French, where written.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title_fr: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub descriptor_fr: Option<String>,
    #[serde(default)]
    pub levels_fr: Vec<String>,
}

/// The weighted mean of marks over the rubric.
pub fn weighted_mean(rubric: &[Criterion], marks: &BTreeMap<String, u8>) -> Result<f64, String> {
    let mut total = 0.0;
    let mut weights = 0.0;
    for criterion in rubric {
        let mark = *marks
            .get(&criterion.id)
            .ok_or_else(|| format!("give a mark for '{}'", criterion.title))?;
        if !(1..=5).contains(&mark) {
            return Err(format!(
                "marks are from 1 to 5; '{}' has {mark}",
                criterion.title
            ));
        }
        total += f64::from(mark) * criterion.weight;
        weights += criterion.weight;
    }
    if let Some(unknown) = marks.keys().find(|k| !rubric.iter().any(|c| &c.id == *k)) {
        return Err(format!("'{unknown}' is not a criterion of this rubric"));
    }
    Ok(if weights > 0.0 { total / weights } else { 0.0 })
}

/// Mean and spread (max − min) of the assessors' weighted means; disagreement at a spread of 1.5 or more.
pub fn aggregate(means: &[f64]) -> (Option<f64>, Option<f64>, bool) {
    if means.is_empty() {
        return (None, None, false);
    }
    let mean = means.iter().sum::<f64>() / means.len() as f64;
    let max = means.iter().cloned().fold(f64::MIN, f64::max);
    let min = means.iter().cloned().fold(f64::MAX, f64::min);
    let spread = max - min;
    (Some(mean), Some(spread), spread >= DISAGREEMENT_SPREAD)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aggregates_flag_disagreement_from_a_spread_of_one_and_a_half() {
        type Case<'a> = (&'a [f64], Option<f64>, Option<f64>, bool);
        let cases: [Case; 4] = [
            (&[], None, None, false),
            (&[3.0], Some(3.0), Some(0.0), false),
            (&[2.0, 3.4], Some(2.7), Some(1.4), false),
            (&[2.0, 3.5, 3.0], Some(8.5 / 3.0), Some(1.5), true),
        ];
        for (means, mean, spread, disagreement) in cases {
            let (m, s, d) = aggregate(means);
            assert_eq!(
                m.map(|v| (v * 1000.0).round()),
                mean.map(|v| (v * 1000.0).round())
            );
            assert_eq!(
                s.map(|v| (v * 1000.0).round()),
                spread.map(|v| (v * 1000.0).round())
            );
            assert_eq!(d, disagreement, "{means:?}");
        }
    }

    #[test]
    fn weighted_mean_needs_every_criterion_and_marks_from_one_to_five() {
        let rubric = vec![
            Criterion {
                id: "a".into(),
                title: "A".into(),
                descriptor: String::new(),
                weight: 2.0,
                ..Default::default()
            },
            Criterion {
                id: "b".into(),
                title: "B".into(),
                descriptor: String::new(),
                weight: 1.0,
                ..Default::default()
            },
        ];
        let marks = |pairs: &[(&str, u8)]| {
            pairs
                .iter()
                .map(|(k, v)| (k.to_string(), *v))
                .collect::<BTreeMap<_, _>>()
        };
        assert_eq!(
            weighted_mean(&rubric, &marks(&[("a", 5), ("b", 2)])),
            Ok(4.0)
        );
        assert!(weighted_mean(&rubric, &marks(&[("a", 5)])).is_err());
        assert!(weighted_mean(&rubric, &marks(&[("a", 6), ("b", 2)])).is_err());
        assert!(weighted_mean(&rubric, &marks(&[("a", 5), ("b", 2), ("c", 1)])).is_err());
    }
}
