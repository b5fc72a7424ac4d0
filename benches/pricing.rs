//! Issue 5: prices, flags and collisions for a large catalog. Every SKU is
//! listed on six channels (one in EUR); promotions each cover a handful of
//! SKUs on one channel, with staggered, overlapping windows, half of them
//! sharing a campaign. One evaluation = `Market::new` + contributions +
//! price book + price flags + collisions, as `core::evaluate` runs them.
//!
//! A plain bench binary: the 1M-SKU case holds six million listings, so
//! each size is built once and timed over a few runs (the best is kept),
//! not sampled a hundred times. The sizes to compare within one run:
//! doubling SKUs should double the time, doubling promotions should barely
//! move it (nothing pairs every promotion with every SKU), and 1M SKUs
//! should stay within 12× of 100k.
//!
//! `cargo bench --bench pricing`; sizes from `OMNIDECK_BENCH_PRICING` as
//! `SKUS:PROMOTIONS,…` (default `100000:2000,200000:2000,100000:4000,1000000:2000`),
//! runs per size from `OMNIDECK_BENCH_RUNS` (default 3). docs/benchmarks.md
//! has the method and the numbers.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "bench setup fails loudly")]

use std::collections::{BTreeMap, BTreeSet};
use std::num::NonZeroU32;
use std::path::Path;
use std::time::{Duration, Instant};

use jiff::{SignedDuration, Timestamp};
use omnideck::config::Config;
use omnideck::core::catalog::{Catalog, CatalogItem};
use omnideck::core::collisions::{CollisionInput, collisions};
use omnideck::core::contribution::contributions;
use omnideck::core::ids::{ChannelId, Sku, SourceId};
use omnideck::core::listing::{Listing, ListingIds};
use omnideck::core::market::Market;
use omnideck::core::money::{Currency, Money};
use omnideck::core::price_flags::price_flags;
use omnideck::core::pricebook::price_book;
use omnideck::core::promotion::{Discount, PromoScope, Promotion, Window};
use omnideck::core::rules::Rules;
use omnideck::core::snapshot::{Snapshot, SourceStatus, Sourced};
use rust_decimal::Decimal;

const BRAND: &str = r#"
[brand]
name = "Bench"
report_currency = "USD"
time_zone = "UTC"

[fx]
EUR = 1.08

[channels.amazon-fba]
name = "Amazon FBA"
kind = "amazon"
fulfilment = "fba"
currency = "USD"
owner = { name = "Priya" }
fees = { referral = { rate = 0.15, min_per_item = "0.30" }, fulfilment = { size_tiers = { small-standard = "3.76" } } }
pricing = { floor = { margin = 0.25, amount = "3.00" }, drift_tolerance = 0.01, competitor = { undercut_amount = "0.10" } }

[channels.amazon-mfn]
name = "Amazon MFN"
kind = "amazon"
currency = "USD"
owner = { name = "Priya" }
fees = { referral = { rate = 0.15 }, fulfilment = { pick_pack = { per_order = "2.50", per_unit = "0.40" } } }
pricing = { floor = { margin = 0.25 }, competitor = "match" }

[channels.dtc]
name = "Shopify"
kind = "shopify"
currency = "USD"
owner = { name = "Maya" }
fees = { payment = { rate = 0.029, fixed = "0.30" }, returns_allowance = 0.04, units_per_order = 2 }
pricing = { floor = { margin = 0.35 }, drift_tolerance = 0.005, parity = { against = ["amazon-fba"], tolerance = 0.05 } }

[channels.ebay]
name = "eBay"
kind = "ebay"
currency = "USD"
owner = { name = "Leo" }
fees = { final_value = { rate = 0.1325, fixed = "0.30" } }
pricing = { floor = { margin = 0.25 }, parity = { against = ["amazon-fba"], tolerance = 0.05 } }

[channels.eu]
name = "EU marketplace"
kind = "ebay"
currency = "EUR"
owner = { name = "Leo" }
fees = { final_value = { rate = 0.10, fixed = "0.30" } }
pricing = { floor = { margin = 0.20 } }

[channels.faire]
name = "Faire"
kind = "faire"
currency = "USD"
wholesale = true
owner = { name = "Jonas" }
fees = { commission = { first_order = 0.25, reorder = 0.15 } }
pricing = { floor = { margin = 0.10 } }
"#;

const CHANNELS: [&str; 6] = ["amazon-fba", "amazon-mfn", "dtc", "ebay", "eu", "faire"];
const SKUS_PER_PROMOTION: usize = 5;

fn now() -> Timestamp {
    "2026-11-27T12:00:00Z".parse().unwrap()
}

fn money(cents: i64, currency: Currency) -> Money {
    Money::new(Decimal::new(cents, 2), currency)
}

fn sku(i: usize) -> Sku {
    Sku::new(format!("SKU-{i:07}")).unwrap()
}

fn rules(skus: usize) -> Rules {
    let mut rules = Config::parse(Path::new("bench.toml"), BRAND).unwrap().rules;
    let items = (0..skus).map(|i| CatalogItem {
        sku: sku(i),
        title: format!("Item {i}"),
        landed_cost: money(600 + i64::try_from(i % 300).unwrap(), Currency::USD),
        map: Some(money(2000, Currency::USD)),
        msrp: Some(money(2800, Currency::USD)),
        case_pack: NonZeroU32::MIN,
        moq: 0,
        lead_time_days: 30,
        supplier: None,
        group: None,
        size_tier: Some("small-standard".to_owned()),
        components: Vec::new(),
    });
    rules.catalog = Catalog::new(items).unwrap();
    rules
}

fn source(channel: &str) -> SourceId {
    SourceId::new(format!("{channel}-api")).unwrap()
}

/// Every SKU on every channel, at prices spread so that some break MAP,
/// the floor or parity and most do not.
fn snapshot(skus: usize, promotions: usize) -> Snapshot {
    let mut snap = Snapshot::default();
    for c in CHANNELS {
        let status = SourceStatus { source: source(c), fetched_at: Some(now()), last_error: None };
        snap.sources.insert(source(c), status);
        let channel = ChannelId::new(c).unwrap();
        let currency = if c == "eu" { Currency::EUR } else { Currency::USD };
        for i in 0..skus {
            let cents = 1800 + i64::try_from(i % 1200).unwrap();
            let value = Listing {
                channel: channel.clone(),
                sku: sku(i),
                ids: ListingIds::Marketplace { sku: sku(i).as_str().to_owned() },
                title: None,
                price: Some(money(cents, currency)),
                compare_at: None,
                quantity: None,
                unit_cost: None,
            };
            snap.listings.push(Sourced { source: source(c), value });
        }
    }
    snap.promotions = (0..promotions).map(|n| promotion(n, skus)).collect();
    snap
}

/// Promotion `n`: five SKUs spread over the catalog, on a channel in turn,
/// a week long, starting a day apart in a two-week cycle.
fn promotion(n: usize, skus: usize) -> Sourced<Promotion> {
    let channel = CHANNELS[n % CHANNELS.len()];
    let first = (n * 7919) % skus;
    let covered: BTreeSet<Sku> = (0..SKUS_PER_PROMOTION).map(|k| sku((first + k * 13) % skus)).collect();
    let day = i64::try_from(n % 14).unwrap();
    let start = now() - SignedDuration::from_hours(24 * (7 - day));
    let value = Promotion {
        id: format!("promo-{n}"),
        title: format!("Promotion {n}"),
        channel: ChannelId::new(channel).unwrap(),
        scope: PromoScope::Skus(covered),
        discount: Discount::Percent(Decimal::new(5 + i64::try_from(n % 30).unwrap(), 2).try_into().unwrap()),
        window: Window::new(start, Some(start + SignedDuration::from_hours(24 * 7))).unwrap(),
        campaign_id: n.is_multiple_of(2).then(|| format!("campaign-{}", n % 50)),
        source: source(channel),
    };
    Sourced { source: source(channel), value }
}

/// What one evaluation found, so the work cannot be optimised away.
struct Found {
    views: usize,
    flags: usize,
    collisions: usize,
}

fn evaluate(rules: &Rules, snap: &Snapshot) -> Found {
    let market = Market::new(rules, snap, now());
    let report = contributions(&market);
    let book = price_book(&market, &report);
    let flags = price_flags(&market, &report, &book);
    let (velocity, cover, scarce) = (BTreeMap::new(), BTreeMap::new(), BTreeSet::new());
    let input =
        CollisionInput { market: &market, report: &report, velocity: &velocity, cover_days: &cover, scarce: &scarce };
    let found = collisions(&input);
    Found { views: report.views.len(), flags: flags.len(), collisions: found.len() }
}

fn sizes() -> Vec<(usize, usize)> {
    let spec = std::env::var("OMNIDECK_BENCH_PRICING")
        .unwrap_or_else(|_| "100000:2000,200000:2000,100000:4000,1000000:2000".to_owned());
    spec.split(',')
        .map(|pair| {
            let (s, p) = pair.split_once(':').expect("sizes are SKUS:PROMOTIONS");
            (s.trim().parse().expect("a SKU count"), p.trim().parse().expect("a promotion count"))
        })
        .collect()
}

fn main() {
    let runs: usize = std::env::var("OMNIDECK_BENCH_RUNS").ok().and_then(|r| r.parse().ok()).unwrap_or(3).max(1);
    let mut base: Option<Duration> = None;
    println!(
        "{:>9} {:>6} {:>9} {:>8} {:>10} {:>10} {:>8}",
        "skus", "promos", "views", "flags", "collisions", "best", "ratio"
    );
    for (skus, promotions) in sizes() {
        let rules = rules(skus);
        let snap = snapshot(skus, promotions);
        let mut best = Duration::MAX;
        let mut found = None;
        for _ in 0..runs {
            let t = Instant::now();
            let f = evaluate(&rules, &snap);
            best = best.min(t.elapsed());
            found = Some(f);
        }
        let f = found.expect("at least one run");
        let base = *base.get_or_insert(best);
        let ratio = best.as_secs_f64() / base.as_secs_f64();
        println!(
            "{skus:>9} {promotions:>6} {:>9} {:>8} {:>10} {:>9.2}s {ratio:>7.2}x",
            f.views,
            f.flags,
            f.collisions,
            best.as_secs_f64()
        );
    }
}
