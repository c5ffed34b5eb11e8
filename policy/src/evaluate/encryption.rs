//! The `encryption` rule: a file that needs a password cannot be read by the panel.
//! Judged only for a document of a known kind. A PDF whose encryption only restricts what
//! may be done with it (an owner password, an empty user password) opens everywhere without
//! asking: it passes, and the candidate is told what it restricts.

use super::{Context, Finding, Value};
use crate::i18n::{self, s};
use crate::Lang;

pub(super) fn check(ctx: &Context) -> Option<Finding> {
    if !ctx.known {
        return None;
    }
    let expected = || {
        Some(Value::words(
            "not encrypted",
            "value-not-encrypted",
            |_| vec![],
        ))
    };
    let facts = ctx.facts;
    Some(if ctx.encrypted {
        Finding::broken(
            expected(),
            Some(Value::words("encrypted", "value-encrypted", |_| vec![])),
            i18n::localized("encryption-fail", |_| vec![]),
        )
    } else if facts.opens_without_password && !facts.restrictions.is_empty() {
        Finding::pass(
            expected(),
            Some(Value::words(
                format!(
                    "opens without a password; restricts {}",
                    facts.restrictions.join(", ")
                ),
                "value-restricted",
                |lang| {
                    vec![(
                        "restrictions",
                        s(restriction_list(&facts.restrictions, lang)),
                    )]
                },
            )),
            i18n::localized("encryption-pass-restricted", |lang| {
                vec![(
                    "restrictions",
                    s(restriction_list(&facts.restrictions, lang)),
                )]
            }),
        )
    } else {
        Finding::pass(
            expected(),
            Some(if facts.opens_without_password {
                Value::words(
                    "opens without a password",
                    "value-opens-without-password",
                    |_| vec![],
                )
            } else {
                Value::words("not encrypted", "value-not-encrypted", |_| vec![])
            }),
            i18n::localized("encryption-pass", |_| vec![]),
        )
    })
}

/// "copying and printing", "la copie et l’impression".
fn restriction_list(restrictions: &[String], lang: Lang) -> String {
    let words: Vec<String> = restrictions
        .iter()
        .map(|r| i18n::tr(lang, &format!("restriction-{r}"), vec![]))
        .collect();
    i18n::join_and(&words, lang)
}
