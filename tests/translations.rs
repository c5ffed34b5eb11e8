//! The translation tables, read as text: the pages' (`frontend/js/i18n/*.js`) and the upload
//! checks' (`policy/locales/{en,fr}/*.ftl`). Every problem the API can answer with has a sentence
//! in both languages; French follows the typography of `docs/glossary.md`; no table uses a
//! variant the glossary forbids.

use std::collections::BTreeMap;
use std::path::PathBuf;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A JavaScript string literal's body, unescaped (`\"`, `\\`, `\n`, `\uXXXX`).
fn unescape(body: &str) -> String {
    let mut out = String::new();
    let mut chars = body.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('u') => {
                let hex: String = chars.by_ref().take(4).collect();
                out.push(char::from_u32(u32::from_str_radix(&hex, 16).unwrap()).unwrap());
            }
            Some(other) => out.push(other),
            None => {}
        }
    }
    out
}

/// The `key: "value"` pairs of one line of a table (keys bare or quoted).
fn pairs(line: &str) -> Vec<(String, String)> {
    let mut out = vec![];
    let bytes: Vec<char> = line.chars().collect();
    let mut i = 0;
    let mut last_key: Option<String> = None;
    let mut word = String::new();
    while i < bytes.len() {
        let c = bytes[i];
        if c == '/' && bytes.get(i + 1) == Some(&'/') {
            break;
        }
        if c == '"' {
            let start = i + 1;
            let mut j = start;
            while j < bytes.len() && bytes[j] != '"' {
                if bytes[j] == '\\' {
                    j += 1;
                }
                j += 1;
            }
            let body: String = bytes[start..j.min(bytes.len())].iter().collect();
            // A quoted key is followed by ':'.
            let rest: String = bytes[(j + 1).min(bytes.len())..].iter().collect();
            if rest.trim_start().starts_with(':') && last_key.is_none() {
                last_key = Some(body);
            } else if let Some(key) = last_key.take() {
                out.push((key, unescape(&body)));
            }
            i = j + 1;
            word.clear();
            continue;
        }
        if c.is_alphanumeric() || c == '_' || c == '-' {
            word.push(c);
        } else if c == ':' && !word.is_empty() {
            last_key = Some(std::mem::take(&mut word));
        } else if !c.is_whitespace() {
            word.clear();
        }
        i += 1;
    }
    out
}

/// language → key → value, over every table of the pages.
fn page_tables() -> BTreeMap<&'static str, BTreeMap<String, (String, String)>> {
    let mut tables: BTreeMap<&'static str, BTreeMap<String, (String, String)>> = BTreeMap::new();
    let dir = root().join("frontend/js/i18n");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    for path in files {
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        let text = std::fs::read_to_string(&path).unwrap();
        let mut side: Option<&'static str> = match name.as_str() {
            "en.js" => Some("en"),
            "fr.js" => Some("fr"),
            _ => None,
        };
        let whole = side.is_some();
        for (n, line) in text.lines().enumerate() {
            if !whole {
                match line.trim_end() {
                    "  en: {" => side = Some("en"),
                    "  fr: {" => side = Some("fr"),
                    "  }," | "  }" => side = None,
                    _ => {}
                }
            }
            let Some(lang) = side else { continue };
            if line.trim_start().starts_with("//") {
                continue;
            }
            for (key, value) in pairs(line) {
                if key == "en" || key == "fr" {
                    continue;
                }
                let place = format!("{name}:{}", n + 1);
                tables.entry(lang).or_default().insert(key, (value, place));
            }
        }
    }
    tables
}

/// The text of every message of the French (or English) Fluent files, line by line, with
/// placeables and variant keys taken out: (place, text).
fn fluent_texts(lang: &str) -> Vec<(String, String)> {
    let mut out = vec![];
    let dir = root().join("policy/locales").join(lang);
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        for (n, line) in std::fs::read_to_string(&path).unwrap().lines().enumerate() {
            if line.starts_with('#') || line.trim().is_empty() {
                continue;
            }
            let mut text = line.trim_start();
            if let Some((key, value)) = text.split_once(" = ") {
                if !key.contains(' ') {
                    text = value;
                }
            }
            let text = text.trim_start_matches('}');
            let text = text.trim_start_matches('*');
            let text = match text.strip_prefix('[') {
                Some(rest) => rest.split_once(']').map_or(rest, |(_, t)| t),
                None => text,
            };
            out.push((format!("{name}:{}", n + 1), text.to_owned()));
        }
    }
    out
}

/// `{n}`, `{ $count }` and the start of a `{ $x ->` selector stand for one word.
fn without_placeables(text: &str) -> String {
    let mut out = String::new();
    let mut depth = 0;
    for c in text.chars() {
        match c {
            '{' => {
                depth += 1;
                if depth == 1 {
                    out.push('X');
                }
            }
            '}' if depth > 0 => depth -= 1,
            _ if depth > 0 => {}
            _ => out.push(c),
        }
    }
    out
}

/// What breaks the French typography of `docs/glossary.md` in `text`.
fn typography_faults(text: &str) -> Vec<String> {
    let text = without_placeables(text);
    let chars: Vec<char> = text.chars().collect();
    let mut faults = vec![];
    for (i, &c) in chars.iter().enumerate() {
        let prev = i.checked_sub(1).map(|p| chars[p]);
        let next = chars.get(i + 1).copied();
        match c {
            ':' | ';' | '!' | '?' => {
                // Only where the sign ends a clause: not "https://", "?next=", "23:59".
                let ends_clause = matches!(
                    next,
                    None | Some(' ' | '\u{a0}' | '\u{202f}' | '\n' | '»' | ')' | ',' | '.')
                );
                if ends_clause && prev.is_some() && prev != Some('\u{202f}') {
                    faults.push(format!("no narrow no-break space before '{c}'"));
                }
            }
            '«' if !matches!(next, Some('\u{a0}' | '\u{202f}')) => {
                faults.push("no no-break space after '«'".into())
            }
            '»' if !matches!(prev, Some('\u{a0}' | '\u{202f}')) => {
                faults.push("no no-break space before '»'".into())
            }
            '\'' => faults.push("a straight apostrophe (write ’)".into()),
            '"' => faults.push("a straight quote (write « »)".into()),
            _ => {}
        }
        if c == ':'
            && prev.is_some_and(|p| p.is_ascii_digit())
            && next.is_some_and(|n| n.is_ascii_digit())
        {
            faults.push("a time as 23:59 (write 23 h 59)".into());
        }
    }
    faults
}

/// The forbidden variants listed in `docs/glossary.md`, by language.
fn forbidden_variants() -> BTreeMap<&'static str, Vec<String>> {
    let glossary = std::fs::read_to_string(root().join("docs/glossary.md")).unwrap();
    let mut out: BTreeMap<&'static str, Vec<String>> = BTreeMap::new();
    let mut lang = None;
    for line in glossary.lines() {
        match line.trim() {
            "### French" => lang = Some("fr"),
            "### English" => lang = Some("en"),
            l if l.starts_with('#') => lang = None,
            l => {
                if let (Some(lang), Some(rest)) = (lang, l.strip_prefix("- `")) {
                    let variant = rest.split('`').next().unwrap();
                    out.entry(lang).or_default().push(variant.to_owned());
                }
            }
        }
    }
    out
}

#[test]
fn every_problem_the_api_can_return_has_a_sentence_in_both_languages() {
    let tables = page_tables();
    let (en, fr) = (&tables["en"], &tables["fr"]);
    let mut keys: Vec<String> = api::error::PROBLEM_TYPES
        .iter()
        .map(|slug| format!("problem_{}", slug.replace('-', "_")))
        .collect();
    keys.extend(
        api::error::NOT_FOUND_RESOURCES
            .iter()
            .map(|r| format!("problem_not_found_{}", r.replace(' ', "_"))),
    );
    let mut missing = vec![];
    for key in &keys {
        match (en.get(key), fr.get(key)) {
            (Some((en_text, _)), Some((fr_text, place))) => {
                assert!(
                    !en_text.trim().is_empty() && !fr_text.trim().is_empty(),
                    "{key} is empty"
                );
                assert_ne!(
                    en_text, fr_text,
                    "{key} ({place}) says the same in French as in English"
                );
            }
            (e, f) => missing.push(format!(
                "{key}: {}{}",
                if e.is_none() { "no English " } else { "" },
                if f.is_none() { "no French" } else { "" }
            )),
        }
    }
    assert!(
        missing.is_empty(),
        "problems without a sentence:\n{}",
        missing.join("\n")
    );
}

#[test]
fn both_languages_have_the_same_keys() {
    let tables = page_tables();
    let (en, fr) = (&tables["en"], &tables["fr"]);
    assert!(
        en.len() > 500,
        "only {} English strings were read",
        en.len()
    );
    let only_en: Vec<_> = en.keys().filter(|k| !fr.contains_key(*k)).collect();
    let only_fr: Vec<_> = fr.keys().filter(|k| !en.contains_key(*k)).collect();
    assert!(
        only_en.is_empty() && only_fr.is_empty(),
        "only English: {only_en:?}\nonly French: {only_fr:?}"
    );
}

#[test]
fn french_follows_the_typography_of_the_glossary() {
    let tables = page_tables();
    let mut faults = vec![];
    let mut checked = 0;
    for (key, (value, place)) in &tables["fr"] {
        checked += 1;
        for fault in typography_faults(value) {
            faults.push(format!("{place} {key}: {fault}: {value:?}"));
        }
    }
    for (place, text) in fluent_texts("fr") {
        checked += 1;
        for fault in typography_faults(&text) {
            faults.push(format!("{place}: {fault}: {text:?}"));
        }
    }
    assert!(checked > 600, "only {checked} strings were read");
    assert!(
        faults.is_empty(),
        "{} faults:\n{}",
        faults.len(),
        faults.join("\n")
    );
}

#[test]
fn no_table_uses_a_variant_the_glossary_forbids() {
    let variants = forbidden_variants();
    assert!(
        variants.get("fr").is_some_and(|v| v.len() >= 5),
        "{variants:?}"
    );
    let tables = page_tables();
    let mut found = vec![];
    for lang in ["en", "fr"] {
        let mut texts: Vec<(String, String)> = tables[lang]
            .iter()
            .map(|(key, (value, place))| (format!("{place} {key}"), value.clone()))
            .collect();
        texts.extend(fluent_texts(lang));
        for variant in variants.get(lang).into_iter().flatten() {
            for (place, text) in &texts {
                if text.contains(variant.as_str()) {
                    found.push(format!("{place}: {variant:?} in {text:?}"));
                }
            }
        }
    }
    // A French count after "seuls" needs its own sentence for one.
    for (key, (value, place)) in &tables["fr"] {
        if (value.contains("seuls {") || value.contains("seules {"))
            && !tables["fr"].contains_key(&format!("{key}_one"))
        {
            found.push(format!("{place} {key}: a plural with no `{key}_one` for 1"));
        }
    }
    assert!(found.is_empty(), "{}", found.join("\n"));
}

#[test]
fn the_checker_finds_what_it_should() {
    assert!(typography_faults("Date limite\u{202f}: {when}").is_empty());
    assert!(
        typography_faults("«\u{a0}Défis majeurs\u{a0}»\u{202f}; https://x.org/a?b=c").is_empty()
    );
    assert_eq!(typography_faults("Date limite : x").len(), 1);
    assert_eq!(typography_faults("Date limite: x").len(), 1);
    assert_eq!(typography_faults("Une question ?").len(), 1);
    assert_eq!(typography_faults("« x »").len(), 2);
    assert_eq!(typography_faults("l'avis").len(), 1);
    assert_eq!(typography_faults("à 23:59").len(), 1);
    assert_eq!(
        pairs(r#"  a: "x\u00a0y", "b-c": "d", e_f: "g\"h", // i: "j""#),
        vec![
            ("a".into(), "x\u{a0}y".into()),
            ("b-c".into(), "d".into()),
            ("e_f".into(), "g\"h".into())
        ]
    );
}

#[test]
fn the_french_mail_templates_follow_the_typography_of_the_glossary() {
    let dir = root().join("api/templates/mail");
    let mut faults = vec![];
    let mut checked = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        if !name.ends_with(".fr.txt") {
            continue;
        }
        checked += 1;
        let text = std::fs::read_to_string(&path).unwrap();
        for (n, line) in text.lines().enumerate() {
            for fault in typography_faults(line) {
                faults.push(format!("{name}:{}: {fault}: {line:?}", n + 1));
            }
        }
    }
    assert!(checked >= 6, "only {checked} French templates were read");
    assert!(faults.is_empty(), "{}", faults.join("\n"));
}

/// The English keys of one table file (`en.js`, or the `en` side of an area's `{ en, fr }`).
fn english_keys(file: &std::path::Path) -> std::collections::BTreeSet<String> {
    let text = std::fs::read_to_string(file).unwrap();
    let whole = file.ends_with("en.js");
    let mut inside = whole;
    let mut keys = std::collections::BTreeSet::new();
    for line in text.lines() {
        if !whole {
            match line.trim_end() {
                "  en: {" => inside = true,
                "  fr: {" | "  }," | "  }" => inside = false,
                _ => {}
            }
        }
        if inside && !line.trim_start().starts_with("//") {
            keys.extend(pairs(line).into_iter().map(|(key, _)| key));
        }
    }
    keys
}

/// The modules a module imports statically (`import … from "./x.js"`), as paths.
fn static_imports(module: &std::path::Path) -> Vec<PathBuf> {
    let text = std::fs::read_to_string(module).unwrap();
    text.lines()
        .filter(|line| line.starts_with("import "))
        .filter_map(|line| {
            let start = line.find('"')? + 1;
            let end = start + line[start..].find('"')?;
            let target = &line[start..end];
            target
                .starts_with('.')
                .then(|| module.parent().unwrap().join(target))
        })
        .map(|path| {
            // Resolve "..": the frontend tree has no links.
            let mut out = PathBuf::new();
            for part in path.components() {
                match part {
                    std::path::Component::ParentDir => {
                        out.pop();
                    }
                    other => out.push(other),
                }
            }
            out
        })
        .collect()
}

/// The keys a module asks for by name: `t("key"`.
fn keys_asked(module: &std::path::Path) -> Vec<String> {
    let text = std::fs::read_to_string(module).unwrap();
    let mut out = vec![];
    let mut rest = text.as_str();
    while let Some(at) = rest.find("t(\"") {
        let before = rest[..at].chars().last();
        rest = &rest[at + 3..];
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '.') {
            continue;
        }
        if let Some(end) = rest.find('"') {
            out.push(rest[..end].to_owned());
        }
    }
    out
}

#[test]
fn every_page_loads_the_tables_of_every_key_it_asks_for() {
    // Each page loads only the area tables its modules import (`addTables`): a key asked for by
    // a module whose page never loads that key's table would show as its bare name.
    let js = root().join("frontend/js");
    let base = english_keys(&js.join("i18n/en.js"));
    let mut faults = vec![];
    let mut pages: Vec<_> = std::fs::read_dir(js.join("pages"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    pages.sort();
    for page in pages {
        let mut seen = std::collections::BTreeSet::new();
        let mut stack = vec![page.clone()];
        let mut loaded = base.clone();
        let mut asked = vec![];
        while let Some(module) = stack.pop() {
            if !seen.insert(module.clone()) {
                continue;
            }
            for target in static_imports(&module) {
                if target.parent().is_some_and(|p| p.ends_with("i18n")) {
                    loaded.extend(english_keys(&target));
                } else if target.exists() {
                    stack.push(target);
                }
            }
            let name = module.strip_prefix(&js).unwrap().display().to_string();
            asked.extend(
                keys_asked(&module)
                    .into_iter()
                    .map(|key| (name.clone(), key)),
            );
        }
        for (module, key) in asked {
            if !loaded.contains(&key) {
                let page = page.file_name().unwrap().to_string_lossy();
                faults.push(format!(
                    "{page}: {module} asks for '{key}', whose table it does not load"
                ));
            }
        }
    }
    assert!(
        faults.is_empty(),
        "{} faults:\n{}",
        faults.len(),
        faults.join("\n")
    );
}
