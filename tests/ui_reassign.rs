//! A reassignment in the review takes effect: the engine shows the event
//! with its new owner, the Escalations pane groups it under that owner,
//! and both hold over a restart and over the SLA that would otherwise
//! hand the event up the chain.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "test helpers fail loudly")]

mod ui_support;

use jiff::{SignedDuration, Timestamp};
use omnideck::core::escalation::State as EventState;
use omnideck::live::Engine;
use omnideck::store::Store;
use omnideck::ui::CockpitView;
use ui_support::{config, gate_report};

fn t0() -> Timestamp {
    "2026-11-25T17:00:00Z".parse().unwrap()
}

/// The owners of the escalation rows the pane would show, in its order,
/// and the owner of the row for `key`.
fn pane_owners(cockpit: &omnideck::core::evaluate::Cockpit, key: &str) -> (Vec<String>, String) {
    let view = CockpitView::from_read(cockpit, &cockpit.events, &[], &gate_report(&config()));
    let rows = view.read.unwrap().escalations;
    let owner = rows.iter().find(|r| r.key == key).map(|r| r.owner.clone()).expect("the event's row");
    (rows.into_iter().map(|r| r.owner).collect(), owner)
}

#[test]
fn a_reassigned_event_sits_with_its_new_owner_across_a_restart_and_its_sla() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(dir.path()).unwrap();
    let mut engine = Engine::new(config(), &[], t0());
    // No source has answered yet: every one of them is a stale-source event.
    let first = engine.evaluate(t0(), Some(&store)).unwrap();
    let event = first.events.iter().find(|e| e.state == EventState::Open && e.assignee.is_some()).unwrap();
    let (key, was) = (event.key.clone(), event.assignee.clone().unwrap());
    let to = "Dana Reyes";
    assert_ne!(was, to);

    store.add_reassignment(&key, "maya", t0() + SignedDuration::from_mins(1), to).unwrap();
    let second = engine.evaluate(t0() + SignedDuration::from_mins(2), Some(&store)).unwrap();
    let moved = second.events.iter().find(|e| e.key == key).unwrap();
    assert_eq!(moved.assignee.as_deref(), Some(to), "the evaluated read names the new owner");
    let (owners, owner) = pane_owners(&second, &key);
    assert_eq!(owner, to);
    let first_at = owners.iter().position(|o| o == to).unwrap();
    let last_at = owners.iter().rposition(|o| o == to).unwrap();
    assert!(owners[first_at..=last_at].iter().all(|o| o == to), "grouped under {to}: {owners:?}");
    engine.save_events(&mut store, t0() + SignedDuration::from_mins(2)).unwrap();
    drop((engine, store));

    // A new process: a fresh engine and store handle on the same data dir,
    // evaluated two days on, long past every SLA of the chain.
    let store = Store::open(dir.path()).unwrap();
    let mut engine = Engine::new(config(), &[], t0());
    engine.restore_events(&store).unwrap();
    let later = engine.evaluate(t0() + SignedDuration::from_hours(48), Some(&store)).unwrap();
    let kept = later.events.iter().find(|e| e.key == key).unwrap();
    assert_eq!(kept.assignee.as_deref(), Some(to), "the reassignment outlives a restart and the SLA");
    assert_eq!(pane_owners(&later, &key).1, to);
}

#[test]
fn a_reassignment_of_an_earlier_event_does_not_move_a_later_one() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(dir.path()).unwrap();
    let mut engine = Engine::new(config(), &[], t0());
    let first = engine.evaluate(t0(), Some(&store)).unwrap();
    let event = first.events.iter().find(|e| e.state == EventState::Open && e.assignee.is_some()).unwrap();
    let (key, owner) = (event.key.clone(), event.assignee.clone());
    // Made before this event opened: it belonged to an earlier one.
    store.add_reassignment(&key, "maya", t0() - SignedDuration::from_hours(1), "Dana Reyes").unwrap();
    let again = engine.evaluate(t0() + SignedDuration::from_mins(1), Some(&store)).unwrap();
    assert_eq!(again.events.iter().find(|e| e.key == key).unwrap().assignee, owner);
}
