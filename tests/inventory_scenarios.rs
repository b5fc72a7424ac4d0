//! Inventory scenarios as data: each file in tests/scenarios/inventory holds
//! stock, sales, a pinned `now` and the hand-checked expected read. One test
//! runs them all through `core::inventory::evaluate`.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "test helpers fail loudly")]

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use jiff::{SignedDuration, Timestamp};
use omnideck::config::Config;
use omnideck::core::ids::{ChannelId, LocationId, Sku, SourceId};
use omnideck::core::inventory::{InventoryRead, evaluate};
use omnideck::core::money::{Currency, Money};
use omnideck::core::orders::{Order, OrderLine, OrderStatus, PoStatus, PurchaseOrder};
use omnideck::core::snapshot::{Snapshot, SourceStatus, Sourced};
use omnideck::core::stock::{Inbound, StockPosition};
use rust_decimal::Decimal;
use serde::Deserialize;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Scenario {
    description: String,
    now: Timestamp,
    #[serde(default)]
    replace: Vec<Replace>,
    #[serde(default)]
    stock: Vec<StockRow>,
    #[serde(default)]
    sales: Vec<Sales>,
    #[serde(default)]
    orders: Vec<OrderRow>,
    #[serde(default)]
    purchase_orders: Vec<PoRow>,
    #[serde(default)]
    contribution: Vec<ContributionRow>,
    #[serde(default)]
    out_of_stock: Vec<OutOfStock>,
    expect: Expect,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Replace {
    from: String,
    to: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct StockRow {
    sku: String,
    location: String,
    on_hand: u32,
    #[serde(default)]
    committed: u32,
    #[serde(default)]
    inbound: u32,
    #[serde(default = "default_source")]
    source: String,
    #[serde(default)]
    age_minutes: i64,
}

fn default_source() -> String {
    "store".to_owned()
}

/// `per_day` units on each of the `days` days before `now`, at the same
/// time of day, except the days listed in `skip_days_ago`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Sales {
    channel: String,
    sku: String,
    per_day: u32,
    days: i64,
    #[serde(default)]
    skip_days_ago: Vec<i64>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct OrderRow {
    channel: String,
    sku: String,
    qty: u32,
    placed_at: Timestamp,
    #[serde(default)]
    open: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PoRow {
    sku: String,
    supplier: String,
    qty: u32,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ContributionRow {
    sku: String,
    channel: String,
    amount: Decimal,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct OutOfStock {
    sku: String,
    days_ago: Vec<i64>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct Expect {
    #[serde(default)]
    plan: Vec<ExpectPlan>,
    scarce: Option<Vec<String>>,
    #[serde(default)]
    velocity: Vec<ExpectVelocity>,
    #[serde(default)]
    transfers: Vec<ExpectTransfer>,
    reorders: Option<Vec<ExpectReorder>>,
    #[serde(default)]
    disagreements: Vec<ExpectDisagreement>,
    #[serde(default)]
    flags: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ExpectPlan {
    sku: String,
    channel: String,
    qty: u32,
    reason: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ExpectVelocity {
    sku: String,
    channel: String,
    per_day: Decimal,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ExpectTransfer {
    sku: String,
    from: String,
    to: String,
    qty: u32,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ExpectReorder {
    supplier: String,
    sku: String,
    qty: u32,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ExpectDisagreement {
    sku: String,
    location: String,
    trusted: String,
    spread: u32,
}

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/scenarios/inventory")
}

fn sku(s: &str) -> Sku {
    Sku::new(s).unwrap()
}

fn order(id: String, channel: &str, sku_: &str, qty: u32, at: Timestamp, status: OrderStatus) -> Order {
    let usd = Money::zero(Currency::USD);
    Order {
        id,
        channel: ChannelId::new(channel).unwrap(),
        placed_at: at,
        status,
        first_order: false,
        lines: vec![OrderLine { sku: sku(sku_), qty, unit_price: Some(usd), discount: usd }],
    }
}

fn snapshot(s: &Scenario) -> Snapshot {
    let mut snap = Snapshot::default();
    let mut status = |source: &str, age: i64| {
        let id = SourceId::new(source).unwrap();
        let fetched_at = Some(s.now - SignedDuration::from_mins(age));
        snap.sources.entry(id.clone()).or_insert(SourceStatus { source: id, fetched_at, last_error: None });
    };
    for r in &s.stock {
        status(&r.source, r.age_minutes);
    }
    status("orders", 0);
    for r in &s.stock {
        let value = StockPosition {
            sku: sku(&r.sku),
            location: LocationId::new(r.location.as_str()).unwrap(),
            on_hand: r.on_hand,
            committed: r.committed,
            reserved: 0,
            unfulfillable: 0,
            inbound: Inbound::undated(r.inbound),
        };
        snap.stock.push(Sourced { source: SourceId::new(r.source.as_str()).unwrap(), value });
    }
    let orders = SourceId::new("orders").unwrap();
    let mut push = |o: Order| snap.orders.push(Sourced { source: orders.clone(), value: o });
    for (i, sale) in s.sales.iter().enumerate() {
        for back in (1..=sale.days).filter(|d| !sale.skip_days_ago.contains(d)) {
            let at = s.now - SignedDuration::from_hours(24 * back);
            push(order(format!("s{i}-{back}"), &sale.channel, &sale.sku, sale.per_day, at, OrderStatus::Fulfilled));
        }
    }
    for (i, o) in s.orders.iter().enumerate() {
        let status = if o.open { OrderStatus::Open } else { OrderStatus::Fulfilled };
        push(order(format!("o{i}"), &o.channel, &o.sku, o.qty, o.placed_at, status));
    }
    for (i, po) in s.purchase_orders.iter().enumerate() {
        let value = PurchaseOrder {
            id: format!("po{i}"),
            supplier: omnideck::core::ids::SupplierId::new(po.supplier.as_str()).unwrap(),
            sku: sku(&po.sku),
            qty: po.qty,
            eta: None,
            status: PoStatus::Open,
        };
        snap.purchase_orders.push(Sourced { source: orders.clone(), value });
    }
    snap
}

fn run(path: &Path) -> (Scenario, InventoryRead) {
    let s: Scenario =
        toml::from_str(&std::fs::read_to_string(path).unwrap()).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut config = std::fs::read_to_string(dir().join("base.toml")).unwrap();
    for r in &s.replace {
        assert!(config.contains(&r.from), "{}: base.toml has no {:?}", path.display(), r.from);
        config = config.replacen(&r.from, &r.to, 1);
    }
    let rules = Config::parse(path, &config).unwrap().rules;
    let contribution = s
        .contribution
        .iter()
        .map(|c| ((sku(&c.sku), ChannelId::new(c.channel.as_str()).unwrap()), Money::new(c.amount, Currency::USD)))
        .collect();
    let tz = &rules.brand.time_zone;
    let today = tz.to_datetime(s.now).date();
    let oos: BTreeSet<_> = s
        .out_of_stock
        .iter()
        .flat_map(|o| {
            o.days_ago.iter().map(|d| (sku(&o.sku), today.saturating_sub(SignedDuration::from_hours(24 * d))))
        })
        .collect();
    let read = evaluate(&snapshot(&s), &rules, &contribution, &oos, s.now);
    (s, read)
}

fn check(path: &Path) -> Vec<String> {
    let (s, read) = run(path);
    let mut errs = Vec::new();
    let e = &s.expect;
    let plan: BTreeMap<(&str, &str), _> =
        read.plan.lines.iter().map(|l| ((l.sku.as_str(), l.channel.as_str()), l)).collect();
    for p in &e.plan {
        match plan.get(&(p.sku.as_str(), p.channel.as_str())) {
            None => errs.push(format!("no plan line for {} on {}", p.sku, p.channel)),
            Some(l) if l.qty != p.qty => {
                errs.push(format!("{} on {}: qty {} != {} ({})", p.sku, p.channel, l.qty, p.qty, l.reason));
            }
            Some(l) if p.reason.as_ref().is_some_and(|r| r != &l.reason) => {
                errs.push(format!("{} on {}: reason {:?} != {:?}", p.sku, p.channel, l.reason, p.reason));
            }
            Some(_) => {}
        }
    }
    if let Some(scarce) = &e.scarce {
        let got: Vec<&str> = read.plan.scarce.iter().map(|x| x.sku.as_str()).collect();
        if got != scarce.iter().map(String::as_str).collect::<Vec<_>>() {
            errs.push(format!("scarce {got:?} != {scarce:?}"));
        }
    }
    for v in &e.velocity {
        let key = (sku(&v.sku), ChannelId::new(v.channel.as_str()).unwrap());
        let got = read.velocity.get(&key).map(|x| x.per_day.round_dp(v.per_day.scale()));
        if got != Some(v.per_day) {
            errs.push(format!("velocity {} on {}: {got:?} != {}", v.sku, v.channel, v.per_day));
        }
    }
    check_suggestions(e, &read, &mut errs);
    errs
}

fn check_suggestions(e: &Expect, read: &InventoryRead, errs: &mut Vec<String>) {
    let transfers: Vec<(String, String, String, u32)> =
        read.transfers.iter().map(|t| (t.sku.to_string(), t.from.to_string(), t.to.to_string(), t.qty)).collect();
    let want: Vec<_> = e.transfers.iter().map(|t| (t.sku.clone(), t.from.clone(), t.to.clone(), t.qty)).collect();
    if !want.is_empty() && transfers != want {
        errs.push(format!("transfers {transfers:?} != {want:?}"));
    }
    if let Some(reorders) = &e.reorders {
        let got: Vec<(String, String, u32)> = read
            .reorders
            .iter()
            .flat_map(|po| po.lines.iter().map(|l| (po.supplier.to_string(), l.sku.to_string(), l.qty)))
            .collect();
        let want: Vec<_> = reorders.iter().map(|r| (r.supplier.clone(), r.sku.clone(), r.qty)).collect();
        if got != want {
            errs.push(format!("reorders {got:?} != {want:?}"));
        }
    }
    for d in &e.disagreements {
        let found =
            read.view.disagreements.iter().find(|x| x.sku.as_str() == d.sku && x.location.as_str() == d.location);
        match found {
            Some(x) if x.trusted.as_str() == d.trusted && x.spread == d.spread => {}
            other => errs.push(format!("disagreement {} at {}: {other:?}", d.sku, d.location)),
        }
    }
    let messages: Vec<String> = read.view.flags.iter().map(omnideck::core::stock_view::StockFlag::message).collect();
    for f in &e.flags {
        if !messages.iter().any(|m| m.contains(f.as_str())) {
            errs.push(format!("no flag containing {f:?} in {messages:?}"));
        }
    }
}

#[test]
fn every_inventory_scenario_holds() {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml") && !p.ends_with("base.toml"))
        .collect();
    files.sort();
    assert!(files.len() >= 10, "expected the scenario folder, found {}", files.len());
    let mut failures = Vec::new();
    for f in &files {
        let errs = check(f);
        if !errs.is_empty() {
            let (s, _) = run(f);
            failures.push(format!("{} ({}):\n  {}", f.display(), s.description, errs.join("\n  ")));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
