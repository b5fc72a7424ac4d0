//! Stock locations and which channels each may fulfil.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use super::ids::{ChannelId, LocationId, SourceId};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LocationKind {
    OwnWarehouse,
    ThirdParty,
    Fba,
}

/// A place that holds stock.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Location {
    pub id: LocationId,
    pub name: String,
    pub kind: LocationKind,
    /// Channels this location's stock may back.
    pub serves: BTreeSet<ChannelId>,
    /// Units per SKU kept back from every channel.
    pub safety_stock: u32,
    /// Days to move stock from here to another location (e.g. to FBA).
    pub transfer_lead_days: u32,
    /// The source whose count the plan trusts for this location, when
    /// several report it (the 3PL's own API over the storefront's level).
    pub authoritative_source: Option<SourceId>,
    /// The sources configured to report this location's stock (those whose
    /// `location` or `location_map` names it). Until one of them has been
    /// read, the location's stock is unknown, not zero.
    #[serde(default)]
    pub reported_by: BTreeSet<SourceId>,
}

pub type Locations = BTreeMap<LocationId, Location>;
