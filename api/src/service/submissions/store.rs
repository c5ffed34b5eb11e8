//! Storing a judged upload. A rejected one leaves only an attempt record; an accepted one's bytes,
//! version, receipt, attempt record, receipt mail and audit entry are committed in one
//! transaction, and only after that commit is the candidate told "accepted".

use std::sync::Arc;

use chrono::{DateTime, Utc};
use inspection::Inspection;
use policy::Verdict;
use sea_orm::sea_query::OnConflict;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseBackend, DatabaseConnection,
    DatabaseTransaction, EntityTrait, QueryFilter, QueryTrait, SqlErr, Statement, TryIntoModel,
};
use serde_json::json;

use entity::{accounts, audit_events, blobs, document_versions, outbox, upload_attempts};

use super::prune;
use super::upload::{replay, ReceivedFile, UploadOutcome, UploadTicket};
use super::versions::{find_by_idempotency_key, latest_version, version_view, NewVersion};
use crate::domain::verdicts::{judge, UploadContext};
use crate::error::ApiError;
use crate::group_commit::{member_batch, Failed, GroupCommit, Keep};
use crate::service::audit::{self, Actor};
use crate::service::mail::{MailKind, MailTemplates};
use crate::service::receipts::ReceiptSigner;

/// On SQLite, an accepted file up to this size is written in one call (see `write_in_one_call`),
/// which copies its bytes and keeps the original for the rare second try. A larger file moves
/// into the write instead, so that it is held once, not twice.
const ONE_CALL_MAX_BYTES: usize = 1 << 20;

/// A file judged against the vacancy's rules, with what every record of it repeats.
pub(super) struct Judged {
    pub(super) verdict: Verdict,
    pub(super) verdict_json: String,
    pub(super) sha256: String,
    pub(super) size_bytes: usize,
}

/// Judges the file and, when accepted, stores it with its receipt in one transaction.
#[allow(clippy::too_many_arguments)]
pub(super) async fn store_upload(
    db: &DatabaseConnection,
    group: &GroupCommit,
    signer: &ReceiptSigner,
    templates: &MailTemplates,
    ticket: UploadTicket,
    mut file: ReceivedFile,
    inspection: Inspection,
    idempotency_key: Option<String>,
    candidate: &accounts::Model,
    actor: &Actor,
) -> Result<UploadOutcome, ApiError> {
    let judged = judge_file(&ticket, &file, &inspection)?;
    let now = file.completed;
    let sqlite = db.get_database_backend() == DatabaseBackend::Sqlite;
    if !judged.verdict.accepted() {
        let attempt = attempt_row(&ticket, &judged, &file.filename, false, now);
        if sqlite {
            let insert = upload_attempts::Entity::insert(attempt).build(DatabaseBackend::Sqlite);
            let prune = prune::refused_attempts(DatabaseBackend::Sqlite, &ticket);
            group
                .execute(db, member_batch(vec![insert, prune]))
                .await?
                .map_err(|Failed(error)| ApiError::from(error))?;
        } else {
            group
                .write(db, |txn| async {
                    let recorded = async {
                        upload_attempts::Entity::insert(attempt).exec(&txn).await?;
                        let prune = prune::refused_attempts(DatabaseBackend::Postgres, &ticket);
                        txn.execute_raw(prune).await
                    }
                    .await;
                    (
                        txn,
                        recorded.map(|_| Keep::Commit(())).map_err(ApiError::from),
                    )
                })
                .await?;
        }
        return Ok(UploadOutcome::Rejected {
            verdict: judged.verdict,
            inspection,
        });
    }

    // On SQLite everything that can be worked out before the write is, so that the single
    // writer is held as briefly as possible: at a rush that write section is what every upload
    // queues for. The version number read when the upload began may be overtaken by a
    // concurrent upload of the same document; the unique index on (application, document, version) catches that below
    // and the number is read again, so it is never wrong. PostgreSQL reads the number once,
    // under the application's row lock (see `recheck_under_lock`), and the version is built then.
    let previous = if sqlite { ticket.latest_version } else { None };
    let one_call = sqlite && file.bytes.len() <= ONE_CALL_MAX_BYTES;
    // Otherwise the bytes move into the blob row rather than being copied: a large upload is
    // then held once, not twice, while it is written.
    let moved = (!one_call).then(|| {
        Arc::try_unwrap(std::mem::take(&mut file.bytes))
            .unwrap_or_else(|shared| shared.as_ref().clone())
    });
    let new = NewVersion::prepare(
        signer,
        templates,
        candidate,
        &ticket,
        &file,
        &inspection,
        &judged,
        idempotency_key,
    )?;
    if one_call {
        let version = new.model(previous)?;
        let number = previous.map_or(1, |p| p + 1);
        let going = prune::superseded_listed(db, &ticket, number, &judged.sha256).await?;
        if let Some(model) =
            write_in_one_call(db, group, &new, previous, version, going, candidate, actor).await?
        {
            return Ok(UploadOutcome::Accepted {
                version: version_view(&model),
                verdict: judged.verdict,
                inspection,
                replayed: false,
                current_version: model.version,
            });
        }
    }
    let blob_bytes = moved.unwrap_or_else(|| new.file.bytes.as_ref().clone());
    let version = if sqlite {
        Some(new.model(previous)?)
    } else {
        None
    };
    let committed = commit_version(
        db, group, &new, previous, version, blob_bytes, candidate, actor,
    );
    match committed.await? {
        Committed::New(model) => Ok(UploadOutcome::Accepted {
            version: version_view(&model),
            verdict: judged.verdict,
            inspection,
            replayed: false,
            current_version: model.version,
        }),
        Committed::Replay(existing) => replay(db, existing).await,
    }
}

/// An accepted upload's writes on SQLite as one call to the batch's connection: the blob, the
/// version (the previous one no longer current), the attempt, the receipt mail and the audit
/// entry. Each statement sent separately costs two hand-offs between threads, which were the
/// largest share of an upload's CPU at a rush. `None` when a unique index refused the version (a
/// concurrent upload of the document took its number, or a retry with the same key was stored
/// first): its writes were undone, and the caller takes the path that reads again.
#[allow(clippy::too_many_arguments)]
async fn write_in_one_call(
    db: &DatabaseConnection,
    group: &GroupCommit,
    new: &NewVersion<'_>,
    previous: Option<i32>,
    version: document_versions::ActiveModel,
    going: Option<prune::Superseded>,
    candidate: &accounts::Model,
    actor: &Actor,
) -> Result<Option<document_versions::Model>, ApiError> {
    let now = new.file.completed;
    let mut statements = accepted_rows(
        DatabaseBackend::Sqlite,
        new,
        previous,
        &version,
        new.file.bytes.as_ref().clone(),
        candidate,
        actor,
        now,
    );
    statements.extend(
        going
            .map(|g| g.statements(DatabaseBackend::Sqlite))
            .unwrap_or_default(),
    );
    match group.execute(db, member_batch(statements)).await? {
        Ok(()) => Ok(Some(version.try_into_model()?)),
        Err(Failed(error))
            if matches!(error.sql_err(), Some(SqlErr::UniqueConstraintViolation(_))) =>
        {
            Ok(None)
        }
        Err(Failed(error)) => Err(error.into()),
    }
}

/// An accepted upload's writes as statements for `backend`: the blob (kept if already stored),
/// the previous version no longer current, the new version, the attempt, the receipt mail and
/// the audit entry.
#[allow(clippy::too_many_arguments)]
fn accepted_rows(
    backend: DatabaseBackend,
    new: &NewVersion<'_>,
    previous: Option<i32>,
    version: &document_versions::ActiveModel,
    blob_bytes: Vec<u8>,
    candidate: &accounts::Model,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Vec<Statement> {
    let (application_id, kind) = (&new.ticket.application.id, &new.ticket.document.kind);
    let blob = blobs::Entity::insert(blob_row(new, blob_bytes, now)).on_conflict(
        OnConflict::column(blobs::Column::Sha256)
            .do_nothing()
            .to_owned(),
    );
    let mut statements = vec![blob.build(backend)];
    if previous.is_some() {
        statements.push(no_longer_current(application_id, kind).build(backend));
    }
    statements.push(document_versions::Entity::insert(version.clone()).build(backend));
    statements.push(
        upload_attempts::Entity::insert(attempt_row(
            new.ticket,
            new.judged,
            &new.file.filename,
            true,
            now,
        ))
        .build(backend),
    );
    statements.push(outbox::Entity::insert(receipt_mail(candidate, new, now)).build(backend));
    statements.push(audit_events::Entity::insert(upload_audit(actor, new, now)).build(backend));
    statements.push(accepted_event(
        backend,
        new,
        previous.map_or(1, |p| p + 1),
        now,
    ));
    statements
}

/// `version.accepted` for webhooks, written with the version (the dispatcher derives
/// `application.completed` from it).
fn accepted_event(
    backend: DatabaseBackend,
    new: &NewVersion<'_>,
    number: i32,
    now: DateTime<Utc>,
) -> Statement {
    use crate::service::integrations::events::{self, EventType};
    let data = events::version_data(
        &new.ticket.vacancy.model.reference,
        &new.ticket.application.id,
        &new.id,
        &new.ticket.document.kind,
        number,
    );
    events::event_statement(
        backend,
        events::event(EventType::VersionAccepted, data, None, now),
    )
}

enum Committed {
    New(document_versions::Model),
    /// A retry with the same idempotency key was stored first: it gets that answer.
    Replay(document_versions::Model),
}

/// The accepted upload's writes, in one transaction (on SQLite shared with the uploads that
/// arrived with it: see [`crate::group_commit`]). Only after it commits is the upload accepted.
#[allow(clippy::too_many_arguments)]
async fn commit_version(
    db: &DatabaseConnection,
    group: &GroupCommit,
    new: &NewVersion<'_>,
    previous: Option<i32>,
    version: Option<document_versions::ActiveModel>,
    blob_bytes: Vec<u8>,
    candidate: &accounts::Model,
    actor: &Actor,
) -> Result<Committed, ApiError> {
    let now = new.file.completed;
    group
        .write(db, |txn| async move {
            let outcome = async {
                let Some(version) = version else {
                    return write_under_lock(&txn, new, blob_bytes, candidate, actor, now).await;
                };
                let model =
                    match write_version(&txn, new, previous, version, blob_bytes, now).await? {
                        Written::Stored(model) => model,
                        Written::Replay(existing) => {
                            return Ok(Keep::Undo(Committed::Replay(existing)))
                        }
                        Written::Collided => return Err(collided()),
                    };
                prune::after_stored(&txn, new.ticket, &model).await?;
                upload_attempts::Entity::insert(attempt_row(
                    new.ticket,
                    new.judged,
                    &new.file.filename,
                    true,
                    now,
                ))
                .exec(&txn)
                .await?;
                outbox::Entity::insert(receipt_mail(candidate, new, now))
                    .exec(&txn)
                    .await?;
                audit_events::Entity::insert(upload_audit(actor, new, now))
                    .exec(&txn)
                    .await?;
                txn.execute_raw(accepted_event(
                    txn.get_database_backend(),
                    new,
                    model.version,
                    now,
                ))
                .await?;
                Ok(Keep::Commit(Committed::New(model)))
            }
            .await;
            (txn, outcome)
        })
        .await
}

fn collided() -> ApiError {
    ApiError::Conflict(
        "Another upload of this document was being saved at the same moment, so this one was not stored. Please upload it again.".into(),
    )
}

/// PostgreSQL: the number is read under the application's row lock, then every row of the
/// upload is written by one statement (see [`crate::database::postgres_one_statement`]): one
/// round trip instead of six.
async fn write_under_lock(
    txn: &DatabaseTransaction,
    new: &NewVersion<'_>,
    blob_bytes: Vec<u8>,
    candidate: &accounts::Model,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<Keep<Committed>, ApiError> {
    let previous = match recheck_under_lock(txn, new).await? {
        Recheck::Replay(existing) => return Ok(Keep::Undo(Committed::Replay(*existing))),
        Recheck::Latest(latest) => latest,
    };
    let version = new.model(previous)?;
    let mut rows = accepted_rows(
        txn.get_database_backend(),
        new,
        previous,
        &version,
        blob_bytes,
        candidate,
        actor,
        now,
    );
    let number = previous.map_or(1, |p| p + 1);
    if let Some(going) = prune::superseded(new.ticket, number, &new.judged.sha256) {
        rows.extend(going.statements(txn.get_database_backend()));
    }
    let written = txn
        .execute_raw(crate::database::postgres_one_statement(rows))
        .await;
    match written {
        Ok(_) => Ok(Keep::Commit(Committed::New(version.try_into_model()?))),
        // The row lock leaves nothing to collide with; this is a last resort.
        Err(error) if matches!(error.sql_err(), Some(SqlErr::UniqueConstraintViolation(_))) => {
            Err(collided())
        }
        Err(error) => Err(error.into()),
    }
}

fn judge_file(
    ticket: &UploadTicket,
    file: &ReceivedFile,
    inspection: &Inspection,
) -> Result<Judged, ApiError> {
    let context = UploadContext {
        filename: &file.filename,
        size_bytes: file.bytes.len() as u64,
        upload_began: file.began,
        upload_completed: file.completed,
        extended_deadline: ticket.extension,
    };
    let verdict = judge(
        inspection,
        &context,
        &ticket.vacancy.rules,
        &ticket.document,
    );
    let sha256 = file.sha256.clone();
    let verdict_json = serde_json::to_string(&verdict).map_err(ApiError::internal)?;
    Ok(Judged {
        verdict,
        verdict_json,
        sha256,
        size_bytes: file.bytes.len(),
    })
}

fn attempt_row(
    ticket: &UploadTicket,
    judged: &Judged,
    filename: &str,
    accepted: bool,
    at: DateTime<Utc>,
) -> upload_attempts::ActiveModel {
    upload_attempts::ActiveModel {
        application_id: Set(ticket.application.id.clone()),
        document_kind: Set(ticket.document.kind.clone()),
        at: Set(at),
        sha256: Set(judged.sha256.clone()),
        size_bytes: Set(judged.size_bytes as i64),
        accepted: Set(accepted),
        verdict: Set(judged.verdict_json.clone()),
        original_filename: Set(Some(filename.to_owned())),
        ..Default::default()
    }
}

fn blob_row(new: &NewVersion<'_>, bytes: Vec<u8>, now: DateTime<Utc>) -> blobs::ActiveModel {
    blobs::ActiveModel {
        sha256: Set(new.judged.sha256.clone()),
        size: Set(new.judged.size_bytes as i64),
        bytes: Set(bytes),
        created_at: Set(now),
    }
}

/// The document's current version, about to be superseded.
fn no_longer_current(
    application_id: &str,
    kind: &str,
) -> sea_orm::UpdateMany<document_versions::Entity> {
    document_versions::Entity::update_many()
        .col_expr(
            document_versions::Column::IsCurrent,
            sea_orm::sea_query::Expr::value(false),
        )
        .filter(document_versions::Column::ApplicationId.eq(application_id))
        .filter(document_versions::Column::DocumentKind.eq(kind))
        .filter(document_versions::Column::IsCurrent.eq(true))
}

fn upload_audit(
    actor: &Actor,
    new: &NewVersion<'_>,
    now: DateTime<Utc>,
) -> audit_events::ActiveModel {
    audit::entry(
        actor,
        "document.uploaded",
        Some(&new.ticket.vacancy.model.reference),
        json!({ "version_id": new.id, "sha256": new.judged.sha256 }),
        now,
    )
}

/// What writing the new version came to, short of an error. All but `Stored` leave the
/// transaction to be rolled back.
enum Written {
    Stored(document_versions::Model),
    /// A retry with the same idempotency key was stored first: it gets that answer.
    Replay(document_versions::Model),
    /// Concurrent uploads of the document kept taking the number.
    Collided,
}

/// The bytes and the new current version, inside the upload's write transaction on SQLite
/// (the path that reads the number again when a concurrent upload took it).
async fn write_version(
    txn: &DatabaseTransaction,
    new: &NewVersion<'_>,
    previous: Option<i32>,
    version: document_versions::ActiveModel,
    blob_bytes: Vec<u8>,
    now: DateTime<Utc>,
) -> Result<Written, ApiError> {
    blobs::Entity::insert(blob_row(new, blob_bytes, now))
        .on_conflict_do_nothing_on([blobs::Column::Sha256])
        .exec(txn)
        .await?;
    insert_current(txn, new, previous, version).await
}

enum Recheck {
    Replay(Box<document_versions::Model>),
    /// The number of the current (always the newest) version, if any.
    Latest(Option<i32>),
}

/// PostgreSQL runs uploads truly in parallel: the application's row lock orders uploads of one
/// candidate's documents, and the number is read under it. (SQLite's single writer already
/// orders them.) The read is a statement of its own, after the lock: in READ COMMITTED only a
/// new statement sees what the transaction it waited for committed. It reads both the current
/// version (always the newest) and any version stored under this upload's idempotency key by a
/// retry that raced it, and only the columns that decide.
async fn recheck_under_lock(
    txn: &DatabaseTransaction,
    new: &NewVersion<'_>,
) -> Result<Recheck, ApiError> {
    let (application_id, kind) = (&new.ticket.application.id, &new.ticket.document.kind);
    let idempotency_key = &new.idempotency_key;
    let lock = Statement::from_sql_and_values(
        sea_orm::DatabaseBackend::Postgres,
        "SELECT id FROM applications WHERE id = $1 FOR UPDATE",
        [application_id.clone().into()],
    );
    txn.execute_raw(lock).await?;
    let read = Statement::from_sql_and_values(
        sea_orm::DatabaseBackend::Postgres,
        r#"SELECT id, version, is_current, idempotency_key FROM document_versions
           WHERE application_id = $1 AND document_kind = $2
             AND (is_current OR idempotency_key = $3)"#,
        [
            application_id.clone().into(),
            kind.clone().into(),
            idempotency_key.clone().into(),
        ],
    );
    let mut latest = None;
    for row in txn.query_all_raw(read).await? {
        let key = row.try_get::<Option<String>>("", "idempotency_key")?;
        if idempotency_key.is_some() && key == *idempotency_key {
            let id = row.try_get::<String>("", "id")?;
            let existing = document_versions::Entity::find_by_id(id)
                .one(txn)
                .await?
                .ok_or_else(|| ApiError::Internal("a version vanished under its lock".into()))?;
            return Ok(Recheck::Replay(Box::new(existing)));
        }
        if row.try_get::<bool>("", "is_current")? {
            latest = Some(row.try_get::<i32>("", "version")?);
        }
    }
    Ok(Recheck::Latest(latest))
}

/// Marks the previous version no longer current and inserts the new one; a number taken meanwhile
/// by another upload of the document is read again and the insert retried. SQLite's path when the
/// one-call write was refused, or the file is large (PostgreSQL writes under its row lock, in
/// `write_under_lock`).
async fn insert_current(
    txn: &DatabaseTransaction,
    new: &NewVersion<'_>,
    mut previous: Option<i32>,
    mut version: document_versions::ActiveModel,
) -> Result<Written, ApiError> {
    let (application_id, kind) = (&new.ticket.application.id, &new.ticket.document.kind);
    let mut attempts = 0;
    loop {
        attempts += 1;
        if previous.is_some() {
            no_longer_current(application_id, kind).exec(txn).await?;
        }
        // Inserted without RETURNING: every column is already in hand, and reading the row
        // back would decode its verdict and inspection texts again.
        let inserted = document_versions::Entity::insert(version.clone())
            .exec_without_returning(txn)
            .await;
        match inserted {
            Ok(_) => return Ok(Written::Stored(version.try_into_model()?)),
            Err(error) if matches!(error.sql_err(), Some(SqlErr::UniqueConstraintViolation(_))) => {
                // (Only SQLite comes here; the backend test keeps a PostgreSQL caller from going
                // on in a transaction that its error aborted.)
                if txn.get_database_backend() != sea_orm::DatabaseBackend::Sqlite || attempts >= 3 {
                    return Ok(Written::Collided);
                }
                // On SQLite the failed statement alone is undone and the transaction goes on. A
                // retry with the same key that raced its first attempt gets that answer; otherwise
                // another upload of this document took the number first, and the next one is used.
                let key = new.idempotency_key.as_deref();
                if let Some(existing) =
                    find_by_idempotency_key(txn, application_id, kind, key).await?
                {
                    return Ok(Written::Replay(existing));
                }
                previous = latest_version(txn, application_id, kind).await?;
                version = new.model(previous)?;
            }
            Err(error) => return Err(error.into()),
        }
    }
}

/// The receipt, by mail, written in the same transaction as the version it is for.
fn receipt_mail(
    candidate: &accounts::Model,
    new: &NewVersion<'_>,
    now: DateTime<Utc>,
) -> outbox::ActiveModel {
    crate::service::outbox::message(&candidate.email, MailKind::Receipt, &new.receipt_mail, now)
}
