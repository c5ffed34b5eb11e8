//! Project Fluent bundles for English and French, embedded at build time.

use std::sync::OnceLock;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use unic_langid::{langid, LanguageIdentifier};

use crate::{Lang, Localized};

pub(crate) const EN_SOURCES: &[&str] = &[
    include_str!("../locales/en/evaluation.ftl"),
    include_str!("../locales/en/common.ftl"),
    include_str!("../locales/en/values.ftl"),
];
pub(crate) const FR_SOURCES: &[&str] = &[
    include_str!("../locales/fr/evaluation.ftl"),
    include_str!("../locales/fr/common.ftl"),
    include_str!("../locales/fr/values.ftl"),
];

type Bundle = FluentBundle<FluentResource>;

fn build(lang: LanguageIdentifier, sources: &[&str]) -> Bundle {
    let mut bundle = FluentBundle::new_concurrent(vec![lang]);
    // Isolation marks (U+2068/U+2069) around arguments would end up in JSON, e-mails
    // and file-name suggestions that candidates copy; every text here is left-to-right.
    bundle.set_use_isolating(false);
    for source in sources {
        let resource = FluentResource::try_new(source.to_string())
            .unwrap_or_else(|(_, errors)| panic!("invalid FTL: {errors:?}"));
        bundle
            .add_resource(resource)
            .unwrap_or_else(|errors| panic!("duplicate FTL message: {errors:?}"));
    }
    bundle
}

fn bundle(lang: Lang) -> &'static Bundle {
    static EN: OnceLock<Bundle> = OnceLock::new();
    static FR: OnceLock<Bundle> = OnceLock::new();
    match lang {
        Lang::En => EN.get_or_init(|| build(langid!("en"), EN_SOURCES)),
        Lang::Fr => FR.get_or_init(|| build(langid!("fr"), FR_SOURCES)),
    }
}

pub(crate) type Args = Vec<(&'static str, FluentValue<'static>)>;

/// Formats message `id` in one language. A missing message is a bug caught by the
/// locale tests; in release it degrades to the id rather than failing an upload.
pub(crate) fn tr(lang: Lang, id: &str, args: Args) -> String {
    let bundle = bundle(lang);
    let Some(pattern) = bundle.get_message(id).and_then(|m| m.value()) else {
        debug_assert!(false, "missing message {id} for {lang:?}");
        return id.to_string();
    };
    let mut fluent_args = FluentArgs::new();
    for (name, value) in args {
        fluent_args.set(name, value);
    }
    let mut errors = vec![];
    let text = bundle.format_pattern(pattern, Some(&fluent_args), &mut errors);
    debug_assert!(errors.is_empty(), "{id} ({lang:?}): {errors:?}");
    text.into_owned()
}

/// Formats message `id` in both languages; `args` may differ by language (dates,
/// lists and numbers are written differently).
pub(crate) fn localized(id: &str, args: impl Fn(Lang) -> Args) -> Localized {
    Localized {
        en: tr(Lang::En, id, args(Lang::En)),
        fr: tr(Lang::Fr, id, args(Lang::Fr)),
    }
}

pub(crate) fn s(value: impl Into<String>) -> FluentValue<'static> {
    FluentValue::from(value.into())
}

pub(crate) fn n(value: impl Into<f64>) -> FluentValue<'static> {
    FluentValue::from(value.into())
}

/// "a, b or c" / "a, b ou c".
pub(crate) fn join_or(items: &[String], lang: Lang) -> String {
    let or = match lang {
        Lang::En => " or ",
        Lang::Fr => " ou ",
    };
    join_with(items, or)
}

/// "a, b and c" / "a, b et c".
pub(crate) fn join_and(items: &[String], lang: Lang) -> String {
    let and = match lang {
        Lang::En => " and ",
        Lang::Fr => " et ",
    };
    join_with(items, and)
}

fn join_with(items: &[String], last_separator: &str) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{}{last_separator}{last}", init.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use fluent_bundle::FluentResource;
    use std::collections::BTreeSet;

    fn ids(sources: &[&str]) -> BTreeSet<String> {
        sources
            .iter()
            .flat_map(|s| {
                let r = FluentResource::try_new(s.to_string()).expect("valid FTL");
                r.entries()
                    .filter_map(|e| match e {
                        fluent_syntax::ast::Entry::Message(m) => Some(m.id.name.to_string()),
                        _ => None,
                    })
                    .collect::<Vec<_>>()
            })
            .collect()
    }

    #[test]
    fn english_and_french_define_the_same_messages() {
        assert_eq!(ids(EN_SOURCES), ids(FR_SOURCES));
    }

    #[test]
    fn french_punctuation_has_no_breaking_space_before_high_signs() {
        // A plain space before « : ; ! ? » lets the sign wrap to the next line.
        for source in FR_SOURCES {
            for line in source.lines().filter(|l| !l.starts_with('#')) {
                for bad in [" :", " ;", " !", " ?", "« ", " »"] {
                    assert!(!line.contains(bad), "{bad:?} in {line:?}");
                }
            }
        }
    }
}
