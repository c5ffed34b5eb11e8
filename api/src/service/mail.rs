//! Mail as content: every message is a template per language (`api/templates/mail/`), built into
//! the binary and replaceable per deployment by a file of the same name in `mail_templates_dir`.
//! A template renders to its subject on the first line, an empty line, then the body. Mail is
//! plain text, so nothing is escaped; what a template prints is the recipient's own data or
//! text an admin typed (titles), already free of control characters.

use std::path::Path;

use minijinja::{Environment, UndefinedBehavior};
use policy::Lang;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use utoipa::ToSchema;

use entity::accounts;

use crate::error::ApiError;

/// What a message is for, stored with it in the outbox.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum MailKind {
    Receipt,
    PasswordReset,
    Invitation,
    Extension,
    Reminder,
    /// Rows written before the kind was stored, that the old guess could not place.
    Other,
}

impl MailKind {
    /// The messages that have a template.
    pub const TEMPLATED: [MailKind; 5] = [
        MailKind::Receipt,
        MailKind::PasswordReset,
        MailKind::Invitation,
        MailKind::Extension,
        MailKind::Reminder,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            MailKind::Receipt => "receipt",
            MailKind::PasswordReset => "password_reset",
            MailKind::Invitation => "invitation",
            MailKind::Extension => "extension",
            MailKind::Reminder => "reminder",
            MailKind::Other => "other",
        }
    }

    pub fn parse(text: &str) -> Self {
        Self::TEMPLATED
            .into_iter()
            .find(|k| k.as_str() == text)
            .unwrap_or(MailKind::Other)
    }
}

pub fn lang_code(lang: Lang) -> &'static str {
    match lang {
        Lang::En => "en",
        Lang::Fr => "fr",
    }
}

pub fn parse_lang(code: &str) -> Option<Lang> {
    match code {
        "en" => Some(Lang::En),
        "fr" => Some(Lang::Fr),
        _ => None,
    }
}

/// The language of every mail to this account.
pub fn language_of(account: &accounts::Model) -> Lang {
    parse_lang(&account.language).unwrap_or(Lang::En)
}

/// Every template file, with its built-in text. The footers are included by the others.
const DEFAULTS: [(&str, &str); 12] = [
    (
        "footer.en.txt",
        include_str!("../../templates/mail/footer.en.txt"),
    ),
    (
        "footer.fr.txt",
        include_str!("../../templates/mail/footer.fr.txt"),
    ),
    (
        "receipt.en.txt",
        include_str!("../../templates/mail/receipt.en.txt"),
    ),
    (
        "receipt.fr.txt",
        include_str!("../../templates/mail/receipt.fr.txt"),
    ),
    (
        "password_reset.en.txt",
        include_str!("../../templates/mail/password_reset.en.txt"),
    ),
    (
        "password_reset.fr.txt",
        include_str!("../../templates/mail/password_reset.fr.txt"),
    ),
    (
        "invitation.en.txt",
        include_str!("../../templates/mail/invitation.en.txt"),
    ),
    (
        "invitation.fr.txt",
        include_str!("../../templates/mail/invitation.fr.txt"),
    ),
    (
        "extension.en.txt",
        include_str!("../../templates/mail/extension.en.txt"),
    ),
    (
        "extension.fr.txt",
        include_str!("../../templates/mail/extension.fr.txt"),
    ),
    (
        "reminder.en.txt",
        include_str!("../../templates/mail/reminder.en.txt"),
    ),
    (
        "reminder.fr.txt",
        include_str!("../../templates/mail/reminder.fr.txt"),
    ),
];

/// A message ready for the outbox.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct Rendered {
    pub subject: String,
    pub body: String,
}

/// One message type as the admins' preview page shows it: both languages, with sample data.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Preview {
    pub kind: MailKind,
    /// The template file names of this message (`receipt.en.txt`, `receipt.fr.txt`).
    pub files: Vec<String>,
    /// The files this deployment replaced (from `mail_templates_dir`).
    pub overridden: Vec<String>,
    /// The variables the templates receive, with the sample values used here.
    #[schema(value_type = Object)]
    pub sample: Value,
    pub en: Rendered,
    pub fr: Rendered,
}

/// The loaded templates: the built-in ones, some replaced by the deployment's.
pub struct MailTemplates {
    env: Environment<'static>,
    overridden: Vec<String>,
}

impl std::fmt::Debug for MailTemplates {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MailTemplates")
            .field("overridden", &self.overridden)
            .finish()
    }
}

impl MailTemplates {
    /// The built-in templates (a unit test renders each of them).
    pub fn built_in() -> Self {
        match Self::load(None) {
            Ok(templates) => templates,
            Err(error) => panic!("the built-in mail templates do not render: {error}"),
        }
    }

    /// The built-in templates, each replaced by a file of the same name in `dir` when there is
    /// one. Every message is rendered in both languages with sample data: a template that does
    /// not parse, uses a variable it is not given, or has no subject line stops the start here
    /// rather than at the first mail a candidate should have had.
    pub fn load(dir: Option<&Path>) -> Result<Self, String> {
        let mut env = Environment::new();
        env.set_undefined_behavior(UndefinedBehavior::Strict);
        let mut overridden = Vec::new();
        for (name, built_in) in DEFAULTS {
            let replacement = dir.map(|d| d.join(name)).filter(|p| p.is_file());
            let source = match replacement {
                Some(path) => {
                    overridden.push(name.to_owned());
                    std::fs::read_to_string(&path)
                        .map_err(|e| format!("mail template {}: {e}", path.display()))?
                }
                None => built_in.to_owned(),
            };
            env.add_template_owned(name.to_owned(), source)
                .map_err(|e| format!("mail template {name}: {e:#}"))?;
        }
        if let Some(dir) = dir {
            // A file that replaces nothing is a misspelt name: say so instead of ignoring it.
            let entries = std::fs::read_dir(dir)
                .map_err(|e| format!("mail_templates_dir {}: {e}", dir.display()))?;
            for entry in entries.flatten() {
                let name = entry.file_name().to_string_lossy().into_owned();
                if name.ends_with(".txt") && !DEFAULTS.iter().any(|(known, _)| *known == name) {
                    return Err(format!(
                        "mail template {name} in {} replaces no message; the names are: {}",
                        dir.display(),
                        DEFAULTS.map(|(n, _)| n).join(", ")
                    ));
                }
            }
        }
        let templates = Self { env, overridden };
        for kind in MailKind::TEMPLATED {
            for lang in Lang::ALL {
                templates
                    .render(kind, lang, &sample(kind, lang))
                    .map_err(|e| format!("mail template {}: {e}", file_name(kind, lang)))?;
            }
        }
        Ok(templates)
    }

    /// The message `kind` in `lang` with `context`'s variables.
    pub fn render(&self, kind: MailKind, lang: Lang, context: &Value) -> Result<Rendered, String> {
        let text = self
            .env
            .get_template(&file_name(kind, lang))
            .and_then(|t| t.render(context))
            .map_err(|e| format!("{e:#}"))?;
        let (subject, body) = text
            .split_once("\n\n")
            .ok_or("the first line is the subject, followed by an empty line")?;
        // One line, whatever a title held: a line break would end the header. (Not
        // `split_whitespace`: it would turn French narrow no-break spaces into plain ones.)
        let subject = subject
            .split(|c: char| c.is_control())
            .filter(|part| !part.trim().is_empty())
            .map(str::trim)
            .collect::<Vec<_>>()
            .join(" ");
        if subject.is_empty() {
            return Err("the subject (first line) is empty".into());
        }
        Ok(Rendered {
            subject,
            body: body.to_owned(),
        })
    }

    /// [`Self::render`] for the services: a failure here is the server's (the templates were
    /// checked at start), not the request's.
    pub fn compose(
        &self,
        kind: MailKind,
        lang: Lang,
        context: &Value,
    ) -> Result<Rendered, ApiError> {
        self.render(kind, lang, context)
            .map_err(|e| ApiError::internal(std::io::Error::other(e)))
    }

    /// Every message in both languages with sample data, for the admins' preview page.
    pub fn previews(&self) -> Result<Vec<Preview>, ApiError> {
        MailKind::TEMPLATED
            .into_iter()
            .map(|kind| {
                let files: Vec<String> = Lang::ALL.map(|l| file_name(kind, l)).to_vec();
                Ok(Preview {
                    kind,
                    overridden: files
                        .iter()
                        .filter(|f| self.overridden.contains(f))
                        .cloned()
                        .collect(),
                    files,
                    sample: sample(kind, Lang::En),
                    en: self.compose(kind, Lang::En, &sample(kind, Lang::En))?,
                    fr: self.compose(kind, Lang::Fr, &sample(kind, Lang::Fr))?,
                })
            })
            .collect()
    }

    /// The names of the files this deployment replaced.
    pub fn overridden(&self) -> &[String] {
        &self.overridden
    }
}

pub fn file_name(kind: MailKind, lang: Lang) -> String {
    format!("{}.{}.txt", kind.as_str(), lang_code(lang))
}

/// The variables each template receives, with made-up values (see docs/mail.md).
pub fn sample(kind: MailKind, lang: Lang) -> Value {
    let deadline = chrono::DateTime::parse_from_rfc3339("2026-12-15T11:00:00Z")
        .map(|d| d.to_utc())
        .unwrap_or_default();
    let shown = policy::format_deadline(deadline, chrono_tz::Europe::Brussels, lang);
    let (title, document) = match lang {
        Lang::En => ("Policy Officer", "Key challenges essay"),
        Lang::Fr => ("Chargé de politique", "Essai «\u{a0}Défis majeurs\u{a0}»"),
    };
    match kind {
        MailKind::Receipt => json!({
            "reference": "251334",
            "title": title,
            "document": document,
            "file": "251334 Key challenges.pdf",
            "sha256": "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
            "received": shown,
            "submission_id": "0b5c2d7e-4f1a-4c3b-9d8e-2a6f1e0c9b7a",
        }),
        MailKind::PasswordReset => json!({
            "minutes": 60,
            "url": "https://essays.example.org/reset?token=sample",
        }),
        MailKind::Invitation => json!({
            "role": role_name("assessor", lang),
            "days": 7,
            "url": "https://essays.example.org/reset?token=sample&invite=1",
        }),
        MailKind::Extension => json!({
            "reference": "251334",
            "title": title,
            "deadline": shown,
        }),
        MailKind::Reminder | MailKind::Other => json!({
            "reference": "251334",
            "title": title,
            "missing": [document],
            "deadline": shown,
            "hours": 72,
            "url": "https://essays.example.org/applications/0b5c2d7e",
        }),
    }
}

/// A role as a person reads it in their language.
pub fn role_name(role: &str, lang: Lang) -> &'static str {
    match (role, lang) {
        ("admin", Lang::En) => "administrator",
        ("admin", Lang::Fr) => "administrateur",
        ("assessor", Lang::Fr) => "membre du jury",
        ("candidate", Lang::En) => "candidate",
        ("candidate", Lang::Fr) => "candidat",
        (_, Lang::En) => "assessor",
        (_, Lang::Fr) => "membre du jury",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_built_in_template_renders_in_both_languages_with_a_subject() {
        let templates = MailTemplates::built_in();
        for kind in MailKind::TEMPLATED {
            for lang in Lang::ALL {
                let mail = templates.render(kind, lang, &sample(kind, lang)).unwrap();
                assert!(!mail.subject.is_empty(), "{kind:?} {lang:?}");
                assert!(
                    mail.body.contains("essay-portal"),
                    "{kind:?} {lang:?}: {}",
                    mail.body
                );
            }
        }
    }

    #[test]
    fn a_template_that_uses_an_unknown_variable_stops_the_start() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("reminder.fr.txt"),
            "Rappel\n\n{{ no_such_variable }}\n",
        )
        .unwrap();
        let error = MailTemplates::load(Some(dir.path())).unwrap_err();
        assert!(error.contains("reminder.fr.txt"), "{error}");
    }

    #[test]
    fn a_template_that_does_not_parse_or_has_no_subject_stops_the_start() {
        for (name, text) in [
            ("receipt.en.txt", "Receipt {{ reference \n\nbody"),
            ("receipt.en.txt", "no empty line after the subject"),
            ("recipt.en.txt", "Misspelt\n\nbody"),
        ] {
            let dir = tempfile::tempdir().unwrap();
            std::fs::write(dir.path().join(name), text).unwrap();
            assert!(
                MailTemplates::load(Some(dir.path())).is_err(),
                "{name}: {text}"
            );
        }
    }

    #[test]
    fn a_replaced_template_is_used_and_the_others_stay() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("extension.en.txt"),
            "New deadline for {{ reference }}\n\nSee you before {{ deadline }}.\n",
        )
        .unwrap();
        let templates = MailTemplates::load(Some(dir.path())).unwrap();
        let context = sample(MailKind::Extension, Lang::En);
        let mail = templates
            .render(MailKind::Extension, Lang::En, &context)
            .unwrap();
        assert_eq!(mail.subject, "New deadline for 251334");
        assert_eq!(templates.overridden(), ["extension.en.txt"]);
        let french = templates
            .render(
                MailKind::Extension,
                Lang::Fr,
                &sample(MailKind::Extension, Lang::Fr),
            )
            .unwrap();
        assert!(
            french.subject.starts_with("Prolongation"),
            "{}",
            french.subject
        );
    }
}
