//! The Sell Inventory payloads, only the fields omnideck reads.
//! Everything optional the API may leave out is an `Option`, so a sparse
//! item becomes a reported gap rather than a failed page.

use serde::Deserialize;

/// `InventoryItems`: one page of `getInventoryItems`.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct InventoryPage {
    #[serde(default)]
    pub inventory_items: Vec<InventoryItem>,
    /// Present only when another page follows.
    pub next: Option<String>,
    pub total: Option<u64>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct InventoryItem {
    pub sku: String,
    pub product: Option<Product>,
    pub availability: Option<Availability>,
}

#[derive(Debug, Deserialize)]
pub struct Product {
    pub title: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Availability {
    pub ship_to_location_availability: Option<ShipToLocation>,
}

#[derive(Debug, Deserialize)]
pub struct ShipToLocation {
    pub quantity: Option<i64>,
}

/// `Offers`: the offers of one SKU.
#[derive(Debug, Deserialize)]
pub struct OffersPage {
    #[serde(default)]
    pub offers: Vec<Offer>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Offer {
    pub marketplace_id: Option<String>,
    pub format: Option<String>,
    pub status: Option<String>,
    pub pricing_summary: Option<PricingSummary>,
    pub listing: Option<OfferListing>,
}

#[derive(Debug, Deserialize)]
pub struct PricingSummary {
    pub price: Option<Amount>,
}

/// eBay's money: the value is a decimal *string*, never a float.
#[derive(Debug, Deserialize)]
pub struct Amount {
    pub value: String,
    pub currency: String,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OfferListing {
    pub listing_id: Option<String>,
}
