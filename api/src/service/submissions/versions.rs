//! Document versions: how one is shown, numbered and found again, and how a new one is made
//! with its signed receipt.

use chrono::{DateTime, Utc};
use inspection::Inspection;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect,
};
use serde::Serialize;
use utoipa::ToSchema;

use entity::{accounts, document_versions};

use super::store::Judged;
use super::upload::{ReceivedFile, UploadTicket};
use crate::error::ApiError;
use crate::service::mail::{self, MailKind, MailTemplates, Rendered};
use crate::service::receipts::{ReceiptPayload, ReceiptRule, ReceiptSigner};
use crate::service::vacancies::Vacancy;

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct VersionView {
    pub id: String,
    pub version: i32,
    pub original_filename: String,
    pub size_bytes: i64,
    pub sha256: String,
    pub pages: Option<i32>,
    pub upload_began_at: DateTime<Utc>,
    pub upload_completed_at: DateTime<Utc>,
    #[schema(value_type = Object)]
    pub verdict: serde_json::Value,
}

pub(super) fn version_view(model: &document_versions::Model) -> VersionView {
    VersionView {
        id: model.id.clone(),
        version: model.version,
        original_filename: model.original_filename.clone(),
        size_bytes: model.size_bytes,
        sha256: model.blob_sha256.clone(),
        pages: model.pages,
        upload_began_at: model.upload_began_at,
        upload_completed_at: model.upload_completed_at,
        verdict: serde_json::from_str(&model.verdict).unwrap_or(serde_json::Value::Null),
    }
}

pub(super) fn closes_message(vacancy: &Vacancy, at: DateTime<Utc>) -> (String, String) {
    let tz = vacancy.rules.time_zone;
    (
        at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        at.with_timezone(&tz)
            .format("%Y-%m-%d %H:%M:%S %Z")
            .to_string(),
    )
}

/// The number of the newest version of one document of an application, if any.
pub(super) async fn latest_version(
    conn: &impl ConnectionTrait,
    application_id: &str,
    kind: &str,
) -> Result<Option<i32>, sea_orm::DbErr> {
    // The number alone: a whole row would bring its verdict and inspection texts along, a few
    // kilobytes to decode on every accepted upload.
    document_versions::Entity::find()
        .select_only()
        .column(document_versions::Column::Version)
        .filter(document_versions::Column::ApplicationId.eq(application_id))
        .filter(document_versions::Column::DocumentKind.eq(kind))
        .order_by_desc(document_versions::Column::Version)
        .into_tuple::<i32>()
        .one(conn)
        .await
}

/// The version already stored under this idempotency key, if a key was given.
pub(super) async fn find_by_idempotency_key(
    conn: &impl ConnectionTrait,
    application_id: &str,
    kind: &str,
    key: Option<&str>,
) -> Result<Option<document_versions::Model>, sea_orm::DbErr> {
    let Some(key) = key else {
        return Ok(None);
    };
    document_versions::Entity::find()
        .filter(document_versions::Column::ApplicationId.eq(application_id))
        .filter(document_versions::Column::DocumentKind.eq(kind))
        .filter(document_versions::Column::IdempotencyKey.eq(key))
        .one(conn)
        .await
}

/// A new version of an accepted upload, all but its number settled before the write
/// transaction: the number may still change if a concurrent upload of the same document takes it.
pub(super) struct NewVersion<'a> {
    pub(super) ticket: &'a UploadTicket,
    pub(super) file: &'a ReceivedFile,
    pub(super) judged: &'a Judged,
    pub(super) idempotency_key: Option<String>,
    pub(super) id: String,
    /// When the upload completed, in UTC and in the vacancy's time zone.
    pub(super) completed: (String, String),
    began: (String, String),
    signer: &'a ReceiptSigner,
    inspection: &'a Inspection,
    inspection_json: String,
    /// The receipt mail, in the candidate's language: rendered before the write, so that the
    /// write itself has nothing left that can fail but the database.
    pub(super) receipt_mail: Rendered,
}

impl<'a> NewVersion<'a> {
    #[allow(clippy::too_many_arguments)]
    pub(super) fn prepare(
        signer: &'a ReceiptSigner,
        templates: &MailTemplates,
        candidate: &accounts::Model,
        ticket: &'a UploadTicket,
        file: &'a ReceivedFile,
        inspection: &'a Inspection,
        judged: &'a Judged,
        idempotency_key: Option<String>,
    ) -> Result<Self, ApiError> {
        let id = uuid::Uuid::new_v4().to_string();
        let receipt_mail = receipt_text(templates, candidate, ticket, file, judged, &id)?;
        let began = closes_message(&ticket.vacancy, file.began);
        let completed = closes_message(&ticket.vacancy, file.completed);
        let inspection_json = serde_json::to_string(inspection).map_err(ApiError::internal)?;
        Ok(Self {
            ticket,
            file,
            judged,
            idempotency_key,
            id,
            completed,
            began,
            signer,
            inspection,
            inspection_json,
            receipt_mail,
        })
    }

    /// The version that follows `previous` (the newest stored number, if any).
    pub(super) fn model(
        &self,
        previous: Option<i32>,
    ) -> Result<document_versions::ActiveModel, ApiError> {
        let (ticket, file, judged, inspection) =
            (self.ticket, self.file, self.judged, self.inspection);
        let (began_utc, began_local) = &self.began;
        let (completed_utc, completed_local) = &self.completed;
        let version_number = previous.map_or(1, |p| p + 1);
        let receipt = self.signer.sign_payload(ReceiptPayload {
            submission_id: self.id.clone(),
            application_id: ticket.application.id.clone(),
            vacancy_reference: ticket.vacancy.model.reference.clone(),
            document: ticket.document.kind.clone(),
            document_title: ticket.document.title_en.clone(),
            version: version_number,
            original_filename: file.filename.clone(),
            size_bytes: judged.size_bytes as u64,
            sha256: judged.sha256.clone(),
            upload_began_at: began_utc.to_string(),
            upload_began_local: began_local.to_string(),
            upload_completed_at: completed_utc.to_string(),
            upload_completed_local: completed_local.to_string(),
            time_zone: ticket.vacancy.rules.time_zone.name().to_owned(),
            pages: inspection.facts.pages,
            rules: judged.verdict.rules.iter().map(ReceiptRule::from).collect(),
            verdict: judged.verdict.verdict,
        });
        Ok(document_versions::ActiveModel {
            id: Set(self.id.clone()),
            application_id: Set(ticket.application.id.clone()),
            document_kind: Set(ticket.document.kind.clone()),
            version: Set(version_number),
            blob_sha256: Set(judged.sha256.clone()),
            original_filename: Set(file.filename.clone()),
            size_bytes: Set(judged.size_bytes as i64),
            pages: Set(inspection.facts.pages.map(|p| p as i32)),
            inspection: Set(self.inspection_json.clone()),
            verdict: Set(judged.verdict_json.clone()),
            upload_began_at: Set(file.began),
            upload_completed_at: Set(file.completed),
            receipt: Set(serde_json::to_string(&receipt).map_err(ApiError::internal)?),
            idempotency_key: Set(self.idempotency_key.clone()),
            is_current: Set(true),
        })
    }
}

/// The receipt mail's text in the candidate's language, the time in the vacancy's time zone.
fn receipt_text(
    templates: &MailTemplates,
    candidate: &accounts::Model,
    ticket: &UploadTicket,
    file: &ReceivedFile,
    judged: &Judged,
    id: &str,
) -> Result<Rendered, ApiError> {
    let lang = mail::language_of(candidate);
    let (title, document) = match lang {
        policy::Lang::En => (&ticket.vacancy.model.title_en, &ticket.document.title_en),
        policy::Lang::Fr => (&ticket.vacancy.model.title_fr, &ticket.document.title_fr),
    };
    templates.compose(
        MailKind::Receipt,
        lang,
        &serde_json::json!({
            "reference": ticket.vacancy.model.reference,
            "title": title,
            "document": document,
            "file": file.filename,
            "sha256": judged.sha256,
            "received": policy::format_deadline(file.completed, ticket.vacancy.rules.time_zone, lang),
            "submission_id": id,
        }),
    )
}
