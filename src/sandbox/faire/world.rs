//! What the imitation Faire brand holds, derived from the shared demo world:
//! every variant as a wholesale product at half its retail price, inventory
//! from the 3PL's counts (the 3PL ships wholesale), a handful of open orders
//! for the best seller, so scarcity has committed wholesale orders to serve
//! first, and four weeks of delivered orders behind them.

use jiff::{SignedDuration, Timestamp};
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;

use crate::sandbox::BEST_SELLER;
use crate::sandbox::world::{ANCHOR, Rng, World, days};

/// Faire's commission on a retailer's first order and on reorders (bps).
pub const FIRST_ORDER_BPS: i64 = 2500;
pub const REORDER_BPS: i64 = 1500;
const RETAILERS: [&str; 5] = ["r_c9385ldj", "r_8kq2m1zz", "r_4hd7p0aa", "r_x1y2z3w4", "r_m0nt4na1"];
/// Weeks of delivered history, as the shop's.
const HISTORY_DAYS: i64 = 28;

/// An order to be: when, its state, and (variant, quantity) lines.
type Planned = (Timestamp, &'static str, Vec<(FaireVariant, i64)>);

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FaireVariant {
    pub id: String,
    pub sku: String,
    pub name: String,
    /// Wholesale and retail prices in cents.
    pub wholesale_minor: i64,
    pub retail_minor: i64,
    pub paused: bool,
    /// `None`: inventory not tracked (kits).
    pub on_hand: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FaireProduct {
    pub id: String,
    pub name: String,
    pub variants: Vec<FaireVariant>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FaireItem {
    pub id: String,
    pub variant: FaireVariant,
    pub quantity: i64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FaireOrder {
    pub id: String,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
    pub state: &'static str,
    pub retailer_id: &'static str,
    pub commission_bps: i64,
    pub items: Vec<FaireItem>,
}

impl FaireOrder {
    /// Sum of the items at wholesale, in cents.
    #[must_use]
    pub fn subtotal_minor(&self) -> i64 {
        self.items.iter().map(|i| i.variant.wholesale_minor * i.quantity).sum()
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FaireWorld {
    pub currency: String,
    pub products: Vec<FaireProduct>,
    /// Ascending by `updated_at`, as `GET /orders` returns them.
    pub orders: Vec<FaireOrder>,
}

fn minor(d: Decimal) -> i64 {
    (d * Decimal::ONE_HUNDRED).round().to_i64().unwrap_or(0)
}

impl FaireWorld {
    #[must_use]
    pub fn from_world(world: &World) -> Self {
        let mut products = Vec::new();
        for (p, product) in world.products.iter().enumerate() {
            let variants = product
                .variants
                .iter()
                .enumerate()
                .map(|(v, variant)| FaireVariant {
                    id: format!("po_{:04}{v:02}x{}", p, variant.id % 1000),
                    sku: variant.sku.clone(),
                    name: variant.title.clone(),
                    wholesale_minor: minor((variant.price / Decimal::TWO).round_dp(2)),
                    retail_minor: minor(variant.price),
                    // One paused variant, never the best seller, shows SALES_PAUSED.
                    paused: p == 1 && v == 0 && variant.sku != BEST_SELLER,
                    on_hand: variant.tracked.then(|| world.threepl_on_hand.get(&variant.sku).copied().unwrap_or(0)),
                })
                .collect();
            products.push(FaireProduct {
                id: format!("p_{p:04}{}", product.id % 10_000),
                name: product.title.clone(),
                variants,
            });
        }
        let mut faire = Self { currency: world.currency.clone(), products, orders: Vec::new() };
        faire.add_orders();
        faire
    }

    /// A variant by SKU.
    #[must_use]
    pub fn variant(&self, sku: &str) -> Option<&FaireVariant> {
        self.products.iter().flat_map(|p| &p.variants).find(|v| v.sku == sku)
    }

    /// Units on open orders for `sku` (Faire's committed quantity).
    #[must_use]
    pub fn committed(&self, sku: &str) -> i64 {
        self.orders
            .iter()
            .filter(|o| {
                matches!(
                    o.state,
                    "NEW" | "PROCESSING" | "PRE_TRANSIT" | "BACKORDERED" | "PENDING_RETAILER_CONFIRMATION"
                )
            })
            .flat_map(|o| &o.items)
            .filter(|i| i.variant.sku == sku)
            .map(|i| i.quantity)
            .sum()
    }

    fn add_orders(&mut self) {
        let tracked: Vec<FaireVariant> = self
            .products
            .iter()
            .flat_map(|p| &p.variants)
            .filter(|v| v.on_hand.is_some() && !v.paused)
            .cloned()
            .collect();
        let Some(best) = self.variant(BEST_SELLER).cloned().or_else(|| tracked.first().cloned()) else { return };
        let mut rng = Rng(0xfa1e);
        let mut plan: Vec<Planned> = Vec::new();
        let mut day = HISTORY_DAYS;
        while day > 3 {
            let lines = (0..rng.range(1, 3))
                .map(|_| {
                    let pick = if rng.range(0, 2) == 0 { best.clone() } else { pick(&tracked, &mut rng) };
                    (pick, 6 * rng.range(1, 2))
                })
                .collect();
            let state = match day % 11 {
                0 => "CANCELED",
                _ => "DELIVERED",
            };
            plan.push((ANCHOR - days(day) + SignedDuration::from_mins(rng.range(0, 600)), state, lines));
            day -= rng.range(2, 4);
        }
        plan.push((ANCHOR - days(3), "IN_TRANSIT", vec![(pick(&tracked, &mut rng), 6)]));
        plan.push((ANCHOR - days(2), "BACKORDERED", vec![(pick(&tracked, &mut rng), 12)]));
        // The open orders the story is about: committed to the best seller.
        plan.push((ANCHOR - days(2), "PROCESSING", vec![(best.clone(), 3)]));
        plan.push((ANCHOR - days(1), "NEW", vec![(best.clone(), 4)]));
        plan.push((ANCHOR - SignedDuration::from_hours(5), "PENDING_RETAILER_CONFIRMATION", vec![(best, 2)]));
        self.orders = orders_from(plan);
    }
}

fn pick(tracked: &[FaireVariant], rng: &mut Rng) -> FaireVariant {
    let n = u64::try_from(tracked.len()).unwrap_or(1).max(1);
    tracked[usize::try_from(rng.next() % n).unwrap_or(0)].clone()
}

/// Orders with ids, retailers and commission: a retailer's first order pays
/// the first-order rate, later ones the reorder rate.
fn orders_from(plan: Vec<Planned>) -> Vec<FaireOrder> {
    let mut seen = std::collections::BTreeSet::new();
    let mut orders: Vec<FaireOrder> = plan
        .into_iter()
        .enumerate()
        .map(|(n, (created_at, state, lines))| {
            let retailer_id = RETAILERS[n % RETAILERS.len()];
            let commission_bps = if seen.insert(retailer_id) { FIRST_ORDER_BPS } else { REORDER_BPS };
            let updated_at = match state {
                "DELIVERED" => (created_at + days(5)).min(ANCHOR),
                "CANCELED" => created_at + days(1),
                _ => created_at,
            };
            let items = lines
                .into_iter()
                .enumerate()
                .map(|(k, (variant, quantity))| FaireItem { id: format!("oi_{n:05}{k:02}q"), variant, quantity })
                .collect();
            FaireOrder {
                id: format!("bo_{n:05}demo"),
                created_at,
                updated_at,
                state,
                retailer_id,
                commission_bps,
                items,
            }
        })
        .collect();
    orders.sort_by_key(|o| (o.updated_at, o.id.clone()));
    orders
}
