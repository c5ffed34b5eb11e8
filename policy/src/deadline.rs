//! Deadlines: which uploads count as on time, and how a deadline is written.
//!
//! Decisions (also in `DECISIONS.md`):
//! * The instant an upload **began** counts. "Before the deadline" means strictly
//!   before: an upload beginning at the deadline instant itself is late.
//! * An upload that began in time is accepted if it **completes** within the grace
//!   period after the deadline (`grace_seconds`, default 120); a slow connection must
//!   not cost a candidate the competition, but the competition does not stay open.
//! * A per-candidate extension replaces the vacancy deadline for that candidate only.
//!   If it is earlier than the vacancy deadline it is treated as a data-entry mistake
//!   and the vacancy deadline stands: an extension never shortens anyone's time.
//! * A local deadline that occurs twice (the autumn DST change) resolves to the later
//!   instant, which is more generous to candidates; one that never occurs (the spring
//!   change) is an error for the person entering the deadline, never a silent guess.

use chrono::{DateTime, Datelike, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Timelike, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

use crate::Lang;

/// A local deadline that cannot be turned into an instant.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DeadlineProblem {
    #[error("{local} does not exist in {zone}: the clocks skip that hour when summer time starts; choose a time outside the gap, e.g. one hour later")]
    NonexistentLocalTime { local: NaiveDateTime, zone: String },
}

/// The instant of a deadline given as local wall-clock time in `tz`.
///
/// An ambiguous time (it occurs twice when the clocks go back) resolves to the later
/// of the two instants; a time skipped when the clocks go forward is an error.
pub fn local_deadline_to_utc(
    naive: NaiveDateTime,
    tz: Tz,
) -> Result<DateTime<Utc>, DeadlineProblem> {
    match tz.from_local_datetime(&naive) {
        chrono::LocalResult::Single(t) => Ok(t.with_timezone(&Utc)),
        chrono::LocalResult::Ambiguous(a, b) => Ok(a.max(b).with_timezone(&Utc)),
        chrono::LocalResult::None => Err(DeadlineProblem::NonexistentLocalTime {
            local: naive,
            zone: tz.name().to_string(),
        }),
    }
}

/// The last second of `date` in `tz`: what a notice means by a deadline given as a date
/// only ("Application Deadline 04-Jan-2026"), since a candidate reads "by 4 January" as
/// "any time on 4 January".
pub fn end_of_local_day(date: NaiveDate, tz: Tz) -> Result<DateTime<Utc>, DeadlineProblem> {
    let last_second = NaiveTime::from_hms_opt(23, 59, 59).expect("valid time");
    local_deadline_to_utc(date.and_time(last_second), tz)
}

/// How an upload stands against a deadline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", tag = "outcome")]
pub enum DeadlineOutcome {
    /// Began and completed before the deadline.
    OnTime,
    /// Began before the deadline, completed within the grace period after it.
    WithinGrace,
    /// Began at or after the deadline.
    Closed,
    /// Began before the deadline but completed after the grace period.
    TooSlow { late_seconds: i64 },
}

impl DeadlineOutcome {
    pub fn accepted(self) -> bool {
        matches!(self, DeadlineOutcome::OnTime | DeadlineOutcome::WithinGrace)
    }
}

/// Judges an upload's start and end against a deadline and its grace period.
pub fn deadline_check(
    began: DateTime<Utc>,
    completed: DateTime<Utc>,
    deadline: DateTime<Utc>,
    grace_seconds: u32,
) -> DeadlineOutcome {
    if began >= deadline {
        return DeadlineOutcome::Closed;
    }
    // A completion stamped before the start is a clock glitch; the start is what counts.
    let completed = completed.max(began);
    if completed <= deadline {
        return DeadlineOutcome::OnTime;
    }
    let late = completed - deadline;
    if late <= chrono::Duration::seconds(i64::from(grace_seconds)) {
        DeadlineOutcome::WithinGrace
    } else {
        DeadlineOutcome::TooSlow {
            late_seconds: late.num_seconds().max(1),
        }
    }
}

/// The deadline that applies to one candidate: their extension if it is later than the
/// vacancy's deadline, else the vacancy's.
pub fn effective_deadline(
    vacancy: Option<DateTime<Utc>>,
    extension: Option<DateTime<Utc>>,
) -> Option<(DateTime<Utc>, bool)> {
    match (vacancy, extension) {
        (Some(v), Some(e)) if e > v => Some((e, true)),
        (None, Some(e)) => Some((e, true)),
        (Some(v), _) => Some((v, false)),
        (None, None) => None,
    }
}

const MONTHS_EN: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];
const MONTHS_FR: [&str; 12] = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
];

/// City names for the zones candidates meet; (IANA name, English, French "heure …").
const CITIES: &[(&str, &str, &str)] = &[
    ("Europe/Brussels", "Brussels", "de Bruxelles"),
    ("Europe/Paris", "Paris", "de Paris"),
    ("Europe/London", "London", "de Londres"),
    ("Europe/Luxembourg", "Luxembourg", "de Luxembourg"),
    ("Europe/Amsterdam", "Amsterdam", "d’Amsterdam"),
    ("Europe/Berlin", "Berlin", "de Berlin"),
    ("Europe/Rome", "Rome", "de Rome"),
    ("Europe/Madrid", "Madrid", "de Madrid"),
    ("Europe/Lisbon", "Lisbon", "de Lisbonne"),
    ("Europe/Warsaw", "Warsaw", "de Varsovie"),
    ("Europe/Vienna", "Vienna", "de Vienne"),
    ("Europe/Copenhagen", "Copenhagen", "de Copenhague"),
    ("Europe/Oslo", "Oslo", "d’Oslo"),
    ("Europe/Stockholm", "Stockholm", "de Stockholm"),
    ("Europe/Helsinki", "Helsinki", "d’Helsinki"),
    ("Europe/Athens", "Athens", "d’Athènes"),
    ("Europe/Istanbul", "Istanbul", "d’Istanbul"),
    ("Europe/Bucharest", "Bucharest", "de Bucarest"),
    ("Europe/Prague", "Prague", "de Prague"),
    ("Europe/Budapest", "Budapest", "de Budapest"),
    ("Europe/Naples", "Naples", "de Naples"),
    ("America/New_York", "New York", "de New York"),
    ("America/Toronto", "Toronto", "de Toronto"),
    ("America/Norfolk", "Norfolk", "de Norfolk"),
];

fn zone_phrase(tz: Tz, lang: Lang) -> String {
    let name = tz.name();
    match (CITIES.iter().find(|(iana, _, _)| *iana == name), lang) {
        (Some((_, city, _)), Lang::En) => format!("{city} time"),
        (Some((_, _, de_city)), Lang::Fr) => format!("heure {de_city}"),
        (None, Lang::En) => format!("{name} time"),
        (None, Lang::Fr) => format!("heure du fuseau {name}"),
    }
}

fn date_text(d: NaiveDate, lang: Lang, with_year: bool) -> String {
    let month = d.month0() as usize;
    let year = if with_year {
        format!(" {}", d.year())
    } else {
        String::new()
    };
    match lang {
        Lang::En => format!("{} {}{year}", d.day(), MONTHS_EN[month]),
        Lang::Fr if d.day() == 1 => format!("1er {}{year}", MONTHS_FR[month]),
        Lang::Fr => format!("{} {}{year}", d.day(), MONTHS_FR[month]),
    }
}

/// "23:59" / "23 h 59"; seconds only when they change the meaning (not :00, and not
/// the :59 of a deadline meant as "until the end of that minute").
fn time_text(t: NaiveTime, lang: Lang) -> String {
    let seconds = match t.second() {
        0 | 59 => None,
        s => Some(s),
    };
    match (lang, seconds) {
        (Lang::En, None) => format!("{:02}:{:02}", t.hour(), t.minute()),
        (Lang::En, Some(s)) => format!("{:02}:{:02}:{s:02}", t.hour(), t.minute()),
        (Lang::Fr, None) => format!("{}\u{a0}h\u{a0}{:02}", t.hour(), t.minute()),
        (Lang::Fr, Some(s)) => format!(
            "{}\u{a0}h\u{a0}{:02}\u{a0}min\u{a0}{s:02}\u{a0}s",
            t.hour(),
            t.minute()
        ),
    }
}

/// A deadline as candidates read it, in the vacancy's zone with UTC beside it:
/// "16 September 2025, 23:59 Brussels time (21:59 UTC)" /
/// "16 septembre 2025, 23 h 59, heure de Bruxelles (21 h 59 UTC)".
/// Zones without a known city fall back to their IANA name.
pub fn format_deadline(deadline: DateTime<Utc>, tz: Tz, lang: Lang) -> String {
    let utc_time = time_text(deadline.time(), lang);
    if tz == chrono_tz::UTC || tz == chrono_tz::Etc::UTC {
        let date = date_text(deadline.date_naive(), lang, true);
        return format!("{date}, {utc_time} UTC");
    }
    let local = deadline.with_timezone(&tz);
    let date = date_text(local.date_naive(), lang, true);
    let time = time_text(local.time(), lang);
    let zone = zone_phrase(tz, lang);
    // When the UTC date differs, say so: "00:30 Brussels time (22:30 UTC)" alone would
    // suggest the same day.
    let utc = if deadline.date_naive() == local.date_naive() {
        format!("{utc_time} UTC")
    } else {
        format!(
            "{}, {utc_time} UTC",
            date_text(deadline.date_naive(), lang, false)
        )
    };
    match lang {
        Lang::En => format!("{date}, {time} {zone} ({utc})"),
        Lang::Fr => format!("{date}, {time}, {zone} ({utc})"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn french_first_of_the_month_is_premier() {
        let d = Utc.with_ymd_and_hms(2025, 10, 1, 10, 0, 0).unwrap();
        assert_eq!(
            format_deadline(d, chrono_tz::Europe::Brussels, Lang::Fr),
            "1er octobre 2025, 12\u{a0}h\u{a0}00, heure de Bruxelles (10\u{a0}h\u{a0}00 UTC)"
        );
    }
}
