//! The Shopify connector against the sandbox over real HTTP on loopback:
//! field-by-field mapping, pagination, every injected fault, secrets, and
//! the sandbox's cost bucket.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "test helpers fail loudly")]

use std::time::Duration;

use omnideck::channels::ChannelError;
use omnideck::channels::http::{HttpClient, HttpConfig, HttpError};
use omnideck::channels::shopify::ShopifyConnector;
use omnideck::config::credentials::sandbox_credentials;
use omnideck::core::ids::{ChannelId, LocationId, SourceId};
use omnideck::core::listing::ListingIds;
use omnideck::core::money::{Currency, Fraction, Money};
use omnideck::core::orders::OrderStatus;
use omnideck::core::promotion::{Discount, PromoScope};
use omnideck::core::snapshot::SourceData;
use omnideck::sandbox::{BEST_SELLER, Faults, Sandbox, SandboxHandle, SandboxOptions, World};
use rust_decimal::Decimal;
use serde_json::{Value, json};

mod sandbox_support;
use sandbox_support::{TOKEN, config, fast_http};

async fn sandbox(faults: &str, options: SandboxOptions) -> SandboxHandle {
    let world = World::demo(&config().rules.catalog);
    Sandbox::start_with(world, Faults::parse(faults).unwrap(), options).await.unwrap()
}

/// A Plus-plan restore rate keeps the many polls here quick; pacing has its own test.
fn options() -> SandboxOptions {
    SandboxOptions {
        slow_delay: Duration::from_secs(3),
        retry_after: "0.2".to_owned(),
        restore_rate: 1000.0,
        ..SandboxOptions::default()
    }
}

fn connector(handle: &SandboxHandle, http: HttpConfig) -> ShopifyConnector {
    let cfg = config();
    let id = SourceId::new("shopify-main").unwrap();
    let mut source = cfg.sources[&id].clone();
    source.base_url = Some(handle.base_url());
    let client = HttpClient::new(http, &id).unwrap();
    let creds = sandbox_credentials(&["access_token"]);
    ShopifyConnector::new(source, ChannelId::new("shopify-dtc").unwrap(), &creds, client).unwrap()
}

async fn poll(faults: &str, options: SandboxOptions) -> (Result<SourceData, ChannelError>, SandboxHandle) {
    let handle = sandbox(faults, options).await;
    let result = connector(&handle, fast_http()).poll(None).await;
    (result, handle)
}

fn usd(cents: i64) -> Money {
    Money::new(Decimal::new(cents, 2), Currency::USD)
}

#[tokio::test]
async fn full_poll_maps_field_by_field() {
    let (data, handle) = poll("", options()).await;
    let data = data.unwrap();
    let world = handle.world();
    let v = world.variant(BEST_SELLER).unwrap();

    let listing = data.listings.iter().find(|l| l.sku.as_str() == BEST_SELLER).unwrap();
    assert_eq!(listing.channel.as_str(), "shopify-dtc");
    assert_eq!(
        listing.ids,
        ListingIds::Shopify {
            variant_id: format!("gid://shopify/ProductVariant/{}", v.id),
            inventory_item_id: Some(format!("gid://shopify/InventoryItem/{}", v.inventory_item_id)),
        }
    );
    assert_eq!(listing.title.as_deref(), Some("Merino Crew Sock / M / Black"));
    assert_eq!(listing.price, Some(Money::new(v.price, Currency::USD)));
    assert_eq!(listing.compare_at, Some(usd(2800)));
    assert_eq!(listing.unit_cost, Some(usd(640)));
    let shown: i64 = v.levels.iter().map(|l| l.available).sum();
    assert_eq!(listing.quantity, Some(u32::try_from(shown).unwrap()));
    assert_eq!(shown, 6 + 4, "best seller is low: 6 available at main, 4 at ShipBob");
    let all_variants = world.products.iter().map(|p| p.variants.len()).sum::<usize>();
    assert_eq!(data.listings.len(), all_variants);

    let main = LocationId::new("main-wh").unwrap();
    let stock = data.stock.iter().find(|s| s.sku.as_str() == BEST_SELLER && s.location == main).unwrap();
    assert_eq!((stock.on_hand, stock.committed, stock.reserved, stock.unfulfillable), (9, 3, 0, 0));
    assert_eq!(stock.inbound_total(), 48);
    let shipbob = LocationId::new("shipbob-mv").unwrap();
    let at_3pl = data.stock.iter().find(|s| s.sku.as_str() == BEST_SELLER && s.location == shipbob).unwrap();
    assert_eq!(at_3pl.on_hand, 4, "Shopify's ShipBob level differs from the 3PL's 9");
    assert_eq!(world.threepl_on_hand[BEST_SELLER], 9);

    let first = &world.orders[0];
    let order = data.orders.iter().find(|o| o.id == first.name).unwrap();
    assert_eq!(order.placed_at, first.created_at);
    assert_eq!(order.status, if first.cancelled { OrderStatus::Cancelled } else { OrderStatus::Fulfilled });
    assert_eq!(order.lines[0].sku.as_str(), first.lines[0].sku);
    assert_eq!(order.lines[0].qty, u32::try_from(first.lines[0].quantity).unwrap());
    assert_eq!(order.lines[0].unit_price, Some(Money::new(first.lines[0].unit_price, Currency::USD)));
    assert_eq!(order.lines[0].discount, Money::new(first.lines[0].discount, Currency::USD));
    assert_eq!(data.orders.len(), world.orders.len());

    let promo = data.promotions.iter().find(|p| p.title == "Sock Week").unwrap();
    assert_eq!(promo.discount, Discount::Percent(Fraction::new(Decimal::new(15, 2)).unwrap()));
    let PromoScope::Skus(skus) = &promo.scope else { panic!("sock week covers named SKUs") };
    assert!(skus.iter().any(|s| s.as_str() == BEST_SELLER));
    assert_eq!(promo.window.start, world.discounts[0].starts_at);
    assert_eq!(promo.window.end, world.discounts[0].ends_at);
    let welcome = data.promotions.iter().find(|p| p.title == "Welcome 10").unwrap();
    assert_eq!((welcome.scope.clone(), welcome.window.end), (PromoScope::All, None));
    assert_eq!(welcome.discount, Discount::Percent(Fraction::new(Decimal::new(1, 1)).unwrap()));

    let issues: Vec<String> = data.issues.iter().map(|i| format!("{}: {}", i.place, i.message)).collect();
    assert!(issues.iter().any(|i| i.contains("Location/76543210989") && i.contains("location_map")), "{issues:?}");
    assert!(issues.iter().any(|i| i.contains("negative available (-2)")), "{issues:?}");
    let gift = data.listings.iter().find(|l| l.sku.as_str() == "GIFT-BOX").unwrap();
    let title = gift.title.as_deref().unwrap();
    assert!(title.contains('\u{FFFD}') && !title.chars().any(char::is_control), "{title:?}");
}

#[tokio::test]
async fn small_pages_give_the_same_data_in_more_requests() {
    let handle = sandbox("", options()).await;
    let whole = connector(&handle, fast_http()).poll(None).await.unwrap();
    let big = handle.request_count("shopify");
    let paged = connector(&handle, fast_http()).with_page_size(2).poll(None).await.unwrap();
    let small = handle.request_count("shopify") - big;
    assert_eq!(whole, paged);
    assert!(small > big * 3, "{small} requests with pages of 2 vs {big}");
}

#[tokio::test]
async fn incremental_poll_returns_only_recent_changes() {
    let handle = sandbox("", options()).await;
    let since = omnideck::sandbox::world::ANCHOR - jiff::SignedDuration::from_hours(24 * 3);
    let data = connector(&handle, fast_http()).poll(Some(since)).await.unwrap();
    let recent = handle.world().orders.iter().filter(|o| o.updated_at >= since).count();
    assert_eq!(data.orders.len(), recent);
    assert!(recent > 0 && recent < handle.world().orders.len());
}

#[tokio::test]
async fn transient_faults_are_retried_and_the_poll_succeeds() {
    let handle = sandbox("", options()).await;
    let baseline = connector(&handle, fast_http()).poll(None).await.unwrap();
    for fault in ["429@1", "429_bare@2", "throttled@1", "500@3", "503@2", "reset@2", "slow@1", "empty_page@2"] {
        let (data, handle) = poll(&format!("shopify:{fault}"), options()).await;
        assert_eq!(data.unwrap_or_else(|e| panic!("{fault}: {e}")), baseline, "{fault}");
        assert!(handle.request_count("shopify") > 7, "{fault}: the fault cost a request");
    }
    let throttled_429 = SandboxOptions { throttled_status: 429, ..options() };
    let (data, _) = poll("shopify:throttled@2", throttled_429).await;
    assert_eq!(data.unwrap(), baseline);
}

#[tokio::test]
async fn broken_bodies_are_clear_errors_naming_the_source() {
    for fault in ["truncated", "malformed"] {
        let (result, handle) = poll(&format!("shopify:{fault}@2"), options()).await;
        let err = result.unwrap_err();
        assert!(matches!(err, ChannelError::BadBody { .. }), "{fault}: {err:?}");
        let text = err.to_string();
        assert!(text.starts_with("shopify-main: /admin/api/2025-10/graphql.json"), "{text}");
        assert_eq!(handle.request_count("shopify"), 2, "{fault}: not retried");
    }
}

#[tokio::test]
async fn rejected_token_is_not_retried() {
    let (result, handle) = poll("shopify:expired_token@1", options()).await;
    let err = result.unwrap_err();
    assert!(matches!(err, ChannelError::Http(HttpError::Unauthorized { status: 401, .. })), "{err:?}");
    assert!(err.to_string().contains("Invalid API key or access token"), "{err}");
    assert_eq!(handle.request_count("shopify"), 1);
    assert!(!err.is_transient());
}

#[tokio::test]
async fn injected_escape_sequences_come_out_cleaned() {
    let (data, _) = poll("shopify:control_chars@2", options()).await;
    let data = data.unwrap();
    for listing in &data.listings {
        let title = listing.title.as_deref().unwrap();
        assert!(!title.chars().any(char::is_control), "{title:?}");
    }
    assert!(data.listings.iter().all(|l| l.title.as_deref().unwrap().contains('\u{FFFD}')));
}

#[tokio::test]
async fn the_token_never_appears_in_errors() {
    let mut errors = Vec::new();
    for fault in ["expired_token@1", "truncated@1", "malformed@1", "500@1,shopify:500@2,shopify:500@3,shopify:500@4"] {
        errors.push(poll(&format!("shopify:{fault}"), options()).await.0.unwrap_err());
    }
    let handle = sandbox("shopify:slow@1,shopify:slow@2,shopify:slow@3,shopify:slow@4", options()).await;
    let conn = connector(&handle, fast_http());
    assert!(!format!("{conn:?}").contains(TOKEN));
    errors.push(connector(&handle, fast_http()).poll(None).await.unwrap_err());
    assert!(matches!(errors.last(), Some(ChannelError::Http(HttpError::Timeout { attempts: 4, .. }))), "{errors:?}");
    for e in &errors {
        for text in [e.to_string(), format!("{e:?}")] {
            assert!(!text.contains(TOKEN) && !text.contains("X-Shopify-Access-Token"), "{text}");
            assert!(text.contains("shopify-main"), "{text}");
        }
    }
}

async fn raw(handle: &SandboxHandle, query: &str) -> Value {
    raw_with(handle, query, &json!({})).await
}

async fn raw_with(handle: &SandboxHandle, query: &str, variables: &Value) -> Value {
    let url = format!("{}/admin/api/2025-10/graphql.json", handle.base_url());
    let resp = reqwest::Client::new()
        .post(url)
        .header("X-Shopify-Access-Token", TOKEN)
        .header("Content-Type", "application/json")
        .body(json!({"query": query, "variables": variables}).to_string())
        .send()
        .await
        .unwrap();
    serde_json::from_slice(&resp.bytes().await.unwrap()).unwrap()
}

#[tokio::test]
async fn sandbox_bucket_refunds_requested_minus_actual() {
    let slow_restore = SandboxOptions { bucket_capacity: 120.0, restore_rate: 0.001, ..options() };
    let handle = sandbox("", slow_restore).await;
    let products = handle.world().products.len();
    let r = raw(&handle, "{ products(first: 50) { edges { node { id } } } }").await;
    let cost = &r["extensions"]["cost"];
    let actual = 2 + products;
    assert_eq!(cost["requestedQueryCost"], json!(52));
    assert_eq!(cost["actualQueryCost"], json!(actual));
    let available = cost["throttleStatus"]["currentlyAvailable"].as_f64().unwrap();
    #[allow(clippy::cast_precision_loss)]
    let expected = 120.0 - actual as f64;
    assert!((available - expected).abs() < 1.0, "{available} vs {expected}");

    // What is left after the refund cannot cover a reservation one point larger.
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    let first = expected as u64 - 1;
    let r = raw(&handle, &format!("{{ products(first: {first}) {{ edges {{ node {{ id }} }} }} }}")).await;
    assert_eq!(r["errors"][0]["extensions"]["code"], json!("THROTTLED"), "{r}");
    assert_eq!(r["extensions"]["cost"]["requestedQueryCost"], json!(first + 2));
    assert!(r["data"].is_null());
    let r = raw(
        &handle,
        "{ inventoryItems(first: 250) { edges { node { id inventoryLevels(first: 10) { edges { node { id } } } } } } }",
    )
    .await;
    assert_eq!(r["errors"][0]["extensions"]["code"], json!("MAX_COST_EXCEEDED"), "{r}");
    let unauthorised = reqwest::Client::new()
        .post(format!("{}/admin/api/2025-10/graphql.json", handle.base_url()))
        .header("X-Shopify-Access-Token", "wrong")
        .body("{}")
        .send()
        .await
        .unwrap();
    assert_eq!(unauthorised.status().as_u16(), 401);
}

#[tokio::test]
async fn client_paces_itself_from_throttle_status() {
    let tight = SandboxOptions { bucket_capacity: 1000.0, restore_rate: 400.0, ..options() };
    let handle = sandbox("", tight).await;
    let mut conn = connector(&handle, fast_http());
    conn.poll(None).await.unwrap();
    assert!(conn.waited() > Duration::ZERO, "the inventory query needs more than what is left");
    let world = World::synthetic(40, 7);
    assert_eq!(world, World::synthetic(40, 7));
    assert_eq!(world.products.iter().map(|p| p.variants.len()).sum::<usize>(), 40);
}

#[tokio::test]
async fn connector_cost_estimates_match_the_server_and_stay_under_the_cap() {
    use omnideck::channels::shopify::queries::{DISCOUNTS, INVENTORY, LOCATIONS, ORDERS, VARIANTS};
    let handle = sandbox("", options()).await;
    for q in [VARIANTS, INVENTORY, LOCATIONS, ORDERS, DISCOUNTS] {
        let r = raw_with(&handle, q.document, &json!({"first": q.max_first})).await;
        assert!(r.get("errors").is_none(), "{}: {r}", q.root);
        let requested = r["extensions"]["cost"]["requestedQueryCost"].as_f64().unwrap();
        assert!((requested - q.cost(q.max_first)).abs() < f64::EPSILON, "{}: {requested}", q.root);
        assert!(requested <= 1000.0, "{}: {requested}", q.root);
    }
}
