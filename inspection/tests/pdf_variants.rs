//! PDFs that readers (poppler, pdf.js, qpdf) open, made by `tests/fixtures/pdf-variants/make.py`:
//! every standard security handler variant that opens without a password, damaged
//! cross-reference data and odd page trees. Each must be read with its two pages and the text
//! of each page; a file that really needs a password must stay refused.
use inspection::{inspect, Limits, ProblemCode};

fn read(name: &str) -> inspection::Facts {
    let path = format!(
        "{}/tests/fixtures/pdf-variants/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    inspect(&bytes, name, &Limits::default()).facts
}

/// Asserts that every file opens with its two pages, each page's text starting as written.
fn assert_read(names: &[&str], encrypted: bool) {
    let mut failures = Vec::new();
    for name in names {
        let facts = read(name);
        let ok = facts.problems.is_empty()
            && facts.pages == Some(2)
            && facts.encrypted == encrypted
            && (!encrypted || facts.opens_without_password)
            && facts.page_starts.len() == 2
            && facts.page_starts[1].starts_with("Key challenges page 2 line 1");
        if !ok {
            failures.push(format!(
                "{name}: pages {:?}, encrypted {}, problems {:?}, starts {:?}",
                facts.pages, facts.encrypted, facts.problems, facts.page_starts
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_security_handler_variant_that_opens_without_a_password_is_read() {
    assert_read(
        &[
            "rc4-40.pdf",
            "rc4-40-v1-no-length.pdf",
            "rc4-128.pdf",
            "rc4-128-v4.pdf",
            "aesv2.pdf",
            "aesv2-cleartext-metadata.pdf",
            "aesv2-objstm.pdf",
            "aesv2-stmf-identity.pdf",
            "aesv2-strf-identity.pdf",
            "aesv2-strf-identity-metadata-clear.pdf",
            "aesv3-r5.pdf",
            "aesv3-r6.pdf",
            "aesv3-r6-objstm.pdf",
            "rc4-128-r3-u-noise.pdf",
        ],
        true,
    );
}

#[test]
fn rc4_40_under_v4_crypt_filters_is_read_whatever_unit_its_length_is_in() {
    // pdf.js reads a crypt filter's /Length in bytes or in bits; poppler only the first.
    assert_read(
        &[
            "rc4-40-v4-cf.pdf",
            "rc4-40-v4-cf-bits.pdf",
            "rc4-r3-length-bytes.pdf",
        ],
        true,
    );
}

#[test]
fn revision_3_with_a_u_entry_of_unusual_length_is_read() {
    // Readers compare the first 16 bytes of /U; the rest is padding of any length.
    assert_read(&["rc4-128-r3-u-short.pdf", "rc4-128-r3-u-long.pdf"], true);
}

#[test]
fn a_pdf_whose_only_encrypted_content_is_its_attachments_is_read() {
    // /AuthEvent /EFOpen: the attachments have a password, the pages do not.
    assert_read(&["r4-efopen.pdf", "r6-efopen.pdf"], true);
}

#[test]
fn a_pdf_that_needs_a_user_password_stays_refused_and_says_what_to_do() {
    for name in ["needs-password-rc4.pdf", "needs-password-aes256.pdf"] {
        let facts = read(name);
        assert!(facts.encrypted && !facts.opens_without_password, "{name}");
        assert_eq!(facts.pages, None, "{name}");
        let problem = facts
            .problems
            .iter()
            .find(|p| p.code == ProblemCode::Encrypted)
            .unwrap_or_else(|| panic!("{name}: {:?}", facts.problems));
        assert!(
            problem.message.contains("password-protected")
                && problem.message.contains("Save as PDF"),
            "{name}: {}",
            problem.message
        );
    }
}

#[test]
fn damaged_cross_reference_data_is_rebuilt_by_scanning_objects() {
    assert_read(
        &[
            "plain-xref-shifted.pdf",
            "plain-xref-missing.pdf",
            "plain-startxref-wrong.pdf",
            "plain-xref-garbage.pdf",
        ],
        false,
    );
    assert_read(
        &[
            "aesv2-xref-shifted.pdf",
            "aesv2-xref-missing.pdf",
            "aesv2-startxref-wrong.pdf",
            "aesv2-xref-garbage.pdf",
        ],
        true,
    );
}

#[test]
fn a_damaged_cross_reference_table_does_not_make_an_encrypted_pdf_need_a_password() {
    // The variants lopdf refuses, damaged: rebuilt, then decrypted by our handler.
    assert_read(
        &[
            "rc4-128-r3-u-short-xref-shifted.pdf",
            "rc4-128-r3-u-short-startxref-wrong.pdf",
            "r6-efopen-xref-shifted.pdf",
            "r6-efopen-startxref-wrong.pdf",
            "rc4-40-v4-cf-xref-shifted.pdf",
            "rc4-40-v4-cf-startxref-wrong.pdf",
        ],
        true,
    );
}

#[test]
fn a_trailer_whose_root_names_the_wrong_object_is_read_from_the_catalog() {
    assert_read(&["plain-root-wrong.pdf"], false);
}

#[test]
fn page_trees_are_read_by_walking_their_kids() {
    assert_read(
        &[
            "tree-loop.pdf",
            "tree-loop-deep.pdf",
            "tree-no-type.pdf",
            "tree-wrong-count.pdf",
            "tree-zero-count.pdf",
            "tree-inherited.pdf",
            "tree-kids-indirect.pdf",
            "tree-wrong-generation.pdf",
            "tree-leaf-typed-pages.pdf",
            "tree-page-with-empty-kids.pdf",
        ],
        false,
    );
}

#[test]
fn inherited_page_attributes_apply_to_the_pages_below() {
    // MediaBox 842 × 595 and Rotate 90 on an intermediate node: portrait A4 pages.
    let facts = read("tree-inherited.pdf");
    assert_eq!(facts.page_sizes_mm, [[209.9, 297.0], [209.9, 297.0]]);
    assert_eq!(facts.paper, Some(inspection::Paper::A4));
}

#[test]
fn a_pdf_no_reader_opens_is_refused_saying_how_to_get_a_good_copy() {
    // Its cross-reference stream is destroyed and every object is in object streams: poppler
    // and qpdf give up too.
    let facts = read("aesv2-objstm-no-xref.pdf");
    let problem = facts
        .problems
        .iter()
        .find(|p| p.code == ProblemCode::Unreadable)
        .unwrap_or_else(|| panic!("{:?}", facts.problems));
    assert!(
        problem.message.contains("Save as PDF"),
        "{}",
        problem.message
    );
}
