//! A small brand and snapshot builders shared by the pricing tests.

#![allow(dead_code, reason = "each test file uses a different part of the helpers")]

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use jiff::Timestamp;
use omnideck::config::Config;
use omnideck::core::collisions::{Collision, CollisionInput, collisions};
use omnideck::core::contribution::{ContributionReport, contributions};
use omnideck::core::ids::{ChannelId, Sku, SourceId};
use omnideck::core::listing::{Listing, ListingIds};
use omnideck::core::market::Market;
use omnideck::core::money::{Currency, Money};
use omnideck::core::price_flags::{PriceFlag, price_flags};
use omnideck::core::pricebook::{PriceBook, price_book};
use omnideck::core::promotion::{CompetitorOffer, Discount, PromoScope, Promotion, Window};
use omnideck::core::rules::Rules;
use omnideck::core::snapshot::{FeeEstimate, Snapshot, SourceStatus, Sourced};
use rust_decimal::Decimal;

/// fba: 15% referral (min 0.30) + size-tier FBA fee, floor 25% and 3.00.
/// dtc: Shopify Payments 2.9% + 0.30/order, pick-pack, shipping subsidy,
/// 4% returns, 2 units per order, floor 35%, parity against fba at 5%.
/// eu: a EUR marketplace, 10% final value + 0.30 EUR per order.
/// faire: wholesale commission 25% first order / 15% reorder.
pub const BRAND: &str = r#"
[brand]
name = "T"
report_currency = "USD"
time_zone = "UTC"

[fx]
EUR = 1.08

[channels.fba]
name = "Amazon FBA"
kind = "amazon"
fulfilment = "fba"
currency = "USD"
status = "active"
owner = { name = "Priya" }
fees = { referral = { rate = 0.15, min_per_item = "0.30" }, fulfilment = { size_tiers = { small-standard = "3.76" } } }
pricing = { floor = { margin = 0.25, amount = "3.00" }, group_floors.kits = { margin = 0.30 }, drift_tolerance = 0.01, competitor = { undercut_amount = "0.10" } }

[channels.dtc]
name = "Shopify"
kind = "shopify"
currency = "USD"
status = "active"
owner = { name = "Maya" }
pricing = { floor = { margin = 0.35 }, drift_tolerance = 0.005, parity = { against = ["fba"], tolerance = 0.05 } }

[channels.dtc.fees]
payment = { rate = 0.029, fixed = "0.30" }
fulfilment = { pick_pack = { per_order = "2.50", per_unit = "0.40" } }
shipping_subsidy_per_order = "4.00"
returns_allowance = 0.04
units_per_order = 2

[channels.eu]
name = "EU marketplace"
kind = "ebay"
currency = "EUR"
status = "active"
owner = { name = "Leo" }
fees = { final_value = { rate = 0.10, fixed = "0.30" } }
pricing = { floor = { margin = 0.20 } }

[channels.faire]
name = "Faire"
kind = "faire"
currency = "USD"
status = "active"
wholesale = true
owner = { name = "Jonas" }
fees = { commission = { first_order = 0.25, reorder = 0.15 } }
pricing = { floor = { margin = 0.10 } }

[catalog.SOCK]
title = "Sock"
landed_cost = "6.40"
map = "22.00"
msrp = "28.00"
group = "socks"
size_tier = "small-standard"

[catalog.KIT]
title = "Kit"
landed_cost = "20.30"
map = "30.00"
msrp = "69.00"
group = "kits"
size_tier = "small-standard"

[catalog.NOTIER]
title = "No size tier"
landed_cost = "5.00"
"#;

pub fn rules() -> Rules {
    Config::parse(Path::new("pricing.toml"), BRAND).unwrap().rules
}

pub fn ts(s: &str) -> Timestamp {
    s.parse().unwrap()
}

pub fn now() -> Timestamp {
    ts("2026-11-27T12:00:00Z")
}

pub fn usd(s: &str) -> Money {
    Money::new(s.parse::<Decimal>().unwrap(), Currency::USD)
}

pub fn eur(s: &str) -> Money {
    Money::new(s.parse::<Decimal>().unwrap(), Currency::EUR)
}

pub fn sku(s: &str) -> Sku {
    Sku::new(s).unwrap()
}

pub fn ch(s: &str) -> ChannelId {
    ChannelId::new(s).unwrap()
}

/// The source that feeds each test channel.
pub fn source_of(channel: &str) -> SourceId {
    SourceId::new(format!("{channel}-api")).unwrap()
}

pub fn listing(channel: &str, s: &str, price: Money) -> Sourced<Listing> {
    Sourced {
        source: source_of(channel),
        value: Listing {
            channel: ch(channel),
            sku: sku(s),
            ids: ListingIds::Marketplace { sku: s.to_owned() },
            title: None,
            price: Some(price),
            compare_at: None,
            quantity: None,
            unit_cost: None,
        },
    }
}

pub fn promo(id: &str, channel: &str, skus: &[&str], discount: Discount, start: &str, end: &str) -> Sourced<Promotion> {
    let scope = if skus.is_empty() { PromoScope::All } else { PromoScope::Skus(skus.iter().map(|s| sku(s)).collect()) };
    Sourced {
        source: source_of(channel),
        value: Promotion {
            id: id.to_owned(),
            title: id.to_owned(),
            channel: ch(channel),
            scope,
            discount,
            window: Window::new(ts(start), Some(ts(end))).unwrap(),
            campaign_id: None,
            source: source_of(channel),
        },
    }
}

pub fn offer(
    channel: &str,
    s: &str,
    seller: &str,
    price: Money,
    buy_box: bool,
    ours: bool,
) -> Sourced<CompetitorOffer> {
    Sourced {
        source: source_of(channel),
        value: CompetitorOffer {
            seen_at: None,
            channel: ch(channel),
            sku: sku(s),
            seller: seller.to_owned(),
            landed_price: price,
            is_buy_box: buy_box,
            is_ours: ours,
        },
    }
}

pub fn estimate(channel: &str, s: &str, price: Money, lines: &[(&str, Money)]) -> Sourced<FeeEstimate> {
    Sourced {
        source: source_of(channel),
        value: FeeEstimate {
            channel: ch(channel),
            sku: sku(s),
            price,
            lines: lines.iter().map(|(n, m)| ((*n).to_owned(), *m)).collect(),
            estimated_at: None,
        },
    }
}

/// A snapshot with every test source fetched an hour before `now`.
pub fn snapshot(listings: Vec<Sourced<Listing>>) -> Snapshot {
    let mut snap = Snapshot { listings, ..Snapshot::default() };
    for c in ["fba", "dtc", "eu", "faire"] {
        let id = source_of(c);
        let status =
            SourceStatus { source: id.clone(), fetched_at: Some(ts("2026-11-27T11:00:00Z")), last_error: None };
        snap.sources.insert(id, status);
    }
    snap
}

/// Everything the pricing engines produce for one snapshot.
pub struct Read {
    pub report: ContributionReport,
    pub book: PriceBook,
    pub flags: Vec<PriceFlag>,
}

pub fn read(rules: &Rules, snap: &Snapshot) -> Read {
    let market = Market::new(rules, snap, now());
    let report = contributions(&market);
    let book = price_book(&market, &report);
    let flags = price_flags(&market, &report, &book);
    Read { report, book, flags }
}

/// Demand and cover for collision tests.
#[derive(Default)]
pub struct Demand {
    pub velocity: BTreeMap<(Sku, ChannelId), Decimal>,
    pub cover: BTreeMap<Sku, Decimal>,
    pub scarce: BTreeSet<Sku>,
}

pub fn collide(rules: &Rules, snap: &Snapshot, demand: &Demand) -> Vec<Collision> {
    let market = Market::new(rules, snap, now());
    let report = contributions(&market);
    collisions(&CollisionInput {
        market: &market,
        report: &report,
        velocity: &demand.velocity,
        cover_days: &demand.cover,
        scarce: &demand.scarce,
    })
}
