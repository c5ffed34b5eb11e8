//! Connecting to the database: SQLite in the data directory by default, PostgreSQL by URL.

use std::time::Duration;

use migration::{Migrator, MigratorTrait};
use sea_orm::sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous};
use sea_orm::{
    ConnectOptions, Database, DatabaseConnection, DatabaseTransaction, DbErr,
    SqliteTransactionMode, TransactionOptions, TransactionTrait,
};

use crate::configuration::Settings;

/// Opens the pool. For SQLite: WAL so readers never block the writer, foreign keys on,
/// `synchronous=FULL` so that a commit acknowledged to a candidate survives power loss,
/// and a busy timeout so that writers queue instead of failing at the deadline rush.
pub async fn connect(settings: &Settings) -> Result<DatabaseConnection, DbErr> {
    let url = settings.effective_database_url();
    if settings.database_url.is_none() {
        private_data_dir(&settings.data_dir).map_err(|e| {
            DbErr::Custom(format!(
                "cannot create data directory {}: {e}",
                settings.data_dir.display()
            ))
        })?;
        // SQLite creates the -wal and -shm files with the database file's own permissions, so
        // creating that file 0600 first keeps all three readable by this user only.
        let file = settings.data_dir.join("essay-portal.sqlite");
        if !file.exists() {
            use std::os::unix::fs::OpenOptionsExt;
            std::fs::OpenOptions::new()
                .write(true)
                .create(true)
                .truncate(false)
                .mode(0o600)
                .open(&file)
                .map_err(|e| DbErr::Custom(format!("cannot create {}: {e}", file.display())))?;
        }
    }
    let mut options = ConnectOptions::new(url);
    options
        .max_connections(settings.database_max_connections)
        .min_connections(1)
        .connect_timeout(Duration::from_secs(10))
        .acquire_timeout(Duration::from_secs(30))
        // By default every checkout pings its connection first: on SQLite one more hand-off to
        // the connection's thread and back, on PostgreSQL one more network round trip, for
        // every query. Only a connection idle long enough for a server, proxy or firewall to
        // have dropped it is tested now.
        .test_before_acquire_if_idle_for(Duration::from_secs(30))
        .sqlx_logging(false)
        .map_sqlx_sqlite_pool_opts(|pool| {
            pool.after_connect(|connection, _| {
                Box::pin(async move {
                    let mut handle = connection.lock_handle().await?;
                    handle.set_commit_hook(|| {
                        SQLITE_COMMITS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        true // let the commit proceed (false would turn it into a rollback)
                    });
                    Ok(())
                })
            })
        })
        .map_sqlx_sqlite_opts(|opts| {
            opts.journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Full)
                .foreign_keys(true)
                .busy_timeout(Duration::from_secs(30))
                .create_if_missing(true)
                // A deleted row is overwritten, not left in a free page: an erased person's name
                // must not stay readable in the file (tested by grepping it after an erasure).
                .pragma("secure_delete", "ON")
        });
    Database::connect(options).await
}

/// Write transactions committed to SQLite by this process (SQLite calls the commit hook only for
/// transactions that wrote; each is one fsync of the WAL with `synchronous=FULL`). Exposed as
/// `database_commits_total` in `/metrics`, so that the rush harness can report commits per upload.
pub static SQLITE_COMMITS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

/// Creates the data folder readable by this user only (0700), and narrows an existing one: it
/// holds essays, personal data and the receipt signing key.
pub fn private_data_dir(dir: &std::path::Path) -> std::io::Result<()> {
    use std::os::unix::fs::{DirBuilderExt, PermissionsExt};
    std::fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)?;
    std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))
}

/// The data folder's lock, held for as long as a server runs on it. Two servers on one SQLite
/// file would each keep their own writer queue and per-process state (throttles in memory,
/// the upload slots), so a second one is refused. The lock is the kernel's (`flock`), so a
/// server killed with -9 leaves nothing to clean up. PostgreSQL deployments take no lock: many
/// instances on one database is what they are for.
#[derive(Debug)]
pub struct DataFolderLock {
    _file: std::fs::File,
}

impl DataFolderLock {
    pub const FILE_NAME: &'static str = "essay-portal.lock";

    pub fn acquire(dir: &std::path::Path) -> Result<Self, String> {
        private_data_dir(dir)
            .map_err(|e| format!("cannot create data directory {}: {e}", dir.display()))?;
        let path = dir.join(Self::FILE_NAME);
        let file = std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
            .map_err(|e| format!("cannot open {}: {e}", path.display()))?;
        match file.try_lock() {
            Ok(()) => Ok(Self { _file: file }),
            Err(std::fs::TryLockError::WouldBlock) => Err(format!(
                "another essay-portal server is already using the data folder {} (it holds {}); \
                 stop that one first, or give this one its own --data-dir. To run several \
                 instances, point them all at one PostgreSQL database (database_url)",
                dir.display(),
                path.display()
            )),
            Err(std::fs::TryLockError::Error(e)) => {
                Err(format!("cannot lock {}: {e}", path.display()))
            }
        }
    }
}

/// Migrations not yet applied to this database (zero on a ready instance).
pub async fn pending_migrations(db: &DatabaseConnection) -> Result<usize, DbErr> {
    Ok(Migrator::get_pending_migrations(db).await?.len())
}

/// Applies every pending migration.
pub async fn migrate(db: &DatabaseConnection) -> Result<(), DbErr> {
    Migrator::up(db, None).await
}

/// SQLite has one writer. Concurrent write transactions otherwise meet in SQLite's busy handler,
/// which sleeps in growing steps and collapses throughput under a deadline rush; queuing the
/// hot writers (uploads, session touches) here keeps each commit immediate. PostgreSQL does not
/// need it. One queue per process: a deployment has one database (tests that start several apps
/// in one process merely share it).
static SQLITE_WRITER: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

pub async fn write_turn(db: &DatabaseConnection) -> Option<tokio::sync::MutexGuard<'static, ()>> {
    match db.get_database_backend() {
        sea_orm::DatabaseBackend::Sqlite => Some(SQLITE_WRITER.lock().await),
        _ => None,
    }
}

/// Begins a transaction that will write. On SQLite it is `BEGIN IMMEDIATE`: a deferred transaction
/// that reads first holds a read snapshot, and if another connection commits before its first
/// write, SQLite refuses the upgrade at once ("database is locked", no busy wait), which surfaced
/// as 500s when candidates registered concurrently. Taking the write lock up front makes the
/// transaction wait its turn in the busy handler instead.
pub async fn begin_write(db: &DatabaseConnection) -> Result<DatabaseTransaction, DbErr> {
    match db.get_database_backend() {
        sea_orm::DatabaseBackend::Sqlite => {
            db.begin_with_options(TransactionOptions {
                sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
                ..Default::default()
            })
            .await
        }
        _ => db.begin().await,
    }
}

/// PostgreSQL statements as one: each becomes a data-modifying part of a `WITH`, so that they
/// take one round trip instead of one each (a prepared statement cannot hold several commands).
/// The parts run on one snapshot and do not see each other's rows, so they must not depend on
/// each other's results; foreign keys are checked at the end of the whole statement. The `$n`
/// placeholders of each part are renumbered after those of the parts before it.
pub fn postgres_one_statement(statements: Vec<sea_orm::Statement>) -> sea_orm::Statement {
    let mut sql = String::from("WITH ");
    let mut values = Vec::new();
    for (index, statement) in statements.into_iter().enumerate() {
        if index > 0 {
            sql.push_str(", ");
        }
        sql.push_str(&format!("part{index} AS ("));
        renumber_placeholders(&statement.sql, values.len(), &mut sql);
        sql.push(')');
        values.extend(statement.values.map(|v| v.0).unwrap_or_default());
    }
    sql.push_str(" SELECT 1");
    sea_orm::Statement::from_sql_and_values(sea_orm::DatabaseBackend::Postgres, sql, values)
}

/// Copies `sql` to `out` with every `$n` placeholder outside quotes raised by `offset`.
fn renumber_placeholders(sql: &str, offset: usize, out: &mut String) {
    let mut quote = None;
    let mut chars = sql.chars().peekable();
    while let Some(c) = chars.next() {
        match (quote, c) {
            (None, '"' | '\'') => quote = Some(c),
            (Some(open), _) if c == open => quote = None,
            (None, '$') if chars.peek().is_some_and(char::is_ascii_digit) => {
                let mut number = 0usize;
                while let Some(digit) = chars.peek().and_then(|d| d.to_digit(10)) {
                    number = number * 10 + digit as usize;
                    chars.next();
                }
                out.push('$');
                out.push_str(&(number + offset).to_string());
                continue;
            }
            _ => {}
        }
        out.push(c);
    }
}

/// After an erasure on SQLite, moves the write-ahead log into the database file and empties it:
/// until then the log holds the pages as they were before the deletion, the person's name in them.
/// Best effort (a long reader can hold the log); the next checkpoint does it anyway.
pub async fn forget_deleted_pages(db: &DatabaseConnection) {
    use sea_orm::ConnectionTrait;
    if db.get_database_backend() != sea_orm::DatabaseBackend::Sqlite {
        return;
    }
    let _writer = SQLITE_WRITER.lock().await;
    if let Err(error) = db
        .execute_unprepared("PRAGMA wal_checkpoint(TRUNCATE)")
        .await
    {
        tracing::warn!(%error, "could not checkpoint the write-ahead log after an erasure");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sea_orm::{DatabaseBackend, Statement};

    #[test]
    fn postgres_statements_become_one_with_their_placeholders_renumbered_in_order() {
        let first = Statement::from_sql_and_values(
            DatabaseBackend::Postgres,
            r#"INSERT INTO "a" ("x", "y$1") VALUES ($1, $2)"#,
            [1.into(), 2.into()],
        );
        let second = Statement::from_sql_and_values(
            DatabaseBackend::Postgres,
            r#"UPDATE "b" SET "z" = $1 WHERE "w" = '$1' AND "v" = $2"#,
            [3.into(), 4.into()],
        );

        let one = postgres_one_statement(vec![first, second]);

        assert_eq!(
            one.sql,
            r#"WITH part0 AS (INSERT INTO "a" ("x", "y$1") VALUES ($1, $2)), part1 AS (UPDATE "b" SET "z" = $3 WHERE "w" = '$1' AND "v" = $4) SELECT 1"#
        );
        assert_eq!(
            one.values.expect("values").0,
            vec![1.into(), 2.into(), 3.into(), 4.into()]
        );
    }
}
