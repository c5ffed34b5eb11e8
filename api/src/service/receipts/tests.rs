//! Receipts: signing, canonical bytes, the legacy form, tampering.
use super::*;

fn payload() -> ReceiptPayload {
    ReceiptPayload {
        submission_id: "0b6f3a52-7d7e-4c1e-9a8e-2f5d8c1b9e01".into(),
        application_id: "a1".into(),
        vacancy_reference: "251334".into(),
        document: "essay".into(),
        document_title: "Key challenges".into(),
        version: 2,
        original_filename: "Dupont_251334_Key challenges — été.pdf".into(),
        size_bytes: 48_213,
        sha256: "ab".repeat(32),
        upload_began_at: "2026-03-01T10:00:00Z".into(),
        upload_began_local: "2026-03-01 11:00:00 CET".into(),
        upload_completed_at: "2026-03-01T10:00:02Z".into(),
        upload_completed_local: "2026-03-01 11:00:02 CET".into(),
        time_zone: "Europe/Brussels".into(),
        pages: Some(2),
        rules: vec![
            ReceiptRule {
                rule: "format".into(),
                status: RuleStatus::Pass,
                found: Some("PDF \"1.7\"\n".into()),
            },
            ReceiptRule {
                rule: "paper".into(),
                status: RuleStatus::Warn,
                found: None,
            },
        ],
        verdict: Decision::Accept,
    }
}

/// A receipt signed as the server signed them before canonical JSON.
fn signed_the_legacy_way(key: &SigningKey, receipt: serde_json::Value) -> String {
    let signature = key.sign(receipt.to_string().as_bytes());
    serde_json::json!({
        "receipt": receipt,
        "signature": STANDARD.encode(signature.to_bytes()),
        "public_key": STANDARD.encode(key.verifying_key().as_bytes()),
    })
    .to_string()
}

#[test]
fn a_new_receipt_verifies_over_its_canonical_json() {
    let dir = tempfile_dir();
    let signer = ReceiptSigner::load_or_create(&dir).unwrap();
    let signed = signer.sign_payload(payload());
    let published = signer.public_key_base64();
    for text in [
        serde_json::to_string(&signed).unwrap(),
        serde_json::to_string_pretty(&signed).unwrap(),
    ] {
        let (form, receipt) = verify(&text, &published).unwrap();
        assert_eq!(form, SignedForm::Canonical);
        assert_eq!(receipt, payload());
        let summary = verify_document(&text, &published).unwrap();
        assert!(summary.contains("vacancy 251334"), "{summary}");
        assert!(!summary.contains("legacy"), "{summary}");
    }
    // The same key comes back on the next start.
    let again = ReceiptSigner::load_or_create(&dir).unwrap();
    assert_eq!(again.public_key_base64(), signer.public_key_base64());
    std::fs::remove_dir_all(dir).ok();
}

#[test]
fn a_receipt_signed_the_legacy_way_still_verifies() {
    let key = SigningKey::generate(&mut rand::rngs::OsRng);
    let published = STANDARD.encode(key.verifying_key().as_bytes());
    // The object exactly as the server used to build it with `json!`.
    let receipt = serde_json::to_value(payload()).unwrap();
    let text = signed_the_legacy_way(&key, receipt.clone());
    let (_, read) = verify(&text, &published).unwrap();
    assert_eq!(read, payload());
    // Downloaded from the receipt page (pretty, in the server's field order) it verifies too.
    let document: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert!(verify(
        &serde_json::to_string_pretty(&document).unwrap(),
        &published
    )
    .is_ok());
    // legacy_bytes rebuilds exactly what `to_string()` produced.
    assert_eq!(legacy_bytes(&receipt), receipt.to_string().into_bytes());

    // Where the two forms differ (JCS prints every number as a double), only the fallback
    // can find it: 2^53 + 1 bytes prints as ...993 in the legacy form, ...992 in JCS.
    let mut huge = payload();
    huge.size_bytes = (1 << 53) + 1;
    let receipt = serde_json::to_value(&huge).unwrap();
    assert_ne!(legacy_bytes(&receipt), huge.canonical_bytes());
    let text = signed_the_legacy_way(&key, receipt);
    let (form, read) = verify(&text, &published).unwrap();
    assert_eq!(form, SignedForm::Legacy);
    assert_eq!(read, huge);
    assert!(verify_document(&text, &published)
        .unwrap()
        .contains("legacy"));
}

#[test]
fn an_altered_or_foreign_receipt_does_not_verify() {
    let signer = ReceiptSigner::load_or_create(&tempfile_dir()).unwrap();
    let published = signer.public_key_base64();
    let legacy_key = SigningKey::generate(&mut rand::rngs::OsRng);
    let legacy_published = STANDARD.encode(legacy_key.verifying_key().as_bytes());
    let canonical = serde_json::to_string(&signer.sign_payload(payload())).unwrap();
    let legacy = signed_the_legacy_way(&legacy_key, serde_json::to_value(payload()).unwrap());
    for (text, key) in [(&canonical, &published), (&legacy, &legacy_published)] {
        assert!(verify(text, key).is_ok());
        for (from, to) in [
            ("\"pages\":2", "\"pages\":1"),
            ("\"version\":2", "\"version\":3"),
            ("\"status\":\"warn\"", "\"status\":\"pass\""),
            ("\"found\":null", "\"found\":\"A4\""),
            (
                "\"vacancy_reference\":\"251334\"",
                "\"vacancy_reference\":\"251335\"",
            ),
            ("été", "ete"),
            // A field the signature does not cover.
            (
                "\"pages\":2",
                "\"pages\":2,\"note\":\"late upload excused\"",
            ),
            // A second value for a signed field, which some readers would take instead.
            ("\"pages\":2", "\"pages\":2,\"pages\":1"),
        ] {
            assert!(text.contains(from), "{from}");
            let altered = text.replacen(from, to, 1);
            assert!(verify(&altered, key).is_err(), "{to}");
        }
    }
    // Not our key: neither a published key of someone else nor the key inside the file.
    let other = SigningKey::generate(&mut rand::rngs::OsRng);
    let other = STANDARD.encode(other.verifying_key().as_bytes());
    assert!(verify(&canonical, &other).is_err());
    assert!(verify(&legacy, &published).is_err());
    let forger = ReceiptSigner::load_or_create(&tempfile_dir()).unwrap();
    let forged = serde_json::to_string(&forger.sign_payload(payload())).unwrap();
    assert!(verify(&forged, &published).is_err());
    assert!(verify_document("{}", &published).is_err());
}

#[test]
fn the_canonical_bytes_do_not_depend_on_field_order() {
    // The same receipt with its fields in another order, as another program might write it.
    let mut object: Vec<(String, serde_json::Value)> =
        match serde_json::to_value(payload()).unwrap() {
            serde_json::Value::Object(map) => map.into_iter().collect(),
            _ => unreachable!(),
        };
    object.reverse();
    let reordered = format!(
        "{{{}}}",
        object
            .iter()
            .map(|(k, v)| format!("{}: {v}", serde_json::Value::from(k.as_str())))
            .collect::<Vec<_>>()
            .join(", ")
    );
    assert!(
        reordered.starts_with("{\"version\": 2, \"verdict\""),
        "{reordered}"
    );
    let read: ReceiptPayload = serde_json::from_str(&reordered).unwrap();
    assert_eq!(read.canonical_bytes(), payload().canonical_bytes());
    // A struct declaring its fields in another order serialises to the same canonical bytes.
    #[derive(Serialize)]
    struct Shuffled<'a> {
        verdict: &'a str,
        sha256: &'a str,
        rules: &'a [ReceiptRule],
        pages: Option<u32>,
        time_zone: &'a str,
        upload_completed_local: &'a str,
        upload_completed_at: &'a str,
        upload_began_local: &'a str,
        upload_began_at: &'a str,
        size_bytes: u64,
        original_filename: &'a str,
        version: i32,
        document_title: &'a str,
        document: &'a str,
        vacancy_reference: &'a str,
        application_id: &'a str,
        submission_id: &'a str,
    }
    let p = payload();
    let shuffled = Shuffled {
        verdict: "accept",
        sha256: &p.sha256,
        rules: &p.rules,
        pages: p.pages,
        time_zone: &p.time_zone,
        upload_completed_local: &p.upload_completed_local,
        upload_completed_at: &p.upload_completed_at,
        upload_began_local: &p.upload_began_local,
        upload_began_at: &p.upload_began_at,
        size_bytes: p.size_bytes,
        original_filename: &p.original_filename,
        version: p.version,
        document_title: &p.document_title,
        document: &p.document,
        vacancy_reference: &p.vacancy_reference,
        application_id: &p.application_id,
        submission_id: &p.submission_id,
    };
    assert_eq!(serde_jcs::to_vec(&shuffled).unwrap(), p.canonical_bytes());
    // What the bytes are: sorted keys, no whitespace, UTF-8 as is, minimal escapes.
    let text = String::from_utf8(p.canonical_bytes()).unwrap();
    assert!(text.starts_with(
        "{\"application_id\":\"a1\",\"document\":\"essay\",\"document_title\":\"Key challenges\","
    ), "{text}");
    assert!(
        text.contains(
            "\"original_filename\":\"Dupont_251334_Key challenges — été.pdf\",\"pages\":2,\
         \"rules\":[{\"found\":\"PDF \\\"1.7\\\"\\n\",\"rule\":\"format\",\"status\":\"pass\"},\
         {\"found\":null,\"rule\":\"paper\",\"status\":\"warn\"}],\"sha256\":"
        ),
        "{text}"
    );
    assert!(
        text.ends_with("\"verdict\":\"accept\",\"version\":2}"),
        "{text}"
    );
}

fn tempfile_dir() -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("ep-receipt-{}", uuid::Uuid::new_v4()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}
