//! What the imitation eBay seller account holds, derived from the shared
//! demo [`World`] so eBay tells the same story as the other channels.
//!
//! Story beats on eBay: it is the channel that brings a small share of
//! revenue at a large share of operating cost, so it lists only a few
//! SKUs at low quantities, priced a little above the store to carry eBay's
//! final-value fee; one old listing (`NW-WOOL-HAT-2019`) is a SKU the
//! catalog no longer knows, and one inventory item
//! (`BASE-TOP-M`) has an offer that was never published.

use rust_decimal::Decimal;

use super::super::world::World;

/// eBay US, the marketplace every demo offer is on.
pub const MARKETPLACE_ID: &str = "EBAY_US";
/// The old listing the catalog does not know.
pub const UNKNOWN_SKU: &str = "NW-WOOL-HAT-2019";

/// The catalog SKUs the demo lists on eBay, with the quantity shown there.
const LISTED: [(&str, u32); 4] =
    [("SOCK-MER-M-BLK", 4), ("SOCK-MER-M-GRY", 6), ("SOCK-MER-L-BLK", 3), ("BASE-TOP-M", 2)];
/// Listed but never published: an inventory item whose offer is a draft.
const UNPUBLISHED: &str = "BASE-TOP-M";
/// What eBay adds to the store price to carry its fees.
const MARKUP: Decimal = Decimal::from_parts(150, 0, 0, false, 2);

/// One inventory item with its (single, fixed-price) offer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EbayItem {
    pub sku: String,
    pub title: String,
    pub quantity: u32,
    pub price: Decimal,
    pub offer_id: String,
    /// `None` while the offer is unpublished.
    pub listing_id: Option<String>,
}

/// The seller's inventory items, in the order eBay pages them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EbayWorld {
    pub currency: String,
    pub items: Vec<EbayItem>,
}

impl EbayWorld {
    /// The demo account: a few of the store's SKUs plus the stale listing.
    #[must_use]
    pub fn from_world(world: &World) -> Self {
        let mut items: Vec<EbayItem> = LISTED
            .iter()
            .zip(0_u64..)
            .filter_map(|(&(sku, quantity), n)| {
                let v = world.variant(sku)?;
                let title = if v.title == "Default Title" {
                    v.product_title.clone()
                } else {
                    format!("{} {}", v.product_title, v.title)
                };
                let listed = sku != UNPUBLISHED;
                Some(item(sku, title, quantity, v.price + MARKUP, n, listed))
            })
            .collect();
        items.push(item(UNKNOWN_SKU, "Wool Beanie (2019)".to_owned(), 1, Decimal::new(1999, 2), 9, true));
        Self { currency: world.currency.clone(), items }
    }

    /// `n` synthetic items, for pagination tests.
    #[must_use]
    pub fn synthetic(n: usize) -> Self {
        let items = (0_u64..)
            .take(n)
            .map(|i| item(&format!("SYN-{i:06}"), format!("Synthetic {i}"), 1, Decimal::new(1000, 2), i, true))
            .collect();
        Self { currency: "USD".to_owned(), items }
    }

    #[must_use]
    pub fn item(&self, sku: &str) -> Option<&EbayItem> {
        self.items.iter().find(|i| i.sku == sku)
    }
}

fn item(sku: &str, title: String, quantity: u32, price: Decimal, n: u64, listed: bool) -> EbayItem {
    EbayItem {
        sku: sku.to_owned(),
        title,
        quantity,
        price,
        offer_id: format!("{}", 5_005_317_010 + n),
        listing_id: listed.then(|| format!("{}", 110_554_221_000 + n)),
    }
}
