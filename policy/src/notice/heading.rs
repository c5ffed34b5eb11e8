//! The notice's heading: its reference, title and posts ("… (2 posts) & …"), and the
//! post codes it lists.

use super::english_part;
use super::text::clean;

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
re!(re_posts_marker, r"(?i)\s*\(\s*\d+\s+posts?\s*\)");
re!(re_post_code, r"\(([A-Z]{3,5}\d{4})\)");

/// A value read from a notice, with the line or sentence it came from.
type Found<T> = Option<(T, String)>;

pub(super) fn find_reference_and_title(lines: &[String]) -> (Found<String>, Found<String>) {
    for line in lines.iter().take(60).filter(|l| l.len() < 200) {
        for re in [re_ref_parenthesised(), re_ref_dash()] {
            if let Some(c) = re.captures(line) {
                let title = line[..c.get(0).map_or(0, |m| m.start())]
                    .trim()
                    .trim_end_matches([' ', '-', '–', ','])
                    .to_string();
                let reference = (c[1].to_string(), line.clone());
                let title = (!title.is_empty() && title.chars().any(char::is_alphabetic))
                    .then(|| (clean(&title), line.clone()));
                return (Some(reference), title);
            }
        }
        // "251760 — Policy Officer (Partnerships)": the reference leads the title line.
        if let Some(c) = re_ref_leading().captures(line) {
            let title = c[2].trim().to_string();
            if title.chars().filter(|c| c.is_alphabetic()).count() >= 3 {
                return (
                    Some((c[1].to_string(), line.clone())),
                    Some((clean(&title), line.clone())),
                );
            }
        }
    }
    let reference = lines.iter().find_map(|line| {
        let c = re_ref_requisition()
            .captures(line)
            .or_else(|| re_ref_labelled().captures(line))?;
        let number = c.iter().skip(1).flatten().next()?.as_str().to_string();
        Some((number, line.clone()))
    });
    (reference, find_plain_title(lines))
}

/// The first short line that reads like a job title, skipping a site's chrome.
fn find_plain_title(lines: &[String]) -> Option<(String, String)> {
    lines.iter().take(15).find_map(|line| {
        let lower = line.to_lowercase();
        let words = line.split_whitespace().count();
        let letters: Vec<char> = line.chars().filter(|c| c.is_alphabetic()).collect();
        let shouting = letters.iter().all(|c| c.is_uppercase());
        let chrome = [
            "job posting",
            "website",
            "http",
            "vacancy notification",
            "apply",
        ]
        .iter()
        .any(|w| lower.contains(w));
        let ok = (1..=12).contains(&words)
            && letters.len() >= 3
            && !shouting
            && !chrome
            && !line.ends_with(['.', ':', ';']);
        ok.then(|| (clean(line), line.clone()))
    })
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
