//! Demo vacancies built from five real NATO notices, embedded in the binary.
//!
//! Their deadlines are the real ones (2025–2026); the api shifts them for a demo.
//! Where a notice is silent, the choice made here is written next to it.

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::notice::{eligibility, import_notice, post_codes};
use crate::rules::{AcceptedFormat, DocumentRules, Severity, VacancyRules};

/// One demo vacancy: the notice, what it states, and the rules the portal applies.
#[derive(Debug, Clone, Serialize)]
pub struct DemoVacancy {
    /// The vacancy reference, or a placeholder when the notice has none.
    pub reference: String,
    /// False when `reference` is a placeholder of ours.
    pub reference_stated: bool,
    pub title_en: String,
    pub title_fr: String,
    pub key_challenges: Vec<String>,
    pub posts: Vec<String>,
    /// The deadline the notice states, if any (the same as `rules.deadline`).
    pub deadline: Option<DateTime<Utc>>,
    pub rules: VacancyRules,
    /// The notice's file under `policy/notices/`.
    pub notice_file: &'static str,
    pub notice_text: &'static str,
}

/// The embedded notices: (file name, text).
pub const NOTICES: [(&str, &str); 5] = [
    ("251918.txt", include_str!("../notices/251918.txt")),
    ("241167.txt", include_str!("../notices/241167.txt")),
    (
        "staff-officer-crse.txt",
        include_str!("../notices/staff-officer-crse.txt"),
    ),
    ("251334.txt", include_str!("../notices/251334.txt")),
    ("250875.txt", include_str!("../notices/250875.txt")),
];

/// The notice that states no reference (an aggregator's copy of a Staff Officer post
/// in the Crisis Response Systems and Exercises Section) gets this placeholder, so
/// that the portal has a key for it; it is not a NATO reference.
pub const PLACEHOLDER_REFERENCE: &str = "CRSE-SO";

/// French titles: the notice's own where it has a French version (251918), otherwise
/// NATO's usual French for the post.
fn title_fr(reference: &str) -> &'static str {
    match reference {
        "251918" => "Chef de la Section Opérations en cours",
        "241167" => "Administrateur principal ou administratrice principale (opérations)",
        "251334" => "Secrétaire général adjoint ou secrétaire générale adjointe pour les opérations",
        "250875" => {
            "Chef de la Section Affaires OTAN et politique de sécurité (1 poste) et chef de la Section Organisations multilatérales (1 poste)"
        }
        _ => "Administrateur ou administratrice (Section Systèmes de réponse aux crises et exercices)",
    }
}

fn demo(file: &'static str, text: &'static str) -> DemoVacancy {
    let draft = import_notice(text);
    let reference_stated = draft.reference.is_some();
    let reference = draft
        .reference
        .clone()
        .unwrap_or_else(|| PLACEHOLDER_REFERENCE.to_string());
    let mut rules = draft.to_vacancy_rules();
    rules.reference = reference.clone();
    rules.post_codes = post_codes(text);
    rules.eligibility = eligibility(text);
    for document in &mut rules.documents {
        if document.formats.is_empty() {
            // The notice names no format: Word or PDF, what reviewers can open.
            document.formats = vec![AcceptedFormat::Docx, AcceptedFormat::Pdf];
        }
        if document.kind == DocumentRules::key_challenges().kind
            && document.filename_phrase.is_none()
        {
            // No naming rule stated (251918): recommend the usual name, never reject.
            document.filename_phrase = Some(crate::rules::DEFAULT_FILENAME_PHRASE.into());
            document.filename_must_include_reference = true;
            document.severities.filename = Severity::Advisory;
        }
    }
    DemoVacancy {
        title_fr: title_fr(&reference).to_string(),
        reference,
        reference_stated,
        title_en: draft.title.clone().unwrap_or_default(),
        key_challenges: draft.key_challenges.clone(),
        posts: draft.posts.clone(),
        deadline: draft.deadline,
        rules,
        notice_file: file,
        notice_text: text,
    }
}

/// The five demo vacancies, in the order of [`NOTICES`].
pub fn demo_vacancies() -> Vec<DemoVacancy> {
    NOTICES
        .iter()
        .map(|(file, text)| demo(file, text))
        .collect()
}
