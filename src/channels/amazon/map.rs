//! SP-API payloads into `core` types. Pure: no I/O, no clock; everything a
//! payload gets wrong becomes a [`SourceIssue`] next to the data, never a
//! silent zero.

use jiff::Timestamp;

use super::parse::{InventorySummary, ListingItem, RawOffer, RawOrder, RawOrderItem};
use crate::core::ids::{ChannelId, LocationId, Sku};
use crate::core::money::{Currency, Money};
use crate::core::orders::{Order, OrderLine, OrderStatus};
use crate::core::promotion::CompetitorOffer;
use crate::core::rules::Rules;
use crate::core::snapshot::SourceIssue;
use crate::core::stock::{Inbound, StockPosition};
use crate::core::text::clean;

pub(super) fn issue(place: impl Into<String>, message: impl Into<String>) -> SourceIssue {
    SourceIssue { place: clean(&place.into()).into_owned(), message: clean(&message.into()).into_owned() }
}

/// The catalog SKU a channel's seller SKU stands for; an issue when the
/// catalog does not know it (an old listing, a typo in Seller Central).
pub(super) fn canonical(rules: &Rules, channel: &ChannelId, seller_sku: &str) -> Result<Sku, SourceIssue> {
    rules
        .sku_map
        .canonical(channel, seller_sku)
        .filter(|sku| rules.catalog.contains(sku.as_str()))
        .ok_or_else(|| issue(format!("{channel}:{seller_sku}"), "seller SKU is not in the catalog; ignored"))
}

/// A quantity that must not be negative; a negative or absent one counts 0
/// and, when negative, is reported.
fn count(value: Option<i64>, place: &str, field: &str, issues: &mut Vec<SourceIssue>) -> u32 {
    match value {
        None => 0,
        Some(v) => u32::try_from(v).unwrap_or_else(|_| {
            issues.push(issue(place, format!("{field} is {v}; counted as 0")));
            0
        }),
    }
}

/// FBA inventory summary → stock at the FBA location.
///
/// The mapping, from the `inventoryDetails` of getInventorySummaries:
/// * `on_hand` = fulfillable + pendingCustomerOrder + fcProcessing +
///   pendingTransshipment: every good unit inside Amazon's network;
/// * `committed` = pendingCustomerOrder (sold, not yet shipped);
/// * `reserved` = pendingTransshipment + fcProcessing (moving between or
///   being processed in fulfilment centres);
/// * `unfulfillable` = totalUnfulfillable + totalResearching (damaged,
///   defective, expired, or lost and being searched for);
/// * `inbound` = inboundWorking + inboundShipped + inboundReceiving, one
///   entry without an ETA (the summary carries none).
///
/// So `sellable` = on hand − committed − reserved = fulfillable, as Amazon
/// itself counts it.
pub(super) fn stock(summary: &InventorySummary, sku: Sku, location: &LocationId) -> (StockPosition, Vec<SourceIssue>) {
    let place = format!("fba-inventory:{}", summary.seller_sku.as_deref().unwrap_or("?"));
    let mut issues = Vec::new();
    let default = super::parse::InventoryDetails::default();
    let d = summary.inventory_details.as_ref().unwrap_or_else(|| {
        issues.push(issue(&place, "no inventoryDetails; quantities counted as 0"));
        &default
    });
    let reserved = d.reserved_quantity.as_ref();
    let mut c = |v: Option<i64>, field: &str| count(v, &place, field, &mut issues);
    let fulfillable = c(d.fulfillable_quantity, "fulfillableQuantity");
    let pending_order = c(reserved.and_then(|r| r.pending_customer_order_quantity), "pendingCustomerOrderQuantity");
    let transship = c(reserved.and_then(|r| r.pending_transshipment_quantity), "pendingTransshipmentQuantity");
    let processing = c(reserved.and_then(|r| r.fc_processing_quantity), "fcProcessingQuantity");
    let researching =
        c(d.researching_quantity.as_ref().and_then(|r| r.total_researching_quantity), "totalResearchingQuantity");
    let damaged =
        c(d.unfulfillable_quantity.as_ref().and_then(|u| u.total_unfulfillable_quantity), "totalUnfulfillableQuantity");
    let inbound = c(d.inbound_working_quantity, "inboundWorkingQuantity")
        .saturating_add(c(d.inbound_shipped_quantity, "inboundShippedQuantity"))
        .saturating_add(c(d.inbound_receiving_quantity, "inboundReceivingQuantity"));
    let position = StockPosition {
        sku,
        location: location.clone(),
        on_hand: fulfillable.saturating_add(pending_order).saturating_add(processing).saturating_add(transship),
        committed: pending_order,
        reserved: transship.saturating_add(processing),
        unfulfillable: damaged.saturating_add(researching),
        inbound: Inbound::undated(inbound),
    };
    (position, issues)
}

/// How a listing is fulfilled, from `fulfillmentAvailability`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Fulfilled {
    Amazon,
    /// Merchant-fulfilled, with the `DEFAULT` quantity if one was sent.
    Merchant(Option<i64>),
    /// No code, or one this version does not know.
    Unknown,
}

const AMAZON_CODES: [&str; 5] = ["AMAZON_NA", "AMAZON_EU", "AMAZON_FE", "AMAZON_JP", "AMAZON_IN"];

pub(super) fn fulfilled(item: &ListingItem) -> (Fulfilled, Option<String>) {
    let Some(first) = item.fulfillment_availability.first() else { return (Fulfilled::Unknown, None) };
    match first.fulfillment_channel_code.as_deref() {
        Some("DEFAULT") => (Fulfilled::Merchant(first.quantity), None),
        Some(code) if AMAZON_CODES.contains(&code) => (Fulfilled::Amazon, None),
        other => (Fulfilled::Unknown, other.map(ToOwned::to_owned)),
    }
}

/// The B2C offer price in `marketplace`, else the first priced offer.
pub(super) fn offer_price(item: &ListingItem, marketplace: &str) -> Option<Money> {
    let b2c = item.offers.iter().find(|o| {
        o.marketplace_id.as_deref().is_none_or(|m| m == marketplace) && o.offer_type.as_deref() != Some("B2B")
    });
    b2c.or(item.offers.first())?.price.as_ref()?.money()
}

pub(super) fn title(item: &ListingItem) -> Option<String> {
    item.summaries.iter().find_map(|s| s.item_name.as_deref()).map(|t| clean(t).into_owned())
}

pub(super) fn asin(item: &ListingItem) -> Option<String> {
    item.summaries.iter().find_map(|s| s.asin.clone())
}

/// An order status as a core status; `None` for a value this version does not know.
pub(super) fn order_status(status: &str) -> Option<OrderStatus> {
    Some(match status {
        "Pending" | "Unshipped" | "PartiallyShipped" | "PendingAvailability" | "InvoiceUnconfirmed" => {
            OrderStatus::Open
        }
        "Shipped" => OrderStatus::Fulfilled,
        "Canceled" | "Unfulfillable" => OrderStatus::Cancelled,
        _ => return None,
    })
}

/// One order line; the price is `None` (and reported) when Amazon sent
/// none, as it does for `Pending` orders. `ItemPrice` is the line total:
/// the Orders v0 model defines it as the item's selling price multiplied by
/// the quantity ordered, so the unit price is a division.
pub(super) fn order_line(
    raw: &RawOrderItem,
    sku: Sku,
    currency: Currency,
    order_id: &str,
    issues: &mut Vec<SourceIssue>,
) -> OrderLine {
    let place = format!("order:{order_id}");
    let qty = count(Some(raw.quantity_ordered), &place, "QuantityOrdered", issues);
    let total = raw.item_price.as_ref().and_then(super::parse::AmzMoney::money);
    let unit_price = match total {
        Some(t) if qty > 0 => t.divided_by(rust_decimal::Decimal::from(qty)),
        _ => None,
    };
    if unit_price.is_none() {
        issues.push(issue(&place, format!("no price for {sku} yet (order not priced); units counted, price unknown")));
    }
    let discount = raw.promotion_discount.as_ref().and_then(super::parse::AmzMoney::money);
    OrderLine { sku, qty, unit_price, discount: discount.unwrap_or_else(|| Money::zero(currency)) }
}

pub(super) fn order(raw: &RawOrder, channel: ChannelId, status: OrderStatus, lines: Vec<OrderLine>) -> Option<Order> {
    let placed_at: Timestamp = raw.purchase_date.as_deref()?.parse().ok()?;
    Some(Order { id: clean(&raw.amazon_order_id).into_owned(), channel, placed_at, status, first_order: false, lines })
}

/// A detail-page offer as seen by `seller_id`.
pub(super) fn competitor(raw: &RawOffer, channel: ChannelId, sku: Sku, seller_id: &str) -> Option<CompetitorOffer> {
    let price = raw.listing_price.money()?;
    let landed = match raw.shipping.as_ref().and_then(super::parse::AmzMoney::money) {
        Some(shipping) => price.checked_add(shipping).ok()?,
        None => price,
    };
    let seller = raw.seller_id.as_deref().map_or_else(|| "unknown seller".to_owned(), |s| clean(s).into_owned());
    Some(CompetitorOffer {
        channel,
        sku,
        is_ours: raw.my_offer == Some(true) || seller == seller_id,
        seller,
        landed_price: landed,
        is_buy_box: raw.is_buy_box_winner == Some(true),
        seen_at: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::channels::amazon::parse::{InventoryDetails, ReservedQuantity};

    fn summary(details: Option<InventoryDetails>) -> InventorySummary {
        InventorySummary {
            asin: None,
            fn_sku: None,
            seller_sku: Some("S".into()),
            product_name: None,
            inventory_details: details,
        }
    }

    #[test]
    fn negative_counts_are_reported_not_subtracted() {
        let details = InventoryDetails {
            fulfillable_quantity: Some(-4),
            inbound_working_quantity: Some(5),
            reserved_quantity: Some(ReservedQuantity {
                pending_customer_order_quantity: Some(2),
                ..ReservedQuantity::default()
            }),
            ..InventoryDetails::default()
        };
        let at = LocationId::new("fba-us").unwrap();
        let (position, issues) = stock(&summary(Some(details)), Sku::new("S").unwrap(), &at);
        assert_eq!((position.on_hand, position.committed, position.inbound_total()), (2, 2, 5));
        assert_eq!(issues.len(), 1);
        assert!(issues[0].message.contains("fulfillableQuantity is -4"), "{issues:?}");
        let (position, issues) = stock(&summary(None), Sku::new("S").unwrap(), &at);
        assert_eq!((position.on_hand, issues.len()), (0, 1));
    }

    #[test]
    fn order_statuses_map_and_unknown_ones_are_none() {
        assert_eq!(order_status("Pending"), Some(OrderStatus::Open));
        assert_eq!(order_status("PartiallyShipped"), Some(OrderStatus::Open));
        assert_eq!(order_status("Shipped"), Some(OrderStatus::Fulfilled));
        assert_eq!(order_status("Canceled"), Some(OrderStatus::Cancelled));
        assert_eq!(order_status("AwaitingTeleport"), None);
    }

    #[test]
    fn issues_are_cleaned_for_the_terminal() {
        let i = issue("order:\u{1b}[2J1", "bad \u{9b}31m title");
        assert!(!i.place.contains('\u{1b}') && !i.message.contains('\u{9b}'));
    }
}
