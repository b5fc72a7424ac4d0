//! Issue 4: the full inventory plan (trusted stock, sellable, velocity,
//! allocation for every SKU × channel, FBA inbound, reorders) for a
//! synthetic brand of N SKUs × 6 channels × 4 locations with 90 days of
//! orders; then one order event re-planned with `Planner::replan`.
//!
//! A plain bench binary, not criterion: one 1M-SKU plan takes seconds, so
//! a few timed runs per size, best and median shown. Peak memory is `VmHWM`
//! from `/proc/self/status`, reset through `/proc/self/clear_refs` before each
//! plan, minus the resident size just before it.
//!
//! `cargo bench --bench plan`; sizes from `OMNIDECK_BENCH_SKUS` (default
//! "100000,1000000"), runs per size from `OMNIDECK_BENCH_RUNS` (default 3),
//! events from `OMNIDECK_BENCH_EVENTS` (default 200).

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "bench setup fails loudly")]
#![allow(clippy::cast_precision_loss, reason = "SKU counts far below 2^52, used only in printed ratios")]

mod support;

use std::collections::{BTreeMap, BTreeSet};
use std::num::NonZeroU32;
use std::path::Path;
use std::time::{Duration, Instant};

use jiff::{SignedDuration, Timestamp};
use omnideck::config::Config;
use omnideck::core::catalog::{Catalog, CatalogItem, Component};
use omnideck::core::ids::{ChannelId, LocationId, Sku, SourceId, SupplierId};
use omnideck::core::inventory::Planner;
use omnideck::core::inventory_facts::Facts;
use omnideck::core::money::{Currency, Money};
use omnideck::core::orders::{Order, OrderLine, OrderStatus};
use omnideck::core::rules::Rules;
use omnideck::core::snapshot::{Snapshot, SourceStatus, Sourced};
use omnideck::core::stock::{Inbound, StockPosition};
use rust_decimal::Decimal;

const BRAND: &str = r#"
[brand]
name = "Bench"
report_currency = "USD"
time_zone = "America/New_York"

[inventory]
velocity_window_days = 90

[suppliers.mill]
name = "Mill"
cadence_days = 14

[channels.dtc]
name = "DTC"
kind = "shopify"
currency = "USD"
status = "active"
allocation = { buffer = "sync_lag", priority = 1 }

[channels.fba]
name = "FBA"
kind = "amazon"
fulfilment = "fba"
currency = "USD"
status = "active"
allocation = { buffer = { percent = 0.1 }, priority = 2 }

[channels.fbm]
name = "FBM"
kind = "amazon"
currency = "USD"
status = "active"
allocation = { buffer = { fixed = 2 }, priority = 2 }

[channels.faire]
name = "Faire"
kind = "faire"
currency = "USD"
status = "active"
wholesale = true
allocation = { buffer = { fixed = 0 }, priority = 3 }

[channels.ebay]
name = "eBay"
kind = "ebay"
currency = "USD"
status = "active"
allocation = { buffer = { fixed = 1 }, priority = 4, cap = 50 }

[channels.walmart]
name = "Walmart"
kind = "walmart"
currency = "USD"
status = "active"
allocation = { buffer = { percent = 0.05 }, priority = 4 }

[locations.wh]
name = "Warehouse"
kind = "own_warehouse"
serves = ["dtc", "faire", "fbm"]
safety_stock = 3

[locations.tpl]
name = "3PL"
kind = "third_party"
serves = ["dtc", "ebay", "walmart", "fbm"]

[locations.tpl-west]
name = "3PL west"
kind = "third_party"
serves = ["dtc", "ebay"]

[locations.fba-loc]
name = "FBA"
kind = "fba"
serves = ["fba"]
"#;

const CHANNELS: [&str; 6] = ["dtc", "fba", "fbm", "faire", "ebay", "walmart"];
const LOCATIONS: [&str; 4] = ["wh", "tpl", "tpl-west", "fba-loc"];

/// A cheap deterministic mix, so data is varied without a random crate.
fn mix(i: usize, salt: u64) -> u64 {
    let mut x = (i as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ salt;
    x ^= x >> 31;
    x = x.wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x ^ (x >> 29)
}

fn sku(i: usize) -> Sku {
    Sku::new(format!("SKU-{i:07}")).unwrap()
}

fn item(i: usize, n: usize) -> CatalogItem {
    let usd = Money::new(Decimal::from(5), Currency::USD);
    // One SKU in 100 is a kit of the two SKUs after it; one kit in ten
    // holds the kit 100 places on, so kits of kits are planned too.
    let components = if i.is_multiple_of(100) && i + 102 < n {
        let next = if i.is_multiple_of(1000) { i + 100 } else { i + 2 };
        vec![
            Component { sku: sku(i + 1), qty: NonZeroU32::MIN },
            Component { sku: sku(next), qty: NonZeroU32::new(2).unwrap() },
        ]
    } else {
        vec![]
    };
    CatalogItem {
        sku: sku(i),
        title: format!("Item {i}"),
        landed_cost: usd,
        map: None,
        msrp: None,
        case_pack: NonZeroU32::new(12).unwrap(),
        moq: 24,
        lead_time_days: 30,
        supplier: Some(SupplierId::new("mill").unwrap()),
        group: None,
        size_tier: None,
        components,
    }
}

fn rules(n: usize) -> Rules {
    let mut rules = Config::parse(Path::new("bench.toml"), BRAND).unwrap().rules;
    rules.catalog = Catalog::new((0..n).map(|i| item(i, n))).unwrap();
    rules
}

fn now() -> Timestamp {
    "2026-11-27T17:00:00Z".parse().unwrap()
}

/// An order of `qty` units of SKU `i` on a channel, `day` days ago.
fn order(id: usize, i: usize, channel: usize, qty: u32, day: i64, open: bool) -> Sourced<Order> {
    let usd = Money::zero(Currency::USD);
    Sourced {
        source: SourceId::new("orders").unwrap(),
        value: Order {
            id: format!("o{id}"),
            channel: ChannelId::new(CHANNELS[channel]).unwrap(),
            placed_at: now() - SignedDuration::from_hours(24 * day + 3),
            status: if open { OrderStatus::Open } else { OrderStatus::Fulfilled },
            first_order: false,
            lines: vec![OrderLine { sku: sku(i), qty, unit_price: Some(usd), discount: usd }],
        },
    }
}

/// Every plain SKU at every location; six order lines per SKU over the 90
/// days, one per channel, some SKUs slow enough to go scarce.
fn snapshot(rules: &Rules, n: usize) -> Snapshot {
    let mut snap = Snapshot::default();
    for s in ["wms", "orders"] {
        let source = SourceId::new(s).unwrap();
        snap.sources.insert(source.clone(), SourceStatus { source, fetched_at: Some(now()), last_error: None });
    }
    let wms = SourceId::new("wms").unwrap();
    for i in (0..n).filter(|i| !rules.catalog.get(sku(*i).as_str()).unwrap().is_kit()) {
        for (l, loc) in LOCATIONS.iter().enumerate() {
            let r = mix(i * 4 + l, 1);
            // One SKU in eight runs low, so scarcity fences are planned too.
            let most = if i.is_multiple_of(8) { 12 } else { 400 };
            let value = StockPosition {
                sku: sku(i),
                location: LocationId::new(*loc).unwrap(),
                on_hand: u32::try_from(r % most).unwrap(),
                committed: u32::try_from(r % 7).unwrap(),
                reserved: 0,
                unfulfillable: 0,
                inbound: Inbound::undated(if r.is_multiple_of(5) { 48 } else { 0 }),
            };
            snap.stock.push(Sourced { source: wms.clone(), value });
        }
        for c in 0..CHANNELS.len() {
            let r = mix(i * 6 + c, 2);
            let qty = u32::try_from(1 + r % 60).unwrap();
            let day = i64::try_from(r % 90).unwrap() + 1;
            snap.orders.push(order(i * 6 + c, i, c, qty, day, c == 3 && r.is_multiple_of(3)));
        }
    }
    snap
}

fn env_list(name: &str, default: &str) -> Vec<usize> {
    std::env::var(name).unwrap_or_else(|_| default.to_owned()).split(',').map(|s| s.trim().parse().unwrap()).collect()
}

fn median(mut xs: Vec<Duration>) -> Duration {
    xs.sort();
    xs[xs.len() / 2]
}

fn main() {
    let runs = env_list("OMNIDECK_BENCH_RUNS", "3")[0];
    let events = env_list("OMNIDECK_BENCH_EVENTS", "200")[0];
    let mut full: Vec<(usize, Duration)> = Vec::new();
    for n in env_list("OMNIDECK_BENCH_SKUS", "100000,1000000") {
        let started = Instant::now();
        let rules = rules(n);
        let snap = snapshot(&rules, n);
        println!(
            "{n} SKUs: {} positions, {} orders, built in {:.1?}",
            snap.stock.len(),
            snap.orders.len(),
            started.elapsed()
        );
        let (contribution, oos) = (BTreeMap::new(), BTreeSet::new());
        let planner = Planner::new(&rules, &contribution, &oos, now());
        let mut times = Vec::new();
        for run in 0..runs {
            // Reset the peak so it measures this plan alone.
            let _ = std::fs::write("/proc/self/clear_refs", "5");
            let before = support::status_kib("VmRSS:");
            let t = Instant::now();
            let facts = Facts::new(&snap, &rules);
            let read = planner.plan(&facts);
            times.push(t.elapsed());
            let peak = support::status_kib("VmHWM:").saturating_sub(before);
            if run == 0 {
                let per_sku = peak * 1024 / n as u64;
                println!(
                    "  plan: {} lines, {} scarce; peak +{peak} kB = {per_sku} B/SKU",
                    read.plan.lines.len(),
                    read.plan.scarce.len()
                );
            }
            std::hint::black_box(read);
        }
        let (best, med) = (*times.iter().min().unwrap(), median(times));
        println!(
            "  full plan: best {best:.2?}, median {med:.2?} over {runs} runs ({:.2} µs/SKU)",
            best.as_secs_f64() * 1e6 / n as f64
        );
        full.push((n, best));
        if events > 0 {
            replan(&rules, &planner, &snap, n, events, best);
        }
    }
    if let [(n0, t0), .., (n1, t1)] = full[..] {
        let ratio = t1.as_secs_f64() / t0.as_secs_f64();
        println!("growth: {n1} ÷ {n0} SKUs = {:.1}×, time {ratio:.2}×", n1 as f64 / n0 as f64);
    }
}

/// One order event at a time: record it, re-plan the SKUs it touched.
fn replan(rules: &Rules, planner: &Planner<'_>, snap: &Snapshot, n: usize, events: usize, full: Duration) {
    let orders: Vec<Sourced<Order>> = (0..events)
        .map(|e| {
            let i = usize::try_from(mix(e, 3) % n as u64).unwrap();
            order(usize::MAX - e, i, e % CHANNELS.len(), 5, 1, e % 4 == 0)
        })
        .collect();
    let mut facts = Facts::new(snap, rules);
    let mut read = planner.plan(&facts);
    let mut times = Vec::new();
    for o in &orders {
        let t = Instant::now();
        let changed = facts.add_order(rules, &o.source, &o.value);
        planner.replan(&mut read, &facts, &changed);
        times.push(t.elapsed());
    }
    let worst = *times.iter().max().unwrap();
    let med = median(times);
    let share = med.as_secs_f64() / full.as_secs_f64() * 100.0;
    println!(
        "  one order event: median {med:.2?}, worst {worst:.2?} over {events} events = {share:.4}% of a full plan"
    );
}
