//! Exports for admins: results as CSV or XLSX (anonymous, one row per essay, with every
//! assessor's marks per criterion, weighted mean and comment) and every current essay in one ZIP.
//! Every export is audited. Candidates are named by their code, assessors by their place on the
//! panel ("assessor 1", "assessor 2"…, as the panel sees each other's scores), never by name.
//! No cell a spreadsheet would read as a formula leaves here: text starting with `=`, `+`, `-`,
//! `@`, a tab or a carriage return is led by an apostrophe.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Utc};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QuerySelect,
};
use serde_json::json;

use entity::{applications, blobs, document_versions, panel_members, scores};

use super::access::{anonymous_name, current_essays};
use super::rubric::rubric;
use super::scoring::{counted_scores, results, EssayResult};
use crate::domain::scoring::Criterion;
use crate::downloads::{zip_download, ExportSlots, ZipDownload};
use crate::error::ApiError;
use crate::service::audit::{self, Actor};
use crate::service::inspector::Inspector;
use crate::service::vacancies::Vacancy;
use policy::Lang;

/// One assessor's score in an export row.
struct ExportedScore {
    marks: BTreeMap<String, u8>,
    weighted_mean: f64,
    revision: i32,
    comment: String,
}

/// What an export holds: the rubric, how many assessors (columns), and per essay its result
/// and the scores by assessor number (0-based).
struct Export {
    criteria: Vec<Criterion>,
    assessors: usize,
    rows: Vec<(EssayResult, BTreeMap<usize, ExportedScore>)>,
}

/// Text a spreadsheet would take for a formula, made inert by a leading apostrophe.
pub(crate) fn defused(text: &str) -> String {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_owned()
    }
}

async fn gather(
    db: &impl ConnectionTrait,
    vacancy: &Vacancy,
    now: DateTime<Utc>,
) -> Result<Export, ApiError> {
    let criteria = rubric(db, vacancy).await?;
    let mut panel: Vec<panel_members::Model> = panel_members::Entity::find()
        .filter(panel_members::Column::VacancyId.eq(vacancy.model.id.clone()))
        .all(db)
        .await?;
    panel.sort_by(|a, b| {
        b.is_chair
            .cmp(&a.is_chair)
            .then(a.created_at.cmp(&b.created_at))
            .then(a.account_id.cmp(&b.account_id))
    });
    // Assessor numbers: the chair is assessor 1, then the panel in the order it was seated,
    // then anyone who scored and has left the panel since.
    let mut numbers: Vec<String> = panel.into_iter().map(|m| m.account_id).collect();
    let essays = current_essays(db, vacancy).await?;
    let mut scores_by_application: BTreeMap<String, Vec<scores::Model>> = BTreeMap::new();
    for essay in &essays {
        if scores_by_application.contains_key(&essay.application.id) {
            continue;
        }
        // Only what the results count: no score of an earlier version, none by a member who
        // declared a conflict.
        let (rows, _) = counted_scores(db, &essay.application.id, &essay.version.id).await?;
        for row in &rows {
            if !numbers.contains(&row.account_id) {
                numbers.push(row.account_id.clone());
            }
        }
        scores_by_application.insert(essay.application.id.clone(), rows);
    }
    let rows = results(db, vacancy, now)
        .await?
        .into_iter()
        .map(|result| {
            let by_assessor = scores_by_application
                .remove(&result.application_id)
                .unwrap_or_default()
                .into_iter()
                .filter_map(|score| {
                    let number = numbers.iter().position(|id| *id == score.account_id)?;
                    Some((
                        number,
                        ExportedScore {
                            marks: serde_json::from_str(&score.marks).unwrap_or_default(),
                            weighted_mean: score.weighted_mean,
                            revision: score.revision,
                            comment: score.comment,
                        },
                    ))
                })
                .collect();
            (result, by_assessor)
        })
        .collect();
    Ok(Export {
        criteria,
        assessors: numbers.len(),
        rows,
    })
}

/// The results, once the export is in the audit log; the file is built only after that.
async fn audited_export(
    db: &DatabaseConnection,
    admin: &Actor,
    vacancy: &Vacancy,
    format: &str,
    now: DateTime<Utc>,
) -> Result<Export, ApiError> {
    let export = gather(db, vacancy, now).await?;
    audit::record(
        db,
        admin,
        "results.exported",
        Some(&vacancy.model.reference),
        json!({ "format": format, "essays": export.rows.len(), "assessors": export.assessors }),
        now,
    )
    .await?;
    Ok(export)
}

/// Results as CSV: one row per essay, anonymous, under two header rows (labels in `lang`, then
/// machine names).
pub async fn export_results_csv(
    db: &DatabaseConnection,
    admin: &Actor,
    vacancy: &Vacancy,
    lang: Lang,
    now: DateTime<Utc>,
) -> Result<Vec<u8>, ApiError> {
    let export = audited_export(db, admin, vacancy, "csv", now).await?;
    results_csv(&export, lang)
}

/// Results as an Excel workbook, one sheet named after the vacancy.
pub async fn export_results_xlsx(
    db: &DatabaseConnection,
    admin: &Actor,
    vacancy: &Vacancy,
    lang: Lang,
    now: DateTime<Utc>,
) -> Result<Vec<u8>, ApiError> {
    let export = audited_export(db, admin, vacancy, "xlsx", now).await?;
    results_xlsx(&vacancy.model.reference, &export, lang)
}

/// A cell of an export: text, a number, or nothing.
enum Cell {
    Text(String),
    Number(f64),
    Bool(bool),
    Empty,
}

impl Cell {
    fn csv(&self, decimals: bool) -> String {
        match self {
            Cell::Text(text) => defused(text),
            Cell::Number(n) if decimals => format!("{n:.2}"),
            Cell::Number(n) => format!("{n}"),
            Cell::Bool(b) => b.to_string(),
            Cell::Empty => String::new(),
        }
    }
}

/// The two header rows: labels in the reader's language, then stable machine names that a
/// program reading the file can rely on whatever the language (documented in docs/exports.md).
/// The columns: the essay's aggregate (its decision only if made on the current version, which is
/// named, then a decision on an earlier version and how many scores are left out), then per
/// assessor each criterion's mark, the weighted mean, the revision and the comment.
fn header(export: &Export, lang: Lang) -> [Vec<String>; 2] {
    const AGGREGATE: [(&str, &str, &str); 9] = [
        ("candidate_code", "Candidate code", "Code du candidat"),
        ("scores", "Scores received", "Notes reçues"),
        ("mean", "Mean (1–5)", "Note moyenne (1–5)"),
        ("spread", "Spread", "Écart"),
        ("disagreement", "Disagreement", "Désaccord"),
        ("decision", "Decision", "Décision"),
        ("version", "Version", "Version"),
        (
            "earlier_decision",
            "Earlier decision",
            "Décision antérieure",
        ),
        ("excluded_scores", "Excluded scores", "Notes exclues"),
    ];
    let french = lang == Lang::Fr;
    let mut labels: Vec<String> = AGGREGATE
        .iter()
        .map(|(_, en, fr)| (if french { *fr } else { *en }).to_owned())
        .collect();
    let mut names: Vec<String> = AGGREGATE.iter().map(|(n, _, _)| (*n).to_owned()).collect();
    let who = |n: usize| {
        if french {
            format!("Évaluateur {n}\u{202f}: ")
        } else {
            format!("Assessor {n}: ")
        }
    };
    for n in 1..=export.assessors {
        for criterion in &export.criteria {
            let title = match (french, &criterion.title_fr) {
                (true, Some(fr)) => fr,
                _ => &criterion.title,
            };
            labels.push(format!("{}{title}", who(n)));
            names.push(format!("assessor_{n}.{}", criterion.id));
        }
        for (name, en, fr) in [
            ("weighted_mean", "weighted mean", "moyenne pondérée"),
            ("revision", "revision", "révision"),
            ("comment", "comment", "commentaire"),
        ] {
            labels.push(format!("{}{}", who(n), if french { fr } else { en }));
            names.push(format!("assessor_{n}.{name}"));
        }
    }
    [labels, names]
}

/// One essay's cells, in the header's order; the flag says whether a number has two decimals.
fn cells(
    export: &Export,
    result: &EssayResult,
    by: &BTreeMap<usize, ExportedScore>,
) -> Vec<(Cell, bool)> {
    let opt = |n: Option<f64>| n.map(Cell::Number).unwrap_or(Cell::Empty);
    let mut cells = vec![
        (Cell::Text(result.candidate_code.clone()), false),
        (Cell::Number(result.scores as f64), false),
        (opt(result.mean), true),
        (opt(result.spread), true),
        (Cell::Bool(result.disagreement), false),
        (
            Cell::Text(result.decision.clone().unwrap_or_default()),
            false,
        ),
        (Cell::Number(f64::from(result.version)), false),
        (
            result
                .earlier_decision
                .as_ref()
                .map(|d| {
                    Cell::Text(match d.version {
                        Some(n) => format!("{} (version {n})", d.decision),
                        None => format!("{} (an earlier version)", d.decision),
                    })
                })
                .unwrap_or(Cell::Empty),
            false,
        ),
        (Cell::Number(result.excluded_scores.len() as f64), false),
    ];
    for n in 0..export.assessors {
        let score = by.get(&n);
        for criterion in &export.criteria {
            let mark = score.and_then(|s| s.marks.get(&criterion.id)).copied();
            cells.push((opt(mark.map(f64::from)), false));
        }
        cells.push((opt(score.map(|s| s.weighted_mean)), true));
        cells.push((opt(score.map(|s| f64::from(s.revision))), false));
        cells.push((
            score
                .map(|s| Cell::Text(s.comment.clone()))
                .unwrap_or(Cell::Empty),
            false,
        ));
    }
    cells
}

fn results_csv(export: &Export, lang: Lang) -> Result<Vec<u8>, ApiError> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    for row in header(export, lang) {
        writer
            .write_record(row.iter().map(|h| defused(h)))
            .map_err(ApiError::internal)?;
    }
    for (result, by) in &export.rows {
        writer
            .write_record(
                cells(export, result, by)
                    .iter()
                    .map(|(cell, decimals)| cell.csv(*decimals)),
            )
            .map_err(ApiError::internal)?;
    }
    writer
        .into_inner()
        .map_err(|e| ApiError::Internal(e.to_string().into()))
}

fn results_xlsx(reference: &str, export: &Export, lang: Lang) -> Result<Vec<u8>, ApiError> {
    use rust_xlsxwriter::Workbook;
    let fail = |e: rust_xlsxwriter::XlsxError| ApiError::Internal(e.to_string().into());
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet
        .set_name(format!(
            "Results {}",
            reference.chars().take(20).collect::<String>()
        ))
        .map_err(fail)?;
    let bold = rust_xlsxwriter::Format::new().set_bold();
    for (row, titles) in header(export, lang).iter().enumerate() {
        for (col, title) in titles.iter().enumerate() {
            let col = u16::try_from(col).map_err(ApiError::internal)?;
            let row = u32::try_from(row).map_err(ApiError::internal)?;
            if row == 0 {
                sheet
                    .write_string_with_format(row, col, defused(title), &bold)
                    .map_err(fail)?;
            } else {
                sheet.write_string(row, col, defused(title)).map_err(fail)?;
            }
        }
    }
    for (i, (result, by)) in export.rows.iter().enumerate() {
        let row = u32::try_from(i + 2).map_err(ApiError::internal)?;
        for (col, (cell, _)) in cells(export, result, by).into_iter().enumerate() {
            let col = u16::try_from(col).map_err(ApiError::internal)?;
            match cell {
                Cell::Text(text) => {
                    sheet.write_string(row, col, defused(&text)).map_err(fail)?;
                }
                Cell::Number(n) => {
                    sheet.write_number(row, col, n).map_err(fail)?;
                }
                Cell::Bool(b) => {
                    sheet.write_boolean(row, col, b).map_err(fail)?;
                }
                Cell::Empty => {}
            }
        }
    }
    workbook.save_to_buffer().map_err(fail)
}

/// Every current essay in one ZIP, named by candidate code, written while it is sent (see
/// [`crate::downloads`]): each essay is read and made anonymous only when its turn comes. Audited
/// before the first byte leaves; the admin who asks may have one export being prepared at a time.
pub async fn essays_zip(
    db: &DatabaseConnection,
    inspector: &Inspector,
    slots: &ExportSlots,
    admin: &Actor,
    vacancy: &Vacancy,
    now: DateTime<Utc>,
) -> Result<ZipDownload, ApiError> {
    let asking = admin.account_id.as_deref().unwrap_or_default();
    let slot = slots
        .take(asking)
        .ok_or(ApiError::ExportInProgress { own: false })?;
    let essays = current_essay_files(db, vacancy).await?;
    audit::record(
        db,
        admin,
        "essays.exported",
        Some(&vacancy.model.reference),
        json!({ "files": essays.len() }),
        now,
    )
    .await?;
    let (db, inspector) = (db.clone(), inspector.clone());
    Ok(zip_download(slot, move |zip, runtime| {
        use std::io::Write;
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Stored);
        let failed = |e: &dyn std::fmt::Display| ApiError::Internal(e.to_string().into());
        for (name, sha256) in essays {
            let stored = blobs::Entity::find_by_id(sha256)
                .select_only()
                .column(blobs::Column::Bytes)
                .into_tuple::<Vec<u8>>()
                .one(&db);
            let bytes = runtime
                .block_on(stored)?
                .ok_or(ApiError::NotFound("essay"))?;
            // The ZIP is for the panel: each file is the anonymous copy, under the candidate's code.
            let (name, bytes) = match runtime.block_on(inspector.anonymize(&bytes)) {
                Ok(copy) => (name, copy),
                Err(reason) => (
                    format!("{name}.NOT-INCLUDED.txt"),
                    format!("This file could not be made anonymous ({reason}); an admin can download the original.\n")
                        .into_bytes(),
                ),
            };
            zip.start_file(name, options).map_err(|e| failed(&e))?;
            zip.write_all(&bytes).map_err(|e| failed(&e))?;
        }
        Ok(())
    }))
}

/// Each current essay's name in the ZIP and its file's SHA-256, in the order of
/// [`current_essays`], read without the stored inspections (megabytes of text each).
async fn current_essay_files(
    db: &impl ConnectionTrait,
    vacancy: &Vacancy,
) -> Result<Vec<(String, String)>, ApiError> {
    let codes: HashMap<String, String> = applications::Entity::find()
        .select_only()
        .column(applications::Column::Id)
        .column(applications::Column::AnonCode)
        .filter(applications::Column::VacancyId.eq(vacancy.model.id.clone()))
        .filter(applications::Column::Status.eq("active"))
        .into_tuple::<(String, String)>()
        .all(db)
        .await?
        .into_iter()
        .collect();
    let versions: Vec<(String, String, String, String)> = document_versions::Entity::find()
        .select_only()
        .column(document_versions::Column::ApplicationId)
        .column(document_versions::Column::DocumentKind)
        .column(document_versions::Column::OriginalFilename)
        .column(document_versions::Column::BlobSha256)
        .filter(document_versions::Column::ApplicationId.is_in(codes.keys().cloned()))
        .filter(document_versions::Column::IsCurrent.eq(true))
        .into_tuple()
        .all(db)
        .await?;
    let mut files: Vec<(&str, String, String, String)> = versions
        .into_iter()
        .filter_map(|(application, kind, original, sha256)| {
            let code = codes.get(&application)?;
            Some((
                code.as_str(),
                anonymous_name(code, &kind, &original),
                kind,
                sha256,
            ))
        })
        .collect();
    files.sort_by(|a, b| a.0.cmp(b.0).then(a.2.cmp(&b.2)));
    Ok(files
        .into_iter()
        .map(|(_, name, _, sha256)| (name, sha256))
        .collect())
}

/// The current version of one application's document (`kind`, or the first document by kind),
/// as the panel gets it: the anonymous copy under the candidate's code. For systems reading
/// essays through an API token (`essays:read`); audited like an assessor's download.
pub async fn current_essay_copy(
    db: &DatabaseConnection,
    inspector: &Inspector,
    reader: &Actor,
    vacancy: &Vacancy,
    application_id: &str,
    kind: Option<&str>,
    now: DateTime<Utc>,
) -> Result<(String, Vec<u8>), ApiError> {
    use sea_orm::QueryOrder;
    let application = applications::Entity::find_by_id(application_id.to_owned())
        .one(db)
        .await?
        .filter(|a| a.vacancy_id == vacancy.model.id)
        .ok_or(ApiError::NotFound("application"))?;
    let mut query = document_versions::Entity::find()
        .filter(document_versions::Column::ApplicationId.eq(application.id.clone()))
        .filter(document_versions::Column::IsCurrent.eq(true))
        .order_by_asc(document_versions::Column::DocumentKind);
    if let Some(kind) = kind {
        query = query.filter(document_versions::Column::DocumentKind.eq(kind));
    }
    let version = query.one(db).await?.ok_or(ApiError::NotFound("essay"))?;
    let blob = blobs::Entity::find_by_id(version.blob_sha256.clone())
        .one(db)
        .await?
        .ok_or(ApiError::NotFound("essay"))?;
    let copy = inspector.anonymize(&blob.bytes).await.map_err(|reason| {
        ApiError::Conflict(format!(
            "this file could not be made anonymous ({reason}); an admin can download the original"
        ))
    })?;
    audit::record(
        db,
        reader,
        "essay.downloaded",
        Some(&vacancy.model.reference),
        json!({ "version_id": version.id, "candidate_code": application.anon_code }),
        now,
    )
    .await?;
    Ok((
        anonymous_name(
            &application.anon_code,
            &version.document_kind,
            &version.original_filename,
        ),
        copy,
    ))
}

#[cfg(test)]
mod tests {
    use super::defused;

    #[test]
    fn text_a_spreadsheet_would_run_as_a_formula_is_made_inert() {
        for (text, expected) in [
            ("=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"),
            ("+1", "'+1"),
            ("-2+3", "'-2+3"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\tcmd", "'\tcmd"),
            ("\rcmd", "'\rcmd"),
            ("Clear and concise", "Clear and concise"),
            ("C-7Q2X", "C-7Q2X"),
            ("", ""),
        ] {
            assert_eq!(defused(text), expected, "{text:?}");
        }
    }
}
