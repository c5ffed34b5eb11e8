//! Whole-file .docx/.odt bytes: the ZIP reader, format sniffing and everything after it.
fn main() {
    afl::fuzz!(|data: &[u8]| essay_portal_fuzz::run("docx_bytes", data));
}
