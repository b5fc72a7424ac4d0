//! Sell Inventory payloads into `core` types. Pure: no I/O, no clock;
//! everything a payload gets wrong becomes a [`SourceIssue`] next to the
//! data, never a silent zero.

use std::str::FromStr;

use rust_decimal::Decimal;

use super::parse::{Amount, InventoryItem, Offer};
use crate::core::ids::{ChannelId, Sku};
use crate::core::listing::{Listing, ListingIds};
use crate::core::money::{Currency, Money};
use crate::core::rules::Rules;
use crate::core::snapshot::SourceIssue;
use crate::core::text::clean;

/// Formats this version knows; another one is read but reported.
const FORMATS: [&str; 2] = ["FIXED_PRICE", "AUCTION"];

pub(super) fn issue(place: impl Into<String>, message: impl Into<String>) -> SourceIssue {
    SourceIssue { place: clean(&place.into()).into_owned(), message: clean(&message.into()).into_owned() }
}

/// The catalog SKU an eBay SKU stands for; an issue when the catalog does
/// not know it (an old listing nobody ended).
pub(super) fn canonical(rules: &Rules, channel: &ChannelId, ebay_sku: &str) -> Result<Sku, SourceIssue> {
    rules
        .sku_map
        .canonical(channel, ebay_sku)
        .filter(|sku| rules.catalog.contains(sku.as_str()))
        .ok_or_else(|| issue(format!("{channel}:{ebay_sku}"), "eBay SKU is not in the catalog; ignored"))
}

/// eBay's `{value, currency}` as exact money; the value is a string and is
/// parsed as a decimal, never through a float.
pub(super) fn money(amount: &Amount) -> Result<Money, String> {
    let currency = Currency::from_str(amount.currency.trim()).map_err(|e| e.to_string())?;
    let value =
        Decimal::from_str(amount.value.trim()).map_err(|_| format!("price {:?} is not a decimal", amount.value))?;
    if value.is_sign_negative() {
        return Err(format!("price {value} is negative"));
    }
    Ok(Money::new(value, currency))
}

/// The offer that is the listing on `marketplace`: fixed-price first, as
/// the price book compares fixed prices.
pub(super) fn choose_offer<'a>(offers: &'a [Offer], marketplace: &str) -> Option<&'a Offer> {
    let here = || offers.iter().filter(|o| o.marketplace_id.as_deref().is_none_or(|m| m == marketplace));
    here().find(|o| o.format.as_deref() == Some("FIXED_PRICE")).or_else(|| here().next())
}

/// `shipToLocationAvailability.quantity`; absent is unknown, negative is 0.
fn quantity(item: &InventoryItem, place: &str, issues: &mut Vec<SourceIssue>) -> Option<u32> {
    let raw =
        item.availability.as_ref().and_then(|a| a.ship_to_location_availability.as_ref()).and_then(|s| s.quantity);
    match raw {
        None => {
            issues.push(issue(place, "no shipToLocationAvailability.quantity; quantity unknown"));
            None
        }
        Some(q) => Some(u32::try_from(q).unwrap_or_else(|_| {
            issues.push(issue(place, format!("quantity is {q}; counted as 0")));
            0
        })),
    }
}

/// One inventory item and its offers → the listing on `channel`, or `None`
/// (with the reason as an issue) when nothing is live on the marketplace.
pub(super) fn listing(
    item: &InventoryItem,
    offers: &[Offer],
    channel: &ChannelId,
    sku: Sku,
    marketplace: &str,
    channel_currency: Option<Currency>,
) -> (Option<Listing>, Vec<SourceIssue>) {
    let place = format!("{channel}:{}", item.sku);
    let mut issues = Vec::new();
    let Some(offer) = choose_offer(offers, marketplace) else {
        issues.push(issue(&place, format!("no offer on {marketplace}; not listed")));
        return (None, issues);
    };
    if offer.listing.as_ref().and_then(|l| l.listing_id.as_ref()).is_none()
        || offer.status.as_deref() == Some("UNPUBLISHED")
    {
        issues.push(issue(&place, "offer is not published; not listed"));
        return (None, issues);
    }
    if let Some(format) = offer.format.as_deref().filter(|f| !FORMATS.contains(f)) {
        issues.push(issue(&place, format!("unknown listing format {format:?}; price read anyway")));
    }
    let price = match offer.pricing_summary.as_ref().and_then(|p| p.price.as_ref()).map(money) {
        Some(Ok(price)) => Some(price),
        Some(Err(why)) => {
            issues.push(issue(&place, format!("{why}; price unknown")));
            None
        }
        None => {
            issues.push(issue(&place, "offer has no pricingSummary.price; price unknown"));
            None
        }
    };
    if let (Some(p), Some(c)) = (price, channel_currency)
        && p.currency != c
    {
        issues.push(issue(&place, format!("priced in {} but the channel sells in {}", p.currency.code(), c.code())));
    }
    let quantity = quantity(item, &place, &mut issues);
    let title = item.product.as_ref().and_then(|p| p.title.as_deref()).map(|t| clean(t).into_owned());
    let listing = Listing {
        channel: channel.clone(),
        sku,
        ids: ListingIds::Marketplace { sku: clean(&item.sku).into_owned() },
        title,
        price,
        compare_at: None,
        quantity,
        unit_cost: None,
    };
    (Some(listing), issues)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::channels::ebay::parse::{OfferListing, PricingSummary};

    fn amount(value: &str, currency: &str) -> Amount {
        Amount { value: value.into(), currency: currency.into() }
    }

    fn offer(marketplace: &str, format: &str, price: Option<Amount>) -> Offer {
        Offer {
            marketplace_id: Some(marketplace.into()),
            format: Some(format.into()),
            status: Some("PUBLISHED".into()),
            pricing_summary: Some(PricingSummary { price }),
            listing: Some(OfferListing { listing_id: Some("1".into()) }),
        }
    }

    #[test]
    fn money_is_exact_and_refuses_nonsense() {
        let m = money(&amount("19.99", "USD")).unwrap();
        assert_eq!((m.amount, m.currency), (Decimal::new(1999, 2), Currency::USD));
        // 0.1 + 0.2 style values stay exact because they never pass a float.
        assert_eq!(money(&amount("0.30", "USD")).unwrap().amount, Decimal::new(30, 2));
        assert!(money(&amount("12,50", "USD")).is_err());
        assert!(money(&amount("-1.00", "USD")).is_err());
        assert!(money(&amount("1.00", "usd")).is_err());
    }

    #[test]
    fn fixed_price_offer_on_the_marketplace_wins() {
        let offers = [
            offer("EBAY_GB", "FIXED_PRICE", None),
            offer("EBAY_US", "AUCTION", None),
            offer("EBAY_US", "FIXED_PRICE", Some(amount("5.00", "USD"))),
        ];
        let chosen = choose_offer(&offers, "EBAY_US").unwrap();
        assert_eq!(chosen.format.as_deref(), Some("FIXED_PRICE"));
        assert_eq!(chosen.marketplace_id.as_deref(), Some("EBAY_US"));
        assert!(choose_offer(&offers[..1], "EBAY_US").is_none());
    }
}
