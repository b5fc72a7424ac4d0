//! What the imitation Seller Central account holds, derived from the shared
//! demo [`World`] so Amazon tells the same story as the Shopify store: the
//! same SKUs, prices and best seller, seen through FBA and merchant offers.
//!
//! Story beats on Amazon:
//! * SOCK-MER-M-BLK carries the api-notes example quantities (fulfillable 66,
//!   inbound 21 + 0 + 12, …) and a competitor holds its buy box at 22.49;
//! * SOCK-MER-M-GRY sells at FBA as `NW-SOCK-M-GRY-FBA` (the demo config's
//!   `channel_skus` entry) and merchant-fulfilled under its canonical SKU;
//! * the fee change: Amazon now charges `NW-SOCK-M-GRY-FBA` and
//!   SOCK-MER-L-BLK 7.90 in FBA fees, above the configured small-standard
//!   3.76, which drops both below the FBA margin floor;
//! * `NW-SCARF-2019` is an old FBA SKU the catalog does not know;
//! * two weeks of FBA baskets (enough to pay for the channel) and a trickle
//!   of merchant-fulfilled orders (not enough to pay for its people);
//! * the newest order is `Pending`, so Amazon sends it without prices.

use jiff::{SignedDuration, Timestamp};
use rust_decimal::Decimal;

use super::super::world::{ANCHOR, Rng, SEED, World, days};
use crate::sandbox::BEST_SELLER;

/// The seller the sandbox account belongs to (the demo config's `seller_id`).
pub const SELLER_ID: &str = "A1EXAMPLESELLER";
/// amazon.com.
pub const MARKETPLACE_ID: &str = "ATVPDKIKX0DER";
/// The competitor holding the best seller's buy box.
pub const COMPETITOR_ID: &str = "A2UNDERCUTTER";
/// The FBA fee Amazon now charges the reclassified SKUs.
pub const RAISED_FBA_FEE: Decimal = Decimal::from_parts(790, 0, 0, false, 2);

/// Quantities of one FBA inventory summary, named as the API names them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FbaQuantities {
    pub fulfillable: u32,
    pub inbound_working: u32,
    pub inbound_shipped: u32,
    pub inbound_receiving: u32,
    pub pending_customer_order: u32,
    pub pending_transshipment: u32,
    pub fc_processing: u32,
    /// Short, mid and long term.
    pub researching: [u32; 3],
    /// Customer, warehouse, distributor, carrier damaged; defective; expired.
    pub unfulfillable: [u32; 6],
}

/// How an offer is fulfilled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fulfilled {
    Fba,
    /// Merchant-fulfilled with this `DEFAULT` quantity.
    Merchant(u32),
}

/// One seller SKU on amazon.com.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AmazonListing {
    pub seller_sku: String,
    pub asin: String,
    pub fnsku: String,
    pub item_name: String,
    pub price: Decimal,
    pub fulfilled: Fulfilled,
    pub fba_fee: Decimal,
    pub stock: Option<FbaQuantities>,
    pub last_updated: Timestamp,
}

/// One line of an Amazon order; `item_price` is the line total.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AmazonItem {
    pub seller_sku: String,
    pub asin: String,
    pub title: String,
    pub quantity: u32,
    pub shipped: u32,
    pub item_price: Decimal,
    pub promotion_discount: Decimal,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AmazonOrder {
    pub id: String,
    pub purchase_date: Timestamp,
    pub last_update: Timestamp,
    pub status: &'static str,
    /// `AFN` or `MFN`.
    pub channel: &'static str,
    pub items: Vec<AmazonItem>,
}

/// A competing (or our own) offer on a detail page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageOffer {
    pub seller_id: String,
    pub price: Decimal,
    pub shipping: Decimal,
    pub fba: bool,
    pub buy_box: bool,
}

/// The whole account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AmazonWorld {
    pub currency: String,
    pub listings: Vec<AmazonListing>,
    pub orders: Vec<AmazonOrder>,
}

/// Amazon orders in the demo: under `getOrderItems`' burst of 30.
const ORDER_COUNT: usize = 28;
/// Days of Amazon order history.
const ORDER_DAYS: i64 = 14;

/// (seller SKU, canonical SKU in the shared world, fulfilment).
const OFFERS: [(&str, &str, Option<u32>); 7] = [
    (BEST_SELLER, BEST_SELLER, None),
    ("SOCK-MER-L-BLK", "SOCK-MER-L-BLK", None),
    ("NW-SOCK-M-GRY-FBA", "SOCK-MER-M-GRY", None),
    ("BASE-TOP-M", "BASE-TOP-M", None),
    ("SOCK-MER-M-GRY", "SOCK-MER-M-GRY", Some(12)),
    ("KIT-SOCK-3PK", "KIT-SOCK-3PK", Some(4)),
    ("NW-SCARF-2019", "", None),
];

impl AmazonWorld {
    /// The Amazon side of `world`: the demo brand's offers, or, for a
    /// synthetic store (no demo best seller in it), every variant.
    #[must_use]
    pub fn from_world(world: &World) -> Self {
        let mut rng = Rng(SEED ^ 0x00a3_a3a3);
        let listings = if world.variant(BEST_SELLER).is_some() {
            demo_listings(world, &mut rng)
        } else {
            synthetic_listings(world, &mut rng)
        };
        let mut amazon = Self { currency: world.currency.clone(), listings, orders: Vec::new() };
        amazon.add_orders();
        amazon
    }

    #[must_use]
    pub fn listing(&self, seller_sku: &str) -> Option<&AmazonListing> {
        self.listings.iter().find(|l| l.seller_sku == seller_sku)
    }

    #[must_use]
    pub fn by_asin(&self, asin: &str) -> Option<&AmazonListing> {
        self.listings.iter().find(|l| l.asin == asin)
    }

    /// Offers on the detail page of `listing`: ours, plus one rival that
    /// undercuts the best seller and takes its buy box.
    #[must_use]
    pub fn page_offers(&self, listing: &AmazonListing) -> Vec<PageOffer> {
        let fba = listing.fulfilled == Fulfilled::Fba;
        let shipping = if fba { Decimal::ZERO } else { Decimal::new(399, 2) };
        let undercut = listing.seller_sku == BEST_SELLER;
        let ours =
            PageOffer { seller_id: SELLER_ID.to_owned(), price: listing.price, shipping, fba, buy_box: !undercut };
        let rival = PageOffer {
            seller_id: COMPETITOR_ID.to_owned(),
            price: if undercut { Decimal::new(2249, 2) } else { listing.price + Decimal::new(150, 2) },
            shipping: Decimal::ZERO,
            fba: true,
            buy_box: undercut,
        };
        vec![ours, rival]
    }

    /// Two weeks of Amazon's own orders (the read week and the one before,
    /// so the readback has a prior week), seeded apart from Shopify's. Kept
    /// under the `getOrderItems` burst so a demo poll never waits; FBA
    /// baskets hold one to three SKUs, every seventh order is a small
    /// merchant-fulfilled one.
    fn add_orders(&mut self) {
        let mut rng = Rng(SEED ^ 0x0a3a_0a3a);
        let (fba, mfn): (Vec<AmazonListing>, Vec<AmazonListing>) = self
            .listings
            .iter()
            .filter(|l| !l.seller_sku.starts_with("NW-SCARF"))
            .cloned()
            .partition(|l| l.fulfilled == Fulfilled::Fba);
        if fba.is_empty() || mfn.is_empty() {
            return;
        }
        for n in 0..ORDER_COUNT {
            let back =
                ORDER_DAYS * i64::try_from(ORDER_COUNT - n).unwrap_or(0) / i64::try_from(ORDER_COUNT).unwrap_or(1);
            let purchase_date = ANCHOR - days(back) + SignedDuration::from_mins(rng.range(60, 60 * 22));
            let merchant = n % 7 == 3;
            let status = match ANCHOR.duration_since(purchase_date) {
                _ if n % 9 == 8 => "Canceled",
                a if a > SignedDuration::from_hours(48) => "Shipped",
                _ => "Unshipped",
            };
            let items =
                if merchant { vec![item(&mfn[n % mfn.len()], 1, status)] } else { basket(&fba, &mut rng, status) };
            self.orders.push(AmazonOrder {
                id: format!("113-{:07}-{:07}", 2_204_581 + n * 7919, 3_318_240 + n * 104_729),
                purchase_date,
                last_update: if status == "Shipped" { purchase_date + days(1) } else { purchase_date },
                status,
                channel: if merchant { "MFN" } else { "AFN" },
                items,
            });
        }
        self.add_pending_order();
    }

    /// A merchant order placed minutes ago: `Pending`, so unpriced.
    fn add_pending_order(&mut self) {
        let Some(kit) = self.listing("KIT-SOCK-3PK").cloned() else { return };
        let at = ANCHOR - SignedDuration::from_mins(12);
        self.orders.push(AmazonOrder {
            id: "902-1845936-5435065".to_owned(),
            purchase_date: at,
            last_update: at,
            status: "Pending",
            channel: "MFN",
            items: vec![AmazonItem {
                seller_sku: kit.seller_sku,
                asin: kit.asin,
                title: kit.item_name,
                quantity: 2,
                shipped: 0,
                item_price: kit.price * Decimal::TWO,
                promotion_discount: Decimal::ZERO,
            }],
        });
    }
}

fn demo_listings(world: &World, rng: &mut Rng) -> Vec<AmazonListing> {
    let mut listings = Vec::new();
    for (n, (seller_sku, canonical, merchant)) in OFFERS.iter().enumerate() {
        let variant = world.variant(canonical);
        if variant.is_none() && !canonical.is_empty() {
            continue;
        }
        let price = variant.map_or(Decimal::new(1900, 2), |v| v.price);
        let item_name = title(world, canonical).unwrap_or_else(|| "Merino Scarf (2019)".to_owned());
        let stock = merchant.is_none().then(|| quantities(seller_sku, rng));
        listings.push(AmazonListing {
            seller_sku: (*seller_sku).to_owned(),
            asin: if *seller_sku == BEST_SELLER { "B00T9QONN6".to_owned() } else { format!("B0NWM{n:05}") },
            fnsku: if *seller_sku == BEST_SELLER { "X001ABCDEF".to_owned() } else { format!("X00NWM{n:04}") },
            item_name,
            price,
            fulfilled: merchant.map_or(Fulfilled::Fba, Fulfilled::Merchant),
            fba_fee: fba_fee(seller_sku),
            stock,
            last_updated: ANCHOR - SignedDuration::from_mins(rng.range(20, 600)),
        });
    }
    listings
}

/// Every variant of a synthetic store, for benches at scale: three in four
/// at FBA with stock, every fourth merchant-fulfilled, each its own ASIN.
fn synthetic_listings(world: &World, rng: &mut Rng) -> Vec<AmazonListing> {
    let variants = world.products.iter().flat_map(|p| &p.variants);
    variants
        .enumerate()
        .map(|(n, v)| {
            let merchant = n % 4 == 3;
            AmazonListing {
                seller_sku: v.sku.clone(),
                asin: format!("B0SY{n:06}"),
                fnsku: format!("X0SY{n:06}"),
                item_name: detail_title(&v.product_title, &v.title),
                price: v.price,
                fulfilled: if merchant {
                    Fulfilled::Merchant(u32::try_from(rng.range(0, 40)).unwrap_or(0))
                } else {
                    Fulfilled::Fba
                },
                fba_fee: Decimal::new(376, 2),
                stock: (!merchant).then(|| quantities(&v.sku, rng)),
                last_updated: synthetic_updated(n, rng.range(20, 600)),
            }
        })
        .collect()
}

/// Every hundredth variant (all of them FBA) changed in the last ten
/// minutes before the anchor, the rest 20 minutes to 10 hours before it: a
/// steady-state poll since a quarter of an hour ago finds 1% of the account
/// changed.
fn synthetic_updated(n: usize, minutes_ago: i64) -> Timestamp {
    if n % 100 == 50 {
        ANCHOR - SignedDuration::from_mins(minutes_ago % 10 + 1)
    } else {
        ANCHOR - SignedDuration::from_mins(minutes_ago)
    }
}

/// One to three distinct FBA SKUs, the best seller (first) most often.
fn basket(fba: &[AmazonListing], rng: &mut Rng, status: &str) -> Vec<AmazonItem> {
    let mut picks: Vec<usize> = Vec::new();
    for _ in 0..rng.range(1, 3) {
        let pick = if rng.range(0, 9) < 3 { 0 } else { usize::try_from(rng.next()).unwrap_or(0) % fba.len() };
        if !picks.contains(&pick) {
            picks.push(pick);
        }
    }
    picks.into_iter().map(|p| item(&fba[p], u32::try_from(rng.range(1, 3)).unwrap_or(1), status)).collect()
}

fn item(listing: &AmazonListing, quantity: u32, status: &str) -> AmazonItem {
    AmazonItem {
        seller_sku: listing.seller_sku.clone(),
        asin: listing.asin.clone(),
        title: listing.item_name.clone(),
        quantity,
        shipped: if status == "Shipped" { quantity } else { 0 },
        item_price: listing.price * Decimal::from(quantity),
        promotion_discount: Decimal::ZERO,
    }
}

/// "Product, Variant" as a detail page names it.
fn title(world: &World, sku: &str) -> Option<String> {
    world
        .products
        .iter()
        .find_map(|p| p.variants.iter().find(|v| v.sku == sku).map(|v| detail_title(&p.title, &v.title)))
}

fn detail_title(product: &str, variant: &str) -> String {
    match variant {
        "Default Title" => product.to_owned(),
        variant => format!("{product}, {variant}"),
    }
}

fn fba_fee(seller_sku: &str) -> Decimal {
    match seller_sku {
        "NW-SOCK-M-GRY-FBA" | "SOCK-MER-L-BLK" => RAISED_FBA_FEE,
        "BASE-TOP-M" => Decimal::new(540, 2),
        _ => Decimal::new(376, 2),
    }
}

fn quantities(seller_sku: &str, rng: &mut Rng) -> FbaQuantities {
    if seller_sku == BEST_SELLER {
        // api-notes §2.3's example, so the mapping test checks known values.
        return FbaQuantities {
            fulfillable: 66,
            inbound_working: 21,
            inbound_shipped: 0,
            inbound_receiving: 12,
            pending_customer_order: 3,
            pending_transshipment: 1,
            fc_processing: 0,
            researching: [0; 3],
            unfulfillable: [1, 0, 0, 1, 0, 0],
        };
    }
    let mut q = |lo, hi| u32::try_from(rng.range(lo, hi)).unwrap_or(0);
    FbaQuantities {
        fulfillable: q(10, 140),
        inbound_working: q(0, 24),
        inbound_shipped: q(0, 12),
        inbound_receiving: q(0, 6),
        pending_customer_order: q(0, 5),
        pending_transshipment: q(0, 2),
        fc_processing: q(0, 2),
        researching: [q(0, 1), 0, 0],
        unfulfillable: [q(0, 2), q(0, 1), 0, 0, 0, 0],
    }
}
