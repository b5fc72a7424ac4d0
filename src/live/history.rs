//! The evaluation's memory in the store: what is loaded before a read
//! (decisions of the read week, stored weeks, out-of-stock days) and what
//! a read leaves behind (the weeks it read, today's out-of-stock SKUs).

use jiff::Timestamp;
use jiff::civil::Date;

use crate::core::evaluate::{Cockpit, History};
use crate::core::ids::{ChannelId, Sku};
use crate::core::readback::{Recorded, StoredWeek, TRAIL_WEEKS, WeekFigures, WeekId, out_of_stock_skus};
use crate::core::rules::Rules;
use crate::store::{Decision, Store, StoreError, StoredWeekRow};

/// The parts of `History` that come from the store, for reading `week`
/// (the last complete week when `None`) at `now`.
pub(super) fn load(store: &Store, rules: &Rules, week: Option<WeekId>, now: Timestamp) -> Result<History, StoreError> {
    let zone = &rules.brand.time_zone;
    let week = week.unwrap_or_else(|| WeekId::last_complete(now, zone));
    let today = zone.to_datetime(now).date();
    let first_week = week.back(TRAIL_WEEKS.max(rules.readback.retire_after_weeks));
    let trail_start = first_week.monday();
    let window_start = today.saturating_sub(jiff::Span::new().days(i64::from(rules.inventory.velocity_window_days)));
    let out_of_stock = store
        .out_of_stock_since(trail_start.min(window_start))?
        .into_iter()
        .filter_map(|(sku, day)| Some((Sku::new(sku).ok()?, day)))
        .collect();
    let week_start = week.monday().to_zoned_datetime(zone.clone()).map_or(now, |z| z.timestamp());
    let decisions = store.decisions_since(week_start)?.iter().map(recorded).collect();
    // A row this version cannot read (from a newer one) is left out: the
    // trail then shows the week as computed from the orders.
    let weeks = store.weeks_since(&first_week.to_string())?.iter().filter_map(stored_week).collect();
    Ok(History { out_of_stock, decisions, weeks, week: Some(week), ..History::default() })
}

/// Keep the weeks this read computed and today's out-of-stock SKUs.
pub(super) fn remember(store: &mut Store, cockpit: &Cockpit, rules: &Rules, now: Timestamp) -> Result<(), StoreError> {
    let zone = &rules.brand.time_zone;
    let rows: Vec<StoredWeekRow> =
        cockpit.readback.weeks_to_store(WeekId::of(now, zone)).iter().filter_map(week_row).collect();
    store.save_weeks(&rows, now)?;
    let today: Date = zone.to_datetime(now).date();
    let out = out_of_stock_skus(&cockpit.inventory, rules);
    store.record_out_of_stock(today, out.iter().map(Sku::as_str))
}

fn recorded(d: &Decision) -> Recorded {
    Recorded {
        at: d.at,
        who: d.who.clone(),
        channel: d.channel.clone(),
        sku: d.sku.clone(),
        key: d.event_key.clone(),
        text: d.text.clone(),
        follow_up: d.follow_up,
    }
}

fn stored_week(r: &StoredWeekRow) -> Option<StoredWeek> {
    let figures: WeekFigures = serde_json::from_str(&r.json).ok()?;
    Some(StoredWeek { channel: ChannelId::new(r.channel.as_str()).ok()?, figures })
}

fn week_row(w: &StoredWeek) -> Option<StoredWeekRow> {
    let json = serde_json::to_string(&w.figures).ok()?;
    Some(StoredWeekRow { week: w.figures.week.to_string(), channel: w.channel.to_string(), seen: w.figures.seen, json })
}
