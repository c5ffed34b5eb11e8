//! Prints agreement with the shared corpus manifest.
//! `cargo run --release -p inspection --example corpus_report [-- -v]`
#[path = "../tests/corpus_support.rs"]
mod corpus_support;

fn main() {
    let verbose = std::env::args().any(|a| a == "-v");
    match corpus_support::run(verbose) {
        Some(r) => println!("{}", r.summary()),
        None => println!("corpus not found; skipped"),
    }
}
