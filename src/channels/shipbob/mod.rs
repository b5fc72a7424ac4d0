// Vendor names such as ShipBob are proper nouns in prose, not code items.
#![allow(clippy::doc_markdown)]
//! ShipBob (3PL) connector: the 3PL's own stock counts per fulfilment
//! centre, read through the 1.0 API (api-notes §3) and paced by ShipBob's
//! 150 requests per rolling minute so a normal refresh is never throttled.
//!
//! One poll: fulfilment centres → products (the SKU of each inventory item)
//! → inventory, every page of each. Stock is always read in full: a 3PL's
//! counts are what they are now, there is no "changed since".

mod parse;

use std::collections::BTreeSet;
use std::time::{Duration, Instant};

use reqwest::Url;
use secrecy::{ExposeSecret, SecretString};
use serde::de::DeserializeOwned;

use super::error::ChannelError;
use super::http::HttpClient;
use super::limit::SlidingWindow;
use super::rest::{self, Get};
use crate::config::SourceConfig;
use crate::config::credentials::Credentials;
use crate::core::ids::SourceId;
use crate::core::snapshot::{SourceData, SourceIssue};
use parse::{FulfillmentCenter, InventoryItem, Mapper, Product};

/// The header that names the next page ([V] ShipBob FAQ).
pub const NEXT_PAGE_HEADER: &str = "next-page";
/// Share of the window the client allows itself: below 1 because requests
/// reach ShipBob a little after they leave here, and a retried request
/// counts at ShipBob too.
pub const PACE_FRACTION: f64 = 0.9;
/// Items per page (1.0 accepts up to 250).
const PAGE_SIZE: u32 = 250;
/// Empty pages that do not advance before pagination is declared stuck.
const MAX_STALLED_PAGES: u32 = 3;

/// Requests and pacing so far, for progress displays and tests.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ShipbobStats {
    /// Requests sent, retries included.
    pub requests: u64,
    pub pages: u64,
    /// How often the client waited for its own window, and for how long.
    pub paced: u64,
    pub paced_for: Duration,
}

/// Polls one ShipBob account. `Debug` never shows the token.
pub struct ShipbobConnector {
    source: SourceConfig,
    token: SecretString,
    client: HttpClient,
    base: Url,
    window: SlidingWindow,
    page_size: u32,
    stats: ShipbobStats,
}

impl std::fmt::Debug for ShipbobConnector {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ShipbobConnector")
            .field("source", &self.source.id)
            .field("base", &self.base.as_str())
            .finish_non_exhaustive()
    }
}

impl ShipbobConnector {
    /// # Errors
    /// No usable `base_url`, or no `access_token` credential.
    pub fn new(source: SourceConfig, credentials: &Credentials, client: HttpClient) -> Result<Self, ChannelError> {
        let config = |m: &str| ChannelError::Config { source_id: source.id.clone(), message: m.to_owned() };
        let base = rest::base_url(&source.id, source.base_url().ok_or_else(|| config("no base_url configured"))?)?;
        let token = credentials.expose("access_token").ok_or_else(|| config("credentials lack access_token"))?;
        let window =
            SlidingWindow::shipbob().with_target_fraction(PACE_FRACTION).map_err(|e| config(&e.to_string()))?;
        Ok(Self {
            token: SecretString::from(format!("Bearer {token}")),
            source,
            client,
            base,
            window,
            page_size: PAGE_SIZE,
            stats: ShipbobStats::default(),
        })
    }

    /// Items per page requested (at least 1).
    #[must_use]
    pub fn with_page_size(mut self, page_size: u32) -> Self {
        self.page_size = page_size.max(1);
        self
    }

    /// Paces against `window` instead of ShipBob's published one (tests run
    /// a shorter window); the client still keeps [`PACE_FRACTION`] of it.
    ///
    /// # Errors
    /// The window's limit cannot be scaled.
    pub fn with_window(mut self, window: SlidingWindow) -> Result<Self, ChannelError> {
        self.window = window
            .with_target_fraction(PACE_FRACTION)
            .map_err(|e| ChannelError::Config { source_id: self.source.id.clone(), message: e.to_string() })?;
        Ok(self)
    }

    #[must_use]
    pub fn source_id(&self) -> &SourceId {
        &self.source.id
    }

    #[must_use]
    pub fn stats(&self) -> ShipbobStats {
        self.stats
    }

    /// One full read of the 3PL's stock.
    ///
    /// # Errors
    /// A [`ChannelError`] naming this source; nothing partial is returned.
    pub async fn poll(&mut self) -> Result<SourceData, ChannelError> {
        let centers: Vec<FulfillmentCenter> = self.fetch_all("1.0/fulfillmentCenter", false).await?;
        let products: Vec<Product> = self.fetch_all("1.0/product", true).await?;
        let items: Vec<InventoryItem> = self.fetch_all("1.0/inventory", true).await?;
        let mut mapper = Mapper {
            source_id: self.source.id.clone(),
            location_map: &self.source.location_map,
            location: self.source.location.as_deref(),
            skus: std::collections::BTreeMap::new(),
            issues: unknown_centers(&self.source, &centers),
        };
        mapper.learn(&products);
        let stock = mapper.stock(&items);
        tracing::debug!(source = %mapper.source_id, positions = stock.len(), "shipbob read");
        Ok(SourceData { stock, issues: mapper.issues, ..SourceData::default() })
    }

    /// Waits until the window admits one more request, and takes it.
    async fn pace(&mut self) {
        loop {
            match self.window.try_acquire(Instant::now()) {
                Ok(_) => return,
                Err(wait) => {
                    self.stats.paced += 1;
                    self.stats.paced_for += wait;
                    tokio::time::sleep(wait).await;
                }
            }
        }
    }

    /// Every page of `path` (a JSON array per page), following `next-page`.
    async fn fetch_all<T: DeserializeOwned>(&mut self, path: &str, paged: bool) -> Result<Vec<T>, ChannelError> {
        let mut all = Vec::new();
        let (mut page, mut stalled) = (1u32, 0u32);
        loop {
            let query =
                if paged { vec![("Page", page.to_string()), ("Limit", self.page_size.to_string())] } else { vec![] };
            let url = rest::endpoint(&self.source.id, &self.base, path, &query)?;
            let shown = format!("/{path}");
            self.pace().await;
            let auth = ("authorization", self.token.expose_secret());
            let get = Get { source_id: &self.source.id, url: &url, path: &shown, auth };
            let reply = rest::get_json::<Vec<T>>(&self.client, get).await?;
            self.count(reply.requests);
            let next = reply.headers.get(NEXT_PAGE_HEADER).and_then(|v| v.to_str().ok()).and_then(page_number);
            let empty = reply.value.is_empty();
            all.extend(reply.value);
            match next {
                Some(n) if paged && n > page => (page, stalled) = (n, 0),
                Some(n) if paged && n == page && empty && stalled < MAX_STALLED_PAGES => stalled += 1,
                Some(_) if paged => {
                    return Err(ChannelError::Stuck { source_id: self.source.id.clone(), what: "pages" });
                }
                _ => return Ok(all),
            }
        }
    }

    /// Books the requests a reply took; retries beyond the first were sent
    /// without pacing, so they are entered in the window now.
    fn count(&mut self, requests: u32) {
        self.stats.requests += u64::from(requests);
        self.stats.pages += 1;
        let now = Instant::now();
        for _ in 1..requests {
            let _ = self.window.try_acquire(now);
        }
    }
}

/// The page number in a `next-page` value (`/1.0/inventory?Page=2&Limit=50`).
/// Only the number is kept: following a URL from a header could send the
/// token to another host.
fn page_number(value: &str) -> Option<u32> {
    let url = Url::parse("http://next.invalid/").ok()?.join(value.trim()).ok()?;
    url.query_pairs().find(|(k, _)| k.eq_ignore_ascii_case("page")).and_then(|(_, v)| v.parse().ok())
}

/// `location_map` keys ShipBob does not list: a typo would silently drop stock.
fn unknown_centers(source: &SourceConfig, centers: &[FulfillmentCenter]) -> Vec<SourceIssue> {
    let known: BTreeSet<String> = centers.iter().map(|c| c.id.to_string()).collect();
    source
        .location_map
        .keys()
        .filter(|k| !known.contains(*k))
        .map(|k| SourceIssue {
            place: format!("location_map {k:?}"),
            message: "names a fulfillment center ShipBob does not list".to_owned(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::page_number;

    #[test]
    fn next_page_numbers() {
        assert_eq!(page_number("/1.0/inventory?Page=2&Limit=50"), Some(2));
        assert_eq!(page_number("https://evil.example/1.0/inventory?page=7"), Some(7));
        assert_eq!(page_number("/1.0/inventory?Limit=50"), None);
    }
}
