//! Price flags: margin floor, MAP, drift, parity, a competitor response the
//! floor forbids, and input the pricing could not use. Each flag names the
//! channel, the SKU, the channel's owner, the numbers that raised it and
//! where the judged price came from and when.

use std::fmt;

use rust_decimal::Decimal;

use super::contribution::{ContributionReport, InputProblem, PriceView, convert};
use super::floor::{floor_for, meets_floor};
use super::ids::{ChannelId, Sku};
use super::market::{Market, PriceSource};
use super::money::{Fraction, Money};
use super::pricebook::PriceBook;
use super::pricing::Floor;

/// What a flag is about, with the numbers that raised it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FlagKind {
    MarginFloor {
        price: Money,
        contribution: Money,
        margin: Option<Decimal>,
        floor: Floor,
        promotion: Option<String>,
    },
    BelowMap {
        price: Money,
        map: Money,
        promotion: Option<String>,
    },
    Drift {
        live: Money,
        book: Money,
        tolerance: Fraction,
    },
    Parity {
        price: Money,
        other: ChannelId,
        other_price: Money,
        tolerance: Fraction,
    },
    CompetitorBelowFloor {
        competitor: Money,
        seller: String,
        response: Money,
        floor_price: Option<Money>,
        map: Option<Money>,
    },
    BadInput {
        place: String,
        message: String,
    },
}

/// One price flag.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PriceFlag {
    pub kind: FlagKind,
    pub channel: ChannelId,
    pub sku: Option<Sku>,
    pub owner: Option<String>,
    pub price_source: Option<PriceSource>,
}

fn opt(m: Option<Money>) -> String {
    m.map_or_else(|| "none".to_owned(), |m| m.to_string())
}

impl fmt::Display for FlagKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FlagKind::MarginFloor { price, contribution, margin, floor, promotion } => {
                let pct =
                    margin.map_or_else(|| "n/a".to_owned(), |m| format!("{}%", (m * Decimal::ONE_HUNDRED).round_dp(2)));
                let floor_pct = floor.margin.map_or_else(|| "none".to_owned(), |m| m.to_string());
                write!(
                    f,
                    "contribution {contribution} ({pct}) at {price} breaks the floor (margin {floor_pct}, amount {})",
                    opt(floor.amount)
                )?;
                promotion.as_ref().map_or(Ok(()), |p| write!(f, " under promotion {p:?}"))
            }
            FlagKind::BelowMap { price, map, promotion } => {
                write!(f, "advertised {price} is below MAP {map}")?;
                promotion.as_ref().map_or(Ok(()), |p| write!(f, " under promotion {p:?}"))
            }
            // A zero tolerance is no allowance: "by more than 0%" says nothing.
            FlagKind::Drift { live, book, tolerance } if tolerance.value().is_zero() => {
                write!(f, "live {live} differs from the book {book}")
            }
            FlagKind::Drift { live, book, tolerance } => {
                write!(f, "live {live} differs from the book {book} by more than {tolerance}")
            }
            FlagKind::Parity { price, other, other_price, tolerance } if tolerance.value().is_zero() => {
                write!(f, "{price} is below {other_price} on {other}")
            }
            FlagKind::Parity { price, other, other_price, tolerance } => {
                write!(f, "{price} is more than {tolerance} below {other_price} on {other}")
            }
            FlagKind::CompetitorBelowFloor { competitor, seller, response, floor_price, map } => write!(
                f,
                "answering {seller} at {competitor} needs {response}, below floor price {} / MAP {}",
                opt(*floor_price),
                opt(*map)
            ),
            FlagKind::BadInput { place, message } => write!(f, "{place}: {message}"),
        }
    }
}

/// Every price flag, in a stable order.
pub fn price_flags(market: &Market<'_>, report: &ContributionReport, book: &PriceBook) -> Vec<PriceFlag> {
    let mut flags = Vec::new();
    let owner = |c: &ChannelId| market.rules.channels.get(c).and_then(|c| c.owner.as_ref()).map(|p| p.name.clone());
    for p in report.problems.iter().chain(&book.problems) {
        flags.push(bad_input(p, owner(&p.channel)));
    }
    for view in &report.views {
        let mk = |kind| PriceFlag {
            kind,
            channel: view.channel.clone(),
            sku: Some(view.sku.clone()),
            owner: owner(&view.channel),
            price_source: Some(view.price_source.clone()),
        };
        flags.extend(view_flags(market, report, book, view).into_iter().map(mk));
    }
    for b in &book.blocked {
        let source = report.view(b.channel.as_str(), b.sku.as_str()).map(|v| v.price_source.clone());
        flags.push(PriceFlag {
            kind: FlagKind::CompetitorBelowFloor {
                competitor: b.competitor,
                seller: b.seller.clone(),
                response: b.response,
                floor_price: b.floor_price,
                map: b.map,
            },
            channel: b.channel.clone(),
            sku: Some(b.sku.clone()),
            owner: owner(&b.channel),
            price_source: source,
        });
    }
    flags
}

fn bad_input(p: &InputProblem, owner: Option<String>) -> PriceFlag {
    PriceFlag {
        kind: FlagKind::BadInput { place: p.place.clone(), message: p.message.clone() },
        channel: p.channel.clone(),
        sku: p.sku.clone(),
        owner,
        price_source: p.price_source.clone(),
    }
}

fn view_flags(market: &Market<'_>, report: &ContributionReport, book: &PriceBook, view: &PriceView) -> Vec<FlagKind> {
    let mut out = Vec::new();
    let Some(channel) = market.rules.channels.get(&view.channel) else { return out };
    let Some(item) = market.rules.catalog.get(view.sku.as_str()) else { return out };
    let figures =
        std::iter::once((&view.live, None)).chain(view.promo.iter().map(|p| (&p.contribution, Some(&p.promotion))));
    // MAP governs advertised consumer prices; a wholesale channel's B2B
    // price is not advertised, so MAP is not judged there.
    let map = item
        .map
        .filter(|_| !channel.wholesale)
        .and_then(|m| convert(m, channel.currency, &market.rules.brand.fx).ok())
        .map(Money::rounded);
    for (c, promotion) in figures {
        if let Some(rule) = &channel.pricing {
            let floor = floor_for(rule, item);
            if !meets_floor(floor, c) {
                out.push(FlagKind::MarginFloor {
                    price: c.net_price,
                    contribution: c.contribution,
                    margin: c.margin,
                    floor: floor.clone(),
                    promotion: promotion.cloned(),
                });
            }
        }
        if let Some(map) = map.filter(|m| c.net_price.amount < m.amount) {
            out.push(FlagKind::BelowMap { price: c.net_price, map, promotion: promotion.cloned() });
        }
    }
    let Some(rule) = &channel.pricing else { return out };
    let live = view.live.net_price;
    if let Some(entry) = book.entry(view.channel.as_str(), view.sku.as_str()) {
        let allowed = entry.price.amount * rule.drift_tolerance.value();
        if (live.amount - entry.price.amount).abs() > allowed {
            out.push(FlagKind::Drift { live, book: entry.price, tolerance: rule.drift_tolerance });
        }
    }
    for other in rule.parity.iter().flat_map(|p| p.against.iter().map(move |o| (o, p.tolerance))) {
        if let Some(kind) = parity(market, report, view, other.0, other.1) {
            out.push(kind);
        }
    }
    out
}

/// This channel's advertised price against another channel's, both as a
/// customer sees them now, in this channel's currency.
pub fn parity(
    market: &Market<'_>,
    report: &ContributionReport,
    view: &PriceView,
    other: &ChannelId,
    tolerance: Fraction,
) -> Option<FlagKind> {
    let theirs = report.view(other.as_str(), view.sku.as_str())?.advertised().net_price;
    let ours = view.advertised().net_price;
    let theirs_here = convert(theirs, ours.currency, &market.rules.brand.fx).ok()?.rounded();
    let limit = theirs_here.amount * (Decimal::ONE - tolerance.value());
    (ours.amount < limit).then(|| FlagKind::Parity {
        price: ours,
        other: other.clone(),
        other_price: theirs_here,
        tolerance,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::money::Currency;

    fn usd(cents: i64) -> Money {
        Money::new(Decimal::new(cents, 2), Currency::USD)
    }

    #[test]
    fn a_zero_tolerance_is_not_spelled_out() {
        let drift = |tolerance| FlagKind::Drift { live: usd(3400), book: usd(5800), tolerance }.to_string();
        assert_eq!(drift(Fraction::ZERO), "live 34.00 USD differs from the book 58.00 USD");
        let one_percent = Fraction::new(Decimal::new(1, 2)).unwrap();
        assert_eq!(drift(one_percent), "live 34.00 USD differs from the book 58.00 USD by more than 1%");
        let other = ChannelId::new("amazon-us-fba").unwrap();
        let parity = FlagKind::Parity { price: usd(1960), other, other_price: usd(2800), tolerance: Fraction::ZERO };
        assert_eq!(parity.to_string(), "19.60 USD is below 28.00 USD on amazon-us-fba");
    }
}
