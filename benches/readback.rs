//! Issue 6: the weekly readback over a year of orders grows linearly with
//! the order lines. 100k SKUs on 6 channels; the full size is 5M lines
//! (1M orders of 5 lines), and the same run reads ¼, ½ and all of them, so
//! the ratios compare like with like on a shared machine.
//!
//! A plain bench binary: one readback of 5M lines takes seconds, so each
//! size is read a few times and the median kept.
//!
//! `cargo bench --bench readback`; `OMNIDECK_BENCH_LINES` (default
//! 5000000), `OMNIDECK_BENCH_SKUS` (default 100000) and
//! `OMNIDECK_BENCH_REPS` (default 3) override the sizes.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "bench setup fails loudly")]

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::Path;
use std::time::{Duration, Instant};

use jiff::{SignedDuration, Timestamp};
use omnideck::config::Config;
use omnideck::core::ids::{ChannelId, Sku};
use omnideck::core::money::{Currency, Money};
use omnideck::core::orders::{Order, OrderLine, OrderStatus};
use omnideck::core::readback::{ReadbackInput, WeekId, readback};
use omnideck::core::rules::Rules;
use rust_decimal::Decimal;

const CHANNELS: usize = 6;
const LINES_PER_ORDER: usize = 5;

fn env(name: &str, default: usize) -> usize {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

/// Six active USD channels with fees and operating costs, and `skus` SKUs.
fn rules(skus: usize) -> Rules {
    let mut t =
        String::from("[brand]\nname = \"Bench\"\nreport_currency = \"USD\"\ntime_zone = \"America/New_York\"\n");
    for c in 0..CHANNELS {
        let kind = if c % 2 == 0 { "shopify" } else { "ebay" };
        let _ = write!(
            t,
            "[channels.ch{c}]\nname = \"Channel {c}\"\nkind = \"{kind}\"\ncurrency = \"USD\"\nstatus = \"active\"\n\
             owner = {{ name = \"Owner {c}\" }}\n[channels.ch{c}.fees]\npayment = {{ rate = 0.02, fixed = \"0.30\" }}\n\
             fulfilment = {{ per_unit = \"2.00\" }}\nunits_per_order = \"1\"\n[channels.ch{c}.operating_cost]\n\
             fixed_weekly = \"100.00\"\npeople_hours_weekly = \"2\"\nhourly_rate = \"30.00\"\nminutes_per_exception = 15\n"
        );
    }
    for s in 0..skus {
        let _ = write!(t, "[catalog.S{s:06}]\ntitle = \"Item {s}\"\nlanded_cost = \"4.00\"\n");
    }
    Config::parse(Path::new("<bench>"), &t).unwrap().rules
}

/// A small xorshift, so every run builds the same year of orders.
fn next(seed: &mut u64) -> u64 {
    *seed ^= *seed << 13;
    *seed ^= *seed >> 7;
    *seed ^= *seed << 17;
    *seed
}

/// Orders spread at random over the year before `now`, so any prefix of
/// the list covers the whole year (and the trail) in proportion.
fn orders(lines: usize, skus: &[Sku], channels: &[ChannelId], now: Timestamp) -> Vec<Order> {
    let year = 365 * 24 * 3600;
    let mut seed = 0x2545_f491_4f6c_dd1d_u64;
    let usd = |cents: i64| Money::new(Decimal::new(cents, 2), Currency::USD);
    (0..lines / LINES_PER_ORDER)
        .map(|i| {
            let back = i64::try_from(next(&mut seed) % year).unwrap();
            let lines = (0..LINES_PER_ORDER)
                .map(|_| {
                    let r = next(&mut seed);
                    let sku = skus[usize::try_from(r % skus.len() as u64).unwrap()].clone();
                    let qty = u32::try_from(r % 3).unwrap() + 1;
                    OrderLine { sku, qty, unit_price: Some(usd(1999)), discount: usd(0) }
                })
                .collect();
            Order {
                id: format!("o{i}"),
                channel: channels[i % channels.len()].clone(),
                placed_at: now - SignedDuration::from_secs(back),
                status: if i % 50 == 0 { OrderStatus::Cancelled } else { OrderStatus::Fulfilled },
                first_order: false,
                lines,
            }
        })
        .collect()
}

fn median_read(rules: &Rules, orders: &[Order], week: WeekId, reps: usize) -> Duration {
    let exceptions = BTreeMap::new();
    let stale = BTreeSet::new();
    let mut times: Vec<Duration> = (0..reps)
        .map(|_| {
            let started = Instant::now();
            let read = readback(&ReadbackInput {
                rules,
                orders,
                estimates: &[],
                week,
                exceptions: &exceptions,
                stock_outs: &[],
                stale: &stale,
                stored: &[],
            });
            let took = started.elapsed();
            assert_eq!(read.channels.len(), CHANNELS);
            assert!(read.problems.is_empty(), "{:?}", read.problems.first());
            std::hint::black_box(read);
            took
        })
        .collect();
    times.sort_unstable();
    times[times.len() / 2]
}

fn main() {
    let (lines, skus, reps) =
        (env("OMNIDECK_BENCH_LINES", 5_000_000), env("OMNIDECK_BENCH_SKUS", 100_000), env("OMNIDECK_BENCH_REPS", 3));
    let now: Timestamp = "2026-11-30T15:00:00Z".parse().unwrap();
    let started = Instant::now();
    let rules = rules(skus);
    let sku_ids: Vec<Sku> = rules.catalog.iter().map(|i| i.sku.clone()).collect();
    let channels: Vec<ChannelId> = rules.channels.keys().cloned().collect();
    let all = orders(lines, &sku_ids, &channels, now);
    println!("built {skus} SKUs and {} orders ({lines} lines) in {:.1?}", all.len(), started.elapsed());
    let week = WeekId::last_complete(now, &rules.brand.time_zone);
    let mut base: Option<f64> = None;
    println!("| lines | median readback | µs per 1k lines | time ratio to ¼ | size ratio |");
    for quarters in [1, 2, 4] {
        let n = all.len() * quarters / 4;
        let t = median_read(&rules, &all[..n], week, reps);
        let thousands = f64::from(u32::try_from(n * LINES_PER_ORDER / 1000).unwrap());
        let per_k = t.as_secs_f64() * 1e6 / thousands;
        let ratio = base.map_or(1.0, |b| t.as_secs_f64() / b);
        base.get_or_insert(t.as_secs_f64());
        println!("| {} | {t:.2?} | {per_k:.1} | {ratio:.2} | {} |", n * LINES_PER_ORDER, quarters);
    }
}
