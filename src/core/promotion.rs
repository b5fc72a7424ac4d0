//! Promotions and competitor offers.

use std::collections::BTreeSet;

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use super::ids::{ChannelId, Sku, SourceId};
use super::money::{Fraction, Money};

/// The source id of promotions written in the config (and its CSV) rather
/// than reported by a channel's API.
pub const CONFIG_SOURCE: &str = "config";

/// What a promotion takes off.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Discount {
    Percent(Fraction),
    AmountOff(Money),
    FixedPrice(Money),
}

/// Which SKUs a promotion covers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PromoScope {
    All,
    Skus(BTreeSet<Sku>),
}

/// A time window; `end: None` means open-ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Window {
    pub start: Timestamp,
    pub end: Option<Timestamp>,
}

/// A window whose end comes before its start.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("window ends ({end}) before it starts ({start})")]
pub struct BackwardsWindow {
    pub start: Timestamp,
    pub end: Timestamp,
}

impl Window {
    pub fn new(start: Timestamp, end: Option<Timestamp>) -> Result<Self, BackwardsWindow> {
        match end {
            Some(end) if end < start => Err(BackwardsWindow { start, end }),
            _ => Ok(Window { start, end }),
        }
    }

    pub fn contains(&self, t: Timestamp) -> bool {
        t >= self.start && self.end.is_none_or(|e| t < e)
    }

    pub fn overlaps(&self, other: &Window) -> bool {
        let starts_before_other_ends = other.end.is_none_or(|e| self.start < e);
        let other_starts_before_end = self.end.is_none_or(|e| other.start < e);
        starts_before_other_ends && other_starts_before_end
    }
}

/// A discount on one channel over a window.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Promotion {
    pub id: String,
    pub title: String,
    pub channel: ChannelId,
    pub scope: PromoScope,
    pub discount: Discount,
    pub window: Window,
    /// Promotions sharing a campaign id are coordinated, not colliding.
    pub campaign_id: Option<String>,
    pub source: SourceId,
}

/// A competing offer seen on a marketplace.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CompetitorOffer {
    pub channel: ChannelId,
    pub sku: Sku,
    pub seller: String,
    /// Price plus shipping, what the customer compares.
    pub landed_price: Money,
    pub is_buy_box: bool,
    pub is_ours: bool,
    /// When the offer was read, where that can differ from its source's
    /// `fetched_at`: a source that re-reads only a share of its offers each
    /// poll reports the rest as last seen. `None`: read with the source.
    #[serde(default)]
    pub seen_at: Option<Timestamp>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> Timestamp {
        s.parse().unwrap()
    }

    #[test]
    fn windows_refuse_to_run_backwards() {
        assert!(Window::new(t("2026-11-02T00:00:00Z"), Some(t("2026-11-01T00:00:00Z"))).is_err());
    }

    #[test]
    fn overlap_is_half_open() {
        let a = Window::new(t("2026-11-01T00:00:00Z"), Some(t("2026-11-08T00:00:00Z"))).unwrap();
        let b = Window::new(t("2026-11-08T00:00:00Z"), None).unwrap();
        let c = Window::new(t("2026-11-07T23:00:00Z"), None).unwrap();
        assert!(!a.overlaps(&b));
        assert!(a.overlaps(&c) && c.overlaps(&a));
        assert!(b.overlaps(&c));
        assert!(a.contains(t("2026-11-01T00:00:00Z")) && !a.contains(t("2026-11-08T00:00:00Z")));
    }
}
