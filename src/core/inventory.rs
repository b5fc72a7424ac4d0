//! The inventory read: trusted stock, velocity, the allocation plan, FBA
//! transfers and reorders, evaluated together from one snapshot.

use std::collections::{BTreeMap, BTreeSet};

use jiff::Timestamp;
use jiff::civil::Date;
use rust_decimal::Decimal;

use super::allocation::{Plan, PlanInput, plan};
use super::fba_inbound::{self, InboundInput, Transfer};
use super::ids::{ChannelId, Sku};
use super::money::Money;
use super::orders::OrderStatus;
use super::pools::Sellable;
use super::replenish::{self, PoSuggestion, ReplenishInput};
use super::rules::Rules;
use super::snapshot::Snapshot;
use super::stock_view::{StockView, stock_view};
use super::velocity::{Velocity, Window, velocities};

/// Everything the inventory surface shows.
#[derive(Debug, Clone)]
pub struct InventoryRead {
    pub view: StockView,
    pub sellable: Sellable,
    pub velocity: BTreeMap<(Sku, ChannelId), Velocity>,
    pub plan: Plan,
    pub transfers: Vec<Transfer>,
    pub reorders: Vec<PoSuggestion>,
}

/// Open orders on wholesale channels, which the plan serves first in
/// scarcity. The assumption, documented in docs/inventory.md: a wholesale
/// platform's open orders are not yet in the warehouse's committed count.
fn wholesale_open(snapshot: &Snapshot, rules: &Rules) -> BTreeMap<(Sku, ChannelId), u32> {
    let mut out: BTreeMap<(Sku, ChannelId), u32> = BTreeMap::new();
    let orders = snapshot.orders.iter().map(|o| &o.value).filter(|o| o.status == OrderStatus::Open);
    for o in orders.filter(|o| rules.channels.get(&o.channel).is_some_and(|c| c.wholesale)) {
        for l in &o.lines {
            let n = out.entry((l.sku.clone(), o.channel.clone())).or_insert(0);
            *n = n.saturating_add(l.qty);
        }
    }
    out
}

/// Units per day per SKU over all channels.
pub fn sku_velocity(velocity: &BTreeMap<(Sku, ChannelId), Velocity>) -> BTreeMap<Sku, Decimal> {
    let mut per_sku: BTreeMap<Sku, Decimal> = BTreeMap::new();
    for ((sku, _), v) in velocity {
        *per_sku.entry(sku.clone()).or_default() += v.per_day;
    }
    per_sku
}

/// Evaluate the inventory surface at `now`. `contribution` feeds the
/// contribution policy; `out_of_stock` comes from the stored history.
pub fn evaluate(
    snapshot: &Snapshot,
    rules: &Rules,
    contribution: &BTreeMap<(Sku, ChannelId), Money>,
    out_of_stock: &BTreeSet<(Sku, Date)>,
    now: Timestamp,
) -> InventoryRead {
    let settings = &rules.inventory;
    let view = stock_view(snapshot, rules, settings.disagreement_tolerance);
    let sellable = Sellable::new(rules, view.positions());
    let window = Window { now, days: settings.velocity_window_days, time_zone: &rules.brand.time_zone, out_of_stock };
    let velocity = velocities(snapshot.orders.iter().map(|o| &o.value), &window);
    let per_channel: BTreeMap<(Sku, ChannelId), Decimal> =
        velocity.iter().map(|(k, v)| (k.clone(), v.per_day)).collect();
    let open = wholesale_open(snapshot, rules);
    let plan = plan(&PlanInput {
        rules,
        sellable: &sellable,
        velocity: &per_channel,
        poll_hours: &settings.poll_hours,
        contribution,
        wholesale_open: &open,
        scarcity_days: settings.scarcity_cover_days,
        policy: settings.scarcity_policy,
    });
    let positions: Vec<_> = view.positions().collect();
    let transfers = fba_inbound::suggest(&InboundInput {
        rules,
        sellable: &sellable,
        positions: &positions,
        plan: &plan,
        velocity: &per_channel,
        target_cover_days: settings.fba_target_cover_days,
    });
    let per_sku = sku_velocity(&velocity);
    let pos: Vec<_> = snapshot.purchase_orders.iter().map(|p| &p.value).collect();
    let reorders = replenish::suggest(&ReplenishInput {
        rules,
        sellable: &sellable,
        positions: &positions,
        purchase_orders: &pos,
        velocity: &per_sku,
        safety_days: settings.safety_days,
    });
    InventoryRead { view, sellable, velocity, plan, transfers, reorders }
}
