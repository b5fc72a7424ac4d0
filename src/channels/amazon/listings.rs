//! The listings step: every wanted seller SKU looked up twenty at a time
//! with searchListingsItems, asked by SKU (`identifiersType=SKU`).
//!
//! Why by SKU and not by paging through the whole account: the Listings
//! Items model caps what a search can page through at 1000 items, so a
//! 20k-SKU account cannot be listed by paging alone. Twenty SKUs a request
//! costs the same number of requests as twenty-item pages would, and a
//! merchant spelling the account does not list simply does not come back
//! (no 404 to wait out). A SKU holding a comma cannot ride in the
//! comma-separated `identifiers` list, so it alone is read with
//! getListingsItem.

use std::collections::BTreeMap;

use super::ChannelError;
use super::client::Call;
use super::map::issue;
use super::parse::{ListingItem, ListingSearch};
use super::steps::{MAX_PAGES, Poll, segment, tolerate};

/// SKUs per searchListingsItems request: the model's `maxItems` for
/// `identifiers`, and its largest `pageSize`.
pub(super) const SEARCH_BATCH: usize = 20;

const INCLUDED: &str = "summaries,offers,fulfillmentAvailability";

impl Poll<'_> {
    /// Every FBA seller SKU, and every catalog SKU as the merchant channel
    /// spells it; `true` for those FBA inventory reported.
    pub(super) fn wanted(&self) -> BTreeMap<String, bool> {
        let mut wanted: BTreeMap<String, bool> = self.fba.keys().map(|s| (s.clone(), true)).collect();
        if let Some(merchant) = &self.channels.merchant {
            for item in self.rules.catalog.iter() {
                wanted.entry(self.rules.sku_map.channel_sku(merchant, &item.sku)).or_insert(false);
            }
        }
        wanted
    }

    /// Listings for every wanted SKU.
    pub(super) async fn listings(&mut self) -> Result<(), ChannelError> {
        self.listings_of(self.wanted()).await
    }

    /// Listings for `wanted` (seller SKU, whether FBA inventory has it); a
    /// catalog SKU not listed is fine, an FBA SKU without a listing is
    /// reported.
    pub(super) async fn listings_of(&mut self, wanted: BTreeMap<String, bool>) -> Result<(), ChannelError> {
        let (alone, batched): (Vec<_>, Vec<_>) = wanted.into_iter().partition(|(sku, _)| sku.contains(','));
        for chunk in batched.chunks(SEARCH_BATCH) {
            let skus: Vec<&str> = chunk.iter().map(|(sku, _)| sku.as_str()).collect();
            let mut found = match tolerate(self.search(&skus).await)? {
                Ok(found) => found,
                Err(e) => {
                    let place = format!("listing:{}…{}", skus[0], skus[skus.len() - 1]);
                    self.data.issues.push(issue(place, e.to_string()));
                    continue;
                }
            };
            for (seller_sku, from_inventory) in chunk {
                match found.remove(seller_sku) {
                    Some(item) => self.listing(seller_sku, *from_inventory, &item),
                    None if *from_inventory => {
                        let msg = "in FBA inventory but searchListingsItems does not list it";
                        self.data.issues.push(issue(format!("listing:{seller_sku}"), msg));
                    }
                    None => {}
                }
            }
        }
        for (seller_sku, from_inventory) in alone {
            self.one_listing(&seller_sku, from_inventory).await?;
        }
        Ok(())
    }

    /// One searchListingsItems lookup of up to twenty SKUs, every page of
    /// it, keyed by the SKU each item reports.
    async fn search(&self, skus: &[&str]) -> Result<BTreeMap<String, ListingItem>, ChannelError> {
        let mut found = BTreeMap::new();
        let mut next: Option<String> = None;
        for _ in 0..MAX_PAGES {
            let mut query = vec![
                ("marketplaceIds", self.settings.marketplace_id.clone()),
                ("identifiersType", "SKU".to_owned()),
                ("identifiers", skus.join(",")),
                ("pageSize", SEARCH_BATCH.to_string()),
                ("includedData", INCLUDED.to_owned()),
            ];
            query.extend(next.take().map(|t| ("pageToken", t)));
            let path = format!("/listings/2021-08-01/items/{}", segment(&self.settings.seller_id));
            let page: ListingSearch =
                self.client.call(&Call { op: "searchListingsItems", path, query, body: None }).await?;
            for item in page.items {
                if let Some(sku) = item.sku.clone() {
                    found.insert(sku, item);
                }
            }
            next = page.pagination.and_then(|p| p.next_token).filter(|t| !t.is_empty());
            if next.is_none() {
                break;
            }
        }
        Ok(found)
    }

    /// getListingsItem for a SKU a search cannot carry.
    async fn one_listing(&mut self, seller_sku: &str, from_inventory: bool) -> Result<(), ChannelError> {
        let path = format!("/listings/2021-08-01/items/{}/{}", segment(&self.settings.seller_id), segment(seller_sku));
        let query =
            vec![("marketplaceIds", self.settings.marketplace_id.clone()), ("includedData", INCLUDED.to_owned())];
        let call = Call { op: "getListingsItem", path, query, body: None };
        match tolerate(self.client.call::<ListingItem>(&call).await)? {
            Ok(item) => self.listing(seller_sku, from_inventory, &item),
            Err(ChannelError::NotFound { .. }) if !from_inventory => {}
            Err(e) => self.data.issues.push(issue(format!("listing:{seller_sku}"), e.to_string())),
        }
        Ok(())
    }
}
