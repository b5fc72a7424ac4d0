//! Exceptions handled per channel and week, counted from escalation events
//! and price flags, for the operating-cost column.
//!
//! An event counts in the week it opened (in the brand's zone), whatever
//! became of it: someone looked at it either way. Flags carry no time, so
//! the flags of the current read count in `current`.

use std::collections::BTreeMap;

use jiff::tz::TimeZone;

use super::week::WeekId;
use crate::core::escalation::Event;
use crate::core::ids::ChannelId;
use crate::core::price_flags::PriceFlag;

/// Exceptions per (channel, week); events on no channel are not charged
/// to any channel.
pub fn count_exceptions(
    events: &[Event],
    flags: &[PriceFlag],
    current: WeekId,
    zone: &TimeZone,
) -> BTreeMap<(ChannelId, WeekId), u32> {
    let mut out: BTreeMap<(ChannelId, WeekId), u32> = BTreeMap::new();
    let mut bump = |channel: &ChannelId, week: WeekId| {
        let n = out.entry((channel.clone(), week)).or_insert(0);
        *n = n.saturating_add(1);
    };
    for e in events {
        if let Some(c) = &e.channel {
            bump(c, WeekId::of(e.opened_at, zone));
        }
    }
    for f in flags {
        bump(&f.channel, current);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::escalation::{Severity, State};
    use crate::core::price_flags::FlagKind;

    fn event(channel: &str, opened: &str) -> Event {
        let at = opened.parse().unwrap();
        Event {
            key: format!("k:{channel}:{opened}"),
            channel: Some(ChannelId::new(channel).unwrap()),
            severity: Severity::Warning,
            summary: String::new(),
            state: State::Decided,
            opened_at: at,
            updated_at: at,
            level: 0,
            assignee: None,
            lapsed: false,
        }
    }

    #[test]
    fn events_count_in_the_week_they_opened_and_flags_now() {
        let ny = TimeZone::get("America/New_York").unwrap();
        let w48: WeekId = "2026-W48".parse().unwrap();
        // Sunday night in New York: still W48 there.
        let events = [event("dtc", "2026-11-30T03:00:00Z"), event("dtc", "2026-11-18T12:00:00Z")];
        let flag = PriceFlag {
            kind: FlagKind::BadInput { place: "x".into(), message: "y".into() },
            channel: ChannelId::new("dtc").unwrap(),
            sku: None,
            owner: None,
            price_source: None,
        };
        let got = count_exceptions(&events, &[flag], w48, &ny);
        let dtc = ChannelId::new("dtc").unwrap();
        assert_eq!(got.get(&(dtc.clone(), w48)), Some(&2));
        assert_eq!(got.get(&(dtc, w48.back(1))), Some(&1));
    }
}
