//! eBay Sell Inventory API connector: inventory items (quantity) and the
//! offer of each SKU (price, listing), turned into `core` listings for the
//! channel this source feeds. eBay reports no stock positions: what it
//! holds is the quantity the listing shows, so that is all it gives.
//!
//! One poll: every page of `getInventoryItems`, where `offset` is a *page
//! index* (0, 1, 2…), not an item offset → `getOffers` per catalog SKU,
//! one after the other under the client's pacing. The inventory failing
//! fails the poll; one SKU's offers failing becomes a source issue.

mod client;
mod map;
mod parse;

use std::collections::BTreeSet;
use std::fmt;
use std::time::Duration;

use reqwest::Url;

pub use crate::channels::error::ChannelError;
pub use client::CallStats;

use crate::channels::http::{HttpClient, HttpConfig, HttpError};
use crate::channels::oauth::{Issuer, RefreshGrant};
use crate::config::SourceConfig;
use crate::config::credentials::Credentials;
use crate::core::channel::ChannelKind;
use crate::core::ids::{ChannelId, SourceId};
use crate::core::rules::Rules;
use crate::core::snapshot::{SourceData, SourceIssue};
use map::issue;
use parse::{InventoryItem, InventoryPage, OffersPage};

/// Path of the token endpoint, on the same host as the API.
pub const TOKEN_PATH: &str = "/identity/v1/oauth2/token";
pub const INVENTORY_PATH: &str = "/sell/inventory/v1/inventory_item";
pub const OFFER_PATH: &str = "/sell/inventory/v1/offer";
/// eBay US, the marketplace when the source names none.
pub const DEFAULT_MARKETPLACE: &str = "EBAY_US";
/// More pages than any seller has; stops a server that never stops paging.
const MAX_PAGES: u64 = 1000;
/// Times an empty page that claims a successor is read again.
const EMPTY_PAGE_RETRIES: u32 = 2;

/// Everything the connector needs to know about its source.
#[derive(Debug, Clone)]
pub struct EbaySettings {
    pub source_id: SourceId,
    pub base_url: String,
    pub token_url: String,
    pub marketplace_id: String,
    /// `limit` of each inventory page (eBay allows 1–200).
    pub page_size: u32,
    /// Calls per second the client allows itself: the quota is per day, so
    /// this only keeps a poll from spending it in a burst.
    pub rate_per_sec: f64,
    pub http: HttpConfig,
    /// Renew the access token this long before it expires.
    pub renew_early: Duration,
}

impl EbaySettings {
    /// Settings from a source in omnideck.toml.
    ///
    /// # Errors
    /// [`ChannelError::Config`] when the source has no base URL.
    pub fn from_source(source: &SourceConfig) -> Result<Self, ChannelError> {
        let base_url = source.base_url().ok_or_else(|| ChannelError::Config {
            source_id: source.id.clone(),
            message: "needs base_url".to_owned(),
        })?;
        let token_url =
            source.token_url.clone().unwrap_or_else(|| format!("{}{TOKEN_PATH}", base_url.trim_end_matches('/')));
        Ok(Self {
            source_id: source.id.clone(),
            base_url: base_url.to_owned(),
            token_url,
            marketplace_id: source.marketplace_id.clone().unwrap_or_else(|| DEFAULT_MARKETPLACE.to_owned()),
            page_size: 100,
            rate_per_sec: 5.0,
            http: HttpConfig::default(),
            renew_early: Duration::from_mins(5),
        })
    }
}

/// The connector. `Debug` shows the source and endpoints, never secrets.
pub struct EbayConnector {
    settings: EbaySettings,
    client: client::EbayClient,
}

impl fmt::Debug for EbayConnector {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EbayConnector")
            .field("source_id", &self.settings.source_id)
            .field("marketplace_id", &self.settings.marketplace_id)
            .field("oauth", &self.client.oauth)
            .finish_non_exhaustive()
    }
}

/// Keeps going past one SKU's failure unless it concerns the whole source.
fn tolerate<T>(result: Result<T, ChannelError>) -> Result<Result<T, ChannelError>, ChannelError> {
    match result {
        Err(e) if e.is_fatal() => Err(e),
        other => Ok(other),
    }
}

impl EbayConnector {
    /// # Errors
    /// A URL in the settings does not parse, or the HTTP client cannot start.
    pub fn new(settings: EbaySettings, credentials: Credentials) -> Result<Self, ChannelError> {
        let source_id = settings.source_id.clone();
        let bad = |what: &str| ChannelError::Config { source_id: source_id.clone(), message: format!("bad {what}") };
        let base = Url::parse(&format!("{}/", settings.base_url.trim_end_matches('/'))).map_err(|_| bad("base_url"))?;
        let token_url = Url::parse(&settings.token_url).map_err(|_| bad("token_url"))?;
        if !(1..=200).contains(&settings.page_size) {
            return Err(bad("page_size (eBay allows 1 to 200)"));
        }
        let http = HttpClient::new(settings.http.clone(), &source_id)?;
        let oauth = RefreshGrant::new(Issuer::Ebay, source_id.clone(), token_url, credentials, settings.renew_early);
        let client = client::EbayClient::new(http, source_id, base, oauth, settings.rate_per_sec)?;
        Ok(Self { settings, client })
    }

    #[must_use]
    pub fn settings(&self) -> &EbaySettings {
        &self.settings
    }

    /// Calls made and pacing waits so far.
    #[must_use]
    pub fn call_stats(&self) -> CallStats {
        self.client.stats()
    }

    /// The channel this source feeds: an eBay channel if one names it.
    fn channel(&self, rules: &Rules) -> Result<ChannelId, ChannelError> {
        let mine = || rules.channels.values().filter(|c| c.source.as_ref() == Some(&self.settings.source_id));
        mine().find(|c| c.kind == ChannelKind::Ebay).or_else(|| mine().next()).map(|c| c.id.clone()).ok_or_else(|| {
            ChannelError::Config {
                source_id: self.settings.source_id.clone(),
                message: "no channel uses this source".to_owned(),
            }
        })
    }

    /// One full poll: every inventory item, then each catalog SKU's offer.
    ///
    /// # Errors
    /// The inventory could not be read, or the credentials were refused.
    pub async fn poll(&self, rules: &Rules) -> Result<SourceData, ChannelError> {
        let channel = self.channel(rules)?;
        let currency = rules.channels.get(&channel).map(|c| c.currency);
        let mut data = SourceData::default();
        let items = self.inventory(&mut data.issues).await?;
        let mut unread = 0_usize;
        for item in &items {
            let sku = match map::canonical(rules, &channel, &item.sku) {
                Ok(sku) => sku,
                Err(i) => {
                    data.issues.push(i);
                    continue;
                }
            };
            let place = format!("{channel}:{}", item.sku);
            if unread > 0 {
                unread += 1;
                continue;
            }
            let query = [("sku", item.sku.clone())];
            match tolerate(self.client.get::<OffersPage>(OFFER_PATH, &query).await)? {
                Ok(page) => {
                    let (listing, issues) =
                        map::listing(item, &page.offers, &channel, sku, &self.settings.marketplace_id, currency);
                    data.listings.extend(listing);
                    data.issues.extend(issues);
                }
                Err(ChannelError::NotFound { .. }) => data.issues.push(issue(place, "no offer; not listed")),
                // Still throttled after every retry: the day's quota is
                // spent, and each further call would only spend more.
                Err(ChannelError::Http(HttpError::Status { status: 429, .. })) => unread = 1,
                Err(e) => data.issues.push(issue(place, e.to_string())),
            }
        }
        if unread > 0 {
            data.issues.push(issue(
                format!("{channel}:offers"),
                format!("eBay kept refusing (HTTP 429): offers of {unread} SKU(s) not read this poll"),
            ));
        }
        Ok(data)
    }

    /// Every inventory item, page by page. `offset` counts pages: a client
    /// that stepped it by `limit` would skip whole pages.
    async fn inventory(&self, issues: &mut Vec<SourceIssue>) -> Result<Vec<InventoryItem>, ChannelError> {
        let limit = self.settings.page_size.to_string();
        let mut items: Vec<InventoryItem> = Vec::new();
        let mut seen = BTreeSet::new();
        let (mut page, mut empty, mut total) = (0_u64, 0_u32, None);
        while page < MAX_PAGES {
            let query = [("limit", limit.clone()), ("offset", page.to_string())];
            let body: InventoryPage = self.client.get(INVENTORY_PATH, &query).await?;
            total = body.total.or(total);
            let more = body.next.is_some();
            // Empty yet claiming a successor, or short of the total: moving
            // on would lose this page's items, so read it again a few times.
            let short = total.is_some_and(|t| t > items.len() as u64);
            if body.inventory_items.is_empty() && (more || short) {
                empty += 1;
                if empty > EMPTY_PAGE_RETRIES {
                    return Err(ChannelError::Stuck {
                        source_id: self.settings.source_id.clone(),
                        what: "eBay inventory items",
                    });
                }
                continue;
            }
            empty = 0;
            for item in body.inventory_items {
                if seen.insert(item.sku.clone()) {
                    items.push(item);
                } else {
                    issues.push(issue(format!("inventory:{}", item.sku), "sent twice (items changed while paging)"));
                }
            }
            if !more {
                break;
            }
            page += 1;
        }
        if let Some(total) = total.filter(|t| *t != items.len() as u64) {
            issues.push(issue("inventory", format!("eBay counts {total} items, {} arrived", items.len())));
        }
        Ok(items)
    }
}
