//! Issue 8: a ShipBob refresh of a 20k-SKU account against the sandbox at
//! ShipBob's published limit (150 requests per rolling minute), through the
//! real connector with its own pacing. The target: the refresh stays
//! inside the window, with zero 429s, and takes little more than the least
//! time the window allows for the requests it needs.
//!
//! A plain bench binary (one refresh is a minute or more of window time).
//! `cargo bench --bench shipbob`; SKUs from `OMNIDECK_BENCH_SKUS` (default
//! 20000). docs/benchmarks.md has the method and the numbers.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "bench setup fails loudly")]
// Vendor names such as ShipBob are proper nouns in prose, not code items.
#![allow(clippy::doc_markdown)]

use std::path::Path;
use std::time::{Duration, Instant};

use omnideck::channels::http::{HttpClient, HttpConfig};
use omnideck::channels::shipbob::ShipbobConnector;
use omnideck::config::Config;
use omnideck::config::credentials::sandbox_credentials;
use omnideck::core::ids::SourceId;
use omnideck::sandbox::shipbob::ShipbobOptions;
use omnideck::sandbox::{Faults, Sandbox, SandboxOptions, World};

/// The least time a window of `limit` requests per `window` allows for
/// `requests`: the first `limit` go at once, each further batch of `limit`
/// one window later.
fn window_minimum(requests: u64, limit: u64, window: Duration) -> Duration {
    let extra_windows = requests.saturating_sub(1) / limit;
    window * u32::try_from(extra_windows).unwrap_or(u32::MAX)
}

fn main() {
    let skus: usize = std::env::var("OMNIDECK_BENCH_SKUS").ok().and_then(|v| v.parse().ok()).unwrap_or(20_000);
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    runtime.block_on(async move {
        let shipbob = ShipbobOptions::default();
        let (limit, window) = (u64::from(shipbob.limit), shipbob.window);
        let options = SandboxOptions { shipbob, ..SandboxOptions::default() };
        let world = World::synthetic(skus, 42);
        let positions = world.threepl_on_hand.len();
        let handle = Sandbox::start_with(world, Faults::default(), options).await.unwrap();

        let config = Config::load(Path::new("fixtures/demo/omnideck.toml")).unwrap();
        let id = SourceId::new("shipbob").unwrap();
        let mut source = config.sources[&id].clone();
        source.base_url = Some(handle.base_url());
        let client = HttpClient::new(HttpConfig::default(), &id).unwrap();
        let mut connector = ShipbobConnector::new(source, &sandbox_credentials(&["access_token"]), client).unwrap();

        let started = Instant::now();
        let data = connector.poll().await.unwrap();
        let took = started.elapsed();
        let served = handle.shipbob_stats();
        let client = connector.stats();
        let minimum = window_minimum(served.requests, limit, window);
        println!("ShipBob refresh of {skus} SKUs ({positions} 3PL positions in the world)");
        println!("  stock positions read: {}", data.stock.len());
        println!("  requests: {} (pages {}), throttled (429): {}", served.requests, client.pages, served.throttled);
        println!("  paced {} times for {:.1} s", client.paced, client.paced_for.as_secs_f64());
        println!(
            "  took {:.1} s; the window allows it in {:.1} s at the least",
            took.as_secs_f64(),
            minimum.as_secs_f64()
        );
        if !minimum.is_zero() {
            println!("  ratio {:.2}", took.as_secs_f64() / minimum.as_secs_f64());
        }
        assert_eq!(served.throttled, 0, "the refresh was throttled");
        handle.shutdown().await;
    });
}
