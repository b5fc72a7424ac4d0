//! The shared rules: everything `omnideck.toml` defines once for all
//! channels, in core types. Built and validated by `config`; evaluated by
//! the engines in `core` with `now` passed in.

use std::collections::BTreeMap;

use jiff::tz::TimeZone;
use rust_decimal::Decimal;

use super::allocation::ScarcityPolicy;
use super::catalog::Catalog;
use super::channel::Channels;
use super::conditions::EscalationRules;
use super::escalation::Slas;
use super::ids::{ChannelId, Sku, SupplierId};
use super::location::Locations;
use super::money::FxRates;
use super::readback::ReadbackSettings;

/// The brand: report currency, exchange rates and the zone its weeks are in.
#[derive(Debug, Clone)]
pub struct Brand {
    pub name: String,
    pub time_zone: TimeZone,
    pub fx: FxRates,
}

/// A supplier's ordering rhythm.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Supplier {
    pub id: SupplierId,
    pub name: String,
    pub cadence_days: u32,
}

/// How each channel spells a canonical SKU, where it differs.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SkuMap {
    to_canonical: BTreeMap<(ChannelId, String), Sku>,
}

impl SkuMap {
    /// Record that `channel` calls `sku` by `channel_sku`; returns the SKU
    /// that already claimed that name on that channel, if any.
    pub fn insert(&mut self, channel: ChannelId, channel_sku: String, sku: Sku) -> Option<Sku> {
        self.to_canonical.insert((channel, channel_sku), sku)
    }

    /// The canonical SKU for a channel's SKU string; the string itself
    /// when no mapping names it (most brands use one SKU everywhere).
    pub fn canonical(&self, channel: &ChannelId, channel_sku: &str) -> Option<Sku> {
        self.to_canonical
            .get(&(channel.clone(), channel_sku.to_owned()))
            .cloned()
            .or_else(|| Sku::new(channel_sku).ok())
    }

    /// How `channel` spells the canonical `sku`: the mapped name if one is
    /// recorded, the canonical SKU itself otherwise (the inverse of
    /// [`Self::canonical`], for APIs that are queried per channel SKU).
    pub fn channel_sku(&self, channel: &ChannelId, sku: &Sku) -> String {
        self.to_canonical
            .iter()
            .find(|((c, _), s)| c == channel && *s == sku)
            .map_or_else(|| sku.as_str().to_owned(), |((_, name), _)| name.clone())
    }
}

/// The inventory rules shared by every channel.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InventorySettings {
    /// Scarcity mode starts when days of cover fall below this.
    pub scarcity_cover_days: Decimal,
    pub scarcity_policy: ScarcityPolicy,
    /// Days of Amazon demand FBA should hold.
    pub fba_target_cover_days: Decimal,
    /// Safety stock for reorders, in days of demand.
    pub safety_days: Decimal,
    /// Whole days of orders velocity is measured over.
    pub velocity_window_days: u32,
    /// Sellable-unit difference above which two sources disagree.
    pub disagreement_tolerance: u32,
    /// Hours between polls of each channel's source (sync-lag buffers).
    pub poll_hours: BTreeMap<ChannelId, Decimal>,
}

impl Default for InventorySettings {
    fn default() -> Self {
        InventorySettings {
            scarcity_cover_days: Decimal::from(14),
            scarcity_policy: ScarcityPolicy::Priority,
            fba_target_cover_days: Decimal::from(30),
            safety_days: Decimal::from(7),
            velocity_window_days: 28,
            disagreement_tolerance: 2,
            poll_hours: BTreeMap::new(),
        }
    }
}

/// Everything the shared logic is configured with.
#[derive(Debug, Clone)]
pub struct Rules {
    pub brand: Brand,
    pub catalog: Catalog,
    pub channels: Channels,
    pub locations: Locations,
    pub suppliers: BTreeMap<SupplierId, Supplier>,
    pub sku_map: SkuMap,
    pub inventory: InventorySettings,
    pub escalation: EscalationRules,
    pub slas: Slas,
    pub readback: ReadbackSettings,
}
