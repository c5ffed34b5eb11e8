//! The notice's text as lines and sentences: wrapped paragraphs joined, sentences split
//! where "max. 2 pages" stays whole, whitespace and OCR apostrophes tidied.

re!(pub(super) re_list_marker, r"^(?:[•·\-\*\+«»▪◦‣–]|\d{1,2}[.)])\s+");

/// Lines with wrapped paragraphs joined: a long line that does not end a sentence
/// continues on the next, unless the next starts a list item.
pub(super) fn logical_lines(text: &str) -> Vec<String> {
    let mut out: Vec<String> = vec![];
    let mut current = String::new();
    for raw in text.lines() {
        let line = raw.trim();
        if line.is_empty() {
            if !current.is_empty() {
                out.push(std::mem::take(&mut current));
            }
            out.push(String::new());
            continue;
        }
        let continues = !current.is_empty()
            && current.chars().count() >= 60
            && !current.ends_with(['.', ';', ':', '!', '?'])
            && !re_list_marker().is_match(line);
        if continues {
            current.push(' ');
            current.push_str(line);
        } else {
            if !current.is_empty() {
                out.push(std::mem::take(&mut current));
            }
            current.push_str(line);
        }
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

/// Sentences of the logical lines: a line splits after ". " (or "? ", "! ") followed by
/// a capital, which keeps "max. 2 pages" whole.
pub(super) fn sentences(lines: &[String]) -> Vec<String> {
    let mut out = vec![];
    for line in lines.iter().filter(|l| !l.is_empty()) {
        let chars: Vec<char> = line.chars().collect();
        let mut start = 0;
        for i in 0..chars.len() {
            let ends = matches!(chars[i], '.' | '?' | '!')
                && chars.get(i + 1).is_some_and(|c| c.is_whitespace())
                && chars.get(i + 2).is_some_and(|c| c.is_uppercase());
            if ends {
                out.push(
                    chars[start..=i]
                        .iter()
                        .collect::<String>()
                        .trim()
                        .to_string(),
                );
                start = i + 1;
            }
        }
        let rest: String = chars[start..].iter().collect();
        if !rest.trim().is_empty() {
            out.push(rest.trim().to_string());
        }
    }
    out
}

pub(super) fn collapse(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Undoes the doubled apostrophes of OCR ("SACEUR'’s") and collapses whitespace.
pub(super) fn clean(text: &str) -> String {
    collapse(&text.replace("'’", "’").replace("’'", "’"))
}
