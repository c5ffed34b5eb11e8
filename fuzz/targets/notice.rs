//! Notice import from pasted text.
fn main() {
    afl::fuzz!(|data: &[u8]| essay_portal_fuzz::run("notice", data));
}
