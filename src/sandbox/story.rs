//! The demo world's story beats and its order history, kept apart from the
//! catalog-to-store mapping in `world.rs`.

use jiff::{SignedDuration, Timestamp};
use rust_decimal::Decimal;

use super::world::{
    ANCHOR, DiscountValue, LineItem, MAIN_LOCATION, Rng, SHIPBOB_DRIFT, SHIPBOB_LOCATION, ShopDiscount, ShopOrder,
    Variant, World, days,
};

/// The best seller the story is about.
pub const BEST_SELLER: &str = "SOCK-MER-M-BLK";
/// The SKU a clearance code takes below its MAP.
pub const MAP_BREAKER: &str = "BASE-TOP-M";
/// Weeks of order history.
const HISTORY_DAYS: i64 = 28;

impl World {
    /// The variant selling `sku`, if the store has one.
    #[must_use]
    pub fn variant(&self, sku: &str) -> Option<&Variant> {
        self.products.iter().flat_map(|p| &p.variants).find(|v| v.sku == sku)
    }

    fn variant_mut(&mut self, sku: &str) -> Option<&mut Variant> {
        self.products.iter_mut().flat_map(|p| &mut p.variants).find(|v| v.sku == sku)
    }

    pub(super) fn tell_demo_story(&mut self) {
        if let Some(v) = self.variant_mut(BEST_SELLER) {
            for level in &mut v.levels {
                match level.location_id {
                    MAIN_LOCATION => (level.on_hand, level.committed, level.reserved, level.incoming) = (9, 3, 0, 48),
                    SHIPBOB_LOCATION => level.on_hand = 9 - SHIPBOB_DRIFT,
                    _ => {}
                }
                level.available = level.on_hand - level.committed - level.reserved;
            }
            self.threepl_on_hand.insert(BEST_SELLER.to_owned(), 9);
        }
        // Oversold: Shopify lets `available` go negative when orders outrun stock.
        if let Some(level) = self
            .variant_mut("SOCK-MER-L-BLK")
            .and_then(|v| v.levels.iter_mut().find(|l| l.location_id == MAIN_LOCATION))
        {
            (level.on_hand, level.committed, level.reserved) = (0, 2, 0);
            level.available = -2;
        }
        let crew = self.variants_where(|sku| sku.starts_with("SOCK-MER-"));
        self.discounts.push(ShopDiscount {
            id: 1_190_000_000_001,
            title: "Sock Week".to_owned(),
            code: None,
            starts_at: ANCHOR - days(4) - SignedDuration::from_hours(14),
            ends_at: Some(ANCHOR + days(3) - SignedDuration::from_hours(14)),
            value: DiscountValue::Percentage(Decimal::new(15, 2)),
            variants: crew,
        });
        self.discounts.push(ShopDiscount {
            id: 1_190_000_000_002,
            title: "Welcome 10".to_owned(),
            code: Some("WELCOME10".to_owned()),
            starts_at: ANCHOR - days(150),
            ends_at: None,
            value: DiscountValue::Percentage(Decimal::new(1, 1)),
            variants: Vec::new(),
        });
        // A clearance code on one size: 25% off takes it below its MAP.
        let clearance = self.variants_where(|sku| sku == MAP_BREAKER);
        self.discounts.push(ShopDiscount {
            id: 1_190_000_000_003,
            title: "Base layer M clearance".to_owned(),
            code: Some("BASEM25".to_owned()),
            starts_at: ANCHOR - days(3),
            ends_at: Some(ANCHOR + days(4)),
            value: DiscountValue::Percentage(Decimal::new(25, 2)),
            variants: clearance,
        });
    }

    /// (variant id, SKU) of every variant whose SKU matches.
    fn variants_where(&self, keep: impl Fn(&str) -> bool) -> Vec<(u64, String)> {
        self.products.iter().flat_map(|p| &p.variants).filter(|v| keep(&v.sku)).map(|v| (v.id, v.sku.clone())).collect()
    }

    /// A few weeks of orders, the best seller weighted up.
    pub(super) fn add_orders(&mut self, rng: &mut Rng) {
        let sellable: Vec<(String, u64, Decimal)> = self
            .products
            .iter()
            .flat_map(|p| &p.variants)
            .filter(|v| v.tracked)
            .map(|v| (v.sku.clone(), v.id, v.price))
            .collect();
        if sellable.is_empty() {
            return;
        }
        let best = sellable.iter().position(|(sku, ..)| sku == BEST_SELLER);
        let mut n: u64 = 0;
        for day in (1..=HISTORY_DAYS).rev() {
            for _ in 0..rng.range(9, 15) {
                let created_at = ANCHOR - days(day) + SignedDuration::from_mins(rng.range(0, 60 * 23));
                let lines = (0..rng.range(1, 3))
                    .map(|_| {
                        let pick = match best {
                            Some(b) if rng.range(0, 9) < 2 => b,
                            _ => usize::try_from(rng.next() % sellable.len() as u64).unwrap_or(0),
                        };
                        let (sku, variant_id, price) = &sellable[pick];
                        let quantity = rng.range(1, 2);
                        LineItem {
                            sku: sku.clone(),
                            variant_id: *variant_id,
                            quantity,
                            unit_price: *price,
                            discount: self.line_discount(*variant_id, *price, quantity, created_at, n),
                        }
                    })
                    .collect();
                self.orders.push(order(n, created_at, lines));
                n += 1;
            }
        }
    }

    fn line_discount(&self, variant_id: u64, price: Decimal, qty: i64, at: Timestamp, n: u64) -> Decimal {
        let gross = price * Decimal::from(qty);
        let active = self.discounts.iter().filter(|d| {
            d.starts_at <= at
                && d.ends_at.is_none_or(|e| at < e)
                && (d.variants.is_empty() || d.variants.iter().any(|(id, _)| *id == variant_id))
                && (d.code.is_none() || n.is_multiple_of(5))
        });
        let total: Decimal = active
            .map(|d| match &d.value {
                DiscountValue::Percentage(p) => (gross * p).round_dp(2),
                DiscountValue::Amount { amount, each_item: true } => amount * Decimal::from(qty),
                DiscountValue::Amount { amount, each_item: false } => *amount,
            })
            .sum();
        total.min(gross)
    }
}

fn order(n: u64, created_at: Timestamp, lines: Vec<LineItem>) -> ShopOrder {
    let fulfilled = created_at < ANCHOR - days(2);
    let cancelled = n % 17 == 16;
    let updated_at = if fulfilled { (created_at + days(1)).min(ANCHOR) } else { created_at };
    ShopOrder {
        id: 5_500_000_000_000 + n,
        name: format!("#{}", 1001 + n),
        created_at,
        updated_at,
        cancelled,
        fulfilled: fulfilled && !cancelled,
        lines,
    }
}
