//! The pricing read of a snapshot: listings, fee estimates and promotions
//! indexed once by (channel, SKU), so every pricing engine looks facts up
//! instead of scanning, and picks the same fact whatever order the sources
//! reported them in.

use std::collections::BTreeMap;

use jiff::Timestamp;

use super::channel::Channel;
use super::ids::{ChannelId, Sku, SourceId};
use super::listing::Listing;
use super::promotion::{PromoScope, Promotion};
use super::rules::Rules;
use super::snapshot::{FeeEstimate, Snapshot, Sourced};

/// Where a judged price came from and how fresh it was.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PriceSource {
    pub source: SourceId,
    pub fetched_at: Option<Timestamp>,
}

type Key = (ChannelId, Sku);

/// Promotions by SKU, with whole-store promotions kept once per channel
/// rather than copied onto every SKU.
#[derive(Debug, Default)]
pub struct PromoIndex<'a> {
    pub by_sku: BTreeMap<Sku, Vec<&'a Sourced<Promotion>>>,
    pub all_by_channel: BTreeMap<ChannelId, Vec<&'a Sourced<Promotion>>>,
}

impl<'a> PromoIndex<'a> {
    pub fn new(promos: &'a [Sourced<Promotion>]) -> Self {
        let mut idx = PromoIndex::default();
        for p in promos {
            match &p.value.scope {
                PromoScope::All => idx.all_by_channel.entry(p.value.channel.clone()).or_default().push(p),
                PromoScope::Skus(skus) => {
                    for sku in skus {
                        idx.by_sku.entry(sku.clone()).or_default().push(p);
                    }
                }
            }
        }
        // Sorted by id then source, so shuffled input gives the same read.
        let order = |a: &&Sourced<Promotion>, b: &&Sourced<Promotion>| {
            (&a.value.id, &a.source, &a.value.channel).cmp(&(&b.value.id, &b.source, &b.value.channel))
        };
        idx.by_sku.values_mut().for_each(|v| v.sort_by(order));
        idx.all_by_channel.values_mut().for_each(|v| v.sort_by(order));
        idx
    }

    /// Every promotion covering `sku` on `channel`.
    pub fn on(&self, channel: &ChannelId, sku: &Sku) -> Vec<&'a Sourced<Promotion>> {
        let specific = self.by_sku.get(sku).into_iter().flatten().filter(|p| &p.value.channel == channel);
        let all = self.all_by_channel.get(channel).into_iter().flatten();
        specific.chain(all).copied().collect()
    }

    /// Every promotion covering `sku` on any channel whose listing exists.
    pub fn on_sku(&self, sku: &Sku) -> Vec<&'a Sourced<Promotion>> {
        let mut out: Vec<_> = self.by_sku.get(sku).into_iter().flatten().copied().collect();
        out.extend(self.all_by_channel.values().flatten().copied());
        out
    }
}

/// The indexed pricing read of one snapshot under one set of rules.
#[derive(Debug)]
pub struct Market<'a> {
    pub rules: &'a Rules,
    pub snapshot: &'a Snapshot,
    pub now: Timestamp,
    listings: BTreeMap<Key, &'a Sourced<Listing>>,
    estimates: BTreeMap<Key, &'a Sourced<FeeEstimate>>,
    pub promos: PromoIndex<'a>,
}

impl<'a> Market<'a> {
    pub fn new(rules: &'a Rules, snapshot: &'a Snapshot, now: Timestamp) -> Self {
        let mut listings: BTreeMap<Key, &Sourced<Listing>> = BTreeMap::new();
        for l in &snapshot.listings {
            let key = (l.value.channel.clone(), l.value.sku.clone());
            let channel = rules.channels.get(&l.value.channel);
            let better = listings.get(&key).is_none_or(|cur| listing_rank(channel, l) < listing_rank(channel, cur));
            if better {
                listings.insert(key, l);
            }
        }
        let mut estimates: BTreeMap<Key, &Sourced<FeeEstimate>> = BTreeMap::new();
        for e in &snapshot.fees {
            let key = (e.value.channel.clone(), e.value.sku.clone());
            // The newest estimate wins; ties go to the lower source id.
            let rank = |x: &Sourced<FeeEstimate>| (std::cmp::Reverse(x.value.estimated_at), x.source.clone());
            if estimates.get(&key).is_none_or(|cur| rank(e) < rank(cur)) {
                estimates.insert(key, e);
            }
        }
        Market { rules, snapshot, now, listings, estimates, promos: PromoIndex::new(&snapshot.promotions) }
    }

    pub fn listing(&self, channel: &ChannelId, sku: &Sku) -> Option<&'a Sourced<Listing>> {
        self.listings.get(&(channel.clone(), sku.clone())).copied()
    }

    /// Every chosen listing, in (channel, SKU) order.
    pub fn listings(&self) -> impl Iterator<Item = &'a Sourced<Listing>> + '_ {
        self.listings.values().copied()
    }

    pub fn estimate(&self, channel: &ChannelId, sku: &Sku) -> Option<&'a FeeEstimate> {
        self.estimates.get(&(channel.clone(), sku.clone())).map(|e| &e.value)
    }

    /// Promotions on (channel, SKU) running at `now`.
    pub fn active_promotions(&self, channel: &ChannelId, sku: &Sku) -> Vec<&'a Sourced<Promotion>> {
        let mut v = self.promos.on(channel, sku);
        v.retain(|p| p.value.window.contains(self.now) && window_is_sane(&p.value));
        v
    }

    pub fn price_source(&self, source: &SourceId) -> PriceSource {
        let fetched_at = self.snapshot.sources.get(source).and_then(|s| s.fetched_at);
        PriceSource { source: source.clone(), fetched_at }
    }
}

/// A window deserialized from a source can still run backwards (serde
/// bypasses `Window::new`); such a promotion is reported, never applied.
pub fn window_is_sane(p: &Promotion) -> bool {
    p.window.end.is_none_or(|e| e >= p.window.start)
}

/// Lower is better: the channel's own source first, then source id, then
/// price, so duplicates resolve the same way in any order.
fn listing_rank(channel: Option<&Channel>, l: &Sourced<Listing>) -> (bool, SourceId, Option<rust_decimal::Decimal>) {
    let own = channel.and_then(|c| c.source.as_ref()) == Some(&l.source);
    (!own, l.source.clone(), l.value.price.map(|p| p.amount))
}
