//! Last week's decisions and whether they were carried out, case by case.
//! The read week is 2026-W48 in New York (Mon 23 Nov – Sun 29 Nov); the
//! review reads it on Monday 30 Nov at 10:00 New York (15:00 UTC).

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "test helpers fail loudly")]

use std::collections::BTreeSet;

use jiff::Timestamp;
use jiff::tz::TimeZone;
use omnideck::core::collisions::{Collision, CollisionKind};
use omnideck::core::escalation::{Condition, Severity};
use omnideck::core::ids::{ChannelId, Sku};
use omnideck::core::promotion::Window;
use omnideck::core::readback::{Carried, DecisionCheck, Recorded, WeekId, carried_out, live_keys};

fn ts(s: &str) -> Timestamp {
    s.parse().unwrap()
}

fn now() -> Timestamp {
    ts("2026-11-30T15:00:00Z")
}

fn decided(at: &str, key: Option<&str>, follow_up: Option<&str>) -> Recorded {
    Recorded {
        at: ts(at),
        who: "Maya Chen".into(),
        channel: None,
        sku: None,
        key: key.map(str::to_owned),
        text: format!("decided on {key:?}"),
        follow_up: follow_up.map(ts),
    }
}

fn check(decisions: &[Recorded], live: &[&str]) -> Vec<DecisionCheck> {
    let ny = TimeZone::get("America/New_York").unwrap();
    let live: BTreeSet<String> = live.iter().map(|s| (*s).to_owned()).collect();
    carried_out(decisions, "2026-W48".parse::<WeekId>().unwrap(), &ny, &live, now())
}

fn statuses(checks: &[DecisionCheck]) -> Vec<(Option<&str>, Carried)> {
    checks.iter().map(|c| (c.decision.key.as_deref(), c.status)).collect()
}

#[test]
fn a_cleared_condition_is_carried_out_whatever_the_follow_up() {
    // Follow-up Fri 27 Nov has passed, but cover:A is no longer low.
    let d = decided("2026-11-24T14:00:00Z", Some("cover:A"), Some("2026-11-27T14:00:00Z"));
    let got = check(&[d], &["stale:shopify"]);
    assert_eq!(statuses(&got), [(Some("cover:A"), Carried::CarriedOut)]);
    assert_eq!(got[0].reason, "`cover:A` no longer holds");
}

#[test]
fn a_condition_still_present_past_its_follow_up_is_overdue() {
    // Follow-up Fri 27 Nov 14:00 UTC < now (Mon 30 Nov 15:00 UTC).
    let d = decided("2026-11-24T14:00:00Z", Some("cover:A"), Some("2026-11-27T14:00:00Z"));
    let got = check(&[d], &["cover:A"]);
    assert_eq!(statuses(&got), [(Some("cover:A"), Carried::Overdue)]);
    assert_eq!(got[0].due, ts("2026-11-27T14:00:00Z"));
}

#[test]
fn without_a_follow_up_a_decision_is_due_a_week_after_it_was_taken() {
    // Taken Wed 25 Nov 15:00 UTC → due Wed 2 Dec 15:00 UTC, after now.
    let wed = decided("2026-11-25T15:00:00Z", Some("retire:mkt"), None);
    // Taken Mon 23 Nov 14:00 UTC → due Mon 30 Nov 14:00 UTC, an hour before now.
    let mon = decided("2026-11-23T14:00:00Z", Some("scarcity:B"), None);
    let got = check(&[wed, mon], &["retire:mkt", "scarcity:B"]);
    assert_eq!(statuses(&got), [(Some("scarcity:B"), Carried::Overdue), (Some("retire:mkt"), Carried::NotYet)]);
    assert_eq!(got[1].due, ts("2026-12-02T15:00:00Z"));
}

#[test]
fn an_escalation_decision_follows_the_condition_behind_the_event() {
    // Deciding closes the event; the condition floor:A:dtc still holds.
    let held = decided("2026-11-26T14:00:00Z", Some("escalation:floor:A:dtc"), Some("2026-11-28T14:00:00Z"));
    let gone = decided("2026-11-26T15:00:00Z", Some("escalation:stale:shopify"), Some("2026-11-28T14:00:00Z"));
    let got = check(&[held, gone], &["floor:A:dtc"]);
    assert_eq!(
        statuses(&got),
        [(Some("escalation:floor:A:dtc"), Carried::Overdue), (Some("escalation:stale:shopify"), Carried::CarriedOut)]
    );
}

#[test]
fn only_decisions_taken_in_the_read_week_in_the_brand_zone_are_listed() {
    // Sun 29 Nov 23:30 New York is Mon 30 Nov in UTC: still W48 for the brand.
    let late_sunday = decided("2026-11-30T04:30:00Z", Some("cover:A"), None);
    // Sun 22 Nov 23:30 New York: W47.
    let week_before = decided("2026-11-23T04:30:00Z", Some("cover:B"), None);
    // Mon 30 Nov 10:00 New York: this week, not yet read back.
    let this_week = decided("2026-11-30T15:00:00Z", Some("cover:C"), None);
    let got = check(&[late_sunday, week_before, this_week], &["cover:A", "cover:B", "cover:C"]);
    assert_eq!(statuses(&got), [(Some("cover:A"), Carried::NotYet)]);
}

#[test]
fn without_a_key_the_channel_and_sku_are_looked_for_in_the_live_keys() {
    let mut on_a = decided("2026-11-24T14:00:00Z", None, Some("2026-11-25T14:00:00Z"));
    on_a.channel = Some("dtc".into());
    on_a.sku = Some("A".into());
    let mut on_b = on_a.clone();
    on_b.sku = Some("B".into());
    let got = check(&[on_a, on_b], &["stockout:A:dtc", "stockout:B:mkt"]);
    let got: Vec<_> = got.iter().map(|c| (c.decision.sku.as_deref(), c.status)).collect();
    assert_eq!(got, [(Some("A"), Carried::Overdue), (Some("B"), Carried::CarriedOut)]);
}

#[test]
fn a_decision_naming_nothing_is_never_called_overdue() {
    let d = decided("2026-11-23T14:00:00Z", None, Some("2026-11-24T14:00:00Z"));
    let got = check(&[d], &["cover:A"]);
    assert_eq!(got[0].status, Carried::NotYet);
    assert!(got[0].reason.contains("confirm by hand"), "{}", got[0].reason);
}

#[test]
fn live_keys_hold_conditions_and_each_collisions_promo_items() {
    let cond = Condition {
        key: "cover:A".into(),
        channel: None,
        severity: Severity::Warning,
        summary: "A has 3.0 days of cover".into(),
    };
    let collision = Collision {
        kind: CollisionKind::CrossChannel,
        promotions: vec!["p1".into(), "p2".into()],
        channels: [ChannelId::new("dtc").unwrap(), ChannelId::new("mkt").unwrap()].into(),
        skus: [Sku::new("A").unwrap()].into(),
        window: Window { start: ts("2026-11-20T00:00:00Z"), end: Some(ts("2026-11-30T00:00:00Z")) },
        owners: BTreeSet::new(),
        stake: None,
        detail: String::new(),
    };
    let keys = live_keys(&[cond], &[], &[collision]);
    assert_eq!(keys.into_iter().collect::<Vec<_>>(), ["cover:A", "promo:A:dtc", "promo:A:mkt"]);
}
