//! `loadgen hostile`: hostile files, each of which must be refused with a specific message (within
//! `--budget-seconds` when given), while normal uploads keep being accepted in parallel; then
//! password guessing, which must be throttled (429).

use std::io::{Read, Write};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::api::{self, Candidate};
use crate::essays::{self, A4, TWO_PAGES_DOCX};
use crate::rush::REFERENCE;
use crate::{HostileArgs, Res, Run};

/// The two-page fixture with `word/document.xml` replaced: `body` writes the new part.
fn docx_with_document(body: impl FnOnce(&mut dyn Write) -> std::io::Result<()>) -> Vec<u8> {
    let mut source = zip::ZipArchive::new(std::io::Cursor::new(TWO_PAGES_DOCX)).unwrap();
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let deflate = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .large_file(true);
    for i in 0..source.len() {
        let file = source.by_index_raw(i).unwrap();
        if file.name().map_or(true, |name| name != "word/document.xml") {
            out.raw_copy_file(file).unwrap();
        }
    }
    out.start_file("word/document.xml", deflate).unwrap();
    body(&mut out).unwrap();
    out.finish().unwrap().into_inner()
}

fn fixture_document_xml() -> String {
    let mut source = zip::ZipArchive::new(std::io::Cursor::new(TWO_PAGES_DOCX)).unwrap();
    let mut xml = String::new();
    source
        .by_name("word/document.xml")
        .unwrap()
        .read_to_string(&mut xml)
        .unwrap();
    xml
}

/// A PDF whose objects are given as they are, with a correct xref table and `trailer_extra`.
fn raw_pdf(objects: &[String], trailer_extra: &str) -> Vec<u8> {
    let objects: Vec<Vec<u8>> = objects.iter().map(|o| o.as_bytes().to_vec()).collect();
    essays::write_pdf(&objects, trailer_extra)
}

fn s(text: &str) -> String {
    text.to_owned()
}

/// The hostile cases: name, file name, bytes, and the statuses that count as a correct refusal.
fn cases() -> Vec<(&'static str, String, Vec<u8>, &'static [u16])> {
    let docx_name = format!("{REFERENCE} Key challenges.docx");
    let pdf_name = format!("{REFERENCE} Key challenges.pdf");
    let refuse: &'static [u16] = &[422];
    let mut cases = Vec::new();

    // Zip bomb: 1 GiB of text deflated to about 1 MB inside word/document.xml.
    let xml = fixture_document_xml();
    let body_at = xml.find("<w:body>").expect("a w:body") + "<w:body>".len();
    let (head, tail) = xml.split_at(body_at);
    let bomb = docx_with_document(|w| {
        w.write_all(head.as_bytes())?;
        w.write_all(b"<w:p><w:r><w:t>")?;
        let chunk = vec![b'a'; 1 << 20];
        for _ in 0..1024 {
            w.write_all(&chunk)?;
        }
        w.write_all(b"</w:t></w:r></w:p>")?;
        w.write_all(tail.as_bytes())
    });
    cases.push((
        "zip bomb DOCX (1 GiB inflated)",
        docx_name.clone(),
        bomb,
        refuse,
    ));

    // One 1 MiB picture drawn 20,000 times (and referenced by 20,000 bare blips): the assessor's
    // view once embedded it afresh for each reference and took the server down. Accepted or not,
    // it must be answered, and the service must stay up.
    let image_bomb = {
        let drawing = r#"<w:r><w:drawing><wp:inline xmlns:wp="wp" xmlns:a="a" xmlns:pic="pic" xmlns:r="r"><wp:extent cx="9525" cy="9525"/><a:graphic><a:graphicData><pic:pic><pic:blipFill><a:blip r:embed="rIdBomb"/></pic:blipFill></pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing></w:r>"#;
        let bare = r#"<a:blip xmlns:a="a" xmlns:r="r" r:embed="rIdBomb"/>"#;
        let mut source = zip::ZipArchive::new(std::io::Cursor::new(TWO_PAGES_DOCX)).unwrap();
        let mut rels = String::new();
        source
            .by_name("word/_rels/document.xml.rels")
            .unwrap()
            .read_to_string(&mut rels)
            .unwrap();
        let rels = rels.replace(
            "</Relationships>",
            r#"<Relationship Id="rIdBomb" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/image" Target="media/bomb.png"/></Relationships>"#,
        );
        let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        let stored = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Stored);
        for i in 0..source.len() {
            let file = source.by_index_raw(i).unwrap();
            let name = file.name().unwrap_or_default().into_owned();
            if name != "word/document.xml" && name != "word/_rels/document.xml.rels" {
                out.raw_copy_file(file).unwrap();
            }
        }
        out.start_file("word/_rels/document.xml.rels", stored)
            .unwrap();
        out.write_all(rels.as_bytes()).unwrap();
        let mut seed = 7u32;
        let picture: Vec<u8> = (0..1 << 20)
            .map(|_| {
                seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12_345);
                (seed >> 16) as u8
            })
            .collect();
        out.start_file("word/media/bomb.png", stored).unwrap();
        out.write_all(&picture).unwrap();
        out.start_file("word/document.xml", stored).unwrap();
        out.write_all(head.as_bytes()).unwrap();
        out.write_all(format!("<w:p>{}</w:p>", drawing.repeat(20_000)).as_bytes())
            .unwrap();
        out.write_all(format!("<w:p>{}</w:p>", bare.repeat(20_000)).as_bytes())
            .unwrap();
        out.write_all(tail.as_bytes()).unwrap();
        out.finish().unwrap().into_inner()
    };
    cases.push((
        "DOCX: one 1 MiB picture drawn 20 000 times",
        docx_name.clone(),
        image_bomb,
        &[201, 422],
    ));

    // A zip whose entries claim to be tiny but are not, plus thousands of entries.
    let mut many = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let stored = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    many.start_file("[Content_Types].xml", stored).unwrap();
    many.write_all(b"<?xml version=\"1.0\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"/>").unwrap();
    for i in 0..20_000 {
        many.start_file(format!("word/media/x{i}.bin"), stored)
            .unwrap();
        many.write_all(&[0u8; 64]).unwrap();
    }
    cases.push((
        "zip with 20 000 entries, no document",
        docx_name.clone(),
        many.finish().unwrap().into_inner(),
        refuse,
    ));

    // XXE and billion laughs in word/document.xml.
    let xxe = xml
        .replacen(
            "?>",
            "?><!DOCTYPE w:document [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>",
            1,
        )
        .replacen(
            "<w:body>",
            "<w:body><w:p><w:r><w:t>&xxe;</w:t></w:r></w:p>",
            1,
        );
    cases.push((
        "XXE DOCX (external entity file:///etc/passwd)",
        docx_name.clone(),
        docx_with_document(|w| w.write_all(xxe.as_bytes())),
        refuse,
    ));
    let mut laughs = String::from("<!DOCTYPE w:document [<!ENTITY l0 \"lol\">");
    for i in 1..10 {
        let prev = format!("&l{};", i - 1);
        laughs.push_str(&format!("<!ENTITY l{i} \"{}\">", prev.repeat(10)));
    }
    laughs.push_str("]>");
    let laughs = xml.replacen("?>", &format!("?>{laughs}"), 1).replacen(
        "<w:body>",
        "<w:body><w:p><w:r><w:t>&l9;</w:t></w:r></w:p>",
        1,
    );
    cases.push((
        "billion laughs DOCX",
        docx_name.clone(),
        docx_with_document(|w| w.write_all(laughs.as_bytes())),
        refuse,
    ));

    // PDFs: deep nesting, reference loops, huge page counts, encryption.
    let depth = 200_000;
    let nested = format!(
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595.28 841.89] /X {}{} >>",
        "[".repeat(depth),
        "]".repeat(depth)
    );
    cases.push((
        "PDF nested 200 000 arrays deep",
        pdf_name.clone(),
        raw_pdf(
            &[
                s("<< /Type /Catalog /Pages 2 0 R >>"),
                s("<< /Type /Pages /Kids [3 0 R] /Count 1 >>"),
                nested,
            ],
            "",
        ),
        refuse,
    ));
    let mut dicts = String::new();
    for _ in 0..100_000 {
        dicts.push_str("<< /A ");
    }
    dicts.push('1');
    for _ in 0..100_000 {
        dicts.push_str(" >>");
    }
    cases.push((
        "PDF nested 100 000 dictionaries deep",
        pdf_name.clone(),
        raw_pdf(
            &[
                s("<< /Type /Catalog /Pages 2 0 R >>"),
                format!("<< /Type /Pages /Kids [3 0 R] /Count 1 /X {dicts} >>"),
                s("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595.28 841.89] >>"),
            ],
            "",
        ),
        refuse,
    ));
    cases.push((
        "PDF page tree loop (Pages kids itself)",
        pdf_name.clone(),
        raw_pdf(
            &[
                s("<< /Type /Catalog /Pages 2 0 R >>"),
                s("<< /Type /Pages /Kids [2 0 R 3 0 R] /Count 2 >>"),
                s("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595.28 841.89] >>"),
            ],
            "",
        ),
        refuse,
    ));
    cases.push((
        "PDF two-node page tree cycle",
        pdf_name.clone(),
        raw_pdf(
            &[
                s("<< /Type /Catalog /Pages 2 0 R >>"),
                s("<< /Type /Pages /Kids [3 0 R] /Count 2 >>"),
                s("<< /Type /Pages /Parent 2 0 R /Kids [2 0 R] /Count 2 >>"),
            ],
            "",
        ),
        refuse,
    ));
    cases.push((
        "PDF reference loop (/Length 4 0 R in 4 0 obj)",
        pdf_name.clone(),
        raw_pdf(
            &[
                s("<< /Type /Catalog /Pages 2 0 R >>"),
                s("<< /Type /Pages /Kids [3 0 R] /Count 1 >>"),
                s("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595.28 841.89] /Contents 4 0 R >>"),
                s("<< /Length 4 0 R >>\nstream\nBT ET\nendstream"),
            ],
            "",
        ),
        &[422, 201],
    ));
    cases.push((
        "PDF claiming /Count 2 000 000 000",
        pdf_name.clone(),
        raw_pdf(
            &[
                s("<< /Type /Catalog /Pages 2 0 R >>"),
                s("<< /Type /Pages /Kids [3 0 R] /Count 2000000000 >>"),
                s("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595.28 841.89] >>"),
            ],
            "",
        ),
        &[422, 201],
    ));
    let pages = 60_000;
    let mut objects = vec![
        s("<< /Type /Catalog /Pages 2 0 R >>"),
        format!(
            "<< /Type /Pages /Kids [{}] /Count {pages} >>",
            (0..pages)
                .map(|i| format!("{} 0 R", i + 3))
                .collect::<Vec<_>>()
                .join(" ")
        ),
    ];
    objects.extend(
        (0..pages).map(|_| s("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595.28 841.89] >>")),
    );
    cases.push((
        "PDF with 60 000 real pages",
        pdf_name.clone(),
        raw_pdf(&objects, ""),
        refuse,
    ));
    // Actions written inline, where a scan of top-level objects never looked.
    for (case, page_extra) in [
        (
            "PDF: JavaScript in a page's /AA open action",
            "/AA << /O << /S /JavaScript /JS (app.alert(1)) >> >>",
        ),
        (
            "PDF: Launch action inline in /Annots",
            "/Annots [ << /Type /Annot /Subtype /Link /Rect [0 0 10 10] /A << /S /Launch /F (cmd.exe) >> >> ]",
        ),
        (
            "PDF: JavaScript at the end of a /Next chain",
            "/AA << /C << /S /GoTo /D [3 0 R /Fit] /Next [ << /S /JavaScript /JS (x) >> ] >> >>",
        ),
    ] {
        cases.push((
            case,
            pdf_name.clone(),
            raw_pdf(
                &[
                    s("<< /Type /Catalog /Pages 2 0 R >>"),
                    s("<< /Type /Pages /Kids [3 0 R] /Count 1 >>"),
                    format!("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595.28 841.89] {page_extra} >>"),
                ],
                "",
            ),
            refuse,
        ));
    }
    cases.push(("encrypted PDF (/Encrypt in trailer)", pdf_name.clone(), raw_pdf(&[s("<< /Type /Catalog /Pages 2 0 R >>"), s("<< /Type /Pages /Kids [3 0 R] /Count 1 >>"), s("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595.28 841.89] >>"), s("<< /Filter /Standard /V 2 /R 3 /Length 128 /O <00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff> /U <00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff> /P -44 >>")], "/Encrypt 4 0 R /ID [<0123456789abcdef0123456789abcdef> <0123456789abcdef0123456789abcdef>]"), refuse));
    // An encrypted Office document is an OLE compound file (EncryptionInfo + EncryptedPackage).
    let mut ole = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    ole.resize(8 * 1024, 0);
    ole.extend_from_slice(
        "EncryptedPackage EncryptionInfo"
            .encode_utf16()
            .flat_map(|c| c.to_le_bytes())
            .collect::<Vec<_>>()
            .as_slice(),
    );
    cases.push((
        "encrypted DOCX (OLE container) named .docx",
        docx_name.clone(),
        ole,
        refuse,
    ));

    // Files lying about their type.
    let elf = std::fs::read("/bin/true").unwrap_or_else(|_| b"\x7fELF\x02\x01\x01".repeat(100));
    cases.push(("ELF executable named .pdf", pdf_name.clone(), elf, refuse));
    cases.push((
        "PNG image named .docx",
        docx_name.clone(),
        b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89".to_vec(),
        refuse,
    ));
    cases.push((
        "HTML named .pdf",
        pdf_name.clone(),
        b"<!doctype html><html><body><script>alert(1)</script>Key challenges</body></html>"
            .to_vec(),
        refuse,
    ));
    cases.push((
        "valid PDF named .docx",
        docx_name.clone(),
        essays::pdf(&[A4, A4], "liar", 0),
        &[422, 201],
    ));
    cases.push((
        "valid DOCX named .pdf",
        pdf_name.clone(),
        essays::docx_with_comment(TWO_PAGES_DOCX, "liar"),
        &[422, 201],
    ));

    // Empty and truncated.
    cases.push(("0 bytes", pdf_name.clone(), Vec::new(), refuse));
    let good_pdf = essays::pdf(&[A4, A4], "truncated", 0);
    cases.push((
        "truncated PDF (first 60%)",
        pdf_name.clone(),
        good_pdf[..good_pdf.len() * 6 / 10].to_vec(),
        refuse,
    ));
    cases.push((
        "truncated DOCX (first 60%)",
        docx_name.clone(),
        TWO_PAGES_DOCX[..TWO_PAGES_DOCX.len() * 6 / 10].to_vec(),
        refuse,
    ));
    cases.push((
        "PDF header only",
        pdf_name.clone(),
        b"%PDF-1.7\n".to_vec(),
        refuse,
    ));
    // Too large for the vacancy (10 MiB).
    cases.push((
        "11 MiB upload",
        pdf_name,
        essays::pdf(&[A4], "big", 11 << 20),
        &[413],
    ));
    cases
}

/// The specific reason given: the failing rules' English messages, or the problem's detail.
fn reason(body: &Value) -> String {
    let failing: Vec<String> = body["verdict"]["rules"]
        .as_array()
        .map(|rules| {
            rules
                .iter()
                .filter(|r| r["status"] == "fail")
                .map(|r| {
                    format!(
                        "[{}] {}",
                        r["rule"].as_str().unwrap_or(""),
                        r["message"]["en"].as_str().unwrap_or("")
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    if failing.is_empty() {
        body["detail"]
            .as_str()
            .or(body["title"].as_str())
            .unwrap_or("(no message)")
            .to_owned()
    } else {
        failing.join(" ")
    }
}

fn cut(text: &str, n: usize) -> String {
    let text = text.replace('\n', " ");
    if text.chars().count() <= n {
        text
    } else {
        format!("{}…", text.chars().take(n).collect::<String>())
    }
}

pub async fn run(args: HostileArgs) -> Res<bool> {
    let common = args.common;
    let budget = args.budget_seconds.map(Duration::from_secs_f64);
    let run = Run::new(&common)?;
    let spec = run.spec.clone();
    spec.create_admin("admin@example.org", api::PASSWORD)?;
    let server = spec.start().await?;
    let url = server.url.clone();
    let admin = api::log_in(&url, "admin@example.org", api::PASSWORD).await?;
    api::create_vacancy(&url, &admin, REFERENCE, &["docx", "pdf"], 10 << 20).await?;
    let candidates = api::candidates(&url, 5, REFERENCE, 4).await?;
    println!("building hostile files…");
    let cases = cases();

    // Normal uploads keep going in parallel.
    let stop = Arc::new(AtomicBool::new(false));
    let normal = Arc::new(Mutex::new((0u64, 0u64, Vec::<String>::new(), 0u128)));
    let mut background = tokio::task::JoinSet::new();
    for who in candidates.clone().into_iter().skip(1) {
        let (stop, normal, url) = (stop.clone(), normal.clone(), url.clone());
        background.spawn(async move {
            let mut n = 0usize;
            while !stop.load(Ordering::Relaxed) {
                // Only the accepted kinds (never the deliberately failing tenth).
                n += 1;
                let (name, bytes, should) = essays::essay(10 * n + n % 2, REFERENCE, 0);
                if !should {
                    continue;
                }
                let started = Instant::now();
                let result = api::upload(&url, &who, &name, bytes, None).await;
                let took = started.elapsed().as_millis();
                let mut normal = normal.lock().unwrap();
                normal.3 = normal.3.max(took);
                match result {
                    Ok((201, _)) => normal.0 += 1,
                    Ok((status, body)) => {
                        normal.1 += 1;
                        normal.2.push(format!("{name}: {status} {}", reason(&body)));
                    }
                    Err(e) => {
                        normal.1 += 1;
                        normal.2.push(format!("{name}: {e}"));
                    }
                }
            }
        });
    }

    let hostile: &Candidate = &candidates[0];
    let mut all_ok = true;
    println!("\n| case | bytes | status | time | ok | message |\n|---|---:|---:|---:|---|---|");
    for (case, name, bytes, expected) in cases {
        let size = bytes.len();
        let started = Instant::now();
        let result = api::upload(&url, hostile, &name, bytes, None).await;
        let took = started.elapsed();
        let (status, message) = match result {
            Ok((status, body)) => (status, reason(&body)),
            Err(e) => (0, format!("transport error: {e}")),
        };
        let in_time = budget.is_none_or(|budget| took <= budget);
        let ok = expected.contains(&status) && in_time && status != 0;
        all_ok &= ok;
        println!(
            "| {case} | {size} | {status} | {} ms | {} | {} |",
            took.as_millis(),
            if ok { "yes" } else { "NO" },
            cut(&message, 160)
        );
    }
    // The server is still healthy after all that.
    let health = reqwest::get(format!("{url}/health"))
        .await
        .map(|r| r.status().as_u16())
        .unwrap_or(0);
    println!("\n/health after the hostile files: {health}");
    all_ok &= health == 200;
    stop.store(true, Ordering::Relaxed);
    while background.join_next().await.is_some() {}
    let (accepted, failed, failures, slowest) = normal.lock().unwrap().clone();
    println!("normal uploads in parallel: {accepted} accepted, {failed} not accepted, slowest {slowest} ms");
    for line in failures.iter().take(10) {
        println!("  {line}");
    }
    all_ok &= failed == 0 && accepted > 0;

    // Password guessing: the same email, wrong passwords, until 429.
    let guesser = api::client()?;
    let token = api::csrf(&guesser, &url).await?;
    let mut statuses = Vec::new();
    let mut retry_after = None;
    for i in 0..30 {
        let response = guesser
            .post(format!("{url}/api/session"))
            .header("x-csrf-token", &token)
            .json(&serde_json::json!({"email": "load0@example.org", "password": format!("wrong guess number {i}")}))
            .send()
            .await?;
        let status = response.status().as_u16();
        if status == 429 && retry_after.is_none() {
            retry_after = response
                .headers()
                .get("retry-after")
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned);
        }
        statuses.push(status);
    }
    let first_429 = statuses.iter().position(|s| *s == 429);
    // Even the right password is refused while locked.
    let right = guesser
        .post(format!("{url}/api/session"))
        .header("x-csrf-token", &token)
        .json(&serde_json::json!({"email": "load0@example.org", "password": api::PASSWORD}))
        .send()
        .await?
        .status()
        .as_u16();
    let unknown: Vec<u16> = {
        let mut v = Vec::new();
        for i in 0..12 {
            v.push(
                guesser
                    .post(format!("{url}/api/session"))
                    .header("x-csrf-token", &token)
                    .json(&serde_json::json!({"email": "nobody@example.org", "password": format!("guess {i} for nobody")}))
                    .send()
                    .await?
                    .status()
                    .as_u16(),
            );
        }
        v
    };
    println!(
        "password guessing: 30 wrong passwords for one account → {statuses:?}; first 429 at attempt {}, Retry-After {:?}; right password while locked → {right}; unknown email ×12 → {unknown:?}",
        first_429.map_or("never".into(), |i| (i + 1).to_string()),
        retry_after
    );
    all_ok &= first_429.is_some_and(|i| i < 20) && right == 429;
    println!("\nhostile suite: {}", if all_ok { "PASS" } else { "FAIL" });
    drop(server);
    if !common.keep {
        let log = std::fs::read_to_string(spec.data_dir.join("server.log")).unwrap_or_default();
        let interesting: Vec<&str> = log
            .lines()
            .filter(|l| l.contains("ERROR") || l.contains("panic"))
            .take(10)
            .collect();
        for line in interesting {
            println!("server log: {}", cut(line, 200));
        }
    }
    run.finish(common.keep);
    Ok(all_ok)
}
