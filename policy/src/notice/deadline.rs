//! The application deadline, in the wordings notices use: "Application Deadline
//! 16-Sep-2025, 9:59:00 PM" (UTC), "Plazo: 31-12-2025", "by latest 16 September 2025",
//! "Closing date: 15 January 2027 (23:59 CET)", "Deadline for applications: 2027-01-15 at
//! midnight Brussels time", "Closing Date: 1/20/2027 (MM/DD/YYYY) at 11:59pm UTC",
//! "Sunday 17th January 2027 at 11:55pm (UK time)".
//!
//! A date alone is the end of that day; a time without a zone, and a date alone, are read
//! in Brussels (the default zone). A named zone ("CET", "UTC", "Paris time", "New York
//! time", "Europe/Vienna") is resolved with the time-zone database (chrono-tz), so that
//! summer time is whatever the zone's rules say on that date.

use std::str::FromStr;

use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;

use super::text::collapse;
use super::Confidence;
use crate::deadline::{end_of_local_day, local_deadline_to_utc};
use crate::rules::DEFAULT_TIME_ZONE;

re!(
    re_deadline_taleo,
    r"(?i)application\s+deadline\s*:?\s*(\d{1,2})-([a-z]{3})[a-z]*\.?-(\d{4})(?:,?\s+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([ap])\.?m\.?)?"
);
// A label that a deadline follows. "Closing date", "Deadline for applications",
// "Application deadline", "Plazo" (Spanish), "Date limite" (French)…
re!(
    re_deadline_label,
    r"(?ix)\b(?:
        (?:application|applications|submission)\s+(?:deadline|closing\s+date) |
        deadline(?:\s+(?:for|of)\s+(?:the\s+)?(?:receipt\s+of\s+)?(?:applications?|submissions?|applying))? |
        closing\s+date(?:\s+(?:for|of)\s+applications?)? |
        applications?\s+(?:close|closes|must\s+(?:be\s+)?(?:received|submitted|sent|arrive))(?:\s+(?:by|on|before|no\s+later\s+than))? |
        plazo | date\s+limite
    )\b"
);
re!(
    re_deadline_by_latest,
    r"(?i)\bby\s+(?:the\s+)?latest\s+(?:(\d{1,2})\s+([a-z]+)\s+(\d{4})|(\d{1,2})/(\d{1,2})/(\d{4}))"
);
// Dates: "15 January 2027", "17th January 2027", "Jan 26, 2027", "2027-01-15",
// "15/01/2027", "1/20/2027 (MM/DD/YYYY)", "17-Jan-2027".
re!(
    re_date_dmy_words,
    r"(?i)\b(\d{1,2})(?:st|nd|rd|th)?(?:\s+of)?[\s-]+([a-z]{3,9})\.?,?[\s-]+(\d{4})\b"
);
re!(
    re_date_mdy_words,
    r"(?i)\b([a-z]{3,9})\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})\b"
);
re!(re_year, r"\d{4}");
re!(re_date_iso, r"\b(\d{4})-(\d{2})-(\d{2})\b");
re!(
    re_date_numeric,
    r"\b(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})\b(\s*\(?\s*MM/DD/YYYY)?"
);
// Times: "23:59", "23.59", "23h59", "11:59 p.m.", "11:55pm", "5 pm", "midnight", "noon".
re!(
    re_time,
    r"(?i)\b(\d{1,2})(?:[:.h](\d{2})(?::(\d{2}))?)?\s*(a\.?\s?m\.?|p\.?\s?m\.?)?(?:\s*hrs?\b|\s*hours\b)?|\b(midnight|noon|midday)\b"
);
// Zones: abbreviations, "X time", IANA names.
re!(
    re_zone_abbreviation,
    r"\b(UTC|GMT|CET|CEST|WET|WEST|EET|EEST|BST|EST|EDT|ET|CST|CDT|PST|PDT|MSK)\b"
);
re!(
    re_zone_named,
    r"(?i)\b((?:the\s+)?[a-z][a-z.]*(?:[\s-][a-z][a-z.]*){0,2}?)(?:,)?\s+(?:local\s+)?(?:standard\s+|summer\s+)?time\b"
);
re!(re_zone_city, r"\(\s*([A-Z][a-z]+(?:\s[A-Z][a-z]+)?)\s*\)");
re!(
    re_zone_iana,
    r"\b((?:Europe|America|Africa|Asia|Australia|Pacific|Atlantic|Indian)/[A-Za-z_]+(?:/[A-Za-z_]+)?)\b"
);

fn month_number(name: &str) -> Option<u32> {
    const MONTHS: [&str; 12] = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ];
    let lower = name.to_lowercase();
    let prefix: String = lower.chars().take(3).collect();
    let full = [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ];
    // "Sept" and "June" but not "Mayor" or "Marks": the prefix of the month's name.
    let index = MONTHS.iter().position(|m| *m == prefix)?;
    (full[index].starts_with(&lower) || lower == "sept").then_some(index as u32 + 1)
}

fn end_of_brussels_day(year: i32, month: u32, day: u32) -> Option<DateTime<Utc>> {
    let date = NaiveDate::from_ymd_opt(year, month, day)?;
    end_of_local_day(date, DEFAULT_TIME_ZONE).ok()
}

/// The zone a text names, from the time-zone database: "CET", "UTC", "Paris time",
/// "Central European Time", "New York time", "Europe/Vienna".
pub(super) fn zone_in(text: &str) -> Option<Tz> {
    if let Some(c) = re_zone_iana().captures(text) {
        if let Ok(tz) = Tz::from_str(&c[1]) {
            return Some(tz);
        }
    }
    if let Some(c) = re_zone_abbreviation().captures(text) {
        let name = match &c[1] {
            "UTC" | "GMT" => "UTC",
            // Notices say "CET" all year for the time at the seat: the zone's own rules.
            "CET" | "CEST" => "CET",
            "WET" | "WEST" => "WET",
            "EET" | "EEST" => "EET",
            "BST" => "Europe/London",
            "EST" | "EDT" | "ET" => "America/New_York",
            "CST" | "CDT" => "America/Chicago",
            "PST" | "PDT" => "America/Los_Angeles",
            "MSK" => "Europe/Moscow",
            _ => return None,
        };
        return Tz::from_str(name).ok();
    }
    // "(Vienna)", "(Brussels)": a city alone in brackets after the time.
    for c in re_zone_city().captures_iter(text) {
        if let Some(tz) = named_zone(&c[1].to_lowercase()) {
            return Some(tz);
        }
    }
    for c in re_zone_named().captures_iter(text) {
        let words = c[1].trim().to_lowercase();
        let words = words.trim_start_matches("the ").trim();
        // Only the last words before "time": "(midnight, Central European Time)".
        let candidates: Vec<String> = {
            let parts: Vec<&str> = words.split_whitespace().collect();
            (0..parts.len()).map(|i| parts[i..].join(" ")).collect()
        };
        for name in candidates {
            if let Some(tz) = named_zone(&name) {
                return Some(tz);
            }
        }
    }
    None
}

/// "Brussels" → Europe/Brussels, "New York" → America/New_York, and the names that are
/// not a zone's own: "Central European", "UK", "The Hague", "Geneva", "Washington".
fn named_zone(name: &str) -> Option<Tz> {
    let alias = match name {
        "central european" | "central europe" => Some("CET"),
        "eastern" | "eastern standard" | "us eastern" => Some("America/New_York"),
        "uk" | "british" | "united kingdom" => Some("Europe/London"),
        "hague" | "the hague" => Some("Europe/Amsterdam"),
        "geneva" | "bern" | "berne" => Some("Europe/Zurich"),
        "washington" | "washington dc" | "washington d.c." | "dc" => Some("America/New_York"),
        "strasbourg" => Some("Europe/Paris"),
        "bonn" | "frankfurt" | "munich" => Some("Europe/Berlin"),
        "mons" | "brussels" => Some("Europe/Brussels"),
        "the hague and brussels" => Some("Europe/Brussels"),
        "universal" | "coordinated universal" | "greenwich mean" => Some("UTC"),
        _ => None,
    };
    if let Some(alias) = alias {
        return Tz::from_str(alias).ok();
    }
    let city: String = name
        .split_whitespace()
        .map(|w| {
            let mut chars = w.chars();
            chars
                .next()
                .map(|c| c.to_uppercase().chain(chars).collect::<String>())
                .unwrap_or_default()
        })
        .collect::<Vec<_>>()
        .join("_");
    if city.is_empty() {
        return None;
    }
    ["Europe", "America", "Africa", "Asia", "Australia"]
        .iter()
        .find_map(|region| Tz::from_str(&format!("{region}/{city}")).ok())
}

/// A date in a piece of text, with the byte range it takes.
fn date_in(text: &str) -> Option<(NaiveDate, std::ops::Range<usize>)> {
    let mut found: Vec<(NaiveDate, std::ops::Range<usize>)> = vec![];
    if let Some(c) = re_date_iso().captures(text) {
        let date =
            NaiveDate::from_ymd_opt(c[1].parse().ok()?, c[2].parse().ok()?, c[3].parse().ok()?);
        if let (Some(date), Some(m)) = (date, c.get(0)) {
            found.push((date, m.range()));
        }
    }
    if let Some(c) = re_date_numeric().captures(text) {
        let (a, b): (u32, u32) = (c[1].parse().ok()?, c[2].parse().ok()?);
        let year: i32 = c[3].parse().ok()?;
        // Day first, as in Europe, unless the notice says MM/DD or the day cannot be a month.
        let month_first = c.get(4).is_some() || b > 12;
        let (day, month) = if month_first { (b, a) } else { (a, b) };
        if let (Some(date), Some(m)) = (NaiveDate::from_ymd_opt(year, month, day), c.get(0)) {
            found.push((date, m.range()));
        }
    }
    for c in re_date_dmy_words().captures_iter(text) {
        let Some(month) = month_number(&c[2]) else {
            continue;
        };
        let date = NaiveDate::from_ymd_opt(c[3].parse().ok()?, month, c[1].parse().ok()?);
        if let (Some(date), Some(m)) = (date, c.get(0)) {
            found.push((date, m.range()));
            break;
        }
    }
    for c in re_date_mdy_words().captures_iter(text) {
        let Some(month) = month_number(&c[1]) else {
            continue;
        };
        let date = NaiveDate::from_ymd_opt(c[3].parse().ok()?, month, c[2].parse().ok()?);
        if let (Some(date), Some(m)) = (date, c.get(0)) {
            found.push((date, m.range()));
            break;
        }
    }
    found.into_iter().min_by_key(|(_, range)| range.start)
}

/// A time of day in a piece of text (the date already blanked out): "23:59" or "11:59
/// p.m."; "midnight" is the end of the day (23:59:59), as a date alone is.
fn time_in(text: &str) -> Option<NaiveTime> {
    for c in re_time().captures_iter(text) {
        if let Some(word) = c.get(5) {
            return match word.as_str().to_lowercase().as_str() {
                "midnight" => NaiveTime::from_hms_opt(23, 59, 59),
                _ => NaiveTime::from_hms_opt(12, 0, 0),
            };
        }
        let Some(hour) = c.get(1).and_then(|h| h.as_str().parse::<u32>().ok()) else {
            continue;
        };
        let minute = c.get(2).and_then(|m| m.as_str().parse::<u32>().ok());
        let second = c.get(3).and_then(|s| s.as_str().parse::<u32>().ok());
        let meridiem = c.get(4).map(|m| m.as_str().to_lowercase().starts_with('p'));
        // A bare number ("2 pages", "5 years") is not a time: it needs minutes or am/pm.
        if minute.is_none() && meridiem.is_none() {
            continue;
        }
        let hour = match (hour, meridiem) {
            (12, Some(false)) => 0,
            (12, Some(true)) => 12,
            (h, Some(true)) if h < 12 => h + 12,
            (h, _) => h,
        };
        if let Some(time) = NaiveTime::from_hms_opt(hour, minute.unwrap_or(0), second.unwrap_or(0))
        {
            return Some(time);
        }
    }
    None
}

/// A deadline and the words it was read from, and how sure the reading is.
pub(super) struct FoundDeadline {
    pub at: DateTime<Utc>,
    pub evidence: String,
    pub confidence: Confidence,
}

/// The deadline stated right after a label: on the label's line, or on the next non-empty
/// line when the label stands alone ("Application Deadline" / "18-Jun-2025").
fn labelled(english: &str) -> Option<FoundDeadline> {
    let lines: Vec<&str> = english.lines().collect();
    for (index, line) in lines.iter().enumerate() {
        for label in re_deadline_label().find_iter(line) {
            let rest = &line[label.end()..];
            // What follows the label on its line, else the next non-empty line when the
            // label stands alone; within 200 characters (a deadline is short, and a long
            // line must not be read again for every label in it).
            let alone = rest.trim().trim_matches([':', '-', ' ']).is_empty();
            let next = if alone {
                let next = lines[index + 1..]
                    .iter()
                    .take(3)
                    .find(|l| !l.trim().is_empty());
                let Some(next) = next else {
                    continue;
                };
                Some(*next)
            } else {
                None
            };
            let window = first_chars(next.unwrap_or(rest), 200);
            // The date must follow the label closely ("Closing date: …"); every date
            // form has a four-digit year, a cheap test before the slower ones.
            if !re_year().is_match(window) {
                continue;
            }
            let Some((date, range)) = date_in(window) else {
                continue;
            };
            if window[..range.start].chars().count() > 60 {
                continue;
            }
            let mut blanked = window.to_string();
            blanked.replace_range(range.clone(), &" ".repeat(range.len()));
            let time = time_in(&blanked);
            let zone = zone_in(&blanked);
            let tz = zone.unwrap_or(DEFAULT_TIME_ZONE);
            let at = match time {
                Some(time) => local_deadline_to_utc(NaiveDateTime::new(date, time), tz).ok(),
                None => end_of_local_day(date, tz).ok(),
            };
            let Some(at) = at else {
                continue;
            };
            let confidence = if time.is_some() && zone.is_some() {
                Confidence::High
            } else {
                Confidence::Medium
            };
            // The label's line (and the value's), copied only once a deadline is read.
            let evidence = match next {
                Some(next) => format!("{} {}", line.trim(), next.trim()),
                None => line.trim().to_string(),
            };
            return Some(FoundDeadline {
                at,
                evidence: collapse(&evidence),
                confidence,
            });
        }
    }
    None
}

/// The first `n` characters of a text.
fn first_chars(text: &str, n: usize) -> &str {
    let end = text.char_indices().nth(n).map_or(text.len(), |(i, _)| i);
    &text[..end]
}

pub(super) fn find_deadline(english: &str) -> Option<FoundDeadline> {
    if let Some(c) = re_deadline_taleo().captures(english) {
        let day: u32 = c[1].parse().ok()?;
        let month = month_number(&c[2])?;
        let year: i32 = c[3].parse().ok()?;
        let evidence = collapse(&c[0]);
        let Some(hour) = c.get(4) else {
            let at = end_of_brussels_day(year, month, day)?;
            return Some(FoundDeadline {
                at,
                evidence,
                confidence: Confidence::Medium,
            });
        };
        let mut hour: u32 = hour.as_str().parse().ok()?;
        let minute: u32 = c[5].parse().ok()?;
        let second: u32 = c.get(6).map_or(Some(0), |s| s.as_str().parse().ok())?;
        let pm = c[7].eq_ignore_ascii_case("p");
        hour = match (hour, pm) {
            (12, false) => 0,
            (12, true) => 12,
            (h, true) => h + 12,
            (h, false) => h,
        };
        let naive = NaiveDateTime::new(
            NaiveDate::from_ymd_opt(year, month, day)?,
            NaiveTime::from_hms_opt(hour, minute, second)?,
        );
        // The portal prints UTC without saying so (DECISIONS.md): a decision, not a guess.
        return Some(FoundDeadline {
            at: Utc.from_utc_datetime(&naive),
            evidence,
            confidence: Confidence::High,
        });
    }
    if let Some(found) = labelled(english) {
        return Some(found);
    }
    let c = re_deadline_by_latest().captures(english)?;
    let at = if let Some(day) = c.get(1) {
        end_of_brussels_day(
            c[3].parse().ok()?,
            month_number(&c[2])?,
            day.as_str().parse().ok()?,
        )?
    } else {
        end_of_brussels_day(c[6].parse().ok()?, c[5].parse().ok()?, c[4].parse().ok()?)?
    };
    Some(FoundDeadline {
        at,
        evidence: collapse(&c[0]),
        confidence: Confidence::Medium,
    })
}
