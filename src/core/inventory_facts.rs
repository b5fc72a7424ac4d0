//! The snapshot's inventory facts grouped by SKU, so that each SKU can be
//! planned from its own facts alone and one order event touches one group.
//!
//! Facts that cannot be planned are flagged here with their source: stock
//! of an unknown SKU or at an unknown location, a sale of a SKU the catalog
//! does not know, and counts too large to be real.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use jiff::Timestamp;

use super::ids::{ChannelId, Sku, SourceId};
use super::orders::{Order, OrderStatus, PoStatus, PurchaseOrder};
use super::rules::Rules;
use super::snapshot::{Snapshot, SourceStatus, Sourced};
use super::stock::StockPosition;
use super::stock_view::StockFlag;

/// A count above this on one shelf or one order line is taken as corrupt
/// (a unit mix-up or an overflowed field), not as stock or demand: no brand
/// this cockpit serves holds a million units of one SKU in one place.
pub const ABSURD_UNITS: u32 = 1_000_000;

/// One order line of a SKU, as velocity and wholesale commitments need it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sale<'a> {
    pub channel: &'a ChannelId,
    pub order: &'a str,
    pub placed_at: Timestamp,
    pub status: OrderStatus,
    pub qty: u32,
}

/// Everything the snapshot says about one SKU.
#[derive(Debug, Clone, Default)]
pub struct SkuFacts<'a> {
    pub stock: Vec<&'a Sourced<StockPosition>>,
    pub sales: Vec<Sale<'a>>,
    pub purchase_orders: Vec<&'a PurchaseOrder>,
}

/// The snapshot regrouped by SKU. Lookups only, so a hash map: the plan
/// walks the catalog in order and asks for each SKU's group.
#[derive(Debug, Clone)]
pub struct Facts<'a> {
    by_sku: HashMap<&'a Sku, SkuFacts<'a>>,
    /// The SKUs each order (channel, id) was last seen with, so a later
    /// state of the order can take back what an earlier one recorded.
    order_skus: HashMap<(&'a ChannelId, &'a str), Vec<&'a Sku>>,
    pub sources: &'a BTreeMap<SourceId, SourceStatus>,
    pub flags: BTreeSet<StockFlag>,
}

impl<'a> Facts<'a> {
    pub fn new(snapshot: &'a Snapshot, rules: &Rules) -> Self {
        let mut facts = Facts {
            by_sku: HashMap::new(),
            order_skus: HashMap::new(),
            sources: &snapshot.sources,
            flags: BTreeSet::new(),
        };
        for s in &snapshot.stock {
            facts.add_stock(rules, s);
        }
        for o in &snapshot.orders {
            facts.add_order(rules, &o.source, &o.value);
        }
        let open = snapshot.purchase_orders.iter().map(|p| &p.value).filter(|p| p.status == PoStatus::Open);
        for po in open.filter(|p| rules.catalog.contains(p.sku.as_str())) {
            facts.by_sku.entry(&po.sku).or_default().purchase_orders.push(po);
        }
        facts
    }

    /// A SKU's facts; empty when the snapshot says nothing about it.
    pub fn sku(&self, sku: &Sku) -> SkuFacts<'a> {
        self.by_sku.get(sku).cloned().unwrap_or_default()
    }

    fn add_stock(&mut self, rules: &Rules, s: &'a Sourced<StockPosition>) {
        let p = &s.value;
        let source = s.source.clone();
        if !rules.catalog.contains(p.sku.as_str()) {
            self.flags.insert(StockFlag::UnknownSku { source, sku: p.sku.clone() });
        } else if !rules.locations.contains_key(&p.location) {
            self.flags.insert(StockFlag::UnknownLocation { source, location: p.location.clone() });
        } else if let Some(count) = [p.on_hand, p.committed, p.reserved, p.inbound_total()].into_iter().max() {
            if count > ABSURD_UNITS {
                let place = format!("{} at {}", p.sku, p.location);
                self.flags.insert(StockFlag::AbsurdCount { source, place, count });
            } else {
                self.by_sku.entry(&p.sku).or_default().stock.push(s);
            }
        }
    }

    /// Record an order (new, or a later state of one already seen: same
    /// channel and id) and return the catalog SKUs whose facts changed.
    pub fn add_order(&mut self, rules: &Rules, source: &SourceId, o: &'a Order) -> BTreeSet<Sku> {
        let mut touched = BTreeSet::new();
        let key = (&o.channel, o.id.as_str());
        for sku in self.order_skus.remove(&key).unwrap_or_default() {
            if let Some(f) = self.by_sku.get_mut(sku) {
                f.sales.retain(|s| !(s.channel == &o.channel && s.order == o.id));
            }
            touched.insert(sku.clone());
        }
        let mut skus = Vec::new();
        for l in &o.lines {
            if !rules.catalog.contains(l.sku.as_str()) {
                let flag = StockFlag::UnknownSoldSku {
                    source: source.clone(),
                    channel: o.channel.clone(),
                    sku: l.sku.clone(),
                };
                self.flags.insert(flag);
                continue;
            }
            if l.qty > ABSURD_UNITS {
                let place = format!("order {} line {}", o.id, l.sku);
                self.flags.insert(StockFlag::AbsurdCount { source: source.clone(), place, count: l.qty });
                continue;
            }
            let sale = Sale { channel: &o.channel, order: &o.id, placed_at: o.placed_at, status: o.status, qty: l.qty };
            self.by_sku.entry(&l.sku).or_default().sales.push(sale);
            skus.push(&l.sku);
            touched.insert(l.sku.clone());
        }
        if !skus.is_empty() {
            self.order_skus.insert(key, skus);
        }
        touched
    }
}
