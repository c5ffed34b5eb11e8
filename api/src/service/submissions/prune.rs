//! What one document of an application keeps: at most `versions_per_document` versions and
//! `refused_attempts_per_document` refused attempts. An adversarial review stored 30 versions of
//! a 9.9 MB file (299 MB) in under four seconds, and every refused upload adds a row for good.
//!
//! An accepted upload numbered beyond the limit deletes, in the same transaction as its own rows,
//! the replaced versions numbered `new − limit` and below, then each of their files that no
//! version uses any more. Never deleted: the current version (the limit is at least 2, so the
//! version being replaced is always kept by that upload), a version an assessor scored (`scores`,
//! `score_revisions`), a version a decision was made on (`decisions`), a file some other version
//! still uses (the same bytes uploaded again, or by someone else). Nothing else refers to a
//! version or a file: readings and uploads are in the audit log as text (with the version's
//! SHA-256), and receipts are signed documents that verify without the server. Asking for a
//! receipt keeps nothing.
//!
//! Below the limit nothing is added to an upload's write.

use sea_orm::{ConnectionTrait, DatabaseBackend, DbErr, Statement, Value};

use entity::document_versions;

use super::upload::UploadTicket;
use crate::configuration::Settings;

/// The fewest versions a document may be limited to: the current one and the one it replaced.
/// (On PostgreSQL an upload's writes are one statement whose parts must not touch the same row:
/// the version it replaces is updated there, so it cannot also be deleted.)
const FEWEST_VERSIONS: u32 = 2;

/// The limits of one document of an application, from the settings.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Limits {
    versions: i32,
    refused_attempts: i64,
}

impl Limits {
    pub(crate) fn of(settings: &Settings) -> Self {
        Self {
            versions: i32::try_from(settings.versions_per_document.max(FEWEST_VERSIONS))
                .unwrap_or(i32::MAX),
            refused_attempts: i64::from(settings.refused_attempts_per_document.max(1)),
        }
    }

    /// How many versions each document keeps, as candidates are told.
    pub(crate) fn versions(&self) -> u32 {
        self.versions.unsigned_abs()
    }
}

/// The versions an accepted upload pushes past the limit.
pub(super) struct Superseded {
    application_id: String,
    kind: String,
    /// Replaced versions numbered this or lower go (unless scored or decided on).
    up_to: i32,
    /// The new version's file, which stays whatever the old versions used.
    new_sha256: String,
    /// SQLite's list of the files those versions use (see [`Superseded::listing_files`]).
    files: Option<Vec<String>>,
}

/// The versions that go when version `new_version` of the ticket's document is stored, or `None`
/// while the document has no more versions than the limit.
pub(super) fn superseded(
    ticket: &UploadTicket,
    new_version: i32,
    new_sha256: &str,
) -> Option<Superseded> {
    let (application_id, kind) = (&ticket.application.id, &ticket.document.kind);
    beyond(ticket.limits, application_id, kind, new_version, new_sha256)
}

fn beyond(
    limits: Limits,
    application_id: &str,
    kind: &str,
    new_version: i32,
    new_sha256: &str,
) -> Option<Superseded> {
    (new_version > limits.versions).then(|| Superseded {
        application_id: application_id.to_owned(),
        kind: kind.to_owned(),
        up_to: new_version - limits.versions,
        new_sha256: new_sha256.to_owned(),
        files: None,
    })
}

/// SQLite's one-call write: the versions that go, with their files read beforehand (see
/// [`Superseded::listing_files`]).
pub(super) async fn superseded_listed(
    conn: &impl ConnectionTrait,
    ticket: &UploadTicket,
    new_version: i32,
    new_sha256: &str,
) -> Result<Option<Superseded>, DbErr> {
    match superseded(ticket, new_version, new_sha256) {
        Some(going) => Ok(Some(going.listing_files(conn).await?)),
        None => Ok(None),
    }
}

/// SQLite's path that writes an upload statement by statement: the deletions once `stored` is
/// in, inside its transaction.
pub(super) async fn after_stored(
    txn: &impl ConnectionTrait,
    ticket: &UploadTicket,
    stored: &document_versions::Model,
) -> Result<(), DbErr> {
    let Some(going) = superseded(ticket, stored.version, &stored.blob_sha256) else {
        return Ok(());
    };
    let backend = txn.get_database_backend();
    for statement in going.listing_files(txn).await?.statements(backend) {
        txn.execute_raw(statement).await?;
    }
    Ok(())
}

impl Superseded {
    /// SQLite checks a file's references after each statement, so the files can only be deleted
    /// after their versions, by which time no row says which files those were: they are read
    /// first. Read outside the write, the list may be stale only if another upload of the
    /// document took this number, and then the write fails on the version's unique index and is
    /// retried by the path that reads again; a stale name deletes nothing still in use, because
    /// every file is deleted only when no version uses it.
    async fn listing_files(mut self, conn: &impl ConnectionTrait) -> Result<Self, DbErr> {
        let backend = conn.get_database_backend();
        let mut sql = Sql::new(backend);
        sql.push("SELECT DISTINCT v.blob_sha256 FROM document_versions v WHERE ");
        self.going(&mut sql, "v");
        let rows = conn.query_all_raw(sql.build()).await?;
        let files = rows
            .iter()
            .map(|row| row.try_get::<String>("", "blob_sha256"))
            .collect::<Result<Vec<_>, _>>()?;
        self.files = Some(files);
        Ok(self)
    }

    /// The deletions, to run after the new version's own rows: the versions, then their files
    /// that nothing uses any more. On PostgreSQL they become parts of the upload's one statement
    /// (see [`crate::database::postgres_one_statement`]), which all see the rows as they were
    /// before it: so the files are found from the versions themselves, and a version being
    /// deleted alongside does not count as using a file.
    pub(super) fn statements(&self, backend: DatabaseBackend) -> Vec<Statement> {
        let mut versions = Sql::new(backend);
        versions.push("DELETE FROM document_versions WHERE ");
        self.going(&mut versions, "document_versions");
        let mut statements = vec![versions.build()];
        let listed = self.files.as_deref().unwrap_or_default();
        if backend == DatabaseBackend::Sqlite && listed.is_empty() {
            return statements;
        }
        let mut files = Sql::new(backend);
        files.push("DELETE FROM blobs WHERE sha256 IN (");
        if backend == DatabaseBackend::Sqlite {
            for (n, sha256) in listed.iter().enumerate() {
                if n > 0 {
                    files.push(", ");
                }
                files.bind(sha256.clone());
            }
        } else {
            files.push("SELECT d.blob_sha256 FROM document_versions d WHERE ");
            self.going(&mut files, "d");
        }
        files.push(") AND sha256 <> ");
        files.bind(self.new_sha256.clone());
        files.push(
            " AND NOT EXISTS (SELECT 1 FROM document_versions u \
             WHERE u.blob_sha256 = blobs.sha256 AND NOT (",
        );
        self.going(&mut files, "u");
        files.push("))");
        statements.push(files.build());
        statements
    }

    /// The condition that picks the versions to delete, on the table named `table`.
    fn going(&self, sql: &mut Sql, table: &str) {
        sql.push(&format!("{table}.application_id = "));
        sql.bind(self.application_id.clone());
        sql.push(&format!(" AND {table}.document_kind = "));
        sql.bind(self.kind.clone());
        sql.push(&format!(" AND {table}.version <= "));
        sql.bind(self.up_to);
        sql.push(&format!(
            " AND NOT {table}.is_current \
             AND NOT EXISTS (SELECT 1 FROM scores s \
                 WHERE s.application_id = {table}.application_id AND s.version_id = {table}.id) \
             AND NOT EXISTS (SELECT 1 FROM score_revisions r \
                 WHERE r.application_id = {table}.application_id AND r.version_id = {table}.id) \
             AND NOT EXISTS (SELECT 1 FROM decisions dc \
                 WHERE dc.application_id = {table}.application_id AND dc.version_id = {table}.id)"
        ));
    }
}

/// Deletes the oldest refused attempts of a document beyond the limit; it runs after the refused
/// attempt is recorded, which it counts. While there are fewer, the inner query finds no row and
/// nothing is deleted.
pub(super) fn refused_attempts(backend: DatabaseBackend, ticket: &UploadTicket) -> Statement {
    let (application_id, kind) = (&ticket.application.id, &ticket.document.kind);
    let mut sql = Sql::new(backend);
    let document = |sql: &mut Sql| {
        sql.push("application_id = ");
        sql.bind(application_id.to_owned());
        sql.push(" AND document_kind = ");
        sql.bind(kind.to_owned());
        sql.push(" AND NOT accepted");
    };
    sql.push("DELETE FROM upload_attempts WHERE ");
    document(&mut sql);
    sql.push(" AND id <= (SELECT id FROM upload_attempts WHERE ");
    document(&mut sql);
    sql.push(" ORDER BY id DESC LIMIT 1 OFFSET ");
    sql.bind(ticket.limits.refused_attempts);
    sql.push(")");
    sql.build()
}

/// SQL text and its values, with the placeholders each database wants (SQLite's `?` bind in
/// order; PostgreSQL's are numbered).
struct Sql {
    backend: DatabaseBackend,
    text: String,
    values: Vec<Value>,
}

impl Sql {
    fn new(backend: DatabaseBackend) -> Self {
        Self {
            backend,
            text: String::new(),
            values: Vec::new(),
        }
    }

    fn push(&mut self, text: &str) {
        self.text.push_str(text);
    }

    fn bind(&mut self, value: impl Into<Value>) {
        self.values.push(value.into());
        match self.backend {
            DatabaseBackend::Postgres => {
                self.text.push('$');
                self.text.push_str(&self.values.len().to_string());
            }
            _ => self.text.push('?'),
        }
    }

    fn build(self) -> Statement {
        Statement::from_sql_and_values(self.backend, self.text, self.values)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limits(versions: u32) -> Limits {
        Limits::of(&Settings {
            versions_per_document: versions,
            ..Settings::default()
        })
    }

    #[test]
    fn nothing_is_added_to_an_upload_until_the_document_passes_its_limit() {
        for (limit, new_version, up_to) in [
            (3, 1, None),
            (3, 3, None),
            (3, 4, Some(1)),
            (3, 6, Some(3)),
            (20, 20, None),
            (20, 21, Some(1)),
            // A limit below two keeps two: the current version and the one it replaced.
            (0, 2, None),
            (1, 3, Some(1)),
        ] {
            let going = beyond(limits(limit), "a", "key-challenges", new_version, "f");
            assert_eq!(
                going.map(|s| s.up_to),
                up_to,
                "limit {limit}, version {new_version}"
            );
        }
    }

    #[test]
    fn postgresql_finds_the_files_from_the_versions_and_sqlite_from_the_list_read_first() {
        let going = beyond(limits(3), "a", "k", 5, "new").expect("over the limit");
        let postgres = going.statements(DatabaseBackend::Postgres);
        assert_eq!(postgres.len(), 2);
        assert!(postgres[1].sql.contains("SELECT d.blob_sha256"));
        assert!(postgres[1].sql.contains("$3"), "{}", postgres[1].sql);
        assert!(!postgres[1].sql.contains('?'));

        let unlisted = going.statements(DatabaseBackend::Sqlite);
        assert_eq!(unlisted.len(), 1, "no file statement without the list");

        let listed = Superseded {
            files: Some(vec!["x".into(), "y".into()]),
            ..going
        };
        let sqlite = listed.statements(DatabaseBackend::Sqlite);
        assert_eq!(sqlite.len(), 2);
        assert!(sqlite[1]
            .sql
            .starts_with("DELETE FROM blobs WHERE sha256 IN (?, ?)"));
        let values = sqlite[1].values.as_ref().map_or(0, |v| v.0.len());
        assert_eq!(values, sqlite[1].sql.matches('?').count());
    }
}
