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
use super::inventory_facts::Sale;
use super::orders::OrderStatus;

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
    /// The window's calendar days in the brand's zone.
    pub fn dates(&self) -> BTreeSet<Date> {
        let today = self.time_zone.to_datetime(self.now).date();
        (1..=i64::from(self.days))
            .filter_map(|back| today.checked_sub(SignedDuration::from_hours(24 * back)).ok())
            .collect()
    }
}

/// Velocity on every channel a SKU sold on in the window. The window is
/// the `days` whole days before today, so a partial today never dilutes it.
/// `dates` is [`Window::dates`], computed once for all SKUs.
pub fn sku_velocities(
    sku: &Sku,
    sales: &[Sale<'_>],
    window: &Window<'_>,
    dates: &BTreeSet<Date>,
) -> BTreeMap<ChannelId, Velocity> {
    let mut units: BTreeMap<&ChannelId, u32> = BTreeMap::new();
    for s in sales.iter().filter(|s| s.status != OrderStatus::Cancelled) {
        if dates.contains(&window.time_zone.to_datetime(s.placed_at).date()) {
            let n = units.entry(s.channel).or_insert(0);
            *n = n.saturating_add(s.qty);
        }
    }
    if units.is_empty() {
        return BTreeMap::new();
    }
    let out = dates.iter().filter(|d| window.out_of_stock.contains(&(sku.clone(), **d))).count();
    let days = u32::try_from(dates.len() - out).unwrap_or(0);
    units.into_iter().map(|(ch, sold)| (ch.clone(), velocity(sold, days, window.days, out))).collect()
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
