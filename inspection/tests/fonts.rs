//! Fonts with no metric twin make the page count an estimate, named in the facts; Word's own
//! saved count is taken only when Word saved this very text last.
use inspection::{inspect, Facts, Limits};
use testkit::docx::{app_xml, font_essay as essay};

fn facts(bytes: &[u8]) -> Facts {
    inspect(bytes, "251334 Key challenges.docx", &Limits::default()).facts
}

fn estimate(facts: &Facts) -> Option<&str> {
    facts
        .problems
        .iter()
        .find(|p| p.code == "estimate")
        .map(|p| p.message.as_str())
}

#[test]
fn an_aptos_essay_is_an_estimate_that_names_its_font() {
    let f = facts(&essay("Aptos", 12, None, None));
    assert_eq!(f.unmeasured_fonts, vec!["Aptos".to_owned()]);
    let message = estimate(&f).expect("an estimate");
    assert!(message.contains("Aptos"), "{message}");
    assert_eq!(f.word_pages, None);
}

#[test]
fn a_calibri_essay_is_exact_even_with_a_stray_symbol_in_another_font() {
    let f = facts(&essay("Calibri", 12, Some("Segoe UI Symbol"), None));
    assert_eq!(estimate(&f), None, "{:?}", f.problems);
    assert!(f.unmeasured_fonts.is_empty());
}

#[test]
fn words_own_count_is_taken_only_when_word_saved_this_text_last() {
    // Arrange: how many words the layout reads, to write a matching app.xml.
    let words = facts(&essay("Aptos", 12, None, None)).words.unwrap();
    // (why, app.xml, Word's count expected)
    let table = [
        (
            "Word saved it: Application, AppVersion and word count agree",
            Some(app_xml("Microsoft Office Word", Some("16.0000"), 2, words)),
            Some(2),
        ),
        (
            "Word on a Mac",
            Some(app_xml(
                "Microsoft Macintosh Word",
                Some("16.0000"),
                3,
                words + 5,
            )),
            Some(3),
        ),
        (
            "a template's stale app.xml (python-docx: 0 words)",
            Some(app_xml("Microsoft Macintosh Word", Some("14.0000"), 1, 0)),
            None,
        ),
        (
            "LibreOffice saved it last",
            Some(app_xml("LibreOffice/7.4.7.2$Linux_X86_64", None, 2, words)),
            None,
        ),
        (
            "no AppVersion",
            Some(app_xml("Microsoft Office Word", None, 2, words)),
            None,
        ),
        ("no app.xml at all (pandoc, docx-rs)", None, None),
    ];
    for (why, app, expected) in table {
        // Act
        let f = facts(&essay("Aptos", 12, None, app));
        // Assert
        assert_eq!(f.word_pages, expected, "{why}");
    }
}

/// A font without a metric twin is measured with the face LibreOffice draws on Debian, checked
/// there with `fc-match NAME` and with the fonts embedded in `soffice --convert-to pdf`.
#[test]
fn fonts_without_a_twin_are_measured_as_libreoffice_substitutes_them() {
    use inspection::fonts::{family_for, Family};
    let table = [
        ("Calibri", Family::Carlito),
        ("Cambria", Family::Caladea),
        ("Arial", Family::Sans),
        ("Helvetica", Family::Sans),
        ("Times New Roman", Family::Serif),
        ("Times", Family::Serif),
        ("Courier New", Family::Mono),
        ("Georgia", Family::DejaVuSerif),
        ("Garamond", Family::DejaVuSerif),
        ("Palatino Linotype", Family::DejaVuSerif),
        ("Constantia", Family::DejaVuSerif),
        // fontconfig matches whole names: these are not on its serif list.
        ("Garamond Premier Pro", Family::DejaVuSans),
        ("Book Antiqua", Family::DejaVuSans),
        ("Aptos", Family::DejaVuSans),
        ("Verdana", Family::DejaVuSans),
        ("Segoe UI", Family::DejaVuSans),
        ("Yu Mincho", Family::DejaVuSans),
        ("DengXian", Family::DejaVuSans),
    ];
    for (name, family) in table {
        assert_eq!(family_for(name), family, "{name}");
    }
}

#[test]
fn the_same_text_in_verdana_fills_more_than_in_arial() {
    // DejaVu Sans, LibreOffice's face for Verdana, is wider than Liberation Sans (Arial's twin).
    let fill = |font| {
        let f = facts(&essay(font, 12, None, None));
        (f.pages.unwrap_or(0), f.last_page_fill.unwrap_or(0.0))
    };
    let (verdana, arial) = (fill("Verdana"), fill("Arial"));
    assert!(verdana > arial, "Verdana {verdana:?}, Arial {arial:?}");
}
