//! Faire External API v2 payloads (api-notes §4) and their mapping to
//! orders and wholesale listings. Money arrives in minor units.

use std::collections::BTreeMap;

use jiff::Timestamp;
use rust_decimal::Decimal;
use serde::Deserialize;

use crate::core::ids::{ChannelId, Sku};
use crate::core::listing::{Listing, ListingIds};
use crate::core::money::{Currency, Money};
use crate::core::orders::{Order, OrderLine, OrderStatus};
use crate::core::snapshot::SourceIssue;
use crate::core::text::clean;

/// Faire's commission on a reorder; a higher rate marks the retailer's first
/// order through Faire (25 % against 15 %), which the fee model prices apart.
const REORDER_COMMISSION_BPS: i64 = 1500;

#[derive(Debug, Clone, Deserialize)]
pub(super) struct MoneyV2 {
    pub amount_minor: i64,
    pub currency: String,
}

#[derive(Debug, Clone, Deserialize)]
pub(super) struct OrderItem {
    #[serde(default)]
    pub sku: Option<String>,
    pub quantity: i64,
    #[serde(default)]
    pub price: Option<MoneyV2>,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub(super) struct PayoutCosts {
    #[serde(default)]
    pub commission_bps: Option<i64>,
}

#[derive(Debug, Clone, Deserialize)]
pub(super) struct FaireOrder {
    pub id: String,
    pub created_at: Timestamp,
    pub state: String,
    #[serde(default)]
    pub items: Vec<OrderItem>,
    #[serde(default)]
    pub payout_costs: Option<PayoutCosts>,
}

#[derive(Debug, Clone, Deserialize)]
pub(super) struct Price {
    #[serde(default)]
    pub wholesale_price: Option<MoneyV2>,
}

#[derive(Debug, Clone, Deserialize)]
pub(super) struct Variant {
    pub id: String,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub sku: Option<String>,
    #[serde(default)]
    pub sale_state: Option<String>,
    #[serde(default)]
    pub lifecycle_state: Option<String>,
    #[serde(default)]
    pub prices: Vec<Price>,
}

#[derive(Debug, Clone, Deserialize)]
pub(super) struct Product {
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub variants: Vec<Variant>,
}

/// `{type: QUANTITY|UNTRACKED, quantity}`.
#[derive(Debug, Clone, Deserialize)]
pub(super) struct Quantity {
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(default)]
    pub quantity: Option<i64>,
}

#[derive(Debug, Clone, Deserialize)]
pub(super) struct Inventory {
    #[serde(default)]
    pub available_quantity: Option<Quantity>,
}

/// Maps payloads, collecting what it cannot use as source issues.
pub(super) struct Mapper {
    pub channel: ChannelId,
    pub issues: Vec<SourceIssue>,
}

/// `amount_minor` as money, by the currency's own minor units (JPY has none).
pub(super) fn money(m: &MoneyV2) -> Option<Money> {
    let currency: Currency = m.currency.parse().ok()?;
    Some(Money::new(Decimal::new(m.amount_minor, currency.minor_units()), currency))
}

fn status(state: &str) -> Option<OrderStatus> {
    Some(match state {
        "NEW" | "PROCESSING" | "PRE_TRANSIT" | "BACKORDERED" | "PENDING_RETAILER_CONFIRMATION" => OrderStatus::Open,
        // In transit has left the 3PL: its units are no longer committed there.
        "IN_TRANSIT" | "DELIVERED" => OrderStatus::Fulfilled,
        "CANCELED" => OrderStatus::Cancelled,
        _ => return None,
    })
}

impl Mapper {
    fn issue(&mut self, place: &str, message: String) {
        self.issues.push(SourceIssue { place: clean(place).into_owned(), message });
    }

    /// An order; `None` (with an issue) when its state is unknown, since
    /// guessing could commit stock that is not committed or the reverse.
    pub fn order(&mut self, o: &FaireOrder) -> Option<Order> {
        let Some(status) = status(&o.state) else {
            self.issue(&o.id, format!("unknown order state {:?}", clean(&o.state)));
            return None;
        };
        let mut lines = Vec::new();
        for item in &o.items {
            if let Some(line) = self.line(&o.id, item) {
                lines.push(line);
            }
        }
        let bps = o.payout_costs.as_ref().and_then(|p| p.commission_bps);
        Some(Order {
            id: clean(&o.id).into_owned(),
            channel: self.channel.clone(),
            placed_at: o.created_at,
            status,
            first_order: bps.is_some_and(|b| b > REORDER_COMMISSION_BPS),
            lines,
        })
    }

    fn line(&mut self, order: &str, item: &OrderItem) -> Option<OrderLine> {
        let Some(sku) = item.sku.as_deref().and_then(|s| Sku::new(clean(s.trim()).into_owned()).ok()) else {
            self.issue(order, "an item has no SKU".to_owned());
            return None;
        };
        let Ok(qty) = u32::try_from(item.quantity) else {
            self.issue(order, format!("{sku}: negative quantity {}", item.quantity));
            return None;
        };
        let unit_price = item.price.as_ref().and_then(money);
        if item.price.is_some() && unit_price.is_none() {
            self.issue(order, format!("{sku}: price in an unknown currency"));
        }
        let currency = unit_price.map_or(Currency::USD, |p| p.currency);
        Some(OrderLine { sku, qty, unit_price, discount: Money::zero(currency) })
    }

    /// Listings for a product's variants that can be ordered or are paused;
    /// drafts and deleted variants are not on the channel. `quantity` comes
    /// from the inventory read: `None` when Faire does not track it
    /// (`UNTRACKED`) or did not say.
    pub fn listings(&mut self, p: &Product, stock: &BTreeMap<String, Inventory>) -> Vec<Listing> {
        let mut out = Vec::new();
        for v in &p.variants {
            match v.lifecycle_state.as_deref() {
                Some("DRAFT" | "DELETED" | "UNPUBLISHED") => continue,
                None | Some("PUBLISHED") => {}
                Some(other) => self.issue(&v.id, format!("unknown lifecycle state {:?}", clean(other))),
            }
            let Some(sku) = v.sku.as_deref().and_then(|s| Sku::new(clean(s.trim()).into_owned()).ok()) else {
                self.issue(&v.id, "variant has no SKU".to_owned());
                continue;
            };
            let mut quantity = stock.get(sku.as_str()).and_then(|i| self.quantity(&v.id, i));
            match v.sale_state.as_deref() {
                // Paused: retailers cannot order it, whatever the count says.
                Some("SALES_PAUSED") => quantity = Some(0),
                None | Some("FOR_SALE") => {}
                Some(other) => self.issue(&v.id, format!("unknown sale state {:?}", clean(other))),
            }
            let price = v.prices.iter().find_map(|pr| pr.wholesale_price.as_ref()).and_then(money);
            out.push(Listing {
                channel: self.channel.clone(),
                sku,
                ids: ListingIds::Wholesale { variant_id: clean(&v.id).into_owned() },
                title: title(p.name.as_deref(), v.name.as_deref()),
                price,
                compare_at: None,
                quantity,
                unit_cost: None,
            });
        }
        out
    }

    /// Available quantity; negative (Faire allows it when committed exceeds
    /// on hand) shows as 0 to order.
    fn quantity(&mut self, place: &str, inv: &Inventory) -> Option<u32> {
        let q = inv.available_quantity.as_ref()?;
        match q.kind.as_str() {
            "QUANTITY" => Some(u32::try_from(q.quantity?.max(0)).unwrap_or(u32::MAX)),
            "UNTRACKED" => None,
            other => {
                self.issue(place, format!("unknown inventory type {:?}", clean(other)));
                None
            }
        }
    }
}

fn title(product: Option<&str>, variant: Option<&str>) -> Option<String> {
    let joined = match (product, variant) {
        (Some(p), Some(v)) if !v.is_empty() => format!("{p} - {v}"),
        (Some(p), _) => p.to_owned(),
        (None, Some(v)) => v.to_owned(),
        (None, None) => return None,
    };
    Some(clean(&joined).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(amount_minor: i64, currency: &str) -> Option<Money> {
        money(&MoneyV2 { amount_minor, currency: currency.to_owned() })
    }

    #[test]
    fn minor_units_follow_the_currency() {
        assert_eq!(m(4999, "USD"), Some(Money::new(Decimal::new(4999, 2), Currency::USD)));
        assert_eq!(m(4999, "JPY").unwrap().amount, Decimal::from(4999));
        assert_eq!(m(4999, "KWD").unwrap().amount, Decimal::new(4999, 3));
        assert_eq!(m(-1, "EUR").unwrap().amount, Decimal::new(-1, 2));
        assert_eq!(m(1, "usd"), None);
    }

    #[test]
    fn every_documented_state_has_a_status() {
        for s in ["NEW", "PROCESSING", "PRE_TRANSIT", "BACKORDERED", "PENDING_RETAILER_CONFIRMATION"] {
            assert_eq!(status(s), Some(OrderStatus::Open), "{s}");
        }
        assert_eq!(status("IN_TRANSIT"), Some(OrderStatus::Fulfilled));
        assert_eq!(status("DELIVERED"), Some(OrderStatus::Fulfilled));
        assert_eq!(status("CANCELED"), Some(OrderStatus::Cancelled));
        assert_eq!(status("ON_HOLD"), None);
    }
}
