//! Numbers and dates as a file writes them. A separator that was not
//! declared is refused with the setting that would accept it: `1,250`
//! is 1.25 in Berlin and 1250 in Boston, and only the config knows which.

use std::str::FromStr;

use jiff::civil::{Date, DateTime};
use jiff::tz::TimeZone;
use jiff::{Timestamp, fmt::strtime};
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;

use super::Env;
use crate::config::files::FileMapping;

/// How a source writes numbers and dates.
#[derive(Debug, Clone)]
pub(super) struct Formats {
    pub decimal: u8,
    /// Whether `decimal` was declared, so a stray `,` can be explained.
    pub decimal_declared: bool,
    pub thousands: Option<u8>,
    pub date_format: Option<String>,
    pub time_zone: TimeZone,
}

impl Formats {
    /// The mapping's formats, in the source's zone unless it names one.
    pub fn of(m: &FileMapping, env: &Env) -> Formats {
        Formats {
            decimal: m.decimal.unwrap_or(b'.'),
            decimal_declared: m.decimal.is_some(),
            thousands: m.thousands,
            date_format: m.date_format.clone(),
            time_zone: m.time_zone.clone().unwrap_or_else(|| env.time_zone.clone()),
        }
    }

    pub fn decimal(&self, s: &str) -> Result<Decimal, String> {
        let s = s.trim();
        let mut plain = String::with_capacity(s.len());
        for c in s.chars() {
            match u8::try_from(c).ok() {
                Some(b) if Some(b) == self.thousands => {}
                Some(b) if b == self.decimal => plain.push('.'),
                Some(b @ (b',' | b'.')) => return Err(self.stray(s, b)),
                _ => plain.push(c),
            }
        }
        Decimal::from_str(&plain).map_err(|_| format!("expected a number, found {s:?}"))
    }

    fn stray(&self, s: &str, b: u8) -> String {
        let c = char::from(b);
        if self.decimal_declared {
            format!(
                "expected a number with decimal {:?}, found {s:?}; if {c:?} groups thousands, set thousands = \"{c}\"",
                char::from(self.decimal)
            )
        } else {
            format!(
                "found {s:?}: set decimal = \"{c}\" or thousands = \"{c}\" in the source's config to say what {c:?} means"
            )
        }
    }

    /// A count of units: a whole number, not negative.
    pub fn quantity(&self, s: &str) -> Result<u32, String> {
        // Most counts are a few plain digits: skip the decimal detour.
        let t = s.trim();
        if !t.is_empty() && t.len() <= 9 && t.bytes().all(|b| b.is_ascii_digit()) {
            return t.parse().map_err(|_| format!("expected a number, found {t:?}"));
        }
        let d = self.decimal(s)?;
        if d.is_sign_negative() && !d.is_zero() {
            return Err(format!("expected a count of zero or more, found {}", s.trim()));
        }
        if !d.fract().is_zero() {
            return Err(format!("expected a whole number of units, found {}", s.trim()));
        }
        d.to_u32().ok_or_else(|| format!("expected a count below 4294967296, found {}", s.trim()))
    }

    /// A timestamp, a date-time or a date (midnight) in the source's zone.
    /// Without a declared format only ISO 8601 is read, since `03/04/2026`
    /// is a different day in London and New York.
    pub fn time(&self, s: &str) -> Result<Timestamp, String> {
        let s = s.trim();
        if let Some(fmt) = &self.date_format {
            let parsed = strtime::parse(fmt, s).map_err(|_| format!("expected a date like {fmt:?}, found {s:?}"))?;
            if let Ok(t) = parsed.to_timestamp() {
                return Ok(t);
            }
            let dt = parsed
                .to_datetime()
                .or_else(|_| parsed.to_date().map(|d| d.to_datetime(jiff::civil::Time::midnight())))
                .map_err(|_| format!("expected a date like {fmt:?}, found {s:?}"))?;
            return self.zoned(dt);
        }
        if let Ok(t) = s.parse::<Timestamp>() {
            return Ok(t);
        }
        if let Ok(dt) = s.parse::<DateTime>() {
            return self.zoned(dt);
        }
        if let Ok(d) = s.parse::<Date>() {
            return self.zoned(d.to_datetime(jiff::civil::Time::midnight()));
        }
        Err(format!("expected an ISO 8601 date like 2026-11-27, found {s:?}; set date_format for other layouts"))
    }

    fn zoned(&self, dt: DateTime) -> Result<Timestamp, String> {
        self.time_zone.to_ambiguous_timestamp(dt).compatible().map_err(|e| format!("{dt} in the source's zone: {e}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn formats(decimal: u8, thousands: Option<u8>) -> Formats {
        Formats {
            decimal,
            decimal_declared: decimal != b'.',
            thousands,
            date_format: Some("%d.%m.%Y".into()),
            time_zone: TimeZone::get("Europe/Berlin").unwrap(),
        }
    }

    #[test]
    fn separators_are_read_only_as_declared() {
        let de = formats(b',', Some(b'.'));
        assert_eq!(de.decimal("1.234,50").unwrap().to_string(), "1234.50");
        assert_eq!(de.quantity("1.250").unwrap(), 1250);
        let plain = Formats { decimal_declared: false, ..formats(b'.', None) };
        assert!(plain.decimal("1,5").unwrap_err().contains("set decimal = \",\""));
        assert!(plain.quantity("-3").is_err());
        assert!(plain.quantity("2.5").is_err());
    }

    #[test]
    fn dates_follow_the_declared_format_and_zone() {
        let t = formats(b',', None).time("27.11.2026").unwrap();
        assert_eq!(t.to_string(), "2026-11-26T23:00:00Z");
        let iso = Formats { date_format: None, ..formats(b'.', None) };
        assert_eq!(iso.time("2026-11-27T10:00:00Z").unwrap().to_string(), "2026-11-27T10:00:00Z");
        assert!(iso.time("27/11/2026").unwrap_err().contains("date_format"));
    }
}
