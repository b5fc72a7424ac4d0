//! Small formatters shared by the row builders. Times are shown in the
//! brand's zone; durations in whole minutes, since nothing here is
//! actionable at a finer grain.

use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp};
use rust_decimal::Decimal;

use crate::core::money::Money;
use crate::core::text::clean;

/// "45m", "3h 05m", "2d 04h".
pub fn duration(d: SignedDuration) -> String {
    let mins = d.as_secs().unsigned_abs() / 60;
    let (days, hours, mins) = (mins / 1440, (mins / 60) % 24, mins % 60);
    if days > 0 {
        format!("{days}d {hours:02}h")
    } else if hours > 0 {
        format!("{hours}h {mins:02}m")
    } else {
        format!("{mins}m")
    }
}

/// The wall-clock time in the brand's zone, "HH:MM".
pub fn hhmm(t: Timestamp, tz: &TimeZone) -> String {
    t.to_zoned_datetime(tz.clone()).strftime("%H:%M").to_string()
}

/// "2026-11-27 12:00" in the brand's zone.
pub fn date_time(t: Timestamp, tz: &TimeZone) -> String {
    t.to_zoned_datetime(tz.clone()).strftime("%Y-%m-%d %H:%M").to_string()
}

/// "12m old", or "never fetched".
pub fn age(fetched_at: Option<Timestamp>, now: Timestamp) -> String {
    fetched_at.map_or_else(|| "never".to_owned(), |t| duration(now.duration_since(t)))
}

pub fn money(m: Money) -> String {
    m.to_string()
}

pub fn percent(fraction: Option<Decimal>) -> String {
    fraction.map_or_else(|| "n/a".to_owned(), |m| format!("{}%", (m * Decimal::ONE_HUNDRED).round_dp(1)))
}

/// Remote or configured text, made safe for the terminal.
pub fn safe(s: &str) -> String {
    clean(s).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_at_a_glance() {
        assert_eq!(duration(SignedDuration::from_secs(59)), "0m");
        assert_eq!(duration(SignedDuration::from_mins(45)), "45m");
        assert_eq!(duration(SignedDuration::from_mins(185)), "3h 05m");
        assert_eq!(duration(SignedDuration::from_hours(52)), "2d 04h");
        assert_eq!(duration(SignedDuration::from_mins(-65)), "1h 05m");
    }
}
