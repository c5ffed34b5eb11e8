//! The application deadline, in the wordings notices use: "Application Deadline
//! 16-Sep-2025, 9:59:00 PM" (UTC), "Plazo: 31-12-2025", "by latest 16 September 2025"
//! (a date alone is the end of that day in Brussels).

use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc};

use super::text::collapse;
use crate::deadline::end_of_local_day;
use crate::rules::DEFAULT_TIME_ZONE;

re!(
    re_deadline_taleo,
    r"(?i)application\s+deadline\s*:?\s*(\d{1,2})-([a-z]{3})[a-z]*\.?-(\d{4})(?:,?\s+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([ap])\.?m\.?)?"
);
re!(
    re_deadline_numeric,
    r"(?i)\b(?:plazo|deadline|closing\s+date)\s*:\s*(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})\b"
);
re!(
    re_deadline_by_latest,
    r"(?i)\bby\s+(?:the\s+)?latest\s+(?:(\d{1,2})\s+([a-z]+)\s+(\d{4})|(\d{1,2})/(\d{1,2})/(\d{4}))"
);

fn month_number(name: &str) -> Option<u32> {
    const MONTHS: [&str; 12] = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ];
    let prefix: String = name.to_lowercase().chars().take(3).collect();
    MONTHS
        .iter()
        .position(|m| *m == prefix)
        .map(|i| i as u32 + 1)
}

fn end_of_brussels_day(year: i32, month: u32, day: u32) -> Option<DateTime<Utc>> {
    let date = NaiveDate::from_ymd_opt(year, month, day)?;
    end_of_local_day(date, DEFAULT_TIME_ZONE).ok()
}

pub(super) fn find_deadline(english: &str) -> Option<(DateTime<Utc>, String)> {
    if let Some(c) = re_deadline_taleo().captures(english) {
        let day: u32 = c[1].parse().ok()?;
        let month = month_number(&c[2])?;
        let year: i32 = c[3].parse().ok()?;
        let evidence = collapse(&c[0]);
        let Some(hour) = c.get(4) else {
            return end_of_brussels_day(year, month, day).map(|d| (d, evidence));
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
        return Some((Utc.from_utc_datetime(&naive), evidence));
    }
    if let Some(c) = re_deadline_numeric().captures(english) {
        let deadline =
            end_of_brussels_day(c[3].parse().ok()?, c[2].parse().ok()?, c[1].parse().ok()?)?;
        return Some((deadline, collapse(&c[0])));
    }
    let c = re_deadline_by_latest().captures(english)?;
    let deadline = if let Some(day) = c.get(1) {
        end_of_brussels_day(
            c[3].parse().ok()?,
            month_number(&c[2])?,
            day.as_str().parse().ok()?,
        )?
    } else {
        end_of_brussels_day(c[6].parse().ok()?, c[5].parse().ok()?, c[4].parse().ok()?)?
    };
    Some((deadline, collapse(&c[0])))
}
