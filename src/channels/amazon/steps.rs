//! The steps of one poll, each filling the same [`SourceData`].

use std::collections::BTreeMap;
use std::fmt::Write as _;

use jiff::Timestamp;

use super::client::{Call, SpClient};
use super::map::{self, Fulfilled, issue};
use super::parse::{
    InventoryResponse, InventorySummary, ListingItem, OrderItemsResponse, OrdersResponse, RawOrder, RawOrderItem,
};
use super::{AmazonChannels, AmazonSettings, ChannelError};
use crate::channels::http::HttpError;
use crate::core::ids::{ChannelId, Sku};
use crate::core::listing::{Listing, ListingIds};
use crate::core::money::{Currency, Money};
use crate::core::orders::OrderStatus;
use crate::core::rules::Rules;
use crate::core::snapshot::SourceData;
use crate::core::text::clean;

/// More pages than any seller has; stops a server that never stops paging.
pub(super) const MAX_PAGES: u32 = 1000;

/// A listing found this poll, for the fee and offer steps.
pub(super) struct Listed {
    pub(super) seller_sku: String,
    pub(super) channel: ChannelId,
    pub(super) sku: Sku,
    pub(super) asin: Option<String>,
    pub(super) price: Option<Money>,
    pub(super) amazon_fulfilled: bool,
}

/// What an FBA inventory summary says about its seller SKU.
#[derive(Debug, Clone, Default)]
pub(super) struct FbaIds {
    asin: Option<String>,
    fnsku: Option<String>,
    product_name: Option<String>,
}

pub(super) struct Poll<'a> {
    /// When this poll started: the time offers read now were seen.
    pub(super) now: Timestamp,
    pub(super) settings: &'a AmazonSettings,
    pub(super) client: &'a SpClient,
    pub(super) rules: &'a Rules,
    pub(super) channels: AmazonChannels,
    pub(super) data: SourceData,
    pub(super) fba: BTreeMap<String, FbaIds>,
    pub(super) listed: Vec<Listed>,
    /// Reads only what changed (see `incremental`): pricing then re-reads
    /// new or repriced listings only.
    pub(super) incremental: bool,
}

/// Percent-encodes one path segment (SKUs may hold `/`, spaces, `#`).
pub(super) fn segment(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(char::from(b));
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

/// A time as SP-API's query parameters take it (ISO 8601, UTC).
fn iso(t: Timestamp) -> String {
    t.strftime("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// Keeps going past one item's failure unless it concerns the whole source.
pub(super) fn tolerate<T>(result: Result<T, ChannelError>) -> Result<Result<T, ChannelError>, ChannelError> {
    match result {
        Err(e) if e.is_fatal() => Err(e),
        other => Ok(other),
    }
}

impl<'a> Poll<'a> {
    pub(super) fn new(
        settings: &'a AmazonSettings,
        client: &'a SpClient,
        rules: &'a Rules,
        channels: AmazonChannels,
        now: Timestamp,
    ) -> Self {
        Self {
            now,
            settings,
            client,
            rules,
            channels,
            data: SourceData::default(),
            fba: BTreeMap::new(),
            listed: Vec::new(),
            incremental: false,
        }
    }

    pub(super) fn finish(self) -> SourceData {
        self.data
    }

    fn currency(&self, channel: &ChannelId) -> Option<Currency> {
        self.rules.channels.get(channel).map(|c| c.currency)
    }

    /// FBA inventory: every summary, or with `changed_since` only those
    /// changed since then (`startDateTime`). A `nextToken` dies 30 s after
    /// it was made; if one expired anyway (a long stall between pages), the
    /// listing is read again from the first page, once, rather than left
    /// half-read.
    pub(super) async fn inventory(&mut self, changed_since: Option<Timestamp>) -> Result<(), ChannelError> {
        match self.inventory_pages(changed_since).await {
            Err(ChannelError::Http(HttpError::Status { status: 400, message, .. }))
                if message.contains("nextToken") =>
            {
                self.data = SourceData::default();
                self.fba.clear();
                self.inventory_pages(changed_since).await?;
                self.data.issues.push(issue("fba-inventory", "a nextToken expired; read again from the first page"));
                Ok(())
            }
            other => other,
        }
    }

    /// Every page of FBA inventory summaries, following `nextToken` at once.
    async fn inventory_pages(&mut self, changed_since: Option<Timestamp>) -> Result<(), ChannelError> {
        let marketplace = self.settings.marketplace_id.clone();
        let mut next: Option<String> = None;
        for _ in 0..MAX_PAGES {
            let mut query = vec![
                ("details", "true".to_owned()),
                ("granularityType", "Marketplace".to_owned()),
                ("granularityId", marketplace.clone()),
                ("marketplaceIds", marketplace.clone()),
            ];
            query.extend(changed_since.map(|t| ("startDateTime", iso(t))));
            query.extend(next.take().map(|t| ("nextToken", t)));
            let call =
                Call { op: "getInventorySummaries", path: "/fba/inventory/v1/summaries".into(), query, body: None };
            let page: InventoryResponse = self.client.call(&call).await?;
            for summary in page.payload.map(|p| p.inventory_summaries).unwrap_or_default() {
                self.summary(&summary);
            }
            next = page.pagination.and_then(|p| p.next_token).filter(|t| !t.is_empty());
            if next.is_none() {
                return Ok(());
            }
        }
        self.data.issues.push(issue("fba-inventory", format!("stopped after {MAX_PAGES} pages")));
        Ok(())
    }

    fn summary(&mut self, summary: &InventorySummary) {
        let Some(seller_sku) = summary.seller_sku.clone() else {
            self.data.issues.push(issue("fba-inventory", "a summary without sellerSku was skipped"));
            return;
        };
        let ids = FbaIds {
            asin: summary.asin.clone(),
            fnsku: summary.fn_sku.clone(),
            product_name: summary.product_name.as_deref().map(|n| clean(n).into_owned()),
        };
        self.fba.insert(seller_sku.clone(), ids);
        let Some(channel) = self.channels.fba.clone() else {
            let msg = "FBA stock reported but no FBA channel uses this source";
            self.data.issues.push(issue(format!("fba-inventory:{seller_sku}"), msg));
            return;
        };
        match map::canonical(self.rules, &channel, &seller_sku) {
            Ok(sku) => {
                let (position, issues) = map::stock(summary, sku, &self.settings.location);
                self.data.stock.push(position);
                self.data.issues.extend(issues);
            }
            Err(i) => self.data.issues.push(i),
        }
    }

    fn listing_channel(&mut self, seller_sku: &str, from_inventory: bool, item: &ListingItem) -> Option<ChannelId> {
        let (fulfilled, unknown_code) = map::fulfilled(item);
        if let Some(code) = unknown_code {
            let msg = format!("unknown fulfillmentChannelCode {code:?}; channel taken from FBA inventory");
            self.data.issues.push(issue(format!("listing:{seller_sku}"), msg));
        }
        let amazon = match fulfilled {
            Fulfilled::Amazon => true,
            Fulfilled::Merchant(_) => false,
            Fulfilled::Unknown => from_inventory,
        };
        let channel = if amazon { self.channels.fba.clone() } else { self.channels.merchant.clone() };
        if channel.is_none() {
            let msg = format!("listed as {} but no such channel uses this source", if amazon { "FBA" } else { "MFN" });
            self.data.issues.push(issue(format!("listing:{seller_sku}"), msg));
        }
        channel
    }

    pub(super) fn listing(&mut self, seller_sku: &str, from_inventory: bool, item: &ListingItem) {
        let Some(channel) = self.listing_channel(seller_sku, from_inventory, item) else { return };
        let sku = match map::canonical(self.rules, &channel, seller_sku) {
            Ok(sku) => sku,
            Err(i) => return self.data.issues.push(i),
        };
        let fba = self.fba.get(seller_sku).cloned().unwrap_or_default();
        let asin = map::asin(item).or(fba.asin);
        let price = map::offer_price(item, &self.settings.marketplace_id);
        let amazon_fulfilled = Some(&channel) == self.channels.fba.as_ref();
        let quantity = match map::fulfilled(item).0 {
            Fulfilled::Merchant(Some(q)) => u32::try_from(q).ok(),
            _ => None,
        };
        self.data.listings.push(Listing {
            channel: channel.clone(),
            sku: sku.clone(),
            ids: ListingIds::Amazon { seller_sku: seller_sku.to_owned(), asin: asin.clone(), fnsku: fba.fnsku },
            title: map::title(item).or(fba.product_name),
            price,
            compare_at: None,
            quantity,
            unit_cost: None,
        });
        self.listed.push(Listed { seller_sku: seller_sku.to_owned(), channel, sku, asin, price, amazon_fulfilled });
    }

    /// Orders created since `since`, each with its items.
    pub(super) async fn orders(&mut self, since: Timestamp) -> Result<(), ChannelError> {
        let mut next: Option<String> = None;
        for _ in 0..MAX_PAGES {
            let mut query = vec![
                ("MarketplaceIds", self.settings.marketplace_id.clone()),
                ("CreatedAfter", iso(since)),
                ("MaxResultsPerPage", "100".to_owned()),
            ];
            query.extend(next.take().map(|t| ("NextToken", t)));
            let call = Call { op: "getOrders", path: "/orders/v0/orders".into(), query, body: None };
            let page: OrdersResponse = self.client.call(&call).await?;
            let payload = page.payload;
            next = payload.as_ref().and_then(|p| p.next_token.clone()).filter(|t| !t.is_empty());
            for raw in payload.map(|p| p.orders).unwrap_or_default() {
                self.order(&raw).await?;
            }
            if next.is_none() {
                return Ok(());
            }
        }
        self.data.issues.push(issue("orders", format!("stopped after {MAX_PAGES} pages")));
        Ok(())
    }

    async fn order_items(&self, order_id: &str) -> Result<Vec<RawOrderItem>, ChannelError> {
        let mut items = Vec::new();
        let mut next: Option<String> = None;
        for _ in 0..MAX_PAGES {
            let path = format!("/orders/v0/orders/{}/orderItems", segment(order_id));
            let query = next.take().map(|t| ("NextToken", t)).into_iter().collect();
            let page: OrderItemsResponse =
                self.client.call(&Call { op: "getOrderItems", path, query, body: None }).await?;
            let payload = page.payload;
            next = payload.as_ref().and_then(|p| p.next_token.clone()).filter(|t| !t.is_empty());
            items.extend(payload.map(|p| p.order_items).unwrap_or_default());
            if next.is_none() {
                break;
            }
        }
        Ok(items)
    }

    fn order_channel(&mut self, raw: &RawOrder, items: &[RawOrderItem]) -> Option<ChannelId> {
        let place = format!("order:{}", raw.amazon_order_id);
        let from_listing = || {
            let item = items.first()?;
            self.listed
                .iter()
                .find(|l| Some(&l.seller_sku) == item.seller_sku.as_ref() || (l.asin.is_some() && l.asin == item.asin))
                .map(|l| l.channel.clone())
        };
        match raw.fulfillment_channel.as_deref() {
            Some("AFN") => self.channels.fba.clone(),
            Some("MFN") => self.channels.merchant.clone(),
            None => from_listing(),
            Some(other) => {
                let channel = from_listing();
                let msg = format!("unknown FulfillmentChannel {other:?}; channel taken from the listing");
                self.data.issues.push(issue(&place, msg));
                channel
            }
        }
    }

    async fn order(&mut self, raw: &RawOrder) -> Result<(), ChannelError> {
        let place = format!("order:{}", raw.amazon_order_id);
        let items = match tolerate(self.order_items(&raw.amazon_order_id).await)? {
            Ok(items) => items,
            Err(e) => {
                self.data.issues.push(issue(&place, e.to_string()));
                return Ok(());
            }
        };
        let Some(channel) = self.order_channel(raw, &items) else {
            self.data.issues.push(issue(&place, "cannot tell which Amazon channel sold it; skipped"));
            return Ok(());
        };
        let status = raw.order_status.as_deref().unwrap_or("");
        let status = map::order_status(status).unwrap_or_else(|| {
            self.data.issues.push(issue(&place, format!("unknown OrderStatus {status:?}; counted as open")));
            OrderStatus::Open
        });
        let Some(currency) = self.currency(&channel) else {
            self.data.issues.push(issue(&place, format!("channel {channel} is not configured; skipped")));
            return Ok(());
        };
        let mut lines = Vec::new();
        for item in &items {
            let seller_sku = item.seller_sku.clone().or_else(|| {
                self.listed.iter().find(|l| l.asin.is_some() && l.asin == item.asin).map(|l| l.seller_sku.clone())
            });
            let Some(seller_sku) = seller_sku else {
                self.data.issues.push(issue(&place, "an item with no SellerSKU and an unknown ASIN was skipped"));
                continue;
            };
            match map::canonical(self.rules, &channel, &seller_sku) {
                Ok(sku) => {
                    lines.push(map::order_line(item, sku, currency, &raw.amazon_order_id, &mut self.data.issues));
                }
                Err(i) => self.data.issues.push(i),
            }
        }
        match map::order(raw, channel, status, lines) {
            Some(order) => self.data.orders.push(order),
            None => self.data.issues.push(issue(&place, "PurchaseDate missing or not a date; skipped")),
        }
        Ok(())
    }
}
