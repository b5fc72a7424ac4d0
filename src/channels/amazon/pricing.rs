//! The pricing steps of a poll: Amazon's fee estimates (getMyFeesEstimates)
//! and the offers on each detail page (getItemOffersBatch), twenty to a
//! request, for the share of listings the [`RefreshBudget`] allows this
//! poll; every other listing reports its reading from an earlier poll.
//!
//! [`RefreshBudget`]: super::ledger::RefreshBudget

use std::collections::BTreeMap;

use serde_json::{Value, json};

use super::ChannelError;
use super::client::Call;
use super::ledger::{Ledger, Readings, changed, due, enqueue, record};
use super::map::{self, issue};
use super::parse::{FeesEstimateResult, OffersBatchItem, OffersBatchResponse};
use super::steps::{Poll, segment, tolerate};
use crate::core::money::Money;
use crate::core::promotion::CompetitorOffer;
use crate::core::snapshot::FeeEstimate;

/// Requests per getMyFeesEstimates and getItemOffersBatch call (both models' `maxItems`).
const PRICING_BATCH: usize = 20;

/// The candidates this poll reads, at most `budget`: a full poll files
/// them all and takes the longest waiting; an incremental one only those
/// new or repriced since they were read.
fn pick<T>(
    incremental: bool,
    readings: &mut Readings<T>,
    candidates: &[(&str, Option<Money>)],
    budget: usize,
) -> Vec<usize> {
    if incremental {
        changed(readings, candidates, budget)
    } else {
        enqueue(readings, candidates);
        due(readings, candidates, budget)
    }
}

impl Poll<'_> {
    /// Fee estimates for this poll's share of priced listings, then every
    /// listing's latest estimate (fresh or kept).
    pub(super) async fn fees(&mut self, ledger: &mut Ledger) -> Result<(), ChannelError> {
        let priced: Vec<usize> = (0..self.listed.len()).filter(|&i| self.listed[i].price.is_some()).collect();
        let candidates: Vec<(&str, Option<Money>)> =
            priced.iter().map(|&i| (self.listed[i].seller_sku.as_str(), self.listed[i].price)).collect();
        let picked: Vec<usize> = pick(self.incremental, &mut ledger.fees, &candidates, self.settings.refresh.fees);
        let picked: Vec<usize> = picked.into_iter().map(|p| priced[p]).collect();
        for chunk in picked.chunks(PRICING_BATCH) {
            self.fee_batch(chunk, ledger).await?;
        }
        for l in &self.listed {
            if let Some(estimate) = ledger.fees.get(&l.seller_sku).and_then(|k| k.value.as_ref()) {
                self.data.fees.push(FeeEstimate { channel: l.channel.clone(), sku: l.sku.clone(), ..estimate.clone() });
            }
        }
        Ok(())
    }

    async fn fee_batch(&mut self, chunk: &[usize], ledger: &mut Ledger) -> Result<(), ChannelError> {
        let body: Vec<Value> = chunk.iter().filter_map(|&i| self.fee_request(i)).collect();
        let call = Call {
            op: "getMyFeesEstimates",
            path: "/products/fees/v0/feesEstimate".into(),
            query: Vec::new(),
            body: Some(Value::Array(body)),
        };
        let poll = ledger.poll();
        let results = match tolerate(self.client.call::<Vec<FeesEstimateResult>>(&call).await)? {
            Ok(results) => results,
            Err(e) => {
                for &i in chunk {
                    let l = &self.listed[i];
                    record(&mut ledger.fees, &l.seller_sku, l.price, None, poll);
                }
                let first = &self.listed[chunk[0]].seller_sku;
                self.data.issues.push(issue(format!("fees:{first}…"), e.to_string()));
                return Ok(());
            }
        };
        let mut by_sku: BTreeMap<String, FeesEstimateResult> = BTreeMap::new();
        for result in results {
            let id = result.fees_estimate_identifier.as_ref();
            let sku = id.and_then(|i| i.id_value.clone()).or_else(|| {
                id.and_then(|i| i.seller_input_identifier.as_deref()?.strip_prefix("omnideck-").map(str::to_owned))
            });
            if let Some(sku) = sku {
                by_sku.insert(sku, result);
            }
        }
        for &i in chunk {
            let (seller_sku, price) = (self.listed[i].seller_sku.clone(), self.listed[i].price);
            let estimate = match by_sku.remove(&seller_sku) {
                Some(result) => self.fee_result(i, result),
                None => Err("no estimate for it in the batch reply".to_owned()),
            };
            let estimate = estimate.map_err(|why| self.data.issues.push(issue(format!("fees:{seller_sku}"), why))).ok();
            record(&mut ledger.fees, &seller_sku, price, estimate, poll);
            ledger.refreshed.fees.push(seller_sku);
        }
        Ok(())
    }

    /// One `FeesEstimateByIdRequest` for listing `i`, by seller SKU.
    fn fee_request(&self, i: usize) -> Option<Value> {
        let l = &self.listed[i];
        let price = l.price?;
        Some(json!({"IdType": "SellerSKU", "IdValue": l.seller_sku, "FeesEstimateRequest": {
            "MarketplaceId": self.settings.marketplace_id,
            "IsAmazonFulfilled": l.amazon_fulfilled,
            "PriceToEstimateFees": {
                "ListingPrice": {"CurrencyCode": price.currency.code(), "Amount": decimal_number(price)},
                "Shipping": {"CurrencyCode": price.currency.code(), "Amount": 0}},
            "Identifier": format!("omnideck-{}", l.seller_sku)}}))
    }

    fn fee_result(&self, i: usize, result: FeesEstimateResult) -> Result<FeeEstimate, String> {
        let l = &self.listed[i];
        match (result.status.as_deref(), result.fees_estimate, l.price) {
            (Some("Success"), Some(estimate), Some(price)) => Ok(FeeEstimate {
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
            (status, ..) => {
                let why = result.error.and_then(|e| e.message.or(e.code)).unwrap_or_default();
                Err(format!("fee estimate {}: {why}", status.unwrap_or("failed")))
            }
        }
    }

    /// Offers for this poll's share of listed ASINs, then every ASIN's
    /// latest offers (fresh or kept), under the first listing that has it.
    pub(super) async fn offers(&mut self, ledger: &mut Ledger) -> Result<(), ChannelError> {
        let mut first: BTreeMap<&str, usize> = BTreeMap::new();
        for (i, l) in self.listed.iter().enumerate() {
            if let Some(asin) = &l.asin {
                first.entry(asin.as_str()).or_insert(i);
            }
        }
        let asins: Vec<(String, usize)> = first.into_iter().map(|(a, i)| (a.to_owned(), i)).collect();
        let candidates: Vec<(&str, Option<Money>)> =
            asins.iter().map(|(asin, i)| (asin.as_str(), self.listed[*i].price)).collect();
        let picked: Vec<(String, usize)> =
            pick(self.incremental, &mut ledger.offers, &candidates, self.settings.refresh.offers)
                .into_iter()
                .map(|p| asins[p].clone())
                .collect();
        for chunk in picked.chunks(PRICING_BATCH) {
            self.offer_batch(chunk, ledger).await?;
        }
        for (asin, i) in &asins {
            let l = &self.listed[*i];
            let kept = ledger.offers.get(asin).and_then(|k| k.value.as_ref()).into_iter().flatten();
            self.data.offers.extend(kept.map(|o| CompetitorOffer {
                channel: l.channel.clone(),
                sku: l.sku.clone(),
                ..o.clone()
            }));
        }
        Ok(())
    }

    async fn offer_batch(&mut self, chunk: &[(String, usize)], ledger: &mut Ledger) -> Result<(), ChannelError> {
        let requests: Vec<Value> = chunk
            .iter()
            .map(|(asin, _)| {
                json!({"uri": format!("/products/pricing/v0/items/{}/offers", segment(asin)), "method": "GET",
                    "MarketplaceId": self.settings.marketplace_id, "ItemCondition": "New"})
            })
            .collect();
        let path = "/batches/products/pricing/v0/itemOffers".to_owned();
        let call =
            Call { op: "getItemOffersBatch", path, query: Vec::new(), body: Some(json!({"requests": requests})) };
        let poll = ledger.poll();
        let mut by_asin: BTreeMap<String, OffersBatchItem> = BTreeMap::new();
        match tolerate(self.client.call::<OffersBatchResponse>(&call).await)? {
            Ok(reply) => {
                for item in reply.responses {
                    let asin =
                        item.request.as_ref().and_then(|r| r.asin.clone()).or_else(|| {
                            item.body.as_ref().and_then(|b| b.payload.as_ref()).and_then(|p| p.asin.clone())
                        });
                    if let Some(asin) = asin {
                        by_asin.insert(asin, item);
                    }
                }
            }
            Err(e) => self.data.issues.push(issue(format!("offers:{}…", chunk[0].0), e.to_string())),
        }
        for (asin, i) in chunk {
            let price = self.listed[*i].price;
            let offers = match by_asin.remove(asin) {
                Some(item) => self.offer_result(*i, item),
                None => Err("no answer for it in the batch reply".to_owned()),
            };
            let offers = offers.map_err(|why| self.data.issues.push(issue(format!("offers:{asin}"), why))).ok();
            record(&mut ledger.offers, asin, price, offers, poll);
            ledger.refreshed.offers.push(asin.clone());
        }
        Ok(())
    }

    fn offer_result(&self, i: usize, item: OffersBatchItem) -> Result<Vec<CompetitorOffer>, String> {
        let status = item.status.and_then(|s| s.status_code).unwrap_or(200);
        let body = item.body.ok_or_else(|| format!("status {status} without a body"))?;
        if !(200..300).contains(&status) {
            let why = body.errors.into_iter().find_map(|e| e.message.or(e.code)).unwrap_or_default();
            return Err(format!("status {status}: {why}"));
        }
        let l = &self.listed[i];
        let offers = body.payload.map(|p| p.offers).unwrap_or_default();
        Ok(offers
            .iter()
            .filter_map(|o| map::competitor(o, l.channel.clone(), l.sku.clone(), &self.settings.seller_id))
            .map(|o| CompetitorOffer { seen_at: Some(self.now), ..o })
            .collect())
    }
}

/// A price as a JSON number, built from its decimal text (no `f64` on our side).
fn decimal_number(price: Money) -> serde_json::Value {
    serde_json::from_str(&price.amount.to_string()).unwrap_or(serde_json::Value::Null)
}
