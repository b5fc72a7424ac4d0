//! The escalation state machine: examples on the demo channels, and
//! properties under random conditions, acknowledgements and decisions.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "test helpers fail loudly")]

use std::collections::BTreeMap;
use std::path::Path;

use jiff::{SignedDuration, Timestamp};
use omnideck::config::Config;
use omnideck::core::channel::Channels;
use omnideck::core::escalation::{Actions, Condition, Event, Severity, Slas, State, due_at, step};
use omnideck::core::ids::ChannelId;

fn channels() -> Channels {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/demo/omnideck.toml");
    Config::load(&path).unwrap().rules.channels
}

fn t0() -> Timestamp {
    "2026-11-23T09:00:00Z".parse().unwrap()
}

fn hours(h: i64) -> Timestamp {
    t0() + SignedDuration::from_hours(h)
}

fn stale_amazon() -> Condition {
    Condition {
        key: "stale:amazon-us".into(),
        channel: Some(ChannelId::new("amazon-us-fba").unwrap()),
        severity: Severity::Critical,
        summary: "amazon-us has not answered for 7 h".into(),
    }
}

#[test]
fn an_unacknowledged_critical_event_moves_along_the_chain_once_per_sla() {
    let (ch, slas) = (channels(), Slas::default());
    let c = [stale_amazon()];
    let none = Actions::default();
    let e = step(&[], &c, &none, &ch, &slas, hours(0));
    assert_eq!((e.len(), e[0].state, e[0].assignee.as_deref()), (1, State::Open, Some("Priya Natarajan")));
    assert_eq!(due_at(&e[0], &ch, &slas), Some(hours(4)));
    let e = step(&e, &c, &none, &ch, &slas, hours(3));
    assert_eq!(e[0].level, 0, "not before the 4 h SLA");
    let e = step(&e, &c, &none, &ch, &slas, hours(4));
    assert_eq!((e[0].level, e[0].assignee.as_deref()), (1, Some("Sam Ortiz")));
    let e = step(&e, &c, &none, &ch, &slas, hours(5));
    assert_eq!(e[0].level, 1, "moved exactly once; the chain has one more person only");
    let e = step(&e, &c, &none, &ch, &slas, hours(40));
    assert_eq!((e.len(), e[0].level), (1, 1), "deduplicated, and the chain is exhausted");
    assert_eq!(due_at(&e[0], &ch, &slas), None);
}

#[test]
fn acknowledging_stops_escalation_and_clearing_resolves() {
    let (ch, slas) = (channels(), Slas::default());
    let c = [stale_amazon()];
    let e = step(&[], &c, &Actions::default(), &ch, &slas, hours(0));
    let ack = Actions { acknowledged: [c[0].key.clone()].into(), ..Actions::default() };
    let e = step(&e, &c, &ack, &ch, &slas, hours(1));
    assert_eq!(e[0].state, State::Acknowledged);
    let e = step(&e, &c, &Actions::default(), &ch, &slas, hours(30));
    assert_eq!((e[0].state, e[0].level), (State::Acknowledged, 0));
    let e = step(&e, &[], &Actions::default(), &ch, &slas, hours(31));
    assert_eq!((e[0].state, e[0].updated_at), (State::Resolved, hours(31)));
    // The condition returning opens a fresh event; the old one stays history.
    let e = step(&e, &c, &Actions::default(), &ch, &slas, hours(32));
    assert_eq!(e.iter().map(|x| x.state).collect::<Vec<_>>(), vec![State::Resolved, State::Open]);
}

#[test]
fn a_decision_closes_an_event() {
    let (ch, slas) = (channels(), Slas::default());
    let c = [stale_amazon()];
    let e = step(&[], &c, &Actions::default(), &ch, &slas, hours(0));
    let decided = Actions { decided: [c[0].key.clone()].into(), ..Actions::default() };
    let e = step(&e, &c, &decided, &ch, &slas, hours(2));
    assert_eq!(e[0].state, State::Decided);
    let e = step(&e, &c, &Actions::default(), &ch, &slas, hours(20));
    assert_eq!(e.len(), 1, "a decided condition that still holds is not raised again");
    let e = step(&e, &[], &Actions::default(), &ch, &slas, hours(21));
    assert!(e[0].lapsed);
    let e = step(&e, &c, &Actions::default(), &ch, &slas, hours(22));
    assert_eq!(e.iter().map(|x| x.state).collect::<Vec<_>>(), vec![State::Decided, State::Open]);
}

fn conditions(mask: u8) -> Vec<Condition> {
    let keys =
        [("stale:amazon-us", "amazon-us-fba"), ("floor:A:ebay-us", "ebay-us"), ("oos:B:shopify-dtc", "shopify-dtc")];
    keys.iter()
        .enumerate()
        .filter(|(i, _)| mask & (1 << i) != 0)
        .map(|(i, (k, c))| Condition {
            key: (*k).into(),
            channel: Some(ChannelId::new(*c).unwrap()),
            severity: [Severity::Critical, Severity::Warning, Severity::Info][i],
            summary: (*k).into(),
        })
        .collect()
}

proptest::proptest! {
    #[test]
    fn no_skipped_states_one_move_per_sla_and_dedup(
        steps in proptest::collection::vec((0u8..8, 0u8..8, 0u8..8, 1i64..30), 1..40)
    ) {
        let (ch, slas) = (channels(), Slas::default());
        let mut events: Vec<Event> = Vec::new();
        let mut now = t0();
        for (mask, ack, dec, dt) in steps {
            now += SignedDuration::from_hours(dt);
            let conds = conditions(mask);
            let keys: Vec<String> = conditions(7).into_iter().map(|c| c.key).collect();
            let pick = |m: u8| keys.iter().enumerate().filter(|(i, _)| m & (1 << i) != 0).map(|(_, k)| k.clone()).collect();
            let actions = Actions { acknowledged: pick(ack), decided: pick(dec & !mask) };
            let next = step(&events, &conds, &actions, &ch, &slas, now);
            for (before, after) in events.iter().zip(&next) {
                proptest::prop_assert_eq!(&before.key, &after.key);
                proptest::prop_assert!(before.state == after.state || before.state.may_become(after.state));
                proptest::prop_assert!(after.level <= before.level + 1, "moves at most once per step");
                if after.level > before.level {
                    let sla = slas.for_severity(after.severity);
                    let due = after.opened_at + sla * i32::try_from(after.level).unwrap();
                    proptest::prop_assert!(now >= due, "moved before its SLA");
                }
                // Past its SLA, open, unacted on and with someone left in
                // the chain, an event moves: exactly one level per step.
                let owed = due_at(before, &ch, &slas).is_some_and(|due| now >= due);
                if owed && after.state == State::Open {
                    proptest::prop_assert_eq!(after.level, before.level + 1, "an SLA that passed moves the event");
                }
                if before.state.is_closed() {
                    // Only a decided event's condition lapsing may be noted.
                    let mut b = before.clone();
                    b.lapsed = after.lapsed;
                    proptest::prop_assert_eq!(&b, after);
                    proptest::prop_assert!(!before.lapsed || after.lapsed);
                }
            }
            let mut live: BTreeMap<&str, usize> = BTreeMap::new();
            for e in next.iter().filter(|e| !e.state.is_closed()) {
                *live.entry(e.key.as_str()).or_default() += 1;
            }
            proptest::prop_assert!(live.values().all(|n| *n == 1), "one live event per condition");
            let quiet = |k: &str| next.iter().any(|e| e.key == k && e.state == State::Decided && !e.lapsed);
            for c in &conds {
                proptest::prop_assert!(live.contains_key(c.key.as_str()) || quiet(&c.key), "a holding condition has an event");
                proptest::prop_assert!(!(live.contains_key(c.key.as_str()) && quiet(&c.key)), "never both");
            }
            events = next;
        }
    }
}
