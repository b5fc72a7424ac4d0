//! Build the configured sources' connectors: one per `[sources.ID]`, with
//! its credentials resolved and the channel it feeds. A source that cannot
//! be built (no channel, credentials missing) is reported, not fatal.

use jiff::Timestamp;

use super::error::ChannelError;
use super::http::{HttpClient, HttpConfig};
use super::poller::Source;
use super::shopify::ShopifyConnector;
use crate::config::{Config, SourceConfig, SourceKind, credentials};
use crate::core::ids::{ChannelId, SourceId};
use crate::core::snapshot::SourceData;

/// Any connector the poller can drive.
#[derive(Debug)]
pub enum AnySource {
    Shopify(Box<ShopifyConnector>),
}

impl Source for AnySource {
    fn id(&self) -> &SourceId {
        match self {
            AnySource::Shopify(c) => c.source_id(),
        }
    }

    async fn poll(&mut self, since: Option<Timestamp>) -> Result<SourceData, ChannelError> {
        match self {
            AnySource::Shopify(c) => c.poll(since).await,
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

fn build_one(
    config: &Config,
    s: &SourceConfig,
    env: &dyn Fn(&str) -> Option<String>,
    http: &HttpConfig,
) -> Result<AnySource, String> {
    let raw = s.credentials.as_ref().ok_or("no credentials configured")?;
    let creds = credentials::resolve(raw, s.kind.secret_fields(), config.dir(), env).map_err(|e| e.to_string())?;
    let client = HttpClient::new(http.clone(), &s.id).map_err(|e| e.to_string())?;
    match s.kind {
        SourceKind::Shopify => {
            let channel = channels_of(config, &s.id).next().ok_or("no channel uses this source")?.clone();
            let c = ShopifyConnector::new(s.clone(), channel, &creds, client).map_err(|e| e.to_string())?;
            Ok(AnySource::Shopify(Box::new(c)))
        }
        other => Err(format!("no {} connector in this build yet", other.name())),
    }
}

/// Every configured source's connector, and those that could not be built.
pub fn build(
    config: &Config,
    env: &dyn Fn(&str) -> Option<String>,
    http: &HttpConfig,
) -> (Vec<AnySource>, Vec<Unbuilt>) {
    let mut built = Vec::new();
    let mut failed = Vec::new();
    for s in config.sources.values() {
        match build_one(config, s, env, http) {
            Ok(c) => built.push(c),
            Err(reason) => failed.push(Unbuilt { source: s.id.clone(), reason }),
        }
    }
    (built, failed)
}
