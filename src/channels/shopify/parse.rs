//! Shopify payloads (serde shapes) and their mapping to `core` types.
//! Remote strings go through `clean`; negative counts and unknown SKUs or
//! locations become `SourceIssue`s instead of numbers.

use std::collections::{BTreeMap, BTreeSet};

use jiff::Timestamp;
use rust_decimal::Decimal;
use serde::Deserialize;

use crate::core::ids::{ChannelId, LocationId, Sku, SourceId};
use crate::core::listing::{Listing, ListingIds};
use crate::core::money::{Currency, Fraction, Money};
use crate::core::orders::{Order, OrderLine, OrderStatus};
use crate::core::promotion::{Discount, PromoScope, Promotion, Window};
use crate::core::snapshot::SourceIssue;
use crate::core::stock::{Inbound, StockPosition};
use crate::core::text::clean;

#[derive(Debug, Deserialize)]
pub struct Edges<T> {
    pub edges: Vec<Edge<T>>,
    #[serde(rename = "pageInfo")]
    pub page_info: PageInfo,
}

#[derive(Debug, Deserialize)]
pub struct Edge<T> {
    pub node: T,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PageInfo {
    pub has_next_page: bool,
    #[serde(default)]
    pub end_cursor: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct MoneyV2 {
    pub amount: Decimal,
    #[serde(rename = "currencyCode")]
    pub currency_code: String,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct VariantNode {
    pub id: String,
    pub sku: Option<String>,
    pub title: String,
    pub price: Decimal,
    pub compare_at_price: Option<Decimal>,
    pub inventory_quantity: Option<i64>,
    pub inventory_item: ItemRef,
    pub product: ProductRef,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ItemRef {
    pub id: String,
    pub unit_cost: Option<MoneyV2>,
}

#[derive(Debug, Deserialize)]
pub struct ProductRef {
    pub title: String,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ItemNode {
    pub id: String,
    pub sku: Option<String>,
    pub inventory_levels: Edges<LevelNode>,
}

#[derive(Debug, Deserialize)]
pub struct LevelNode {
    pub id: String,
    pub location: IdOnly,
    pub quantities: Vec<Quantity>,
}

#[derive(Debug, Deserialize)]
pub struct IdOnly {
    pub id: String,
}

#[derive(Debug, Deserialize)]
pub struct Quantity {
    pub name: String,
    pub quantity: i64,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OrderNode {
    pub name: String,
    pub created_at: Timestamp,
    pub cancelled_at: Option<Timestamp>,
    pub display_fulfillment_status: Option<String>,
    pub line_items: Edges<LineNode>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LineNode {
    pub sku: Option<String>,
    pub quantity: i64,
    pub original_unit_price_set: Bag,
    pub discounted_total_set: Bag,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Bag {
    pub shop_money: MoneyV2,
}

#[derive(Debug, Deserialize)]
pub struct DiscountNode {
    pub id: String,
    pub discount: DiscountBody,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DiscountBody {
    pub title: Option<String>,
    pub starts_at: Option<Timestamp>,
    pub ends_at: Option<Timestamp>,
    pub customer_gets: Option<CustomerGets>,
}

#[derive(Debug, Deserialize)]
pub struct CustomerGets {
    pub value: DiscountValue,
    pub items: DiscountItems,
}

#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub enum DiscountValue {
    Percentage { percentage: serde_json::Number },
    Amount { amount: MoneyV2 },
    Other(serde::de::IgnoredAny),
}

#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub enum DiscountItems {
    All {
        #[serde(rename = "allItems")]
        all_items: bool,
    },
    Variants {
        #[serde(rename = "productVariants")]
        product_variants: Edges<VariantSku>,
    },
    Other(serde::de::IgnoredAny),
}

#[derive(Debug, Deserialize)]
pub struct VariantSku {
    pub sku: Option<String>,
}

/// Maps nodes to core values for one source, collecting issues.
pub struct Mapper<'c> {
    pub source: SourceId,
    pub channel: ChannelId,
    pub currency: Currency,
    pub location_map: &'c BTreeMap<String, String>,
    pub issues: Vec<SourceIssue>,
    unmapped_reported: BTreeSet<String>,
}

impl<'c> Mapper<'c> {
    pub fn new(
        source: SourceId,
        channel: ChannelId,
        currency: Currency,
        location_map: &'c BTreeMap<String, String>,
    ) -> Self {
        Self { source, channel, currency, location_map, issues: Vec::new(), unmapped_reported: BTreeSet::new() }
    }

    fn issue(&mut self, place: &str, message: impl Into<String>) {
        self.issues.push(SourceIssue { place: clean(place).into_owned(), message: message.into() });
    }

    fn sku(&mut self, place: &str, raw: Option<&str>) -> Option<Sku> {
        let cleaned = clean(raw.unwrap_or_default().trim()).into_owned();
        match Sku::new(cleaned) {
            Ok(sku) => Some(sku),
            Err(e) => {
                self.issue(place, format!("unusable SKU: {e}"));
                None
            }
        }
    }

    /// A count that must not be negative: clamped to 0 and reported if it is.
    fn count(&mut self, place: &str, what: &str, value: i64) -> u32 {
        if value < 0 {
            self.issue(place, format!("negative {what} ({value}) reported; treated as 0"));
        }
        u32::try_from(value.max(0)).unwrap_or(u32::MAX)
    }

    fn money(&mut self, place: &str, m: &MoneyV2) -> Option<Money> {
        if let Ok(c) = m.currency_code.parse::<Currency>() {
            Some(Money::new(m.amount, c))
        } else {
            self.issue(place, format!("unknown currency {:?}", clean(&m.currency_code)));
            None
        }
    }

    pub fn listing(&mut self, v: &VariantNode) -> Option<Listing> {
        let sku = self.sku(&v.id, v.sku.as_deref())?;
        let product = clean(&v.product.title);
        let title =
            if v.title == "Default Title" { product.into_owned() } else { format!("{product} / {}", clean(&v.title)) };
        let quantity = v.inventory_quantity.map(|q| self.count(&v.id, "inventory quantity", q));
        let unit_cost = v.inventory_item.unit_cost.as_ref().and_then(|m| self.money(&v.inventory_item.id, m));
        Some(Listing {
            channel: self.channel.clone(),
            sku,
            ids: ListingIds::Shopify {
                variant_id: clean(&v.id).into_owned(),
                inventory_item_id: Some(clean(&v.inventory_item.id).into_owned()),
            },
            title: Some(title),
            price: Some(Money::new(v.price, self.currency)),
            compare_at: v.compare_at_price.map(|p| Money::new(p, self.currency)),
            quantity,
            unit_cost,
        })
    }

    fn location(&mut self, gid: &str) -> Option<LocationId> {
        if let Some(id) = self.location_map.get(gid).and_then(|id| LocationId::new(id.clone()).ok()) {
            return Some(id);
        }
        if self.unmapped_reported.insert(gid.to_owned()) {
            self.issue(gid, "location is not in this source's location_map; its stock is ignored");
        }
        None
    }

    pub fn stock(&mut self, item: &ItemNode) -> Vec<StockPosition> {
        if item.inventory_levels.page_info.has_next_page {
            self.issue(
                &item.id,
                format!("more than {} locations; the rest are not read", super::queries::LEVELS_PER_ITEM),
            );
        }
        let Some(sku) = self.sku(&item.id, item.sku.as_deref()) else { return Vec::new() };
        let mut out = Vec::new();
        for level in item.inventory_levels.edges.iter().map(|e| &e.node) {
            let Some(location) = self.location(&level.location.id) else { continue };
            let mut q = BTreeMap::new();
            for quantity in &level.quantities {
                let n = self.count(&level.id, &quantity.name, quantity.quantity);
                q.insert(quantity.name.as_str(), n);
            }
            let get = |name| q.get(name).copied().unwrap_or(0);
            let incoming = get("incoming");
            out.push(StockPosition {
                sku: sku.clone(),
                location,
                on_hand: get("on_hand"),
                committed: get("committed"),
                reserved: get("reserved"),
                unfulfillable: get("damaged").saturating_add(get("quality_control")),
                inbound: Inbound::undated(incoming),
            });
        }
        out
    }

    pub fn order(&mut self, o: &OrderNode) -> Order {
        let place = clean(&o.name).into_owned();
        if o.line_items.page_info.has_next_page {
            self.issue(&place, format!("more than {} lines; the rest are not read", super::queries::LINES_PER_ORDER));
        }
        let status = match (o.cancelled_at, o.display_fulfillment_status.as_deref()) {
            (Some(_), _) => OrderStatus::Cancelled,
            (None, Some("FULFILLED")) => OrderStatus::Fulfilled,
            _ => OrderStatus::Open,
        };
        let mut lines = Vec::new();
        for line in o.line_items.edges.iter().map(|e| &e.node) {
            let Some(sku) = self.sku(&place, line.sku.as_deref()) else { continue };
            let qty = self.count(&place, "line quantity", line.quantity);
            let (Some(unit_price), Some(paid)) = (
                self.money(&place, &line.original_unit_price_set.shop_money),
                self.money(&place, &line.discounted_total_set.shop_money),
            ) else {
                continue;
            };
            let gross = unit_price.amount * Decimal::from(qty);
            let discount = Money::new((gross - paid.amount).max(Decimal::ZERO), unit_price.currency);
            lines.push(OrderLine { sku, qty, unit_price: Some(unit_price), discount });
        }
        Order { id: place, channel: self.channel.clone(), placed_at: o.created_at, status, first_order: false, lines }
    }

    pub fn promotion(&mut self, d: &DiscountNode) -> Option<Promotion> {
        let body = &d.discount;
        let (Some(gets), Some(start)) = (&body.customer_gets, body.starts_at) else {
            self.issue(&d.id, "discount type not supported; skipped");
            return None;
        };
        let discount = match &gets.value {
            DiscountValue::Percentage { percentage } => {
                let fraction = percentage.to_string().parse::<Decimal>().ok().and_then(|p| Fraction::new(p).ok());
                Discount::Percent(fraction.or_else(|| {
                    self.issue(&d.id, format!("percentage {percentage} is not a 0–1 fraction"));
                    None
                })?)
            }
            DiscountValue::Amount { amount } => Discount::AmountOff(self.money(&d.id, amount)?),
            DiscountValue::Other(_) => {
                self.issue(&d.id, "discount value type not supported; skipped");
                return None;
            }
        };
        let scope = match &gets.items {
            DiscountItems::All { all_items: true } => PromoScope::All,
            DiscountItems::Variants { product_variants } => {
                let skus =
                    product_variants.edges.iter().filter_map(|e| self.sku(&d.id, e.node.sku.as_deref())).collect();
                PromoScope::Skus(skus)
            }
            DiscountItems::All { all_items: false } | DiscountItems::Other(_) => {
                self.issue(&d.id, "discount applies to collections; not supported, skipped");
                return None;
            }
        };
        let Ok(window) = Window::new(start, body.ends_at) else {
            self.issue(&d.id, "discount ends before it starts; skipped");
            return None;
        };
        Some(Promotion {
            id: clean(&d.id).into_owned(),
            title: clean(body.title.as_deref().unwrap_or_default()).into_owned(),
            channel: self.channel.clone(),
            scope,
            discount,
            window,
            campaign_id: None,
            source: self.source.clone(),
        })
    }
}
