//! The commands that work on files without a server: `inspect`, `check`, `import-notice`,
//! `verify-receipt`. Exit codes: 0 success/accept, 1 unreadable/reject/invalid, 2 usage error.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use chrono::{DateTime, Utc};
use inspection::{Limits, Paper};
use policy::AcceptedFormat;

use crate::domain::verdicts::{judge, UploadContext};

fn usage_error(message: impl std::fmt::Display) -> ExitCode {
    eprintln!("error: {message}");
    ExitCode::from(2)
}

fn read_file(path: &Path) -> Result<Vec<u8>, ExitCode> {
    std::fs::read(path).map_err(|e| usage_error(format!("cannot read {}: {e}", path.display())))
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

pub fn inspect(path: &Path, json: bool) -> ExitCode {
    let bytes = match read_file(path) {
        Ok(bytes) => bytes,
        Err(code) => return code,
    };
    let inspection = inspection::inspect(&bytes, &file_name(path), &Limits::default());
    if json {
        match serde_json::to_string(&inspection.facts) {
            Ok(text) => println!("{text}"),
            Err(e) => return usage_error(e),
        }
    } else {
        print!("{}", inspection::render_human(&inspection));
    }
    if inspection::was_read(&inspection.facts) {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

#[derive(clap::Args, Debug)]
pub struct CheckArgs {
    pub file: PathBuf,
    /// A vacancy file (TOML) with the rules; see policy/examples/251334.toml.
    #[arg(long, conflicts_with_all = ["reference", "formats", "max_pages", "paper", "phrase"])]
    pub vacancy: Option<PathBuf>,
    /// The vacancy reference the file name must contain.
    #[arg(long)]
    pub reference: Option<String>,
    /// Accepted formats, comma-separated: docx,pdf,doc,odt,rtf.
    #[arg(long)]
    pub formats: Option<String>,
    #[arg(long)]
    pub max_pages: Option<u32>,
    /// Required paper: A4 or Letter.
    #[arg(long)]
    pub paper: Option<String>,
    /// The phrase the file name must contain, e.g. "Key challenges".
    #[arg(long)]
    pub phrase: Option<String>,
    /// Which of the vacancy file's documents to check against (default: the first).
    #[arg(long)]
    pub document: Option<String>,
    /// The name to judge (default: the file's own name).
    #[arg(long)]
    pub filename: Option<String>,
    /// The deadline (RFC 3339), overriding the vacancy file's.
    #[arg(long)]
    pub deadline: Option<String>,
    /// The instant the upload began (RFC 3339); default: now.
    #[arg(long)]
    pub now: Option<String>,
    #[arg(long)]
    pub json: bool,
}

fn parse_instant(flag: &str, value: &str) -> Result<DateTime<Utc>, ExitCode> {
    DateTime::parse_from_rfc3339(value)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|e| {
            usage_error(format!(
                "--{flag} '{value}' is not an RFC 3339 instant: {e}"
            ))
        })
}

pub fn check(args: &CheckArgs) -> ExitCode {
    match run_check(args) {
        Ok(code) | Err(code) => code,
    }
}

fn run_check(args: &CheckArgs) -> Result<ExitCode, ExitCode> {
    let bytes = read_file(&args.file)?;
    let deadline = args
        .deadline
        .as_deref()
        .map(|d| parse_instant("deadline", d))
        .transpose()?;
    let now = match args.now.as_deref() {
        Some(now) => parse_instant("now", now)?,
        None => Utc::now(),
    };
    let (mut vacancy, document) = match &args.vacancy {
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .map_err(|e| usage_error(format!("cannot read {}: {e}", path.display())))?;
            let vacancy = policy::parse_vacancy_toml(&text).map_err(usage_error)?;
            let document = match &args.document {
                Some(kind) => vacancy.document(kind).cloned(),
                None => vacancy.primary_document().cloned(),
            }
            .ok_or_else(|| usage_error("the vacancy file names no such document"))?;
            (vacancy, document)
        }
        None => {
            let formats = match &args.formats {
                Some(list) => AcceptedFormat::parse_list(list).map_err(usage_error)?,
                None => vec![],
            };
            let paper = match args
                .paper
                .as_deref()
                .map(str::to_ascii_lowercase)
                .as_deref()
            {
                None => None,
                Some("a4") => Some(Paper::A4),
                Some("letter") => Some(Paper::Letter),
                Some(other) => {
                    return Err(usage_error(format!("--paper '{other}': use A4 or Letter")))
                }
            };
            policy::rules_from_flags(
                args.reference.as_deref(),
                &formats,
                args.max_pages,
                paper,
                args.phrase.as_deref(),
                deadline,
            )
        }
    };
    if deadline.is_some() {
        vacancy.deadline = deadline;
    }
    let filename = args
        .filename
        .clone()
        .unwrap_or_else(|| file_name(&args.file));
    let inspection = inspection::inspect(&bytes, &filename, &Limits::default());
    let context = UploadContext {
        filename: &filename,
        size_bytes: bytes.len() as u64,
        upload_began: now,
        upload_completed: now,
        extended_deadline: None,
    };
    let verdict = judge(&inspection, &context, &vacancy, &document);
    if args.json {
        let text = serde_json::to_string(&verdict).map_err(usage_error)?;
        println!("{text}");
    } else {
        println!(
            "{}: {}",
            filename,
            if verdict.accepted() {
                "ACCEPT"
            } else {
                "REJECT"
            }
        );
        for rule in &verdict.rules {
            let status = serde_json::to_value(rule.status)
                .ok()
                .and_then(|v| v.as_str().map(str::to_uppercase))
                .unwrap_or_default();
            println!("  [{status:>4}] {:<10} {}", rule.rule, rule.message.en);
        }
    }
    Ok(if verdict.accepted() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

pub fn import_notice(path: &Path, json: bool) -> ExitCode {
    let text = match std::fs::read(path) {
        Ok(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
        Err(e) => return usage_error(format!("cannot read {}: {e}", path.display())),
    };
    let draft = policy::import_notice(&text);
    if json {
        match serde_json::to_string_pretty(&draft) {
            Ok(text) => println!("{text}"),
            Err(e) => return usage_error(e),
        }
    } else {
        match serde_json::to_value(&draft) {
            Ok(serde_json::Value::Object(fields)) => {
                for (field, value) in fields {
                    if field != "evidence" && field != "confidence" {
                        println!("{field:>16}: {value}");
                    }
                }
                println!("\nSummary (every field of the notice schema):");
                for field in draft.summary() {
                    println!("  {}", field.line());
                }
                if let Some(evidence) = serde_json::to_value(&draft)
                    .ok()
                    .and_then(|v| v.get("evidence").cloned())
                {
                    println!("\nEvidence (the sentence each field came from):");
                    if let Some(map) = evidence.as_object() {
                        for (field, sentence) in map {
                            println!("  {field}: {sentence}");
                        }
                    }
                }
            }
            _ => return usage_error("draft could not be shown"),
        }
    }
    ExitCode::SUCCESS
}

pub fn verify_receipt(path: &Path, public_key: &str) -> ExitCode {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) => return usage_error(format!("cannot read {}: {e}", path.display())),
    };
    match crate::service::receipts::verify_document(&text, public_key) {
        Ok(summary) => {
            println!("VALID: {summary}");
            ExitCode::SUCCESS
        }
        Err(reason) => {
            println!("INVALID: {reason}");
            ExitCode::from(1)
        }
    }
}
