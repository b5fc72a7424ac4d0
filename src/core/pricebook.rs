//! The price book: the price each channel should show per SKU, and why.
//!
//! The base is the competitor response where the channel has a rule other
//! than hold and a competitor holds the buy box (or, with no buy box, the
//! lowest other offer); else the MSRP on retail channels; else (wholesale,
//! or no MSRP) the live price, so no drift is judged there. The base is then
//! lifted to at least max(floor price, MAP). A competitor response below
//! that bound is never a price: it is recorded as blocked (and flagged),
//! and the book holds at the bound.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use rust_decimal::Decimal;

use super::contribution::{ContributionReport, InputProblem, PriceView, convert, sale_for};
use super::floor::{floor_for, floor_price};
use super::ids::{ChannelId, Sku};
use super::market::Market;
use super::money::Money;
use super::pricing::CompetitorResponse;
use super::promotion::CompetitorOffer;

/// The price one channel should show for one SKU.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BookEntry {
    pub channel: ChannelId,
    pub sku: Sku,
    pub price: Money,
    pub why: String,
    /// Lowest price meeting the margin floor; `None` when none does.
    pub floor_price: Option<Money>,
    /// MAP in the channel's currency.
    pub map: Option<Money>,
}

/// A competitor answer the rule asked for but the floor or MAP forbids.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BlockedResponse {
    pub channel: ChannelId,
    pub sku: Sku,
    pub competitor: Money,
    pub seller: String,
    /// What the rule would have priced at.
    pub response: Money,
    pub floor_price: Option<Money>,
    pub map: Option<Money>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PriceBook {
    pub entries: Vec<BookEntry>,
    pub blocked: Vec<BlockedResponse>,
    /// Competitor offers that could not be answered as reported.
    pub problems: Vec<InputProblem>,
}

impl PriceBook {
    /// Entries follow the report's views, in (channel, SKU) order, so
    /// this is a binary search rather than a scan per listing.
    pub fn entry(&self, channel: &str, sku: &str) -> Option<&BookEntry> {
        let i = self.entries.binary_search_by(|e| (e.channel.as_str(), e.sku.as_str()).cmp(&(channel, sku))).ok()?;
        self.entries.get(i)
    }
}

/// The offer to answer: a competitor's buy box, else the lowest competing
/// offer; nothing when the buy box is ours.
fn target_offer<'a>(offers: &[&'a CompetitorOffer]) -> Option<&'a CompetitorOffer> {
    if offers.iter().any(|o| o.is_buy_box && o.is_ours) {
        return None;
    }
    let theirs = || offers.iter().copied().filter(|o| !o.is_ours);
    let cheapest = |a: &&CompetitorOffer, b: &&CompetitorOffer| {
        (a.landed_price.amount, &a.seller).cmp(&(b.landed_price.amount, &b.seller))
    };
    theirs().filter(|o| o.is_buy_box).min_by(cheapest).or_else(|| theirs().min_by(cheapest))
}

/// The price the rule answers `competitor` with; `None` for hold.
pub fn respond(rule: &CompetitorResponse, competitor: Money) -> Option<Money> {
    match rule {
        CompetitorResponse::Hold => None,
        CompetitorResponse::Match => Some(competitor),
        CompetitorResponse::UndercutAmount(a) => competitor.checked_sub(*a).ok(),
        CompetitorResponse::UndercutFraction(f) => Some(competitor.times(Decimal::ONE - f.value()).rounded()),
    }
}

/// Build the book for every priced listing.
pub fn price_book(market: &Market<'_>, report: &ContributionReport) -> PriceBook {
    let mut offers: BTreeMap<(&ChannelId, &Sku), Vec<&CompetitorOffer>> = BTreeMap::new();
    let mut book = PriceBook::default();
    for o in &market.snapshot.offers {
        match offer_problem(market, &o.value) {
            Some(message) => book.problems.push(InputProblem {
                channel: o.value.channel.clone(),
                sku: Some(o.value.sku.clone()),
                place: format!("{} offer by {:?} on {}", o.source, o.value.seller, o.value.channel),
                message,
                price_source: Some(market.price_source(&o.source)),
            }),
            None => offers.entry((&o.value.channel, &o.value.sku)).or_default().push(&o.value),
        }
    }
    for view in &report.views {
        let offers = offers.get(&(&view.channel, &view.sku)).map_or(&[][..], Vec::as_slice);
        if let Some((entry, blocked)) = book_entry(market, view, offers) {
            book.entries.push(entry);
            book.blocked.extend(blocked);
        }
    }
    book
}

fn book_entry(
    market: &Market<'_>,
    view: &PriceView,
    offers: &[&CompetitorOffer],
) -> Option<(BookEntry, Option<BlockedResponse>)> {
    let channel = market.rules.channels.get(&view.channel)?;
    let rule = channel.pricing.as_ref()?;
    let item = market.rules.catalog.get(view.sku.as_str())?;
    let cur = channel.currency;
    let fx = &market.rules.brand.fx;
    let in_channel = |m: Option<Money>| m.and_then(|m| convert(m, cur, fx).ok()).map(Money::rounded);
    let map = in_channel(item.map);
    let sale = sale_for(market, &view.channel, &view.sku, view.live.net_price)?;
    let floor = floor_price(&sale, &view.live.landed, floor_for(rule, item)).ok().flatten();
    let bound = Money::new(floor.map_or(Decimal::ZERO, |f| f.amount).max(map.map_or(Decimal::ZERO, |m| m.amount)), cur);
    let mut blocked = None;
    let competitor = target_offer(offers).filter(|o| o.landed_price.currency == cur);
    let response = competitor.and_then(|o| respond(&rule.competitor, o.landed_price).map(|r| (o, r)));
    let (base, mut why) = match response {
        Some((o, r)) if floor.is_some() && r.amount >= bound.amount => {
            let seen = o.seen_at.map(|t| format!(" (offer read {t})")).unwrap_or_default();
            (r, format!("competitor response ({:?}) to {} at {}{seen}", rule.competitor, o.seller, o.landed_price))
        }
        Some((o, r)) => {
            blocked = Some(BlockedResponse {
                channel: view.channel.clone(),
                sku: view.sku.clone(),
                competitor: o.landed_price,
                seller: o.seller.clone(),
                response: r,
                floor_price: floor,
                map,
            });
            // Hold at the lowest allowed price: nearest the competitor
            // without breaking floor or MAP.
            if floor.is_some() {
                (bound, "competitor response blocked by floor/MAP, held at the bound".to_owned())
            } else {
                fallback(channel.wholesale, in_channel(item.msrp), view)
            }
        }
        None => fallback(channel.wholesale, in_channel(item.msrp), view),
    };
    let mut price = base;
    if floor.is_none() {
        why.push_str("; no price meets the margin floor");
    }
    if price.amount < bound.amount {
        price = bound;
        let _ = write!(why, ", raised to max(floor price, MAP) = {bound}");
    }
    let entry = BookEntry { channel: view.channel.clone(), sku: view.sku.clone(), price, why, floor_price: floor, map };
    Some((entry, blocked))
}

fn fallback(wholesale: bool, msrp: Option<Money>, view: &PriceView) -> (Money, String) {
    match msrp {
        Some(m) if !wholesale => (m, "MSRP".to_owned()),
        _ => (view.live.net_price, "live price (no MSRP basis on this channel)".to_owned()),
    }
}

/// An offer at no price, or in a currency the channel does not sell in,
/// cannot be answered; it is shown rather than dropped.
fn offer_problem(market: &Market<'_>, o: &CompetitorOffer) -> Option<String> {
    let channel = market.rules.channels.get(&o.channel)?;
    if o.landed_price.amount <= Decimal::ZERO {
        Some(format!("offer price {} is not positive", o.landed_price))
    } else if o.landed_price.currency != channel.currency {
        Some(format!("offer price {} is not in the channel's currency {}", o.landed_price, channel.currency))
    } else {
        None
    }
}
