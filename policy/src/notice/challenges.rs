//! The key challenges a notice lists for the essay, after a line such as "… key
//! challenges:".

use super::text::{clean, re_list_marker};

pub(super) fn find_key_challenges(lines: &[String]) -> Option<(Vec<String>, String)> {
    let intro = lines
        .iter()
        .position(|l| l.to_lowercase().contains("key challenges") && l.trim_end().ends_with(':'))?;
    let mut items = vec![];
    for line in &lines[intro + 1..] {
        if line.is_empty() {
            continue;
        }
        let Some(marker) = re_list_marker().find(line) else {
            break;
        };
        let item = clean(&line[marker.end()..]);
        let item = item
            .trim_end_matches([';', ',', '.', ' '])
            .trim_end_matches(" and")
            .trim_end_matches([';', ',', ' '])
            .to_string();
        if !item.is_empty() {
            items.push(item);
        }
    }
    Some((items, clean(&lines[intro])))
}
