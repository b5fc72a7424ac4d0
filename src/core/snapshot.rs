//! Snapshots: what each source last reported, and their merge.
//!
//! Every fact in a [`Snapshot`] carries the source it came from, and the
//! snapshot keeps each source's `fetched_at` and last error, so any number
//! shown can say where it came from and how old it is.

use std::collections::{BTreeMap, BTreeSet};

use jiff::{SignedDuration, Timestamp};
use serde::{Deserialize, Serialize};

use super::ids::{ChannelId, LocationId, Sku, SourceId};
use super::listing::Listing;
use super::money::Money;
use super::orders::{Order, PurchaseOrder};
use super::promotion::{CompetitorOffer, Promotion};
use super::stock::StockPosition;

/// A channel's own fee estimate for one SKU (Amazon Product Fees), which
/// overrides the configured fee model for that SKU.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeeEstimate {
    pub channel: ChannelId,
    pub sku: Sku,
    pub price: Money,
    /// Fee type as the channel names it (`ReferralFee`, `FBAFees`, …) and amount.
    pub lines: Vec<(String, Money)>,
    pub estimated_at: Option<Timestamp>,
}

/// Something a source sent that could not be used as it stood: a negative
/// count, an unknown SKU, a malformed row. Shown, never silently dropped.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SourceIssue {
    /// Where in the source: a GraphQL id, a `file:line:column`, an order id.
    pub place: String,
    pub message: String,
}

/// Everything one source reported in one successful poll.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SourceData {
    pub stock: Vec<StockPosition>,
    pub listings: Vec<Listing>,
    pub orders: Vec<Order>,
    pub purchase_orders: Vec<PurchaseOrder>,
    pub promotions: Vec<Promotion>,
    pub offers: Vec<CompetitorOffer>,
    pub fees: Vec<FeeEstimate>,
    pub issues: Vec<SourceIssue>,
}

/// Replace items of `base` by those of `delta` with the same identity,
/// keeping the rest, in `key` order.
fn upsert<T, K: Ord>(base: &mut Vec<T>, delta: Vec<T>, key: impl Fn(&T) -> K) {
    let mut map: BTreeMap<K, T> = std::mem::take(base).into_iter().map(|t| (key(&t), t)).collect();
    for t in delta {
        map.insert(key(&t), t);
    }
    *base = map.into_values().collect();
}

impl SourceData {
    /// Fold an incremental poll (only what changed) into the last full read.
    /// Deletions cannot be seen this way, so pollers do a full read now and
    /// then; see `channels::poller`.
    pub fn apply(&mut self, delta: SourceData) {
        upsert(&mut self.stock, delta.stock, |s| (s.sku.clone(), s.location.clone()));
        upsert(&mut self.listings, delta.listings, |l| (l.channel.clone(), l.sku.clone()));
        upsert(&mut self.orders, delta.orders, |o| (o.channel.clone(), o.id.clone()));
        upsert(&mut self.purchase_orders, delta.purchase_orders, |p| p.id.clone());
        upsert(&mut self.promotions, delta.promotions, |p| (p.channel.clone(), p.id.clone()));
        upsert(&mut self.offers, delta.offers, |o| (o.channel.clone(), o.sku.clone(), o.seller.clone()));
        upsert(&mut self.fees, delta.fees, |f| (f.channel.clone(), f.sku.clone()));
        upsert(&mut self.issues, delta.issues, |i| (i.place.clone(), i.message.clone()));
    }
}

/// A failed poll, as shown to the operator (already free of secrets and
/// control characters).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SourceError {
    pub at: Timestamp,
    pub message: String,
}

/// The freshness of one source.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SourceStatus {
    pub source: SourceId,
    /// When the data in the snapshot was fetched; `None` if never.
    pub fetched_at: Option<Timestamp>,
    /// The last poll's error, cleared by the next success.
    pub last_error: Option<SourceError>,
}

impl SourceStatus {
    pub fn age(&self, now: Timestamp) -> Option<SignedDuration> {
        self.fetched_at.map(|t| now.duration_since(t))
    }

    /// Stale when never fetched, or older than `max_age`.
    pub fn is_stale(&self, now: Timestamp, max_age: SignedDuration) -> bool {
        self.age(now).is_none_or(|a| a > max_age)
    }
}

/// A fact with the source it came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sourced<T> {
    pub source: SourceId,
    pub value: T,
}

/// The merged read of every source.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Snapshot {
    pub sources: BTreeMap<SourceId, SourceStatus>,
    pub stock: Vec<Sourced<StockPosition>>,
    pub listings: Vec<Sourced<Listing>>,
    pub orders: Vec<Sourced<Order>>,
    pub purchase_orders: Vec<Sourced<PurchaseOrder>>,
    pub promotions: Vec<Sourced<Promotion>>,
    pub offers: Vec<Sourced<CompetitorOffer>>,
    pub fees: Vec<Sourced<FeeEstimate>>,
    pub issues: Vec<Sourced<SourceIssue>>,
}

/// The latest result per source: its last good data (if any) and status.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SourceSnapshot {
    pub status: SourceStatus,
    pub data: Option<SourceData>,
}

fn tag<T>(source: &SourceId, items: &[T]) -> impl Iterator<Item = Sourced<T>>
where
    T: Clone,
{
    items.iter().map(move |v| Sourced { source: source.clone(), value: v.clone() })
}

impl Snapshot {
    /// Merge per-source results. A source that failed keeps its last good
    /// data (stale, with its error shown) rather than blanking the read.
    /// Sources are merged in id order, so the result does not depend on the
    /// order polls completed in.
    pub fn merge<'a>(parts: impl IntoIterator<Item = &'a SourceSnapshot>) -> Snapshot {
        let mut ordered: Vec<&SourceSnapshot> = parts.into_iter().collect();
        ordered.sort_by(|a, b| a.status.source.cmp(&b.status.source));
        let mut snap = Snapshot::default();
        for part in ordered {
            let id = &part.status.source;
            snap.sources.insert(id.clone(), part.status.clone());
            let Some(d) = &part.data else { continue };
            snap.stock.extend(tag(id, &d.stock));
            snap.listings.extend(tag(id, &d.listings));
            snap.orders.extend(tag(id, &d.orders));
            snap.purchase_orders.extend(tag(id, &d.purchase_orders));
            snap.promotions.extend(tag(id, &d.promotions));
            snap.offers.extend(tag(id, &d.offers));
            snap.fees.extend(tag(id, &d.fees));
            // A connector may meet one problem twice in a poll (a SKU in
            // two reports); it is one issue.
            let mut seen = BTreeSet::new();
            let once = d.issues.iter().filter(|i| seen.insert((i.place.as_str(), i.message.as_str())));
            snap.issues.extend(once.map(|i| Sourced { source: id.clone(), value: i.clone() }));
        }
        snap
    }

    /// Every report of stock at one location, one per source.
    pub fn stock_at<'a>(
        &'a self,
        sku: &'a str,
        location: &'a LocationId,
    ) -> impl Iterator<Item = &'a Sourced<StockPosition>> {
        self.stock.iter().filter(move |s| s.value.sku.as_str() == sku && &s.value.location == location)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::stock::Inbounds;

    fn status(id: &str, at: Option<&str>) -> SourceStatus {
        SourceStatus {
            source: SourceId::new(id).unwrap(),
            fetched_at: at.map(|s| s.parse().unwrap()),
            last_error: None,
        }
    }

    fn stock(sku: &str, on_hand: u32) -> StockPosition {
        StockPosition {
            sku: Sku::new(sku).unwrap(),
            location: LocationId::new("wh").unwrap(),
            on_hand,
            committed: 0,
            reserved: 0,
            unfulfillable: 0,
            inbound: Inbounds::new(),
        }
    }

    #[test]
    fn merge_keeps_provenance_and_is_order_independent() {
        let a = SourceSnapshot {
            status: status("b-source", Some("2026-11-27T10:00:00Z")),
            data: Some(SourceData { stock: vec![stock("X", 5)], ..SourceData::default() }),
        };
        let b = SourceSnapshot {
            status: status("a-source", Some("2026-11-27T09:00:00Z")),
            data: Some(SourceData { stock: vec![stock("X", 7)], ..SourceData::default() }),
        };
        let one = Snapshot::merge([&a, &b]);
        let two = Snapshot::merge([&b, &a]);
        assert_eq!(one, two);
        let wh = LocationId::new("wh").unwrap();
        let seen: Vec<(&str, u32)> = one.stock_at("X", &wh).map(|s| (s.source.as_str(), s.value.on_hand)).collect();
        assert_eq!(seen, vec![("a-source", 7), ("b-source", 5)]);
    }

    #[test]
    fn one_problem_met_twice_in_a_poll_is_one_issue() {
        let issue = |place: &str| SourceIssue { place: place.into(), message: "not in the catalog; ignored".into() };
        let issues = vec![issue("fba:NW-SCARF"), issue("fba:NW-SCARF"), issue("listing:NW-SCARF")];
        let part = SourceSnapshot {
            status: status("amazon", Some("2026-11-27T10:00:00Z")),
            data: Some(SourceData { issues, ..SourceData::default() }),
        };
        let snap = Snapshot::merge([&part]);
        let places: Vec<&str> = snap.issues.iter().map(|i| i.value.place.as_str()).collect();
        assert_eq!(places, ["fba:NW-SCARF", "listing:NW-SCARF"]);
    }

    #[test]
    fn an_incremental_poll_replaces_what_changed_and_keeps_the_rest() {
        let mut base = SourceData { stock: vec![stock("X", 5), stock("Y", 9)], ..SourceData::default() };
        base.apply(SourceData { stock: vec![stock("X", 2), stock("Z", 1)], ..SourceData::default() });
        let got: Vec<(&str, u32)> = base.stock.iter().map(|s| (s.sku.as_str(), s.on_hand)).collect();
        assert_eq!(got, vec![("X", 2), ("Y", 9), ("Z", 1)]);
    }

    #[test]
    fn staleness_counts_from_fetched_at() {
        let now: Timestamp = "2026-11-27T12:00:00Z".parse().unwrap();
        let s = status("s", Some("2026-11-27T10:00:00Z"));
        assert_eq!(s.age(now), Some(SignedDuration::from_hours(2)));
        assert!(s.is_stale(now, SignedDuration::from_hours(1)));
        assert!(!s.is_stale(now, SignedDuration::from_hours(3)));
        assert!(status("never", None).is_stale(now, SignedDuration::from_hours(100)));
    }
}
