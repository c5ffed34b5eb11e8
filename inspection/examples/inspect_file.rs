//! Prints the inspection of one file: `cargo run -p inspection --example inspect_file -- FILE [--json]`.
fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(path) = args.iter().find(|a| !a.starts_with("--")) else {
        eprintln!("usage: inspect_file FILE [--json]");
        std::process::exit(2);
    };
    let bytes = std::fs::read(path).unwrap_or_default();
    let i = inspection::inspect(&bytes, path, &inspection::Limits::default());
    if args.iter().any(|a| a == "--json") {
        println!("{}", serde_json::to_string_pretty(&i).unwrap_or_default());
    } else {
        print!("{}", inspection::render_human(&i));
        for (n, s) in i.facts.page_starts.iter().enumerate() {
            println!("  page {}: {s}", n + 1);
        }
    }
    std::process::exit(if inspection::was_read(&i.facts) { 0 } else { 1 });
}
