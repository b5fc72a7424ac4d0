//! Reassignments from the review take effect on the escalation events.
//!
//! The store keeps every reassignment; after each evaluation the latest
//! one for an event, made while that event was open, names who it sits
//! with. It is applied again after every step, so it holds over a restart
//! and over an SLA escalation: the operator chose the owner, and the chain
//! only moves an event nobody has picked up.

use std::collections::BTreeMap;

use crate::core::escalation::Event;
use crate::core::text::clean;
use crate::store::Reassignment;

/// Set each event's assignee from the latest reassignment of its key made
/// at or after it opened; one made for an earlier event of the same
/// condition does not carry over to a later one.
pub(super) fn apply(events: &mut [Event], reassignments: &[Reassignment]) {
    let mut latest: BTreeMap<&str, Vec<&Reassignment>> = BTreeMap::new();
    for r in reassignments {
        latest.entry(r.item_key.as_str()).or_default().push(r);
    }
    for e in events {
        let Some(made) = latest.get(e.key.as_str()) else { continue };
        // The store lists them oldest first.
        if let Some(r) = made.iter().rev().find(|r| r.at >= e.opened_at) {
            e.assignee = Some(clean(&r.assignee).into_owned());
        }
    }
}
