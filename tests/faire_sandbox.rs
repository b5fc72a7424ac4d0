//! The Faire connector against the sandbox over real HTTP on loopback:
//! field-by-field mapping of an order and a listing, cursor pagination,
//! incremental reads, every injected fault, and secrets.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "test helpers fail loudly")]

use std::time::Duration;

use jiff::SignedDuration;
use omnideck::channels::ChannelError;
use omnideck::channels::faire::FaireConnector;
use omnideck::channels::http::{HttpClient, HttpError};
use omnideck::config::credentials::sandbox_credentials;
use omnideck::core::ids::{ChannelId, SourceId};
use omnideck::core::listing::ListingIds;
use omnideck::core::money::{Currency, Money};
use omnideck::core::orders::OrderStatus;
use omnideck::core::snapshot::SourceData;
use omnideck::sandbox::faire::world::{FIRST_ORDER_BPS, FaireWorld};
use omnideck::sandbox::world::ANCHOR;
use omnideck::sandbox::{BEST_SELLER, Faults, Sandbox, SandboxHandle, SandboxOptions, World};
use rust_decimal::Decimal;

mod sandbox_support;
use sandbox_support::{TOKEN, config, fast_http};

async fn sandbox(faults: &str) -> SandboxHandle {
    let options = SandboxOptions {
        slow_delay: Duration::from_secs(3),
        retry_after: "0.2".to_owned(),
        ..SandboxOptions::default()
    };
    let world = World::demo(&config().rules.catalog);
    Sandbox::start_with(world, Faults::parse(faults).unwrap(), options).await.unwrap()
}

fn connector(handle: &SandboxHandle) -> FaireConnector {
    let id = SourceId::new("faire").unwrap();
    let mut source = config().sources[&id].clone();
    source.base_url = Some(format!("{}/external-api/v2", handle.base_url()));
    let client = HttpClient::new(fast_http(), &id).unwrap();
    let channel = ChannelId::new("faire-wholesale").unwrap();
    FaireConnector::new(source, channel, &sandbox_credentials(&["access_token"]), client).unwrap()
}

async fn poll(faults: &str) -> (Result<SourceData, ChannelError>, SandboxHandle) {
    let handle = sandbox(faults).await;
    let result = connector(&handle).poll(None).await;
    (result, handle)
}

fn usd_minor(minor: i64) -> Money {
    Money::new(Decimal::new(minor, 2), Currency::USD)
}

fn world(handle: &SandboxHandle) -> &FaireWorld {
    handle.faire_world()
}

#[tokio::test]
async fn maps_an_open_best_seller_order_field_by_field() {
    let (data, handle) = poll("").await;
    let data = data.unwrap();
    let w = world(&handle);
    let src = w.orders.iter().find(|o| o.state == "NEW").unwrap();
    let order = data.orders.iter().find(|o| o.id == src.id).unwrap();
    assert_eq!(order.channel.as_str(), "faire-wholesale");
    assert_eq!(order.placed_at, src.created_at);
    assert_eq!(order.status, OrderStatus::Open);
    assert_eq!(order.first_order, src.commission_bps == FIRST_ORDER_BPS);
    assert_eq!(order.lines.len(), 1);
    let line = &order.lines[0];
    assert_eq!(line.sku.as_str(), BEST_SELLER);
    assert_eq!(i64::from(line.qty), src.items[0].quantity);
    assert_eq!(line.unit_price, Some(usd_minor(src.items[0].variant.wholesale_minor)));
    assert!(line.discount.is_zero());
    assert!(data.issues.is_empty(), "{:?}", data.issues);
}

#[tokio::test]
async fn states_map_to_statuses_and_the_best_seller_has_open_orders() {
    let (data, handle) = poll("").await;
    let data = data.unwrap();
    let w = world(&handle);
    assert_eq!(data.orders.len(), w.orders.len());
    for (src, order) in w.orders.iter().zip(&data.orders) {
        let want = match src.state {
            "DELIVERED" | "IN_TRANSIT" => OrderStatus::Fulfilled,
            "CANCELED" => OrderStatus::Cancelled,
            _ => OrderStatus::Open,
        };
        assert_eq!(order.status, want, "{}", src.state);
    }
    let open_best: u32 = data
        .orders
        .iter()
        .filter(|o| o.status == OrderStatus::Open)
        .flat_map(|o| &o.lines)
        .filter(|l| l.sku.as_str() == BEST_SELLER)
        .map(|l| l.qty)
        .sum();
    assert!(open_best >= 5, "open wholesale units on the best seller: {open_best}");
    let delivered = data.orders.iter().filter(|o| o.status == OrderStatus::Fulfilled).count();
    assert!(delivered >= 6, "a few weeks of history: {delivered}");
    assert!(data.orders.iter().any(|o| o.first_order) && data.orders.iter().any(|o| !o.first_order));
}

#[tokio::test]
async fn maps_listings_with_wholesale_price_and_inventory() {
    let (data, handle) = poll("").await;
    let data = data.unwrap();
    let w = world(&handle);
    let v = w.variant(BEST_SELLER).unwrap();
    let l = data.listings.iter().find(|l| l.sku.as_str() == BEST_SELLER).unwrap();
    assert_eq!(l.ids, ListingIds::Wholesale { variant_id: v.id.clone() });
    assert_eq!(l.price, Some(usd_minor(v.wholesale_minor)));
    assert_eq!(l.compare_at, None);
    let available = v.on_hand.unwrap() - w.committed(BEST_SELLER);
    assert_eq!(l.quantity, Some(u32::try_from(available.max(0)).unwrap()));
    assert!(l.title.as_deref().unwrap().contains(&v.name));
    // Kits are UNTRACKED on Faire: no quantity rather than a made-up one.
    let kit = w.products.iter().flat_map(|p| &p.variants).find(|v| v.on_hand.is_none()).unwrap();
    assert_eq!(data.listings.iter().find(|l| l.sku.as_str() == kit.sku).unwrap().quantity, None);
    let paused = w.products.iter().flat_map(|p| &p.variants).find(|v| v.paused).unwrap();
    assert_eq!(data.listings.iter().find(|l| l.sku.as_str() == paused.sku).unwrap().quantity, Some(0));
    assert_eq!(data.listings.len(), w.products.iter().map(|p| p.variants.len()).sum::<usize>());
}

#[tokio::test]
async fn cursor_pages_read_to_the_end() {
    let handle = sandbox("").await;
    let whole = connector(&handle).poll(None).await.unwrap();
    let mut small = connector(&handle).with_page_size(2);
    assert_eq!(small.poll(None).await.unwrap(), whole);
    let w = world(&handle);
    let pages = w.orders.len().div_ceil(2) + w.products.len().div_ceil(2);
    let skus: usize = w.products.iter().map(|p| p.variants.len()).sum();
    assert_eq!(small.requests(), u64::try_from(pages + skus.div_ceil(50)).unwrap());
}

#[tokio::test]
async fn incremental_reads_only_updated_orders() {
    let handle = sandbox("").await;
    let since = ANCHOR - SignedDuration::from_hours(48);
    let data = connector(&handle).poll(Some(since)).await.unwrap();
    let want: Vec<&str> =
        world(&handle).orders.iter().filter(|o| o.updated_at >= since).map(|o| o.id.as_str()).collect();
    let got: Vec<&str> = data.orders.iter().map(|o| o.id.as_str()).collect();
    assert_eq!(got, want);
    assert!(!got.is_empty() && got.len() < world(&handle).orders.len());
}

#[tokio::test]
async fn transient_faults_are_survived() {
    let (clean, _) = poll("").await;
    let clean = clean.unwrap();
    for kind in ["429", "429_bare", "500", "503", "slow", "reset", "malformed", "truncated", "empty_page"] {
        // 1: first orders page, 2: first products page, 3: inventory.
        for n in [1, 2, 3] {
            let (data, _) = poll(&format!("faire:{kind}@{n}")).await;
            assert_eq!(data.unwrap_or_else(|e| panic!("{kind}@{n}: {e}")), clean, "{kind}@{n}");
        }
    }
}

#[tokio::test]
async fn odd_payloads_become_issues_or_clean_text() {
    let (data, handle) = poll("faire:unknown_enum@1").await;
    let data = data.unwrap();
    assert_eq!(data.orders.len(), world(&handle).orders.len() - 1);
    assert_eq!(data.issues.len(), 1);
    assert!(data.issues[0].message.contains("ON_HOLD_FOR_REVIEW"), "{:?}", data.issues);
    let (data, _) = poll("faire:control_chars@2").await;
    let data = data.unwrap();
    assert!(data.listings.iter().all(|l| !l.title.as_deref().unwrap_or_default().contains('\u{1b}')));
    let (data, _) = poll("faire:missing_optional@1").await;
    assert!(data.unwrap().orders.iter().all(|o| !o.first_order), "no payout costs: no first-order rate");
}

#[tokio::test]
async fn a_refused_token_fails_the_poll_without_showing_it() {
    let (result, handle) = poll("faire:expired_token@2").await;
    let err = result.unwrap_err();
    assert!(matches!(err, ChannelError::Http(HttpError::Unauthorized { status: 401, .. })), "{err:?}");
    for shown in [err.to_string(), format!("{err:?}"), format!("{:?}", connector(&handle))] {
        assert!(!shown.contains(TOKEN), "{shown}");
    }
}

#[tokio::test]
async fn the_registry_builds_faire_and_shipbob_from_the_demo_config() {
    use omnideck::channels::poller::{Clock, Source};
    use omnideck::channels::registry::{self, AnySource};
    let handle = sandbox("").await;
    let cfg = omnideck::live::demo::config_for(&handle.base_url()).unwrap();
    let clock: Clock = std::sync::Arc::new(|| ANCHOR);
    let (mut built, failed) = registry::build(&cfg, &|_| None, &fast_http(), &clock);
    assert!(failed.iter().all(|u| !["faire", "shipbob"].contains(&u.source.as_str())), "{failed:?}");
    let faire = built.iter_mut().find(|s| matches!(s, AnySource::Faire(_))).unwrap();
    assert_eq!(faire.poll(None).await.unwrap().orders.len(), world(&handle).orders.len());
    let shipbob = built.iter_mut().find(|s| matches!(s, AnySource::Shipbob(_))).unwrap();
    assert_eq!(shipbob.poll(None).await.unwrap().stock.len(), handle.world().threepl_on_hand.len());
}
