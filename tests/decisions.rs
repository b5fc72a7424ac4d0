//! Next decisions from every source at once: owners, due dates, money at
//! stake and the ranking, checked by hand.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "test helpers fail loudly")]

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use jiff::Timestamp;
use jiff::civil::{Weekday, date};
use omnideck::config::Config;
use omnideck::core::allocation::Scarcity;
use omnideck::core::collisions::{Collision, CollisionKind, Stake};
use omnideck::core::decisions::{DecisionInput, DecisionKind, next_decisions};
use omnideck::core::escalation::{Event, Severity, State};
use omnideck::core::ids::{ChannelId, Sku};
use omnideck::core::money::{Currency, Money};
use omnideck::core::orders::{Order, OrderLine, OrderStatus};
use omnideck::core::price_flags::{FlagKind, PriceFlag};
use omnideck::core::promotion::Window;
use omnideck::core::readback::{ReadbackInput, readback};
use rust_decimal::Decimal;
use rust_decimal_macros::dec;

fn usd(d: Decimal) -> Money {
    Money::new(d, Currency::USD)
}

fn ch(s: &str) -> ChannelId {
    ChannelId::new(s).unwrap()
}

fn ts(s: &str) -> Timestamp {
    s.parse().unwrap()
}

#[test]
fn decisions_from_every_source_rank_by_stake_then_severity() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/scenarios/readback/base.toml");
    let text =
        std::fs::read_to_string(path).unwrap().replacen("status = \"gated\" # dtc-status", "status = \"active\"", 1);
    let rules = Config::parse(Path::new("base.toml"), &text).unwrap().rules;
    let a = Sku::new("A").unwrap();
    // dtc W48: 4 × A at 50.00 → revenue 200.00; contribution 172.00,
    // after 122.00: helping, no retire signal.
    let orders = vec![Order {
        id: "d1".into(),
        channel: ch("dtc"),
        placed_at: ts("2026-11-24T15:00:00Z"),
        status: OrderStatus::Fulfilled,
        first_order: false,
        lines: vec![OrderLine { sku: a.clone(), qty: 4, unit_price: Some(usd(dec!(50))), discount: usd(dec!(0)) }],
    }];
    let read = readback(&ReadbackInput {
        rules: &rules,
        orders: &orders,
        estimates: &[],
        week: "2026-W48".parse().unwrap(),
        exceptions: &BTreeMap::new(),
        stock_outs: &[],
        stale: &BTreeSet::new(),
        stored: &[],
    });
    assert!(read.channels[0].retire.is_none());
    let scarce = vec![Scarcity { sku: a.clone(), sellable: 3, cover_days: dec!(2), reason: "3 units, 2 days".into() }];
    let flags = vec![PriceFlag {
        kind: FlagKind::BelowMap { price: usd(dec!(45)), map: usd(dec!(48)), promotion: None },
        channel: ch("dtc"),
        sku: Some(a.clone()),
        owner: None,
        price_source: None,
    }];
    let collisions = vec![Collision {
        kind: CollisionKind::CrossChannel,
        promotions: vec!["p1".into(), "p2".into()],
        channels: [ch("dtc"), ch("mkt")].into(),
        skus: [a.clone()].into(),
        window: Window::new(ts("2026-11-27T00:00:00Z"), None).unwrap(),
        owners: BTreeSet::new(),
        stake: Some(Stake { expected_units: dec!(10), discount: usd(dec!(50)), margin_given_up: usd(dec!(35.5)) }),
        detail: "p1 and p2 both discount A".into(),
    }];
    let events = vec![Event {
        key: "stale:mkt".into(),
        channel: Some(ch("mkt")),
        severity: Severity::Critical,
        summary: "mkt source stale".into(),
        state: State::Open,
        opened_at: ts("2026-11-27T12:00:00Z"),
        updated_at: ts("2026-11-27T12:00:00Z"),
        level: 0,
        assignee: Some("Milo".into()),
        lapsed: false,
    }];
    let input = DecisionInput {
        rules: &rules,
        readback: &read,
        scarce: &scarce,
        flags: &flags,
        collisions: &collisions,
        events: &events,
        today: date(2026, 11, 27),
        review_day: Weekday::Monday,
        limit: 3,
    };
    let got: Vec<(DecisionKind, String, Option<String>, Severity, jiff::civil::Date)> = next_decisions(&input)
        .into_iter()
        .map(|d| (d.kind, d.at_stake.to_string(), d.owner, d.severity, d.due))
        .collect();
    // Scarcity and the MAP flag both put the week's 200.00 of A on dtc at
    // stake; the MAP breach is critical so it ranks first and is due today.
    // The scarcity warning is due in 3 days. The collision (35.50) comes
    // next; the escalation (0.00) falls off the list of 3.
    let dana = Some("Dana".to_owned());
    assert_eq!(
        got,
        vec![
            (DecisionKind::PriceFlag, "200.00 USD".into(), dana.clone(), Severity::Critical, date(2026, 11, 27)),
            (DecisionKind::Scarcity, "200.00 USD".into(), dana.clone(), Severity::Warning, date(2026, 11, 30)),
            (DecisionKind::Collision, "35.50 USD".into(), dana, Severity::Warning, date(2026, 11, 30)),
        ]
    );
    let all = next_decisions(&DecisionInput { limit: 7, ..input });
    let last = all.last().unwrap();
    assert_eq!(
        (last.kind, last.owner.as_deref(), last.due),
        (DecisionKind::Escalation, Some("Milo"), date(2026, 11, 27))
    );
}
