//! Issue 3: a full refresh of a synthetic Amazon account against the
//! SP-API sandbox at the default usage plans, measured against the least
//! time those plans allow for the requests it made, with zero 429s.
//!
//! A plain bench binary, not criterion: one refresh is minutes of
//! usage-plan time, so there is one sample. The sandbox counts requests per
//! operation and the 429s its buckets sent.
//!
//! Then a steady-state poll (`poll_changed`) since the full one started,
//! with 1% of the account changed since (the synthetic world's recent
//! `lastUpdatedTime`s), measured as a share of the full poll.
//!
//! `cargo bench --bench amazon_refresh` (SKUs from `OMNIDECK_BENCH_SKUS`,
//! default 2000). docs/benchmarks.md has the method and the numbers.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "bench setup fails loudly")]

mod support;

use std::collections::BTreeMap;
use std::num::NonZeroU32;
use std::path::PathBuf;
use std::str::FromStr;
use std::time::{Duration, Instant};

use jiff::SignedDuration;
use omnideck::channels::amazon::{AmazonConnector, AmazonSettings, PACE_FRACTION, PLANS};
use omnideck::config::Config;
use omnideck::config::credentials::sandbox_credentials;
use omnideck::core::catalog::{Catalog, CatalogItem};
use omnideck::core::ids::Sku;
use omnideck::core::money::{Currency, Money};
use omnideck::sandbox::world::ANCHOR;
use omnideck::sandbox::{Faults, Sandbox, SandboxOptions, World};

/// The poll's steps in the order it runs them, each with the operations it
/// sends; operations within a step interleave, steps do not overlap.
const STEPS: [(&str, &[&str]); 5] = [
    ("inventory", &["getInventorySummaries"]),
    ("listings", &["searchListingsItems", "getListingsItem"]),
    ("orders", &["getOrders", "getOrderItems"]),
    ("fees", &["getMyFeesEstimates"]),
    ("offers", &["getItemOffersBatch"]),
];

/// The demo config with its catalog replaced by the synthetic store's SKUs,
/// so every Amazon listing maps to a catalog SKU.
fn config(world: &World) -> Config {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures/demo/omnideck.toml");
    let mut config = Config::load(&path).unwrap();
    let items = world.products.iter().flat_map(|p| &p.variants).map(|v| CatalogItem {
        sku: Sku::new(&v.sku).unwrap(),
        title: v.title.clone(),
        landed_cost: Money::new(v.unit_cost.unwrap_or_default(), Currency::from_str(&world.currency).unwrap()),
        map: None,
        msrp: None,
        case_pack: NonZeroU32::MIN,
        moq: 0,
        lead_time_days: 30,
        supplier: None,
        group: None,
        size_tier: None,
        components: Vec::new(),
    });
    config.rules.catalog = Catalog::new(items).unwrap();
    config
}

/// When the full poll is taken to have started: the synthetic world's
/// recently changed 1% changed in the ten minutes before the anchor, the
/// rest at least 20 minutes before it.
fn full_started() -> jiff::Timestamp {
    ANCHOR - SignedDuration::from_mins(10)
}

/// Usage-plan time the requests consume with no burst to draw on: per
/// operation requests ÷ rate, summed. A steady-state poll runs one poll
/// interval after the last, so how much of the plans it uses is this.
fn plan_seconds(requests: &BTreeMap<&'static str, u64>, skip: &[&str]) -> f64 {
    #[allow(clippy::cast_precision_loss, reason = "request counts are far below 2^52")]
    PLANS
        .iter()
        .filter(|(op, ..)| !skip.contains(op))
        .map(|(op, rate, _)| requests.get(op).copied().unwrap_or(0) as f64 / rate)
        .sum()
}

/// The steady poll as a share of the full one: requests, plan minimum,
/// plan seconds, and plan seconds without the one getOrders every poll
/// sends whatever changed (60 s of its 0.0167/s plan).
fn share(full: &BTreeMap<&'static str, u64>, steady: &BTreeMap<&'static str, u64>) {
    let pct = |a: f64, b: f64| 100.0 * a / b.max(f64::EPSILON);
    #[allow(clippy::cast_precision_loss, reason = "request counts are far below 2^52")]
    let total = |r: &BTreeMap<&'static str, u64>| r.values().sum::<u64>() as f64;
    let (min_full, _) = minimum(full);
    let (min_steady, _) = minimum(steady);
    let (s_full, s_steady) = (plan_seconds(full, &[]), plan_seconds(steady, &[]));
    let (o_full, o_steady) = (plan_seconds(full, &["getOrders"]), plan_seconds(steady, &["getOrders"]));
    println!("steady as a share of full:");
    println!("  requests: {:.1}% ({} of {})", pct(total(steady), total(full)), total(steady), total(full));
    println!("  plan minimum: {:.1}% ({min_steady:.1} s of {min_full:.1} s)", pct(min_steady, min_full));
    println!("  plan seconds: {:.1}% ({s_steady:.1} s of {s_full:.1} s)", pct(s_steady, s_full));
    println!("  plan seconds but getOrders: {:.1}% ({o_steady:.1} s of {o_full:.1} s)", pct(o_steady, o_full));
}

/// The least time the plans allow: per step, the slowest of its
/// operations' (requests − burst) ÷ rate; summed over the steps.
fn minimum(requests: &BTreeMap<&'static str, u64>) -> (f64, Vec<(&'static str, f64)>) {
    let plan = |op: &str| PLANS.iter().find(|(name, ..)| *name == op).map(|(_, rate, burst)| (*rate, *burst)).unwrap();
    #[allow(clippy::cast_precision_loss, reason = "request counts are far below 2^52")]
    let op_floor = |op: &str| {
        let (rate, burst) = plan(op);
        ((requests.get(op).copied().unwrap_or(0) as f64 - burst) / rate).max(0.0)
    };
    let steps: Vec<(&str, f64)> =
        STEPS.iter().map(|(step, ops)| (*step, ops.iter().map(|op| op_floor(op)).fold(0.0, f64::max))).collect();
    (steps.iter().map(|(_, s)| s).sum(), steps)
}

fn main() {
    let skus: usize = std::env::var("OMNIDECK_BENCH_SKUS").ok().and_then(|v| v.parse().ok()).unwrap_or(2000);
    let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build().unwrap();
    rt.block_on(async move {
        let world = World::synthetic(skus, 0x5eed);
        let config = config(&world);
        let handle = Sandbox::start_with(world, Faults::none(), SandboxOptions::default()).await.unwrap();
        let mut settings = AmazonSettings::from_source(&config.sources["amazon-us"]).unwrap();
        settings.base_url = handle.base_url();
        settings.token_url = format!("{}/auth/o2/token", handle.base_url());
        let amazon = AmazonConnector::new(settings, sandbox_credentials(&["client_id", "client_secret", "refresh_token"]))
            .unwrap();
        let since = ANCHOR - SignedDuration::from_hours(24 * 30);
        let started = Instant::now();
        let data = amazon.poll_at(&config.rules, since, full_started()).await.unwrap();
        let elapsed = started.elapsed();
        let stats = handle.amazon_stats();
        let refreshed = amazon.refreshed();
        println!("account: {skus} SKUs; default usage plans; client paces at {PACE_FRACTION} of each");
        println!(
            "read: {} stock positions, {} listings, {} orders, {} fee estimates ({} re-read), {} offers ({} ASINs re-read), {} issues",
            data.stock.len(),
            data.listings.len(),
            data.orders.len(),
            data.fees.len(),
            refreshed.fees.len(),
            data.offers.len(),
            refreshed.offers.len(),
            data.issues.len()
        );
        report(&stats.requests, stats.throttled, elapsed);
        let started = Instant::now();
        let steady = amazon.poll_changed(&config.rules, full_started(), ANCHOR).await.unwrap();
        let steady_elapsed = started.elapsed();
        let after = handle.amazon_stats();
        let steady_requests: BTreeMap<&'static str, u64> =
            after.requests.iter().map(|(op, n)| (*op, n - stats.requests.get(op).copied().unwrap_or(0))).collect();
        println!(
            "\nsteady-state poll: {} stock positions, {} listings, {} orders, {} fee estimates re-read, {} ASINs re-read",
            steady.stock.len(),
            steady.listings.len(),
            steady.orders.len(),
            amazon.refreshed().fees.len(),
            amazon.refreshed().offers.len()
        );
        report(&steady_requests, after.throttled - stats.throttled, steady_elapsed);
        share(&stats.requests, &steady_requests);
        handle.shutdown().await;
    });
}

fn report(requests: &BTreeMap<&'static str, u64>, throttled: u64, elapsed: Duration) {
    println!("requests: {requests:?}, total {}", requests.values().sum::<u64>());
    let (floor, steps) = minimum(requests);
    let per_step: Vec<String> = steps.iter().map(|(step, s)| format!("{step} {s:.1} s")).collect();
    let secs = elapsed.as_secs_f64();
    println!("plan minimum: {floor:.1} s ({})", per_step.join(", "));
    // A poll inside every burst has no floor to be slower than.
    let ratio = if floor > 0.0 { format!("{:.3}", secs / floor) } else { "n/a".to_owned() };
    println!("elapsed: {secs:.1} s; ratio {ratio}; throttled (429) replies: {throttled}");
    println!("peak memory (VmHWM): {} MiB", support::status_kib("VmHWM:") / 1024);
}
