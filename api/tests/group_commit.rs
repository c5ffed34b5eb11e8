//! Group commit on SQLite, with a real database file: a member's statements run as one text,
//! their values bound in order, and a member that fails part-way is undone alone while the rest
//! of its batch commits.

use api::group_commit::{member_batch, Failed, GroupCommit};
use sea_orm::{ConnectionTrait, Database, DatabaseBackend, DatabaseConnection, SqlErr, Statement};

fn url(dir: &tempfile::TempDir) -> String {
    let file = dir.path().join("group-commit.sqlite");
    format!("sqlite://{}?mode=rwc", file.display())
}

async fn database() -> (tempfile::TempDir, DatabaseConnection) {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let db = Database::connect(url(&dir))
        .await
        .expect("the database opens");
    db.execute_unprepared(
        "PRAGMA journal_mode=WAL;
         CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT NOT NULL UNIQUE)",
    )
    .await
    .expect("the table is created");
    (dir, db)
}

fn insert(id: i64, text: &str) -> Statement {
    Statement::from_sql_and_values(
        DatabaseBackend::Sqlite,
        "INSERT INTO notes (id, text) VALUES (?, ?)",
        [id.into(), text.into()],
    )
}

async fn notes(db: &DatabaseConnection) -> Vec<(i64, String)> {
    let select = Statement::from_string(
        DatabaseBackend::Sqlite,
        "SELECT id, text FROM notes ORDER BY id",
    );
    db.query_all_raw(select)
        .await
        .expect("the notes are read")
        .iter()
        .map(|row| {
            (
                row.try_get::<i64>("", "id").expect("an id"),
                row.try_get::<String>("", "text").expect("a text"),
            )
        })
        .collect()
}

#[tokio::test]
async fn a_member_that_fails_part_way_is_undone_alone_and_its_batch_commits_the_rest() {
    // Arrange
    let (_dir, db) = database().await;
    db.execute_raw(insert(1, "taken")).await.expect("seeded");
    let group = GroupCommit::default();
    let failing = member_batch(vec![insert(2, "written, then undone"), insert(3, "taken")]);
    let passing = member_batch(vec![insert(4, "kept"), insert(5, "kept too")]);

    // Act: both join the batch that the first one opens.
    let (failed, kept) = tokio::join!(group.execute(&db, failing), group.execute(&db, passing));

    // Assert
    let Err(Failed(error)) = failed.expect("the batch itself did not fail") else {
        panic!("the member with a duplicate should fail");
    };
    assert!(matches!(
        error.sql_err(),
        Some(SqlErr::UniqueConstraintViolation(_))
    ));
    assert!(kept.expect("the batch committed").is_ok());
    assert_eq!(
        notes(&db).await,
        vec![
            (1, "taken".to_owned()),
            (4, "kept".to_owned()),
            (5, "kept too".to_owned())
        ]
    );
}

#[tokio::test]
async fn a_member_is_answered_only_after_its_writes_are_committed() {
    // Arrange
    let (dir, db) = database().await;
    let group = GroupCommit::default();

    // Act
    let answered = group
        .execute(&db, member_batch(vec![insert(7, "durable")]))
        .await;

    // Assert: a connection of its own, outside the pool, sees the row: it was committed, not
    // merely written inside a transaction still open.
    assert!(answered.expect("the batch committed").is_ok());
    let elsewhere = Database::connect(url(&dir))
        .await
        .expect("a second connection");
    assert_eq!(notes(&elsewhere).await, vec![(7, "durable".to_owned())]);
}
