//! The file-name rule, as a table: each row is a name a candidate might send and what
//! the rule says about it for vacancy 251334 and the phrase "Key challenges".

// Tables of tuples are how these tests state the specification, row by row.
#![allow(clippy::type_complexity)]

use policy::{check_filename, filename_rule_text, suggested_filename, FilenameProblem};

use FilenameProblem::*;

const REF: Option<&str> = Some("251334");
const PHRASE: Option<&str> = Some("Key challenges");

#[test]
fn filename_table() {
    // "251334 Key challenges " and ".docx" take 27 bytes; pad to an exact length.
    let of_len = |bytes: usize| format!("251334 Key challenges {}.docx", "x".repeat(bytes - 27));
    let (long_ok, long_bad) = (of_len(255), of_len(256));
    // "é" written as e + combining acute takes 3 bytes, 2 once composed (NFC).
    let nfd_255 = format!(
        "251334 Key challenges {}{}.docx",
        "e\u{301}".repeat(100),
        "x".repeat(28)
    );
    assert_eq!(
        (long_ok.len(), long_bad.len(), nfd_255.len()),
        (255, 256, 355)
    );
    let cases: Vec<(&str, String, Result<(), FilenameProblem>)> = vec![
        // separators
        (
            "the suggested name",
            "251334 Key challenges.docx".into(),
            Ok(()),
        ),
        ("underscores", "251334_Key_challenges.docx".into(), Ok(())),
        ("hyphens", "251334-Key-challenges.pdf".into(), Ok(())),
        ("full stops", "251334.Key.challenges.docx".into(), Ok(())),
        (
            "a run of spaces",
            "251334    Key   challenges.docx".into(),
            Ok(()),
        ),
        (
            "mixed separators in a run",
            "251334 -_ Key__challenges.docx".into(),
            Ok(()),
        ),
        (
            "reference glued by underscore",
            "251334_Key challenges.docx".into(),
            Ok(()),
        ),
        (
            "reference after the phrase",
            "Key challenges 251334.docx".into(),
            Ok(()),
        ),
        (
            "surname around",
            "Dupont_251334_Key_challenges_final.docx".into(),
            Ok(()),
        ),
        (
            "tab is a control character",
            "251334\tKey challenges.docx".into(),
            Err(ControlCharacter),
        ),
        (
            "no-break space separates",
            "251334\u{a0}Key\u{a0}challenges.docx".into(),
            Ok(()),
        ),
        (
            "leading separator",
            "_251334_Key_challenges.docx".into(),
            Ok(()),
        ),
        // case
        ("lower case", "251334 key challenges.docx".into(), Ok(())),
        ("upper case", "251334 KEY CHALLENGES.DOCX".into(), Ok(())),
        ("mixed case", "251334 kEy ChAlLeNgEs.docx".into(), Ok(())),
        // phrase must be whole consecutive words, in order
        (
            "words reversed",
            "251334 challenges key.docx".into(),
            Err(MissingPhrase),
        ),
        (
            "words apart",
            "251334 Key big challenges.docx".into(),
            Err(MissingPhrase),
        ),
        (
            "words glued",
            "251334 Keychallenges.docx".into(),
            Err(MissingPhrase),
        ),
        (
            "singular",
            "251334 Key challenge.docx".into(),
            Err(MissingPhrase),
        ),
        (
            "camel case is one word",
            "251334 KeyChallenges.docx".into(),
            Err(MissingPhrase),
        ),
        (
            "phrase only",
            "Key challenges.docx".into(),
            Err(MissingReference),
        ),
        ("reference only", "251334.docx".into(), Err(MissingPhrase)),
        (
            "neither",
            "essay.docx".into(),
            Err(MissingReferenceAndPhrase),
        ),
        // look-alike and glued numbers
        (
            "reference runs into a digit",
            "2513345 Key challenges.docx".into(),
            Err(MissingReference),
        ),
        (
            "digit before reference",
            "1251334 Key challenges.docx".into(),
            Err(MissingReference),
        ),
        (
            "letter l for one",
            "25l334 Key challenges.docx".into(),
            Err(MissingReference),
        ),
        (
            "letter O for zero",
            "25133O Key challenges.docx".into(),
            Err(MissingReference),
        ),
        (
            "full-width digits",
            "２５１３３４ Key challenges.docx".into(),
            Err(MissingReference),
        ),
        (
            "another vacancy",
            "251335 Key challenges.docx".into(),
            Err(MissingReference),
        ),
        (
            "reference split by separator",
            "251-334 Key challenges.docx".into(),
            Err(MissingReference),
        ),
        (
            "reference glued to letters",
            "VN251334 Key challenges.docx".into(),
            Err(MissingReference),
        ),
        (
            "reference inside a date-like run",
            "251334.2025 Key challenges.docx".into(),
            Ok(()),
        ),
        // paths: only the basename counts
        (
            "unix path",
            "/home/ana/251334 Key challenges.docx".into(),
            Ok(()),
        ),
        (
            "windows path",
            "C:\\Users\\Ana\\251334 Key challenges.docx".into(),
            Ok(()),
        ),
        (
            "reference only in the folder",
            "251334/Key challenges.docx".into(),
            Err(MissingReference),
        ),
        (
            "reference only in a windows folder",
            "C:\\251334\\Key challenges.docx".into(),
            Err(MissingReference),
        ),
        ("a folder, no file", "C:\\Users\\Ana\\".into(), Err(Empty)),
        ("empty", "".into(), Err(Empty)),
        ("blank", "   ".into(), Err(Empty)),
        // Unicode normalisation
        (
            "NFD accents from macOS",
            "251334 Key challenges – Ame\u{301}lie.docx".into(),
            Ok(()),
        ),
        (
            "NFD accents in the phrase",
            "251334 Défis clés.docx".into(),
            Ok(()),
        ),
        // control characters and disguises
        (
            "newline",
            "251334 Key\nchallenges.docx".into(),
            Err(ControlCharacter),
        ),
        (
            "NUL",
            "251334 Key challenges\0.docx".into(),
            Err(ControlCharacter),
        ),
        (
            "DEL",
            "251334 Key challenges\u{7f}.docx".into(),
            Err(ControlCharacter),
        ),
        (
            "C1 control",
            "251334 Key challenges\u{85}.docx".into(),
            Err(ControlCharacter),
        ),
        (
            "right-to-left override",
            "251334 Key challenges\u{202e}xcod.exe".into(),
            Err(ControlCharacter),
        ),
        // length
        ("255 bytes", long_ok, Ok(())),
        ("256 bytes", long_bad, Err(TooLong { bytes: 256 })),
        ("NFD name of 355 bytes is 255 in NFC", nfd_255, Ok(())),
        (
            "path does not count towards length",
            format!("{}/251334 Key challenges.docx", "d".repeat(400)),
            Ok(()),
        ),
    ];
    assert!(cases.len() >= 40, "{} cases", cases.len());
    for (why, name, expected) in cases {
        // Arrange: the phrase of the NFD row is French, the rest use "Key challenges".
        let phrase = if why == "NFD accents in the phrase" {
            Some("De\u{301}fis cle\u{301}s")
        } else {
            PHRASE
        };
        // Act
        let got = check_filename(&name, REF, phrase);
        // Assert
        assert_eq!(got, expected, "{why}: {name:?}");
    }
}

#[test]
fn rules_not_required_are_not_checked() {
    let table: Vec<(
        &str,
        Option<&str>,
        Option<&str>,
        Result<(), FilenameProblem>,
    )> = vec![
        ("anything.pdf", None, None, Ok(())),
        ("anything.pdf", Some("  "), Some(""), Ok(())),
        ("Key challenges.pdf", None, PHRASE, Ok(())),
        ("251334.pdf", REF, None, Ok(())),
        ("bad\u{1}name.pdf", None, None, Err(ControlCharacter)),
    ];
    for (name, reference, phrase, expected) in table {
        assert_eq!(
            check_filename(name, reference, phrase),
            expected,
            "{name:?}"
        );
    }
}

#[test]
fn suggested_filename_joins_reference_phrase_and_extension() {
    let table = [
        (
            ("251334", "Key challenges", "docx"),
            "251334 Key challenges.docx",
        ),
        (
            ("251334", "Key challenges", ".pdf"),
            "251334 Key challenges.pdf",
        ),
        (("", "Key challenges", "docx"), "Key challenges.docx"),
        (("251334", "", "docx"), "251334.docx"),
        (("", "", "docx"), "essay.docx"),
    ];
    for ((reference, phrase, ext), expected) in table {
        assert_eq!(suggested_filename(reference, phrase, ext), expected);
    }
}

#[test]
fn every_suggestion_passes_the_rule_it_suggests() {
    for reference in ["251334", "250875", "241167"] {
        for phrase in ["Key challenges", "Cover letter", "Défis clés"] {
            let name = suggested_filename(reference, phrase, "docx");
            assert_eq!(
                check_filename(&name, Some(reference), Some(phrase)),
                Ok(()),
                "{name}"
            );
        }
    }
}

#[test]
fn the_rule_in_plain_words_names_the_reference_phrase_and_an_example() {
    let text = filename_rule_text(Some("251334"), Some("Key challenges"), "docx");
    for needle in [
        "251334",
        "Key challenges",
        "251334 Key challenges.docx",
        "_",
        "-",
    ] {
        assert!(text.en.contains(needle), "en lacks {needle}: {}", text.en);
        assert!(text.fr.contains(needle), "fr lacks {needle}: {}", text.fr);
    }
    assert!(
        text.fr.contains("«\u{a0}Key challenges\u{a0}»"),
        "{}",
        text.fr
    );
    assert!(!text.en.contains('\u{2068}'), "no Unicode isolation marks");

    let none = filename_rule_text(None, None, "docx");
    assert!(none.en.contains("255"));
}
