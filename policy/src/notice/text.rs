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

re!(
    re_furniture_line,
    r"(?ix)^(?:
        apply(?:\s+now)?(?:\s+apply\s+later)? | apply\s+later | easy\s+apply | save(?:\s+(?:job|this\s+job))? |
        saved | share(?:\s+(?:job|this\s+job))? | report(?:\s+(?:job|this\s+job))? | print |
        (?:posted\s+)?(?:\d+\+?|an?|one)\s+(?:minute|min|hour|day|week|month)s?\s+ago |
        \d+\+?\s+(?:minuut|minuten|uur|dag|dagen|week|weken|maand|maanden)\s+geleden |
        il\s+y\s+a\s+\d+\+?\s+(?:minutes?|heures?|jours?|semaines?|mois) |
        (?:posted\s+)?(?:today|yesterday|just\s+posted) | vandaag | gisteren |
        this\s+job\s+posting\s+isn['’]t\s+available\s+in\s+all\s+website\s+languages |
        job\s+stats:.* | [\p{So}\p{Sk}\s]+
    )[.:!]?$"
);
re!(
    re_furniture_tail,
    r"(?i)^(?:other\s+job\s+recommendations|more\s+jobs\s+like\s+this|similar\s+jobs|recommended\s+jobs|people\s+also\s+viewed|jobs\s+you\s+may\s+like)\s*:?$"
);

/// The notice without the job board's page furniture that pasted notices carry: buttons
/// ("Apply", "Save job", "Share"), ages ("1 dag geleden", "3 days ago"), lone icons, and
/// everything from "Other Job Recommendations" or "More jobs like this" on (other
/// employers' jobs). Blank lines are kept, so that paragraphs stay apart.
pub fn strip_page_furniture(text: &str) -> String {
    let mut out: Vec<&str> = vec![];
    let mut seen = 0;
    for line in text.lines() {
        let trimmed = line.trim();
        // Only after the notice itself: a heading near the top is never the tail.
        if seen > 400 && re_furniture_tail().is_match(trimmed) {
            break;
        }
        seen += trimmed.len();
        if !trimmed.is_empty() && re_furniture_line().is_match(trimmed) {
            continue;
        }
        let blank_again =
            trimmed.is_empty() && out.last().is_none_or(|l: &&str| l.trim().is_empty());
        if !blank_again {
            out.push(line.trim_end());
        }
    }
    while out.last().is_some_and(|l| l.trim().is_empty()) {
        out.pop();
    }
    let mut text = out.join("\n");
    text.push('\n');
    text
}
