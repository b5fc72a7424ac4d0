//! Weeks kept in the store, for when the order window no longer reaches
//! back over the trail.
//!
//! **Which read of a week wins.** Each week carries `seen`: the orders
//! placed in it as the feed showed them, cancelled ones included. A read
//! computed from fewer orders than a stored one (the window has moved past
//! part of the week) is poorer: the stored figures stand in for it in the
//! trail and the prior-week comparison, and the store keeps them. A read
//! from at least as many orders is at least as good and replaces the
//! stored one, so a later cancellation or a settled fee still lands. The
//! store applies the same rule in one statement, so two operators saving
//! at once cannot undo it.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::figures::WeekFigures;
use super::week::WeekId;
use super::{ChannelReadback, Readback, ReadbackError};
use crate::core::channel::Channel;
use crate::core::ids::ChannelId;

/// One channel's week as it was read, in the channel's currency.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredWeek {
    pub channel: ChannelId,
    pub figures: WeekFigures,
}

/// Whether `new` may replace `stored`: it was read from at least as much.
pub fn replaces(new: &WeekFigures, stored: &WeekFigures) -> bool {
    new.seen >= stored.seen
}

/// Put the stored week in place of each computed week it is better than.
/// Returns the weeks taken from the store.
pub(super) fn prefer_stored(
    ch: &Channel,
    weeks: &mut BTreeMap<WeekId, WeekFigures>,
    stored: &[StoredWeek],
    problems: &mut Vec<ReadbackError>,
) -> Vec<WeekId> {
    let mut used = Vec::new();
    for s in stored.iter().filter(|s| s.channel == ch.id) {
        let Some(computed) = weeks.get_mut(&s.figures.week) else { continue };
        if replaces(computed, &s.figures) {
            continue;
        }
        if s.figures.currency() != ch.currency {
            problems.push(ReadbackError::StoredCurrency {
                channel: ch.id.clone(),
                week: s.figures.week,
                found: s.figures.currency(),
                expected: ch.currency,
            });
            continue;
        }
        *computed = s.figures.clone();
        used.push(s.figures.week);
    }
    used
}

impl Readback {
    /// The weeks worth keeping: every computed (not stored) trail week that
    /// ended before `current`, the week still running.
    pub fn weeks_to_store(&self, current: WeekId) -> Vec<StoredWeek> {
        self.channels.iter().flat_map(|c| computed_weeks(c, current)).collect()
    }
}

fn computed_weeks(c: &ChannelReadback, current: WeekId) -> impl Iterator<Item = StoredWeek> + '_ {
    c.weeks
        .iter()
        .filter(move |w| w.week < current && !c.from_store.contains(&w.week))
        .map(|w| StoredWeek { channel: c.channel.clone(), figures: w.clone() })
}
