//! Evaluation: one uploaded document against its vacancy's rules.
//!
//! Decisions (also in `DECISIONS.md`):
//! * Only measured evidence rejects. A page count read from a legacy `.doc`'s metadata
//!   (written by whatever last saved it) or flagged by inspection as an estimate gives a
//!   `warn`, never a `fail`, on the page rule; the format rule is where a `.doc` is
//!   refused when the vacancy does not accept it.
//! * A rule the vacancy marks advisory gives `warn` instead of `fail` and never rejects.
//! * `readable`, `encryption` and `deadline` are always blocking.
//! * Rules that cannot be judged are left out rather than guessed: nothing about pages
//!   or paper for a file that is encrypted or not a document at all.

use chrono::{DateTime, Utc};
use inspection::{Facts, Format, PageCountSource, Paper};
use serde::{Deserialize, Serialize};

use crate::deadline::{deadline_check, effective_deadline, format_deadline, DeadlineOutcome};
use crate::filename::{basename, check_filename, suggested_filename, FilenameProblem};
use crate::i18n::{self, join_or, n, s, Args};
use crate::rules::{AcceptedFormat, DocumentRules, Severity, VacancyRules};
use crate::{Lang, Localized};

/// Everything one evaluation needs; the caller supplies the clock readings.
#[derive(Debug, Clone)]
pub struct EvaluationInput<'a> {
    pub facts: &'a Facts,
    /// Lines of text on the first page past the limit, when the document runs exactly
    /// one page over (inspection's `lines_on_last_page`). Lets the message say "runs 4
    /// lines onto page 3" instead of only "has 3 pages".
    pub overflow_lines: Option<u32>,
    /// Whether the file carries macros, when the caller knows (inspection's details).
    /// Inspection's `macros` problem code and the `.docm` format count as well.
    pub has_macros: Option<bool>,
    /// The file name as the browser or the command line gave it, path and all.
    pub filename: &'a str,
    pub size_bytes: u64,
    /// The instant the upload began: the one that counts against the deadline.
    pub upload_began: DateTime<Utc>,
    pub upload_completed: DateTime<Utc>,
    /// This candidate's extended deadline, if they were granted one.
    pub extended_deadline: Option<DateTime<Utc>>,
    pub vacancy: &'a VacancyRules,
    pub document: &'a DocumentRules,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Decision {
    Accept,
    Reject,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RuleStatus {
    Pass,
    Fail,
    Warn,
}

/// The outcome of one rule. `rule` is a stable id: format, readable, encryption,
/// macros, pages, paper, filename, size, deadline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RuleResult {
    pub rule: String,
    pub status: RuleStatus,
    pub expected: Option<String>,
    pub found: Option<String>,
    pub message: Localized,
    pub blocking: bool,
}

/// The verdict on one upload; serialises to the `check --json` contract.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Verdict {
    pub verdict: Decision,
    pub rules: Vec<RuleResult>,
}

impl Verdict {
    pub fn accepted(&self) -> bool {
        self.verdict == Decision::Accept
    }

    pub fn rule(&self, id: &str) -> Option<&RuleResult> {
        self.rules.iter().find(|r| r.rule == id)
    }
}

struct Builder {
    rules: Vec<RuleResult>,
}

impl Builder {
    fn pass(
        &mut self,
        rule: &str,
        expected: Option<String>,
        found: Option<String>,
        message: Localized,
    ) {
        self.push(rule, RuleStatus::Pass, false, expected, found, message);
    }

    /// A broken rule: `fail` and blocking, or `warn` when the vacancy made it advisory.
    fn broken(
        &mut self,
        rule: &str,
        severity: Severity,
        expected: Option<String>,
        found: Option<String>,
        message: Localized,
    ) {
        match severity {
            Severity::Blocking => self.push(rule, RuleStatus::Fail, true, expected, found, message),
            Severity::Advisory => {
                self.push(rule, RuleStatus::Warn, false, expected, found, message)
            }
        }
    }

    fn warn(
        &mut self,
        rule: &str,
        expected: Option<String>,
        found: Option<String>,
        message: Localized,
    ) {
        self.push(rule, RuleStatus::Warn, false, expected, found, message);
    }

    fn push(
        &mut self,
        rule: &str,
        status: RuleStatus,
        blocking: bool,
        expected: Option<String>,
        found: Option<String>,
        message: Localized,
    ) {
        self.rules.push(RuleResult {
            rule: rule.to_string(),
            status,
            expected,
            found,
            message,
            blocking,
        });
    }
}

/// Problem codes (see `inspection::codes`) meaning the file could not be read through.
const UNREADABLE_CODES: &[&str] = &[
    "unreadable",
    "too-large",
    "too-many-entries",
    "zip-bomb",
    "xml-too-deep",
    "xml-doctype",
    "too-complex",
];
const ACTIVE_CONTENT_CODES: &[&str] = &["javascript", "launch-action"];

fn has_problem(facts: &Facts, codes: &[&str]) -> bool {
    facts
        .problems
        .iter()
        .any(|p| codes.contains(&p.code.as_str()))
}

fn formats_list(formats: &[AcceptedFormat], lang: Lang) -> String {
    let labels: Vec<String> = formats.iter().map(|f| f.label(lang).to_string()).collect();
    join_or(&labels, lang)
}

fn format_found(format: Format) -> String {
    serde_json::to_value(format)
        .ok()
        .and_then(|v| v.as_str().map(String::from))
        .unwrap_or_else(|| "unknown".into())
}

/// Evaluates one upload. Pure: the same input always gives the same verdict.
pub fn evaluate(input: &EvaluationInput) -> Verdict {
    let facts = input.facts;
    let doc = input.document;
    let accepted = doc.accepted_formats();
    let first = accepted[0];
    let detected = AcceptedFormat::from_inspected(facts.format);
    let known = facts.format != Format::Unknown && !has_problem(facts, &["not-a-document"]);
    let unreadable = facts
        .problems
        .iter()
        .find(|p| UNREADABLE_CODES.contains(&p.code.as_str()));
    let mut b = Builder { rules: vec![] };

    // format
    let expected_formats = Some(
        accepted
            .iter()
            .map(|f| f.extension())
            .collect::<Vec<_>>()
            .join(", "),
    );
    let found_format = Some(format_found(facts.format));
    let list = |lang| formats_list(&accepted, lang);
    match detected {
        Some(f) if doc.accepts(f) => b.pass(
            "format",
            expected_formats,
            found_format,
            i18n::localized("format-pass", |lang| vec![("found", s(f.label(lang)))]),
        ),
        Some(AcceptedFormat::Doc) if doc.accepts(AcceptedFormat::Docx) => b.broken(
            "format",
            doc.severities.format,
            expected_formats,
            found_format,
            i18n::localized("format-legacy-doc", |_| vec![]),
        ),
        Some(f) => b.broken(
            "format",
            doc.severities.format,
            expected_formats,
            found_format,
            i18n::localized("format-wrong", |lang| {
                vec![
                    ("found", s(f.label(lang))),
                    ("accepted", s(list(lang))),
                    ("first", s(first.label(lang))),
                ]
            }),
        ),
        None if facts.format == Format::Docm => b.broken(
            "format",
            doc.severities.format,
            expected_formats,
            found_format,
            i18n::localized("format-docm", |_| vec![]),
        ),
        // The container could not be opened safely (a zip bomb, too many parts, a worker that
        // was stopped): say that, rather than "not recognised", which would be wrong and useless.
        None => match unreadable {
            Some(problem) => b.broken(
                "format",
                doc.severities.format,
                expected_formats,
                Some(problem.code.clone()),
                i18n::localized("format-unopened", |lang| {
                    vec![
                        ("problem", s(problem.message.clone())),
                        ("first", s(first.label(lang))),
                    ]
                }),
            ),
            None => b.broken(
                "format",
                doc.severities.format,
                expected_formats,
                found_format,
                i18n::localized("format-unknown", |lang| {
                    vec![("accepted", s(list(lang))), ("first", s(first.label(lang)))]
                }),
            ),
        },
    }

    // encryption
    let encrypted = facts.encrypted || has_problem(facts, &["encrypted"]);
    if known {
        if encrypted {
            b.broken(
                "encryption",
                Severity::Blocking,
                Some("not encrypted".into()),
                Some("encrypted".into()),
                i18n::localized("encryption-fail", |_| vec![]),
            );
        } else {
            b.pass(
                "encryption",
                Some("not encrypted".into()),
                Some("not encrypted".into()),
                i18n::localized("encryption-pass", |_| vec![]),
            );
        }
    }

    // readable
    let readable = known && !encrypted && unreadable.is_none();
    if known && !encrypted {
        match unreadable {
            Some(problem) => b.broken(
                "readable",
                Severity::Blocking,
                Some("readable".into()),
                Some(problem.code.clone()),
                i18n::localized("readable-fail", |lang| {
                    vec![
                        ("problem", s(problem.message.clone())),
                        ("first", s(first.label(lang))),
                    ]
                }),
            ),
            None => b.pass(
                "readable",
                Some("readable".into()),
                Some("readable".into()),
                i18n::localized("readable-pass", |_| vec![]),
            ),
        }
    }

    // macros
    let macros = facts.format == Format::Docm
        || input.has_macros == Some(true)
        || has_problem(facts, &["macros"])
        || has_problem(facts, ACTIVE_CONTENT_CODES);
    if known {
        if macros {
            b.broken(
                "macros",
                doc.severities.macros,
                Some("no macros".into()),
                Some("macros".into()),
                i18n::localized("macros-fail", |_| vec![]),
            );
        } else if readable {
            b.pass(
                "macros",
                Some("no macros".into()),
                Some("no macros".into()),
                i18n::localized("macros-pass", |_| vec![]),
            );
        }
    }

    if readable {
        if let Some(max) = doc.max_pages {
            pages_rule(&mut b, input, max);
        }
        if let Some(paper) = doc.paper {
            paper_rule(&mut b, input, paper);
        }
    }

    filename_rule(&mut b, input, detected, first);
    size_rule(&mut b, input);
    deadline_rule(&mut b, input);

    let reject = b
        .rules
        .iter()
        .any(|r| r.status == RuleStatus::Fail && r.blocking);
    Verdict {
        verdict: if reject {
            Decision::Reject
        } else {
            Decision::Accept
        },
        rules: b.rules,
    }
}

fn pages_args(pairs: &[(&'static str, u32)]) -> Args {
    pairs.iter().map(|(k, v)| (*k, n(*v))).collect()
}

/// The first words of a page, as the candidate will recognise them: "In the longer term…".
fn excerpt(text: &str) -> String {
    let words: Vec<&str> = text.split_whitespace().collect();
    if words.len() <= 5 {
        words.join(" ")
    } else {
        format!("{}…", words[..5].join(" "))
    }
}

fn pages_rule(b: &mut Builder, input: &EvaluationInput, max: u32) {
    let facts = input.facts;
    let severity = input.document.severities.pages;
    let expected = Some(format!("at most {max}"));
    let Some(pages) = facts.pages else {
        b.warn(
            "pages",
            expected,
            None,
            i18n::localized("pages-unknown", |_| pages_args(&[("max", max)])),
        );
        return;
    };
    let found = Some(pages.to_string());
    if has_problem(facts, &["estimate"]) {
        estimated_pages_rule(b, input, max, pages);
        return;
    }
    if facts.page_count_source == Some(PageCountSource::Metadata) {
        // A .doc's page count is whatever the last program to save it wrote.
        b.warn(
            "pages",
            expected,
            found,
            i18n::localized("pages-metadata", |_| {
                pages_args(&[("pages", pages), ("max", max)])
            }),
        );
        return;
    }
    if pages <= max {
        b.pass(
            "pages",
            expected,
            found,
            i18n::localized("pages-pass", |_| {
                pages_args(&[("pages", pages), ("max", max)])
            }),
        );
        return;
    }
    let start = facts
        .page_starts
        .get(max as usize)
        .map(|t| excerpt(t))
        .filter(|t| !t.is_empty());
    let page = max + 1;
    let message = match (pages == page, input.overflow_lines, start) {
        (true, Some(lines), Some(start)) => i18n::localized("pages-over-lines", |_| {
            let mut args = pages_args(&[("lines", lines), ("page", page), ("max", max)]);
            args.push(("start", s(start.clone())));
            args
        }),
        (true, _, Some(start)) => i18n::localized("pages-over-start", |_| {
            let mut args = pages_args(&[("page", page), ("max", max)]);
            args.push(("start", s(start.clone())));
            args
        }),
        _ => i18n::localized("pages-over", |_| {
            pages_args(&[("pages", pages), ("max", max), ("excess", pages - max)])
        }),
    };
    match facts.word_pages {
        // Word saved the file last and counts fewer pages: our layout may be right (assessors may
        // see the extra page), but a measured disagreement with Word is not enough to reject.
        Some(word) if word <= max => b.warn(
            "pages",
            expected,
            found,
            i18n::localized("pages-word-disagrees", |_| {
                pages_args(&[("word", word), ("pages", pages), ("max", max)])
            }),
        ),
        _ => b.broken("pages", severity, expected, found, message),
    }
}

/// Why the layout's count is an estimate, in the candidate's language.
fn estimate_reason(facts: &Facts, lang: Lang) -> String {
    if facts.unmeasured_fonts.is_empty() {
        i18n::tr(lang, "estimate-floating", vec![])
    } else {
        i18n::tr(
            lang,
            "estimate-fonts",
            vec![
                ("fonts", s(facts.unmeasured_fonts.join(", "))),
                ("count", n(facts.unmeasured_fonts.len() as u32)),
            ],
        )
    }
}

/// The page rule when the layout could only estimate (fonts without metrics, floating objects).
/// The best evidence decides, and the message says which: Microsoft Word's own count when Word
/// saved the file last; otherwise the estimate, which never rejects and tells a candidate near
/// or over the limit how to be sure.
fn estimated_pages_rule(b: &mut Builder, input: &EvaluationInput, max: u32, pages: u32) {
    let facts = input.facts;
    let severity = input.document.severities.pages;
    let expected = Some(format!("at most {max}"));
    let args = |lang: Lang, pairs: &[(&'static str, u32)]| {
        let mut args = pages_args(pairs);
        args.push(("reason", s(estimate_reason(facts, lang))));
        args
    };
    if let Some(word) = facts.word_pages {
        let found = Some(format!(
            "{word} (Microsoft Word's count; our estimate: {pages})"
        ));
        if word <= max {
            let message = i18n::localized("pages-word-pass", |lang| {
                args(lang, &[("word", word), ("pages", pages), ("max", max)])
            });
            // Accepted on Word's count; when our estimate is over the limit, that stays visible
            // as an advisory (and so as a flag for the panel and admins).
            if pages > max {
                b.warn("pages", expected, found, message);
            } else {
                b.pass("pages", expected, found, message);
            }
        } else {
            let message = i18n::localized("pages-word-over", |lang| {
                args(
                    lang,
                    &[("word", word), ("max", max), ("excess", word - max)],
                )
            });
            b.broken("pages", severity, expected, found, message);
        }
        return;
    }
    let found = Some(format!("{pages} (estimate)"));
    let near = pages == max && facts.last_page_fill.is_some_and(|fill| fill >= 0.85);
    if pages < max || (pages == max && !near) {
        b.pass(
            "pages",
            expected,
            found,
            i18n::localized("pages-estimate-pass", |lang| {
                args(lang, &[("pages", pages), ("max", max)])
            }),
        );
    } else {
        let id = if pages > max {
            "pages-estimate-over"
        } else {
            "pages-estimate-near"
        };
        b.warn(
            "pages",
            expected,
            found,
            i18n::localized(id, |lang| {
                args(lang, &[("pages", pages), ("max", max), ("page", max + 1)])
            }),
        );
    }
}

fn paper_name(paper: Paper) -> &'static str {
    match paper {
        Paper::A4 => "A4",
        Paper::Letter => "Letter",
        Paper::Other => "other",
        Paper::Mixed => "mixed",
    }
}

fn paper_rule(b: &mut Builder, input: &EvaluationInput, required: Paper) {
    let facts = input.facts;
    let severity = input.document.severities.paper;
    let expected = Some(paper_name(required).to_string());
    let doc_word = |lang: Lang| {
        let id = if facts.format == Format::Pdf {
            "doc-pdf"
        } else {
            "doc-document"
        };
        i18n::tr(lang, id, vec![])
    };
    let first_size = facts
        .page_sizes_mm
        .iter()
        .find(|[w, h]| !is_a4(*w, *h))
        .or(facts.page_sizes_mm.first())
        .copied();
    let dims = |lang: Lang| -> Args {
        let [w, h] = first_size.unwrap_or([0.0, 0.0]);
        vec![
            ("doc", s(doc_word(lang))),
            ("width", s(format!("{}", w.round() as i64))),
            ("height", s(format!("{}", h.round() as i64))),
        ]
    };
    let found_text = |p: Paper| match first_size {
        Some([w, h]) if p != Paper::Mixed => {
            format!(
                "{} ({} × {} mm)",
                paper_name(p),
                w.round() as i64,
                h.round() as i64
            )
        }
        _ => paper_name(p).to_string(),
    };
    match facts.paper {
        None => b.warn(
            "paper",
            expected,
            None,
            i18n::localized("paper-unknown", |_| vec![]),
        ),
        Some(p) if p == required => b.pass(
            "paper",
            expected,
            Some(found_text(p)),
            i18n::localized("paper-pass", |_| vec![("paper", s(paper_name(p)))]),
        ),
        Some(p) => {
            let id = match p {
                Paper::Letter => "paper-letter",
                Paper::Mixed => "paper-mixed",
                _ => "paper-other",
            };
            b.broken(
                "paper",
                severity,
                expected,
                Some(found_text(p)),
                i18n::localized(id, dims),
            );
        }
    }
}

/// Within inspection's own tolerance, in either orientation.
fn is_a4(w: f64, h: f64) -> bool {
    let (short, long) = if w < h { (w, h) } else { (h, w) };
    (short - 210.0).abs() <= 2.0 && (long - 297.0).abs() <= 2.0
}

fn filename_rule(
    b: &mut Builder,
    input: &EvaluationInput,
    detected: Option<AcceptedFormat>,
    first: AcceptedFormat,
) {
    let doc = input.document;
    let severity = doc.severities.filename;
    let reference = if doc.filename_must_include_reference {
        Some(input.vacancy.reference.as_str()).filter(|r| !r.trim().is_empty())
    } else {
        None
    };
    let phrase = doc.filename_phrase.as_deref();
    let base = basename(input.filename);
    // Suggest the extension the file will have once it is in an accepted format.
    let ext = match detected {
        Some(f) if doc.accepts(f) => f,
        _ => first,
    };
    let suggestion = suggested_filename(
        reference.unwrap_or(""),
        phrase.unwrap_or(""),
        ext.extension(),
    );
    let suggestion = if reference.is_none() && phrase.is_none() {
        // Nothing is required of the name: suggest a clean version of the candidate's own.
        clean_name(base, ext)
    } else {
        suggestion
    };
    let expected = Some(suggestion.clone());
    let found = Some(base.to_string());
    let args = |lang: Lang| -> Args {
        let _ = lang;
        vec![
            ("suggestion", s(suggestion.clone())),
            ("reference", s(reference.unwrap_or(""))),
            ("phrase", s(phrase.unwrap_or(""))),
        ]
    };
    let problem = check_filename(input.filename, reference, phrase);
    let id = match problem {
        Err(FilenameProblem::Empty) => Some("filename-empty"),
        Err(FilenameProblem::ControlCharacter) => Some("filename-control"),
        Err(FilenameProblem::TooLong { .. }) => Some("filename-too-long"),
        Err(FilenameProblem::MissingReference) => Some("filename-missing-reference"),
        Err(FilenameProblem::MissingPhrase) => Some("filename-missing-phrase"),
        Err(FilenameProblem::MissingReferenceAndPhrase) => Some("filename-missing-both"),
        Ok(()) => None,
    };
    if let Some(id) = id {
        let bytes = base.len();
        b.broken(
            "filename",
            severity,
            expected,
            found,
            i18n::localized(id, |lang| {
                let mut a = args(lang);
                a.push(("bytes", n(bytes as f64)));
                a
            }),
        );
        return;
    }
    // A name whose extension contradicts the content opens in the wrong program, or not
    // at all, on the reviewer's computer.
    if let Some(format) = detected {
        let name_ext = base
            .rsplit_once('.')
            .map(|(_, e)| e.to_lowercase())
            .unwrap_or_default();
        if name_ext != format.extension() {
            let fixed = replace_extension(base, format);
            let shown_ext = if name_ext.is_empty() {
                String::new()
            } else {
                format!(".{name_ext}")
            };
            b.broken(
                "filename",
                severity,
                Some(fixed.clone()),
                found,
                i18n::localized("filename-extension", |lang| {
                    vec![
                        ("format", s(format.label(lang))),
                        ("ext", s(shown_ext.clone())),
                        ("suggestion", s(fixed.clone())),
                    ]
                }),
            );
            return;
        }
    }
    b.pass(
        "filename",
        expected,
        found,
        i18n::localized("filename-pass", |_| vec![]),
    );
}

/// The candidate's name with control characters dropped and the right extension.
fn clean_name(base: &str, format: AcceptedFormat) -> String {
    let cleaned: String = base.chars().filter(|c| !c.is_control()).collect();
    let stem = cleaned
        .rsplit_once('.')
        .map(|(s, _)| s)
        .unwrap_or(&cleaned)
        .trim();
    let stem = if stem.is_empty() { "essay" } else { stem };
    let stem: String = stem.chars().take(120).collect();
    format!("{stem}.{}", format.extension())
}

fn replace_extension(base: &str, format: AcceptedFormat) -> String {
    let stem = match base.rsplit_once('.') {
        // Keep a dotted stem like "251334.Key.challenges" whole only when the tail is
        // clearly an extension (short and alphanumeric).
        Some((stem, ext)) if ext.len() <= 5 && ext.chars().all(|c| c.is_ascii_alphanumeric()) => {
            stem
        }
        _ => base,
    };
    format!("{stem}.{}", format.extension())
}

fn size_text(bytes: u64, lang: Lang) -> String {
    let (value, unit_en, unit_fr) = if bytes >= 1024 * 1024 {
        (bytes as f64 / (1024.0 * 1024.0), "MB", "Mo")
    } else if bytes >= 1024 {
        (bytes as f64 / 1024.0, "KB", "Ko")
    } else {
        return match lang {
            Lang::En => format!("{bytes} bytes"),
            Lang::Fr => format!("{bytes}\u{a0}octets"),
        };
    };
    let text = format!("{value:.1}");
    let text = text.strip_suffix(".0").unwrap_or(&text).to_string();
    match lang {
        Lang::En => format!("{text} {unit_en}"),
        Lang::Fr => format!("{}\u{a0}{unit_fr}", text.replace('.', ",")),
    }
}

fn size_rule(b: &mut Builder, input: &EvaluationInput) {
    let max = input.document.max_bytes;
    let size = input.size_bytes;
    let expected = Some(format!("at most {max} bytes"));
    let found = Some(format!("{size} bytes"));
    let args = |lang: Lang| {
        vec![
            ("size", s(size_text(size, lang))),
            ("max", s(size_text(max, lang))),
        ]
    };
    if size <= max {
        b.pass("size", expected, found, i18n::localized("size-pass", args));
    } else {
        b.broken(
            "size",
            input.document.severities.size,
            expected,
            found,
            i18n::localized("size-fail", args),
        );
    }
}

fn deadline_rule(b: &mut Builder, input: &EvaluationInput) {
    let vacancy = input.vacancy;
    let Some((deadline, extended)) = effective_deadline(vacancy.deadline, input.extended_deadline)
    else {
        return;
    };
    let shown = |lang: Lang| format_deadline(deadline, vacancy.time_zone, lang);
    let expected = Some(format!(
        "upload begun before {}",
        deadline.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true)
    ));
    let found = Some(format!(
        "upload begun {}",
        input
            .upload_began
            .to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true)
    ));
    let outcome = deadline_check(
        input.upload_began,
        input.upload_completed,
        deadline,
        vacancy.grace_seconds,
    );
    let deadline_arg = |lang: Lang| vec![("deadline", s(shown(lang)))];
    match outcome {
        DeadlineOutcome::OnTime | DeadlineOutcome::WithinGrace => {
            let id = if extended {
                "deadline-pass-extension"
            } else {
                "deadline-pass"
            };
            b.pass(
                "deadline",
                expected,
                found,
                i18n::localized(id, deadline_arg),
            );
        }
        DeadlineOutcome::Closed => {
            let id = if extended {
                "deadline-closed-extension"
            } else {
                "deadline-closed"
            };
            b.broken(
                "deadline",
                Severity::Blocking,
                expected,
                found,
                i18n::localized(id, deadline_arg),
            );
        }
        DeadlineOutcome::TooSlow { late_seconds } => {
            let found = Some(format!(
                "upload begun {}, completed {}",
                input
                    .upload_began
                    .to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true),
                input
                    .upload_completed
                    .to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true)
            ));
            b.broken(
                "deadline",
                Severity::Blocking,
                expected,
                found,
                i18n::localized("deadline-too-slow", |lang| {
                    let mut a = deadline_arg(lang);
                    a.push(("late", n(late_seconds as f64)));
                    a.push(("grace", n(vacancy.grace_seconds)));
                    a
                }),
            );
        }
    }
}
