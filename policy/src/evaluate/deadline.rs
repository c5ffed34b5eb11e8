//! The `deadline` rule: the upload began before the deadline (the candidate's extension,
//! if any) and completed within the grace. No result when no deadline applies. The
//! instants and their display are [`crate::deadline`]'s.

use chrono::{DateTime, SecondsFormat, Utc};

use super::value::RuleValue;
use super::{Context, Finding, Value};
use crate::deadline::{deadline_check, effective_deadline, format_deadline, DeadlineOutcome};
use crate::i18n::{self, n, s};
use crate::Lang;

pub(super) fn check(ctx: &Context) -> Option<Finding> {
    let input = ctx.input;
    let vacancy = input.vacancy;
    let (deadline, extended) = effective_deadline(vacancy.deadline, input.extended_deadline)?;
    let shown = |lang: Lang| format_deadline(deadline, vacancy.time_zone, lang);
    let expected = Some(Value::new(
        format!("upload begun before {}", instant(deadline)),
        RuleValue::BeganBefore { at: deadline },
    ));
    let found = Some(Value::new(
        format!("upload begun {}", instant(input.upload_began)),
        RuleValue::Began {
            began: input.upload_began,
            completed: None,
        },
    ));
    let outcome = deadline_check(
        input.upload_began,
        input.upload_completed,
        deadline,
        vacancy.grace_seconds,
    );
    let deadline_arg = |lang: Lang| vec![("deadline", s(shown(lang)))];
    Some(match outcome {
        DeadlineOutcome::OnTime | DeadlineOutcome::WithinGrace => {
            let id = if extended {
                "deadline-pass-extension"
            } else {
                "deadline-pass"
            };
            Finding::pass(expected, found, i18n::localized(id, deadline_arg))
        }
        DeadlineOutcome::Closed => {
            let id = if extended {
                "deadline-closed-extension"
            } else {
                "deadline-closed"
            };
            Finding::broken(expected, found, i18n::localized(id, deadline_arg))
        }
        DeadlineOutcome::TooSlow { late_seconds } => {
            let found = Some(Value::new(
                format!(
                    "upload begun {}, completed {}",
                    instant(input.upload_began),
                    instant(input.upload_completed)
                ),
                RuleValue::Began {
                    began: input.upload_began,
                    completed: Some(input.upload_completed),
                },
            ));
            Finding::broken(
                expected,
                found,
                i18n::localized("deadline-too-slow", |lang| {
                    let mut a = deadline_arg(lang);
                    a.push(("late", n(late_seconds as f64)));
                    a.push(("grace", n(vacancy.grace_seconds)));
                    a
                }),
            )
        }
    })
}

/// RFC 3339 in UTC, fractions of a second only when there are any: `2025-09-16T21:59:00Z`.
fn instant(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::AutoSi, true)
}
