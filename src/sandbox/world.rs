// Vendor names such as ShipBob are proper nouns in prose, not code items.
#![allow(clippy::doc_markdown)]
//! The sandbox's deterministic world: what the imitation Shopify store holds.
//!
//! Built from the demo brand's catalog plus a seeded generator, so the demo,
//! the tests and the benches all see the same numbers on every run. The demo
//! story it must tell:
//! * SOCK-MER-M-BLK is the best seller and is nearly out of stock;
//! * the "Sock Week" automatic discount (15% off crew socks, May 29 – Jun 4
//!   2025) overlaps the always-on WELCOME10 code (10% off) in the same week;
//! * a clearance code (25% off BASE-TOP-M) takes that SKU below its MAP;
//! * some ten orders a day over four weeks, so Shopify DTC pays for its
//!   operating cost;
//! * the gift box's title carries terminal escapes (`ESC [2J`, CSI `31m`);
//! * Shopify's level at the ShipBob location is off from the 3PL's own count
//!   (`World::threepl_on_hand` holds the 3PL truth for the ShipBob imitation);
//! * SOCK-MER-L-BLK is oversold (negative `available`) at the main warehouse;
//! * one location (the pop-up store) is not in the demo's `location_map`.

use std::collections::BTreeMap;

use jiff::{SignedDuration, Timestamp};
use rust_decimal::Decimal;

use crate::core::catalog::Catalog;

/// The fixed "now" of the demo world: Monday 2025-06-02 14:00 UTC.
pub const ANCHOR: Timestamp = Timestamp::constant(1_748_872_800, 0);
/// Default generator seed.
pub const SEED: u64 = 0x0e4d_ec4b;
pub const MAIN_LOCATION: u64 = 76_543_210_987;
pub const SHIPBOB_LOCATION: u64 = 76_543_210_988;
pub const POPUP_LOCATION: u64 = 76_543_210_989;
/// Shopify's ShipBob level trails the 3PL's own count by this much.
pub const SHIPBOB_DRIFT: i64 = 5;
const ESCAPED_TITLE_SUFFIX: &str = " \u{1b}[2J\u{9b}31m";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShopLocation {
    pub id: u64,
    pub name: String,
}

/// Quantities of one inventory item at one location, as Shopify names them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Level {
    pub inventory_item_id: u64,
    pub location_id: u64,
    pub available: i64,
    pub on_hand: i64,
    pub committed: i64,
    pub incoming: i64,
    pub reserved: i64,
    pub updated_at: Timestamp,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Variant {
    pub id: u64,
    pub product_id: u64,
    pub product_title: String,
    pub sku: String,
    pub title: String,
    pub price: Decimal,
    pub compare_at: Option<Decimal>,
    pub unit_cost: Option<Decimal>,
    pub inventory_item_id: u64,
    pub tracked: bool,
    pub levels: Vec<Level>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Product {
    pub id: u64,
    pub title: String,
    pub handle: String,
    pub updated_at: Timestamp,
    pub variants: Vec<Variant>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineItem {
    pub sku: String,
    pub variant_id: u64,
    pub quantity: i64,
    pub unit_price: Decimal,
    /// Total discount on the line.
    pub discount: Decimal,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShopOrder {
    pub id: u64,
    pub name: String,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
    pub cancelled: bool,
    pub fulfilled: bool,
    pub lines: Vec<LineItem>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DiscountValue {
    /// A 0–1 fraction.
    Percentage(Decimal),
    Amount {
        amount: Decimal,
        each_item: bool,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShopDiscount {
    pub id: u64,
    pub title: String,
    /// `None` for an automatic discount.
    pub code: Option<String>,
    pub starts_at: Timestamp,
    pub ends_at: Option<Timestamp>,
    pub value: DiscountValue,
    /// Variants (id, SKU) it applies to; empty means all items.
    pub variants: Vec<(u64, String)>,
}

/// Everything the imitation store holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct World {
    pub currency: String,
    pub locations: Vec<ShopLocation>,
    pub products: Vec<Product>,
    pub orders: Vec<ShopOrder>,
    pub discounts: Vec<ShopDiscount>,
    /// The 3PL's own on-hand count per SKU at the ShipBob location.
    pub threepl_on_hand: BTreeMap<String, i64>,
}

/// One SKU to put in the store.
struct Spec {
    sku: String,
    title: String,
    cost: Decimal,
    price: Decimal,
    compare_at: Option<Decimal>,
    kit: bool,
}

/// splitmix64: tiny, seedable, good enough for demo data.
pub(super) struct Rng(pub(super) u64);

impl Rng {
    pub(super) fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// Uniform in `lo..=hi`.
    pub(super) fn range(&mut self, lo: i64, hi: i64) -> i64 {
        let span = u64::try_from(hi - lo + 1).unwrap_or(1).max(1);
        lo + i64::try_from(self.next() % span).unwrap_or(0)
    }
}

pub(super) fn days(n: i64) -> SignedDuration {
    SignedDuration::from_hours(24 * n)
}

impl World {
    /// The demo store, from the demo brand's catalog.
    #[must_use]
    pub fn demo(catalog: &Catalog) -> Self {
        let specs = catalog
            .iter()
            .map(|item| {
                let price = item.msrp.map_or((item.landed_cost.amount * Decimal::from(3)).round_dp(2), |m| m.amount);
                let mut title = item.title.clone();
                if item.sku.as_str() == "GIFT-BOX" {
                    title.push_str(ESCAPED_TITLE_SUFFIX);
                }
                Spec {
                    sku: item.sku.as_str().to_owned(),
                    title,
                    cost: item.landed_cost.amount,
                    price: (price * Decimal::new(857, 3)).round_dp(0),
                    compare_at: item.msrp.map(|m| m.amount),
                    kit: item.is_kit(),
                }
            })
            .collect();
        let mut world = Self::build(specs, SEED);
        world.tell_demo_story();
        world.add_orders(&mut Rng(SEED ^ 0x0d0e));
        world
    }

    /// `n` synthetic SKUs (four variants per product), for `--scale N` and benches.
    #[must_use]
    pub fn synthetic(n: usize, seed: u64) -> Self {
        let mut rng = Rng(seed);
        let specs = (0..n)
            .map(|i| {
                let cost = Decimal::new(rng.range(200, 4000), 2);
                Spec {
                    sku: format!("SYN-{i:06}"),
                    title: format!("Synthetic Product {}, Size {}", i / 4, i % 4),
                    cost,
                    price: (cost * Decimal::new(28, 1)).round_dp(2),
                    compare_at: None,
                    kit: false,
                }
            })
            .collect();
        let mut world = Self::build(specs, seed);
        world.add_orders(&mut Rng(seed ^ 0x0d0e));
        world
    }

    fn build(specs: Vec<Spec>, seed: u64) -> Self {
        let mut rng = Rng(seed);
        let mut world = World {
            currency: "USD".to_owned(),
            locations: vec![
                ShopLocation { id: MAIN_LOCATION, name: "Main Warehouse".to_owned() },
                ShopLocation { id: SHIPBOB_LOCATION, name: "ShipBob Moreno Valley".to_owned() },
                ShopLocation { id: POPUP_LOCATION, name: "Pop-up Store".to_owned() },
            ],
            products: Vec::new(),
            orders: Vec::new(),
            discounts: Vec::new(),
            threepl_on_hand: BTreeMap::new(),
        };
        let mut by_title: BTreeMap<String, Vec<(usize, Spec)>> = BTreeMap::new();
        for (i, spec) in specs.into_iter().enumerate() {
            let (product, _) = spec.title.split_once(", ").unwrap_or((spec.title.as_str(), ""));
            by_title.entry(product.to_owned()).or_default().push((i, spec));
        }
        for (p, (title, specs)) in by_title.into_iter().enumerate() {
            world.add_product(p, title, specs, &mut rng);
        }
        world
    }

    fn add_product(&mut self, p: usize, title: String, specs: Vec<(usize, Spec)>, rng: &mut Rng) {
        let p = u64::try_from(p).unwrap_or(0);
        let mut variants = Vec::new();
        for (i, spec) in specs {
            let i = u64::try_from(i).unwrap_or(0);
            let levels = if spec.kit { Vec::new() } else { self.levels_for(&spec.sku, i, rng) };
            let variant_title =
                spec.title.split_once(", ").map_or("Default Title".to_owned(), |(_, v)| v.replace(", ", " / "));
            variants.push(Variant {
                id: 47_012_345_678_901 + i,
                product_id: 8_901_234_567_890 + p,
                product_title: title.clone(),
                sku: spec.sku,
                title: variant_title,
                price: spec.price,
                compare_at: spec.compare_at,
                unit_cost: Some(spec.cost),
                inventory_item_id: 49_098_765_432_101 + i,
                tracked: !spec.kit,
                levels,
            });
        }
        let handle = title
            .to_lowercase()
            .split(|c: char| !c.is_ascii_alphanumeric())
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join("-");
        let updated_at = ANCHOR - days(rng.range(0, 30));
        self.products.push(Product { id: 8_901_234_567_890 + p, title, handle, updated_at, variants });
    }

    fn levels_for(&mut self, sku: &str, i: u64, rng: &mut Rng) -> Vec<Level> {
        let updated_at = ANCHOR - SignedDuration::from_mins(rng.range(5, 60 * 24 * 10));
        let inventory_item_id = 49_098_765_432_101 + i;
        let level = |location_id, on_hand: i64, committed: i64, reserved: i64, incoming| Level {
            inventory_item_id,
            location_id,
            available: on_hand - committed - reserved,
            on_hand,
            committed,
            incoming,
            reserved,
            updated_at,
        };
        let main = level(MAIN_LOCATION, rng.range(40, 200), rng.range(0, 10), rng.range(0, 3), 48 * rng.range(0, 1));
        let threepl = rng.range(20, 120);
        self.threepl_on_hand.insert(sku.to_owned(), threepl);
        let shipbob = level(SHIPBOB_LOCATION, (threepl - SHIPBOB_DRIFT).max(0), 0, 0, 0);
        let mut levels = vec![main, shipbob];
        if i < 2 {
            levels.push(level(POPUP_LOCATION, rng.range(2, 8), 0, 0, 0));
        }
        levels
    }
}
