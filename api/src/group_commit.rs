//! Group commit on SQLite: uploads that arrive together share one write transaction, so one
//! fsync of the WAL, instead of one each.
//!
//! SQLite has one writer, and with `synchronous=FULL` each commit waits for the disk. At a
//! deadline rush, uploads queue for that writer; while one batch commits, the next gathers. A
//! batch is a transaction begun by a committer task; each member writes inside it under a
//! savepoint of its own (so one member's failure undoes only its own writes), then waits for the
//! batch's commit. Nobody is told "accepted" before the commit that holds their upload has
//! returned: the durability promise is the same as with one transaction per upload.
//!
//! On PostgreSQL writers run truly in parallel and the server groups WAL flushes itself, so
//! [`GroupCommit::write`] there is one transaction per call.

use std::future::Future;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use sea_orm::{
    ConnectionTrait, DatabaseConnection, DatabaseTransaction, DbErr, Statement, TransactionTrait,
};
use tokio::sync::{watch, Notify};

use crate::error::ApiError;

/// How long a batch keeps admitting uploads once its transaction is open, at most. Under a
/// steady stream a batch would otherwise never see a moment with nobody writing.
const GATHER: Duration = Duration::from_millis(20);

/// What a member's work asks for: keep its writes (they commit with the batch) or undo them.
pub enum Keep<T> {
    Commit(T),
    /// Undo this member's writes; the value is the answer all the same (a replay, say).
    Undo(T),
}

#[derive(Default)]
struct Members {
    /// Joined and not yet done writing.
    writing: usize,
    /// No one may join any more: the batch is about to commit.
    sealed: bool,
}

struct Batch {
    members: Mutex<Members>,
    /// Signalled each time a member is done writing.
    member_done: Notify,
    /// The batch's transaction, taken in turn by the members.
    txn: tokio::sync::Mutex<Option<DatabaseTransaction>>,
    /// `Some(Ok)` once the transaction is open, `Some(Err)` if it could not be.
    ready: watch::Sender<Option<Result<(), String>>>,
    /// The commit's outcome.
    committed: watch::Sender<Option<Result<(), String>>>,
}

/// One per database (the application state holds it; tests start several in one process).
#[derive(Default, Clone)]
pub struct GroupCommit {
    open: Arc<Mutex<Option<Arc<Batch>>>>,
}

/// A member's place in a batch; leaving early (the request was dropped) still counts it done.
struct Seat {
    batch: Arc<Batch>,
    done: bool,
}

impl Seat {
    fn leave(&mut self) {
        if !self.done {
            self.done = true;
            if let Ok(mut members) = self.batch.members.lock() {
                members.writing = members.writing.saturating_sub(1);
            }
            self.batch.member_done.notify_one();
        }
    }
}

impl Drop for Seat {
    fn drop(&mut self) {
        self.leave();
    }
}

fn internal(message: impl Into<String>) -> ApiError {
    ApiError::Internal(message.into().into())
}

impl GroupCommit {
    /// Runs `work` inside a write transaction and returns its answer once that transaction has
    /// committed (for [`Keep::Commit`]). On SQLite the transaction is shared with the uploads
    /// around it and `work` runs under a savepoint of its own.
    pub async fn write<T, F, Fut>(&self, db: &DatabaseConnection, work: F) -> Result<T, ApiError>
    where
        F: FnOnce(DatabaseTransaction) -> Fut,
        Fut: Future<Output = (DatabaseTransaction, Result<Keep<T>, ApiError>)>,
    {
        if db.get_database_backend() != sea_orm::DatabaseBackend::Sqlite {
            let txn = crate::database::begin_write(db).await?;
            let (txn, outcome) = work(txn).await;
            return match outcome? {
                Keep::Commit(value) => {
                    txn.commit().await?;
                    Ok(value)
                }
                Keep::Undo(value) => {
                    txn.rollback().await?;
                    Ok(value)
                }
            };
        }
        let mut seat = self.join(db);
        let batch = seat.batch.clone();
        signalled(&batch.ready).await?;
        let kept = {
            let guard = batch.txn.lock().await;
            let txn = guard
                .as_ref()
                .ok_or_else(|| internal("the batch's transaction is gone"))?;
            let savepoint = txn.begin().await?;
            let (savepoint, outcome) = work(savepoint).await;
            match outcome {
                Ok(Keep::Commit(value)) => {
                    savepoint.commit().await?;
                    value
                }
                Ok(Keep::Undo(value)) => {
                    savepoint.rollback().await?;
                    seat.leave();
                    return Ok(value);
                }
                Err(error) => {
                    savepoint.rollback().await?;
                    seat.leave();
                    return Err(error);
                }
            }
        };
        seat.leave();
        signalled(&batch.committed).await?;
        Ok(kept)
    }

    /// Runs one member's writes, given as SQLite statements in one text (see [`member_batch`]),
    /// in the open batch and answers once the batch has committed: one round trip to SQLite's
    /// connection thread instead of one per statement and two for a savepoint. When a statement
    /// fails, the member's writes are undone and the error comes back, the batch going on
    /// without them. SQLite only.
    ///
    /// The writes and their undoing run in a task of their own: a request dropped mid-write
    /// (the client went away) must not leave half of its writes in a batch that will commit.
    pub async fn execute(
        &self,
        db: &DatabaseConnection,
        batch_text: Statement,
    ) -> Result<Result<(), Failed>, ApiError> {
        debug_assert_eq!(db.get_database_backend(), sea_orm::DatabaseBackend::Sqlite);
        let mut seat = self.join(db);
        let batch = seat.batch.clone();
        signalled(&batch.ready).await?;
        let ran = tokio::spawn(async move {
            let mut guard = seat.batch.txn.lock().await;
            let Some(txn) = guard.as_ref() else {
                return Err(internal("the batch's transaction is gone"));
            };
            let ran = txn.execute_raw(batch_text).await;
            if let Err(error) = ran {
                let undone = txn
                    .execute_unprepared("ROLLBACK TO member; RELEASE member")
                    .await;
                if undone.is_err() {
                    // The member's writes could not be undone: the whole batch is, and every
                    // member is told it failed (none was told "accepted" yet).
                    if let Some(txn) = guard.take() {
                        let _ = txn.rollback().await;
                    }
                    return Err(internal("a batch member's writes could not be undone"));
                }
                return Ok(Err(Failed(error)));
            }
            drop(guard);
            seat.leave();
            Ok(Ok(()))
        })
        .await
        .map_err(|_| internal("a batch member's task stopped"))??;
        if ran.is_ok() {
            signalled(&batch.committed).await?;
        }
        Ok(ran)
    }

    /// A seat in the open batch, or in a new one whose committer starts now.
    fn join(&self, db: &DatabaseConnection) -> Seat {
        let mut open = self.open.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(batch) = open.as_ref() {
            let mut members = batch.members.lock().unwrap_or_else(|e| e.into_inner());
            if !members.sealed {
                members.writing += 1;
                return Seat {
                    batch: batch.clone(),
                    done: false,
                };
            }
        }
        let batch = Arc::new(Batch {
            members: Mutex::new(Members {
                writing: 1,
                sealed: false,
            }),
            member_done: Notify::new(),
            txn: tokio::sync::Mutex::new(None),
            ready: watch::channel(None).0,
            committed: watch::channel(None).0,
        });
        *open = Some(batch.clone());
        tokio::spawn(commit_batch(self.clone(), db.clone(), batch.clone()));
        Seat { batch, done: false }
    }

    /// No one else joins `batch`.
    fn seal(&self, batch: &Arc<Batch>) {
        let mut open = self.open.lock().unwrap_or_else(|e| e.into_inner());
        if open.as_ref().is_some_and(|b| Arc::ptr_eq(b, batch)) {
            *open = None;
        }
        batch
            .members
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .sealed = true;
    }
}

/// Why a member's statements failed; they were undone.
pub struct Failed(pub DbErr);

/// One member's SQLite statements as one text under a savepoint of its own, so that they run in
/// one call and a failure part-way can be undone ([`GroupCommit::execute`] does). SQLite binds
/// `?` parameters in order across the statements of one text.
pub fn member_batch(statements: Vec<Statement>) -> Statement {
    let mut sql = String::from("SAVEPOINT member;\n");
    let mut values = Vec::new();
    for statement in statements {
        debug_assert_eq!(statement.db_backend, sea_orm::DatabaseBackend::Sqlite);
        sql.push_str(&statement.sql);
        sql.push_str(";\n");
        values.extend(statement.values.map(|v| v.0).unwrap_or_default());
    }
    sql.push_str("RELEASE member");
    Statement::from_sql_and_values(sea_orm::DatabaseBackend::Sqlite, sql, values)
}

/// Waits for the committer's signal (the transaction opened, or committed) and returns it.
async fn signalled(signal: &watch::Sender<Option<Result<(), String>>>) -> Result<(), ApiError> {
    let mut receiver = signal.subscribe();
    let outcome = receiver
        .wait_for(Option::is_some)
        .await
        .map_err(|_| internal("the batch's committer stopped"))?
        .clone();
    outcome
        .unwrap_or_else(|| Err("no outcome".into()))
        .map_err(internal)
}

fn writing(batch: &Batch) -> usize {
    batch
        .members
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .writing
}

/// Waits until no member is writing, or `deadline` passes (then `None` more waiting is done).
async fn until_quiet(batch: &Batch, deadline: Option<tokio::time::Instant>) {
    loop {
        let notified = batch.member_done.notified();
        if writing(batch) == 0 {
            return;
        }
        match deadline {
            Some(deadline) => {
                if tokio::time::timeout_at(deadline, notified).await.is_err() {
                    return;
                }
            }
            None => notified.await,
        }
    }
}

/// The committer of one batch: SQLite's writer turn, the transaction, the members' writes,
/// one commit, everyone told.
async fn commit_batch(group: GroupCommit, db: DatabaseConnection, batch: Arc<Batch>) {
    let _turn = crate::database::write_turn(&db).await;
    match crate::database::begin_write(&db).await {
        Ok(txn) => {
            *batch.txn.lock().await = Some(txn);
            batch.ready.send_replace(Some(Ok(())));
        }
        Err(error) => {
            group.seal(&batch);
            batch.ready.send_replace(Some(Err(error.to_string())));
            return;
        }
    }
    // Gather: members write one after another; the batch closes when none is writing, or when
    // it has gathered long enough.
    until_quiet(&batch, Some(tokio::time::Instant::now() + GATHER)).await;
    group.seal(&batch);
    until_quiet(&batch, None).await;
    let txn = batch.txn.lock().await.take();
    let outcome = match txn {
        Some(txn) => txn.commit().await.map_err(|e| e.to_string()),
        None => Err("the batch's transaction is gone".to_owned()),
    };
    if let Err(error) = &outcome {
        tracing::error!(%error, "a batch of writes could not be committed");
    }
    batch.committed.send_replace(Some(outcome));
}
