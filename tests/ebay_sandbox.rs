//! The eBay connector against the Sell Inventory sandbox over real HTTP on
//! loopback: field mapping, page-index pagination, OAuth token handling,
//! the fault kinds and the daily quota, and secrets kept out of messages.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "test helpers fail loudly")]

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::Duration;

use omnideck::channels::ebay::{ChannelError, EbayConnector, EbaySettings, INVENTORY_PATH, TOKEN_PATH};
use omnideck::channels::http::HttpConfig;
use omnideck::channels::retry::RetryPolicy;
use omnideck::config::Config;
use omnideck::config::credentials::{Credentials, sandbox_credentials};
use omnideck::core::listing::ListingIds;
use omnideck::core::money::Currency;
use omnideck::core::snapshot::SourceData;
use omnideck::sandbox::ebay::world::{EbayItem, UNKNOWN_SKU};
use omnideck::sandbox::ebay::{EbayOptions, EbayWorld};
use omnideck::sandbox::{Faults, Sandbox, SandboxHandle, SandboxOptions, World};
use rust_decimal_macros::dec;

const SECRETS: [&str; 3] = ["sandbox-refresh_token", "sandbox-client_secret", "v^1.1#"];

fn config() -> Config {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures/demo/omnideck.toml");
    Config::load(&path).expect("the demo config is valid")
}

async fn sandbox(config: &Config, faults: &str, ebay: EbayOptions) -> SandboxHandle {
    let options = SandboxOptions { slow_delay: Duration::from_secs(3), ebay, ..SandboxOptions::default() };
    Sandbox::start_with(World::demo(&config.rules.catalog), Faults::parse(faults).unwrap(), options).await.unwrap()
}

fn settings(config: &Config, handle: &SandboxHandle) -> EbaySettings {
    let mut settings = EbaySettings::from_source(&config.sources["ebay"]).unwrap();
    settings.base_url = handle.base_url();
    settings.token_url = format!("{}{TOKEN_PATH}", handle.base_url());
    settings.rate_per_sec = 200.0;
    let retry =
        RetryPolicy { base: Duration::from_millis(20), cap: Duration::from_millis(200), ..RetryPolicy::default() };
    settings.http = HttpConfig { request_timeout: Duration::from_secs(1), retry, ..HttpConfig::default() };
    settings
}

fn demo_credentials() -> Credentials {
    sandbox_credentials(&["client_id", "client_secret", "refresh_token"])
}

async fn poll_with(faults: &str, ebay: EbayOptions) -> (Result<SourceData, ChannelError>, SandboxHandle) {
    let config = config();
    let handle = sandbox(&config, faults, ebay).await;
    let connector = EbayConnector::new(settings(&config, &handle), demo_credentials()).unwrap();
    (connector.poll(&config.rules).await, handle)
}

fn assert_no_secret(text: &str) {
    for secret in SECRETS {
        assert!(!text.contains(secret), "{secret} leaked into: {text}");
    }
}

/// (SKU, price, quantity) of every listing, for comparing polls.
fn summary(data: &SourceData) -> Vec<(String, Option<rust_decimal::Decimal>, Option<u32>)> {
    let mut rows: Vec<_> =
        data.listings.iter().map(|l| (l.sku.as_str().to_owned(), l.price.map(|p| p.amount), l.quantity)).collect();
    rows.sort();
    rows
}

#[tokio::test]
async fn one_sku_maps_field_by_field() {
    let (data, handle) = poll_with("", EbayOptions::default()).await;
    let data = data.unwrap();
    let grey = data.listings.iter().find(|l| l.sku.as_str() == "SOCK-MER-M-GRY").unwrap();
    let store_price = handle.world().variant("SOCK-MER-M-GRY").unwrap().price;
    assert_eq!(grey.channel.as_str(), "ebay-us");
    assert_eq!(grey.ids, ListingIds::Marketplace { sku: "SOCK-MER-M-GRY".into() });
    assert_eq!(grey.quantity, Some(6));
    let price = grey.price.unwrap();
    assert_eq!((price.amount, price.currency), (store_price + dec!(1.50), Currency::USD));
    assert_eq!(grey.title.as_deref(), Some("Merino Crew Sock M / Grey"));
    assert_eq!((grey.compare_at, grey.unit_cost), (None, None));
    // eBay reports listings, never stock positions.
    assert!(data.stock.is_empty() && data.orders.is_empty());
    // Three published catalog SKUs; the draft offer and the old SKU are issues.
    assert_eq!(data.listings.len(), 3, "{:#?}", data.listings);
    let issue = |needle: &str| data.issues.iter().any(|i| i.place.contains(needle));
    assert!(issue(UNKNOWN_SKU) && issue("BASE-TOP-M"), "{:#?}", data.issues);
    let stats = handle.ebay_stats();
    // The unknown SKU costs no offer call: 1 page + 4 catalog SKUs.
    assert_eq!((stats.requests["getInventoryItems"], stats.requests["getOffers"]), (1, 4));
    assert_eq!(stats.tokens_issued, 1);
}

fn item(sku: &str, quantity: u32) -> EbayItem {
    EbayItem {
        sku: sku.into(),
        title: format!("{sku} on eBay"),
        quantity,
        price: dec!(10.00),
        offer_id: format!("offer-{sku}"),
        listing_id: Some(format!("listing-{sku}")),
    }
}

fn five_items() -> EbayWorld {
    let skus = ["SOCK-MER-M-BLK", "SOCK-MER-L-BLK", "SOCK-MER-M-GRY", "BASE-TOP-M", "GIFT-BOX"];
    EbayWorld { currency: "USD".into(), items: skus.iter().zip(1..).map(|(s, q)| item(s, q)).collect() }
}

#[tokio::test]
async fn offset_is_a_page_index_and_every_item_arrives_once() {
    let config = config();
    let handle = sandbox(&config, "", EbayOptions { world: Some(five_items()), ..EbayOptions::default() }).await;
    let mut s = settings(&config, &handle);
    s.page_size = 2;
    let data = EbayConnector::new(s, demo_credentials()).unwrap().poll(&config.rules).await.unwrap();
    let mut skus: Vec<_> = data.listings.iter().map(|l| l.sku.as_str().to_owned()).collect();
    skus.sort();
    let mut want: Vec<_> = five_items().items.into_iter().map(|i| i.sku).collect();
    want.sort();
    assert_eq!(skus, want, "each item exactly once");
    assert_eq!(handle.ebay_stats().inventory_offsets, vec![0, 1, 2]);
    assert!(data.issues.is_empty(), "{:#?}", data.issues);

    // A client stepping offset by items (0, 2, 4) reads pages 0, 2 and 4:
    // it gets 3 of the 5 items and never notices.
    let http = reqwest::Client::new();
    let token: serde_json::Value = http
        .post(format!("{}{TOKEN_PATH}", handle.base_url()))
        .basic_auth("sandbox-client_id", Some("sandbox-client_secret"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body("grant_type=refresh_token&refresh_token=sandbox-refresh_token")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let bearer = token["access_token"].as_str().unwrap().to_owned();
    let mut naive = Vec::new();
    for offset in [0, 2, 4] {
        let page: serde_json::Value = http
            .get(format!("{}{INVENTORY_PATH}?limit=2&offset={offset}", handle.base_url()))
            .bearer_auth(&bearer)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        naive.extend(page["inventoryItems"].as_array().unwrap().iter().map(|i| i["sku"].as_str().unwrap().to_owned()));
    }
    assert_eq!(naive.len(), 3, "{naive:?}");
}

#[tokio::test]
async fn token_is_renewed_before_expiry_and_after_a_refusal() {
    let config = config();
    let ebay = EbayOptions { token_lifetime: Duration::from_secs(2), ..EbayOptions::default() };
    let handle = sandbox(&config, "ebay:expired_token@3", ebay).await;
    let mut s = settings(&config, &handle);
    s.renew_early = Duration::from_millis(1500);
    let connector = EbayConnector::new(s, demo_credentials()).unwrap();
    let first = connector.poll(&config.rules).await.unwrap();
    // The refused call (a revoked token) took one fresh token.
    assert_eq!(handle.ebay_stats().tokens_issued, 2);
    // 2 s tokens renewed 1.5 s early: after 0.6 s the next poll renews.
    tokio::time::sleep(Duration::from_millis(600)).await;
    let second = connector.poll(&config.rules).await.unwrap();
    assert_eq!(handle.ebay_stats().tokens_issued, 3);
    assert_eq!(summary(&first), summary(&second));
}

#[tokio::test]
async fn invalid_grant_is_clear_final_and_secret_free() {
    let config = config();
    let handle = sandbox(&config, "", EbayOptions::default()).await;
    let mut fields = BTreeMap::new();
    fields.insert("client_id".to_owned(), "sandbox-client_id".to_owned());
    fields.insert("client_secret".to_owned(), "sandbox-client_secret".to_owned());
    fields.insert("refresh_token".to_owned(), "v^1.1#revoked-refresh".to_owned());
    let connector = EbayConnector::new(settings(&config, &handle), Credentials::from_pairs(fields)).unwrap();
    let error = connector.poll(&config.rules).await.unwrap_err();
    assert!(matches!(&error, ChannelError::OAuth { status: 400, code, .. } if code == "invalid_grant"), "{error:?}");
    assert!(error.is_fatal() && !error.is_transient());
    assert_eq!(handle.ebay_stats().token_requests, 1, "a refused grant is not retried");
    assert_eq!(handle.ebay_stats().requests.len(), 0, "no API call without a token");
    assert_no_secret(&error.to_string());
    assert_no_secret(&format!("{error:?}"));
    assert_no_secret(&format!("{connector:?}"));
}

/// The demo's story: the owner let the authorisation lapse, so the first
/// token refresh is refused the way eBay refuses it; once renewed, the next
/// poll gets through with the same connector.
#[tokio::test]
async fn a_lapsed_authorisation_is_named_and_the_next_poll_recovers() {
    let config = config();
    let handle = sandbox(&config, "ebay_oauth:expired_token@1", EbayOptions::default()).await;
    let connector = EbayConnector::new(settings(&config, &handle), demo_credentials()).unwrap();
    let error = connector.poll(&config.rules).await.unwrap_err();
    let shown = error.to_string();
    assert!(matches!(&error, ChannelError::OAuth { status: 400, code, .. } if code == "invalid_grant"), "{error:?}");
    assert!(shown.contains("refresh token is invalid"), "{shown}");
    assert_eq!(handle.ebay_stats().token_requests, 1, "a refused grant is not retried");
    let data = connector.poll(&config.rules).await.unwrap();
    assert!(!data.listings.is_empty());
    assert_eq!(handle.ebay_stats().token_requests, 2);
}

#[tokio::test]
async fn faults_are_survived_with_the_same_read() {
    let (clean, _h) = poll_with("", EbayOptions::default()).await;
    let clean = summary(&clean.unwrap());
    let faults = "ebay_oauth:500@1,ebay:429@1,ebay:500@2,ebay:truncated@3,ebay:malformed@4,ebay:expired_token@5,\
                  ebay:reset@6,ebay:503@7,ebay:429_bare@8,ebay:empty_page@9";
    let (data, handle) = poll_with(faults, EbayOptions::default()).await;
    let data = data.unwrap();
    assert_eq!(summary(&data), clean);
    assert!(data.issues.iter().all(|i| !i.message.contains("HTTP")), "{:#?}", data.issues);
    assert!(handle.request_count("ebay") >= 14);
}

#[tokio::test]
async fn hostile_and_sparse_payloads_are_cleaned_or_reported() {
    let (data, _h) = poll_with("ebay:control_chars@1", EbayOptions::default()).await;
    let data = data.unwrap();
    for l in &data.listings {
        let title = l.title.as_deref().unwrap();
        assert!(!title.contains('\u{1b}') && !title.contains('\u{9b}') && !title.contains('\u{7}'), "{title:?}");
    }
    let (data, _h) = poll_with("ebay:missing_optional@1,ebay:unknown_enum@2", EbayOptions::default()).await;
    let data = data.unwrap();
    assert!(data.listings.iter().all(|l| l.title.is_none()));
    assert!(data.issues.iter().any(|i| i.message.contains("SEALED_BID")), "{:#?}", data.issues);
}

#[tokio::test]
async fn spent_daily_quota_is_reported_not_hammered() {
    // The inventory page and two offers, then the day's quota is spent.
    let (data, handle) = poll_with("", EbayOptions { daily_quota: 3, ..EbayOptions::default() }).await;
    let data = data.unwrap();
    assert!(data.issues.iter().any(|i| i.message.contains("429")), "{:#?}", data.issues);
    let stats = handle.ebay_stats();
    // One SKU's retries, then the remaining SKUs are not asked for at all.
    assert_eq!(stats.requests["getOffers"], 2 + 5);
    assert_eq!(stats.over_quota, 5);

    // Over quota on the inventory itself: the poll fails, transiently.
    let (error, _h) = poll_with("", EbayOptions { daily_quota: 0, ..EbayOptions::default() }).await;
    let error = error.unwrap_err();
    assert!(error.is_transient(), "{error:?}");
    assert_no_secret(&error.to_string());
}

#[tokio::test]
async fn the_demo_builds_and_polls_the_ebay_source() {
    use omnideck::channels::poller::Source;
    use omnideck::channels::registry::{AnySource, build};

    let demo = omnideck::live::demo::start(Faults::none()).await.unwrap();
    let (built, unbuilt) = build(&demo.config, &|_| None, &HttpConfig::default(), &demo.clock);
    assert!(unbuilt.iter().all(|u| u.source.as_str() != "ebay"), "{unbuilt:?}");
    let mut ebay = built.into_iter().find(|s| matches!(s, AnySource::Ebay(_))).unwrap();
    assert_no_secret(&format!("{ebay:?}"));
    // The demo's story: eBay's authorisation has lapsed, so the first token
    // refresh is refused as eBay refuses a lapsed grant (the source starts
    // stale); the next one succeeds.
    let first = ebay.poll(None).await.unwrap_err();
    assert!(first.to_string().contains("(HTTP 400, invalid_grant)"), "{first}");
    assert_no_secret(&first.to_string());
    let data = ebay.poll(None).await.unwrap();
    assert_eq!(data.listings.len(), 3);
    assert!(data.listings.iter().all(|l| l.channel.as_str() == "ebay-us"));
}
