//! The key challenges a notice lists for the essay: after a line such as "… key
//! challenges:" or under a heading ("KEY CHALLENGES", "Main challenges"), as bullets,
//! numbered ("1.", "2)") or lettered ("a)", "(b)", "c.", "(i)") items, or inline in one
//! sentence ("The key challenges are: (a) …; (b) …; and (c) …").

use super::text::{clean, re_list_marker};

re!(
    re_challenges,
    r"(?i)\b(?:key|main|principal|major|specific)\s+(?:\([^)]*\)\s+)?challenges\b|\bchallenges\b"
);
// A heading: "Key challenges", "4. KEY CHALLENGES", "Key challenges of the role".
re!(
    re_heading,
    r"(?i)^(?:\d{1,2}[.)]\s*)?(?:the\s+)?(?:key|main|principal|major)\s+challenges(?:\s+(?:of|for|in)\s+[\w\s-]{1,40})?\s*:?$"
);
// Inline items: "(a) …; (b) …" or "a) …; b) …" or "(i) …".
re!(
    re_inline_marker,
    r"(?:^|[\s:;,])\(?(?:[a-h]|i{1,3}|iv|v|vi{0,3}|\d)\)\s+"
);

fn tidy(item: &str) -> String {
    let item = clean(item);
    item.trim_end_matches([';', ',', '.', ' '])
        .trim_end_matches(" and")
        .trim_end_matches(" or")
        .trim_end_matches([';', ',', ' '])
        .trim_start_matches("and ")
        .to_string()
}

/// The items of an inline list after the intro's colon, when there are at least two.
fn inline_items(text: &str) -> Vec<String> {
    let starts: Vec<(usize, usize)> = re_inline_marker()
        .find_iter(text)
        .map(|m| (m.start(), m.end()))
        .collect();
    if starts.len() < 2 {
        return vec![];
    }
    let mut items = vec![];
    for (i, (_, end)) in starts.iter().enumerate() {
        let stop = starts.get(i + 1).map_or(text.len(), |(s, _)| *s);
        let item = tidy(&text[*end..stop]);
        if !item.is_empty() {
            items.push(item);
        }
    }
    items
}

/// The list items right after `lines[intro]`, skipping blank lines, up to the first line
/// that is not an item.
fn items_after(lines: &[String], intro: usize) -> Vec<String> {
    let mut items = vec![];
    for line in &lines[intro + 1..] {
        if line.is_empty() {
            continue;
        }
        let Some(marker) = re_list_marker().find(line) else {
            break;
        };
        let item = tidy(&line[marker.end()..]);
        if !item.is_empty() {
            items.push(item);
        }
    }
    items
}

/// The key challenges and the line that introduces them. A line ending with a colon
/// ("… will include:") is the list's intro even when no item follows (the published
/// page lost them); a heading without a colon only counts when items follow it.
pub(super) fn find_key_challenges(lines: &[String]) -> Option<(Vec<String>, String)> {
    for (index, line) in lines.iter().enumerate() {
        let trimmed = line.trim_end();
        if !re_challenges().is_match(trimmed) {
            continue;
        }
        // Inline: "The key challenges are: (a) …; (b) …".
        if let Some(colon) = trimmed.find(':') {
            let inline = inline_items(&trimmed[colon + 1..]);
            if !inline.is_empty() {
                return Some((inline, clean(trimmed)));
            }
        }
        let key = trimmed.to_lowercase().contains("challenges")
            && (trimmed.to_lowercase().contains("key")
                || trimmed.to_lowercase().contains("main")
                || trimmed.to_lowercase().contains("following"));
        if key && trimmed.ends_with(':') {
            return Some((items_after(lines, index), clean(trimmed)));
        }
        if re_heading().is_match(trimmed) {
            let items = items_after(lines, index);
            if !items.is_empty() {
                return Some((items, clean(trimmed)));
            }
            // The heading's paragraph may hold the list inline.
            if let Some(next) = lines[index + 1..].iter().find(|l| !l.is_empty()) {
                if let Some(colon) = next.find(':') {
                    let inline = inline_items(&next[colon + 1..]);
                    if !inline.is_empty() {
                        return Some((inline, clean(next)));
                    }
                }
            }
        }
    }
    None
}
