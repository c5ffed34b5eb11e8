//! How a vacancy's document rules are put to candidates: in plain words, in English and French,
//! with a file name that satisfies them.

use policy::{DocumentRules, Lang};
use serde::Serialize;
use utoipa::ToSchema;

use super::LocalizedText;

/// A document the vacancy asks for, with its rules in plain words.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DocumentView {
    pub kind: String,
    pub title_en: String,
    pub title_fr: String,
    pub formats: Vec<String>,
    pub max_pages: Option<u32>,
    pub paper: Option<String>,
    pub filename_phrase: Option<String>,
    pub filename_must_include_reference: bool,
    pub max_bytes: u64,
    pub rule_text: LocalizedText,
    pub suggested_filename: String,
}

fn list_words(items: &[String], lang: Lang) -> String {
    let or = match lang {
        Lang::En => " or ",
        Lang::Fr => " ou ",
    };
    match items.split_last() {
        None => String::new(),
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{}{or}{last}", rest.join(", ")),
    }
}

pub(super) fn document_view(reference: &str, rules: &DocumentRules) -> DocumentView {
    let formats = rules.accepted_formats();
    let extension = formats.first().map_or("docx", |f| f.extension());
    let words = |lang: Lang| {
        let labels: Vec<String> = formats.iter().map(|f| f.label(lang).to_owned()).collect();
        let mut text = match lang {
            Lang::En => format!("Format: {}.", list_words(&labels, lang)),
            Lang::Fr => format!("Format : {}.", list_words(&labels, lang)),
        };
        if let Some(pages) = rules.max_pages {
            let paper = rules.paper.map(|_| " A4").unwrap_or("");
            text.push_str(&match (lang, pages) {
                (Lang::En, 1) => format!(" At most 1{paper} page."),
                (Lang::En, n) => format!(" At most {n}{paper} pages."),
                (Lang::Fr, 1) => format!(" Une page{paper} au maximum."),
                (Lang::Fr, n) => format!(" {n} pages{paper} au maximum."),
            });
        } else if rules.paper.is_some() {
            text.push_str(match lang {
                Lang::En => " A4 paper.",
                Lang::Fr => " Format de papier A4.",
            });
        }
        let (amount, en_unit, fr_unit) = if rules.max_bytes >= 1024 * 1024 {
            (rules.max_bytes as f64 / (1024.0 * 1024.0), "MB", "Mo")
        } else {
            (rules.max_bytes as f64 / 1024.0, "kB", "ko")
        };
        let amount = format!("{amount:.1}").trim_end_matches(".0").to_owned();
        text.push_str(&match lang {
            Lang::En => format!(" At most {amount} {en_unit}."),
            Lang::Fr => format!(" {amount} {fr_unit} au maximum."),
        });
        text
    };
    let reference_rule = rules.filename_must_include_reference.then_some(reference);
    let naming =
        policy::filename_rule_text(reference_rule, rules.filename_phrase.as_deref(), extension);
    let naming_applies = reference_rule.is_some() || rules.filename_phrase.is_some();
    let join = |lang: Lang| {
        if naming_applies {
            format!("{} {}", words(lang), naming.get(lang))
        } else {
            words(lang)
        }
    };
    DocumentView {
        kind: rules.kind.clone(),
        title_en: rules.title_en.clone(),
        title_fr: rules.title_fr.clone(),
        formats: formats.iter().map(|f| f.extension().to_owned()).collect(),
        max_pages: rules.max_pages,
        paper: rules.paper.map(|_| "A4".to_owned()),
        filename_phrase: rules.filename_phrase.clone(),
        filename_must_include_reference: rules.filename_must_include_reference,
        max_bytes: rules.max_bytes,
        rule_text: LocalizedText {
            en: join(Lang::En),
            fr: join(Lang::Fr),
        },
        suggested_filename: policy::suggested_filename(
            reference,
            rules.filename_phrase.as_deref().unwrap_or("Key challenges"),
            extension,
        ),
    }
}
