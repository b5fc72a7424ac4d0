//! Whether the decisions recorded in the read week were carried out.
//!
//! A decision concerns an item of the review (its key: a condition such as
//! `cover:SKU-1`, a next decision such as `retire:ebay-us`, a collision's
//! `promo:SKU:channel`), or else the channel and SKU it names. The rule:
//! - **carried out**: what it concerned no longer holds in the current
//!   read (the condition cleared, the flag or collision is gone, the
//!   retire signal stopped);
//! - **overdue**: it still holds and its follow-up date has passed (a
//!   decision without one is due a [`REVIEW_PERIOD`] after it was taken:
//!   by the next weekly review);
//! - **not yet**: it still holds and the follow-up is still ahead, or the
//!   decision names nothing the read can check (then it is never called
//!   overdue on no evidence; the reason says to confirm it by hand).
//!
//! An escalation event a decision closed stays closed, so the check looks
//! at the condition behind it, never at the event's state.

use std::collections::BTreeSet;

use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp};
use serde::Serialize;

use super::week::WeekId;
use crate::core::collisions::Collision;
use crate::core::decisions::Decision;
use crate::core::escalation::Condition;

/// When a decision without a follow-up date is due: the next weekly review.
pub const REVIEW_PERIOD: SignedDuration = SignedDuration::from_hours(7 * 24);

/// A decision as the store kept it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Recorded {
    pub at: Timestamp,
    pub who: String,
    pub channel: Option<String>,
    pub sku: Option<String>,
    /// The review item or event it was taken on.
    pub key: Option<String>,
    pub text: String,
    pub follow_up: Option<Timestamp>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Carried {
    CarriedOut,
    NotYet,
    Overdue,
}

impl Carried {
    pub fn word(self) -> &'static str {
        match self {
            Carried::CarriedOut => "carried out",
            Carried::NotYet => "not yet",
            Carried::Overdue => "OVERDUE",
        }
    }
}

/// One recorded decision and where it stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DecisionCheck {
    pub decision: Recorded,
    pub status: Carried,
    pub due: Timestamp,
    pub reason: String,
}

/// The keys of everything that holds in the current read: conditions,
/// every next decision (unbounded), and each collision's `promo:SKU:channel`.
pub fn live_keys(conditions: &[Condition], next: &[Decision], collisions: &[Collision]) -> BTreeSet<String> {
    let mut keys: BTreeSet<String> = conditions.iter().map(|c| c.key.clone()).collect();
    keys.extend(next.iter().map(|d| d.key.clone()));
    for c in collisions {
        for sku in &c.skus {
            keys.extend(c.channels.iter().map(|ch| format!("promo:{sku}:{ch}")));
        }
    }
    keys
}

/// The decisions recorded in `week` (in `zone`), oldest first, each with
/// its status at `now` against `live` (see [`live_keys`]).
pub fn carried_out(
    decisions: &[Recorded],
    week: WeekId,
    zone: &TimeZone,
    live: &BTreeSet<String>,
    now: Timestamp,
) -> Vec<DecisionCheck> {
    let mut out: Vec<DecisionCheck> =
        decisions.iter().filter(|d| WeekId::of(d.at, zone) == week).map(|d| check(d, live, now)).collect();
    out.sort_by(|a, b| (a.decision.at, &a.decision.key).cmp(&(b.decision.at, &b.decision.key)));
    out
}

fn check(d: &Recorded, live: &BTreeSet<String>, now: Timestamp) -> DecisionCheck {
    let due = d.follow_up.unwrap_or(d.at + REVIEW_PERIOD);
    let (status, reason) = match concern(d) {
        None => (Carried::NotYet, "names no item, channel or SKU the read can check; confirm by hand".to_owned()),
        Some(what) if !holds(d, live) => (Carried::CarriedOut, format!("{what} no longer holds")),
        Some(what) if now >= due => (Carried::Overdue, format!("{what} still holds past its follow-up")),
        Some(what) => (Carried::NotYet, format!("{what} still holds; follow-up not reached")),
    };
    DecisionCheck { decision: d.clone(), status, due, reason }
}

/// What the decision is about, in words, or `None` when it names nothing.
fn concern(d: &Recorded) -> Option<String> {
    if let Some(k) = &d.key {
        return Some(format!("`{k}`"));
    }
    match (&d.channel, &d.sku) {
        (Some(c), Some(s)) => Some(format!("an item on {s} at {c}")),
        (Some(c), None) => Some(format!("an item on {c}")),
        (None, Some(s)) => Some(format!("an item on {s}")),
        (None, None) => None,
    }
}

/// Whether the decision's concern holds: its key (or the condition behind
/// an `escalation:` key) is live, or, without a key, some live key names
/// its channel and SKU among its `:`-separated parts.
fn holds(d: &Recorded, live: &BTreeSet<String>) -> bool {
    if let Some(k) = &d.key {
        return live.contains(k) || k.strip_prefix("escalation:").is_some_and(|inner| live.contains(inner));
    }
    let wanted: Vec<&str> = [&d.channel, &d.sku].into_iter().flatten().map(String::as_str).collect();
    live.iter().any(|k| {
        let parts: Vec<&str> = k.split(':').collect();
        wanted.iter().all(|w| parts.contains(w))
    })
}
