//! Sellable stock and routing: which locations' units may back which
//! channel's number.

use std::collections::BTreeMap;

use super::channel::{Channel, Fulfilment};
use super::ids::{LocationId, Sku};
use super::location::{Location, LocationKind};
use super::rules::Rules;
use super::stock::StockPosition;

/// May `location`'s stock back `channel`'s offers?
///
/// The location must list the channel, and FBA is special both ways: FBA
/// offers ship only from FBA, and FBA stock backs another channel only
/// through Multi-Channel Fulfilment.
pub fn eligible(location: &Location, channel: &Channel) -> bool {
    if !location.serves.contains(&channel.id) {
        return false;
    }
    match (location.kind == LocationKind::Fba, channel.fulfilment == Fulfilment::Fba) {
        (true, true) | (false, false) => true,
        (true, false) => channel.multi_channel_fulfilment,
        (false, true) => false,
    }
}

/// Sellable units per SKU and location, after each location's safety stock.
/// Kits are computed from their components at the same location, since a
/// kit is assembled from one shelf.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Sellable {
    units: BTreeMap<Sku, BTreeMap<LocationId, u32>>,
}

impl Sellable {
    /// `positions` holds one trusted position per (SKU, location).
    pub fn new<'a>(rules: &Rules, positions: impl IntoIterator<Item = &'a StockPosition>) -> Self {
        let mut units: BTreeMap<Sku, BTreeMap<LocationId, u32>> = BTreeMap::new();
        for p in positions {
            let safety = rules.locations.get(&p.location).map_or(0, |l| l.safety_stock);
            units.entry(p.sku.clone()).or_default().insert(p.location.clone(), p.sellable(safety));
        }
        let mut s = Sellable { units };
        s.add_kits(rules);
        s
    }

    fn add_kits(&mut self, rules: &Rules) {
        for kit in rules.catalog.iter().filter(|i| i.is_kit()) {
            for loc in rules.locations.keys() {
                let n = kit.components.iter().map(|c| self.at(&c.sku, loc) / c.qty.get()).min().unwrap_or(0);
                self.units.entry(kit.sku.clone()).or_default().insert(loc.clone(), n);
            }
        }
    }

    pub fn at(&self, sku: &Sku, location: &LocationId) -> u32 {
        self.units.get(sku).and_then(|m| m.get(location)).copied().unwrap_or(0)
    }

    /// All sellable units of a SKU across locations.
    pub fn total(&self, sku: &Sku) -> u32 {
        self.units.get(sku).map_or(0, |m| m.values().fold(0u32, |acc, n| acc.saturating_add(*n)))
    }

    /// Sellable units of a SKU at the locations eligible for a channel.
    pub fn pool(&self, rules: &Rules, sku: &Sku, channel: &Channel) -> u32 {
        rules
            .locations
            .values()
            .filter(|l| eligible(l, channel))
            .fold(0u32, |acc, l| acc.saturating_add(self.at(sku, &l.id)))
    }
}
