//! DOCX: the package's parts, formatting resolution, and our own layout engine.
//!
//! | module | owns |
//! |---|---|
//! | `package` | relationships of the main part and the parts they name |
//! | `docprops` | docProps/app.xml and core.xml: evidence and metadata |
//! | `props` | `w:pPr`/`w:rPr`/`w:tblPr` as written, and their merging |
//! | `styles` | the style sheet, theme fonts, resolution to concrete properties |
//! | `numbering` | list definitions and markers |
//! | `collect` | document.xml → sections of paragraphs and tables |
//! | `runs` | the runs of a paragraph → text, tabs, breaks, pictures |
//! | `model` | the resolved document the rest reads |
//! | `units` | twips, sixths of a twip, half-points, EMU; paper sizes |
//! | `layout` | line breaking, tables, pagination |
//! | `facts` | the layout's results as [`Facts`] and [`Details`] |
//! | `excerpt` | plain text of the blocks |
//! | `html` | the assessors' HTML |
//! | `odt` | ODT (meta.xml only) |

mod collect;
mod docprops;
mod excerpt;
mod facts;
pub mod html;
mod layout;
mod model;
mod numbering;
mod odt;
mod package;
mod props;
mod runs;
mod styles;
mod units;

pub use docprops::word_saved_last;
pub use odt::odt_meta;

use crate::xml::Node;
use crate::zipread::{SafeZip, ZipFailure};
use crate::{codes, Details, Facts};
use collect::Collector;
use numbering::Numbering;
use package::Relationships;
use std::collections::HashMap;
use styles::{Styles, ThemeFonts};

/// Inspects the WordprocessingML package whose main part is `main`: reads the parts, lays the
/// text out, and records pages, paper, words, text and evidence.
pub fn inspect_docx(
    zip: &mut SafeZip<'_>,
    main: &str,
    facts: &mut Facts,
    details: &mut Details,
) -> Result<(), ZipFailure> {
    docprops::read_app(zip, facts, details)?;
    docprops::read_core(zip, facts, details)?;
    let Some(doc) = zip.xml(main, facts)? else {
        facts.problem(
            codes::UNREADABLE,
            "The Word document has no main text part and cannot be read.",
        );
        return Ok(());
    };
    // A layout of what could be read of a damaged or refused part would be a page count of
    // part of the document: none is reported.
    if facts.problems.iter().any(|p| p.code.means_unreadable()) {
        return Ok(());
    }
    let parts = Parts::read(zip, main, facts)?;
    if facts.problems.iter().any(|p| p.code.means_unreadable()) {
        return Ok(());
    }
    let mut collector = Collector::new(
        &parts.styles,
        parts.theme_fonts,
        parts.numbering,
        parts.header_parts,
        parts.image_parts,
        zip.limits.max_layout_blocks,
    )
    .with_footnotes(parts.footnotes.as_ref())
    .with_endnotes(parts.endnotes.as_ref());
    let Some(document) = doc.find("document") else {
        facts.problem(
            codes::UNREADABLE,
            "The Word document has no body and cannot be read.",
        );
        return Ok(());
    };
    let sections = collector.sections(document);
    let endnote_blocks = endnote_blocks(&mut collector);
    let endnotes = layout::Endnotes {
        blocks: &endnote_blocks,
        place: endnote_place(details),
    };
    let out = layout::paginate(&sections, parts.sum_spacing, &collector.notes, &endnotes);
    facts::record_pages(&out, facts, details);
    if let Some(lines) = facts::lines_per_full_page(&mut collector, &out) {
        details.lines_per_full_page = Some(lines);
    }
    // Notes are read too: a name in a footnote must reach the anonymity check and the panel.
    let notes: Vec<model::Block> = collector
        .notes
        .iter()
        .chain(&collector.endnotes)
        .flatten()
        .cloned()
        .map(model::Block::Para)
        .collect();
    let mut text = String::new();
    for s in &sections {
        excerpt::push_text_excerpt(&s.blocks, &mut text);
    }
    excerpt::push_text_excerpt(&notes, &mut text);
    details.essay_html = Some(html::render(
        sections.iter().map(|s| s.blocks.as_slice()),
        &notes,
    ));
    details.text_excerpt = Some(text);
    facts::record_estimate(&collector, facts, details);
    if word_saved_last(details, facts.words) {
        facts.word_pages = details.app_xml_pages;
        facts::record_word_disagreement(facts);
    }
    Ok(())
}

/// Where the endnotes go. LibreOffice 7.4 gives them a page of their own; Word sets them right
/// after the text, and so does every other program we know of that writes endnotes. Of the
/// two, the program that saved the file last decides: it is what the candidate saw. Without
/// that evidence, Word's way, which never adds a page the candidate did not see in Word.
fn endnote_place(details: &Details) -> layout::EndnotePlace {
    let by_libreoffice = details
        .app_xml_application
        .as_deref()
        .is_some_and(|app| app.to_ascii_lowercase().contains("libreoffice"));
    if by_libreoffice {
        layout::EndnotePlace::OwnPage
    } else {
        layout::EndnotePlace::AfterText
    }
}

/// The referenced endnotes as blocks, after the endnotes part's own separator (an empty
/// paragraph holding the rule, one line tall).
fn endnote_blocks(collector: &mut Collector<'_>) -> Vec<model::Block> {
    if collector.endnotes.is_empty() {
        return Vec::new();
    }
    let mut blocks = Vec::new();
    if let Some(separator) = collector.endnote_separator.take() {
        collector.blocks_of(&separator, &mut blocks);
    }
    blocks.extend(
        collector
            .endnotes
            .iter()
            .flatten()
            .cloned()
            .map(model::Block::Para),
    );
    blocks
}

/// The parts the main part relies on, read in the order the budget of the ZIP reader sees them.
struct Parts {
    styles: Styles,
    theme_fonts: ThemeFonts,
    numbering: Numbering,
    /// Whether the space between paragraphs is after + before rather than the larger of the two.
    sum_spacing: bool,
    header_parts: HashMap<String, Node>,
    image_parts: HashMap<String, String>,
    footnotes: Option<Node>,
    endnotes: Option<Node>,
}

impl Parts {
    fn read(zip: &mut SafeZip<'_>, main: &str, facts: &mut Facts) -> Result<Parts, ZipFailure> {
        let rels = Relationships::read(zip, main, facts)?;
        let styles_root = match rels.part_of_kind("styles") {
            Some(p) => zip.xml(&p, facts)?,
            None => zip.xml("word/styles.xml", facts)?,
        };
        let styles = Styles::parse(styles_root.as_ref());
        let theme = rels.read_part_of_kind(zip, "theme", facts)?;
        let theme_fonts = ThemeFonts::parse(theme.as_ref());
        let numbering = match rels.part_of_kind("numbering") {
            Some(p) => Numbering::parse(zip.xml(&p, facts)?.as_ref()),
            None => Numbering::default(),
        };
        // Space between paragraphs is the larger of after/before, but LibreOffice adds them up
        // when settings.xml has doNotUseHTMLParagraphAutoSpacing -- and also when there is no
        // settings part at all (its import defaults then stay at "add spacing"; measured, see
        // README).
        let mut sum_spacing = true;
        if let Some(s) = rels.read_part_of_kind(zip, "settings", facts)? {
            sum_spacing = s.find("doNotUseHTMLParagraphAutoSpacing").is_some();
        }
        let header_parts = rels.headers_and_footers(zip, facts)?;
        let footnotes = rels.read_part_of_kind(zip, "footnotes", facts)?;
        let endnotes = rels.read_part_of_kind(zip, "endnotes", facts)?;
        Ok(Parts {
            footnotes,
            endnotes,
            styles,
            theme_fonts,
            numbering,
            sum_spacing,
            header_parts,
            image_parts: rels.images(),
        })
    }
}
