//! Evaluation, one file per rule: each format, page and paper outcome, the files that
//! cannot be judged, advisory rules, the deadline, and the JSON contract of
//! `check --json` (`verdict.rs`). Shared fixtures are in `support.rs`.

// Tables of tuples are how these tests state the specification, row by row.
#![allow(clippy::type_complexity)]

mod support;

mod deadline;
mod filename;
mod format;
mod pages;
mod paper;
mod size;
mod unreadable;
mod values;
mod verdict;
