//! Amazon Selling Partner API connector: FBA inventory, Listings Items,
//! Orders v0, Product Fees and Product Pricing, turned into `core` types.
//!
//! One poll: inventory summaries (every page, at once, because a `nextToken`
//! dies after 30 s) → listings for every FBA seller SKU and every catalog
//! SKU as the merchant channel spells it, twenty a search → orders since a
//! time with their items → fee estimates and detail-page offers, twenty a
//! batch, for the share of listings [`RefreshBudget`] allows (the rest as an
//! earlier poll read them). Inventory and orders failing fails the poll; a
//! single listing, fee or offer failing becomes a source issue, so one bad
//! SKU does not blank the read.
//!
//! After a first full poll, [`AmazonConnector::poll_changed`] reads only
//! what changed (see `incremental` for what that is and how often a full
//! poll still comes round).

mod client;
mod incremental;
mod ledger;
mod listings;
mod map;
mod parse;
mod pricing;
mod steps;

use std::fmt;
use std::time::Duration;

use jiff::Timestamp;
use reqwest::Url;

pub use crate::channels::error::ChannelError;
pub use client::{CallStats, PACE_FRACTION, PLANS};
pub use incremental::{CHANGE_OVERLAP, FULL_EVERY, FULL_MAX_AGE, ROTATION_POLLS};
pub use ledger::{RefreshBudget, Refreshed};

use crate::channels::http::{HttpClient, HttpConfig};
use crate::channels::oauth::{Issuer, RefreshGrant};
use crate::config::SourceConfig;
use crate::config::credentials::Credentials;
use crate::core::channel::{ChannelKind, Fulfilment};
use crate::core::ids::{ChannelId, LocationId, SourceId};
use crate::core::rules::Rules;
use crate::core::snapshot::SourceData;

/// Login with Amazon's token endpoint in production.
pub const LWA_TOKEN_URL: &str = "https://api.amazon.com/auth/o2/token";

/// Everything the connector needs to know about its source.
#[derive(Debug, Clone)]
pub struct AmazonSettings {
    pub source_id: SourceId,
    pub base_url: String,
    pub token_url: String,
    pub marketplace_id: String,
    pub seller_id: String,
    /// The location FBA inventory describes.
    pub location: LocationId,
    pub http: HttpConfig,
    /// Renew the access token this long before it expires.
    pub renew_early: Duration,
    /// How many fee estimates and detail pages one poll re-reads.
    pub refresh: RefreshBudget,
}

impl AmazonSettings {
    /// Settings from a source in omnideck.toml.
    ///
    /// # Errors
    /// [`ChannelError::Config`] when a field the connector needs is missing.
    pub fn from_source(source: &SourceConfig) -> Result<Self, ChannelError> {
        let missing =
            |what: &str| ChannelError::Config { source_id: source.id.clone(), message: format!("needs {what}") };
        let location = source.location.as_deref().ok_or_else(|| missing("location (where FBA stock sits)"))?;
        Ok(Self {
            source_id: source.id.clone(),
            base_url: source.base_url().ok_or_else(|| missing("base_url"))?.to_owned(),
            token_url: source.token_url.clone().unwrap_or_else(|| LWA_TOKEN_URL.to_owned()),
            marketplace_id: source.marketplace_id.clone().ok_or_else(|| missing("marketplace_id"))?,
            seller_id: source.seller_id.clone().ok_or_else(|| missing("seller_id"))?,
            location: LocationId::new(location).map_err(|e| missing(&e.to_string()))?,
            http: HttpConfig::default(),
            renew_early: Duration::from_mins(1),
            refresh: RefreshBudget::default(),
        })
    }
}

/// The FBA and merchant-fulfilled channels one Amazon source feeds.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AmazonChannels {
    pub fba: Option<ChannelId>,
    pub merchant: Option<ChannelId>,
}

impl AmazonChannels {
    /// The Amazon channels in `rules` whose source is `source_id`.
    #[must_use]
    pub fn of(rules: &Rules, source_id: &SourceId) -> Self {
        let mut found = Self::default();
        for channel in rules.channels.values() {
            if channel.kind != ChannelKind::Amazon || channel.source.as_ref() != Some(source_id) {
                continue;
            }
            let slot = match channel.fulfilment {
                Fulfilment::Fba => &mut found.fba,
                Fulfilment::Merchant => &mut found.merchant,
            };
            slot.get_or_insert_with(|| channel.id.clone());
        }
        found
    }
}

/// The connector. `Debug` shows the source and endpoints, never secrets.
pub struct AmazonConnector {
    settings: AmazonSettings,
    client: client::SpClient,
    /// Fee estimates and offers read so far; held for a whole poll, which
    /// also keeps two polls of one connector from interleaving.
    ledger: tokio::sync::Mutex<ledger::Ledger>,
    refreshed: std::sync::Mutex<Refreshed>,
    /// FBA SKUs known and the full-poll schedule; only touched while the
    /// ledger is held.
    between: std::sync::Mutex<incremental::Between>,
}

impl fmt::Debug for AmazonConnector {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AmazonConnector")
            .field("source_id", &self.settings.source_id)
            .field("marketplace_id", &self.settings.marketplace_id)
            .field("location", &self.settings.location)
            .field("lwa", &self.client.lwa)
            .finish_non_exhaustive()
    }
}

impl AmazonConnector {
    /// # Errors
    /// A URL in the settings does not parse, or the HTTP client cannot start.
    pub fn new(settings: AmazonSettings, credentials: Credentials) -> Result<Self, ChannelError> {
        let source_id = settings.source_id.clone();
        let bad_url =
            |what: &str| ChannelError::Config { source_id: source_id.clone(), message: format!("bad {what}") };
        let mut base = settings.base_url.clone();
        if !base.ends_with('/') {
            base.push('/');
        }
        let base = Url::parse(&base).map_err(|_| bad_url("base_url"))?;
        let token_url = Url::parse(&settings.token_url).map_err(|_| bad_url("token_url"))?;
        let http = HttpClient::new(settings.http.clone(), &source_id)?;
        let lwa =
            RefreshGrant::new(Issuer::LoginWithAmazon, source_id.clone(), token_url, credentials, settings.renew_early);
        let client = client::SpClient::new(http, source_id, base, lwa)?;
        Ok(Self {
            settings,
            client,
            ledger: tokio::sync::Mutex::default(),
            refreshed: std::sync::Mutex::default(),
            between: std::sync::Mutex::default(),
        })
    }

    #[must_use]
    pub fn settings(&self) -> &AmazonSettings {
        &self.settings
    }

    /// Requests sent and pacing waits so far, per operation.
    #[must_use]
    pub fn call_stats(&self) -> CallStats {
        self.client.stats()
    }

    /// Which fee estimates (seller SKUs) and detail pages (ASINs) the last
    /// poll re-read; every other listing's came from an earlier poll.
    #[must_use]
    pub fn refreshed(&self) -> Refreshed {
        self.refreshed.lock().unwrap_or_else(std::sync::PoisonError::into_inner).clone()
    }

    /// One poll: all stock and listings, orders created since
    /// `orders_since`, and fee estimates and competing offers for every
    /// listing: re-read for the share [`AmazonSettings::refresh`] allows,
    /// the rest as an earlier poll read them.
    ///
    /// # Errors
    /// Inventory or orders could not be read, or the credentials were refused.
    pub async fn poll(&self, rules: &Rules, orders_since: Timestamp) -> Result<SourceData, ChannelError> {
        self.poll_at(rules, orders_since, Timestamp::now()).await
    }

    /// [`Self::poll`] on the caller's clock: `now` stamps the offers read
    /// this poll (`seen_at`), so kept ones show their own age.
    ///
    /// # Errors
    /// As [`Self::poll`].
    pub async fn poll_at(
        &self,
        rules: &Rules,
        orders_since: Timestamp,
        now: Timestamp,
    ) -> Result<SourceData, ChannelError> {
        let mut ledger = self.ledger.lock().await;
        ledger.start_poll();
        let channels = AmazonChannels::of(rules, &self.settings.source_id);
        let mut poll = steps::Poll::new(&self.settings, &self.client, rules, channels, now);
        poll.inventory(None).await?;
        poll.listings().await?;
        poll.orders(orders_since).await?;
        poll.fees(&mut ledger).await?;
        poll.offers(&mut ledger).await?;
        self.between().full_done(&poll.fba, now);
        *self.refreshed.lock().unwrap_or_else(std::sync::PoisonError::into_inner) = ledger.refreshed.clone();
        Ok(poll.finish())
    }

    /// Whether the next poll should be a full one ([`Self::poll_at`]): none
    /// yet, or [`FULL_EVERY`] incremental polls or [`FULL_MAX_AGE`] since the
    /// last. Only a full poll's data may replace the source's last read.
    #[must_use]
    pub fn full_poll_due(&self, now: Timestamp) -> bool {
        self.between().full_due(now)
    }

    /// An incremental poll: only what changed since `since` (the start of
    /// the last successful poll): FBA summaries changed since then (less
    /// [`CHANGE_OVERLAP`]), their listings and a rotating share of all
    /// listings, orders created since then, and fees and offers of listings
    /// new or repriced since read. Its data is to be folded into the last
    /// read (`SourceData::apply`), not to replace it.
    ///
    /// # Errors
    /// As [`Self::poll`].
    pub async fn poll_changed(
        &self,
        rules: &Rules,
        since: Timestamp,
        now: Timestamp,
    ) -> Result<SourceData, ChannelError> {
        let mut ledger = self.ledger.lock().await;
        ledger.start_poll();
        let channels = AmazonChannels::of(rules, &self.settings.source_id);
        let mut poll = steps::Poll::new(&self.settings, &self.client, rules, channels, now);
        poll.incremental = true;
        poll.inventory(Some(since - CHANGE_OVERLAP)).await?;
        let wanted = self.between().plan_listings(&mut poll);
        poll.listings_of(wanted).await?;
        poll.orders(since).await?;
        poll.fees(&mut ledger).await?;
        poll.offers(&mut ledger).await?;
        self.between().incremental_done();
        *self.refreshed.lock().unwrap_or_else(std::sync::PoisonError::into_inner) = ledger.refreshed.clone();
        Ok(poll.finish())
    }

    fn between(&self) -> std::sync::MutexGuard<'_, incremental::Between> {
        self.between.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}
