//! Fuzzes the whole inspection path: format sniffing, ZIP/XML/DOCX layout, PDF, OLE.
//! Run: `cd fuzz && cargo +nightly fuzz run inspect` (see fuzz/README.md).
#![no_main]

use inspection::{inspect, render_human, Limits};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let ins = inspect(data, "fuzz.docx", &Limits::default());
    // the human rendering and the JSON contract must not panic either
    let _ = render_human(&ins);
    let _ = inspection::was_read(&ins.facts);
});
