//! The notice's text as lines and sentences: wrapped paragraphs joined, sentences split
//! where "max. 2 pages" stays whole, whitespace and OCR apostrophes tidied.

// A list item's marker: a bullet, "1." / "1)" / "(1)", "a)" / "(a)" / "a.", "(i)" / "ii.".
re!(
    pub(super) re_list_marker,
    r"^(?:[•·\-\*\+«»▪◦‣–➢►✓✔→\u{F0B7}]|\(?\d{1,2}[.)]|\(\d{1,2}\)|\d{1,2}\s+[-–]|\(?[a-z][.)]|\([a-z]\)|[A-Z]\)|\([A-Z]\)|\(?(?:i|ii|iii|iv|v|vi|vii|viii|ix|x)[.)]|\((?:i|ii|iii|iv|v|vi|vii|viii|ix|x)\))\s+"
);

re!(re_short_label_line, r"^[\p{L}][\p{L}\s#./()&-]{1,40}:\s*\S");

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
        // A short "Label: value" line ("Deadline for applications: 22/01/2027 at 12:00
        // midday (Brussels time)") is complete even without a full stop.
        let labelled =
            re_short_label_line().is_match(&current) && current.split_whitespace().count() <= 14;
        let continues = !current.is_empty()
            && !labelled
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
        apply(?:\s+now)?(?:\s+apply\s+later)? | apply\s+later | easy\s+apply | apply\s+for\s+this\s+(?:job|position) |
        sign\s+in\s+to\s+apply | save(?:\s+(?:job|this\s+job))? | saved | unsave |
        share(?:\s+(?:job|this\s+job))? | share\s+(?:on|via)\s+(?:linkedin|facebook|x|twitter|e-?mail|whatsapp) |
        report(?:\s+(?:job|this\s+job))? | print | print\s+this\s+job | follow | follow\s+us(?:\s+on\s+[\w\s]{1,20})? | promoted |
        job\s+alert | create\s+(?:a\s+)?job\s+alert | set\s+up\s+job\s+alert |
        back\s+to\s+(?:search|search\s+results|jobs|all\s+jobs|results) | skip\s+to\s+(?:main\s+)?content |
        show\s+(?:more|less) | see\s+more | menu | home | jobs | sign\s+in | log\s+in | login | register |
        (?:re)?posted\s+(?:on\s+)?\d{1,2}[-/.\s][\p{L}\d]+[-/.\s]\d{2,4} |
        (?:(?:re)?posted\s+)?(?:\d+\+?|an?|one)\s+(?:minute|min|hour|day|week|month)s?\s+ago |
        \d+\+?\s+(?:minuut|minuten|uur|dag|dagen|week|weken|maand|maanden)\s+geleden |
        il\s+y\s+a\s+\d+\+?\s+(?:minutes?|heures?|jours?|semaines?|mois) |
        vor\s+\d+\+?\s+(?:minuten?|stunden?|tag(?:en)?|wochen?|monat(?:en)?) |
        hace\s+\d+\+?\s+(?:minutos?|horas?|d[ií]as?|semanas?|mes(?:es)?) |
        (?:(?:re)?posted\s+)?(?:today|yesterday|just\s+posted) | vandaag | gisteren |
        (?:over\s+)?\d+\+?\s+applicants | be\s+an\s+early\s+applicant | actively\s+recruiting |
        this\s+job\s+posting\s+isn['’]t\s+available\s+in\s+all\s+website\s+languages |
        (?:accept|reject|allow|decline)(?:\s+all)?(?:\s+cookies)? | cookie\s+(?:settings|preferences|policy) |
        manage\s+(?:cookie\s+)?(?:preferences|settings|cookies) | got\s+it |
        job\s+stats:.* | [\p{So}\p{Sk}\s]+
    )[.:!]?$"
);
re!(
    re_furniture_tail,
    r"(?i)^(?:other\s+job\s+recommendations|more\s+jobs\s+like\s+this|similar\s+jobs|recommended\s+jobs|people\s+also\s+viewed|jobs\s+you\s+may\s+like)\s*:?$"
);
re!(
    re_cookie_banner,
    r"(?i)\b(?:we|this\s+(?:site|website))\s+uses?\s+cookies\b|\bcookies?\b.{0,80}\b(?:consent|accept|privacy\s+policy|cookie\s+policy|preferences)\b"
);
re!(
    re_menu_item,
    r"(?i)^(?:home|jobs|careers|job\s+search|search\s+jobs|find\s+jobs|vacancies|menu|sign\s+in|log\s+in|login|register|my\s+account)$"
);
re!(re_ansi_escape, r"\x1b(?:\[[0-?]*[ -/]*[@-~]|[@-Z\\-_])");

/// The text with control characters left out (ANSI colour codes whole), keeping line
/// breaks and tabs; a carriage return ends a line. Pasted text from terminals, PDFs and
/// old systems carries them, and a candidate's page must never show them.
pub fn strip_control_characters(text: &str) -> String {
    let text = re_ansi_escape().replace_all(text, "");
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    text.chars()
        .filter(|&c| c == '\n' || c == '\t' || !(c.is_control() || c == '\u{feff}'))
        .collect()
}

/// A job board's menu or breadcrumb line: "Home | Jobs | Belgium | Policy Officer", "Home
/// › Careers". It starts with a menu item and every part is a few words without sentence
/// punctuation; a title line with a reference ("Policy Officer | 251760") is not one.
fn is_menu_line(line: &str) -> bool {
    let parts: Vec<&str> = line
        .split(['|', '›', '»', '>'])
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect();
    parts.len() >= 2
        && re_menu_item().is_match(parts[0])
        && parts.iter().all(|p| {
            p.split_whitespace().count() <= 4
                && !p
                    .chars()
                    .any(|c| c.is_ascii_digit() || matches!(c, '.' | ',' | ';'))
        })
}

/// A cookie banner's sentence: "We use cookies to improve your experience…". No notice
/// states its rules in a sentence about cookies.
fn is_cookie_banner(line: &str) -> bool {
    line.chars().count() <= 400 && re_cookie_banner().is_match(line)
}

/// The notice without the job board's page furniture that pasted notices carry: menus
/// and breadcrumbs ("Home | Jobs"), buttons ("Apply now", "Save job", "Share this job"),
/// ages ("1 dag geleden", "3 days ago"), cookie banners, lone icons, "Other Job
/// Recommendations" headings, and everything from such a heading on once the notice
/// has begun (other employers' jobs); control characters too. Only whole lines that are
/// furniture go: a sentence of the notice is never cut. Blank lines are kept, so that
/// paragraphs stay apart.
pub fn strip_page_furniture(text: &str) -> String {
    let text = strip_control_characters(text);
    let mut out: Vec<&str> = vec![];
    let mut seen = 0;
    for line in text.lines() {
        let trimmed = line.trim();
        if re_furniture_tail().is_match(trimmed) {
            // Only after the notice itself: a heading near the top is never the tail.
            if seen > 400 {
                break;
            }
            continue;
        }
        let furniture = !trimmed.is_empty()
            && (re_furniture_line().is_match(trimmed)
                || is_menu_line(trimmed)
                || is_cookie_banner(trimmed));
        if furniture {
            continue;
        }
        seen += trimmed.len();
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
