//! Median in-process inspection time of a 2-page DOCX and a 2-page PDF, and soffice's conversion
//! time for the same DOCX when soffice is installed.
//! `cargo run --release -p inspection --example bench`
use std::time::Instant;

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.partial_cmp(b).unwrap_or(std::cmp::Ordering::Equal));
    v.get(v.len() / 2).copied().unwrap_or(0.0)
}

fn time(bytes: &[u8], name: &str, n: usize) -> f64 {
    let limits = inspection::Limits::default();
    let mut v = Vec::with_capacity(n);
    for _ in 0..n {
        let t = Instant::now();
        let i = inspection::inspect(bytes, name, &limits);
        std::hint::black_box(&i);
        v.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    median(v)
}

fn main() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/essays");
    let csv = std::fs::read_to_string(format!("{dir}/reference.csv")).unwrap_or_default();
    let docx = csv
        .lines()
        .skip(1)
        .find(|l| l.split(',').nth(1) == Some("2"))
        .and_then(|l| l.split(',').next())
        .unwrap_or("essay001.docx")
        .to_string();
    let docx_path = format!("{dir}/{docx}");
    let bytes = std::fs::read(&docx_path).expect("essay");
    println!(
        "DOCX {docx}: median {:.3} ms per inspection",
        time(&bytes, &docx, 200)
    );
    // a 2-page PDF: rendered from the same essay when soffice is available, else from the corpus
    let tmp = std::env::temp_dir().join("inspection-bench");
    let _ = std::fs::create_dir_all(&tmp);
    let mut soffice_ms = Vec::new();
    for _ in 0..3 {
        let t = Instant::now();
        let ok = std::process::Command::new("soffice")
            .args(["--headless", "--convert-to", "pdf", "--outdir"])
            .arg(&tmp)
            .arg(&docx_path)
            .output()
            .map(|o| o.status.success())
            .unwrap_or(false);
        if !ok {
            break;
        }
        soffice_ms.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    let pdf_path = tmp.join(docx.replace(".docx", ".pdf"));
    if let Ok(pdf) = std::fs::read(&pdf_path) {
        println!(
            "PDF (same essay, 2 pages): median {:.3} ms per inspection",
            time(&pdf, "x.pdf", 200)
        );
    }
    if soffice_ms.is_empty() {
        println!("soffice not installed: conversion not measured");
    } else {
        println!(
            "soffice --convert-to pdf: median {:.0} ms wall",
            median(soffice_ms)
        );
    }
}
