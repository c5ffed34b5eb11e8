//! The notice's heading: its reference, title and posts ("… (2 posts) & …"), and the
//! post codes it lists.

use super::english_part;
use super::text::clean;
use super::Confidence;

re!(re_ref_parenthesised, r"\((\d{6})\)\s*$");
re!(re_ref_dash, r"[-–—|]\s*(\d{6})\s*$");
re!(re_ref_leading, r"^(\d{6})\s*[-–—|:]\s*(\S.*)$");
re!(
    re_ref_requisition,
    r"(?i)(?:(\d{6})\s+Requisition\s*#|Requisition\s*(?:#|No\.?|number)?\s*:?\s*(\d{6})\b)"
);
re!(
    re_ref_labelled,
    r"(?i)\b(?:vacancy\s+)?ref(?:erence|\.)?(?:\s+(?:number|no\.?))?\s*[:#]?\s*(\d{6})\b"
);
re!(
    re_ref_label,
    r"(?ix)^(?:
        vacancy\s+(?:notice\s+)?(?:number|no\.?|n[°º]|id|ref(?:erence|\.)?)(?:\s+(?:number|no\.?))? |
        vacancy\s+notice | (?-i:VN)(?:\s+(?:no\.?|n[°º]))? |
        ref(?:erence)?(?:\s+(?:number|no\.?|n[°º]|code))? | ref\. |
        job\s+(?:opening\s+)?(?:id|number|no\.?|code|reference|\#) |
        (?:job\s+)?requisition\s*(?:id|number|no\.?|\#) | req\s*\# |
        post\s+(?:number|no\.?|n[°º]) | position\s+(?:number|no\.?|id) |
        posting\s+(?:number|id) | competition\s+(?:number|reference)
    )\s*[:\#.]?\s*(?:(?P<value>[\p{L}\d][\p{L}\d/_.\-]*[\p{L}\d])\s*(?:[|,;(].*)?)?$"
);
re!(re_ref_value, r"^[\p{L}\d][\p{L}\d/_.\-]*[\p{L}\d]$");
re!(re_posts_marker, r"(?i)\s*\(\s*\d+\s+posts?\s*\)");
re!(re_post_code, r"\(([A-Z]{3,5}\d{4})\)");

/// A value read from a notice, with the line or sentence it came from and how sure.
type Found<T> = Option<(T, String, Confidence)>;

re!(
    re_title_label,
    r"(?i)^(?:job|position|post|vacancy)?\s*title\s*:\s*(\S.{2,150})$"
);

/// "Job Title: Senior Protection Officer": the title under its own label.
fn labelled_title(lines: &[String]) -> Found<String> {
    lines.iter().take(40).find_map(|line| {
        let c = re_title_label().captures(line.trim())?;
        Some((clean(&c[1]), line.clone(), Confidence::High))
    })
}

pub(super) fn find_reference_and_title(lines: &[String]) -> (Found<String>, Found<String>) {
    // A "Label: value" line ("Vacancy Notice Number: 2027/0123 (273456)") is no title line.
    let title_lines = lines
        .iter()
        .take(60)
        .filter(|l| l.len() < 200 && !re_label_line().is_match(l));
    for line in title_lines {
        for re in [re_ref_parenthesised(), re_ref_dash()] {
            if let Some(c) = re.captures(line) {
                let title = line[..c.get(0).map_or(0, |m| m.start())]
                    .trim()
                    .trim_end_matches([' ', '-', '–', ','])
                    .to_string();
                let reference = (c[1].to_string(), line.clone(), Confidence::High);
                let title = (!title.is_empty() && title.chars().any(char::is_alphabetic))
                    .then(|| (clean(&title), line.clone(), Confidence::High));
                return (Some(reference), title);
            }
        }
        // "251760 — Policy Officer (Partnerships)": the reference leads the title line.
        if let Some(c) = re_ref_leading().captures(line) {
            let title = c[2].trim().to_string();
            if title.chars().filter(|c| c.is_alphabetic()).count() >= 3 {
                return (
                    Some((c[1].to_string(), line.clone(), Confidence::High)),
                    Some((clean(&title), line.clone(), Confidence::High)),
                );
            }
        }
    }
    let reference = find_labelled_reference(lines).or_else(|| {
        lines.iter().find_map(|line| {
            // "241167 Requisition #" is the portal's own label; "Ref. 251760" anywhere in a
            // line is a label, but not at the line's start.
            let (c, sure) = match re_ref_requisition().captures(line) {
                Some(c) => (c, Confidence::High),
                None => (re_ref_labelled().captures(line)?, Confidence::Medium),
            };
            let number = c.iter().skip(1).flatten().next()?.as_str().to_string();
            Some((number, line.clone(), sure))
        })
    });
    let title = labelled_title(lines).or_else(|| find_plain_title(lines));
    (reference, title)
}

/// A reference is a token of letters, digits and `/ _ . -` with at least one digit:
/// "245871", "COM/2027/10452", "req30512", "VNSECS02115".
fn is_reference(token: &str) -> bool {
    (3..=40).contains(&token.chars().count())
        && token.chars().any(|c| c.is_ascii_digit())
        && re_ref_value().is_match(token)
}

/// A reference under a label at the start of a line, "Vacancy number: 270012", "Job
/// Opening ID: 245871", "VN: 2027/TA/014", "Post number: 1095872", "Job #: req30512",
/// "Vacancy notice n° e12/2027", or the label alone with the value on the next line
/// ("Reference number" / "412983"). The evidence is the label's line (and the value's).
fn find_labelled_reference(lines: &[String]) -> Found<String> {
    let non_empty: Vec<&String> = lines.iter().filter(|l| !l.trim().is_empty()).collect();
    for (i, line) in non_empty.iter().enumerate() {
        let line = line.trim();
        if line.len() > 120 {
            continue;
        }
        let Some(c) = re_ref_label().captures(line) else {
            continue;
        };
        match c.name("value") {
            Some(value) if is_reference(value.as_str()) => {
                return Some((
                    value.as_str().to_string(),
                    line.to_string(),
                    Confidence::High,
                ));
            }
            Some(_) => continue,
            None => {
                let next = non_empty.get(i + 1).map(|l| l.trim());
                if let Some(next) = next.filter(|n| is_reference(n)) {
                    return Some((next.to_string(), format!("{line} {next}"), Confidence::High));
                }
            }
        }
    }
    None
}

re!(
    re_job_noun,
    r"(?i)\b(?:officer|head|adviser|advisor|economist|specialist|director|architect|analyst|manager|assistant|secretary|expert|engineer|co-?ordinator|consultant|chief|counsell?or|administrator|lawyer|legal\s+officer|translator|interpreter|scientist|researcher|developer|auditor|accountant|associate|intern|attach[ée]|representative|leader|principal|deputy|clerk|technician|editor|statistician|inspector|controller|planner|commander)s?\b"
);
re!(re_label_line, r"^[\p{L}][\p{L}\s#./()&-]{1,40}:\s*\S");

/// The first short line that reads like a job title, skipping a site's chrome and
/// "Label: value" lines: the first that names a job ("Officer", "Head", "Adviser"…),
/// else the first of all (an organisation's letterhead names no job), with less confidence.
fn find_plain_title(lines: &[String]) -> Found<String> {
    let candidates: Vec<(String, String)> = lines
        .iter()
        .take(15)
        .filter(|line| !re_label_line().is_match(line) && re_ref_label().captures(line).is_none())
        .filter_map(|line| plain_title(line))
        .collect();
    let named_job = candidates
        .iter()
        .find(|(title, _)| re_job_noun().is_match(title))
        .map(|(t, e)| (t.clone(), e.clone(), Confidence::Medium));
    named_job.or_else(|| {
        candidates
            .first()
            .map(|(t, e)| (t.clone(), e.clone(), Confidence::Low))
    })
}

fn plain_title(line: &str) -> Option<(String, String)> {
    let lower = line.to_lowercase();
    let words = line.split_whitespace().count();
    let letters: Vec<char> = line.chars().filter(|c| c.is_alphabetic()).collect();
    let shouting = letters.iter().all(|c| c.is_uppercase());
    let chrome = [
        "job posting",
        "website",
        "http",
        "vacancy notification",
        "vacancy notice",
        "apply",
    ]
    .iter()
    .any(|w| lower.contains(w));
    let ok = (1..=12).contains(&words)
        && letters.len() >= 3
        && !shouting
        && !chrome
        && !line.ends_with(['.', ':', ';']);
    ok.then(|| (clean(line), line.to_string()))
}

pub(super) fn split_posts(title: &str) -> Vec<String> {
    if re_posts_marker().is_match(title) {
        title
            .split('&')
            .map(|part| clean(&re_posts_marker().replace_all(part, "")))
            .filter(|p| !p.is_empty())
            .collect()
    } else {
        vec![title.to_string()]
    }
}

/// The post codes a notice lists, e.g. "(PASP0109)".
pub fn post_codes(text: &str) -> Vec<String> {
    let mut codes: Vec<String> = vec![];
    for c in re_post_code().captures_iter(english_part(text)) {
        if !codes.contains(&c[1].to_string()) {
            codes.push(c[1].to_string());
        }
    }
    codes
}
