//! Structure-aware .docx: the fuzzer mutates the XML of one part inside a valid package, so it
//! reaches the layout engine and the essay HTML instead of stopping at the ZIP reader.
fn main() {
    afl::fuzz!(|data: &[u8]| essay_portal_fuzz::run("docx_parts", data));
}
