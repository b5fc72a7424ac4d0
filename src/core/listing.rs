//! Listings: how one canonical SKU is known on one channel.

use serde::{Deserialize, Serialize};

use super::ids::{ChannelId, Sku};
use super::money::Money;

/// The channel's own identifiers for a SKU.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ListingIds {
    Shopify { variant_id: String, inventory_item_id: Option<String> },
    Amazon { seller_sku: String, asin: Option<String>, fnsku: Option<String> },
    Wholesale { variant_id: String },
    Marketplace { sku: String },
}

/// One SKU on one channel, as the channel last reported it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Listing {
    pub channel: ChannelId,
    pub sku: Sku,
    pub ids: ListingIds,
    pub title: Option<String>,
    pub price: Option<Money>,
    /// The strike-through price shown next to the price, if any.
    pub compare_at: Option<Money>,
    pub quantity: Option<u32>,
    /// Unit cost the channel holds (Shopify's inventory item cost), which
    /// may stand in for the catalog's landed cost.
    pub unit_cost: Option<Money>,
}
