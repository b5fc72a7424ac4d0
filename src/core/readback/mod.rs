//! The weekly readback: per channel and ISO week (in the brand's zone),
//! against the prior week and a trail, what the channel brought in, what
//! it cost to run, its share of revenue against its share of operating
//! cost, and whether it is helping, consuming attention or to watch.
//!
//! Everything the caller counts elsewhere comes in as plain values:
//! exceptions handled per channel and week (from that channel's
//! escalations and flags), stock-out days with the velocity and net price
//! to cost them, and which channels' sources are stale. Staleness is shown
//! beside the classification and never changes it: a stale channel is
//! judged on the figures it has, and the cockpit says how old they are.
//!
//! Cancelled orders are left out. A line that cannot be costed (unknown
//! SKU, no fee model, a missing rate) is left out and listed in
//! `problems`, never silently dropped.

mod carried;
mod classify;
mod exceptions;
mod figures;
mod lines;
mod stock_outs;
mod stored;
mod week;

use std::collections::{BTreeMap, BTreeSet};

use rust_decimal::Decimal;
use serde::Serialize;

pub use carried::{Carried, DecisionCheck, REVIEW_PERIOD, Recorded, carried_out, live_keys};
pub use classify::{Class, Classification, RetireSignal, Shares, classify, retire_signal, revenue_drop};
pub use exceptions::count_exceptions;
pub use figures::{LineFigures, OperatingCostFigures, WeekFigures};
pub use stock_outs::{out_of_stock_skus, stock_outs_from_days};
pub use stored::{StoredWeek, replaces};
pub use week::{BadWeek, WeekId};

use crate::core::channel::{Channel, ChannelStatus};
use crate::core::fee_calc::FeeError;
use crate::core::ids::{ChannelId, Sku};
use crate::core::money::{Currency, Fraction, MissingRate, Money};
use crate::core::orders::{Order, OrderStatus};
use crate::core::rules::Rules;
use crate::core::snapshot::FeeEstimate;

/// Weeks shown behind the read week, the read week included.
pub const TRAIL_WEEKS: u32 = 4;

/// The `[readback]` settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadbackSettings {
    /// Weeks in a row of loss after operating cost that raise the retire signal.
    pub retire_after_weeks: u32,
    /// Retire when revenue share ≤ this × operating-cost share.
    pub retire_share_ratio: Decimal,
    /// Consuming attention when operating-cost share ≥ this × revenue share.
    pub attention_share_ratio: Decimal,
    /// Helping needs revenue share ≥ this × operating-cost share.
    pub helping_share_ratio: Decimal,
    /// A week-over-week revenue fall beyond this turns helping into watch.
    pub watch_drop: Fraction,
}

impl Default for ReadbackSettings {
    fn default() -> Self {
        ReadbackSettings {
            retire_after_weeks: 4,
            retire_share_ratio: Decimal::new(25, 2),
            attention_share_ratio: Decimal::TWO,
            helping_share_ratio: Decimal::ONE,
            watch_drop: Fraction::new(Decimal::new(3, 1)).unwrap_or(Fraction::ZERO),
        }
    }
}

/// Days one SKU was out of stock for one channel in one week, and what
/// it would have sold: days × velocity × net price.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StockOut {
    pub channel: ChannelId,
    pub sku: Sku,
    pub week: WeekId,
    pub days: u32,
    pub velocity_per_day: Decimal,
    pub net_price: Money,
}

/// Everything a readback is computed from.
#[derive(Debug, Clone, Copy)]
pub struct ReadbackInput<'a> {
    pub rules: &'a Rules,
    pub orders: &'a [Order],
    pub estimates: &'a [FeeEstimate],
    /// The week to read; see [`WeekId::last_complete`].
    pub week: WeekId,
    /// Exceptions handled per channel and week; see [`count_exceptions`].
    pub exceptions: &'a BTreeMap<(ChannelId, WeekId), u32>,
    pub stock_outs: &'a [StockOut],
    /// Channels whose source is stale at `now`.
    pub stale: &'a BTreeSet<ChannelId>,
    /// Weeks kept from earlier reads; see [`StoredWeek`].
    pub stored: &'a [StoredWeek],
}

/// Something the readback had to leave out.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReadbackError {
    #[error("order {order}: SKU {sku} is not in the catalog")]
    UnknownSku { order: String, sku: Sku },
    #[error("order {order} line {sku}: no price yet (pending), left out of revenue")]
    Unpriced { order: String, sku: Sku },
    #[error("order {order} line {sku}: amount in {found}, the channel sells in {expected}")]
    Currency { order: String, sku: Sku, found: Currency, expected: Currency },
    #[error("order {order} line {sku}: {source}")]
    Fees { order: String, sku: Sku, source: Box<FeeError> },
    #[error("order {order} line {sku}: {source}")]
    Rate { order: String, sku: Sku, source: MissingRate },
    #[error("channel {channel}: {source}")]
    Report { channel: ChannelId, source: MissingRate },
    #[error("stock-out of {sku} on {channel}: net price in {found}, the channel sells in {expected}")]
    StockOutCurrency { channel: ChannelId, sku: Sku, found: Currency, expected: Currency },
    #[error("stored week {week} of {channel}: kept in {found}, the channel now sells in {expected}; not used")]
    StoredCurrency { channel: ChannelId, week: WeekId, found: Currency, expected: Currency },
}

/// One channel's readback.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ChannelReadback {
    pub channel: ChannelId,
    pub name: String,
    pub owner: Option<String>,
    /// The trail in the channel's currency, oldest first; the read week last.
    pub weeks: Vec<WeekFigures>,
    /// The read week in the report currency.
    pub report: WeekFigures,
    pub shares: Shares,
    pub classification: Classification,
    pub retire: Option<RetireSignal>,
    /// Its source is stale; shown beside the class, never changing it.
    pub stale: bool,
    /// Trail weeks taken from the store, since the orders no longer
    /// reached back over them.
    pub from_store: Vec<WeekId>,
}

impl ChannelReadback {
    pub fn this_week(&self) -> &WeekFigures {
        // `weeks` is never empty: the trail always holds the read week.
        self.weeks.last().unwrap_or(&self.report)
    }

    pub fn prior_week(&self) -> Option<&WeekFigures> {
        self.weeks.len().checked_sub(2).and_then(|i| self.weeks.get(i))
    }
}

/// The whole weekly read. (Not `Serialize`: the report renders problems
/// through their `Display`.)
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Readback {
    pub week: WeekId,
    pub channels: Vec<ChannelReadback>,
    /// The sum of every channel's `report` figures.
    pub total: WeekFigures,
    /// Revenue per (channel, SKU) in the read week, report currency: what
    /// a flag or a scarcity on that SKU puts at stake each week.
    pub revenue_by_sku: BTreeMap<(ChannelId, Sku), Money>,
    pub problems: Vec<ReadbackError>,
}

/// Channels that are measured: active ones and those being retired (so
/// the retirement can be judged); gated channels are not live.
fn measured(rules: &Rules) -> impl Iterator<Item = &Channel> {
    rules.channels.values().filter(|c| c.status != ChannelStatus::Gated)
}

/// Compute the readback for `input.week`.
pub fn readback(input: &ReadbackInput<'_>) -> Readback {
    let fx = &input.rules.brand.fx;
    let mut problems = Vec::new();
    let mut revenue_by_sku = BTreeMap::new();
    let mut partial: Vec<(&Channel, Trail, WeekFigures)> = Vec::new();
    for ch in measured(input.rules) {
        let trail = channel_weeks(input, ch, &mut problems, &mut revenue_by_sku);
        let Some(this) = trail.weeks.last() else { continue };
        match this.to_report(fx) {
            Ok(report) => partial.push((ch, trail, report)),
            Err(source) => problems.push(ReadbackError::Report { channel: ch.id.clone(), source }),
        }
    }
    let total = partial.iter().fold(WeekFigures::zero(input.week, fx.report), |acc, (_, _, r)| acc + r);
    let settings = &input.rules.readback;
    let channels = partial
        .into_iter()
        .map(|(ch, Trail { weeks, from_store }, report)| {
            let shares = Shares {
                revenue: share(report.revenue.amount, total.revenue.amount),
                operating_cost: share(report.operating.total.amount, total.operating.total.amount),
            };
            let n = weeks.len();
            let classification = classify(&weeks[n - 1], n.checked_sub(2).map(|i| &weeks[i]), shares, settings);
            let retire = retire_signal(&weeks, shares, settings);
            ChannelReadback {
                channel: ch.id.clone(),
                name: ch.name.clone(),
                owner: ch.owner.as_ref().map(|p| p.name.clone()),
                report,
                shares,
                classification,
                retire,
                stale: input.stale.contains(&ch.id),
                weeks,
                from_store,
            }
        })
        .collect();
    Readback { week: input.week, channels, total, revenue_by_sku, problems }
}

fn share(part: Decimal, whole: Decimal) -> Decimal {
    if whole.is_zero() { Decimal::ZERO } else { part / whole }
}

/// One channel's weeks, oldest first, and which came from the store.
struct Trail {
    weeks: Vec<WeekFigures>,
    from_store: Vec<WeekId>,
}

/// The trail of one channel.
fn channel_weeks(
    input: &ReadbackInput<'_>,
    ch: &Channel,
    problems: &mut Vec<ReadbackError>,
    revenue_by_sku: &mut BTreeMap<(ChannelId, Sku), Money>,
) -> Trail {
    let rules = input.rules;
    let zone = &rules.brand.time_zone;
    let trail = TRAIL_WEEKS.max(rules.readback.retire_after_weeks);
    let ids: Vec<WeekId> = (0..trail).rev().map(|back| input.week.back(back)).collect();
    let mut weeks: BTreeMap<WeekId, WeekFigures> =
        ids.iter().map(|w| (*w, WeekFigures::zero(*w, ch.currency))).collect();
    let estimates = lines::newest_estimates(input.estimates);
    for o in input.orders.iter().filter(|o| o.channel == ch.id) {
        let Some(fig) = weeks.get_mut(&WeekId::of(o.placed_at, zone)) else { continue };
        fig.seen = fig.seen.saturating_add(1);
        if o.status == OrderStatus::Cancelled {
            continue;
        }
        fig.orders += 1;
        for l in o.lines.iter().filter(|l| l.qty > 0) {
            match lines::line_figures(rules, ch, o, l, &estimates) {
                Ok(lf) => {
                    fig.add_line(&lf);
                    if fig.week == input.week {
                        let r = rules.brand.fx.to_report(Money::new(lf.revenue, ch.currency)).map(Money::rounded);
                        if let Ok(r) = r {
                            let slot =
                                revenue_by_sku.entry((ch.id.clone(), l.sku.clone())).or_insert(Money::zero(r.currency));
                            slot.amount += r.amount;
                        }
                    }
                }
                Err(e) => problems.push(e),
            }
        }
    }
    for fig in weeks.values_mut() {
        operating(input, ch, fig, problems);
    }
    add_stock_outs(input, ch, &mut weeks, problems);
    let from_store = stored::prefer_stored(ch, &mut weeks, input.stored, problems);
    Trail { weeks: weeks.into_values().collect(), from_store }
}

/// Stock-out days and the sales they are estimated to have cost.
fn add_stock_outs(
    input: &ReadbackInput<'_>,
    ch: &Channel,
    weeks: &mut BTreeMap<WeekId, WeekFigures>,
    problems: &mut Vec<ReadbackError>,
) {
    for s in input.stock_outs.iter().filter(|s| s.channel == ch.id) {
        let Some(fig) = weeks.get_mut(&s.week) else { continue };
        if s.net_price.currency != ch.currency {
            let (channel, sku) = (ch.id.clone(), s.sku.clone());
            problems.push(ReadbackError::StockOutCurrency {
                channel,
                sku,
                found: s.net_price.currency,
                expected: ch.currency,
            });
            continue;
        }
        fig.stock_out_days = fig.stock_out_days.saturating_add(s.days);
        let lost = s.net_price.times(Decimal::from(s.days) * s.velocity_per_day).rounded();
        fig.lost_sales.amount += lost.amount;
    }
}

fn operating(input: &ReadbackInput<'_>, ch: &Channel, fig: &mut WeekFigures, problems: &mut Vec<ReadbackError>) {
    let Some(cost) = &ch.operating_cost else { return };
    let n = input.exceptions.get(&(ch.id.clone(), fig.week)).copied().unwrap_or(0);
    match OperatingCostFigures::of(cost, n, ch.currency, &input.rules.brand.fx) {
        Ok(op) => fig.set_operating(op),
        Err(source) => problems.push(ReadbackError::Report { channel: ch.id.clone(), source }),
    }
}
