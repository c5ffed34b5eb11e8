//! Tests that cannot test here (no browser, no corpus) say so and pass on a developer's machine,
//! but fail under CI (`CI=true`), where passing without testing would hide a broken set-up.

use std::path::PathBuf;

/// Whether this run is CI's: the environment variable `CI` is `true`.
pub fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|value| value == "true")
}

/// A test that cannot run here: under CI it fails with `reason`; elsewhere it prints that it was
/// skipped, and the caller returns.
pub fn skip(reason: &str) {
    assert!(
        !in_ci(),
        "{reason}: under CI (CI=true) a test that cannot run fails instead of skipping"
    );
    println!("skipped: {reason}");
}

/// The shared real-world corpus (`manifest.csv` and `files/`): `$ESSAY_PORTAL_CORPUS` when set,
/// else `shared/corpus` beside the repository.
pub fn corpus_dir() -> PathBuf {
    match std::env::var_os("ESSAY_PORTAL_CORPUS").filter(|dir| !dir.is_empty()) {
        Some(dir) => PathBuf::from(dir),
        None => PathBuf::from(crate::REPOSITORY).join("../shared/corpus"),
    }
}

/// The corpus folder when its manifest is there; otherwise [`skip`] (a failure under CI) and
/// `None`. `ESSAY_PORTAL_CORPUS=none` declares that this machine has no corpus on purpose (a
/// clone without `shared/` beside it): the tests then say so and pass, under CI too, because the
/// run said it out loud instead of finding out.
pub fn corpus() -> Option<PathBuf> {
    if std::env::var("ESSAY_PORTAL_CORPUS").is_ok_and(|dir| dir == "none") {
        println!("skipped: ESSAY_PORTAL_CORPUS=none declares that there is no corpus here");
        return None;
    }
    let dir = corpus_dir();
    if dir.join("manifest.csv").exists() {
        Some(dir)
    } else {
        skip(&format!(
            "corpus not found at {} (set ESSAY_PORTAL_CORPUS)",
            dir.display()
        ));
        None
    }
}
