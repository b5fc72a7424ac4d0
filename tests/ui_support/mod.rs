//! A small hand-made read of the demo brand for the cockpit tests: stock
//! with a disagreement, a scarce and an out-of-stock SKU, price flags, two
//! colliding promotions, escalations (one overdue, one acknowledged) and
//! decisions. No network; `now` is pinned.

#![allow(dead_code, reason = "each test file uses part of the support")]

/// The brand the cockpit's snapshots were drawn from: a frozen copy of the
/// demo config, so growing the demo's story does not redraw every pane.
/// Shown under the demo's path, as the cockpit shows the file it loaded.
pub const BRAND: &str = include_str!("brand.toml");

use std::collections::BTreeSet;
use std::path::Path;

use jiff::{SignedDuration, Timestamp};
use omnideck::config::Config;
use omnideck::config::gates::{self, GateReport};
use omnideck::core::escalation::{Actions, Event, step};
use omnideck::core::evaluate::{Cockpit, History, evaluate};
use omnideck::core::ids::{ChannelId, LocationId, Sku, SourceId};
use omnideck::core::listing::{Listing, ListingIds};
use omnideck::core::money::{Currency, Fraction, Money};
use omnideck::core::orders::{Order, OrderLine, OrderStatus};
use omnideck::core::promotion::{Discount, PromoScope, Promotion, Window};
use omnideck::core::snapshot::{Snapshot, SourceError, SourceStatus, Sourced};
use omnideck::core::stock::{Inbounds, StockPosition};
use omnideck::store::Decision;
use omnideck::ui::view::ReadContext;
use omnideck::ui::{CockpitView, Keymap, State};
use rust_decimal::Decimal;

/// Which state of the sources to build.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Freshness {
    Fresh,
    /// amazon-us last fetched 3 h ago (limit: 60 min).
    Stale,
    /// shopify-main's last poll failed.
    Error,
}

pub fn now() -> Timestamp {
    "2026-11-25T17:00:00Z".parse().unwrap()
}

pub fn config() -> Config {
    Config::parse(Path::new("fixtures/demo/omnideck.toml"), BRAND).unwrap()
}

pub fn gate_report(config: &Config) -> GateReport {
    gates::evaluate(config, &|_| None, None)
}

fn id(s: &str) -> SourceId {
    SourceId::new(s).unwrap()
}

fn usd(s: &str) -> Money {
    Money::new(s.parse().unwrap(), Currency::USD)
}

fn sources(snap: &mut Snapshot, fresh: Freshness) {
    for (source, mins) in [("shopify-main", 10), ("amazon-us", 20), ("shipbob", 5), ("faire", 15), ("ebay", 30)] {
        let mins = if fresh == Freshness::Stale && source == "amazon-us" { 180 } else { mins };
        let error = (fresh == Freshness::Error && source == "shopify-main").then(|| SourceError {
            at: now() - SignedDuration::from_mins(2),
            message: "503 Service Unavailable from the GraphQL Admin API".into(),
        });
        let status = SourceStatus {
            source: id(source),
            fetched_at: Some(now() - SignedDuration::from_mins(mins)),
            last_error: error,
        };
        snap.sources.insert(id(source), status);
    }
}

fn stock(snap: &mut Snapshot) {
    let pos = |source: &str, sku: &str, loc: &str, on_hand| Sourced {
        source: id(source),
        value: StockPosition {
            sku: Sku::new(sku).unwrap(),
            location: LocationId::new(loc).unwrap(),
            on_hand,
            committed: 0,
            reserved: 0,
            unfulfillable: 0,
            inbound: Inbounds::new(),
        },
    };
    snap.stock.extend([
        pos("shopify-main", "SOCK-MER-M-BLK", "main-wh", 60),
        pos("shipbob", "SOCK-MER-M-BLK", "shipbob-mv", 30),
        pos("shopify-main", "SOCK-MER-M-BLK", "shipbob-mv", 22),
        pos("amazon-us", "SOCK-MER-M-BLK", "fba-us", 12),
        pos("shopify-main", "SOCK-MER-L-BLK", "main-wh", 6),
        pos("shopify-main", "SOCK-MER-M-GRY", "main-wh", 400),
        pos("amazon-us", "SOCK-MER-M-GRY", "fba-us", 0),
        pos("shopify-main", "BASE-TOP-M", "main-wh", 0),
        pos("shopify-main", "GIFT-BOX", "main-wh", 900),
    ]);
}

fn orders(snap: &mut Snapshot) {
    let line = |sku: &str, qty| OrderLine {
        sku: Sku::new(sku).unwrap(),
        qty,
        unit_price: Some(usd("28.00")),
        discount: usd("0"),
    };
    for day in 1..=28 {
        for (channel, source, lines) in [
            ("shopify-dtc", "shopify-main", vec![line("SOCK-MER-M-BLK", 2), line("SOCK-MER-L-BLK", 1)]),
            ("amazon-us-fba", "amazon-us", vec![line("SOCK-MER-M-BLK", 1), line("SOCK-MER-M-GRY", 1)]),
        ] {
            let order = Order {
                id: format!("{channel}-{day}"),
                channel: ChannelId::new(channel).unwrap(),
                placed_at: now() - SignedDuration::from_hours(24 * day),
                status: OrderStatus::Fulfilled,
                first_order: false,
                lines,
            };
            snap.orders.push(Sourced { source: id(source), value: order });
        }
    }
}

fn listings(snap: &mut Snapshot) {
    let listing = |source: &str, channel: &str, sku: &str, price: &str| Sourced {
        source: id(source),
        value: Listing {
            channel: ChannelId::new(channel).unwrap(),
            sku: Sku::new(sku).unwrap(),
            ids: ListingIds::Marketplace { sku: sku.into() },
            title: Some(format!("{sku} title")),
            price: Some(usd(price)),
            compare_at: None,
            quantity: None,
            unit_cost: None,
        },
    };
    snap.listings.extend([
        listing("shopify-main", "shopify-dtc", "SOCK-MER-M-BLK", "28.00"),
        listing("shopify-main", "shopify-dtc", "SOCK-MER-L-BLK", "28.00"),
        listing("shopify-main", "shopify-dtc", "BASE-TOP-M", "70.00"),
        listing("amazon-us", "amazon-us-fba", "SOCK-MER-M-BLK", "28.00"),
        listing("amazon-us", "amazon-us-fba", "SOCK-MER-M-GRY", "11.00"),
    ]);
}

fn promotions(snap: &mut Snapshot) {
    let promo = |id_: &str, source: &str, channel: &str, off: &str, start: &str, end: &str| Sourced {
        source: id(source),
        value: Promotion {
            id: id_.into(),
            title: format!("{id_} sale"),
            channel: ChannelId::new(channel).unwrap(),
            scope: PromoScope::Skus(BTreeSet::from([Sku::new("SOCK-MER-M-BLK").unwrap()])),
            discount: Discount::Percent(Fraction::new(off.parse::<Decimal>().unwrap()).unwrap()),
            window: Window::new(start.parse().unwrap(), Some(end.parse().unwrap())).unwrap(),
            campaign_id: None,
            source: id(source),
        },
    };
    snap.promotions.extend([
        promo("BF-DTC", "shopify-main", "shopify-dtc", "0.30", "2026-11-27T05:00:00Z", "2026-12-01T05:00:00Z"),
        promo("LD-FBA", "amazon-us", "amazon-us-fba", "0.15", "2026-11-26T05:00:00Z", "2026-12-03T05:00:00Z"),
    ]);
}

pub fn snapshot(fresh: Freshness) -> Snapshot {
    let mut snap = Snapshot::default();
    sources(&mut snap, fresh);
    stock(&mut snap);
    orders(&mut snap);
    listings(&mut snap);
    promotions(&mut snap);
    snap
}

/// Events opened 30 h ago and stepped to now: the critical ones have run
/// past the end of their chain, one warning is acknowledged.
pub fn events(config: &Config, cockpit: &Cockpit) -> Vec<Event> {
    let (channels, slas) = (&config.rules.channels, &config.rules.slas);
    let first =
        step(&[], &cockpit.conditions, &Actions::default(), channels, slas, now() - SignedDuration::from_hours(30));
    let mut actions = Actions::default();
    if let Some(e) = first.iter().find(|e| e.key.starts_with("cover:")) {
        actions.acknowledged.insert(e.key.clone());
    }
    step(&first, &cockpit.conditions, &actions, channels, slas, now())
}

pub fn decisions() -> Vec<Decision> {
    vec![
        Decision {
            id: 2,
            at: now() - SignedDuration::from_hours(3),
            who: "Maya Chen".into(),
            channel: Some("shopify-dtc".into()),
            sku: Some("BASE-TOP-M".into()),
            event_key: None,
            text: "Hold DTC price at 70 until the new MAP sheet lands".into(),
            follow_up: Some(now() + SignedDuration::from_hours(48)),
        },
        Decision {
            id: 1,
            at: now() - SignedDuration::from_hours(26),
            who: "Sam Ortiz".into(),
            channel: None,
            sku: None,
            event_key: Some("stale:ebay".into()),
            text: "eBay token renewed\u{1b}[2J; watch the next poll".into(),
            follow_up: None,
        },
    ]
}

pub fn read_view(fresh: Freshness) -> CockpitView {
    let config = config();
    let snap = snapshot(fresh);
    let cockpit = evaluate(&snap, &config.rules, &History::default(), now());
    let events = events(&config, &cockpit);
    let ctx = ReadContext::new(&config, &snap);
    CockpitView::from_read_with(&cockpit, &events, &decisions(), &gate_report(&config), &ctx)
}

pub fn read_state(fresh: Freshness) -> State {
    State::new(Keymap::default_map(), read_view(fresh)).with_operator(Some("maya".into()))
}
