//! Readback properties: channel figures sum to the consolidated total to
//! the cent, the read does not depend on input order, and next decisions
//! are sorted and bounded.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "test helpers fail loudly")]

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use jiff::civil::Weekday;
use jiff::{SignedDuration, Timestamp};
use omnideck::config::Config;
use omnideck::core::decisions::{DecisionInput, next_decisions};
use omnideck::core::escalation::{Event, Severity, State};
use omnideck::core::ids::{ChannelId, Sku};
use omnideck::core::money::Money;
use omnideck::core::orders::{Order, OrderLine, OrderStatus};
use omnideck::core::readback::{Readback, ReadbackInput, WeekId, readback};
use omnideck::core::rules::Rules;
use proptest::prelude::*;
use rust_decimal::Decimal;

const CHANNELS: [&str; 3] = ["dtc", "mkt", "eu"];

fn rules() -> Rules {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/scenarios/readback/base.toml");
    let mut text = std::fs::read_to_string(path).unwrap();
    for id in CHANNELS {
        text = text.replacen(&format!("status = \"gated\" # {id}-status"), "status = \"active\"", 1);
    }
    Config::parse(Path::new("base.toml"), &text).unwrap().rules
}

fn week() -> WeekId {
    "2026-W48".parse().unwrap()
}

/// (channel, qty, price in cents, discount in cents, hours after the
/// trail's first Monday, cancelled)
type Row = (usize, u32, i64, i64, i64, bool);

fn row() -> impl Strategy<Value = Row> {
    (0..3usize, 1..6u32, 100..20_000i64, 0..100i64, 0..(5 * 7 * 24i64), any::<bool>())
}

fn orders(rules: &Rules, rows: &[Row]) -> Vec<Order> {
    let start: Timestamp = "2026-11-02T05:00:00Z".parse().unwrap();
    rows.iter()
        .enumerate()
        .map(|(i, &(c, qty, cents, off, hours, cancelled))| {
            let channel = ChannelId::new(CHANNELS[c]).unwrap();
            let cur = rules.channels[&channel].currency;
            Order {
                id: format!("o{i}"),
                channel,
                placed_at: start + SignedDuration::from_hours(hours),
                status: if cancelled { OrderStatus::Cancelled } else { OrderStatus::Fulfilled },
                first_order: false,
                lines: vec![OrderLine {
                    sku: Sku::new("A").unwrap(),
                    qty,
                    unit_price: Some(Money::new(Decimal::new(cents, 2), cur)),
                    discount: Money::new(Decimal::new(off.min(cents), 2), cur),
                }],
            }
        })
        .collect()
}

fn read(rules: &Rules, orders: &[Order], exceptions: &BTreeMap<(ChannelId, WeekId), u32>) -> Readback {
    readback(&ReadbackInput {
        rules,
        orders,
        estimates: &[],
        week: week(),
        exceptions,
        stock_outs: &[],
        stale: &BTreeSet::new(),
        stored: &[],
    })
}

fn exceptions(counts: &[u32]) -> BTreeMap<(ChannelId, WeekId), u32> {
    counts.iter().enumerate().map(|(i, n)| ((ChannelId::new(CHANNELS[i % 3]).unwrap(), week()), *n)).collect()
}

fn event(i: usize, sev: u8) -> Event {
    let at: Timestamp = "2026-11-27T12:00:00Z".parse().unwrap();
    Event {
        key: format!("e{i}"),
        channel: Some(ChannelId::new(CHANNELS[i % 3]).unwrap()),
        severity: match sev % 3 {
            0 => Severity::Info,
            1 => Severity::Warning,
            _ => Severity::Critical,
        },
        summary: format!("event {i}"),
        state: State::Open,
        opened_at: at,
        updated_at: at,
        level: 0,
        assignee: None,
        lapsed: false,
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn channel_figures_sum_to_the_consolidated_total(rows in prop::collection::vec(row(), 0..40), ex in prop::collection::vec(0..5u32, 0..3)) {
        let rules = rules();
        let r = read(&rules, &orders(&rules, &rows), &exceptions(&ex));
        prop_assert!(r.problems.is_empty(), "{:?}", r.problems);
        let sum = |f: &dyn Fn(&omnideck::core::readback::WeekFigures) -> Decimal| -> Decimal {
            r.channels.iter().map(|c| f(&c.report)).sum()
        };
        prop_assert_eq!(sum(&|w| w.contribution.amount), r.total.contribution.amount);
        prop_assert_eq!(sum(&|w| w.revenue.amount), r.total.revenue.amount);
        prop_assert_eq!(sum(&|w| w.after_operating_cost.amount), r.total.after_operating_cost.amount);
        prop_assert_eq!(sum(&|w| w.operating.total.amount), r.total.operating.total.amount);
        for c in &r.channels {
            for w in c.weeks.iter().chain([&c.report]) {
                // Every figure is already at the minor unit: nothing to round.
                prop_assert_eq!(w.contribution, w.contribution.rounded());
                let parts = w.revenue.amount - w.cogs.amount - w.fees.amount - w.fulfilment.amount;
                prop_assert_eq!(parts, w.contribution.amount);
            }
        }
    }

    #[test]
    fn the_read_does_not_depend_on_input_order(rows in prop::collection::vec(row(), 0..30), ex in prop::collection::vec(0..5u32, 0..3), seed in any::<u64>()) {
        let rules = rules();
        let ordered = orders(&rules, &rows);
        let mut shuffled = ordered.clone();
        // A deterministic shuffle from the seed (Fisher–Yates on an LCG).
        let mut s = seed;
        for i in (1..shuffled.len()).rev() {
            s = s.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
            let j = usize::try_from(s >> 33).unwrap() % (i + 1);
            shuffled.swap(i, j);
        }
        let ex = exceptions(&ex);
        let a = read(&rules, &ordered, &ex);
        let b = read(&rules, &shuffled, &ex);
        prop_assert_eq!(&a.channels, &b.channels);
        prop_assert_eq!(&a.total, &b.total);
        let again = read(&rules, &ordered, &ex);
        prop_assert_eq!(&a.channels, &again.channels);
    }

    #[test]
    fn next_decisions_are_sorted_and_bounded(rows in prop::collection::vec(row(), 0..30), sevs in prop::collection::vec(any::<u8>(), 0..15), limit in 0..10usize) {
        let rules = rules();
        let r = read(&rules, &orders(&rules, &rows), &BTreeMap::new());
        let events: Vec<Event> = sevs.iter().enumerate().map(|(i, s)| event(i, *s)).collect();
        let mut reversed = events.clone();
        reversed.reverse();
        let input = |events: &[Event]| {
            let d = DecisionInput {
                rules: &rules,
                readback: &r,
                scarce: &[],
                flags: &[],
                collisions: &[],
                events,
                today: jiff::civil::date(2026, 11, 30),
                review_day: Weekday::Monday,
                limit,
            };
            next_decisions(&d)
        };
        let list = input(&events);
        prop_assert!(list.len() <= limit);
        let retiring = r.channels.iter().filter(|c| c.retire.is_some()).count();
        prop_assert_eq!(list.len(), limit.min(events.len() + retiring));
        for pair in list.windows(2) {
            let key = |d: &omnideck::core::decisions::Decision| (std::cmp::Reverse(d.at_stake.amount), std::cmp::Reverse(d.severity));
            prop_assert!(key(&pair[0]) <= key(&pair[1]), "{:?} before {:?}", pair[0], pair[1]);
        }
        for d in &list {
            prop_assert!(d.due >= jiff::civil::date(2026, 11, 30));
            prop_assert_eq!(d.at_stake.currency, rules.brand.fx.report);
        }
        prop_assert_eq!(list, input(&reversed));
    }
}
