//! Out-of-stock days: which SKUs read zero now (for the store to record
//! as today's), and the recorded days turned into the readback's
//! stock-out figures.
//!
//! A day is kept per SKU, not per channel: it is what velocity leaves out
//! of its window, and a SKU whose trusted stock is zero everywhere could
//! sell on no channel. A day counts when any evaluation that day saw the
//! SKU at zero, so velocity errs towards the days the SKU was in stock.

use std::collections::{BTreeMap, BTreeSet};

use jiff::civil::Date;
use rust_decimal::Decimal;

use super::StockOut;
use super::week::WeekId;
use crate::core::ids::{ChannelId, Sku};
use crate::core::inventory::InventoryRead;
use crate::core::money::Money;
use crate::core::rules::Rules;

/// SKUs whose trusted sellable stock is zero across every location. A SKU
/// no source reports is unknown, not out of stock, so it is left out; a
/// kit counts once every component is reported.
pub fn out_of_stock_skus(read: &InventoryRead, rules: &Rules) -> BTreeSet<Sku> {
    let known: BTreeSet<&Sku> = read.view.trusted.keys().map(|(sku, _)| sku).collect();
    rules
        .catalog
        .iter()
        .filter(|item| {
            if item.is_kit() {
                item.components.iter().all(|c| known.contains(&c.sku))
            } else {
                known.contains(&item.sku)
            }
        })
        .filter(|item| read.sellable.total(&item.sku) == 0)
        .map(|item| item.sku.clone())
        .collect()
}

/// What a SKU sells on a channel: units per day and the net unit price.
pub type Selling = (Decimal, Money);

/// The recorded days, per week, for every (SKU, channel) that sells the
/// SKU: `selling` holds its velocity and net price on that channel.
pub fn stock_outs_from_days(
    days: &BTreeSet<(Sku, Date)>,
    selling: &BTreeMap<(Sku, ChannelId), Selling>,
) -> Vec<StockOut> {
    let mut per_week: BTreeMap<(&Sku, WeekId), u32> = BTreeMap::new();
    for (sku, day) in days {
        let n = per_week.entry((sku, WeekId::of_date(*day))).or_insert(0);
        *n = n.saturating_add(1);
    }
    let mut channels: BTreeMap<&Sku, Vec<(&ChannelId, &Selling)>> = BTreeMap::new();
    for ((sku, channel), figures) in selling {
        channels.entry(sku).or_default().push((channel, figures));
    }
    let mut out = Vec::new();
    for ((sku, week), n) in per_week {
        for (channel, (velocity, price)) in channels.get(sku).into_iter().flatten() {
            out.push(StockOut {
                channel: (*channel).clone(),
                sku: sku.clone(),
                week,
                days: n,
                velocity_per_day: *velocity,
                net_price: *price,
            });
        }
    }
    out
}
