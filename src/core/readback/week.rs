//! ISO weeks in the brand's time zone, named like `2026-W48`.
//!
//! A week is held as its Monday, so stepping back a week is date
//! arithmetic and two ids of the same week are always equal.

use std::fmt;
use std::str::FromStr;

use jiff::Timestamp;
use jiff::civil::{Date, ISOWeekDate, Weekday};
use jiff::tz::TimeZone;

/// One ISO week (Monday to Sunday).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct WeekId {
    monday: Date,
}

/// A string that is not a week id like `2026-W48`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("expected an ISO week like \"2026-W48\", found {0:?}")]
pub struct BadWeek(pub String);

impl WeekId {
    /// The week a calendar date falls in.
    pub fn of_date(date: Date) -> Self {
        let iso = date.iso_week_date();
        // Monday of the same ISO week always exists for a valid date,
        // except at the very start of jiff's range; fall back to the date.
        let monday = ISOWeekDate::new(iso.year(), iso.week(), Weekday::Monday).map_or(date, ISOWeekDate::date);
        WeekId { monday }
    }

    /// The week an instant falls in, read in `zone`.
    pub fn of(at: Timestamp, zone: &TimeZone) -> Self {
        WeekId::of_date(zone.to_datetime(at).date())
    }

    /// The last week that has fully ended at `now` in `zone`: the week a
    /// weekly review looks back on.
    pub fn last_complete(now: Timestamp, zone: &TimeZone) -> Self {
        WeekId::of(now, zone).back(1)
    }

    pub fn monday(self) -> Date {
        self.monday
    }

    /// `n` weeks earlier (saturating at jiff's minimum date).
    #[must_use]
    pub fn back(self, n: u32) -> Self {
        let days = i64::from(n) * 7;
        let monday = self.monday.checked_sub(jiff::Span::new().days(days)).unwrap_or(self.monday);
        WeekId { monday }
    }

    pub fn year(self) -> i16 {
        self.monday.iso_week_date().year()
    }

    pub fn week(self) -> i8 {
        self.monday.iso_week_date().week()
    }
}

impl fmt::Display for WeekId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-W{:02}", self.year(), self.week())
    }
}

impl FromStr for WeekId {
    type Err = BadWeek;
    fn from_str(s: &str) -> Result<Self, BadWeek> {
        let bad = || BadWeek(s.to_owned());
        let (y, w) = s.split_once("-W").ok_or_else(bad)?;
        let year: i16 = y.parse().map_err(|_| bad())?;
        let week: i8 = w.parse().map_err(|_| bad())?;
        let iso = ISOWeekDate::new(year, week, Weekday::Monday).map_err(|_| bad())?;
        Ok(WeekId { monday: iso.date() })
    }
}

impl serde::Serialize for WeekId {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> serde::Deserialize<'de> for WeekId {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weeks_are_named_and_parsed_alike() {
        let w: WeekId = "2026-W48".parse().unwrap();
        assert_eq!(w.to_string(), "2026-W48");
        assert_eq!(w.monday(), jiff::civil::date(2026, 11, 23));
        assert_eq!(w.back(1).to_string(), "2026-W47");
        assert!("2026-48".parse::<WeekId>().is_err());
        assert!("2026-W54".parse::<WeekId>().is_err());
    }

    #[test]
    fn a_late_sunday_in_new_york_is_monday_in_utc() {
        let at: Timestamp = "2026-11-30T03:00:00Z".parse().unwrap();
        let ny = TimeZone::get("America/New_York").unwrap();
        assert_eq!(WeekId::of(at, &ny).to_string(), "2026-W48");
        assert_eq!(WeekId::of(at, &TimeZone::UTC).to_string(), "2026-W49");
    }

    #[test]
    fn iso_years_cross_calendar_years() {
        assert_eq!(WeekId::of_date(jiff::civil::date(2027, 1, 1)).to_string(), "2026-W53");
        assert_eq!(WeekId::of_date(jiff::civil::date(2025, 12, 29)).to_string(), "2026-W01");
    }
}
