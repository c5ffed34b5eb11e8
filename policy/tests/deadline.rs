//! Deadlines: the instant an upload began counts; grace covers slow uploads; an
//! extension moves one candidate's deadline; local times across DST changes resolve
//! generously or not at all.

// Tables of tuples are how these tests state the specification, row by row.
#![allow(clippy::type_complexity)]

use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use chrono_tz::Europe::Brussels;
use policy::deadline::{deadline_check, effective_deadline, end_of_local_day, DeadlineOutcome};
use policy::{format_deadline, local_deadline_to_utc, DeadlineProblem, Lang};

fn utc(y: i32, mo: u32, d: u32, h: u32, mi: u32, s: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, mo, d, h, mi, s).unwrap()
}

#[test]
fn deadline_edges() {
    // Arrange: 251334's deadline, 16 September 2025 23:59 Brussels, with 120 s grace.
    let deadline = utc(2025, 9, 16, 21, 59, 0);
    let s = Duration::seconds;
    use DeadlineOutcome::*;
    let table: Vec<(&str, DateTime<Utc>, DateTime<Utc>, DeadlineOutcome)> = vec![
        (
            "a day early",
            deadline - Duration::days(1),
            deadline - Duration::days(1) + s(5),
            OnTime,
        ),
        (
            "began and ended a second before",
            deadline - s(2),
            deadline - s(1),
            OnTime,
        ),
        (
            "began a second before, ended exactly at",
            deadline - s(1),
            deadline,
            OnTime,
        ),
        (
            "began a second before, ended a second after",
            deadline - s(1),
            deadline + s(1),
            WithinGrace,
        ),
        (
            "began before, ended at the end of grace",
            deadline - s(30),
            deadline + s(120),
            WithinGrace,
        ),
        (
            "began before, ended a second past grace",
            deadline - s(30),
            deadline + s(121),
            TooSlow { late_seconds: 121 },
        ),
        (
            "began exactly at the deadline",
            deadline,
            deadline + s(1),
            Closed,
        ),
        (
            "began a second after",
            deadline + s(1),
            deadline + s(2),
            Closed,
        ),
        (
            "began within what would be grace",
            deadline + s(60),
            deadline + s(61),
            Closed,
        ),
        (
            "completion clock earlier than start",
            deadline - s(10),
            deadline - s(20),
            OnTime,
        ),
    ];
    for (why, began, completed, expected) in table {
        // Act
        let got = deadline_check(began, completed, deadline, 120);
        // Assert
        assert_eq!(got, expected, "{why}");
        assert_eq!(
            got.accepted(),
            matches!(expected, OnTime | WithinGrace),
            "{why}"
        );
    }
}

#[test]
fn an_extension_replaces_the_deadline_for_that_candidate_only() {
    let vacancy = utc(2025, 9, 16, 21, 59, 0);
    let later = utc(2025, 9, 18, 21, 59, 0);
    let earlier = utc(2025, 9, 10, 0, 0, 0);
    let table = [
        ("no extension", Some(vacancy), None, Some((vacancy, false))),
        (
            "later extension",
            Some(vacancy),
            Some(later),
            Some((later, true)),
        ),
        (
            "earlier 'extension' never shortens",
            Some(vacancy),
            Some(earlier),
            Some((vacancy, false)),
        ),
        (
            "extension without a vacancy deadline",
            None,
            Some(later),
            Some((later, true)),
        ),
        ("no deadline at all", None, None, None),
    ];
    for (why, v, e, expected) in table {
        assert_eq!(effective_deadline(v, e), expected, "{why}");
    }
}

#[test]
fn local_deadlines_across_dst_changes() {
    let at = |y, m, d, h, mi| {
        NaiveDate::from_ymd_opt(y, m, d)
            .unwrap()
            .and_hms_opt(h, mi, 0)
            .unwrap()
    };
    let table = [
        // Summer: CEST is UTC+2.
        (
            "summer",
            at(2025, 9, 16, 23, 59),
            Ok(utc(2025, 9, 16, 21, 59, 0)),
        ),
        // Winter: CET is UTC+1.
        (
            "winter",
            at(2026, 1, 4, 23, 59),
            Ok(utc(2026, 1, 4, 22, 59, 0)),
        ),
        // 02:30 happens twice on 26 October 2025; the later one (CET) is kinder.
        (
            "ambiguous autumn time",
            at(2025, 10, 26, 2, 30),
            Ok(utc(2025, 10, 26, 1, 30, 0)),
        ),
        (
            "just before the autumn change",
            at(2025, 10, 26, 1, 59),
            Ok(utc(2025, 10, 25, 23, 59, 0)),
        ),
        (
            "just after the autumn change",
            at(2025, 10, 26, 3, 0),
            Ok(utc(2025, 10, 26, 2, 0, 0)),
        ),
        // 02:30 never happens on 30 March 2025.
        (
            "nonexistent spring time",
            at(2025, 3, 30, 2, 30),
            Err(DeadlineProblem::NonexistentLocalTime {
                local: at(2025, 3, 30, 2, 30),
                zone: "Europe/Brussels".into(),
            }),
        ),
        (
            "just after the spring gap",
            at(2025, 3, 30, 3, 0),
            Ok(utc(2025, 3, 30, 1, 0, 0)),
        ),
    ];
    for (why, local, expected) in table {
        assert_eq!(local_deadline_to_utc(local, Brussels), expected, "{why}");
    }
}

#[test]
fn the_nonexistent_time_error_tells_what_to_do() {
    let local = NaiveDate::from_ymd_opt(2025, 3, 30)
        .unwrap()
        .and_hms_opt(2, 30, 0)
        .unwrap();
    let message = local_deadline_to_utc(local, Brussels)
        .unwrap_err()
        .to_string();
    assert!(
        message.contains("does not exist in Europe/Brussels"),
        "{message}"
    );
    assert!(message.contains("later"), "{message}");
}

#[test]
fn a_date_only_deadline_ends_with_that_day_in_brussels() {
    let day = NaiveDate::from_ymd_opt(2026, 1, 4).unwrap();
    assert_eq!(
        end_of_local_day(day, Brussels),
        Ok(utc(2026, 1, 4, 22, 59, 59))
    );
}

#[test]
fn an_upload_on_the_extra_dst_hour_counts_against_the_later_instant() {
    // Arrange: a deadline entered as 02:30 on the night the clocks go back.
    let local = NaiveDate::from_ymd_opt(2025, 10, 26)
        .unwrap()
        .and_hms_opt(2, 30, 0)
        .unwrap();
    let deadline = local_deadline_to_utc(local, Brussels).unwrap();
    // Act: an upload during the first 02:30 (CEST, 00:30 UTC) and the second (01:30 UTC).
    let first = deadline_check(
        utc(2025, 10, 26, 0, 45, 0),
        utc(2025, 10, 26, 0, 46, 0),
        deadline,
        120,
    );
    let second = deadline_check(
        utc(2025, 10, 26, 1, 45, 0),
        utc(2025, 10, 26, 1, 46, 0),
        deadline,
        120,
    );
    // Assert
    assert_eq!(first, DeadlineOutcome::OnTime);
    assert_eq!(second, DeadlineOutcome::Closed);
}

#[test]
fn deadlines_are_written_in_local_time_with_utc_beside() {
    let table = [
        (
            utc(2025, 9, 16, 21, 59, 0),
            Brussels,
            Lang::En,
            "16 September 2025, 23:59 Brussels time (21:59 UTC)",
        ),
        (
            utc(2025, 9, 16, 21, 59, 0),
            Brussels,
            Lang::Fr,
            "16 septembre 2025, 23\u{a0}h\u{a0}59, heure de Bruxelles (21\u{a0}h\u{a0}59 UTC)",
        ),
        (
            utc(2026, 1, 4, 22, 59, 59),
            Brussels,
            Lang::En,
            "4 January 2026, 23:59 Brussels time (22:59 UTC)",
        ),
        // The UTC date differs: say so.
        (
            utc(2025, 6, 18, 22, 30, 0),
            Brussels,
            Lang::En,
            "19 June 2025, 00:30 Brussels time (18 June, 22:30 UTC)",
        ),
        (
            utc(2025, 9, 16, 21, 59, 0),
            chrono_tz::UTC,
            Lang::En,
            "16 September 2025, 21:59 UTC",
        ),
        (
            utc(2025, 9, 16, 21, 59, 0),
            chrono_tz::Europe::London,
            Lang::Fr,
            "16 septembre 2025, 22\u{a0}h\u{a0}59, heure de Londres (21\u{a0}h\u{a0}59 UTC)",
        ),
        // No city known: fall back to the IANA name.
        (
            utc(2025, 9, 16, 21, 59, 0),
            chrono_tz::Asia::Tokyo,
            Lang::En,
            "17 September 2025, 06:59 Asia/Tokyo time (16 September, 21:59 UTC)",
        ),
        (
            utc(2025, 9, 16, 12, 0, 30),
            Brussels,
            Lang::En,
            "16 September 2025, 14:00:30 Brussels time (12:00:30 UTC)",
        ),
    ];
    for (deadline, tz, lang, expected) in table {
        assert_eq!(format_deadline(deadline, tz, lang), expected);
    }
}
