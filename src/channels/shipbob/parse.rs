// Vendor names such as ShipBob are proper nouns in prose, not code items.
#![allow(clippy::doc_markdown)]
//! ShipBob 1.0 payloads (api-notes §3) and their mapping to stock positions.
//!
//! The 1.0 inventory item carries no SKU: the SKU is the product's
//! `reference_id`, and each product lists the inventory items it ships as.

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::core::ids::{LocationId, Sku, SourceId};
use crate::core::snapshot::SourceIssue;
use crate::core::stock::{Inbound, StockPosition};
use crate::core::text::clean;

#[derive(Debug, Clone, Deserialize)]
pub(super) struct FulfillmentCenter {
    pub id: i64,
}

#[derive(Debug, Clone, Deserialize)]
pub(super) struct ProductItem {
    pub id: i64,
}

#[derive(Debug, Clone, Deserialize)]
pub(super) struct Product {
    pub id: i64,
    #[serde(default)]
    pub reference_id: Option<String>,
    #[serde(default)]
    pub fulfillable_inventory_items: Vec<ProductItem>,
}

/// One fulfilment centre's counts for one inventory item. Quantities are
/// signed here so a negative count becomes an issue instead of a parse error.
#[derive(Debug, Clone, Deserialize)]
pub(super) struct CenterCounts {
    pub id: i64,
    #[serde(default)]
    pub onhand_quantity: i64,
    #[serde(default)]
    pub committed_quantity: i64,
    #[serde(default)]
    pub awaiting_quantity: i64,
    #[serde(default)]
    pub internal_transfer_quantity: i64,
    /// Not in the 1.0 model per centre; read when present.
    #[serde(default)]
    pub exception_quantity: Option<i64>,
}

#[derive(Debug, Clone, Deserialize)]
pub(super) struct InventoryItem {
    pub id: i64,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub total_exception_quantity: i64,
    #[serde(default)]
    pub fulfillable_quantity_by_fulfillment_center: Vec<CenterCounts>,
}

/// Turns inventory items into positions, collecting what it cannot use.
pub(super) struct Mapper<'a> {
    pub source_id: SourceId,
    /// Fulfilment-centre id (as text) → location, from `location_map`.
    pub location_map: &'a BTreeMap<String, String>,
    /// Where centres missing from the map are counted.
    pub location: Option<&'a str>,
    /// Inventory item id → SKU, from the products.
    pub skus: BTreeMap<i64, String>,
    pub issues: Vec<SourceIssue>,
}

fn count(n: i64) -> Option<u32> {
    u32::try_from(n).ok()
}

impl Mapper<'_> {
    /// Records which SKU each inventory item is; the first product wins when
    /// two claim the same item (bundles list their components' items).
    pub fn learn(&mut self, products: &[Product]) {
        for p in products {
            let Some(sku) = p.reference_id.as_deref().map(|s| clean(s.trim()).into_owned()).filter(|s| !s.is_empty())
            else {
                self.issue(format!("product {}", p.id), "has no reference_id (SKU)".to_owned());
                continue;
            };
            for item in &p.fulfillable_inventory_items {
                self.skus.entry(item.id).or_insert_with(|| sku.clone());
            }
        }
    }

    fn issue(&mut self, place: String, message: String) {
        self.issues.push(SourceIssue { place, message });
    }

    fn location_of(&mut self, center: i64) -> Option<LocationId> {
        let mapped = self.location_map.get(&center.to_string()).map(String::as_str).or(self.location);
        let found = mapped.and_then(|l| LocationId::new(l).ok());
        if found.is_none() {
            self.issue(
                format!("fulfillment center {center}"),
                "maps to no location (add it to location_map or set location)".to_owned(),
            );
        }
        found
    }

    /// Positions per (SKU, location); centres mapped to one location add up.
    pub fn stock(&mut self, items: &[InventoryItem]) -> Vec<StockPosition> {
        let mut merged: BTreeMap<(Sku, LocationId), StockPosition> = BTreeMap::new();
        for item in items {
            let place = format!("inventory item {}", item.id);
            let Some(sku) = self.skus.get(&item.id).and_then(|s| Sku::new(s.as_str()).ok()) else {
                let name = clean(&item.name).into_owned();
                self.issue(place, format!("{name:?} belongs to no product with a SKU"));
                continue;
            };
            for (center, exception) in with_exceptions(item) {
                let Some(location) = self.location_of(center.id) else { continue };
                let Some(pos) = position(&sku, &location, center, exception) else {
                    self.issue(place.clone(), format!("negative count at fulfillment center {}", center.id));
                    continue;
                };
                merged.entry((sku.clone(), location)).and_modify(|m| add(m, &pos)).or_insert(pos);
            }
        }
        merged.into_values().collect()
    }
}

fn position(sku: &Sku, location: &LocationId, c: &CenterCounts, exception: i64) -> Option<StockPosition> {
    let onhand = count(c.onhand_quantity)?;
    let exception = count(exception)?;
    let awaiting = count(c.awaiting_quantity)?;
    Some(StockPosition {
        sku: sku.clone(),
        location: location.clone(),
        // Exception units sit in on-hand but cannot ship (sellable =
        // fulfillable − exception), so they move to `unfulfillable`.
        on_hand: onhand.saturating_sub(exception),
        committed: count(c.committed_quantity)?,
        // Units moving between centres are held, not sellable here yet.
        reserved: count(c.internal_transfer_quantity)?,
        unfulfillable: exception,
        // Awaiting = receiving orders not yet put away; ShipBob gives no ETA here.
        inbound: Inbound::undated(awaiting),
    })
}

/// Each centre with its exception count. 1.0 reports exceptions only in
/// total; without a per-centre figure the total goes to the centre with the
/// most on hand, so the item's totals stay exact.
fn with_exceptions(item: &InventoryItem) -> Vec<(&CenterCounts, i64)> {
    let centers = &item.fulfillable_quantity_by_fulfillment_center;
    if centers.iter().any(|c| c.exception_quantity.is_some()) {
        return centers.iter().map(|c| (c, c.exception_quantity.unwrap_or(0))).collect();
    }
    let biggest = centers.iter().enumerate().max_by_key(|(i, c)| (c.onhand_quantity, std::cmp::Reverse(*i)));
    let biggest = biggest.map(|(i, _)| i);
    centers
        .iter()
        .enumerate()
        .map(|(i, c)| (c, if Some(i) == biggest { item.total_exception_quantity } else { 0 }))
        .collect()
}

fn add(into: &mut StockPosition, more: &StockPosition) {
    into.on_hand = into.on_hand.saturating_add(more.on_hand);
    into.committed = into.committed.saturating_add(more.committed);
    into.reserved = into.reserved.saturating_add(more.reserved);
    into.unfulfillable = into.unfulfillable.saturating_add(more.unfulfillable);
    into.inbound.extend(more.inbound.iter().cloned());
}
