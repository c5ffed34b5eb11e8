//! The `size` rule: at most the document's `max_bytes`, with sizes written as people
//! read them ("12.3 MB", "12,3 Mo").

use super::value::RuleValue;
use super::{Context, Finding, Value};
use crate::i18n::{self, s};
use crate::Lang;

pub(super) fn check(ctx: &Context) -> Option<Finding> {
    let max = ctx.doc.max_bytes;
    let size = ctx.input.size_bytes;
    let expected = Some(Value::new(
        format!("at most {max} bytes"),
        RuleValue::Bytes {
            bytes: max,
            at_most: true,
        },
    ));
    let found = Some(Value::new(
        format!("{size} bytes"),
        RuleValue::Bytes {
            bytes: size,
            at_most: false,
        },
    ));
    let args = |lang: Lang| {
        vec![
            ("size", s(size_text(size, lang))),
            ("max", s(size_text(max, lang))),
        ]
    };
    Some(if size <= max {
        Finding::pass(expected, found, i18n::localized("size-pass", args))
    } else {
        Finding::broken(expected, found, i18n::localized("size-fail", args))
    })
}

/// A size as the pages write it (`bytes` in frontend/js/i18n.js): "5 kB" / "5 ko" (whole
/// kilobytes), "1.4 MB" / "1,4 Mo" (one decimal), so that one file has one size on one page.
fn size_text(bytes: u64, lang: Lang) -> String {
    let (value, unit_en, unit_fr) = if bytes >= 1024 * 1024 {
        (bytes as f64 / (1024.0 * 1024.0), "MB", "Mo")
    } else if bytes >= 1024 {
        ((bytes as f64 / 1024.0).round(), "kB", "ko")
    } else {
        return match lang {
            Lang::En => format!("{bytes} bytes"),
            Lang::Fr => format!("{bytes}\u{a0}octets"),
        };
    };
    let text = format!("{value:.1}");
    let text = text.strip_suffix(".0").unwrap_or(&text).to_string();
    match lang {
        Lang::En => format!("{text} {unit_en}"),
        Lang::Fr => format!("{}\u{a0}{unit_fr}", text.replace('.', ",")),
    }
}

#[cfg(test)]
mod size_text_tests {
    use super::*;

    #[test]
    fn sizes_read_as_the_pages_write_them() {
        assert_eq!(size_text(4915, Lang::En), "5 kB");
        assert_eq!(size_text(4915, Lang::Fr), "5\u{a0}ko");
        assert_eq!(size_text(1_468_006, Lang::En), "1.4 MB");
        assert_eq!(size_text(1_468_006, Lang::Fr), "1,4\u{a0}Mo");
        assert_eq!(size_text(800, Lang::En), "800 bytes");
    }
}
