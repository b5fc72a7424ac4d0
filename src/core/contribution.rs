//! Unit contribution and margin per (SKU, channel), at the live price and,
//! while a promotion runs, at the promotional price.
//!
//! contribution = net price − landed cost − fees (each rounded to the minor
//! unit first, so the figures a person reads add up); margin = contribution
//! ÷ net price.
//!
//! **Currency.** A channel's prices and fees are in its own currency. The
//! landed cost is converted into that currency through the report currency
//! (`cost × rate(cost currency) ÷ rate(channel currency)`, both rates from
//! config) and rounded once, so no rate is ever guessed. Report totals
//! convert each rounded per-unit figure and round it again before summing.
//!
//! **Landed cost.** The catalog's landed cost is the brand's own figure and
//! wins; the listing's channel cost field (Shopify's inventory item cost)
//! stands in only where the catalog holds zero. The source is kept.

use std::cmp::Ordering;

use rust_decimal::Decimal;

use super::fee_calc::{FeeBreakdown, FeeError, OrderContext, Sale, fee_breakdown};
use super::ids::{ChannelId, Sku, SourceId};
use super::listing::Listing;
use super::market::{Market, PriceSource};
use super::money::{Currency, FxRates, MissingRate, Money};
use super::promotion::{Discount, Promotion};
use super::snapshot::Sourced;

/// Where a landed cost came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CostSource {
    Catalog,
    Listing(SourceId),
}

/// A landed cost in the channel's currency.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LandedCost {
    /// In the channel's currency, rounded.
    pub amount: Money,
    /// As recorded, before any conversion.
    pub recorded: Money,
    pub source: CostSource,
}

/// Convert between any two currencies through the report currency,
/// unrounded.
pub fn convert(money: Money, to: Currency, fx: &FxRates) -> Result<Money, MissingRate> {
    if money.currency == to {
        return Ok(money);
    }
    let in_report = fx.to_report(money)?;
    if to == fx.report {
        return Ok(in_report);
    }
    let rate = fx.rates.get(&to).filter(|r| !r.is_zero()).ok_or(MissingRate { from: to, to: fx.report })?;
    Ok(Money::new(in_report.amount / rate, to))
}

/// The landed cost of one unit, in `currency`.
pub fn landed_cost(
    catalog_cost: Money,
    listing_cost: Option<(Money, &SourceId)>,
    currency: Currency,
    fx: &FxRates,
) -> Result<LandedCost, MissingRate> {
    let (recorded, source) = match listing_cost {
        Some((cost, src)) if catalog_cost.is_zero() && !cost.is_negative() => (cost, CostSource::Listing(src.clone())),
        _ => (catalog_cost, CostSource::Catalog),
    };
    Ok(LandedCost { amount: convert(recorded, currency, fx)?.rounded(), recorded, source })
}

/// A discount that cannot be applied as it stands.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DiscountError {
    #[error("discount {discount} is in {found}, the price is in {expected}")]
    Currency { discount: Money, expected: Currency, found: Currency },
    #[error("discount takes the price {price} to {result}, at or below zero")]
    NotPositive { price: Money, result: Money },
}

/// The price after one discount, rounded.
pub fn apply_discount(price: Money, discount: &Discount) -> Result<Money, DiscountError> {
    let check = |m: Money| {
        if m.currency == price.currency {
            Ok(m)
        } else {
            Err(DiscountError::Currency { discount: m, expected: price.currency, found: m.currency })
        }
    };
    let result = match discount {
        Discount::Percent(f) => price.times(Decimal::ONE - f.value()),
        Discount::AmountOff(m) => Money::new(price.amount - check(*m)?.amount, price.currency),
        Discount::FixedPrice(m) => check(*m)?,
    }
    .rounded();
    if result.amount <= Decimal::ZERO {
        return Err(DiscountError::NotPositive { price, result });
    }
    Ok(result)
}

/// Contribution of one unit at one price.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnitContribution {
    pub net_price: Money,
    pub landed: LandedCost,
    pub fees: FeeBreakdown,
    pub contribution: Money,
    /// contribution ÷ net price; `None` at a zero price.
    pub margin: Option<Decimal>,
}

impl UnitContribution {
    /// The margin in percent, rounded to two places, as shown.
    pub fn margin_percent(&self) -> Option<Decimal> {
        self.margin.map(|m| (m * Decimal::ONE_HUNDRED).round_dp(2))
    }
}

/// Contribution of one sale, given its landed cost.
pub fn unit_contribution(sale: &Sale<'_>, landed: &LandedCost) -> Result<UnitContribution, FeeError> {
    let fees = fee_breakdown(sale)?;
    let net = sale.price.rounded();
    let contribution = Money::new(net.amount - landed.amount.amount - fees.total.amount, net.currency);
    let margin = (!net.is_zero()).then(|| contribution.amount / net.amount);
    Ok(UnitContribution { net_price: net, landed: landed.clone(), fees, contribution, margin })
}

/// The running promotion a promotional figure was computed under.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PromoFigure {
    pub promotion: String,
    pub contribution: UnitContribution,
}

/// Live and promotional contribution of one SKU on one channel.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PriceView {
    pub channel: ChannelId,
    pub sku: Sku,
    pub price_source: PriceSource,
    pub live: UnitContribution,
    pub promo: Option<PromoFigure>,
}

impl PriceView {
    /// What a customer sees now: the promotional price while one runs.
    pub fn advertised(&self) -> &UnitContribution {
        self.promo.as_ref().map_or(&self.live, |p| &p.contribution)
    }
}

/// Input the pricing engines could not use, and where it was.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputProblem {
    pub channel: ChannelId,
    pub sku: Option<Sku>,
    pub place: String,
    pub message: String,
    pub price_source: Option<PriceSource>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ContributionReport {
    pub views: Vec<PriceView>,
    pub problems: Vec<InputProblem>,
}

impl ContributionReport {
    /// The view of (channel, SKU). `views` are kept in (channel, SKU)
    /// order, so this is a binary search: every engine looks views up per
    /// listing, and a scan would make pricing quadratic in listings.
    pub fn view(&self, channel: &str, sku: &str) -> Option<&PriceView> {
        let i = self.views.binary_search_by(|v| (v.channel.as_str(), v.sku.as_str()).cmp(&(channel, sku))).ok()?;
        self.views.get(i)
    }
}

/// Contribution for every priced listing of a catalog SKU on a channel
/// with a fee model, in (channel, SKU) order.
pub fn contributions(market: &Market<'_>) -> ContributionReport {
    let mut out = ContributionReport::default();
    for listing in market.listings() {
        match price_view(market, listing, &mut out.problems) {
            Ok(Some(view)) => out.views.push(view),
            Ok(None) => {}
            Err(p) => out.problems.push(*p),
        }
    }
    out
}

/// The sale of `sku` on `channel` at `price`, as the market knows it.
pub fn sale_for<'a>(market: &Market<'a>, channel: &ChannelId, sku: &Sku, price: Money) -> Option<Sale<'a>> {
    let item = market.rules.catalog.get(sku.as_str())?;
    let ch = market.rules.channels.get(channel)?;
    let order = OrderContext::typical(ch.fees.as_ref()?);
    Some(Sale { item, channel: ch, price, order, estimate: market.estimate(channel, sku) })
}

fn price_view(
    market: &Market<'_>,
    sourced: &Sourced<Listing>,
    problems: &mut Vec<InputProblem>,
) -> Result<Option<PriceView>, Box<InputProblem>> {
    let l = &sourced.value;
    let src = market.price_source(&sourced.source);
    let problem = |place: String, message: String| {
        Box::new(InputProblem {
            channel: l.channel.clone(),
            sku: Some(l.sku.clone()),
            place,
            message,
            price_source: Some(src.clone()),
        })
    };
    let place = format!("{} listing {} on {}", sourced.source, l.sku, l.channel);
    let Some(price) = l.price else { return Ok(None) };
    let Some(channel) = market.rules.channels.get(&l.channel) else { return Ok(None) };
    let Some(sale) = sale_for(market, &l.channel, &l.sku, price) else { return Ok(None) };
    if price.currency != channel.currency {
        let msg = format!("price {price} is not in the channel's currency {}", channel.currency);
        return Err(problem(place, msg));
    }
    if price.is_negative() {
        return Err(problem(place, format!("negative price {price}")));
    }
    let cost = landed_cost(
        sale.item.landed_cost,
        l.unit_cost.map(|c| (c, &sourced.source)),
        channel.currency,
        &market.rules.brand.fx,
    )
    .map_err(|e| problem(format!("catalog.{}.landed_cost", l.sku), e.to_string()))?;
    let live = unit_contribution(&sale, &cost).map_err(|e| problem(place.clone(), e.to_string()))?;
    // A promotion that cannot apply is reported and left out; the live
    // figure still stands.
    let promo = best_promotion(market, &l.channel, &l.sku, price, &mut |pl, msg| problems.push(*problem(pl, msg)));
    let promo = match promo {
        Some((p, net)) => {
            let c = unit_contribution(&sale.at(net), &cost).map_err(|e| problem(place.clone(), e.to_string()))?;
            Some(PromoFigure { promotion: p.id.clone(), contribution: c })
        }
        None => None,
    };
    Ok(Some(PriceView { channel: l.channel.clone(), sku: l.sku.clone(), price_source: src, live, promo }))
}

/// The running promotion giving the lowest price (ties: lowest id). Stacked
/// promotions are a collision of their own; here the deepest one counts.
fn best_promotion<'a>(
    market: &Market<'a>,
    channel: &ChannelId,
    sku: &Sku,
    price: Money,
    report: &mut impl FnMut(String, String),
) -> Option<(&'a Promotion, Money)> {
    let mut best: Option<(&Promotion, Money)> = None;
    for p in market.active_promotions(channel, sku) {
        let net = match apply_discount(price, &p.value.discount) {
            Ok(net) => net,
            Err(e) => {
                report(format!("{} promotion {:?}", p.source, p.value.id), e.to_string());
                continue;
            }
        };
        if best.is_none_or(|(_, b)| net.amount.cmp(&b.amount) == Ordering::Less) {
            best = Some((&p.value, net));
        }
    }
    best
}

/// Sum per-unit figures into the report currency: each figure is converted
/// and rounded, then the rounded figures are added, so the total equals the
/// sum of the lines a report prints.
pub fn report_total(figures: impl IntoIterator<Item = Money>, fx: &FxRates) -> Result<Money, MissingRate> {
    let mut total = Money::zero(fx.report);
    for f in figures {
        total.amount += fx.to_report(f)?.rounded().amount;
    }
    Ok(total)
}
