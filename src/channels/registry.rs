//! Build the configured sources' connectors: one per `[sources.ID]`, with
//! its credentials resolved and the channel it feeds. A source that cannot
//! be built (no channel, credentials missing) is reported, not fatal.

use std::sync::Arc;

use jiff::{SignedDuration, Timestamp};

use super::amazon::{AmazonConnector, AmazonSettings};
use super::ebay::{EbayConnector, EbaySettings};
use super::error::ChannelError;
use super::faire::FaireConnector;
use super::files::{Env, FileSource};
use super::http::{HttpClient, HttpConfig};
use super::poller::{Clock, Source};
use super::shipbob::ShipbobConnector;
use super::shopify::ShopifyConnector;
use crate::config::{Config, SourceConfig, SourceKind, credentials};
use crate::core::ids::{ChannelId, LocationId, SourceId};
use crate::core::rules::Rules;
use crate::core::snapshot::SourceData;

/// How far back the first read of orders goes: the velocity window and the
/// readback's trail both fit well inside it.
const ORDER_HISTORY: SignedDuration = SignedDuration::from_hours(24 * 60);

/// Amazon's connector needs the rules (to map SKUs and channels) and a
/// start time for orders; this keeps both beside it.
pub struct AmazonSource {
    connector: AmazonConnector,
    rules: Arc<Rules>,
    clock: Clock,
    /// Whether the last poll was an incremental one.
    incremental: bool,
}

impl std::fmt::Debug for AmazonSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AmazonSource").field("connector", &self.connector).finish_non_exhaustive()
    }
}

/// eBay's connector maps SKUs and finds its channel through the rules.
pub struct EbaySource {
    connector: EbayConnector,
    rules: Arc<Rules>,
}

impl std::fmt::Debug for EbaySource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EbaySource").field("connector", &self.connector).finish_non_exhaustive()
    }
}

/// Any connector the poller can drive.
#[derive(Debug)]
pub enum AnySource {
    Shopify(Box<ShopifyConnector>),
    Amazon(Box<AmazonSource>),
    Ebay(Box<EbaySource>),
    Shipbob(Box<ShipbobConnector>),
    Faire(Box<FaireConnector>),
    File(Box<FileSource>),
}

impl Source for AnySource {
    fn id(&self) -> &SourceId {
        match self {
            AnySource::Shopify(c) => c.source_id(),
            AnySource::Amazon(a) => &a.connector.settings().source_id,
            AnySource::Ebay(e) => &e.connector.settings().source_id,
            AnySource::Shipbob(c) => c.source_id(),
            AnySource::Faire(c) => c.source_id(),
            AnySource::File(f) => &f.id,
        }
    }

    async fn poll(&mut self, since: Option<Timestamp>) -> Result<SourceData, ChannelError> {
        match self {
            AnySource::Shopify(c) => c.poll(since).await,
            // Incremental between full polls; a full one reads the whole
            // order history again, since its data replaces the last read.
            AnySource::Amazon(a) => {
                let now = (a.clock)();
                let changed_since = since.filter(|_| !a.connector.full_poll_due(now));
                a.incremental = changed_since.is_some();
                match changed_since {
                    Some(since) => a.connector.poll_changed(&a.rules, since, now).await,
                    None => a.connector.poll_at(&a.rules, now - ORDER_HISTORY, now).await,
                }
            }
            // eBay gives listings only, so every poll is a full read.
            AnySource::Ebay(e) => e.connector.poll(&e.rules).await,
            // A 3PL's counts have no "changed since": always read in full.
            AnySource::Shipbob(c) => c.poll().await,
            AnySource::Faire(c) => c.poll(since).await,
            // A file is always read whole: it is the full state it exports.
            AnySource::File(f) => f.poll().await,
        }
    }

    fn was_incremental(&self, since: Option<Timestamp>) -> bool {
        match self {
            AnySource::Amazon(a) => a.incremental,
            // Read whole every poll: the data replaces the last read, so a
            // SKU gone from the 3PL, an ended listing or a row removed from
            // a file goes from the screen too.
            AnySource::Ebay(_) | AnySource::Shipbob(_) | AnySource::File(_) => false,
            AnySource::Shopify(_) | AnySource::Faire(_) => since.is_some(),
        }
    }
}

/// A source that could not be built, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unbuilt {
    pub source: SourceId,
    pub reason: String,
}

/// The channels a source feeds, in id order.
fn channels_of<'a>(config: &'a Config, source: &SourceId) -> impl Iterator<Item = &'a ChannelId> {
    config.rules.channels.values().filter(move |c| c.source.as_ref() == Some(source)).map(|c| &c.id)
}

struct Ctx<'a> {
    config: &'a Config,
    rules: Arc<Rules>,
    env: &'a dyn Fn(&str) -> Option<String>,
    http: &'a HttpConfig,
    clock: &'a Clock,
}

fn build_one(ctx: &Ctx<'_>, s: &SourceConfig) -> Result<AnySource, String> {
    let (config, env, http) = (ctx.config, ctx.env, ctx.http);
    if s.kind == SourceKind::File {
        return file_source(ctx, s).map(|f| AnySource::File(Box::new(f)));
    }
    let raw = s.credentials.as_ref().ok_or("no credentials configured")?;
    let creds = credentials::resolve(raw, s.kind.secret_fields(), config.dir(), env).map_err(|e| e.to_string())?;
    let client = HttpClient::new(http.clone(), &s.id).map_err(|e| e.to_string())?;
    match s.kind {
        SourceKind::Shopify => {
            let channel = channels_of(config, &s.id).next().ok_or("no channel uses this source")?.clone();
            let c = ShopifyConnector::new(s.clone(), channel, &creds, client).map_err(|e| e.to_string())?;
            Ok(AnySource::Shopify(Box::new(c)))
        }
        SourceKind::Amazon => {
            let mut settings = AmazonSettings::from_source(s).map_err(|e| e.to_string())?;
            settings.http = http.clone();
            let connector = AmazonConnector::new(settings, creds).map_err(|e| e.to_string())?;
            Ok(AnySource::Amazon(Box::new(AmazonSource {
                connector,
                rules: Arc::clone(&ctx.rules),
                clock: ctx.clock.clone(),
                incremental: false,
            })))
        }
        SourceKind::Ebay => {
            let mut settings = EbaySettings::from_source(s).map_err(|e| e.to_string())?;
            settings.http = http.clone();
            let connector = EbayConnector::new(settings, creds).map_err(|e| e.to_string())?;
            Ok(AnySource::Ebay(Box::new(EbaySource { connector, rules: Arc::clone(&ctx.rules) })))
        }
        SourceKind::Shipbob => {
            let c = ShipbobConnector::new(s.clone(), &creds, client).map_err(|e| e.to_string())?;
            Ok(AnySource::Shipbob(Box::new(c)))
        }
        SourceKind::Faire => {
            let channel = channels_of(config, &s.id).next().ok_or("no channel uses this source")?.clone();
            let c = FaireConnector::new(s.clone(), channel, &creds, client).map_err(|e| e.to_string())?;
            Ok(AnySource::Faire(Box::new(c)))
        }
        // Handled above, before credentials: file sources have none.
        SourceKind::File => file_source(ctx, s).map(|f| AnySource::File(Box::new(f))),
    }
}

/// A file source needs no credentials: only its path, mapping and the
/// channels its rows belong to.
fn file_source(ctx: &Ctx<'_>, s: &SourceConfig) -> Result<FileSource, String> {
    let mapping = s.file.clone().ok_or("no file mapping configured")?;
    let path = ctx.config.dir().join(s.path.as_ref().ok_or("no path configured")?);
    let channels: Vec<ChannelId> = channels_of(ctx.config, &s.id).cloned().collect();
    let rules = &ctx.rules;
    let channel_currency = channels.first().and_then(|c| rules.channels.get(c)).map(|c| c.currency);
    let location = s.location.as_deref().map(LocationId::new).transpose().map_err(|e| e.to_string())?;
    let env = Env {
        currency: mapping.currency.or(channel_currency).unwrap_or(rules.brand.fx.report),
        time_zone: rules.brand.time_zone.clone(),
        location,
        location_map: s.location_map.clone(),
    };
    Ok(FileSource { id: s.id.clone(), path, mapping, env, channels })
}

/// Every configured source's connector, and those that could not be built.
pub fn build(
    config: &Config,
    env: &dyn Fn(&str) -> Option<String>,
    http: &HttpConfig,
    clock: &Clock,
) -> (Vec<AnySource>, Vec<Unbuilt>) {
    let ctx = Ctx { config, rules: Arc::new(config.rules.clone()), env, http, clock };
    let mut built = Vec::new();
    let mut failed = Vec::new();
    for s in config.sources.values() {
        match build_one(&ctx, s) {
            Ok(c) => built.push(c),
            Err(reason) => failed.push(Unbuilt { source: s.id.clone(), reason }),
        }
    }
    (built, failed)
}
