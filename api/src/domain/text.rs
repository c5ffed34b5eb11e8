//! Text that people paste into forms (from Word, PDFs, job boards) can carry control characters
//! nobody sees: an escape, a vertical tab, a form feed. XML 1.0 cannot hold them, so a vacancy
//! title with one made the Word template unreadable (second adversarial review, finding 9).
//! They are removed where the text enters; line breaks and tabs stay.

/// `text` without control characters other than line feed and tab (a carriage return goes too:
/// lines end with line feeds), nor the two noncharacters XML forbids.
pub fn plain(text: &str) -> String {
    text.chars()
        .filter(|&c| {
            !(c.is_control() && c != '\n' && c != '\t') && c != '\u{FFFE}' && c != '\u{FFFF}'
        })
        .collect()
}

/// Every string in a JSON value made [`plain`], at any depth.
pub fn plain_json(value: &mut serde_json::Value) {
    match value {
        serde_json::Value::String(s) => *s = plain(s),
        serde_json::Value::Array(items) => items.iter_mut().for_each(plain_json),
        serde_json::Value::Object(map) => map.values_mut().for_each(plain_json),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_go_and_line_breaks_and_tabs_stay() {
        let cases = [
            ("Key\u{1b}[31m challenges", "Key[31m challenges"),
            ("a\u{1}b\u{7f}c\u{85}d", "abcd"),
            ("line one\r\nline two\tend", "line one\nline two\tend"),
            ("x\u{FFFE}y\u{FFFF}", "xy"),
            ("Défis « majeurs » – 2027", "Défis « majeurs » – 2027"),
        ];
        for (given, expected) in cases {
            assert_eq!(plain(given), expected, "{given:?}");
        }
    }
}
