//! The `readable` rule: a known, unencrypted document that inspection could read
//! through. A file stopped by a limit (zip bomb, too many parts, too complex) fails.

use super::{Context, Finding, Value};
use crate::i18n::{self, s};

pub(super) fn check(ctx: &Context) -> Option<Finding> {
    if !ctx.known || ctx.encrypted {
        return None;
    }
    let expected = Some(Value::words("readable", "value-readable", |_| vec![]));
    Some(match ctx.unreadable {
        Some(problem) => Finding::broken(
            expected,
            Some(Value::words(
                problem.code.to_string(),
                "value-unreadable",
                |_| vec![],
            )),
            i18n::localized("readable-fail", |lang| {
                vec![
                    ("problem", s(problem.message.clone())),
                    ("first", s(ctx.first.label(lang))),
                ]
            }),
        ),
        None => Finding::pass(
            expected,
            Some(Value::words("readable", "value-readable", |_| vec![])),
            i18n::localized("readable-pass", |_| vec![]),
        ),
    })
}
