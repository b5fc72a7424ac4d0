//! `core::evaluate` on a small brand: the escalation conditions it raises
//! from stock, sources and prices.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "test helpers fail loudly")]

use std::path::Path;

use jiff::{SignedDuration, Timestamp};
use omnideck::config::Config;
use omnideck::core::escalation::Severity;
use omnideck::core::evaluate::{History, evaluate};
use omnideck::core::ids::{ChannelId, LocationId, Sku, SourceId};
use omnideck::core::money::{Currency, Money};
use omnideck::core::orders::{Order, OrderLine, OrderStatus};
use omnideck::core::snapshot::{Snapshot, SourceError, SourceStatus, Sourced};
use omnideck::core::stock::{Inbounds, StockPosition};

fn now() -> Timestamp {
    "2026-11-27T17:00:00Z".parse().unwrap()
}

fn snapshot() -> Snapshot {
    let mut snap = Snapshot::default();
    let status = |id: &str, hours: i64, err: Option<&str>| SourceStatus {
        source: SourceId::new(id).unwrap(),
        fetched_at: Some(now() - SignedDuration::from_hours(hours)),
        last_error: err.map(|m| SourceError { at: now(), message: m.into() }),
    };
    snap.sources.insert(SourceId::new("store").unwrap(), status("store", 7, None));
    snap.sources.insert(SourceId::new("amz").unwrap(), status("amz", 1, Some("503 from getInventorySummaries")));
    let pos = |sku: &str, on_hand| StockPosition {
        sku: Sku::new(sku).unwrap(),
        location: LocationId::new("wh").unwrap(),
        on_hand,
        committed: 0,
        reserved: 0,
        unfulfillable: 0,
        inbound: Inbounds::new(),
    };
    // A: 5 − 5 safety = 0 sellable while it sells 1/day. B: plenty.
    for p in [pos("A", 5), pos("B", 500)] {
        snap.stock.push(Sourced { source: SourceId::new("store").unwrap(), value: p });
    }
    let usd = Money::zero(Currency::USD);
    for day in 1..=28 {
        let order = Order {
            id: format!("o{day}"),
            channel: ChannelId::new("dtc").unwrap(),
            placed_at: now() - SignedDuration::from_hours(24 * day),
            status: OrderStatus::Fulfilled,
            first_order: false,
            lines: vec![OrderLine { sku: Sku::new("A").unwrap(), qty: 1, unit_price: Some(usd), discount: usd }],
        };
        snap.orders.push(Sourced { source: SourceId::new("store").unwrap(), value: order });
    }
    snap
}

#[test]
fn stock_sources_and_errors_raise_keyed_conditions() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/scenarios/inventory/base.toml");
    let rules = Config::load(&path).unwrap().rules;
    let cockpit = evaluate(&snapshot(), &rules, &History::default(), now());
    let keys: Vec<(&str, Severity)> = cockpit.conditions.iter().map(|c| (c.key.as_str(), c.severity)).collect();
    assert_eq!(
        keys,
        vec![
            ("cover:A", Severity::Warning),
            ("stale:store", Severity::Warning),
            ("stockout:A:dtc", Severity::Critical),
            ("sync:amz", Severity::Warning),
        ]
    );
    let stale = cockpit.conditions.iter().find(|c| c.key == "stale:store").unwrap();
    assert_eq!(stale.summary, "source store is stale (7.0 h old)");
    assert_eq!(stale.channel.as_ref().map(ChannelId::as_str), Some("dtc"));
    let cover = cockpit.conditions.iter().find(|c| c.key == "cover:A").unwrap();
    assert_eq!(cover.summary, "A has 0.0 days of cover (below 7)");
    let out = cockpit.conditions.iter().find(|c| c.key == "stockout:A:dtc").unwrap();
    assert_eq!(out.summary, "A is out of stock on dtc (a top seller at 1.0/day)");
}

/// Until a source configured to report a location has been read, that
/// location's stock is unknown: no stock-out or cover condition may rest on
/// it (an escalation raised on a zero that only means "not read yet" would
/// stay in the log). Once read, the same data raises them.
#[test]
fn stock_conditions_wait_for_the_first_read_of_their_locations() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/scenarios/inventory/base.toml");
    let mut rules = Config::load(&path).unwrap().rules;
    let (store, wh) = (SourceId::new("store").unwrap(), LocationId::new("wh").unwrap());
    rules.locations.get_mut(&wh).unwrap().reported_by.insert(store.clone());
    let keys = |snap: &Snapshot| -> Vec<String> {
        let cockpit = evaluate(snap, &rules, &History::default(), now());
        cockpit.conditions.iter().map(|c| c.key.clone()).filter(|k| !k.starts_with("sync:")).collect()
    };
    let mut unread = snapshot();
    unread.sources.get_mut(&store).unwrap().fetched_at = None;
    assert_eq!(keys(&unread), ["stale:store"]);
    assert_eq!(keys(&snapshot()), ["cover:A", "stale:store", "stockout:A:dtc"]);
}
