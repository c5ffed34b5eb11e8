//! The `macros` rule: `.docm`, macros reported by the caller or by inspection, and PDF
//! JavaScript or launch actions all fail it. Judged for a document of a known kind; a
//! pass is given only when the file was read through.

use inspection::Format;

use super::problem_codes::{has_active_content, has_problem, MACROS};
use super::{Context, Finding, Value};
use crate::i18n;

pub(super) fn check(ctx: &Context) -> Option<Finding> {
    if !ctx.known {
        return None;
    }
    let facts = ctx.facts;
    let macros = facts.format == Format::Docm
        || ctx.input.has_macros == Some(true)
        || has_problem(facts, &[MACROS])
        || has_active_content(facts);
    if macros {
        Some(Finding::broken(
            Some(Value::words("no macros", "value-no-macros", |_| vec![])),
            Some(Value::words("macros", "value-macros", |_| vec![])),
            i18n::localized("macros-fail", |_| vec![]),
        ))
    } else if ctx.readable {
        Some(Finding::pass(
            Some(Value::words("no macros", "value-no-macros", |_| vec![])),
            Some(Value::words("no macros", "value-no-macros", |_| vec![])),
            i18n::localized("macros-pass", |_| vec![]),
        ))
    } else {
        None
    }
}
