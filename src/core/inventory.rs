//! The inventory read: trusted stock, velocity, the allocation plan, FBA
//! transfers and reorders, evaluated together from one snapshot.
//!
//! Every number depends only on its own SKU's facts, except a kit's, which
//! depend on the SKUs it is made of. So the read is built SKU by SKU, and
//! after an event only the SKUs it touched (and the kits holding them) are
//! planned again and spliced into the existing read ([`Planner::replan`]),
//! which gives the same read as planning everything again.

use std::collections::{BTreeMap, BTreeSet};

use jiff::Timestamp;
use jiff::civil::Date;
use rust_decimal::Decimal;

use super::allocation::{Plan, PlanInput, PlanLine, Scarcity, kit_lines, plan_sku};
use super::fba_inbound::{self, InboundInput, Transfer};
use super::ids::{ChannelId, Sku};
use super::inventory_facts::Facts;
use super::inventory_merge::{SkuRead, assemble, splice};
use super::kits::KitGraph;
use super::money::Money;
use super::orders::OrderStatus;
use super::pools::{Sellable, shelf_units};
use super::replenish::{self, PoSuggestion, ReplenishInput};
use super::rules::Rules;
use super::snapshot::Snapshot;
use super::stock_view::{StockFlag, StockView, shelves};
use super::velocity::{Velocity, Window, sku_velocities};

/// Everything the inventory surface shows. Every list is in SKU order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct InventoryRead {
    pub view: StockView,
    pub sellable: Sellable,
    pub velocity: BTreeMap<(Sku, ChannelId), Velocity>,
    pub plan: Plan,
    pub transfers: Vec<Transfer>,
    pub reorders: Vec<PoSuggestion>,
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
    Planner::new(rules, contribution, out_of_stock, now).plan(&Facts::new(snapshot, rules))
}

/// What stays fixed while SKUs are planned: the rules, the velocity window
/// and the shape of the kits.
pub struct Planner<'a> {
    rules: &'a Rules,
    contribution: &'a BTreeMap<(Sku, ChannelId), Money>,
    window: Window<'a>,
    dates: BTreeSet<Date>,
    kits: KitGraph,
}

/// The SKUs being planned: plain SKUs in order, then kits, components first.
struct Batch<'s> {
    bases: Vec<&'s Sku>,
    kits: Vec<&'s Sku>,
}

impl<'a> Planner<'a> {
    pub fn new(
        rules: &'a Rules,
        contribution: &'a BTreeMap<(Sku, ChannelId), Money>,
        out_of_stock: &'a BTreeSet<(Sku, Date)>,
        now: Timestamp,
    ) -> Self {
        let days = rules.inventory.velocity_window_days;
        let window = Window { now, days, time_zone: &rules.brand.time_zone, out_of_stock };
        Planner { rules, contribution, dates: window.dates(), window, kits: KitGraph::new(&rules.catalog) }
    }

    /// The whole read.
    pub fn plan(&self, facts: &Facts<'_>) -> InventoryRead {
        let bases = self.rules.catalog.iter().filter(|i| !i.is_kit()).map(|i| &i.sku).collect();
        let batch = Batch { bases, kits: self.kits.order().iter().collect() };
        let mut read = InventoryRead::default();
        let fresh = self.run(&mut read, facts, &batch, true);
        assemble(&mut read, fresh);
        self.finish_flags(&mut read, facts);
        read
    }

    /// Plan `changed` again, with every kit that holds one of them, and
    /// splice the result into `read`, which `facts` (before the change) and
    /// this planner produced.
    pub fn replan(&self, read: &mut InventoryRead, facts: &Facts<'_>, changed: &BTreeSet<Sku>) {
        let reach = self.kits.reach(changed);
        let in_catalog = |s: &&Sku| self.rules.catalog.get(s.as_str()).is_some_and(|i| !i.is_kit());
        let bases = reach.iter().filter(in_catalog).collect();
        let kits = self.kits.order().iter().filter(|k| reach.contains(*k)).collect();
        let fresh = self.run(read, facts, &Batch { bases, kits }, false);
        let kits: BTreeSet<&Sku> = fresh.kits.keys().collect();
        read.view.flags.retain(|f| !matches!(f, StockFlag::KitComponentMissing { kit, .. } if kits.contains(kit)));
        splice(read, fresh, self.rules);
        self.finish_flags(read, facts);
    }

    fn finish_flags(&self, read: &mut InventoryRead, facts: &Facts<'_>) {
        read.view.flags.extend(facts.flags.iter().cloned());
        read.view.flags.extend(super::stock_view::unserved_locations(self.rules));
    }

    /// Plan a batch in dependency order, updating `read.sellable` as it
    /// goes; the other parts of `read` are only looked up.
    fn run(&self, read: &mut InventoryRead, facts: &Facts<'_>, batch: &Batch<'_>, whole: bool) -> Fresh {
        let mut bases: Vec<SkuRead> = batch.bases.iter().map(|s| self.shelves(facts, s)).collect();
        if whole {
            read.sellable = Sellable::from_sorted(bases.iter().map(|b| (b.sku.clone(), b.units.clone())));
        } else {
            for b in &bases {
                read.sellable.set(b.sku.clone(), b.units.clone());
            }
        }
        for kit in &batch.kits {
            let units = read.sellable.kit_units(self.rules, kit);
            read.sellable.set((*kit).clone(), units);
        }
        for b in &mut bases {
            self.plan_base(b, facts, &read.sellable);
        }
        let mut fresh = Fresh { bases, kits: BTreeMap::new() };
        for kit in &batch.kits {
            let k = self.plan_kit(kit, facts, read, &fresh);
            fresh.kits.insert((*kit).clone(), k);
        }
        fresh
    }

    fn shelves(&self, facts: &Facts<'_>, sku: &Sku) -> SkuRead {
        let f = facts.sku(sku);
        let tolerance = self.rules.inventory.disagreement_tolerance;
        let (trusted, disagreements) = shelves(&f.stock, self.rules, facts.sources, tolerance);
        let units = shelf_units(self.rules, trusted.iter().map(|(_, p)| &p.value));
        SkuRead { trusted, disagreements, units, ..SkuRead::new(sku.clone()) }
    }

    fn plan_input<'i>(
        &'i self,
        sellable: &'i Sellable,
        velocity: &'i BTreeMap<(Sku, ChannelId), Decimal>,
        open: &'i BTreeMap<(Sku, ChannelId), u32>,
    ) -> PlanInput<'i> {
        let settings = &self.rules.inventory;
        PlanInput {
            rules: self.rules,
            sellable,
            velocity,
            poll_hours: &settings.poll_hours,
            contribution: self.contribution,
            wholesale_open: open,
            scarcity_days: settings.scarcity_cover_days,
            policy: settings.scarcity_policy,
        }
    }

    fn plan_base(&self, b: &mut SkuRead, facts: &Facts<'_>, sellable: &Sellable) {
        let f = facts.sku(&b.sku);
        b.velocity = sku_velocities(&b.sku, &f.sales, &self.window, &self.dates);
        let per_channel: BTreeMap<ChannelId, Decimal> =
            b.velocity.iter().map(|(c, v)| (c.clone(), v.per_day)).collect();
        let keyed = per_channel.iter().map(|(c, v)| ((b.sku.clone(), c.clone()), *v)).collect();
        let open = wholesale_open(self.rules, &b.sku, &f.sales);
        let (lines, scarce) = plan_sku(&self.plan_input(sellable, &keyed, &open), &b.sku);
        let positions: Vec<_> = b.trusted.iter().map(|(_, p)| &p.value).collect();
        let settings = &self.rules.inventory;
        b.transfers = fba_inbound::suggest(&InboundInput {
            rules: self.rules,
            sellable,
            sku: &b.sku,
            positions: &positions,
            lines: &lines,
            scarce: scarce.is_some(),
            velocity: &per_channel,
            target_cover_days: settings.fba_target_cover_days,
        });
        let item = self.rules.catalog.get(b.sku.as_str());
        b.reorder = item.and_then(|item| {
            let input = ReplenishInput {
                rules: self.rules,
                sellable,
                positions: &positions,
                purchase_orders: &f.purchase_orders,
                velocity: per_channel.values().copied().sum(),
                safety_days: settings.safety_days,
            };
            replenish::suggest(&input, item)
        });
        (b.lines, b.scarce) = (lines, scarce);
    }

    fn plan_kit(&self, kit: &Sku, facts: &Facts<'_>, read: &InventoryRead, fresh: &Fresh) -> SkuRead {
        let f = facts.sku(kit);
        let velocity = sku_velocities(kit, &f.sales, &self.window, &self.dates);
        let keyed = velocity.iter().map(|(c, v)| ((kit.clone(), c.clone()), v.per_day)).collect();
        let open = BTreeMap::new();
        let input = self.plan_input(&read.sellable, &keyed, &open);
        let fenced =
            self.kits.leaves(kit).any(|s| fresh.get(s).map_or_else(|| is_scarce(read, s), |r| r.scarce.is_some()));
        let planned = |sku: &Sku, c: &ChannelId| {
            let lines = fresh.get(sku).map_or_else(|| lines_of(&read.plan.lines, sku), |r| &r.lines[..]);
            lines.iter().find(|l| &l.channel == c).map_or(0, |l| l.qty)
        };
        let lines = kit_lines(&input, kit, fenced, planned);
        let reported = |c: &Sku| {
            fresh.get(c).map_or_else(
                || self.rules.locations.keys().any(|l| read.view.trusted.contains_key(&(c.clone(), l.clone()))),
                |r| !r.trusted.is_empty(),
            )
        };
        let components = self.rules.catalog.get(kit.as_str()).map_or(&[][..], |k| &k.components[..]);
        let is_kit = |s: &Sku| self.rules.catalog.get(s.as_str()).is_some_and(super::catalog::CatalogItem::is_kit);
        let flags = components
            .iter()
            .filter(|c| !is_kit(&c.sku) && !reported(&c.sku))
            .map(|c| StockFlag::KitComponentMissing { kit: kit.clone(), component: c.sku.clone() })
            .collect();
        SkuRead { velocity, lines, flags, ..SkuRead::new(kit.clone()) }
    }
}

/// Open wholesale order units of a SKU per channel, which the plan serves
/// first in scarcity. The assumption, documented in docs/inventory.md: a
/// wholesale platform's open orders are not yet in the warehouse's
/// committed count.
fn wholesale_open(
    rules: &Rules,
    sku: &Sku,
    sales: &[super::inventory_facts::Sale<'_>],
) -> BTreeMap<(Sku, ChannelId), u32> {
    let mut out: BTreeMap<(Sku, ChannelId), u32> = BTreeMap::new();
    let open = sales.iter().filter(|s| s.status == OrderStatus::Open);
    for s in open.filter(|s| rules.channels.get(s.channel).is_some_and(|c| c.wholesale)) {
        let n = out.entry((sku.clone(), s.channel.clone())).or_insert(0);
        *n = n.saturating_add(s.qty);
    }
    out
}

/// The SKUs planned in one batch.
pub(super) struct Fresh {
    /// Plain SKUs, in SKU order.
    pub bases: Vec<SkuRead>,
    pub kits: BTreeMap<Sku, SkuRead>,
}

impl Fresh {
    fn get(&self, sku: &Sku) -> Option<&SkuRead> {
        match self.bases.binary_search_by(|b| b.sku.cmp(sku)) {
            Ok(i) => self.bases.get(i),
            Err(_) => self.kits.get(sku),
        }
    }
}

/// A SKU's lines in a plan kept in SKU order.
pub(super) fn lines_of<'p>(lines: &'p [PlanLine], sku: &Sku) -> &'p [PlanLine] {
    let start = lines.partition_point(|l| &l.sku < sku);
    let end = start + lines[start..].partition_point(|l| &l.sku == sku);
    &lines[start..end]
}

fn is_scarce(read: &InventoryRead, sku: &Sku) -> bool {
    read.plan.scarce.binary_search_by(|s: &Scarcity| s.sku.cmp(sku)).is_ok()
}
