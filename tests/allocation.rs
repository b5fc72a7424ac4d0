//! Invariants of the allocation plan under random stock and velocity. The
//! hand-checked cases live in tests/scenarios/inventory.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "test helpers fail loudly")]

use std::collections::BTreeMap;
use std::path::Path;

use omnideck::config::Config;
use omnideck::core::allocation::{Plan, PlanInput, ScarcityPolicy, plan, scarcity_changes};
use omnideck::core::ids::{ChannelId, LocationId, Sku};
use omnideck::core::money::Money;
use omnideck::core::pools::Sellable;
use omnideck::core::rules::Rules;
use omnideck::core::stock::{Inbounds, StockPosition};
use rust_decimal::Decimal;
use rust_decimal_macros::dec;

const BRAND: &str = r#"
[brand]
name = "T"
report_currency = "USD"
time_zone = "UTC"

[channels.dtc]
name = "DTC"
kind = "shopify"
currency = "USD"
status = "active"
allocation = { buffer = { fixed = 2 }, priority = 1 }

[channels.fba]
name = "FBA"
kind = "amazon"
fulfilment = "fba"
currency = "USD"
status = "active"
allocation = { buffer = { percent = 0.1 }, priority = 2 }

[channels.faire]
name = "Faire"
kind = "faire"
currency = "USD"
status = "active"
wholesale = true
allocation = { buffer = { fixed = 0 }, priority = 3 }

[locations.wh]
name = "WH"
kind = "own_warehouse"
serves = ["dtc", "faire"]
safety_stock = 5

[locations.fba-loc]
name = "FBA"
kind = "fba"
serves = ["fba", "dtc"]

[catalog.A]
title = "A"
landed_cost = "5.00"

[catalog.B]
title = "B"
landed_cost = "1.00"

[catalog.KIT]
title = "Kit"
landed_cost = "11.00"
components = [{ sku = "A", qty = 2 }, { sku = "B", qty = 1 }]
"#;

fn rules(text: &str) -> Rules {
    Config::parse(Path::new("scenario.toml"), text).unwrap().rules
}

fn pos(sku: &str, loc: &str, on_hand: u32, committed: u32) -> StockPosition {
    StockPosition {
        sku: Sku::new(sku).unwrap(),
        location: LocationId::new(loc).unwrap(),
        on_hand,
        committed,
        reserved: 0,
        unfulfillable: 0,
        inbound: Inbounds::new(),
    }
}

fn key(sku: &str, ch: &str) -> (Sku, ChannelId) {
    (Sku::new(sku).unwrap(), ChannelId::new(ch).unwrap())
}

struct Case {
    rules: Rules,
    stock: Vec<StockPosition>,
    velocity: BTreeMap<(Sku, ChannelId), Decimal>,
    wholesale_open: BTreeMap<(Sku, ChannelId), u32>,
    contribution: BTreeMap<(Sku, ChannelId), Money>,
    policy: ScarcityPolicy,
}

impl Case {
    fn new(stock: Vec<StockPosition>) -> Self {
        Case {
            rules: rules(BRAND),
            stock,
            velocity: BTreeMap::new(),
            wholesale_open: BTreeMap::new(),
            contribution: BTreeMap::new(),
            policy: ScarcityPolicy::Priority,
        }
    }

    fn run(&self) -> Plan {
        let sellable = Sellable::new(&self.rules, &self.stock);
        let poll_hours = BTreeMap::new();
        plan(&PlanInput {
            rules: &self.rules,
            sellable: &sellable,
            velocity: &self.velocity,
            poll_hours: &poll_hours,
            contribution: &self.contribution,
            wholesale_open: &self.wholesale_open,
            scarcity_days: dec!(14),
            policy: self.policy,
        })
    }
}

fn qty(plan: &Plan, sku: &str, ch: &str) -> u32 {
    plan.lines.iter().find(|l| l.sku.as_str() == sku && l.channel.as_str() == ch).map(|l| l.qty).unwrap()
}

#[test]
fn entering_and_leaving_scarcity_are_events_with_reasons() {
    let mut low = Case::new(vec![pos("A", "wh", 25, 0)]);
    low.velocity.insert(key("A", "dtc"), dec!(2));
    let mut high = Case::new(vec![pos("A", "wh", 505, 0)]);
    high.velocity.insert(key("A", "dtc"), dec!(2));
    let (before, after) = (high.run(), low.run());
    let entered = scarcity_changes(&before, &after);
    assert_eq!(entered.len(), 1);
    assert!(entered[0].entered);
    // 25 − 5 safety = 20 sellable at 2/day: 10 days.
    assert_eq!(entered[0].reason, "entered scarcity: cover 10.0 days < 14 (20 sellable at 2.00/day)");
    let left = scarcity_changes(&after, &before);
    assert_eq!((left.len(), left[0].entered), (1, false));
    assert!(scarcity_changes(&after, &after).is_empty());
}

proptest::proptest! {
    #[test]
    fn plan_invariants(
        wh in 0u32..500, wh_committed in 0u32..100, fba in 0u32..300,
        vd in 0u32..40, vf in 0u32..40, vw in 0u32..10, open in 0u32..50, policy in 0usize..3,
    ) {
        let mut case = Case::new(vec![pos("A", "wh", wh, wh_committed), pos("A", "fba-loc", fba, 0)]);
        case.policy = [ScarcityPolicy::Priority, ScarcityPolicy::Contribution, ScarcityPolicy::Proportional][policy];
        case.velocity.insert(key("A", "dtc"), Decimal::from(vd));
        case.velocity.insert(key("A", "fba"), Decimal::from(vf));
        case.velocity.insert(key("A", "faire"), Decimal::from(vw));
        case.wholesale_open.insert(key("A", "faire"), open);
        let p = case.run();
        let sellable = Sellable::new(&case.rules, &case.stock);
        let total = sellable.total(&Sku::new("A").unwrap());
        let wh_only = sellable.at(&Sku::new("A").unwrap(), &LocationId::new("wh").unwrap());
        if !p.scarce.is_empty() {
            let sum: u32 = p.lines.iter().filter(|l| l.sku.as_str() == "A").map(|l| l.qty).sum();
            proptest::prop_assert!(sum <= total, "Σ {sum} > sellable {total}");
        }
        // FBA-only units never back dtc (no MCF) or faire.
        proptest::prop_assert!(qty(&p, "A", "dtc") <= wh_only);
        proptest::prop_assert!(qty(&p, "A", "faire") <= wh_only);
        proptest::prop_assert!(p.lines.iter().all(|l| !l.reason.is_empty()));
        proptest::prop_assert_eq!(p, case.run());
    }
}
