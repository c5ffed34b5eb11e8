//! Essay templates: a Word file per vacancy document, written with docx-rs, already named as the
//! document's file-name rule wants and laid out within its page limit.
//!
//! The layout is plain on purpose, so that every page count agrees (ours, LibreOffice's, Word's):
//! A4 (or US Letter when the rules say so), 2.5 cm margins, Calibri 11 pt, which our layout
//! measures exactly with its metric twin Carlito, no header, footer, list or table.

use std::io::Cursor;

use docx_rs::{
    Docx, LineSpacing, LineSpacingType, PageMargin, Paragraph, Run, RunFonts, Style, StyleType,
};
use policy::rules::KIND_KEY_CHALLENGES;
use policy::{DocumentRules, Lang};
use sea_orm::ConnectionTrait;

use crate::error::ApiError;
use crate::service::vacancies;

/// The content type of a .docx.
pub const DOCX_CONTENT_TYPE: &str =
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

/// A4 in twips (210 × 297 mm).
const A4: (u32, u32) = (11906, 16838);
/// US Letter in twips (8.5 × 11 in).
const LETTER: (u32, u32) = (12240, 15840);
/// 2.5 cm in twips.
const MARGIN: i32 = 1418;
/// Header and footer distance (1.25 cm); the template has neither, Word wants the values.
const HEADER_FOOTER: i32 = 709;
/// Calibri: its metric twin Carlito is installed with LibreOffice and modelled by the inspection.
const FONT: &str = "Calibri";
/// Body size in half-points (11 pt).
const BODY_SIZE: usize = 22;
const GUIDANCE_COLOUR: &str = "595959";

/// What the template says about the vacancy.
#[derive(Debug, Clone, Copy)]
pub struct TemplateVacancy<'a> {
    pub reference: &'a str,
    pub title_en: &'a str,
    pub title_fr: &'a str,
    pub key_challenges: &'a [String],
}

/// A template ready to send: its file name and bytes.
#[derive(Debug, Clone)]
pub struct Template {
    pub filename: String,
    pub bytes: Vec<u8>,
}

/// The name the document's rule wants: the reference and the required phrase (the document's
/// title when it has no phrase), e.g. `251334 Key challenges.docx`.
pub fn template_filename(reference: &str, document: &DocumentRules) -> String {
    let phrase = document
        .filename_phrase
        .as_deref()
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .unwrap_or(document.title_en.trim());
    policy::suggested_filename(reference, phrase, "docx")
}

fn fonts() -> RunFonts {
    RunFonts::new()
        .ascii(FONT)
        .hi_ansi(FONT)
        .cs(FONT)
        .east_asia(FONT)
}

fn spacing(before: u32, after: u32) -> LineSpacing {
    LineSpacing::new()
        .before(before)
        .after(after)
        .line(264)
        .line_rule(LineSpacingType::Auto)
}

fn pages_sentence(document: &DocumentRules, lang: Lang) -> Option<String> {
    let pages = document.max_pages?;
    let paper = match document.paper {
        Some(inspection::Paper::Letter) => " US Letter",
        Some(_) => " A4",
        None => "",
    };
    Some(match (lang, pages) {
        (Lang::En, 1) => format!("Keep to at most 1{paper} page."),
        (Lang::En, n) => format!("Keep to at most {n}{paper} pages."),
        (Lang::Fr, 1) => format!("Une page{paper} au maximum."),
        (Lang::Fr, n) => format!("{n} pages{paper} au maximum."),
    })
}

fn guidance(document: &DocumentRules, filename: &str, lang: Lang) -> String {
    let formats: Vec<&str> = document
        .accepted_formats()
        .iter()
        .map(|f| f.label(lang))
        .collect();
    let formats = match lang {
        Lang::En => formats.join(" or "),
        Lang::Fr => formats.join(" ou "),
    };
    let mut parts = vec![match lang {
        Lang::En => "Write your answer under each heading, in place of the paragraph in brackets."
            .to_owned(),
        Lang::Fr => {
            "Rédigez votre réponse sous chaque titre, à la place du paragraphe entre crochets."
                .to_owned()
        }
    }];
    parts.extend(pages_sentence(document, lang));
    parts.push(match lang {
        Lang::En => format!(
            "Save it as {formats} named \u{201c}{filename}\u{201d}, and upload it before the deadline."
        ),
        Lang::Fr => format!(
            "Enregistrez-le en {formats} sous le nom \u{ab}\u{a0}{filename}\u{a0}\u{bb} et déposez-le avant la date limite."
        ),
    });
    parts.join(" ")
}

/// The Word template of `document` for `vacancy`: the vacancy's title and reference, short
/// guidance in English and French, then one heading per key challenge (one heading, the
/// document's title, for other documents) with a placeholder paragraph under each.
pub fn essay_template(
    vacancy: TemplateVacancy<'_>,
    document: &DocumentRules,
) -> Result<Vec<u8>, ApiError> {
    // Vacancies stored before control characters were removed at entry may still hold some;
    // the XML of a Word file cannot, so they are removed here too.
    let text = crate::domain::text::plain;
    let filename = template_filename(vacancy.reference, document);
    let (width, height) = match document.paper {
        Some(inspection::Paper::Letter) => LETTER,
        _ => A4,
    };
    let mut docx = Docx::new()
        .page_size(width, height)
        .page_margin(
            PageMargin::new()
                .top(MARGIN)
                .bottom(MARGIN)
                .left(MARGIN)
                .right(MARGIN)
                .header(HEADER_FOOTER)
                .footer(HEADER_FOOTER)
                .gutter(0),
        )
        .default_fonts(fonts())
        .default_size(BODY_SIZE)
        .default_line_spacing(spacing(0, 120))
        .add_style(
            Style::new("Title", StyleType::Paragraph)
                .name("Title")
                .fonts(fonts())
                .bold()
                .size(32)
                .line_spacing(spacing(0, 60)),
        )
        .add_style(
            Style::new("Heading1", StyleType::Paragraph)
                .name("heading 1")
                .next("Normal")
                .fonts(fonts())
                .bold()
                .size(24)
                .line_spacing(spacing(240, 80))
                .outline_lvl(0),
        );

    docx = docx
        .add_paragraph(
            Paragraph::new()
                .style("Title")
                .add_run(Run::new().add_text(text(vacancy.title_en.trim()))),
        )
        .add_paragraph(
            Paragraph::new().add_run(
                Run::new()
                    .add_text(text(&format!(
                        "Vacancy {} \u{2013} {}",
                        vacancy.reference.trim(),
                        document.title_en.trim()
                    )))
                    .bold(),
            ),
        );
    let french_title = vacancy.title_fr.trim();
    if !french_title.is_empty() && french_title != vacancy.title_en.trim() {
        docx = docx.add_paragraph(
            Paragraph::new().add_run(
                Run::new()
                    .add_text(text(&format!(
                        "{french_title} \u{2013} {}",
                        document.title_fr.trim()
                    )))
                    .color(GUIDANCE_COLOUR),
            ),
        );
    }
    for lang in [Lang::En, Lang::Fr] {
        docx = docx.add_paragraph(
            Paragraph::new().add_run(
                Run::new()
                    .add_text(text(&guidance(document, &filename, lang)))
                    .italic()
                    .color(GUIDANCE_COLOUR),
            ),
        );
    }

    let challenges: Vec<&str> = vacancy
        .key_challenges
        .iter()
        .map(|c| c.trim())
        .filter(|c| !c.is_empty())
        .collect();
    let headings = if document.kind == KIND_KEY_CHALLENGES && !challenges.is_empty() {
        challenges
    } else {
        vec![document.title_en.trim()]
    };
    for heading in headings {
        docx = docx
            .add_paragraph(
                Paragraph::new()
                    .style("Heading1")
                    .keep_next(true)
                    .add_run(Run::new().add_text(text(heading))),
            )
            .add_paragraph(Paragraph::new().add_run(Run::new().add_text(
                "[Replace this paragraph with your own text. / Remplacez ce paragraphe par votre texte.]",
            )));
    }

    let mut out = Cursor::new(Vec::new());
    docx.build()
        .pack(&mut out)
        .map_err(|e| ApiError::internal(std::io::Error::other(e.to_string())))?;
    Ok(out.into_inner())
}

/// The template of document `kind` of a vacancy candidates may see (never a draft's), for a
/// document that accepts Word files; 404 otherwise.
pub async fn for_vacancy(
    db: &impl ConnectionTrait,
    reference: &str,
    kind: &str,
) -> Result<Template, ApiError> {
    let vacancy = vacancies::find_public(db, reference).await?;
    let document = vacancy
        .rules
        .documents
        .iter()
        .find(|d| d.kind == kind)
        .filter(|d| d.accepted_formats().iter().any(|f| f.extension() == "docx"))
        .ok_or(ApiError::NotFound("document template"))?;
    let facts = TemplateVacancy {
        reference: &vacancy.model.reference,
        title_en: &vacancy.model.title_en,
        title_fr: &vacancy.model.title_fr,
        key_challenges: &vacancy.key_challenges,
    };
    Ok(Template {
        filename: template_filename(&vacancy.model.reference, document),
        bytes: essay_template(facts, document)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn demo(reference: &str) -> policy::DemoVacancy {
        policy::demo_vacancies()
            .into_iter()
            .find(|v| v.reference == reference)
            .expect("demo vacancy")
    }

    fn inspect(bytes: &[u8]) -> inspection::Facts {
        inspection::inspect(bytes, "template.docx", &inspection::Limits::default()).facts
    }

    #[test]
    fn the_one_page_notice_gets_a_template_within_one_a4_page_measured_exactly() {
        // Arrange: 250875 asks for at most 1 A4 page on three long key challenges.
        let demo = demo("250875");
        let document = &demo.rules.documents[0];
        assert_eq!(document.max_pages, Some(1));
        assert_eq!(demo.key_challenges.len(), 3);
        let vacancy = TemplateVacancy {
            reference: &demo.reference,
            title_en: &demo.title_en,
            title_fr: &demo.title_fr,
            key_challenges: &demo.key_challenges,
        };

        // Act
        let facts = inspect(&essay_template(vacancy, document).unwrap());

        // Assert
        assert_eq!(facts.format, inspection::Format::Docx);
        assert_eq!(facts.pages, Some(1), "{facts:?}");
        assert_eq!(facts.paper, Some(inspection::Paper::A4));
        assert!(facts.unmeasured_fonts.is_empty(), "{facts:?}");
        assert!(facts.problems.is_empty(), "{:?}", facts.problems);
    }

    #[test]
    fn every_demo_template_is_named_by_its_rule_within_its_limit_with_a_heading_per_challenge() {
        let limits = inspection::Limits::default();
        for demo in policy::demo_vacancies() {
            let vacancy = TemplateVacancy {
                reference: &demo.reference,
                title_en: &demo.title_en,
                title_fr: &demo.title_fr,
                key_challenges: &demo.key_challenges,
            };
            for document in &demo.rules.documents {
                let name = template_filename(&demo.reference, document);
                let reference = document
                    .filename_must_include_reference
                    .then_some(demo.reference.as_str());
                let phrase = document.filename_phrase.as_deref();
                let check = policy::check_filename(&name, reference, phrase);
                assert_eq!(check, Ok(()), "{name}: the rule of {}", demo.reference);

                let bytes = essay_template(vacancy, document).unwrap();
                let inspection = inspection::inspect(&bytes, &name, &limits);
                let facts = &inspection.facts;
                let text = inspection.details.text_excerpt.clone().unwrap_or_default();
                assert!(text.contains(demo.title_en.trim()), "{text}");
                assert!(text.contains(demo.reference.as_str()), "{text}");
                if document.kind == KIND_KEY_CHALLENGES {
                    for challenge in &demo.key_challenges {
                        assert!(text.contains(challenge.trim()), "{challenge} in {text}");
                    }
                }
                let max = document.max_pages.unwrap_or(1);
                assert!(facts.pages.is_some_and(|p| p <= max), "{name}: {facts:?}");
                assert!(facts.unmeasured_fonts.is_empty(), "{name}: {facts:?}");
            }
        }
    }
}
