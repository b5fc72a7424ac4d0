//! Replanning after one order event gives exactly the read a full
//! recompute gives, for random stock, sales and events, kits of kits
//! included. The bench (benches/plan.rs) shows it is also cheap.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "test helpers fail loudly")]

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use jiff::{SignedDuration, Timestamp};
use omnideck::config::Config;
use omnideck::core::ids::{ChannelId, LocationId, Sku, SourceId};
use omnideck::core::inventory::Planner;
use omnideck::core::inventory_facts::Facts;
use omnideck::core::money::{Currency, Money};
use omnideck::core::orders::{Order, OrderLine, OrderStatus};
use omnideck::core::rules::Rules;
use omnideck::core::snapshot::{Snapshot, Sourced};
use omnideck::core::stock::{Inbounds, StockPosition};
use proptest::prelude::*;

const BRAND: &str = r#"
[brand]
name = "T"
report_currency = "USD"
time_zone = "America/New_York"

[inventory]
scarcity_cover_days = 14

[channels.dtc]
name = "DTC"
kind = "shopify"
currency = "USD"
status = "active"
allocation = { buffer = "sync_lag", priority = 1 }

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
safety_stock = 2

[locations.fba-loc]
name = "FBA"
kind = "fba"
serves = ["fba"]

[suppliers.knit]
name = "Knit"
cadence_days = 14

[catalog.A]
title = "A"
landed_cost = "5.00"
case_pack = 6
lead_time_days = 20
supplier = "knit"

[catalog.B]
title = "B"
landed_cost = "1.00"
supplier = "knit"
lead_time_days = 10

[catalog.C]
title = "C"
landed_cost = "1.00"

[catalog.KIT]
title = "Kit"
landed_cost = "11.00"
components = [{ sku = "A", qty = 2 }, { sku = "B", qty = 1 }]

[catalog.BOX]
title = "Box of a kit and a C"
landed_cost = "13.00"
components = [{ sku = "KIT", qty = 1 }, { sku = "C", qty = 2 }]
"#;

const SKUS: [&str; 5] = ["A", "B", "C", "KIT", "BOX"];
const CHANNELS: [&str; 3] = ["dtc", "fba", "faire"];

fn rules() -> Rules {
    Config::parse(Path::new("replan.toml"), BRAND).unwrap().rules
}

fn now() -> Timestamp {
    "2026-11-27T17:00:00Z".parse().unwrap()
}

fn order(id: usize, sku: usize, channel: usize, qty: u32, days_ago: i64, open: bool) -> Sourced<Order> {
    let usd = Money::zero(Currency::USD);
    Sourced {
        source: SourceId::new("orders").unwrap(),
        value: Order {
            id: format!("o{id}"),
            channel: ChannelId::new(CHANNELS[channel]).unwrap(),
            placed_at: now() - SignedDuration::from_hours(24 * days_ago),
            status: if open { OrderStatus::Open } else { OrderStatus::Fulfilled },
            first_order: false,
            lines: vec![OrderLine { sku: Sku::new(SKUS[sku]).unwrap(), qty, unit_price: Some(usd), discount: usd }],
        },
    }
}

fn stock(sku: usize, loc: bool, on_hand: u32) -> Sourced<StockPosition> {
    Sourced {
        source: SourceId::new("wms").unwrap(),
        value: StockPosition {
            sku: Sku::new(SKUS[sku]).unwrap(),
            location: LocationId::new(if loc { "fba-loc" } else { "wh" }).unwrap(),
            on_hand,
            committed: 0,
            reserved: 0,
            unfulfillable: 0,
            inbound: Inbounds::new(),
        },
    }
}

type OrderSpec = (usize, usize, u32, i64, bool);

fn orders() -> impl Strategy<Value = Vec<OrderSpec>> {
    proptest::collection::vec((0usize..5, 0usize..3, 1u32..30, 0i64..40, any::<bool>()), 0..12)
}

proptest! {
    #[test]
    fn replanning_one_event_equals_a_full_recompute(
        shelves in proptest::collection::vec((0usize..3, any::<bool>(), 0u32..200), 0..6),
        history in orders(),
        event in (0usize..5, 0usize..3, 1u32..60, 0i64..40, any::<bool>()),
        reuse in proptest::option::of(0usize..12),
    ) {
        let rules = rules();
        let snapshot = Snapshot {
            stock: shelves.iter().map(|(s, l, n)| stock(*s, *l, *n)).collect(),
            orders: history.iter().enumerate().map(|(i, o)| order(i, o.0, o.1, o.2, o.3, o.4)).collect(),
            ..Snapshot::default()
        };
        // The event is a new order, or a later state of an earlier one.
        let (sku, channel, qty, days_ago, open) = event;
        let earlier = reuse.and_then(|i| history.get(i).map(|o| (i, o.1)));
        let (id, channel) = earlier.unwrap_or((history.len(), channel));
        let event = order(id, sku, channel, qty, days_ago, open);

        let contribution = BTreeMap::new();
        let oos = BTreeSet::new();
        let planner = Planner::new(&rules, &contribution, &oos, now());
        let mut facts = Facts::new(&snapshot, &rules);
        let mut read = planner.plan(&facts);
        let changed = facts.add_order(&rules, &event.source, &event.value);
        planner.replan(&mut read, &facts, &changed);

        let mut after = snapshot.clone();
        after.orders.retain(|o| !(o.value.id == event.value.id && o.value.channel == event.value.channel));
        after.orders.push(event.clone());
        let full = planner.plan(&Facts::new(&after, &rules));
        prop_assert_eq!(read, full);
    }
}
