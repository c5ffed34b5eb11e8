//! What a document keeps: its last `versions_per_document` versions (never the current one, nor
//! one an assessor scored) and its last `refused_attempts_per_document` refused attempts. A file
//! goes with the last version that used it.
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};

use super::*;

const NAME: &str = "251334 Key challenges.pdf";

/// A one-page essay of its own bytes (`tag`), padded with about `padding` bytes.
fn essay(tag: &str, padding: usize) -> Vec<u8> {
    testkit::pdf::essay(&[A4], tag, padding)
}

fn sha256(bytes: &[u8]) -> String {
    use sha2::Digest;
    hex::encode(sha2::Sha256::digest(bytes))
}

/// The numbers of the document's versions as its candidate sees them, newest first.
fn numbers(view: &serde_json::Value) -> Vec<i64> {
    let versions = view["documents"][0]["versions"].as_array().unwrap();
    versions
        .iter()
        .map(|v| v["version"].as_i64().unwrap())
        .collect()
}

async fn file_stored(app: &TestApp, sha256: &str) -> bool {
    entity::blobs::Entity::find_by_id(sha256.to_owned())
        .count(&app.db)
        .await
        .unwrap()
        > 0
}

#[tokio::test]
async fn versions_beyond_the_limit_go_oldest_first_with_their_files_and_the_current_one_stays() {
    // Small files and files over 1 MiB take different paths to the database on SQLite.
    for (case, padding) in [("small files", 0), ("files over 1 MiB", 1_200_000)] {
        // Arrange
        let app = open_app(|s| s.versions_per_document = 3).await;
        let (ana, application) = app.applicant("ana@example.org", REFERENCE).await;
        let essays: Vec<Vec<u8>> = (1..=6)
            .map(|n| essay(&format!("{case} {n}"), padding))
            .collect();

        // Act
        for bytes in &essays {
            ana.upload_accepted(&app, &application, NAME, bytes.clone())
                .await;
        }

        // Assert
        let view = view(&app, &ana, &application).await;
        assert_eq!(numbers(&view), [6, 5, 4], "{case}");
        assert_eq!(view["documents"][0]["current"]["version"], 6, "{case}");
        assert_eq!(view["versions_kept"], 3, "{case}");
        for (n, bytes) in essays.iter().enumerate() {
            let version = n + 1;
            let stored = file_stored(&app, &sha256(bytes)).await;
            assert_eq!(
                stored,
                version >= 4,
                "{case}: the file of version {version}"
            );
        }
    }
}

#[tokio::test]
async fn a_file_still_used_by_a_version_stays_when_an_old_version_of_it_goes() {
    // Uploads of Ana's document in order; "A" is the same file each time. With three versions
    // kept, her fourth upload deletes version 1, which was "A".
    for (case, uploads, ben_has_a) in [
        (
            "uploaded again as the new version",
            ["A", "B", "C", "A"],
            false,
        ),
        ("uploaded again and still kept", ["A", "B", "A", "C"], false),
        ("also someone else's version", ["A", "B", "C", "D"], true),
    ] {
        // Arrange
        let app = open_app(|s| s.versions_per_document = 3).await;
        let (ana, application) = app.applicant("ana@example.org", REFERENCE).await;
        let file = |tag: &str| essay(&format!("file {tag}"), 0);
        if ben_has_a {
            let (ben, bens) = app.applicant("ben@example.org", REFERENCE).await;
            ben.upload_accepted(&app, &bens, NAME, file("A")).await;
        }

        // Act
        for tag in uploads {
            ana.upload_accepted(&app, &application, NAME, file(tag))
                .await;
        }

        // Assert
        let view = view(&app, &ana, &application).await;
        assert_eq!(numbers(&view), [4, 3, 2], "{case}");
        assert!(file_stored(&app, &sha256(&file("A"))).await, "{case}");
    }
}

#[tokio::test]
async fn a_version_an_assessor_scored_is_never_deleted() {
    for scored_in in ["scores", "score_revisions"] {
        // Arrange: an assessor's score of version 1 (as if read while extensions ran).
        let app = open_app(|s| s.versions_per_document = 3).await;
        let assessor = app.admin().await;
        let (ana, application) = app.applicant("ana@example.org", REFERENCE).await;
        let first = essay("scored", 0);
        let scored = ana
            .upload_accepted(&app, &application, NAME, first.clone())
            .await;
        score(&app, &application, &assessor.account_id, &scored, scored_in).await;

        // Act
        for n in 2..=6 {
            let bytes = essay(&format!("replacement {n}"), 0);
            ana.upload_accepted(&app, &application, NAME, bytes).await;
        }

        // Assert: versions 2 and 3 went; the scored one and its file stayed.
        let view = view(&app, &ana, &application).await;
        assert_eq!(numbers(&view), [6, 5, 4, 1], "{scored_in}");
        assert!(file_stored(&app, &sha256(&first)).await, "{scored_in}");
    }
}

/// A score of `version` by `assessor`, in `table` only.
async fn score(app: &TestApp, application: &str, assessor: &str, version: &str, table: &str) {
    let (marks, comment, now) = ("{}".to_owned(), "Clear".to_owned(), chrono::Utc::now());
    if table == "scores" {
        entity::scores::Entity::insert(entity::scores::ActiveModel {
            application_id: Set(application.to_owned()),
            account_id: Set(assessor.to_owned()),
            marks: Set(marks),
            comment: Set(comment),
            weighted_mean: Set(3.0),
            submitted_at: Set(now),
            version_id: Set(Some(version.to_owned())),
            revision: Set(1),
        })
        .exec(&app.db)
        .await
        .unwrap();
    } else {
        entity::score_revisions::Entity::insert(entity::score_revisions::ActiveModel {
            application_id: Set(application.to_owned()),
            account_id: Set(assessor.to_owned()),
            revision: Set(1),
            marks: Set(marks),
            comment: Set(comment),
            weighted_mean: Set(3.0),
            submitted_at: Set(now),
            version_id: Set(Some(version.to_owned())),
        })
        .exec(&app.db)
        .await
        .unwrap();
    }
}

#[tokio::test]
async fn refused_attempts_beyond_the_limit_go_oldest_first() {
    // Arrange
    let app = open_app(|s| s.refused_attempts_per_document = 3).await;
    let (ana, application) = app.applicant("ana@example.org", REFERENCE).await;
    ana.upload_accepted(&app, &application, NAME, essay("accepted", 0))
        .await;
    let refused: Vec<Vec<u8>> = (1..=5).map(|n| essay(&format!("refused {n}"), 0)).collect();

    // Act: five files under a name the vacancy refuses.
    for bytes in &refused {
        let (status, body) = ana
            .submit(&app, &application, "my essay.pdf", bytes.clone())
            .await;
        assert_eq!(status, 422, "{body}");
    }

    // Assert: the three newest refusals are on record, and the accepted upload's.
    let attempts = |accepted: bool| {
        entity::upload_attempts::Entity::find()
            .filter(entity::upload_attempts::Column::ApplicationId.eq(application.clone()))
            .filter(entity::upload_attempts::Column::Accepted.eq(accepted))
            .all(&app.db)
    };
    let mut kept: Vec<String> = attempts(false)
        .await
        .unwrap()
        .into_iter()
        .map(|a| a.sha256)
        .collect();
    let mut newest: Vec<String> = refused[2..].iter().map(|b| sha256(b)).collect();
    kept.sort();
    newest.sort();
    assert_eq!(kept, newest);
    assert_eq!(attempts(true).await.unwrap().len(), 1);
}
