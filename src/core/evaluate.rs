//! `evaluate(&Snapshot, &Rules, &History, now) -> Cockpit`: the one
//! evaluated read that the cockpit and the headless reports both render,
//! so they can never disagree.

use std::collections::{BTreeMap, BTreeSet};

use jiff::Timestamp;
use jiff::civil::Date;
use rust_decimal::Decimal;

use super::collisions::{Collision, CollisionInput, collisions};
use super::conditions::{ConditionInput, conditions};
use super::contribution::{ContributionReport, contributions, convert};
use super::decisions::{DEFAULT_LIMIT, Decision, DecisionInput, next_decisions};
use super::escalation::{Actions, Condition, Event, step};
use super::ids::{ChannelId, Sku, SourceId};
use super::inventory::{InventoryRead, sku_velocity};
use super::market::Market;
use super::money::Money;
use super::price_flags::{PriceFlag, price_flags};
use super::pricebook::{PriceBook, price_book};
use super::readback::{
    DecisionCheck, Readback, ReadbackInput, Recorded, StockOut, StoredWeek, WeekId, carried_out, count_exceptions,
    live_keys, readback, stock_outs_from_days,
};
use super::rules::Rules;
use super::snapshot::{Snapshot, SourceIssue, SourceStatus, Sourced};

/// What the store remembers that a snapshot cannot say.
#[derive(Debug, Clone, Default)]
pub struct History {
    /// Days (brand zone) each SKU had no sellable stock.
    pub out_of_stock: BTreeSet<(Sku, Date)>,
    /// The escalation events as last evaluated.
    pub events: Vec<Event>,
    /// What operators acknowledged and decided since.
    pub actions: Actions,
    /// The week to read back; the last complete week when `None`.
    pub week: Option<WeekId>,
    /// Stock-outs known besides the recorded `out_of_stock` days, which
    /// are turned into stock-outs on every channel selling the SKU.
    pub stock_outs: Vec<StockOut>,
    /// Decisions recorded in (at least) the read week.
    pub decisions: Vec<Recorded>,
    /// Weeks kept from earlier reads, for the trail.
    pub weeks: Vec<StoredWeek>,
}

/// The evaluated read.
#[derive(Debug, Clone)]
pub struct Cockpit {
    pub now: Timestamp,
    pub sources: BTreeMap<SourceId, SourceStatus>,
    pub inventory: InventoryRead,
    pub contributions: ContributionReport,
    pub book: PriceBook,
    pub flags: Vec<PriceFlag>,
    pub collisions: Vec<Collision>,
    pub conditions: Vec<Condition>,
    /// Escalation events stepped to `now`.
    pub events: Vec<Event>,
    pub readback: Readback,
    /// The decisions recorded in the read week and whether they were carried out.
    pub carried: Vec<DecisionCheck>,
    pub next_decisions: Vec<Decision>,
    /// What sources sent that could not be used, with where.
    pub issues: Vec<Sourced<SourceIssue>>,
}

/// Live unit contribution per (SKU, channel) in the report currency, for
/// the contribution scarcity policy.
fn contribution_by_key(report: &ContributionReport, rules: &Rules) -> BTreeMap<(Sku, ChannelId), Money> {
    let fx = &rules.brand.fx;
    report
        .views
        .iter()
        .filter_map(|v| {
            let m = convert(v.live.contribution, fx.report, fx).ok()?;
            Some(((v.sku.clone(), v.channel.clone()), m))
        })
        .collect()
}

/// The recorded out-of-stock days as stock-outs on each channel that
/// sells the SKU (a price view or a velocity), with what it sells there.
fn recorded_stock_outs(
    history: &History,
    inventory: &InventoryRead,
    report: &ContributionReport,
    rules: &Rules,
) -> Vec<StockOut> {
    let mut selling: BTreeMap<(Sku, ChannelId), (Decimal, Money)> = BTreeMap::new();
    for v in &report.views {
        let per_day = inventory.velocity.get(&(v.sku.clone(), v.channel.clone())).map_or(Decimal::ZERO, |x| x.per_day);
        selling.insert((v.sku.clone(), v.channel.clone()), (per_day, v.live.net_price));
    }
    for ((sku, channel), v) in &inventory.velocity {
        let Some(ch) = rules.channels.get(channel) else { continue };
        selling.entry((sku.clone(), channel.clone())).or_insert((v.per_day, Money::zero(ch.currency)));
    }
    let mut out = history.stock_outs.clone();
    out.extend(stock_outs_from_days(&history.out_of_stock, &selling));
    out
}

/// The week's readback; channels whose source is stale are marked so.
fn weekly_read(
    snapshot: &Snapshot,
    rules: &Rules,
    history: &History,
    (events, flags): (&[Event], &[PriceFlag]),
    stock_outs: &[StockOut],
    now: Timestamp,
) -> Readback {
    let zone = &rules.brand.time_zone;
    let week = history.week.unwrap_or_else(|| WeekId::last_complete(now, zone));
    let orders: Vec<_> = snapshot.orders.iter().map(|o| o.value.clone()).collect();
    let estimates: Vec<_> = snapshot.fees.iter().map(|f| f.value.clone()).collect();
    let exceptions = count_exceptions(events, flags, week, zone);
    let stale: BTreeSet<ChannelId> = rules
        .channels
        .values()
        .filter(|c| {
            let status = c.source.as_ref().and_then(|s| snapshot.sources.get(s));
            let limit =
                rules.escalation.stale_source.as_ref().map_or(jiff::SignedDuration::from_hours(6), |r| r.threshold);
            status.is_some_and(|s| s.is_stale(now, limit))
        })
        .map(|c| c.id.clone())
        .collect();
    readback(&ReadbackInput {
        rules,
        orders: &orders,
        estimates: &estimates,
        week,
        exceptions: &exceptions,
        stock_outs,
        stale: &stale,
        stored: &history.weeks,
    })
}

/// Evaluate everything at `now`.
pub fn evaluate(snapshot: &Snapshot, rules: &Rules, history: &History, now: Timestamp) -> Cockpit {
    let market = Market::new(rules, snapshot, now);
    let report = contributions(&market);
    let by_key = contribution_by_key(&report, rules);
    let inventory = super::inventory::evaluate(snapshot, rules, &by_key, &history.out_of_stock, now);
    let book = price_book(&market, &report);
    let flags = price_flags(&market, &report, &book);
    let velocity: BTreeMap<(Sku, ChannelId), Decimal> =
        inventory.velocity.iter().map(|(k, v)| (k.clone(), v.per_day)).collect();
    let cover_days: BTreeMap<Sku, Decimal> = sku_velocity(&inventory.velocity)
        .into_iter()
        .filter(|(_, v)| *v > Decimal::ZERO)
        .map(|(sku, v)| {
            let cover = Decimal::from(inventory.sellable.total(&sku)) / v;
            (sku, cover)
        })
        .collect();
    let scarce: BTreeSet<Sku> = inventory.plan.scarce.iter().map(|s| s.sku.clone()).collect();
    let found = collisions(&CollisionInput {
        market: &market,
        report: &report,
        velocity: &velocity,
        cover_days: &cover_days,
        scarce: &scarce,
    });
    let conds = conditions(
        &ConditionInput {
            rules,
            inventory: &inventory,
            flags: &flags,
            collisions: &found,
            sources: &snapshot.sources,
            now,
        },
        &rules.escalation,
    );
    let events = step(&history.events, &conds, &history.actions, &rules.channels, &rules.slas, now);
    let stock_outs = recorded_stock_outs(history, &inventory, &report, rules);
    let read = weekly_read(snapshot, rules, history, (&events, &flags), &stock_outs, now);
    let today = rules.brand.time_zone.to_datetime(now).date();
    let mut next = next_decisions(&DecisionInput {
        rules,
        readback: &read,
        scarce: &inventory.plan.scarce,
        flags: &flags,
        collisions: &found,
        events: &events,
        today,
        review_day: jiff::civil::Weekday::Monday,
        // All of them, for the carried-out check; the list shown is cut below.
        limit: usize::MAX,
    });
    let live = live_keys(&conds, &next, &found);
    let carried = carried_out(&history.decisions, read.week, &rules.brand.time_zone, &live, now);
    next.truncate(DEFAULT_LIMIT);
    Cockpit {
        now,
        sources: snapshot.sources.clone(),
        inventory,
        contributions: report,
        book,
        flags,
        collisions: found,
        conditions: conds,
        events,
        readback: read,
        carried,
        next_decisions: next,
        issues: snapshot.issues.clone(),
    }
}
