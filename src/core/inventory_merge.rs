//! Putting per-SKU results into the flat, SKU-ordered inventory read:
//! all at once for a whole plan, or one SKU at a time over an existing read
//! after a replan, touching only that SKU's entries.

use std::collections::BTreeMap;
use std::ops::Range;

use super::allocation::{PlanLine, Scarcity};
use super::fba_inbound::Transfer;
use super::ids::{ChannelId, LocationId, Sku, SupplierId};
use super::inventory::{Fresh, InventoryRead};
use super::replenish::{PoSuggestion, ReorderLine, group};
use super::rules::Rules;
use super::snapshot::Sourced;
use super::stock::StockPosition;
use super::stock_view::{Disagreement, StockFlag};
use super::velocity::Velocity;

/// Everything planned for one SKU.
#[derive(Debug, Clone)]
pub(super) struct SkuRead {
    pub sku: Sku,
    pub trusted: Vec<(LocationId, Sourced<StockPosition>)>,
    pub disagreements: Vec<Disagreement>,
    pub units: BTreeMap<LocationId, u32>,
    pub velocity: BTreeMap<ChannelId, Velocity>,
    pub lines: Vec<PlanLine>,
    pub scarce: Option<Scarcity>,
    pub transfers: Vec<Transfer>,
    pub reorder: Option<(SupplierId, ReorderLine)>,
    pub flags: Vec<StockFlag>,
}

impl SkuRead {
    pub fn new(sku: Sku) -> Self {
        SkuRead {
            sku,
            trusted: Vec::new(),
            disagreements: Vec::new(),
            units: BTreeMap::new(),
            velocity: BTreeMap::new(),
            lines: Vec::new(),
            scarce: None,
            transfers: Vec::new(),
            reorder: None,
            flags: Vec::new(),
        }
    }
}

/// Fill an empty read (whose sellable is already set) from a whole plan.
pub(super) fn assemble(read: &mut InventoryRead, fresh: Fresh) {
    let mut all = fresh.bases;
    all.extend(fresh.kits.into_values());
    // Two sorted runs: the sort only merges them.
    all.sort_by(|a, b| a.sku.cmp(&b.sku));
    let mut trusted = Vec::new();
    let mut velocity = Vec::new();
    let mut reorders = Vec::new();
    for r in all {
        trusted.extend(r.trusted.into_iter().map(|(l, p)| ((r.sku.clone(), l), p)));
        velocity.extend(r.velocity.into_iter().map(|(c, v)| ((r.sku.clone(), c), v)));
        read.view.disagreements.extend(r.disagreements);
        read.view.flags.extend(r.flags);
        read.plan.lines.extend(r.lines);
        read.plan.scarce.extend(r.scarce);
        read.transfers.extend(r.transfers);
        reorders.extend(r.reorder);
    }
    read.view.trusted = trusted.into_iter().collect();
    read.velocity = velocity.into_iter().collect();
    read.reorders = group(reorders);
}

/// The range of a SKU's entries in a list kept in SKU order.
fn range_of<T>(items: &[T], sku: &Sku, key: impl Fn(&T) -> &Sku) -> Range<usize> {
    let start = items.partition_point(|t| key(t) < sku);
    start..start + items[start..].partition_point(|t| key(t) == sku)
}

fn replace<T>(items: &mut Vec<T>, sku: &Sku, key: impl Fn(&T) -> &Sku, new: impl IntoIterator<Item = T>) {
    let range = range_of(items, sku, key);
    items.splice(range, new);
}

/// Replace each planned SKU's entries in `read`; the sellable units are
/// already in place.
pub(super) fn splice(read: &mut InventoryRead, fresh: Fresh, rules: &Rules) {
    for r in fresh.bases.into_iter().chain(fresh.kits.into_values()) {
        let sku = &r.sku;
        for l in rules.locations.keys() {
            read.view.trusted.remove(&(sku.clone(), l.clone()));
        }
        read.view.trusted.extend(r.trusted.into_iter().map(|(l, p)| ((sku.clone(), l), p)));
        replace(&mut read.view.disagreements, sku, |d| &d.sku, r.disagreements);
        read.view.flags.extend(r.flags);
        remove_velocity(&mut read.velocity, sku);
        read.velocity.extend(r.velocity.into_iter().map(|(c, v)| ((sku.clone(), c), v)));
        replace(&mut read.plan.lines, sku, |l| &l.sku, r.lines);
        replace(&mut read.plan.scarce, sku, |s| &s.sku, r.scarce);
        replace(&mut read.transfers, sku, |t| &t.sku, r.transfers);
        let supplier = rules.catalog.get(sku.as_str()).and_then(|i| i.supplier.clone());
        if let Some(supplier) = supplier {
            splice_reorder(&mut read.reorders, supplier, sku, r.reorder.map(|(_, l)| l));
        }
    }
}

/// Drop a SKU's velocities. "0" is the smallest valid channel id (ids
/// start with a lowercase letter or digit), so the SKU's keys start there.
fn remove_velocity(velocity: &mut BTreeMap<(Sku, ChannelId), Velocity>, sku: &Sku) {
    let keys: Vec<(Sku, ChannelId)> = match ChannelId::new("0") {
        Ok(lowest) => {
            velocity.range((sku.clone(), lowest)..).map(|(k, _)| k).take_while(|(s, _)| s == sku).cloned().collect()
        }
        Err(_) => velocity.keys().filter(|(s, _)| s == sku).cloned().collect(),
    };
    for k in keys {
        velocity.remove(&k);
    }
}

fn splice_reorder(reorders: &mut Vec<PoSuggestion>, supplier: SupplierId, sku: &Sku, line: Option<ReorderLine>) {
    let at = reorders.binary_search_by(|p| p.supplier.cmp(&supplier));
    let i = match (at, &line) {
        (Ok(i), _) => i,
        (Err(_), None) => return,
        (Err(i), Some(_)) => {
            reorders.insert(i, PoSuggestion { supplier, lines: Vec::new() });
            i
        }
    };
    replace(&mut reorders[i].lines, sku, |l| &l.sku, line);
    if reorders[i].lines.is_empty() {
        reorders.remove(i);
    }
}
