//! Plain text of the laid-out blocks: the capped excerpt and the first words of each page.

use super::model::{Block, Item};
use crate::TEXT_EXCERPT_CAP;

/// Appends the text of `blocks` to `out` (tabs and line breaks kept, a newline after each
/// paragraph, table cells in reading order), up to [`TEXT_EXCERPT_CAP`] bytes.
pub fn push_text_excerpt(blocks: &[Block], out: &mut String) {
    for b in blocks {
        if out.len() >= TEXT_EXCERPT_CAP {
            return;
        }
        match b {
            Block::Para(p) => {
                for it in &p.items {
                    match it {
                        Item::Text(t, _) => {
                            for c in t.chars() {
                                if out.len() >= TEXT_EXCERPT_CAP {
                                    return;
                                }
                                out.push(c);
                            }
                        }
                        Item::Tab(_) => out.push('\t'),
                        Item::LineBreak(_) => out.push('\n'),
                        Item::Image { .. } | Item::NoteRef { .. } => {}
                    }
                }
                out.push('\n');
            }
            Block::Table(t) => {
                for r in &t.rows {
                    for c in &r.cells {
                        push_text_excerpt(&c.blocks, out);
                    }
                }
            }
            _ => {}
        }
    }
}

/// The first `n` words of `s`, separated by single spaces.
pub fn first_words(s: &str, n: usize) -> String {
    let mut out: Vec<&str> = s.split_whitespace().take(n).collect();
    if out.is_empty() {
        out.push("");
    }
    out.join(" ")
}
