//! Readback scenarios as data: each file in tests/scenarios/readback holds
//! orders, exceptions, stock-outs, the week to read and the hand-computed
//! readback in comments and `[expect]`. One test runs them all.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "test helpers fail loudly")]

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use jiff::Timestamp;
use jiff::civil::Weekday;
use jiff::tz::TimeZone;
use omnideck::config::Config;
use omnideck::core::decisions::{DecisionInput, next_decisions};
use omnideck::core::ids::{ChannelId, Sku};
use omnideck::core::money::Money;
use omnideck::core::orders::{Order, OrderLine, OrderStatus};
use omnideck::core::readback::{ChannelReadback, Readback, ReadbackInput, StockOut, WeekFigures, WeekId, readback};
use omnideck::core::reconcile::{ChannelFigure, reconcile};
use omnideck::core::rules::Rules;
use rust_decimal::Decimal;
use serde::Deserialize;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Scenario {
    description: String,
    week: String,
    active: Vec<String>,
    #[serde(default)]
    replace: Vec<Replace>,
    #[serde(default)]
    orders: Vec<OrderRow>,
    #[serde(default)]
    exceptions: Vec<ExceptionRow>,
    #[serde(default)]
    stock_outs: Vec<StockOutRow>,
    #[serde(default)]
    stale: Vec<String>,
    reconcile: Option<ReconcileRow>,
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
struct OrderRow {
    id: String,
    channel: String,
    sku: String,
    qty: u32,
    price: Decimal,
    #[serde(default)]
    discount: Decimal,
    placed_at: Timestamp,
    #[serde(default)]
    cancelled: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ExceptionRow {
    channel: String,
    week: String,
    count: u32,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct StockOutRow {
    channel: String,
    sku: String,
    week: String,
    days: u32,
    velocity: Decimal,
    net_price: Decimal,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ReconcileRow {
    channel: String,
    zone: String,
    revenue: Decimal,
    units: u32,
    counts_cancelled: bool,
    unsettled_fees: Decimal,
    expect_causes: Vec<CauseRow>,
    unexplained: Decimal,
    unexplained_units: i64,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CauseRow {
    cause: String,
    revenue: Decimal,
    units: i64,
    orders: Vec<String>,
}

/// Figures of one week; every field optional so a scenario states only
/// what it is about.
#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct Figures {
    units: Option<u32>,
    revenue: Option<Decimal>,
    promotion_cost: Option<Decimal>,
    cogs: Option<Decimal>,
    fees: Option<Decimal>,
    fulfilment: Option<Decimal>,
    contribution: Option<Decimal>,
    operating_cost: Option<Decimal>,
    exception_cost: Option<Decimal>,
    after_operating_cost: Option<Decimal>,
    stock_out_days: Option<u32>,
    lost_sales: Option<Decimal>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ChannelExpect {
    channel: String,
    #[serde(default)]
    week: Figures,
    #[serde(default)]
    report: Figures,
    revenue_share: Option<Decimal>,
    operating_cost_share: Option<Decimal>,
    class: Option<String>,
    rule_contains: Option<String>,
    retire: Option<bool>,
    retire_rule_contains: Option<String>,
    stale: Option<bool>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Expect {
    #[serde(default)]
    channels: Vec<ChannelExpect>,
    #[serde(default)]
    total: Figures,
    #[serde(default)]
    decisions: Vec<String>,
}

fn dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/scenarios/readback")
}

fn rules(s: &Scenario, path: &Path) -> Rules {
    let mut config = std::fs::read_to_string(dir().join("base.toml")).unwrap();
    for id in &s.active {
        config = config.replacen(&format!("status = \"gated\" # {id}-status"), "status = \"active\"", 1);
    }
    for r in &s.replace {
        assert!(config.contains(&r.from), "{}: base.toml has no {:?}", path.display(), r.from);
        config = config.replacen(&r.from, &r.to, 1);
    }
    Config::parse(Path::new("base.toml"), &config).unwrap().rules
}

fn ch(s: &str) -> ChannelId {
    ChannelId::new(s).unwrap()
}

fn orders(s: &Scenario, rules: &Rules) -> Vec<Order> {
    s.orders
        .iter()
        .map(|o| {
            let cur = rules.channels[&ch(&o.channel)].currency;
            Order {
                id: o.id.clone(),
                channel: ch(&o.channel),
                placed_at: o.placed_at,
                status: if o.cancelled { OrderStatus::Cancelled } else { OrderStatus::Fulfilled },
                first_order: false,
                lines: vec![OrderLine {
                    sku: Sku::new(o.sku.as_str()).unwrap(),
                    qty: o.qty,
                    unit_price: Some(Money::new(o.price, cur)),
                    discount: Money::new(o.discount, cur),
                }],
            }
        })
        .collect()
}

fn run(path: &Path) -> (Scenario, Rules, Vec<Order>, Readback) {
    let s: Scenario =
        toml::from_str(&std::fs::read_to_string(path).unwrap()).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let rules = rules(&s, path);
    let orders = orders(&s, &rules);
    let week: WeekId = s.week.parse().unwrap();
    let exceptions: BTreeMap<(ChannelId, WeekId), u32> =
        s.exceptions.iter().map(|e| ((ch(&e.channel), e.week.parse().unwrap()), e.count)).collect();
    let stock_outs: Vec<StockOut> = s
        .stock_outs
        .iter()
        .map(|o| StockOut {
            channel: ch(&o.channel),
            sku: Sku::new(o.sku.as_str()).unwrap(),
            week: o.week.parse().unwrap(),
            days: o.days,
            velocity_per_day: o.velocity,
            net_price: Money::new(o.net_price, rules.channels[&ch(&o.channel)].currency),
        })
        .collect();
    let stale: BTreeSet<ChannelId> = s.stale.iter().map(|c| ch(c)).collect();
    let input = ReadbackInput {
        rules: &rules,
        orders: &orders,
        estimates: &[],
        week,
        exceptions: &exceptions,
        stock_outs: &stock_outs,
        stale: &stale,
        stored: &[],
    };
    let read = readback(&input);
    (s, rules, orders, read)
}

fn check_figures(what: &str, e: &Figures, f: &WeekFigures, errs: &mut Vec<String>) {
    let mut m = |name: &str, want: Option<Decimal>, got: Money| {
        if let Some(w) = want.filter(|w| *w != got.amount) {
            errs.push(format!("{what} {name}: expected {w}, got {got}"));
        }
    };
    m("revenue", e.revenue, f.revenue);
    m("promotion_cost", e.promotion_cost, f.promotion_cost);
    m("cogs", e.cogs, f.cogs);
    m("fees", e.fees, f.fees);
    m("fulfilment", e.fulfilment, f.fulfilment);
    m("contribution", e.contribution, f.contribution);
    m("operating_cost", e.operating_cost, f.operating.total);
    m("exception_cost", e.exception_cost, f.operating.exception_cost);
    m("after_operating_cost", e.after_operating_cost, f.after_operating_cost);
    m("lost_sales", e.lost_sales, f.lost_sales);
    for (name, want, got) in [("units", e.units, f.units), ("stock_out_days", e.stock_out_days, f.stock_out_days)] {
        if let Some(w) = want.filter(|w| *w != got) {
            errs.push(format!("{what} {name}: expected {w}, got {got}"));
        }
    }
    // The columns always add up, whatever the scenario states.
    let c = f.revenue.amount - f.cogs.amount - f.fees.amount - f.fulfilment.amount;
    if c != f.contribution.amount || c - f.operating.total.amount != f.after_operating_cost.amount {
        errs.push(format!("{what}: columns do not add up"));
    }
}

fn check_channel(e: &ChannelExpect, c: &ChannelReadback, errs: &mut Vec<String>) {
    let id = &e.channel;
    check_figures(&format!("{id} week"), &e.week, c.this_week(), errs);
    check_figures(&format!("{id} report"), &e.report, &c.report, errs);
    for (name, want, got) in [
        ("revenue_share", e.revenue_share, c.shares.revenue),
        ("operating_cost_share", e.operating_cost_share, c.shares.operating_cost),
    ] {
        if let Some(w) = want.filter(|w| *w != got.round_dp(4)) {
            errs.push(format!("{id} {name}: expected {w}, got {got}"));
        }
    }
    if let Some(w) = e.class.as_ref().filter(|w| **w != c.classification.class.word()) {
        errs.push(format!("{id} class: expected {w}, got {:?}", c.classification));
    }
    if let Some(w) = e.rule_contains.as_ref().filter(|w| !c.classification.rule.contains(w.as_str())) {
        errs.push(format!("{id} rule: expected {w:?} in {:?}", c.classification.rule));
    }
    if let Some(w) = e.retire.filter(|w| *w != c.retire.is_some()) {
        errs.push(format!("{id} retire: expected {w}, got {:?}", c.retire));
    }
    let rule = c.retire.as_ref().map_or("", |r| r.rule.as_str());
    if let Some(w) = e.retire_rule_contains.as_ref().filter(|w| !rule.contains(w.as_str())) {
        errs.push(format!("{id} retire rule: expected {w:?} in {rule:?}"));
    }
    if let Some(w) = e.stale.filter(|w| *w != c.stale) {
        errs.push(format!("{id} stale: expected {w}, got {}", c.stale));
    }
}

fn check_reconcile(s: &Scenario, rules: &Rules, orders: &[Order], errs: &mut Vec<String>) {
    let Some(r) = &s.reconcile else { return };
    let cur = rules.channels[&ch(&r.channel)].currency;
    let figure = ChannelFigure {
        channel: ch(&r.channel),
        week: s.week.parse().unwrap(),
        zone: TimeZone::get(&r.zone).unwrap(),
        revenue: Money::new(r.revenue, cur),
        units: r.units,
        counts_cancelled: r.counts_cancelled,
        unsettled_fees: Money::new(r.unsettled_fees, cur),
    };
    let got = reconcile(&figure, orders, &rules.brand.time_zone).unwrap();
    let causes: Vec<(String, Decimal, i64, Vec<String>)> =
        got.causes.iter().map(|c| (format!("{:?}", c.cause), c.revenue.amount, c.units, c.orders.clone())).collect();
    let want: Vec<(String, Decimal, i64, Vec<String>)> =
        r.expect_causes.iter().map(|c| (c.cause.clone(), c.revenue, c.units, c.orders.clone())).collect();
    if causes != want {
        errs.push(format!("reconcile causes: expected {want:?}, got {causes:?}"));
    }
    if got.unexplained.amount != r.unexplained || got.unexplained_units != r.unexplained_units {
        errs.push(format!(
            "reconcile unexplained: expected {} / {} units, got {got:?}",
            r.unexplained, r.unexplained_units
        ));
    }
}

fn check(path: &Path) -> Vec<String> {
    let (s, rules, orders, read) = run(path);
    let mut errs: Vec<String> = read.problems.iter().map(|p| format!("problem: {p}")).collect();
    for e in &s.expect.channels {
        match read.channels.iter().find(|c| c.channel.as_str() == e.channel) {
            Some(c) => check_channel(e, c, &mut errs),
            None => errs.push(format!("channel {} is not in the readback", e.channel)),
        }
    }
    check_figures("total", &s.expect.total, &read.total, &mut errs);
    let sum = read.channels.iter().map(|c| c.report.contribution.amount).sum::<Decimal>();
    if sum != read.total.contribution.amount {
        errs.push(format!("channel contributions {sum} do not sum to the total {}", read.total.contribution));
    }
    if !s.expect.decisions.is_empty() {
        let input = DecisionInput {
            rules: &rules,
            readback: &read,
            scarce: &[],
            flags: &[],
            collisions: &[],
            events: &[],
            today: read.week.monday(),
            review_day: Weekday::Monday,
            limit: 7,
        };
        let got: Vec<String> = next_decisions(&input).iter().map(|d| format!("{} {}", d.key, d.at_stake)).collect();
        if got != s.expect.decisions {
            errs.push(format!("decisions: expected {:?}, got {got:?}", s.expect.decisions));
        }
    }
    check_reconcile(&s, &rules, &orders, &mut errs);
    errs.into_iter().map(|e| format!("{} ({}): {e}", path.display(), s.description)).collect()
}

#[test]
fn every_readback_scenario_holds() {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml") && !p.ends_with("base.toml"))
        .collect();
    files.sort();
    assert!(files.len() >= 7, "expected every scenario, found {}", files.len());
    let errs: Vec<String> = files.iter().flat_map(|p| check(p)).collect();
    assert!(errs.is_empty(), "\n{}", errs.join("\n"));
}
