// Vendor names such as ShipBob are proper nouns in prose, not code items.
#![allow(clippy::doc_markdown)]
//! What the imitation ShipBob account holds, derived from the shared demo
//! world so the demo tells one story: on-hand counts are exactly
//! `World::threepl_on_hand`, which Shopify's ShipBob level trails by
//! `SHIPBOB_DRIFT`.

use serde_json::{Value, json};

use crate::sandbox::world::World;

/// The centre that holds the demo stock (ShipBob's own example id).
pub const MORENO_VALLEY: i64 = 228;
/// A second centre ShipBob lists, holding nothing in the demo.
pub const CICERO: i64 = 10;

/// One inventory item: the 3PL's counts at Moreno Valley.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShipbobItem {
    pub inventory_id: i64,
    pub product_id: i64,
    pub sku: String,
    pub name: String,
    pub on_hand: i64,
    pub committed: i64,
    pub awaiting: i64,
    pub exception: i64,
    pub internal_transfer: i64,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ShipbobWorld {
    pub items: Vec<ShipbobItem>,
}

impl ShipbobWorld {
    /// Every SKU the 3PL stocks, in the world's product order.
    #[must_use]
    pub fn from_world(world: &World) -> Self {
        let variants = world.products.iter().flat_map(|p| p.variants.iter().map(move |v| (p, v)));
        let items = variants
            .filter_map(|(p, v)| world.threepl_on_hand.get(&v.sku).map(|on_hand| (p, v, *on_hand)))
            .enumerate()
            .map(|(i, (p, v, on_hand))| {
                let i = i64::try_from(i).unwrap_or(0);
                ShipbobItem {
                    inventory_id: 3_845_231 + i,
                    product_id: 512_300_100 + i,
                    sku: v.sku.clone(),
                    name: format!("{} {}", p.title, v.title),
                    on_hand,
                    committed: (i % 3).min(on_hand),
                    awaiting: if i % 4 == 1 { 24 } else { 0 },
                    exception: i64::from(i % 7 == 3 && on_hand > 3),
                    internal_transfer: 0,
                }
            })
            .collect();
        Self { items }
    }

    /// The item for `sku`, if stocked.
    #[must_use]
    pub fn item(&self, sku: &str) -> Option<&ShipbobItem> {
        self.items.iter().find(|i| i.sku == sku)
    }
}

/// `GET /1.0/fulfillmentCenter` (fields from the 2026-01 FAQ example).
pub(super) fn centers() -> Value {
    json!([
        {"id": MORENO_VALLEY, "name": "Moreno Valley (CA)", "timezone": "Pacific Standard Time",
         "address1": "14000 Ramona Ave", "city": "Moreno Valley", "state": "CA", "country": "US", "zip_code": "92555"},
        {"id": CICERO, "name": "Cicero (IL)", "timezone": "Central Standard Time",
         "address1": "5900 W Ogden Ave", "city": "Cicero", "state": "IL", "country": "US", "zip_code": "60804"}
    ])
}

/// A 1.0 product: `reference_id` is the SKU.
pub(super) fn product(item: &ShipbobItem, name: &str) -> Value {
    json!({"id": item.product_id, "reference_id": item.sku, "name": name, "bundle_root_information": null,
        "fulfillable_inventory_items": [{"id": item.inventory_id, "name": name, "quantity": 1}]})
}

/// A 1.0 inventory item (api-notes §3 shape); `sparse` drops what a
/// client must not rely on.
pub(super) fn inventory(item: &ShipbobItem, name: &str, sparse: bool) -> Value {
    let fulfillable = item.on_hand - item.committed;
    let mut center = json!({"id": MORENO_VALLEY, "name": "Moreno Valley (CA)", "fulfillable_quantity": fulfillable,
        "onhand_quantity": item.on_hand, "committed_quantity": item.committed,
        "awaiting_quantity": item.awaiting, "internal_transfer_quantity": item.internal_transfer});
    let mut v = json!({"id": item.inventory_id, "name": name, "is_digital": false, "is_case_pick": false,
        "is_lot": false, "total_fulfillable_quantity": fulfillable, "total_onhand_quantity": item.on_hand,
        "total_committed_quantity": item.committed, "total_sellable_quantity": fulfillable - item.exception,
        "total_awaiting_quantity": item.awaiting, "total_exception_quantity": item.exception,
        "total_internal_transfer_quantity": item.internal_transfer, "total_backordered_quantity": 0,
        "is_active": true, "fulfillable_quantity_by_fulfillment_center": [], "fulfillable_quantity_by_lot": []});
    if sparse {
        for key in ["awaiting_quantity", "internal_transfer_quantity", "name"] {
            center.as_object_mut().map(|m| m.remove(key));
        }
        for key in ["is_case_pick", "is_lot", "total_awaiting_quantity", "total_backordered_quantity"] {
            v.as_object_mut().map(|m| m.remove(key));
        }
    }
    v["fulfillable_quantity_by_fulfillment_center"] = json!([center]);
    v
}
