//! Channels: the selling surfaces (a Shopify store, Amazon FBA offers,
//! Amazon merchant-fulfilled offers, a wholesale platform, a marketplace),
//! each with a named owner, rules and a cost of running it.

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::fees::FeeModel;
use super::ids::{ChannelId, SourceId};
use super::money::{Currency, Fraction, Money};
use super::pricing::PriceRule;

/// Which platform a channel sells on; decides which connector feeds it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ChannelKind {
    Shopify,
    Amazon,
    Faire,
    Ebay,
    Walmart,
    Wholesale,
    File,
}

/// Who ships the channel's orders, which decides the stock that may back it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Fulfilment {
    /// Fulfilled by Amazon: only FBA stock backs these offers.
    Fba,
    /// Shipped by the brand from its own warehouse or a 3PL.
    Merchant,
}

/// Where the channel stands against the gates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ChannelStatus {
    /// Meant to sell now; every gate must hold.
    Active,
    /// Being prepared; shown as gated, never counted as live.
    Gated,
    /// Being wound down; still measured so the retirement can be judged.
    Retiring,
}

/// A named person with a way to reach them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Person {
    pub name: String,
    pub contact: Option<String>,
}

/// What running a channel costs each week beyond its per-unit fees.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OperatingCost {
    /// Subscriptions, agency retainers, tools: a fixed amount per week.
    pub fixed_weekly: Money,
    /// Hours people spend on the channel in a normal week.
    pub people_hours_weekly: Decimal,
    pub hourly_rate: Money,
    /// Time each handled exception (flag, escalation) costs.
    pub minutes_per_exception: u32,
}

/// How much of the eligible pool a channel shows in normal mode.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Buffer {
    /// Hold back a fixed number of units.
    Fixed(u32),
    /// Hold back a fraction of the pool.
    Percent(Fraction),
    /// Hold back what sells during one poll interval (velocity × interval),
    /// so the channel cannot oversell while the numbers are in flight.
    SyncLag,
}

/// The allocation rule for one channel.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AllocationRule {
    pub buffer: Buffer,
    /// Never show more than this many units of one SKU.
    pub cap: Option<u32>,
    /// Lower number = served first in scarcity under the priority policy.
    pub priority: u8,
}

/// One channel, as the shared logic sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Channel {
    pub id: ChannelId,
    pub name: String,
    pub kind: ChannelKind,
    pub fulfilment: Fulfilment,
    pub currency: Currency,
    pub status: ChannelStatus,
    /// The person answerable for the channel; `None` keeps the channel gated.
    pub owner: Option<Person>,
    /// Who an unacknowledged escalation goes to next, in order.
    pub escalation_chain: Vec<Person>,
    /// The source whose API or file feeds the channel's listings and orders.
    pub source: Option<SourceId>,
    pub fees: Option<FeeModel>,
    pub allocation: Option<AllocationRule>,
    pub pricing: Option<PriceRule>,
    pub operating_cost: Option<OperatingCost>,
    /// Whether Multi-Channel Fulfilment lets FBA stock back this channel.
    pub multi_channel_fulfilment: bool,
    /// Wholesale channels: their committed orders are served first in scarcity.
    pub wholesale: bool,
}

/// All channels, keyed by id.
pub type Channels = BTreeMap<ChannelId, Channel>;
