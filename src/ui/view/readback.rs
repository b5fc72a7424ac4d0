//! The weekly readback and the next decisions, as the overview shows them.

use crate::core::decisions::Decision;
use crate::core::readback::{Class, Readback};

use super::Level;
use super::format::{money, safe};

/// One channel's line of the readback.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadbackRow {
    pub channel: String,
    pub class: String,
    pub level: Level,
    /// Contribution after operating cost, in the report currency.
    pub after_operating_cost: String,
    /// "rev 5% · op 50%": the comparison that matters for attention.
    pub shares: String,
    /// The same two shares as fractions in 0..=1, for the overview's bars.
    pub revenue_share: rust_decimal::Decimal,
    pub operating_cost_share: rust_decimal::Decimal,
    pub reason: String,
    pub retire: Option<String>,
    pub stale: bool,
    /// Weekly revenue over the trail, oldest first, in whole units: the
    /// sparkline.
    pub trail: Vec<u64>,
}

/// One of the next decisions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NextRow {
    /// Stable while the cause holds (`retire:ebay-us`): what the review
    /// records its actions against.
    pub key: String,
    pub channel: Option<String>,
    pub level: Level,
    pub owner: String,
    pub due: String,
    pub at_stake: String,
    pub what: String,
}

fn pct(d: rust_decimal::Decimal) -> String {
    format!("{}%", (d * rust_decimal::Decimal::ONE_HUNDRED).round_dp(0).normalize())
}

pub fn readback_rows(rb: &Readback) -> Vec<ReadbackRow> {
    rb.channels
        .iter()
        .map(|c| ReadbackRow {
            channel: safe(&c.name),
            class: c.classification.class.word().to_owned(),
            level: match c.classification.class {
                Class::Helping => Level::Ok,
                Class::Watch => Level::Warning,
                Class::ConsumingAttention => Level::Critical,
            },
            after_operating_cost: money(c.report.after_operating_cost),
            shares: format!("rev {} · op {}", pct(c.shares.revenue), pct(c.shares.operating_cost)),
            revenue_share: c.shares.revenue,
            operating_cost_share: c.shares.operating_cost,
            reason: safe(&c.classification.reason),
            retire: c.retire.as_ref().map(|r| safe(&r.reason)),
            stale: c.stale,
            trail: c
                .weeks
                .iter()
                .map(|w| {
                    let units = w.revenue.amount.max(rust_decimal::Decimal::ZERO).trunc();
                    u64::try_from(units.mantissa()).unwrap_or(0) / 10u64.pow(units.scale())
                })
                .collect(),
        })
        .collect()
}

pub fn next_rows(next: &[Decision]) -> Vec<NextRow> {
    next.iter()
        .map(|d| NextRow {
            key: safe(&d.key),
            channel: d.channel.as_ref().map(|c| safe(c.as_str())),
            level: Level::from(d.severity),
            owner: safe(d.owner.as_deref().unwrap_or("no owner")),
            due: d.due.to_string(),
            at_stake: money(d.at_stake),
            what: safe(&d.what),
        })
        .collect()
}
