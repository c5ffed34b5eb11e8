//! Assessment: panels, anonymous reading, conflicts, rubric scoring, aggregates, decisions,
//! exports and identity reveals. Assessors see only vacancies they sit on, and essays only after
//! the deadline (unless the vacancy allows earlier reading); never names or emails.

mod access;
mod conflicts;
mod decisions;
mod export;
mod flags;
mod panel;
mod reading;
mod reveal;
mod rubric;
mod scoring;

pub use crate::domain::scoring::{aggregate, weighted_mean, Criterion, DISAGREEMENT_SPREAD};
pub use conflicts::declare_conflict;
pub use decisions::{record_decision, DecisionInput, ExtensionOverride};
pub use export::{current_essay_copy, essays_zip, export_results_csv, export_results_xlsx};
pub use flags::Flag;
pub use panel::{
    essays_readable, my_vacancies, seat, set_panel, PanelMemberInput, PanelVacancy, Seat,
};
pub use reading::{essays, file, image, read, EssayReading, EssaySummary};
pub use reveal::{reveal, Identity};
pub use rubric::{default_rubric, rubric, set_rubric};
pub use scoring::{
    chair_results, results, scores_of, submit_score, EarlierDecision, EssayResult, ExcludedScore,
    Exclusion, MyScore, SavedScore, ScoreInput, ScoreRevision, ScoreView,
};
