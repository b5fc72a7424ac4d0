//! Promotion collisions: the same SKU discounted on two channels at once
//! without a shared campaign, stacked discounts on one channel, and a
//! promotion that breaks the floor, MAP or parity, or runs longer than the
//! SKU's stock can cover. Each names channels, SKUs, window and owners and
//! puts a number on what is at stake in the report currency.
//!
//! **Cost.** Over the remaining days of the window (from `now`; an open end
//! counts [`HORIZON_DAYS`]) expected units = velocity × days; the discount
//! at stake is units × (live − promotional price) and the margin given up
//! is units × (live − promotional contribution), each per-SKU figure
//! converted and rounded before it is summed.
//!
//! **Linear.** Promotions are indexed by SKU once ([`PromoIndex`]), with
//! whole-store promotions kept per channel; each SKU then meets only the
//! promotions that cover it, swept in start order. Nothing pairs every
//! promotion with every SKU.

use std::collections::{BTreeMap, BTreeSet};

use jiff::{SignedDuration, Timestamp};
use rust_decimal::Decimal;

use super::contribution::{
    ContributionReport, PriceView, UnitContribution, apply_discount, convert, sale_for, unit_contribution,
};
use super::floor::{floor_for, meets_floor};
use super::ids::{ChannelId, Sku};
use super::market::{Market, window_is_sane};
use super::money::Money;
use super::price_flags::parity;
use super::promotion::{Promotion, Window};
use super::snapshot::Sourced;

/// Days an open-ended promotion is costed over.
pub const HORIZON_DAYS: i64 = 28;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum CollisionKind {
    CrossChannel,
    Stacked,
    BreaksFloor,
    BreaksMap,
    Scarcity,
    BreaksParity,
    BadWindow,
    BadDiscount,
}

/// What a collision puts at risk, in the report currency.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stake {
    pub expected_units: Decimal,
    pub discount: Money,
    pub margin_given_up: Money,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Collision {
    pub kind: CollisionKind,
    /// Promotion ids, sorted.
    pub promotions: Vec<String>,
    pub channels: BTreeSet<ChannelId>,
    pub skus: BTreeSet<Sku>,
    pub window: Window,
    pub owners: BTreeSet<String>,
    /// `None` when a figure could not be converted; `detail` says why.
    pub stake: Option<Stake>,
    pub detail: String,
}

/// What collision detection needs beyond the market.
#[derive(Debug, Clone, Copy)]
pub struct CollisionInput<'a> {
    pub market: &'a Market<'a>,
    pub report: &'a ContributionReport,
    /// Units per day per (SKU, channel).
    pub velocity: &'a BTreeMap<(Sku, ChannelId), Decimal>,
    /// Days of cover per SKU (sellable ÷ all-channel velocity).
    pub cover_days: &'a BTreeMap<Sku, Decimal>,
    /// SKUs the allocation plan has in scarcity mode.
    pub scarce: &'a BTreeSet<Sku>,
}

type Key = (CollisionKind, Vec<String>);

/// Every collision, in (kind, promotions) order.
pub fn collisions(input: &CollisionInput<'_>) -> Vec<Collision> {
    let m = input.market;
    let mut out: BTreeMap<Key, Collision> = BTreeMap::new();
    for p in &m.snapshot.promotions {
        if !window_is_sane(&p.value) {
            let detail = format!("{} promotion {:?}: window ends before it starts", p.source, p.value.id);
            let c = blank(input, CollisionKind::BadWindow, &[&p.value], p.value.window, detail);
            out.insert((CollisionKind::BadWindow, vec![p.value.id.clone()]), c);
        }
    }
    for item in m.rules.catalog.iter() {
        let mut promos: Vec<&Sourced<Promotion>> = m.promos.on_sku(&item.sku);
        promos.retain(|p| window_is_sane(&p.value) && p.value.window.end.is_none_or(|e| e > m.now));
        promos.retain(|p| m.listing(&p.value.channel, &item.sku).is_some());
        promos.sort_by(|a, b| (a.value.window.start, &a.value.id).cmp(&(b.value.window.start, &b.value.id)));
        for p in &promos {
            single_checks(input, &item.sku, &p.value, &mut out);
        }
        pair_checks(input, &item.sku, &promos, &mut out);
    }
    out.into_values().collect()
}

/// Sweep the SKU's promotions in start order: each meets only those that
/// start before it ends.
fn pair_checks(
    input: &CollisionInput<'_>,
    sku: &Sku,
    promos: &[&Sourced<Promotion>],
    out: &mut BTreeMap<Key, Collision>,
) {
    for (i, a) in promos.iter().enumerate() {
        for b in &promos[i + 1..] {
            let (a, b) = (&a.value, &b.value);
            if a.window.end.is_some_and(|e| b.window.start >= e) {
                break;
            }
            // The same promotion reported twice (two sources) is not a stack.
            if !a.window.overlaps(&b.window) || (a.id == b.id && a.channel == b.channel) {
                continue;
            }
            let shared = a.campaign_id.is_some() && a.campaign_id == b.campaign_id;
            let kind = if a.channel == b.channel {
                CollisionKind::Stacked
            } else if shared {
                continue;
            } else {
                CollisionKind::CrossChannel
            };
            let window = overlap(&a.window, &b.window);
            let stake = if kind == CollisionKind::Stacked {
                stacked_stake(input, sku, a, b, &window)
            } else {
                add(per_sku_stake(input, sku, a, &window), per_sku_stake(input, sku, b, &window))
            };
            let detail = format!("{:?} and {:?} both discount {sku}", a.id, b.id);
            record(input, out, kind, &[a, b], window, sku, stake, detail);
        }
    }
}

fn single_checks(input: &CollisionInput<'_>, sku: &Sku, p: &Promotion, out: &mut BTreeMap<Key, Collision>) {
    let m = input.market;
    let Some(view) = input.report.view(p.channel.as_str(), sku.as_str()) else { return };
    let promo_price = match apply_discount(view.live.net_price, &p.discount) {
        Ok(price) => price,
        Err(e) => {
            let detail = format!("promotion {:?} on {sku}: {e}", p.id);
            record(input, out, CollisionKind::BadDiscount, &[p], p.window, sku, None, detail);
            return;
        }
    };
    let stake = per_sku_stake(input, sku, p, &p.window);
    let Some(channel) = m.rules.channels.get(&p.channel) else { return };
    let Some(item) = m.rules.catalog.get(sku.as_str()) else { return };
    let promo_c = promo_contribution(input, view, promo_price);
    let mut hit = |kind, detail: String| record(input, out, kind, &[p], p.window, sku, stake.clone(), detail);
    if let (Some(rule), Some(c)) = (&channel.pricing, &promo_c)
        && !meets_floor(floor_for(rule, item), c)
    {
        hit(CollisionKind::BreaksFloor, format!("{sku} at {promo_price}: contribution {}", c.contribution));
    }
    // As for price flags: MAP is not judged on wholesale channels.
    let map = item
        .map
        .filter(|_| !channel.wholesale)
        .and_then(|x| convert(x, promo_price.currency, &m.rules.brand.fx).ok())
        .map(Money::rounded);
    let map = map.filter(|m| promo_price.amount < m.amount);
    if let Some(map) = map {
        hit(CollisionKind::BreaksMap, format!("{sku} at {promo_price} below MAP {map}"));
    }
    let days = remaining_days(&p.window, m.now);
    let cover = input.cover_days.get(sku).copied();
    if input.scarce.contains(sku) || cover.is_some_and(|c| c < days) {
        let cover = cover.map_or_else(|| "n/a".to_owned(), |c| c.round_dp(1).to_string());
        hit(CollisionKind::Scarcity, format!("{sku}: cover {cover} days for a {}-day promotion", days.round_dp(1)));
    }
    parity_check(input, view, p, promo_price, &mut hit);
}

fn parity_check(
    input: &CollisionInput<'_>,
    view: &PriceView,
    p: &Promotion,
    promo_price: Money,
    hit: &mut impl FnMut(CollisionKind, String),
) {
    let m = input.market;
    let Some(rule) = m.rules.channels.get(&p.channel).and_then(|c| c.pricing.as_ref()) else { return };
    let Some(par) = &rule.parity else { return };
    let mut at_promo = view.clone();
    at_promo.promo = None;
    at_promo.live.net_price = promo_price;
    for other in &par.against {
        if let Some(k) = parity(m, input.report, &at_promo, other, par.tolerance) {
            hit(CollisionKind::BreaksParity, format!("{}: {k}", view.sku));
        }
    }
}

/// A collision with no SKU yet, for input that is wrong as a whole.
fn blank(
    input: &CollisionInput<'_>,
    kind: CollisionKind,
    promos: &[&Promotion],
    window: Window,
    detail: String,
) -> Collision {
    let channels: BTreeSet<ChannelId> = promos.iter().map(|p| p.channel.clone()).collect();
    let owners = channels
        .iter()
        .filter_map(|c| input.market.rules.channels.get(c)?.owner.as_ref().map(|o| o.name.clone()))
        .collect();
    let mut ids: Vec<String> = promos.iter().map(|p| p.id.clone()).collect();
    ids.sort();
    Collision { kind, promotions: ids, channels, skus: BTreeSet::new(), window, owners, stake: None, detail }
}

/// Add one SKU's share to the collision of these promotions, creating it
/// on first sight; details of later SKUs are not repeated.
#[expect(clippy::too_many_arguments, reason = "one call shape for every collision kind keeps the callers flat")]
fn record(
    input: &CollisionInput<'_>,
    out: &mut BTreeMap<Key, Collision>,
    kind: CollisionKind,
    promos: &[&Promotion],
    window: Window,
    sku: &Sku,
    stake: Option<Stake>,
    detail: String,
) {
    let mut ids: Vec<String> = promos.iter().map(|p| p.id.clone()).collect();
    ids.sort();
    let c = out.entry((kind, ids)).or_insert_with(|| {
        let mut c = blank(input, kind, promos, window, detail);
        c.stake = Some(zero_stake(input));
        c
    });
    c.skus.insert(sku.clone());
    c.stake = match (c.stake.take(), stake) {
        (Some(a), Some(b)) => add(Some(a), Some(b)),
        _ => None,
    };
    if c.stake.is_none() && !c.detail.contains("not costed") {
        c.detail.push_str(" (not costed: a price or rate is missing)");
    }
}

fn zero_stake(input: &CollisionInput<'_>) -> Stake {
    let z = Money::zero(input.market.rules.brand.fx.report);
    Stake { expected_units: Decimal::ZERO, discount: z, margin_given_up: z }
}

fn add(a: Option<Stake>, b: Option<Stake>) -> Option<Stake> {
    let (a, b) = (a?, b?);
    Some(Stake {
        expected_units: a.expected_units + b.expected_units,
        discount: a.discount.checked_add(b.discount).ok()?,
        margin_given_up: a.margin_given_up.checked_add(b.margin_given_up).ok()?,
    })
}

fn overlap(a: &Window, b: &Window) -> Window {
    let end = match (a.end, b.end) {
        (Some(x), Some(y)) => Some(x.min(y)),
        (x, y) => x.or(y),
    };
    Window { start: a.start.max(b.start), end }
}

/// Days of `window` still to run after `now`, an open end counting the
/// horizon.
fn remaining_days(window: &Window, now: Timestamp) -> Decimal {
    let from = window.start.max(now);
    let to = window.end.unwrap_or_else(|| from + SignedDuration::from_hours(24 * HORIZON_DAYS));
    let secs = to.duration_since(from).as_secs().max(0);
    Decimal::from(secs) / Decimal::from(86_400)
}

fn promo_contribution(input: &CollisionInput<'_>, view: &PriceView, price: Money) -> Option<UnitContribution> {
    let sale = sale_for(input.market, &view.channel, &view.sku, price)?;
    unit_contribution(&sale, &view.live.landed).ok()
}

/// Units, discount and margin given up by one promotion on one SKU over
/// `window`, converted into the report currency.
fn per_sku_stake(input: &CollisionInput<'_>, sku: &Sku, p: &Promotion, window: &Window) -> Option<Stake> {
    let view = input.report.view(p.channel.as_str(), sku.as_str())?;
    let price = apply_discount(view.live.net_price, &p.discount).ok()?;
    stake_at(input, view, price, window)
}

/// Both discounts applied one after the other.
fn stacked_stake(
    input: &CollisionInput<'_>,
    sku: &Sku,
    a: &Promotion,
    b: &Promotion,
    window: &Window,
) -> Option<Stake> {
    let view = input.report.view(a.channel.as_str(), sku.as_str())?;
    let once = apply_discount(view.live.net_price, &a.discount).ok()?;
    let twice = apply_discount(once, &b.discount).ok()?;
    stake_at(input, view, twice, window)
}

fn stake_at(input: &CollisionInput<'_>, view: &PriceView, price: Money, window: &Window) -> Option<Stake> {
    let fx = &input.market.rules.brand.fx;
    let velocity = input.velocity.get(&(view.sku.clone(), view.channel.clone())).copied().unwrap_or_default();
    let units = velocity * remaining_days(window, input.market.now);
    let promo = promo_contribution(input, view, price)?;
    let per_unit_discount = view.live.net_price.checked_sub(price).ok()?;
    let per_unit_margin = view.live.contribution.checked_sub(promo.contribution).ok()?;
    Some(Stake {
        expected_units: units,
        discount: fx.to_report(per_unit_discount.times(units)).ok()?.rounded(),
        margin_given_up: fx.to_report(per_unit_margin.times(units)).ok()?.rounded(),
    })
}
