//! Daily sales velocity per (SKU, channel) from the orders window.
//!
//! Days are calendar days in the brand's time zone, whatever zone a source
//! stamps its orders in (every order carries a UTC instant). Days the SKU
//! was out of stock are left out of the denominator, since nothing could
//! sell then and counting them would understate demand.

use std::collections::{BTreeMap, BTreeSet};

use jiff::civil::Date;
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp};
use rust_decimal::Decimal;

use super::ids::{ChannelId, Sku};
use super::orders::{Order, OrderStatus};

/// A velocity and how it was found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Velocity {
    pub per_day: Decimal,
    pub units: u32,
    pub days: u32,
    pub reason: String,
}

/// The window and what to leave out of it.
#[derive(Debug, Clone)]
pub struct Window<'a> {
    pub now: Timestamp,
    pub days: u32,
    pub time_zone: &'a TimeZone,
    /// Days (in the brand's zone) each SKU had no sellable stock.
    pub out_of_stock: &'a BTreeSet<(Sku, Date)>,
}

impl Window<'_> {
    fn dates(&self) -> BTreeSet<Date> {
        let today = self.time_zone.to_datetime(self.now).date();
        (1..=i64::from(self.days))
            .filter_map(|back| today.checked_sub(SignedDuration::from_hours(24 * back)).ok())
            .collect()
    }
}

/// Velocity for every (SKU, channel) that sold in the window. The window is
/// the `days` whole days before today, so a partial today never dilutes it.
pub fn velocities<'a>(
    orders: impl IntoIterator<Item = &'a Order>,
    window: &Window<'_>,
) -> BTreeMap<(Sku, ChannelId), Velocity> {
    let dates = window.dates();
    let mut units: BTreeMap<(Sku, ChannelId), u32> = BTreeMap::new();
    for o in orders.into_iter().filter(|o| o.status != OrderStatus::Cancelled) {
        let day = window.time_zone.to_datetime(o.placed_at).date();
        if !dates.contains(&day) {
            continue;
        }
        for l in &o.lines {
            let n = units.entry((l.sku.clone(), o.channel.clone())).or_insert(0);
            *n = n.saturating_add(l.qty);
        }
    }
    units
        .into_iter()
        .map(|((sku, ch), sold)| {
            let out = dates.iter().filter(|d| window.out_of_stock.contains(&(sku.clone(), **d))).count();
            let days = u32::try_from(dates.len() - out).unwrap_or(0);
            let v = velocity(sold, days, window.days, out);
            ((sku, ch), v)
        })
        .collect()
}

fn velocity(units: u32, days: u32, window: u32, out: usize) -> Velocity {
    if days == 0 {
        let reason = format!("{units} sold but out of stock all {window} days: no usable history");
        return Velocity { per_day: Decimal::ZERO, units, days, reason };
    }
    let per_day = Decimal::from(units) / Decimal::from(days);
    let excluded = if out > 0 { format!(" ({out} out-of-stock days left out)") } else { String::new() };
    let reason = format!("{units} sold over {days} days{excluded}");
    Velocity { per_day, units, days, reason }
}
