//! Whole-file PDF bytes: the object-count pre-scan, lopdf, page sizes, action detection, the
//! anonymous copy.
fn main() {
    afl::fuzz!(|data: &[u8]| essay_portal_fuzz::run("pdf", data));
}
