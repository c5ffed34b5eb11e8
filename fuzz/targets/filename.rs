//! The file-name rule.
fn main() {
    afl::fuzz!(|data: &[u8]| essay_portal_fuzz::run("filename", data));
}
