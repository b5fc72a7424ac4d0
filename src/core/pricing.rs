//! Price rules, defined once per channel: margin floors, parity, drift
//! tolerance and the response to competitor moves.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::ids::ChannelId;
use super::money::{Fraction, Money};

/// The lowest acceptable contribution: a margin fraction, an amount, or both
/// (both must hold).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Floor {
    pub margin: Option<Fraction>,
    pub amount: Option<Money>,
}

/// How to answer a competitor's lower price.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CompetitorResponse {
    Match,
    UndercutAmount(Money),
    UndercutFraction(Fraction),
    Hold,
}

/// Flag when this channel is materially cheaper than a marketplace that
/// penalises price disparity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Parity {
    pub against: Vec<ChannelId>,
    pub tolerance: Fraction,
}

/// One channel's price rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PriceRule {
    pub floor: Floor,
    /// Floors for named SKU groups, overriding the channel floor.
    pub group_floors: BTreeMap<String, Floor>,
    /// How far the live price may drift from the price book unflagged.
    pub drift_tolerance: Fraction,
    pub parity: Option<Parity>,
    pub competitor: CompetitorResponse,
}
