//! The Amazon connector against the SP-API sandbox over real HTTP on
//! loopback: field mapping, pagination, LWA token handling, every fault
//! kind, throttling and pacing, and secrets kept out of every message.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "test helpers fail loudly")]

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;
use std::time::{Duration, Instant};

use jiff::Timestamp;
use omnideck::channels::amazon::{
    AmazonConnector, AmazonSettings, ChannelError, FULL_MAX_AGE, ROTATION_POLLS, RefreshBudget, Refreshed,
};
use omnideck::channels::http::HttpConfig;
use omnideck::channels::retry::RetryPolicy;
use omnideck::config::Config;
use omnideck::config::credentials::{Credentials, sandbox_credentials};
use omnideck::core::listing::ListingIds;
use omnideck::core::snapshot::SourceData;
use omnideck::sandbox::amazon::{AmazonOptions, PLANS};
use omnideck::sandbox::world::ANCHOR;
use omnideck::sandbox::{Faults, Sandbox, SandboxHandle, SandboxOptions, World};
use rust_decimal_macros::dec;

const SECRETS: [&str; 4] = ["sandbox-refresh_token", "sandbox-client_secret", "Atza|", "Atzr|"];

fn config() -> Config {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures/demo/omnideck.toml");
    Config::load(&path).expect("the demo config is valid")
}

fn fast_options() -> AmazonOptions {
    AmazonOptions { rate_scale: 20.0, ..AmazonOptions::default() }
}

async fn sandbox(config: &Config, faults: &str, amazon: AmazonOptions) -> SandboxHandle {
    let options = SandboxOptions { slow_delay: Duration::from_secs(3), amazon, ..SandboxOptions::default() };
    Sandbox::start_with(World::demo(&config.rules.catalog), Faults::parse(faults).unwrap(), options).await.unwrap()
}

fn connector(config: &Config, handle: &SandboxHandle, credentials: Credentials) -> AmazonConnector {
    connector_with(config, handle, credentials, RefreshBudget::default())
}

fn connector_with(
    config: &Config,
    handle: &SandboxHandle,
    credentials: Credentials,
    refresh: RefreshBudget,
) -> AmazonConnector {
    let source = &config.sources["amazon-us"];
    let mut settings = AmazonSettings::from_source(source).unwrap();
    settings.refresh = refresh;
    settings.base_url = handle.base_url();
    settings.token_url = format!("{}/auth/o2/token", handle.base_url());
    let retry =
        RetryPolicy { base: Duration::from_millis(20), cap: Duration::from_millis(200), ..RetryPolicy::default() };
    settings.http = HttpConfig { request_timeout: Duration::from_secs(1), retry, ..HttpConfig::default() };
    AmazonConnector::new(settings, credentials).unwrap()
}

fn demo_credentials() -> Credentials {
    sandbox_credentials(&["client_id", "client_secret", "refresh_token"])
}

fn since() -> Timestamp {
    ANCHOR - jiff::SignedDuration::from_hours(24 * 30)
}

async fn poll_with(faults: &str, amazon: AmazonOptions) -> (Result<SourceData, ChannelError>, SandboxHandle) {
    let config = config();
    let handle = sandbox(&config, faults, amazon).await;
    let amazon = connector(&config, &handle, demo_credentials());
    (amazon.poll(&config.rules, since()).await, handle)
}

fn assert_no_secret(text: &str) {
    for secret in SECRETS {
        assert!(!text.contains(secret), "{secret} leaked into: {text}");
    }
}

#[tokio::test]
async fn best_seller_maps_field_by_field() {
    let (data, handle) = poll_with("", fast_options()).await;
    let data = data.unwrap();
    let stock = data.stock.iter().find(|s| s.sku.as_str() == "SOCK-MER-M-BLK").unwrap();
    assert_eq!(stock.location.as_str(), "fba-us");
    // api-notes §2.3: fulfillable 66, pending order 3, transshipment 1, fc 0,
    // unfulfillable 2, researching 0, inbound 21 + 0 + 12.
    assert_eq!((stock.on_hand, stock.committed, stock.reserved), (70, 3, 1));
    assert_eq!((stock.unfulfillable, stock.inbound_total(), stock.sellable(0)), (2, 33, 66));
    let listing = data.listings.iter().find(|l| l.sku.as_str() == "SOCK-MER-M-BLK").unwrap();
    assert_eq!(listing.channel.as_str(), "amazon-us-fba");
    let ids = ListingIds::Amazon {
        seller_sku: "SOCK-MER-M-BLK".into(),
        asin: Some("B00T9QONN6".into()),
        fnsku: Some("X001ABCDEF".into()),
    };
    assert_eq!(listing.ids, ids);
    assert_eq!(listing.price.unwrap().amount, dec!(24));
    // The merchant listing of the grey sock, under its canonical SKU, and
    // its FBA twin under the mapped seller SKU.
    let grey: Vec<_> = data.listings.iter().filter(|l| l.sku.as_str() == "SOCK-MER-M-GRY").collect();
    assert_eq!(grey.len(), 2);
    let mfn = grey.iter().find(|l| l.channel.as_str() == "amazon-us-mfn").unwrap();
    assert_eq!(mfn.quantity, Some(12));
    assert!(data.issues.iter().any(|i| i.place.contains("NW-SCARF-2019")), "{:#?}", data.issues);
    handle.shutdown().await;
}

#[tokio::test]
async fn fees_offers_and_orders_tell_the_demo_story() {
    let (data, handle) = poll_with("", fast_options()).await;
    let data = data.unwrap();
    let fee = |sku: &str| {
        let estimate =
            data.fees.iter().find(|f| f.sku.as_str() == sku && f.channel.as_str() == "amazon-us-fba").unwrap();
        estimate.lines.iter().find(|(kind, _)| kind == "FBAFees").unwrap().1.amount
    };
    assert_eq!(fee("SOCK-MER-M-GRY"), dec!(7.90));
    assert_eq!(fee("SOCK-MER-L-BLK"), dec!(7.90));
    assert_eq!(fee("SOCK-MER-M-BLK"), dec!(3.76));
    let referral = data.fees.iter().find(|f| f.sku.as_str() == "SOCK-MER-M-BLK").unwrap();
    assert_eq!(referral.lines[0], ("ReferralFee".to_owned(), referral.price.times(dec!(0.15)).rounded()));

    let winner = data.offers.iter().find(|o| o.sku.as_str() == "SOCK-MER-M-BLK" && o.is_buy_box).unwrap();
    assert!(!winner.is_ours);
    assert_eq!(winner.landed_price.amount, dec!(22.49));
    assert!(data.offers.iter().any(|o| o.sku.as_str() == "SOCK-MER-M-BLK" && o.is_ours && !o.is_buy_box));

    let pending = data.orders.iter().find(|o| o.id == "902-1845936-5435065").unwrap();
    assert_eq!(pending.channel.as_str(), "amazon-us-mfn");
    assert_eq!((pending.lines[0].qty, pending.lines[0].unit_price), (2, None));
    assert!(data.issues.iter().any(|i| i.place == "order:902-1845936-5435065"));
    assert!(data.orders.iter().any(|o| o.channel.as_str() == "amazon-us-fba"));
    let priced = data.orders.iter().flat_map(|o| &o.lines).filter(|l| l.unit_price.is_some()).count();
    assert!(priced > 0);
    handle.shutdown().await;
}

#[tokio::test]
async fn inventory_follows_next_token_across_pages() {
    let (data, handle) = poll_with("", AmazonOptions { page_size: 2, ..fast_options() }).await;
    let data = data.unwrap();
    assert_eq!(handle.amazon_stats().requests["getInventorySummaries"], 3, "5 FBA SKUs in pages of 2");
    assert_eq!(data.stock.len(), 4, "the fifth is the unknown scarf");
    handle.shutdown().await;
}

#[tokio::test]
async fn an_expired_next_token_is_a_clear_error() {
    let options = AmazonOptions { page_size: 2, next_token_ttl: Duration::ZERO, ..fast_options() };
    let (result, handle) = poll_with("", options).await;
    let err = result.unwrap_err().to_string();
    assert!(err.contains("nextToken has expired"), "{err}");
    handle.shutdown().await;
}

#[tokio::test]
async fn the_access_token_is_cached_across_polls() {
    let config = config();
    let handle = sandbox(&config, "", fast_options()).await;
    let amazon = connector(&config, &handle, demo_credentials());
    amazon.poll(&config.rules, since()).await.unwrap();
    amazon.poll(&config.rules, since()).await.unwrap();
    let stats = handle.amazon_stats();
    assert_eq!((stats.token_requests, stats.tokens_issued, stats.unauthorized), (1, 1, 0));
    handle.shutdown().await;
}

#[tokio::test]
async fn the_access_token_is_renewed_before_it_expires() {
    // Tokens live exactly the renewal margin, so every call finds its cached
    // token due: each one must be renewed, and none may reach SP-API stale.
    let options = AmazonOptions { token_lifetime: Duration::from_mins(1), ..fast_options() };
    let (data, handle) = poll_with("", options).await;
    data.unwrap();
    let stats = handle.amazon_stats();
    let calls: u64 = stats.requests.values().sum();
    assert_eq!(stats.unauthorized, 0);
    assert!(stats.tokens_issued >= calls, "{stats:?}");
    handle.shutdown().await;
}

#[tokio::test]
async fn a_refused_refresh_token_fails_once_and_clearly() {
    let config = config();
    let handle = sandbox(&config, "", fast_options()).await;
    let credentials = Credentials::from_pairs([
        ("client_id".to_owned(), "sandbox-client_id".to_owned()),
        ("client_secret".to_owned(), "sandbox-client_secret".to_owned()),
        ("refresh_token".to_owned(), "Atzr|revoked-long-ago".to_owned()),
    ]);
    let amazon = connector(&config, &handle, credentials);
    let err = amazon.poll(&config.rules, since()).await.unwrap_err();
    assert!(matches!(err, ChannelError::Lwa { status: 400, .. }), "{err:?}");
    assert!(err.is_fatal());
    let shown = err.to_string();
    assert!(shown.contains("invalid_grant"), "{shown}");
    assert_no_secret(&shown);
    assert_no_secret(&format!("{err:?}"));
    assert_no_secret(&format!("{amazon:?}"));
    assert_eq!(handle.amazon_stats().token_requests, 1, "never retried");
    assert_eq!(handle.amazon_stats().requests.values().sum::<u64>(), 0);
    handle.shutdown().await;
}

/// Login with Amazon refuses a lapsed refresh token in its own words
/// (`invalid_grant`, 400); the next poll, once it is renewed, gets through.
#[tokio::test]
async fn a_lapsed_refresh_token_is_named_and_the_next_poll_recovers() {
    let config = config();
    let handle = sandbox(&config, "amazon_lwa:expired_token@1", fast_options()).await;
    let amazon = connector(&config, &handle, demo_credentials());
    let err = amazon.poll(&config.rules, since()).await.unwrap_err();
    assert!(matches!(&err, ChannelError::Lwa { status: 400, code, .. } if code == "invalid_grant"), "{err:?}");
    assert!(err.to_string().contains("invalid grant parameter"), "{err}");
    assert_eq!(handle.amazon_stats().token_requests, 1, "a refused grant is not retried");
    let data = amazon.poll(&config.rules, since()).await.unwrap();
    assert!(!data.stock.is_empty());
    assert_eq!(handle.amazon_stats().token_requests, 2);
}

#[tokio::test]
async fn quota_exceeded_is_retried_then_succeeds() {
    let (data, handle) = poll_with("amazon:429@1", fast_options()).await;
    data.unwrap();
    assert_eq!(handle.amazon_stats().requests["getInventorySummaries"], 2);
    handle.shutdown().await;
}

/// `kind` at several points of a poll: inventory, listings, orders, items, fees.
fn scattered(kind: &str) -> String {
    [1, 4, 10, 12, 25].iter().map(|n| format!("amazon:{kind}@{n}")).collect::<Vec<_>>().join(",")
}

/// `kind` on every request of a poll.
fn everywhere(kind: &str) -> String {
    (1..=80).map(|n| format!("amazon:{kind}@{n}")).collect::<Vec<_>>().join(",")
}

fn total_requests(handle: &SandboxHandle) -> u64 {
    handle.amazon_stats().requests.values().sum()
}

/// The read without the time each offer was seen, which differs between
/// two polls of the same data.
fn unstamped(mut data: SourceData) -> SourceData {
    for offer in &mut data.offers {
        offer.seen_at = None;
    }
    data
}

#[tokio::test]
async fn transient_faults_are_survived() {
    let (clean, handle) = poll_with("", fast_options()).await;
    let (clean, baseline) = (clean.unwrap(), total_requests(&handle));
    handle.shutdown().await;
    for kind in ["429", "429_bare", "500", "503", "reset", "malformed", "truncated", "expired_token"] {
        let (data, handle) = poll_with(&scattered(kind), fast_options()).await;
        let data = data.unwrap_or_else(|e| panic!("{kind}: {e}"));
        assert_eq!(unstamped(data), unstamped(clean.clone()), "{kind}: the same read once the faults are retried away");
        // Every faulted request is retried (the poll makes about 36, all
        // answerable), so at least two more requests than a clean poll.
        // No check on real throttling here: at the test's 20x rates the
        // pacing margin is a few milliseconds, which a loaded CI box can eat;
        // `a_normal_poll_stays_inside_every_usage_plan` checks it at real rates.
        assert!(total_requests(&handle) >= baseline + 2, "{kind}: faulted requests were sent again");
        handle.shutdown().await;
    }
    let (data, handle) = poll_with("amazon:slow@2,amazon_lwa:500@1,amazon_lwa:truncated@2", fast_options()).await;
    assert_eq!(unstamped(data.unwrap()), unstamped(clean));
    assert_eq!(handle.amazon_stats().token_requests, 3, "two failed exchanges, then a token");
    assert_eq!(total_requests(&handle), baseline + 1, "the slow call timed out and was sent again");
    handle.shutdown().await;
}

#[tokio::test]
async fn empty_pages_are_followed_through() {
    let (data, handle) = poll_with("amazon:empty_page@1,amazon:empty_page@10", fast_options()).await;
    let data = data.unwrap();
    assert_eq!(data.stock.len(), 4);
    assert!(data.orders.len() > 3);
    handle.shutdown().await;
}

#[tokio::test]
async fn odd_payloads_are_survived_or_reported() {
    let (data, handle) = poll_with(&everywhere("unknown_enum"), fast_options()).await;
    let data = data.unwrap();
    let unknown = |what: &str| data.issues.iter().any(|i| i.message.contains(what));
    assert!(unknown("OrderStatus") && unknown("FulfillmentChannel") && unknown("fulfillmentChannelCode"));
    handle.shutdown().await;

    let (data, handle) = poll_with(&everywhere("missing_optional"), fast_options()).await;
    let data = data.unwrap();
    assert_eq!(data.stock.len(), 4);
    assert!(data.orders.iter().all(|o| !o.lines.is_empty()), "SKUs found through the ASIN");
    handle.shutdown().await;

    let (data, handle) = poll_with(&everywhere("control_chars"), fast_options()).await;
    let data = data.unwrap();
    let shown = format!("{data:?}");
    assert!(data.listings.iter().all(|l| l.title.as_deref().is_some_and(|t| !t.chars().any(char::is_control))));
    assert!(!shown.contains('\u{1b}') && !shown.contains('\u{9b}'));
    handle.shutdown().await;
}

#[tokio::test]
async fn a_normal_poll_stays_inside_every_usage_plan() {
    // Production plans (no rate scale).
    let config = config();
    // Inventory in pages of 2 (burst 2) so the client must wait for a token.
    let handle = sandbox(&config, "", AmazonOptions { page_size: 2, ..AmazonOptions::default() }).await;
    let amazon = connector(&config, &handle, demo_credentials());
    let started = Instant::now();
    amazon.poll(&config.rules, since()).await.unwrap();
    let elapsed = started.elapsed().as_secs_f64();
    let stats = handle.amazon_stats();
    assert_eq!(stats.throttled, 0, "{stats:?}");
    for (op, rate, burst) in PLANS {
        let sent = stats.requests.get(op).copied().unwrap_or(0);
        #[allow(clippy::cast_precision_loss, reason = "a handful of requests")]
        let sent = sent as f64;
        assert!(sent <= burst + rate * elapsed, "{op}: {sent} in {elapsed:.1}s");
    }
    assert!(amazon.call_stats().paced > 0, "the client waited for its own buckets");
    assert_no_secret(&format!("{amazon:?}"));
    handle.shutdown().await;
}

#[tokio::test]
async fn listings_fees_and_offers_are_read_in_batches() {
    let (data, handle) = poll_with("", fast_options()).await;
    let data = data.unwrap();
    let requests = handle.amazon_stats().requests;
    // 48 wanted SKUs (5 FBA, 45 catalog SKUs as the merchant spells them,
    // two shared) in searches of 20; 6 listings priced in one batch each.
    assert_eq!(requests["searchListingsItems"], 3, "{requests:?}");
    assert_eq!((requests["getMyFeesEstimates"], requests["getItemOffersBatch"]), (1, 1), "{requests:?}");
    assert!(!requests.contains_key("getListingsItem"), "no SKU needs a lookup of its own");
    assert_eq!((data.listings.len(), data.fees.len()), (6, 6));
    assert_eq!(data.offers.len(), 12, "ours and one rival on each of 6 pages");
    handle.shutdown().await;
}

#[tokio::test]
async fn offers_kept_from_an_earlier_poll_show_when_they_were_read() {
    let config = config();
    let handle = sandbox(&config, "", fast_options()).await;
    let amazon = connector_with(&config, &handle, demo_credentials(), RefreshBudget { fees: 2, offers: 1 });
    let (t1, t2) = (ANCHOR, ANCHOR + jiff::SignedDuration::from_mins(15));
    amazon.poll_at(&config.rules, since(), t1).await.unwrap();
    let data = amazon.poll_at(&config.rules, since(), t2).await.unwrap();
    let seen: BTreeSet<Option<Timestamp>> = data.offers.iter().map(|o| o.seen_at).collect();
    // One detail page read each poll: the first poll's offers keep t1.
    assert_eq!(seen, BTreeSet::from([Some(t1), Some(t2)]));
    handle.shutdown().await;
}

#[tokio::test]
async fn a_small_budget_refreshes_a_share_and_keeps_earlier_readings() {
    let config = config();
    let handle = sandbox(&config, "", fast_options()).await;
    let budget = RefreshBudget { fees: 2, offers: 1 };
    let amazon = connector_with(&config, &handle, demo_credentials(), budget);
    let mut snapshot = amazon.poll(&config.rules, since()).await.unwrap();
    let first = amazon.refreshed();
    assert_eq!((first.fees.len(), first.offers.len()), (2, 1));
    assert_eq!((snapshot.fees.len(), snapshot.offers.len()), (2, 2), "only what was read so far");
    let mut estimated: BTreeSet<String> = first.fees.iter().cloned().collect();
    let mut pages: BTreeSet<String> = first.offers.iter().cloned().collect();
    for poll in 2..=3 {
        let data = amazon.poll(&config.rules, since()).await.unwrap();
        let refreshed = amazon.refreshed();
        assert_eq!((refreshed.fees.len(), refreshed.offers.len()), (2, 1), "poll {poll}");
        assert!(refreshed.fees.iter().all(|s| estimated.insert(s.clone())), "never-estimated SKUs first");
        assert!(refreshed.offers.iter().all(|a| pages.insert(a.clone())), "never-read ASINs first");
        // Earlier estimates are still reported, unchanged.
        for kept in &snapshot.fees {
            assert!(data.fees.contains(kept), "poll {poll} lost {kept:?}");
        }
        assert_eq!(data.fees.len(), 2 * poll);
        snapshot.apply(data);
    }
    assert_eq!((snapshot.fees.len(), snapshot.offers.len()), (6, 6));
    let requests = handle.amazon_stats().requests;
    assert_eq!((requests["getMyFeesEstimates"], requests["getItemOffersBatch"]), (3, 3));
    // All six estimated: the fourth poll re-estimates the two oldest.
    amazon.poll(&config.rules, since()).await.unwrap();
    let oldest: BTreeSet<String> = first.fees.iter().cloned().collect();
    assert_eq!(amazon.refreshed().fees.iter().cloned().collect::<BTreeSet<_>>(), oldest);
    handle.shutdown().await;
}

// Incremental polls: only what changed since the last successful poll.

const BEST_SELLER_SKU: &str = "SOCK-MER-M-BLK";

/// A minute before the anchor, `sku`'s summary changed as `change` says.
fn touch(handle: &SandboxHandle, sku: &str, change: impl FnOnce(&mut omnideck::sandbox::amazon::world::AmazonListing)) {
    handle.update_amazon(|world| {
        let listing = world.listings.iter_mut().find(|l| l.seller_sku == sku).unwrap();
        change(listing);
        listing.last_updated = ANCHOR - jiff::SignedDuration::from_mins(1);
    });
}

/// Requests per operation sent since `before`.
fn sent_since(handle: &SandboxHandle, before: &BTreeMap<&'static str, u64>) -> BTreeMap<&'static str, u64> {
    let now = handle.amazon_stats().requests;
    now.into_iter().map(|(op, n)| (op, n - before.get(op).copied().unwrap_or(0))).filter(|(_, n)| *n > 0).collect()
}

fn ten_minutes_before_anchor() -> Timestamp {
    ANCHOR - jiff::SignedDuration::from_mins(10)
}

#[tokio::test]
async fn an_incremental_poll_reads_changed_summaries_and_keeps_the_rest() {
    let config = config();
    let handle = sandbox(&config, "", fast_options()).await;
    let amazon = connector(&config, &handle, demo_credentials());
    let mut snapshot = amazon.poll_at(&config.rules, since(), ten_minutes_before_anchor()).await.unwrap();
    let full = snapshot.clone();
    let before = handle.amazon_stats().requests;
    touch(&handle, "BASE-TOP-M", |l| l.stock.as_mut().unwrap().fulfillable += 7);
    let data = amazon.poll_changed(&config.rules, ten_minutes_before_anchor(), ANCHOR).await.unwrap();
    let sent = sent_since(&handle, &before);
    // startDateTime leaves one of the five summaries (the demo's others
    // changed 20 minutes or more before the anchor).
    assert_eq!(data.stock.iter().map(|s| s.sku.as_str()).collect::<Vec<_>>(), ["BASE-TOP-M"]);
    assert_eq!(sent["getInventorySummaries"], 1, "{sent:?}");
    // Its listing and the rotating share of the 48 wanted SKUs: one search.
    assert_eq!(sent["searchListingsItems"], 1, "{sent:?}");
    assert!(data.listings.iter().any(|l| l.sku.as_str() == "BASE-TOP-M"));
    assert!(data.listings.len() <= 1 + 48_usize.div_ceil(ROTATION_POLLS), "{:?}", data.listings);
    // No price changed: no fee estimate or detail page re-read.
    assert!(!sent.contains_key("getMyFeesEstimates") && !sent.contains_key("getItemOffersBatch"), "{sent:?}");
    assert_eq!(amazon.refreshed(), Refreshed::default());
    snapshot.apply(data);
    let on_hand = |d: &SourceData, sku: &str| d.stock.iter().find(|s| s.sku.as_str() == sku).map(|s| s.on_hand);
    assert_eq!(on_hand(&snapshot, "BASE-TOP-M"), on_hand(&full, "BASE-TOP-M").map(|n| n + 7));
    assert_eq!(on_hand(&snapshot, BEST_SELLER_SKU), on_hand(&full, BEST_SELLER_SKU), "unchanged stock kept");
    assert_eq!(
        (snapshot.stock.len(), snapshot.listings.len(), snapshot.orders.len(), snapshot.fees.len()),
        (full.stock.len(), full.listings.len(), full.orders.len(), full.fees.len()),
        "everything the full poll read is still there"
    );
    handle.shutdown().await;
}

#[tokio::test]
async fn an_incremental_poll_prices_only_what_was_repriced() {
    let config = config();
    let handle = sandbox(&config, "", fast_options()).await;
    let amazon = connector(&config, &handle, demo_credentials());
    amazon.poll_at(&config.rules, since(), ten_minutes_before_anchor()).await.unwrap();
    let before = handle.amazon_stats().requests;
    touch(&handle, "SOCK-MER-L-BLK", |l| l.price += dec!(1));
    touch(&handle, "BASE-TOP-M", |l| l.stock.as_mut().unwrap().fulfillable += 1);
    let data = amazon.poll_changed(&config.rules, ten_minutes_before_anchor(), ANCHOR).await.unwrap();
    let sent = sent_since(&handle, &before);
    let refreshed = amazon.refreshed();
    assert_eq!(refreshed.fees, ["SOCK-MER-L-BLK"]);
    let asin = data.listings.iter().find(|l| l.sku.as_str() == "SOCK-MER-L-BLK").and_then(|l| match &l.ids {
        ListingIds::Amazon { asin, .. } => asin.clone(),
        _ => None,
    });
    assert_eq!(refreshed.offers, [asin.unwrap()]);
    assert_eq!((sent["getMyFeesEstimates"], sent["getItemOffersBatch"]), (1, 1), "{sent:?}");
    let fee = data.fees.iter().find(|f| f.sku.as_str() == "SOCK-MER-L-BLK").unwrap();
    let listed = data.listings.iter().find(|l| l.sku.as_str() == "SOCK-MER-L-BLK").unwrap();
    assert_eq!(Some(fee.price), listed.price, "estimated at the new price");
    handle.shutdown().await;
}

#[tokio::test]
async fn the_registry_polls_incrementally_and_in_full_now_and_then() {
    use std::sync::{Arc, Mutex};

    use omnideck::channels::poller::{Clock, Source};
    use omnideck::channels::registry::{AnySource, build};

    let demo = omnideck::live::demo::start(Faults::none()).await.unwrap();
    // Long after the demo's orders, so each full poll's order history is empty.
    let time = Arc::new(Mutex::new(ANCHOR + jiff::SignedDuration::from_hours(24 * 70)));
    let clock: Clock = {
        let time = Arc::clone(&time);
        Arc::new(move || *time.lock().unwrap())
    };
    let advance = |by: jiff::SignedDuration| *time.lock().unwrap() += by;
    let (built, _) = build(&demo.config, &|_| None, &HttpConfig::default(), &clock);
    let mut amazon = built.into_iter().find(|s| matches!(s, AnySource::Amazon(_))).unwrap();
    let first = amazon.poll(None).await.unwrap();
    assert!(!amazon.was_incremental(None));
    let mut since = clock();
    advance(jiff::SignedDuration::from_mins(1));
    let second = amazon.poll(Some(since)).await.unwrap();
    assert!(amazon.was_incremental(Some(since)), "a recent full poll: only what changed");
    assert!(second.stock.is_empty() && !first.stock.is_empty(), "nothing changed since");
    since = clock();
    advance(FULL_MAX_AGE);
    let third = amazon.poll(Some(since)).await.unwrap();
    assert!(!amazon.was_incremental(Some(since)), "the last full poll is {FULL_MAX_AGE} old");
    assert_eq!((third.stock.len(), third.listings.len()), (first.stock.len(), first.listings.len()));
}
