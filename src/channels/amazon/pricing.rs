//! The pricing steps of a poll: Amazon's fee estimate per listed SKU and
//! the offers on each detail page (who holds the buy box, and at what price).

use serde_json::json;

use super::ChannelError;
use super::client::Call;
use super::map::{self, issue};
use super::parse::{FeesResponse, OffersResponse};
use super::steps::{Poll, segment, tolerate};
use crate::core::money::Money;
use crate::core::snapshot::FeeEstimate;

impl Poll<'_> {
    /// Amazon's own fee estimate for every listed SKU with a price.
    pub(super) async fn fees(&mut self) -> Result<(), ChannelError> {
        for l in &self.listed {
            let Some(price) = l.price else { continue };
            let body = json!({"FeesEstimateRequest": {
                "MarketplaceId": self.settings.marketplace_id,
                "IsAmazonFulfilled": l.amazon_fulfilled,
                "PriceToEstimateFees": {
                    "ListingPrice": {"CurrencyCode": price.currency.code(), "Amount": decimal_number(price)},
                    "Shipping": {"CurrencyCode": price.currency.code(), "Amount": 0}},
                "Identifier": format!("omnideck-{}", l.seller_sku)}});
            let path = format!("/products/fees/v0/listings/{}/feesEstimate", segment(&l.seller_sku));
            let call = Call { op: "getMyFeesEstimateForSKU", path, query: Vec::new(), body: Some(body) };
            let place = format!("fees:{}", l.seller_sku);
            let reply = match tolerate(self.client.call::<FeesResponse>(&call).await)? {
                Ok(reply) => reply,
                Err(e) => {
                    self.data.issues.push(issue(place, e.to_string()));
                    continue;
                }
            };
            let Some(result) = reply.payload.and_then(|p| p.fees_estimate_result) else { continue };
            match (result.status.as_deref(), result.fees_estimate) {
                (Some("Success"), Some(estimate)) => self.data.fees.push(FeeEstimate {
                    channel: l.channel.clone(),
                    sku: l.sku.clone(),
                    price,
                    lines: estimate
                        .fee_detail_list
                        .iter()
                        .filter_map(|d| Some((d.fee_type.clone(), d.final_fee.money()?)))
                        .collect(),
                    estimated_at: estimate.time_of_fees_estimation.and_then(|t| t.parse().ok()),
                }),
                (status, _) => {
                    let why = result.error.and_then(|e| e.message.or(e.code)).unwrap_or_default();
                    self.data.issues.push(issue(place, format!("fee estimate {}: {why}", status.unwrap_or("failed"))));
                }
            }
        }
        Ok(())
    }

    /// The offers on each listed ASIN's detail page.
    pub(super) async fn offers(&mut self) -> Result<(), ChannelError> {
        let mut seen = std::collections::BTreeSet::new();
        for l in &self.listed {
            let Some(asin) = l.asin.as_ref().filter(|a| seen.insert((*a).clone())) else { continue };
            let path = format!("/products/pricing/v0/items/{}/offers", segment(asin));
            let query =
                vec![("MarketplaceId", self.settings.marketplace_id.clone()), ("ItemCondition", "New".to_owned())];
            let call = Call { op: "getItemOffers", path, query, body: None };
            match tolerate(self.client.call::<OffersResponse>(&call).await)? {
                Ok(reply) => {
                    let offers = reply.payload.map(|p| p.offers).unwrap_or_default();
                    self.data.offers.extend(offers.iter().filter_map(|o| {
                        map::competitor(o, l.channel.clone(), l.sku.clone(), &self.settings.seller_id)
                    }));
                }
                Err(e) => self.data.issues.push(issue(format!("offers:{asin}"), e.to_string())),
            }
        }
        Ok(())
    }
}

/// A price as a JSON number, built from its decimal text (no `f64` on our side).
fn decimal_number(price: Money) -> serde_json::Value {
    serde_json::from_str(&price.amount.to_string()).unwrap_or(serde_json::Value::Null)
}
