//! Faire (wholesale) connector, brand side of the External API v2
//! (api-notes §4): orders with their wholesale prices and commission rate,
//! products as wholesale listings, and the inventory Faire shows retailers.
//!
//! One poll: orders updated since the last poll (cursor-paged) → every
//! product (cursor-paged) → inventory for the listed SKUs, 50 at a time.
//! Faire publishes no numeric rate limit; 429 and 503 are retried by the
//! shared client, honouring `Retry-After` when sent.

mod parse;

use std::collections::BTreeMap;

use jiff::Timestamp;
use reqwest::Url;
use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;
use serde::de::DeserializeOwned;

use super::error::ChannelError;
use super::http::HttpClient;
use super::rest::{self, Get};
use crate::config::SourceConfig;
use crate::config::credentials::Credentials;
use crate::core::ids::{ChannelId, SourceId};
use crate::core::snapshot::SourceData;
use parse::{FaireOrder, Inventory, Mapper, Product};

/// The single-brand credential header ([V] Faire docs).
pub const TOKEN_HEADER: &str = "X-FAIRE-ACCESS-TOKEN";
/// Largest `limit` Faire accepts on list endpoints.
const PAGE_SIZE: u32 = 50;
/// SKUs per inventory request, to keep the query string short.
const SKUS_PER_REQUEST: usize = 50;
/// Pages that come back empty with the cursor they were asked for.
const MAX_STALLED_PAGES: u32 = 3;

/// One page of a cursor-paged list: `{orders|products: [...], cursor}`.
#[derive(Deserialize)]
#[serde(bound = "T: DeserializeOwned")]
struct Page<T> {
    #[serde(default, alias = "orders", alias = "products")]
    items: Vec<T>,
    #[serde(default)]
    cursor: Option<String>,
}

#[derive(Deserialize)]
struct Inventories {
    #[serde(default)]
    inventories: BTreeMap<String, Inventory>,
}

/// Polls one Faire brand. `Debug` never shows the token.
pub struct FaireConnector {
    source: SourceConfig,
    channel: ChannelId,
    token: SecretString,
    client: HttpClient,
    base: Url,
    page_size: u32,
    /// Requests sent so far, retries included.
    requests: u64,
}

impl std::fmt::Debug for FaireConnector {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FaireConnector")
            .field("source", &self.source.id)
            .field("channel", &self.channel)
            .field("base", &self.base.as_str())
            .finish_non_exhaustive()
    }
}

impl FaireConnector {
    /// `channel` is the wholesale channel whose `source` is this source.
    ///
    /// # Errors
    /// No usable `base_url`, or no `access_token` credential.
    pub fn new(
        source: SourceConfig,
        channel: ChannelId,
        credentials: &Credentials,
        client: HttpClient,
    ) -> Result<Self, ChannelError> {
        let config = |m: &str| ChannelError::Config { source_id: source.id.clone(), message: m.to_owned() };
        let base = rest::base_url(&source.id, source.base_url().ok_or_else(|| config("no base_url configured"))?)?;
        let token = credentials.expose("access_token").ok_or_else(|| config("credentials lack access_token"))?;
        Ok(Self {
            token: SecretString::from(token.to_owned()),
            source,
            channel,
            client,
            base,
            page_size: PAGE_SIZE,
            requests: 0,
        })
    }

    /// `limit` per page (1 to 50).
    #[must_use]
    pub fn with_page_size(mut self, page_size: u32) -> Self {
        self.page_size = page_size.clamp(1, PAGE_SIZE);
        self
    }

    #[must_use]
    pub fn source_id(&self) -> &SourceId {
        &self.source.id
    }

    /// Requests sent so far, retries included.
    #[must_use]
    pub fn requests(&self) -> u64 {
        self.requests
    }

    /// Orders updated at or after `since` (all when `None`), every listing
    /// and its inventory.
    ///
    /// # Errors
    /// A [`ChannelError`] naming this source; nothing partial is returned.
    pub async fn poll(&mut self, since: Option<Timestamp>) -> Result<SourceData, ChannelError> {
        let filter: Vec<(&str, String)> =
            since.map(|t| ("updated_at_min", t.strftime("%Y-%m-%dT%H:%M:%S%.3fZ").to_string())).into_iter().collect();
        let orders: Vec<FaireOrder> = self.fetch_all("orders", &filter).await?;
        let products: Vec<Product> = self.fetch_all("products", &[]).await?;
        let skus: Vec<String> = products.iter().flat_map(|p| &p.variants).filter_map(|v| v.sku.clone()).collect();
        let stock = self.inventory(&skus).await?;
        let mut mapper = Mapper { channel: self.channel.clone(), issues: Vec::new() };
        let orders = orders.iter().filter_map(|o| mapper.order(o)).collect();
        let listings = products.iter().flat_map(|p| mapper.listings(p, &stock)).collect();
        Ok(SourceData { orders, listings, issues: mapper.issues, ..SourceData::default() })
    }

    async fn get<T: DeserializeOwned>(&mut self, path: &str, query: &[(&str, String)]) -> Result<T, ChannelError> {
        let url = rest::endpoint(&self.source.id, &self.base, path, query)?;
        let shown = format!("/{path}");
        let auth = (TOKEN_HEADER, self.token.expose_secret());
        let reply =
            rest::get_json::<T>(&self.client, Get { source_id: &self.source.id, url: &url, path: &shown, auth })
                .await?;
        self.requests += u64::from(reply.requests);
        Ok(reply.value)
    }

    /// Every page of a cursor-paged list, `filter` sent with each page.
    async fn fetch_all<T: DeserializeOwned>(
        &mut self,
        path: &str,
        filter: &[(&str, String)],
    ) -> Result<Vec<T>, ChannelError> {
        let mut all = Vec::new();
        let (mut cursor, mut stalled): (Option<String>, u32) = (None, 0);
        loop {
            let mut query = vec![("limit", self.page_size.to_string())];
            query.extend(filter.iter().cloned());
            if let Some(c) = &cursor {
                query.push(("cursor", c.clone()));
            }
            let page: Page<T> = self.get(path, &query).await?;
            let empty = page.items.is_empty();
            all.extend(page.items);
            let next = page.cursor.filter(|c| !c.is_empty());
            match next {
                None => return Ok(all),
                Some(n) if Some(&n) == cursor.as_ref() && empty => {
                    stalled += 1;
                    if stalled > MAX_STALLED_PAGES {
                        return Err(ChannelError::Stuck { source_id: self.source.id.clone(), what: "pages" });
                    }
                }
                Some(n) if Some(&n) == cursor.as_ref() => {
                    return Err(ChannelError::Stuck { source_id: self.source.id.clone(), what: "pages" });
                }
                Some(n) => (cursor, stalled) = (Some(n), 0),
            }
        }
    }

    /// Inventory per SKU, asked for in batches (`skus=A&skus=B`).
    async fn inventory(&mut self, skus: &[String]) -> Result<BTreeMap<String, Inventory>, ChannelError> {
        let mut all = BTreeMap::new();
        for batch in skus.chunks(SKUS_PER_REQUEST) {
            let query: Vec<(&str, String)> = batch.iter().map(|s| ("skus", s.clone())).collect();
            let reply: Inventories = self.get("product-inventory/by-skus", &query).await?;
            all.extend(reply.inventories);
        }
        Ok(all)
    }
}
