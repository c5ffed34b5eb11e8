//! The `encryption` rule: a password-protected file cannot be read by the panel.
//! Judged only for a document of a known kind.

use super::{Context, Finding};
use crate::i18n;

pub(super) fn check(ctx: &Context) -> Option<Finding> {
    if !ctx.known {
        return None;
    }
    let expected = Some("not encrypted".into());
    Some(if ctx.encrypted {
        Finding::broken(
            expected,
            Some("encrypted".into()),
            i18n::localized("encryption-fail", |_| vec![]),
        )
    } else {
        Finding::pass(
            expected,
            Some("not encrypted".into()),
            i18n::localized("encryption-pass", |_| vec![]),
        )
    })
}
