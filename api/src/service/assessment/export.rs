//! Exports for admins: results as CSV or XLSX (anonymous, one row per essay) and every current
//! essay in one ZIP. Every export is audited.

use chrono::{DateTime, Utc};
use sea_orm::{DatabaseConnection, EntityTrait};
use serde_json::json;

use entity::blobs;

use super::access::{anonymous_file_name, current_essays};
use super::scoring::{results, EssayResult};
use crate::error::ApiError;
use crate::service::audit::{self, Actor};
use crate::service::inspector::Inspector;
use crate::service::vacancies::Vacancy;

/// The results, once the export is in the audit log; the file is built only after that.
async fn audited_results(
    db: &DatabaseConnection,
    admin: &Actor,
    vacancy: &Vacancy,
    format: &str,
    now: DateTime<Utc>,
) -> Result<Vec<EssayResult>, ApiError> {
    let rows = results(db, vacancy).await?;
    audit::record(
        db,
        admin,
        "results.exported",
        Some(&vacancy.model.reference),
        json!({ "format": format }),
        now,
    )
    .await?;
    Ok(rows)
}

/// Results as CSV: one row per essay, anonymous.
pub async fn export_results_csv(
    db: &DatabaseConnection,
    admin: &Actor,
    vacancy: &Vacancy,
    now: DateTime<Utc>,
) -> Result<Vec<u8>, ApiError> {
    let rows = audited_results(db, admin, vacancy, "csv", now).await?;
    results_csv(&rows)
}

/// Results as an Excel workbook, one sheet named after the vacancy.
pub async fn export_results_xlsx(
    db: &DatabaseConnection,
    admin: &Actor,
    vacancy: &Vacancy,
    now: DateTime<Utc>,
) -> Result<Vec<u8>, ApiError> {
    let rows = audited_results(db, admin, vacancy, "xlsx", now).await?;
    results_xlsx(&vacancy.model.reference, &rows)
}

fn results_csv(results: &[EssayResult]) -> Result<Vec<u8>, ApiError> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer
        .write_record([
            "candidate_code",
            "scores",
            "mean",
            "spread",
            "disagreement",
            "decision",
        ])
        .map_err(ApiError::internal)?;
    for r in results {
        writer
            .write_record([
                r.candidate_code.clone(),
                r.scores.to_string(),
                r.mean.map(|m| format!("{m:.2}")).unwrap_or_default(),
                r.spread.map(|s| format!("{s:.2}")).unwrap_or_default(),
                r.disagreement.to_string(),
                r.decision.clone().unwrap_or_default(),
            ])
            .map_err(ApiError::internal)?;
    }
    writer
        .into_inner()
        .map_err(|e| ApiError::Internal(e.to_string().into()))
}

fn results_xlsx(reference: &str, results: &[EssayResult]) -> Result<Vec<u8>, ApiError> {
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
    for (col, title) in [
        "candidate_code",
        "scores",
        "mean",
        "spread",
        "disagreement",
        "decision",
    ]
    .iter()
    .enumerate()
    {
        sheet.write_string(0, col as u16, *title).map_err(fail)?;
    }
    for (i, r) in results.iter().enumerate() {
        let row = (i + 1) as u32;
        sheet
            .write_string(row, 0, &r.candidate_code)
            .map_err(fail)?;
        sheet.write_number(row, 1, r.scores as f64).map_err(fail)?;
        if let Some(mean) = r.mean {
            sheet.write_number(row, 2, mean).map_err(fail)?;
        }
        if let Some(spread) = r.spread {
            sheet.write_number(row, 3, spread).map_err(fail)?;
        }
        sheet.write_boolean(row, 4, r.disagreement).map_err(fail)?;
        sheet
            .write_string(row, 5, r.decision.as_deref().unwrap_or(""))
            .map_err(fail)?;
    }
    workbook.save_to_buffer().map_err(fail)
}

/// Every current essay in one ZIP, named by candidate code. Built on the blocking pool.
pub async fn essays_zip(
    db: &DatabaseConnection,
    inspector: &Inspector,
    admin: &Actor,
    vacancy: &Vacancy,
    now: DateTime<Utc>,
) -> Result<Vec<u8>, ApiError> {
    // The ZIP is for the panel: each file is the anonymous copy, under the candidate's code.
    let mut files = Vec::new();
    for essay in current_essays(db, vacancy).await? {
        let blob = blobs::Entity::find_by_id(essay.version.blob_sha256.clone())
            .one(db)
            .await?
            .ok_or(ApiError::NotFound("essay"))?;
        let name = anonymous_file_name(&essay.application, &essay.version);
        match inspector.anonymize(&blob.bytes).await {
            Ok(copy) => files.push((name, copy)),
            Err(reason) => files.push((
                format!("{name}.NOT-INCLUDED.txt"),
                format!("This file could not be made anonymous ({reason}); an admin can download the original.\n")
                    .into_bytes(),
            )),
        }
    }
    audit::record(
        db,
        admin,
        "essays.exported",
        Some(&vacancy.model.reference),
        json!({ "files": files.len() }),
        now,
    )
    .await?;
    tokio::task::spawn_blocking(move || {
        use std::io::Write;
        let mut cursor = std::io::Cursor::new(Vec::new());
        {
            let mut zip = zip::ZipWriter::new(&mut cursor);
            let options = zip::write::SimpleFileOptions::default()
                .compression_method(zip::CompressionMethod::Stored);
            for (name, bytes) in files {
                zip.start_file(name, options).map_err(|e| e.to_string())?;
                zip.write_all(&bytes).map_err(|e| e.to_string())?;
            }
            zip.finish().map_err(|e| e.to_string())?;
        }
        Ok::<_, String>(cursor.into_inner())
    })
    .await
    .map_err(ApiError::internal)?
    .map_err(|e| ApiError::Internal(e.into()))
}
