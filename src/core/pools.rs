//! Sellable stock and routing: which locations' units may back which
//! channel's number.

use std::collections::BTreeMap;

use super::channel::{Channel, Fulfilment};
use super::ids::{LocationId, Sku};
use super::kits::KitGraph;
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
/// kit is assembled from one shelf; a kit's component may itself be a kit.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Sellable {
    units: BTreeMap<Sku, BTreeMap<LocationId, u32>>,
}

/// One SKU's sellable units per location from its trusted positions.
pub fn shelf_units<'a>(
    rules: &Rules,
    positions: impl IntoIterator<Item = &'a StockPosition>,
) -> BTreeMap<LocationId, u32> {
    positions
        .into_iter()
        .map(|p| {
            let safety = rules.locations.get(&p.location).map_or(0, |l| l.safety_stock);
            (p.location.clone(), p.sellable(safety))
        })
        .collect()
}

impl Sellable {
    /// `positions` holds one trusted position per (SKU, location).
    pub fn new<'a>(rules: &Rules, positions: impl IntoIterator<Item = &'a StockPosition>) -> Self {
        let mut by_sku: BTreeMap<&Sku, Vec<&StockPosition>> = BTreeMap::new();
        for p in positions {
            by_sku.entry(&p.sku).or_default().push(p);
        }
        let units = by_sku.into_iter().map(|(sku, ps)| (sku.clone(), shelf_units(rules, ps))).collect();
        let mut s = Sellable { units };
        for kit in KitGraph::new(&rules.catalog).order() {
            let n = s.kit_units(rules, kit);
            s.set(kit.clone(), n);
        }
        s
    }

    /// Built from per-SKU units already in SKU order; as with [`Self::set`],
    /// a SKU with no units has no entry.
    pub fn from_sorted(units: impl IntoIterator<Item = (Sku, BTreeMap<LocationId, u32>)>) -> Self {
        Sellable { units: units.into_iter().filter(|(_, u)| !u.is_empty()).collect() }
    }

    /// What a kit's components allow at each location; component kits must
    /// already be set.
    pub fn kit_units(&self, rules: &Rules, kit: &Sku) -> BTreeMap<LocationId, u32> {
        let components = rules.catalog.get(kit.as_str()).map_or(&[][..], |k| &k.components[..]);
        rules
            .locations
            .keys()
            .map(|loc| {
                let n = components.iter().map(|c| self.at(&c.sku, loc) / c.qty.get()).min().unwrap_or(0);
                (loc.clone(), n)
            })
            .collect()
    }

    /// Replace one SKU's units; an empty map removes the SKU.
    pub fn set(&mut self, sku: Sku, units: BTreeMap<LocationId, u32>) {
        if units.is_empty() {
            self.units.remove(&sku);
        } else {
            self.units.insert(sku, units);
        }
    }

    pub fn units(&self, sku: &Sku) -> Option<&BTreeMap<LocationId, u32>> {
        self.units.get(sku)
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
