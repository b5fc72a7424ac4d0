//! Issue 3: a full Shopify refresh of a synthetic store against the sandbox
//! at its default (Standard plan) limits, measured against the least time
//! the leaky bucket allows; then a steady-state refresh with 1% changed.
//!
//! A plain bench binary, not criterion: one refresh of a 20k-variant store
//! takes minutes of bucket time, so there is one sample, not a hundred.
//! A counting proxy sits between the connector and the sandbox and reads
//! each reply's `extensions.cost`, so the sandbox itself is untouched.
//!
//! `cargo bench --bench refresh` (variants from `OMNIDECK_BENCH_VARIANTS`,
//! default 2000). docs/benchmarks.md has the method and the numbers.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "bench setup fails loudly")]

mod support;

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use jiff::{SignedDuration, Timestamp};
use omnideck::channels::http::{HttpClient, HttpConfig};
use omnideck::channels::shopify::ShopifyConnector;
use omnideck::config::Config;
use omnideck::config::credentials::sandbox_credentials;
use omnideck::core::ids::{ChannelId, SourceId};
use omnideck::sandbox::world::ANCHOR;
use omnideck::sandbox::{Faults, Sandbox, SandboxOptions, World};
use serde_json::Value;

/// What the proxy saw.
#[derive(Debug, Default, Clone, Copy)]
struct Tally {
    requests: u64,
    requested: f64,
    actual: f64,
    throttled: u64,
}

#[derive(Clone)]
struct Proxy {
    upstream: String,
    client: reqwest::Client,
    tally: Arc<Mutex<Tally>>,
}

async fn forward(State(p): State<Proxy>, headers: HeaderMap, body: Bytes) -> (StatusCode, Bytes) {
    let mut req = p.client.post(&p.upstream).body(body);
    for name in ["x-shopify-access-token", "content-type"] {
        if let Some(v) = headers.get(name) {
            req = req.header(name, v.as_bytes());
        }
    }
    let reply = req.send().await.unwrap();
    let status = StatusCode::from_u16(reply.status().as_u16()).unwrap();
    let bytes = reply.bytes().await.unwrap();
    let value: Value = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
    let cost = |k: &str| value.pointer(&format!("/extensions/cost/{k}")).and_then(Value::as_f64).unwrap_or(0.0);
    let throttled = value
        .get("errors")
        .and_then(Value::as_array)
        .is_some_and(|e| e.iter().any(|e| e.pointer("/extensions/code").and_then(Value::as_str) == Some("THROTTLED")));
    let mut t = p.tally.lock().unwrap();
    t.requests += 1;
    t.requested += cost("requestedQueryCost");
    t.actual += cost("actualQueryCost");
    t.throttled += u64::from(throttled);
    (status, Bytes::copy_from_slice(&bytes))
}

/// Serve the proxy on loopback; returns its base URL.
async fn start_proxy(upstream: String, tally: Arc<Mutex<Tally>>) -> String {
    let client = reqwest::Client::builder().no_proxy().timeout(Duration::from_secs(30)).build().unwrap();
    let state = Proxy { upstream, client, tally };
    let app = axum::Router::new().route("/admin/api/{version}/graphql.json", post(forward)).with_state(state);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    format!("http://{addr}")
}

/// Everything last touched a month ago, except every hundredth product
/// (its variants and levels) and every hundredth order, touched now.
fn synthetic(variants: usize) -> World {
    let mut world = World::synthetic(variants, 0x5eed);
    let old = ANCHOR - SignedDuration::from_hours(24 * 30);
    for (i, product) in world.products.iter_mut().enumerate() {
        let at = if i % 100 == 0 { ANCHOR } else { old };
        product.updated_at = at;
        for level in product.variants.iter_mut().flat_map(|v| v.levels.iter_mut()) {
            level.updated_at = at;
        }
    }
    for (i, order) in world.orders.iter_mut().enumerate() {
        order.updated_at = if i % 100 == 0 { ANCHOR } else { old };
    }
    world
}

fn connector(base_url: String) -> ShopifyConnector {
    let path = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures/demo/omnideck.toml");
    let config = Config::load(&path).unwrap();
    let id = SourceId::new("shopify-main").unwrap();
    let mut source = config.sources[&id].clone();
    source.base_url = Some(base_url);
    let client = HttpClient::new(HttpConfig::default(), &id).unwrap();
    let creds = sandbox_credentials(&["access_token"]);
    ShopifyConnector::new(source, ChannelId::new("shopify-dtc").unwrap(), &creds, client).unwrap()
}

struct Run {
    elapsed: Duration,
    tally: Tally,
    variants: usize,
    orders: usize,
}

async fn refresh(conn: &mut ShopifyConnector, tally: &Arc<Mutex<Tally>>, since: Option<Timestamp>) -> Run {
    *tally.lock().unwrap() = Tally::default();
    let started = Instant::now();
    let data = conn.poll(since).await.unwrap();
    Run {
        elapsed: started.elapsed(),
        tally: *tally.lock().unwrap(),
        variants: data.listings.len(),
        orders: data.orders.len(),
    }
}

fn main() {
    let variants: usize = std::env::var("OMNIDECK_BENCH_VARIANTS").ok().and_then(|v| v.parse().ok()).unwrap_or(2000);
    let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build().unwrap();
    rt.block_on(async move {
        let options = SandboxOptions::default();
        let (capacity, rate) = (options.bucket_capacity, options.restore_rate);
        let handle = Sandbox::start_with(synthetic(variants), Faults::default(), options).await.unwrap();
        let tally = Arc::new(Mutex::new(Tally::default()));
        let upstream = format!("{}/admin/api/2025-10/graphql.json", handle.base_url());
        let mut conn = connector(start_proxy(upstream, tally.clone()).await);
        let full = refresh(&mut conn, &tally, None).await;
        // Let the bucket refill, as it would between polls.
        tokio::time::sleep(Duration::from_secs_f64(capacity / rate)).await;
        let since = ANCHOR - SignedDuration::from_hours(24);
        let steady = refresh(&mut conn, &tally, Some(since)).await;
        report(variants, capacity, rate, &full, &steady);
        handle.shutdown().await;
    });
}

fn report(variants: usize, capacity: f64, rate: f64, full: &Run, steady: &Run) {
    let floor = ((full.tally.requested - capacity) / rate).max(0.0);
    let secs = full.elapsed.as_secs_f64();
    println!("store: {variants} variants; bucket {capacity} points, restore {rate}/s");
    println!(
        "full refresh: {secs:.1} s, {} requests, requested cost {:.0} (actual {:.0}), {} listings, {} orders",
        full.tally.requests, full.tally.requested, full.tally.actual, full.variants, full.orders
    );
    println!(
        "bucket minimum: ({:.0} - {capacity}) / {rate} = {floor:.1} s; ratio {:.2}",
        full.tally.requested,
        secs / floor.max(f64::EPSILON)
    );
    println!("throttled replies: full {}, steady {}", full.tally.throttled, steady.tally.throttled);
    println!(
        "steady refresh (1% changed): {:.2} s, {} requests, requested cost {:.0} = {:.1}% of the full refresh's, {} listings, {} orders",
        steady.elapsed.as_secs_f64(),
        steady.tally.requests,
        steady.tally.requested,
        100.0 * steady.tally.requested / full.tally.requested.max(1.0),
        steady.variants,
        steady.orders
    );
    println!("peak memory (VmHWM): {} MiB", support::status_kib("VmHWM:") / 1024);
}
