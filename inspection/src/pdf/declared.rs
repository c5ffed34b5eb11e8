//! The number of objects a PDF declares, read from its bytes before it is parsed.

// Every PDF upload is scanned, up to the size limit: memchr's substring search, not a window
// compare at each byte.
use memchr::memmem::{find, rfind};

/// How many objects the file declares, read from its bytes without parsing it: each top-level
/// `N G obj` header, plus the `/N` count of each object stream (`/Type /ObjStm`), whose members
/// are hidden inside compressed data. A repairing parser finds no more objects than these.
pub(crate) fn declared_object_count(bytes: &[u8]) -> usize {
    let mut count = 0usize;
    let mut at = 0;
    while let Some(found) = find(&bytes[at..], b"obj") {
        let start = at + found;
        at = start + 3;
        let ends_word = bytes.get(at).is_none_or(|b| !b.is_ascii_alphanumeric());
        if ends_word && preceded_by_object_number(&bytes[..start]) {
            count = count.saturating_add(1);
        }
    }
    let mut at = 0;
    while let Some(found) = find(&bytes[at..], b"/ObjStm") {
        let start = at + found;
        at = start + 7;
        // The stream's dictionary: back to its `<<`, on to its `stream` keyword (bounded, so
        // a file full of decoys costs linear time).
        let from = start.saturating_sub(1024);
        let dict_start = rfind(&bytes[from..start], b"<<").map_or(from, |i| from + i);
        let until = (at + 1024).min(bytes.len());
        let dict_end = find(&bytes[at..until], b"stream").map_or(until, |i| at + i);
        if let Some(n) = integer_after_key(&bytes[dict_start..dict_end], b"/N") {
            count = count.saturating_add(n);
        }
        at = at.max(dict_end);
    }
    count
}

/// Whether `before` ends with `<digits> <digits> ` (an object header's number and generation).
fn preceded_by_object_number(before: &[u8]) -> bool {
    let mut rest = before;
    for _ in 0..2 {
        let spaces = rest
            .iter()
            .rev()
            .take_while(|b| b.is_ascii_whitespace())
            .count();
        if spaces == 0 {
            return false;
        }
        rest = &rest[..rest.len() - spaces];
        let digits = rest.iter().rev().take_while(|b| b.is_ascii_digit()).count();
        if digits == 0 {
            return false;
        }
        rest = &rest[..rest.len() - digits];
    }
    true
}

/// The direct integer value of `key` in a dictionary's bytes (`/N 400000`), not of a longer
/// name that starts the same (`/Names`).
fn integer_after_key(dict: &[u8], key: &[u8]) -> Option<usize> {
    let mut at = 0;
    while let Some(found) = find(&dict[at..], key) {
        let after = at + found + key.len();
        at = after;
        let rest = &dict[after..];
        let spaces = rest.iter().take_while(|b| b.is_ascii_whitespace()).count();
        let digits = &rest[spaces..];
        let digits = &digits[..digits.iter().take_while(|b| b.is_ascii_digit()).count()];
        let name_ended = rest.first().is_some_and(|b| !b.is_ascii_alphanumeric());
        if name_ended && !digits.is_empty() {
            // A number too large for usize declares more than any limit: saturate.
            return Some(digits.iter().fold(0usize, |n, d| {
                n.saturating_mul(10).saturating_add(usize::from(d - b'0'))
            }));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn declared_objects_are_counted_from_headers_and_object_streams() {
        let cases: &[(&[u8], usize)] = &[
            (
                b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n2 0 obj <<>> endobj\n%%EOF",
                2,
            ),
            (
                b"1 0 obj\n<< /Type /ObjStm /N 400000 /First 9 >>\nstream\n",
                400_001,
            ),
            (b"7 0 obj<</Type/ObjStm/Length 5/N 12/First 3>>stream\n", 13),
            // A longer name that starts like /N counts nothing; a reference (which lopdf
            // refuses) counts its object number: an over-count is harmless.
            (b"1 0 obj << /Type /ObjStm /Names 5 /N 3 0 R >> stream", 4),
            (b"1 0 obj << /Type /ObjStm /Names 5 >> stream", 1),
            (b"no objects: object, 1 obj, xobj", 0),
            (b"", 0),
        ];
        for (bytes, expected) in cases {
            assert_eq!(
                declared_object_count(bytes),
                *expected,
                "{}",
                String::from_utf8_lossy(bytes)
            );
        }
    }
}
