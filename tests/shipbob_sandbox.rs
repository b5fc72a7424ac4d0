//! The ShipBob connector against the sandbox over real HTTP on loopback:
//! field-by-field mapping, pagination, every injected fault, the sliding
//! window on both sides, and secrets.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "test helpers fail loudly")]
// Vendor names such as ShipBob are proper nouns in prose, not code items.
#![allow(clippy::doc_markdown)]

use std::collections::BTreeMap;
use std::time::Duration;

use omnideck::channels::ChannelError;
use omnideck::channels::http::{HttpClient, HttpError};
use omnideck::channels::limit::SlidingWindow;
use omnideck::channels::shipbob::ShipbobConnector;
use omnideck::config::credentials::sandbox_credentials;
use omnideck::core::ids::{LocationId, SourceId};
use omnideck::core::snapshot::SourceData;
use omnideck::core::stock::Inbound;
use omnideck::sandbox::shipbob::{ShipbobOptions, ShipbobWorld};
use omnideck::sandbox::{BEST_SELLER, Faults, Sandbox, SandboxHandle, SandboxOptions, World};
use serde_json::Value;

mod sandbox_support;
use sandbox_support::{TOKEN, config, fast_http};

fn options() -> SandboxOptions {
    SandboxOptions { slow_delay: Duration::from_secs(3), retry_after: "0.2".to_owned(), ..SandboxOptions::default() }
}

async fn sandbox_with(world: World, faults: &str, options: SandboxOptions) -> SandboxHandle {
    Sandbox::start_with(world, Faults::parse(faults).unwrap(), options).await.unwrap()
}

async fn sandbox(faults: &str) -> SandboxHandle {
    sandbox_with(World::demo(&config().rules.catalog), faults, options()).await
}

fn connector_with(handle: &SandboxHandle, map: &[(&str, &str)]) -> ShipbobConnector {
    let id = SourceId::new("shipbob").unwrap();
    let mut source = config().sources[&id].clone();
    source.base_url = Some(handle.base_url());
    source.location_map = map.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect();
    let client = HttpClient::new(fast_http(), &id).unwrap();
    ShipbobConnector::new(source, &sandbox_credentials(&["access_token"]), client).unwrap()
}

fn connector(handle: &SandboxHandle) -> ShipbobConnector {
    connector_with(handle, &[])
}

async fn poll(faults: &str) -> (Result<SourceData, ChannelError>, SandboxHandle) {
    let handle = sandbox(faults).await;
    let result = connector(&handle).poll().await;
    (result, handle)
}

fn loc(s: &str) -> LocationId {
    LocationId::new(s).unwrap()
}

#[tokio::test]
async fn maps_the_best_seller_field_by_field() {
    let (data, handle) = poll("").await;
    let data = data.unwrap();
    let truth = ShipbobWorld::from_world(handle.world());
    let item = truth.item(BEST_SELLER).unwrap();
    let pos = data.stock.iter().find(|p| p.sku.as_str() == BEST_SELLER).unwrap();
    assert_eq!(pos.location, loc("shipbob-mv"));
    assert_eq!(i64::from(pos.on_hand), item.on_hand - item.exception);
    assert_eq!(i64::from(pos.committed), item.committed);
    assert_eq!(i64::from(pos.reserved), item.internal_transfer);
    assert_eq!(i64::from(pos.unfulfillable), item.exception);
    assert_eq!(pos.inbound.iter().map(|i| i64::from(i.qty)).sum::<i64>(), item.awaiting);
    // The 3PL's own count, which Shopify's ShipBob level trails.
    assert_eq!(item.on_hand, handle.world().threepl_on_hand[BEST_SELLER]);
    assert!(data.issues.is_empty(), "{:?}", data.issues);
}

#[tokio::test]
async fn every_count_is_the_threepl_truth_and_exceptions_are_unfulfillable() {
    let (data, handle) = poll("").await;
    let data = data.unwrap();
    let truth = &handle.world().threepl_on_hand;
    assert_eq!(data.stock.len(), truth.len());
    for p in &data.stock {
        assert_eq!(i64::from(p.on_hand + p.unfulfillable), truth[p.sku.as_str()], "{}", p.sku);
    }
    let world = ShipbobWorld::from_world(handle.world());
    let odd =
        world.items.iter().find(|i| i.exception > 0 && i.awaiting > 0).or(world.items.iter().find(|i| i.exception > 0));
    let odd = odd.expect("the demo has an exception unit somewhere");
    let pos = data.stock.iter().find(|p| p.sku.as_str() == odd.sku).unwrap();
    assert_eq!(i64::from(pos.unfulfillable), odd.exception);
    let awaiting = world.items.iter().find(|i| i.awaiting > 0).unwrap();
    let pos = data.stock.iter().find(|p| p.sku.as_str() == awaiting.sku).unwrap();
    assert_eq!(pos.inbound.as_slice(), [Inbound { qty: 24, eta: None }]);
}

#[tokio::test]
async fn pages_follow_next_page_to_the_end() {
    let handle = sandbox("").await;
    let whole = connector(&handle).poll().await.unwrap();
    let before = handle.request_count("shipbob");
    let mut small = connector(&handle).with_page_size(3);
    let paged = small.poll().await.unwrap();
    assert_eq!(paged, whole);
    let n = u64::try_from(handle.world().threepl_on_hand.len()).unwrap();
    let page_count = n.div_ceil(3);
    assert_eq!(handle.request_count("shipbob") - before, 1 + 2 * page_count);
    assert_eq!(small.stats().pages, 1 + 2 * page_count);
}

#[tokio::test]
async fn location_map_routes_centres_and_flags_unknown_ones() {
    let handle = sandbox("").await;
    let data = connector_with(&handle, &[("228", "mv-east")]).poll().await.unwrap();
    assert!(data.stock.iter().all(|p| p.location == loc("mv-east")));
    let data = connector_with(&handle, &[("999", "nowhere")]).poll().await.unwrap();
    assert!(data.stock.iter().all(|p| p.location == loc("shipbob-mv")), "unmapped centres use `location`");
    assert_eq!(data.issues.len(), 1);
    assert!(data.issues[0].place.contains("999"));
}

#[tokio::test]
async fn transient_faults_are_survived() {
    let (clean, _) = poll("").await;
    let clean = clean.unwrap();
    // Request 3 is the first inventory page; 2 the first product page.
    for kind in ["429", "429_bare", "throttled", "500", "503", "slow", "reset", "malformed", "truncated", "empty_page"]
    {
        for n in [2, 3] {
            let (data, _) = poll(&format!("shipbob:{kind}@{n}")).await;
            assert_eq!(data.unwrap_or_else(|e| panic!("{kind}@{n}: {e}")), clean, "{kind}@{n}");
        }
    }
}

#[tokio::test]
async fn odd_payloads_are_read_without_harm() {
    let (data, _) = poll("shipbob:control_chars@2,shipbob:control_chars@3").await;
    let data = data.unwrap();
    assert!(!format!("{data:?}").contains('\u{1b}'));
    let (data, handle) = poll("shipbob:missing_optional@3,shipbob:unknown_enum@2").await;
    let data = data.unwrap();
    assert_eq!(data.stock.len(), handle.world().threepl_on_hand.len());
    assert!(data.stock.iter().all(|p| p.inbound.is_empty()), "awaiting left out reads as none");
}

#[tokio::test]
async fn a_refused_token_fails_the_poll_without_showing_it() {
    let (result, _) = poll("shipbob:expired_token@1").await;
    let err = result.unwrap_err();
    assert!(matches!(err, ChannelError::Http(HttpError::Unauthorized { status: 401, .. })), "{err:?}");
    assert!(err.is_fatal());
    for shown in [err.to_string(), format!("{err:?}")] {
        assert!(!shown.contains(TOKEN), "{shown}");
    }
    let handle = sandbox("").await;
    assert!(!format!("{:?}", connector(&handle)).contains(TOKEN));
}

#[tokio::test]
async fn a_refresh_of_many_pages_sees_no_429() {
    let window = Duration::from_secs(1);
    let opts =
        SandboxOptions { shipbob: ShipbobOptions { limit: 20, window, ..ShipbobOptions::default() }, ..options() };
    let handle = sandbox_with(World::synthetic(60, 7), "", opts).await;
    let mut c = connector(&handle).with_page_size(2).with_window(SlidingWindow::new(20, window).unwrap()).unwrap();
    let data = c.poll().await.unwrap();
    assert_eq!(data.stock.len(), handle.world().threepl_on_hand.len());
    let stats = handle.shipbob_stats();
    assert_eq!(stats.throttled, 0, "{stats:?}");
    assert_eq!(stats.requests, 61);
    assert!(c.stats().paced > 0, "61 requests at 18/s must wait");
}

#[tokio::test]
async fn a_client_paced_too_fast_obeys_x_retry_after() {
    let window = Duration::from_secs(1);
    let opts =
        SandboxOptions { shipbob: ShipbobOptions { limit: 4, window, ..ShipbobOptions::default() }, ..options() };
    let handle = sandbox_with(World::demo(&config().rules.catalog), "", opts).await;
    // Paced for ShipBob's real window, so this server's smaller one refuses some.
    let data = connector(&handle).with_page_size(2).poll().await.unwrap();
    assert_eq!(data.stock.len(), handle.world().threepl_on_hand.len());
    assert!(handle.shipbob_stats().throttled > 0);
}

#[tokio::test]
async fn the_sandbox_429_carries_shipbobs_headers() {
    let opts = SandboxOptions { shipbob: ShipbobOptions { limit: 5, ..ShipbobOptions::default() }, ..options() };
    let handle = sandbox_with(World::demo(&config().rules.catalog), "", opts).await;
    let client = reqwest::Client::new();
    let url = format!("{}/1.0/fulfillmentCenter", handle.base_url());
    let mut remaining = Vec::new();
    for _ in 0..5 {
        let r = client.get(&url).bearer_auth(TOKEN).send().await.unwrap();
        assert_eq!(r.status(), 200);
        remaining.push(r.headers()["x-remaining-calls"].to_str().unwrap().to_owned());
    }
    assert_eq!(remaining, ["4", "3", "2", "1", "0"]);
    let r = client.get(&url).bearer_auth(TOKEN).send().await.unwrap();
    assert_eq!(r.status(), 429);
    let h: BTreeMap<String, String> =
        r.headers().iter().map(|(k, v)| (k.as_str().to_owned(), v.to_str().unwrap().to_owned())).collect();
    assert_eq!(h["x-remaining-calls"], "0");
    assert_eq!(h["x-ratelimit-remaining"], "0");
    let secs: u64 = h["x-retry-after"].parse().unwrap();
    assert!((1..=60).contains(&secs), "{secs}");
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["statusCode"], 429);
    assert_eq!(body["message"], format!("Rate limit is exceeded. Try again in {secs} seconds."));
    assert_eq!(handle.shipbob_stats().throttled, 1);
}
