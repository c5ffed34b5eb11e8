//! Telling the English part of a bilingual notice from the French that follows it, by
//! function words.

const FRENCH_WORDS: &[&str] = &[
    "le", "la", "les", "des", "du", "de", "et", "pour", "une", "un", "est", "sont", "dans", "sur",
    "aux", "au", "qui", "que", "ses", "leur", "avec", "par", "d", "l", "qu",
];
const ENGLISH_WORDS: &[&str] = &[
    "the", "and", "of", "to", "for", "with", "in", "is", "are", "on", "by", "as", "will", "be",
    "this", "that", "an",
];

fn word_counts(line: &str) -> (usize, usize) {
    let lower = line.to_lowercase();
    let words = lower.split(|c: char| !c.is_alphabetic());
    let (mut en, mut fr) = (0, 0);
    for w in words.filter(|w| !w.is_empty()) {
        if ENGLISH_WORDS.contains(&w) {
            en += 1;
        }
        if FRENCH_WORDS.contains(&w) {
            fr += 1;
        }
    }
    (en, fr)
}

/// The English part of a notice: everything before the first clearly French line that
/// follows a substantial English part (a bilingual letterhead at the top is kept).
pub fn english_part(text: &str) -> &str {
    let mut english_seen = 0;
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let (en, fr) = word_counts(line);
        if english_seen >= 40 && fr >= 2 && fr > 2 * en {
            return &text[..offset];
        }
        english_seen += en;
        offset += line.len();
    }
    text
}
