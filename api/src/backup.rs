//! `essay-portal backup --to FILE` and `essay-portal restore FILE`.
//!
//! A backup is one ZIP file: `manifest.json`, the database, and the receipt signing key when it
//! lives in the data folder (so that receipts issued before still verify after a restore).
//! - SQLite: `VACUUM INTO` writes a consistent copy of the database while the server keeps
//!   serving (it reads one snapshot; writers are not blocked in WAL mode).
//! - PostgreSQL: `pg_dump --format=custom` (one repeatable-read snapshot), restored with
//!   `pg_restore` into an empty database. Both programs must be installed, of the server's
//!   major version or newer.
//!
//! The backup is written beside its target and renamed into place only once complete and
//! flushed, so a backup interrupted half-way never looks like a whole one. It holds personal data
//! and possibly the signing key: it is created readable by this user only.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::Command;

use sea_orm::{ConnectionTrait, DatabaseConnection, Statement};
use serde::{Deserialize, Serialize};

use crate::configuration::Settings;
use crate::database::DataFolderLock;

const FORMAT: &str = "essay-portal-backup/1";
const MANIFEST: &str = "manifest.json";
const SQLITE_ENTRY: &str = "essay-portal.sqlite";
const POSTGRES_ENTRY: &str = "postgres.dump";
const KEY_ENTRY: &str = "receipt-signing-key.pem";
const KEY_FILE: &str = "receipt-signing-key.pem";
const SQLITE_FILE: &str = "essay-portal.sqlite";

/// What a backup holds, written first into the archive.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Manifest {
    pub format: String,
    /// `sqlite` or `postgresql`: a backup restores only into the same kind of database.
    pub database: String,
    pub created_at: chrono::DateTime<chrono::Utc>,
    /// The essay-portal version that wrote it.
    pub version: String,
    /// Stored document versions (accepted uploads) at the snapshot.
    pub document_versions: i64,
    /// Whether the archive carries the data folder's receipt signing key.
    pub includes_receipt_key: bool,
}

fn is_sqlite(settings: &Settings) -> bool {
    settings.database_url.is_none()
}

/// Writes a backup of the configured database to `to`, which must not exist yet.
pub async fn backup(settings: &Settings, to: &Path) -> Result<Manifest, String> {
    if to.exists() {
        return Err(format!(
            "{} already exists; a backup never overwrites a file",
            to.display()
        ));
    }
    let db = crate::database::connect(settings)
        .await
        .map_err(|e| format!("database: {e}"))?;
    let work = tempfile::Builder::new()
        .prefix(".essay-portal-backup-")
        .tempdir_in(parent_of(to))
        .map_err(|e| format!("cannot make a work folder beside {}: {e}", to.display()))?;
    let (entry, dump) = if is_sqlite(settings) {
        let copy = work.path().join(SQLITE_ENTRY);
        let quoted = copy.display().to_string().replace('\'', "''");
        db.execute_unprepared(&format!("VACUUM INTO '{quoted}'"))
            .await
            .map_err(|e| format!("VACUUM INTO {}: {e}", copy.display()))?;
        (SQLITE_ENTRY, copy)
    } else {
        let dump = work.path().join(POSTGRES_ENTRY);
        let url = settings.database_url.as_deref().unwrap_or_default();
        run(Command::new("pg_dump")
            .arg("--format=custom")
            .arg("--no-owner")
            .arg("--file")
            .arg(&dump)
            .arg("--dbname")
            .arg(url))?;
        (POSTGRES_ENTRY, dump)
    };
    // Counted in the snapshot itself would be exact; counted just after, it is a lower bound of
    // what the archive holds, which is what the operator checks against.
    let document_versions = count_versions(&db).await.unwrap_or(-1);
    let key = match &settings.receipt_key_file {
        None => std::fs::read(settings.data_dir.join(KEY_FILE)).ok(),
        // A configured key is a deployment secret, kept and backed up with the other secrets.
        Some(_) => None,
    };
    let manifest = Manifest {
        format: FORMAT.to_owned(),
        database: if is_sqlite(settings) {
            "sqlite"
        } else {
            "postgresql"
        }
        .to_owned(),
        created_at: chrono::Utc::now(),
        version: env!("CARGO_PKG_VERSION").to_owned(),
        document_versions,
        includes_receipt_key: key.is_some(),
    };
    let partial = work.path().join("backup.zip");
    write_archive(&partial, &manifest, entry, &dump, key.as_deref())?;
    std::fs::rename(&partial, to).map_err(|e| format!("cannot move the backup into place: {e}"))?;
    sync_dir(&parent_of(to));
    Ok(manifest)
}

/// Brings a backup back into the configured data folder or database, which must be empty.
pub async fn restore(settings: &Settings, from: &Path) -> Result<Manifest, String> {
    let file =
        std::fs::File::open(from).map_err(|e| format!("cannot open {}: {e}", from.display()))?;
    let mut archive = zip::ZipArchive::new(file)
        .map_err(|e| format!("{} is not an essay-portal backup: {e}", from.display()))?;
    let manifest: Manifest = {
        let mut text = String::new();
        archive
            .by_name(MANIFEST)
            .map_err(|_| {
                format!(
                    "{} has no {MANIFEST}: not an essay-portal backup",
                    from.display()
                )
            })?
            .read_to_string(&mut text)
            .map_err(|e| format!("{MANIFEST}: {e}"))?;
        serde_json::from_str(&text).map_err(|e| format!("{MANIFEST}: {e}"))?
    };
    if manifest.format != FORMAT {
        return Err(format!(
            "{} is a backup of format {:?}; this version reads {FORMAT}",
            from.display(),
            manifest.format
        ));
    }
    let target = if is_sqlite(settings) {
        "sqlite"
    } else {
        "postgresql"
    };
    if manifest.database != target {
        return Err(format!(
            "this is a {} backup and the configuration names a {target} database; restore it \
             into the same kind of database it came from",
            manifest.database
        ));
    }
    if is_sqlite(settings) {
        // Refused while a server runs on the folder, and while another restore does.
        let _lock = DataFolderLock::acquire(&settings.data_dir)?;
        let database = settings.data_dir.join(SQLITE_FILE);
        if database.metadata().is_ok_and(|m| m.len() > 0) {
            return Err(format!(
                "{} already holds a database; restore into an empty data folder",
                database.display()
            ));
        }
        let partial = settings.data_dir.join(format!("{SQLITE_FILE}.restoring"));
        extract(&mut archive, SQLITE_ENTRY, &partial)?;
        std::fs::rename(&partial, &database)
            .map_err(|e| format!("cannot move the database into place: {e}"))?;
        sync_dir(&settings.data_dir);
    } else {
        let url = settings.database_url.as_deref().unwrap_or_default();
        let db = crate::database::connect(settings)
            .await
            .map_err(|e| format!("database: {e}"))?;
        let tables = db
            .query_one_raw(Statement::from_string(
                db.get_database_backend(),
                "SELECT COUNT(*) AS n FROM information_schema.tables WHERE table_schema = 'public'",
            ))
            .await
            .map_err(|e| format!("database: {e}"))?
            .and_then(|row| row.try_get::<i64>("", "n").ok())
            .unwrap_or(0);
        db.close().await.ok();
        if tables > 0 {
            return Err(format!(
                "the database already has {tables} tables; restore into an empty database \
                 (createdb a new one and point database_url at it)"
            ));
        }
        let work = tempfile::tempdir().map_err(|e| e.to_string())?;
        let dump = work.path().join(POSTGRES_ENTRY);
        extract(&mut archive, POSTGRES_ENTRY, &dump)?;
        run(Command::new("pg_restore")
            .arg("--no-owner")
            .arg("--exit-on-error")
            .arg("--dbname")
            .arg(url)
            .arg(&dump))?;
    }
    if manifest.includes_receipt_key {
        restore_key(settings, &mut archive)?;
    }
    Ok(manifest)
}

/// The backed-up key goes where the server will read it: into the data folder, unless the
/// configuration names a key file (then that key wins, and the operator is told if it differs).
fn restore_key(
    settings: &Settings,
    archive: &mut zip::ZipArchive<std::fs::File>,
) -> Result<(), String> {
    let mut pem = Vec::new();
    archive
        .by_name(KEY_ENTRY)
        .map_err(|e| format!("{KEY_ENTRY}: {e}"))?
        .read_to_end(&mut pem)
        .map_err(|e| format!("{KEY_ENTRY}: {e}"))?;
    let path = match &settings.receipt_key_file {
        Some(configured) => {
            let current = std::fs::read(configured).unwrap_or_default();
            if current != pem {
                return Err(format!(
                    "the backup's receipt key differs from the configured receipt_key_file {}; \
                     receipts issued before the backup verify only with the backup's key",
                    configured.display()
                ));
            }
            return Ok(());
        }
        None => settings.data_dir.join(KEY_FILE),
    };
    crate::database::private_data_dir(&settings.data_dir).map_err(|e| e.to_string())?;
    match std::fs::read(&path) {
        Ok(existing) if existing == pem => Ok(()),
        Ok(_) => Err(format!(
            "{} holds another key; move it away to restore the backup's",
            path.display()
        )),
        Err(_) => crate::service::receipts::write_private(&path, &pem)
            .map_err(|e| format!("cannot write {}: {e}", path.display())),
    }
}

async fn count_versions(db: &DatabaseConnection) -> Result<i64, sea_orm::DbErr> {
    let row = db
        .query_one_raw(Statement::from_string(
            db.get_database_backend(),
            "SELECT COUNT(*) AS n FROM document_versions",
        ))
        .await?;
    Ok(row
        .and_then(|r| r.try_get::<i64>("", "n").ok())
        .unwrap_or(0))
}

fn write_archive(
    path: &Path,
    manifest: &Manifest,
    entry: &str,
    database: &Path,
    key: Option<&[u8]>,
) -> Result<(), String> {
    use std::os::unix::fs::OpenOptionsExt;
    let file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
        .map_err(|e| format!("cannot create {}: {e}", path.display()))?;
    let mut zip = zip::ZipWriter::new(file);
    let deflated = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .large_file(true);
    let error = |e: &dyn std::fmt::Display| format!("writing {}: {e}", path.display());
    zip.start_file(MANIFEST, deflated).map_err(|e| error(&e))?;
    let json = serde_json::to_vec_pretty(manifest).map_err(|e| error(&e))?;
    zip.write_all(&json).map_err(|e| error(&e))?;
    zip.start_file(entry, deflated).map_err(|e| error(&e))?;
    let mut source = std::fs::File::open(database).map_err(|e| error(&e))?;
    std::io::copy(&mut source, &mut zip).map_err(|e| error(&e))?;
    if let Some(key) = key {
        zip.start_file(KEY_ENTRY, deflated).map_err(|e| error(&e))?;
        zip.write_all(key).map_err(|e| error(&e))?;
    }
    let file = zip.finish().map_err(|e| error(&e))?;
    file.sync_all().map_err(|e| error(&e))
}

fn extract(
    archive: &mut zip::ZipArchive<std::fs::File>,
    name: &str,
    to: &Path,
) -> Result<(), String> {
    use std::os::unix::fs::OpenOptionsExt;
    let mut entry = archive
        .by_name(name)
        .map_err(|_| format!("the backup has no {name}"))?;
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(to)
        .map_err(|e| format!("cannot create {}: {e}", to.display()))?;
    std::io::copy(&mut entry, &mut file).map_err(|e| format!("extracting {name}: {e}"))?;
    file.sync_all()
        .map_err(|e| format!("{}: {e}", to.display()))
}

fn run(command: &mut Command) -> Result<(), String> {
    let program = command.get_program().to_string_lossy().into_owned();
    let output = command
        .output()
        .map_err(|e| format!("cannot run {program} (is it installed?): {e}"))?;
    if output.status.success() {
        Ok(())
    } else {
        Err(format!(
            "{program} failed ({}): {}",
            output.status,
            String::from_utf8_lossy(&output.stderr).trim()
        ))
    }
}

fn parent_of(path: &Path) -> PathBuf {
    match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// Makes a rename durable: the directory entry is flushed too.
fn sync_dir(dir: &Path) {
    if let Ok(handle) = std::fs::File::open(dir) {
        let _ = handle.sync_all();
    }
}
