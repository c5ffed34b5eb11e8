//! The rubric of a vacancy: the default one drawn from its key challenges, or the one an admin set.

use chrono::{DateTime, Utc};
use sea_orm::{ActiveValue::Set, ConnectionTrait, EntityTrait};
use serde_json::json;

use entity::rubrics;

use crate::domain::scoring::Criterion;
use crate::error::ApiError;
use crate::service::audit::{self, Actor};
use crate::service::vacancies::Vacancy;

/// What marks 1 to 5 mean on a criterion about substance (English, French).
const SUBSTANCE_LEVELS: [(&str, &str); 5] = [
    (
        "Not addressed, or misunderstood",
        "Non traité, ou mal compris",
    ),
    (
        "Touched on; generic, with little evidence",
        "Effleuré ; générique, peu étayé",
    ),
    (
        "Addressed soundly; some concrete proposals",
        "Traité correctement ; quelques propositions concrètes",
    ),
    (
        "Well understood; concrete, credible proposals",
        "Bien compris ; propositions concrètes et crédibles",
    ),
    (
        "Insightful; specific, realistic and well-argued proposals",
        "Analyse fine ; propositions précises, réalistes et bien argumentées",
    ),
];

/// What marks 1 to 5 mean for the quality of the writing (English, French).
const WRITING_LEVELS: [(&str, &str); 5] = [
    ("Hard to follow", "Difficile à suivre"),
    (
        "Understandable, but poorly structured or wordy",
        "Compréhensible, mais mal structuré ou verbeux",
    ),
    (
        "Clear, with a visible structure",
        "Clair, avec une structure visible",
    ),
    (
        "Clear, well structured and concise",
        "Clair, bien structuré et concis",
    ),
    (
        "Compelling: precise, well structured, every sentence counts",
        "Convaincant : précis, bien structuré, chaque phrase compte",
    ),
];

fn levels(table: &[(&str, &str); 5]) -> (Vec<String>, Vec<String>) {
    (
        table.iter().map(|(en, _)| (*en).to_owned()).collect(),
        table.iter().map(|(_, fr)| (*fr).to_owned()).collect(),
    )
}

/// A challenge short enough for a criterion's title: at most 90 characters, cut at a word.
fn short_title(challenge: &str) -> String {
    const MAX: usize = 90;
    let challenge = challenge.trim().trim_end_matches(['.', ';', ':']);
    if challenge.chars().count() <= MAX {
        return challenge.to_owned();
    }
    let cut: String = challenge.chars().take(MAX).collect();
    let at_word = cut.rsplit_once(' ').map_or(cut.as_str(), |(head, _)| head);
    format!("{}…", at_word.trim_end_matches([',', ';', ':']))
}

/// The default rubric: one criterion per key challenge, plus the quality of the writing; each
/// with a descriptor per mark, in English and French.
pub fn default_rubric(vacancy: &Vacancy) -> Vec<Criterion> {
    let (substance_en, substance_fr) = levels(&SUBSTANCE_LEVELS);
    let (writing_en, writing_fr) = levels(&WRITING_LEVELS);
    let mut criteria: Vec<Criterion> = vacancy
        .key_challenges
        .iter()
        .enumerate()
        .map(|(i, challenge)| Criterion {
            id: format!("challenge-{}", i + 1),
            // Titled by the challenge itself, as the notice words it (assessors scored "Key
            // challenge 2" without knowing which one it was); no French title, so that the pages
            // mark the notice's words as the language they are in.
            title: format!("{}. {}", i + 1, short_title(challenge)),
            descriptor: format!(
                "How well the essay understands and addresses key challenge {} of the notice: {challenge}",
                i + 1
            ),
            weight: 1.0,
            levels: substance_en.clone(),
            title_fr: None,
            descriptor_fr: Some(format!(
                "Dans quelle mesure l’essai comprend et traite le défi majeur {} de l’avis\u{202f}: {challenge}",
                i + 1
            )),
            levels_fr: substance_fr.clone(),
        })
        .collect();
    if criteria.is_empty() {
        criteria.push(Criterion {
            id: "substance".into(),
            title: "Substance".into(),
            descriptor:
                "Understanding of the post's key challenges and credible ways to address them"
                    .into(),
            weight: 2.0,
            levels: substance_en,
            title_fr: Some("Fond".into()),
            descriptor_fr: Some(
                "Compréhension des défis majeurs du poste et moyens crédibles d'y répondre".into(),
            ),
            levels_fr: substance_fr,
        });
    }
    criteria.push(Criterion {
        id: "writing".into(),
        title: "Quality of the writing".into(),
        descriptor: "Clear, structured, concise writing within the page limit".into(),
        weight: 1.0,
        levels: writing_en,
        title_fr: Some("Qualité de la rédaction".into()),
        descriptor_fr: Some(
            "Une rédaction claire, structurée et concise, dans la limite de pages".into(),
        ),
        levels_fr: writing_fr,
    });
    criteria
}

pub async fn rubric(
    db: &impl ConnectionTrait,
    vacancy: &Vacancy,
) -> Result<Vec<Criterion>, ApiError> {
    match rubrics::Entity::find_by_id(vacancy.model.id.clone())
        .one(db)
        .await?
    {
        Some(row) => serde_json::from_str(&row.criteria).map_err(ApiError::internal),
        None => Ok(default_rubric(vacancy)),
    }
}

pub async fn set_rubric(
    db: &impl ConnectionTrait,
    vacancy: &Vacancy,
    criteria: Vec<Criterion>,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<Vec<Criterion>, ApiError> {
    if criteria.is_empty()
        || criteria.iter().any(|c| {
            c.id.trim().is_empty() || c.weight.is_nan() || c.weight <= 0.0 || c.weight > 100.0
        })
    {
        return Err(ApiError::Validation(
            "each criterion needs an id and a weight above 0 (at most 100)".into(),
        ));
    }
    if criteria.iter().any(|c| {
        [&c.levels, &c.levels_fr].iter().any(|levels| {
            !levels.is_empty() && (levels.len() != 5 || levels.iter().any(|l| l.trim().is_empty()))
        })
    }) {
        return Err(ApiError::Validation(
            "a criterion's level descriptors are five, one for each mark from 1 to 5, none empty (or none at all)".into(),
        ));
    }
    let mut ids = std::collections::HashSet::new();
    if let Some(twice) = criteria.iter().find(|c| !ids.insert(c.id.as_str())) {
        return Err(ApiError::Validation(format!(
            "the criterion id '{}' is used twice",
            twice.id
        )));
    }
    let text = serde_json::to_string(&criteria).map_err(ApiError::internal)?;
    rubrics::Entity::delete_by_id(vacancy.model.id.clone())
        .exec(db)
        .await?;
    rubrics::Entity::insert(rubrics::ActiveModel {
        vacancy_id: Set(vacancy.model.id.clone()),
        criteria: Set(text),
        updated_at: Set(now),
    })
    .exec(db)
    .await?;
    audit::record(
        db,
        actor,
        "rubric.updated",
        Some(&vacancy.model.reference),
        json!({ "criteria": criteria.len() }),
        now,
    )
    .await?;
    Ok(criteria)
}
