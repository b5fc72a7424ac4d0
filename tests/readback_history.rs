//! What the readback keeps between reads: stored weeks standing in when the
//! order window no longer reaches back, never replaced by a poorer read;
//! out-of-stock days recorded in the store, leaving velocity's window and
//! counting as stock-out days.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "test helpers fail loudly")]

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use jiff::Timestamp;
use jiff::civil::Date;
use jiff::tz::TimeZone;
use omnideck::config::Config;
use omnideck::core::ids::{ChannelId, Sku};
use omnideck::core::inventory_facts::Sale;
use omnideck::core::money::{Currency, Money};
use omnideck::core::orders::{Order, OrderLine, OrderStatus};
use omnideck::core::readback::{Readback, ReadbackInput, StockOut, StoredWeek, WeekId, readback, stock_outs_from_days};
use omnideck::core::rules::Rules;
use omnideck::core::velocity::{Window, sku_velocities};
use omnideck::store::Store;
use rust_decimal::Decimal;
use rust_decimal_macros::dec;

fn rules() -> Rules {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/scenarios/readback/base.toml");
    let text =
        std::fs::read_to_string(path).unwrap().replacen("status = \"gated\" # dtc-status", "status = \"active\"", 1);
    Config::parse(Path::new("base.toml"), &text).unwrap().rules
}

fn ts(s: &str) -> Timestamp {
    s.parse().unwrap()
}

fn dtc() -> ChannelId {
    ChannelId::new("dtc").unwrap()
}

fn a() -> Sku {
    Sku::new("A").unwrap()
}

/// `qty` × A at 50.00 on dtc.
fn order(id: &str, placed_at: &str, qty: u32, status: OrderStatus) -> Order {
    let usd = |d: Decimal| Money::new(d, Currency::USD);
    Order {
        id: id.into(),
        channel: dtc(),
        placed_at: ts(placed_at),
        status,
        first_order: false,
        lines: vec![OrderLine { sku: a(), qty, unit_price: Some(usd(dec!(50))), discount: usd(dec!(0)) }],
    }
}

fn read(rules: &Rules, orders: &[Order], stored: &[StoredWeek], stock_outs: &[StockOut]) -> Readback {
    readback(&ReadbackInput {
        rules,
        orders,
        estimates: &[],
        week: w48(),
        exceptions: &BTreeMap::new(),
        stock_outs,
        stale: &BTreeSet::new(),
        stored,
    })
}

fn w48() -> WeekId {
    "2026-W48".parse().unwrap()
}

/// W47 (Tue 17 Nov): 3 × A and 1 × A → revenue 200.00; W48: 2 × A → 100.00.
fn full_window() -> Vec<Order> {
    vec![
        order("d0", "2026-11-17T15:00:00Z", 3, OrderStatus::Fulfilled),
        order("d1", "2026-11-18T15:00:00Z", 1, OrderStatus::Fulfilled),
        order("d2", "2026-11-24T15:00:00Z", 2, OrderStatus::Fulfilled),
    ]
}

#[test]
fn a_stored_week_stands_in_when_the_orders_no_longer_reach_back() {
    let rules = rules();
    let first = read(&rules, &full_window(), &[], &[]);
    let current: WeekId = "2026-W49".parse().unwrap();
    let kept = first.weeks_to_store(current);
    let w47 = kept.iter().find(|s| s.figures.week == w48().back(1)).unwrap();
    // 4 units at 50.00; 2 orders seen.
    assert_eq!((w47.figures.revenue.amount, w47.figures.seen), (dec!(200.00), 2));
    // A week later the window starts at W48: W47 has no orders left.
    let later = read(&rules, &full_window()[2..], &kept, &[]);
    let dtc = &later.channels[0];
    assert_eq!(dtc.from_store, [w48().back(1)]);
    assert_eq!(dtc.prior_week().unwrap().revenue.amount, dec!(200.00));
    assert_eq!(dtc.this_week().revenue.amount, dec!(100.00));
    // W47 came from the store, so it is not offered back to it.
    assert!(later.weeks_to_store(current).iter().all(|s| s.figures.week != w48().back(1)));
    // Without the store the prior week would read as empty.
    let bare = read(&rules, &full_window()[2..], &[], &[]);
    assert_eq!(bare.channels[0].prior_week().unwrap().revenue.amount, dec!(0));
}

#[test]
fn a_re_read_from_as_many_orders_replaces_the_stored_week() {
    let rules = rules();
    let kept = read(&rules, &full_window(), &[], &[]).weeks_to_store("2026-W49".parse().unwrap());
    // d1 was cancelled after W47 was stored: still 2 orders seen, 3 units.
    let mut orders = full_window();
    orders[1].status = OrderStatus::Cancelled;
    let again = read(&rules, &orders, &kept, &[]);
    let dtc = &again.channels[0];
    assert!(dtc.from_store.is_empty());
    assert_eq!(dtc.prior_week().unwrap().revenue.amount, dec!(150.00));
}

#[test]
fn weeks_round_trip_through_the_store_and_a_poorer_read_is_refused() {
    let rules = rules();
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(dir.path()).unwrap();
    let current: WeekId = "2026-W49".parse().unwrap();
    let rows = |r: &Readback| -> Vec<omnideck::store::StoredWeekRow> {
        r.weeks_to_store(current)
            .iter()
            .map(|s| omnideck::store::StoredWeekRow {
                week: s.figures.week.to_string(),
                channel: s.channel.to_string(),
                seen: s.figures.seen,
                json: serde_json::to_string(&s.figures).unwrap(),
            })
            .collect()
    };
    let at = ts("2026-11-30T15:00:00Z");
    store.save_weeks(&rows(&read(&rules, &full_window(), &[], &[])), at).unwrap();
    // The poorer read (W47 gone from the window) writes every week but W47.
    let poorer = rows(&read(&rules, &full_window()[2..], &[], &[]));
    let written = store.save_weeks(&poorer, at).unwrap();
    assert_eq!(written, poorer.len() - 1);
    let w47 = store.weeks_since("").unwrap().into_iter().find(|r| r.week == "2026-W47").unwrap();
    let figures: omnideck::core::readback::WeekFigures = serde_json::from_str(&w47.json).unwrap();
    assert_eq!((figures.revenue.amount, figures.seen), (dec!(200.00), 2));
}

fn day(s: &str) -> Date {
    s.parse().unwrap()
}

#[test]
fn a_recorded_out_of_stock_day_leaves_velocity_and_counts_as_a_stock_out_day() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(dir.path()).unwrap();
    store.record_out_of_stock(day("2026-11-23"), ["A"]).unwrap();
    store.record_out_of_stock(day("2026-11-24"), ["A", "B"]).unwrap();
    let days: BTreeSet<(Sku, Date)> = store
        .out_of_stock_since(day("2026-11-01"))
        .unwrap()
        .into_iter()
        .map(|(s, d)| (Sku::new(s).unwrap(), d))
        .collect();
    assert_eq!(days.len(), 3);
    // 2 units of A (d2, Tue 24 Nov) in the 7 days before Mon 30 Nov in New
    // York: 2/7 a day; with Mon 23 and Tue 24 out of stock, 2 over 5 days.
    let ny = TimeZone::get("America/New_York").unwrap();
    let orders = full_window();
    let none = BTreeSet::new();
    let window = |oos| Window { now: ts("2026-11-30T15:00:00Z"), days: 7, time_zone: &ny, out_of_stock: oos };
    let key = (a(), dtc());
    let sales: Vec<Sale<'_>> = orders[2..]
        .iter()
        .flat_map(|o| {
            o.lines.iter().filter(|l| l.sku == key.0).map(|l| Sale {
                channel: &o.channel,
                order: &o.id,
                placed_at: o.placed_at,
                status: o.status,
                qty: l.qty,
            })
        })
        .collect();
    let velocity_of_a = |oos| {
        let window = window(oos);
        sku_velocities(&key.0, &sales, &window, &window.dates())[&key.1].clone()
    };
    let plain = velocity_of_a(&none);
    assert_eq!(plain.per_day, Decimal::from(2) / Decimal::from(7));
    let with_days = velocity_of_a(&days);
    assert_eq!((with_days.per_day, with_days.days), (dec!(0.4), 5));
    // The two days of A in W48, at 1.5 a day and 50.00: 150.00 of lost sales.
    let selling = BTreeMap::from([(key, (dec!(1.5), Money::new(dec!(50.00), Currency::USD)))]);
    let outs = stock_outs_from_days(&days, &selling);
    assert_eq!(outs.len(), 1, "B sells nowhere");
    let read = read(&rules(), &orders, &[], &outs);
    let w = read.channels[0].this_week();
    assert_eq!((w.stock_out_days, w.lost_sales.amount), (2, dec!(150.00)));
}

/// The inventory scenarios' brand: A and B, KIT = 2 × A + 1 × B; the
/// warehouse keeps 5 units of safety stock.
fn inventory_rules() -> Rules {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/scenarios/inventory/base.toml");
    Config::parse(&path, &std::fs::read_to_string(&path).unwrap()).unwrap().rules
}

fn stock_at_warehouse(levels: &[(&str, u32)]) -> omnideck::core::snapshot::Snapshot {
    use omnideck::core::ids::{LocationId, SourceId};
    use omnideck::core::snapshot::{Snapshot, SourceStatus, Sourced};
    use omnideck::core::stock::{Inbounds, StockPosition};
    let mut snap = Snapshot::default();
    let source = SourceId::new("store").unwrap();
    let fetched_at = Some(ts("2026-11-27T16:00:00Z"));
    snap.sources.insert(source.clone(), SourceStatus { source: source.clone(), fetched_at, last_error: None });
    for (sku, on_hand) in levels {
        let value = StockPosition {
            sku: Sku::new(*sku).unwrap(),
            location: LocationId::new("wh").unwrap(),
            on_hand: *on_hand,
            committed: 0,
            reserved: 0,
            unfulfillable: 0,
            inbound: Inbounds::new(),
        };
        snap.stock.push(Sourced { source: source.clone(), value });
    }
    snap
}

fn out_now(levels: &[(&str, u32)]) -> Vec<String> {
    let rules = inventory_rules();
    let now = ts("2026-11-27T17:00:00Z");
    let read = omnideck::core::inventory::evaluate(
        &stock_at_warehouse(levels),
        &rules,
        &BTreeMap::new(),
        &BTreeSet::new(),
        now,
    );
    omnideck::core::readback::out_of_stock_skus(&read, &rules).iter().map(|s| s.as_str().to_owned()).collect()
}

#[test]
fn a_sku_is_out_of_stock_when_its_trusted_sellable_stock_is_zero() {
    // A: 4 on hand − 5 safety → 0 sellable. B is reported by no source, so
    // B and the kit that needs it are unknown, not out of stock.
    assert_eq!(out_now(&[("A", 4)]), ["A"]);
    // B: 10 − 5 = 5 sellable; KIT = min(0 / 2, 5 / 1) = 0.
    assert_eq!(out_now(&[("A", 4), ("B", 10)]), ["A", "KIT"]);
    // A: 7 − 5 = 2 sellable → KIT = min(2 / 2, 5) = 1: nothing is out.
    assert!(out_now(&[("A", 7), ("B", 10)]).is_empty());
}
