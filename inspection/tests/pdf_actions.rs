//! JavaScript and Launch actions are found wherever a PDF writes them, not only as objects of
//! their own: a page's `/AA`, an annotation inline in `/Annots`, a `/Next` chain. The action
//! pages are `testkit::hostile::PDF_ACTIONS`, which `loadgen hostile` sends the server too.
use inspection::{inspect, Limits};
use testkit::hostile::PDF_ACTIONS;
use testkit::pdf::with_page;

#[test]
fn actions_are_found_at_any_depth() {
    // (why, page dictionary entries, JavaScript expected, Launch expected)
    let table = std::iter::once(("a plain page", "", false, false)).chain(PDF_ACTIONS);
    for (why, extra, javascript, launch) in table {
        let inspection = inspect(&with_page(extra), "essay.pdf", &Limits::default());
        assert_eq!(
            inspection.facts.pages,
            Some(1),
            "{why}: {:?}",
            inspection.facts.problems
        );
        assert_eq!(inspection.details.has_javascript, javascript, "{why}");
        assert_eq!(inspection.details.has_launch_action, launch, "{why}");
    }
}

#[test]
fn scripts_the_first_scans_missed_are_found_and_refused() {
    // A /Next chain deeper than the old depth limit, a script behind more values than the old
    // budget, a script in an XFA form (finding 1 of the second adversarial review).
    for (why, bytes) in testkit::hostile::active_content() {
        let inspection = inspect(&bytes, "essay.pdf", &Limits::default());
        assert!(inspection.details.has_javascript, "{why}");
        assert!(
            inspection
                .facts
                .problems
                .iter()
                .any(|p| p.code == inspection::ProblemCode::Javascript),
            "{why}: {:?}",
            inspection.facts.problems
        );
    }
}
