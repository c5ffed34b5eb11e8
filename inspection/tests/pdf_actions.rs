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
