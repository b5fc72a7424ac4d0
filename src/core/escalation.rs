//! Escalations: unusual conditions become events with a severity, the
//! channel's named owner and an SLA.
//!
//! States: open → acknowledged → resolved (the condition cleared) or
//! decided (a decision recorded); open may also go straight to resolved or
//! decided. An event is keyed by its condition, so it is raised once while
//! the condition holds (a decided event keeps it quiet until the condition
//! clears). Unacknowledged past its SLA it moves to the next
//! person in the channel's chain, once per SLA period, until the chain ends.

use std::collections::{BTreeMap, BTreeSet};

use jiff::{SignedDuration, Timestamp};
use serde::{Deserialize, Serialize};

use super::channel::Channels;
use super::ids::ChannelId;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Critical,
}

impl Severity {
    /// A word that carries the severity without colour.
    pub fn word(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Critical => "CRITICAL",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum State {
    Open,
    Acknowledged,
    Resolved,
    Decided,
}

impl State {
    pub fn is_closed(self) -> bool {
        matches!(self, State::Resolved | State::Decided)
    }

    /// The edges of the state machine.
    pub fn may_become(self, next: State) -> bool {
        matches!(
            (self, next),
            (State::Open, State::Acknowledged | State::Resolved | State::Decided)
                | (State::Acknowledged, State::Resolved | State::Decided)
        )
    }
}

/// A condition that holds now, as a rule found it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Condition {
    /// Stable while the condition holds, e.g. `stale:amazon-us`.
    pub key: String,
    pub channel: Option<ChannelId>,
    pub severity: Severity,
    pub summary: String,
}

/// One escalation event and where it stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Event {
    pub key: String,
    pub channel: Option<ChannelId>,
    pub severity: Severity,
    pub summary: String,
    pub state: State,
    pub opened_at: Timestamp,
    pub updated_at: Timestamp,
    /// 0 = the channel owner; n = the n-th person in the chain.
    pub level: usize,
    /// Who it sits with now.
    pub assignee: Option<String>,
    /// A decided event keeps its condition quiet while the condition holds;
    /// once the condition has cleared (lapsed), its return is a new event.
    #[serde(default)]
    pub lapsed: bool,
}

/// What the operators did since the last step.
#[derive(Debug, Clone, Default)]
pub struct Actions {
    pub acknowledged: BTreeSet<String>,
    pub decided: BTreeSet<String>,
}

/// SLA hours per severity.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Slas {
    pub critical: SignedDuration,
    pub warning: SignedDuration,
    pub info: SignedDuration,
}

impl Default for Slas {
    fn default() -> Self {
        Slas {
            critical: SignedDuration::from_hours(4),
            warning: SignedDuration::from_hours(24),
            info: SignedDuration::from_hours(72),
        }
    }
}

impl Slas {
    pub fn for_severity(&self, s: Severity) -> SignedDuration {
        match s {
            Severity::Critical => self.critical,
            Severity::Warning => self.warning,
            Severity::Info => self.info,
        }
    }
}

/// The person at `level` for a channel: its owner, then its chain.
fn assignee(channels: &Channels, channel: Option<&ChannelId>, level: usize) -> Option<String> {
    let c = channels.get(channel?)?;
    if level == 0 {
        c.owner.as_ref().map(|p| p.name.clone())
    } else {
        c.escalation_chain.get(level - 1).map(|p| p.name.clone())
    }
}

fn chain_len(channels: &Channels, channel: Option<&ChannelId>) -> usize {
    channel.and_then(|c| channels.get(c)).map_or(0, |c| c.escalation_chain.len())
}

/// Advance every event to `now`: open new ones, apply actions, resolve
/// cleared ones, escalate overdue ones. Closed events are kept as history;
/// a condition that returns after its event closed opens a fresh event.
pub fn step(
    events: &[Event],
    conditions: &[Condition],
    actions: &Actions,
    channels: &Channels,
    slas: &Slas,
    now: Timestamp,
) -> Vec<Event> {
    let holding: BTreeMap<&str, &Condition> = conditions.iter().map(|c| (c.key.as_str(), c)).collect();
    let mut out: Vec<Event> = Vec::with_capacity(events.len() + conditions.len());
    let mut live: BTreeSet<String> = BTreeSet::new();
    for e in events {
        let mut e = e.clone();
        let holds = holding.contains_key(e.key.as_str());
        if !e.state.is_closed() {
            advance(&mut e, holds, actions, channels, slas, now);
        }
        if e.state == State::Decided && !e.lapsed && !holds {
            e.lapsed = true;
        }
        if !e.state.is_closed() || (e.state == State::Decided && !e.lapsed) {
            live.insert(e.key.clone());
        }
        out.push(e);
    }
    for c in conditions.iter().filter(|c| !live.contains(&c.key)) {
        out.push(Event {
            key: c.key.clone(),
            channel: c.channel.clone(),
            severity: c.severity,
            summary: c.summary.clone(),
            state: State::Open,
            opened_at: now,
            updated_at: now,
            level: 0,
            assignee: assignee(channels, c.channel.as_ref(), 0),
            lapsed: false,
        });
    }
    out
}

fn advance(e: &mut Event, holds: bool, actions: &Actions, channels: &Channels, slas: &Slas, now: Timestamp) {
    let next = if actions.decided.contains(&e.key) {
        Some(State::Decided)
    } else if !holds {
        Some(State::Resolved)
    } else if actions.acknowledged.contains(&e.key) && e.state == State::Open {
        Some(State::Acknowledged)
    } else {
        None
    };
    if let Some(next) = next.filter(|n| e.state.may_become(*n)) {
        e.state = next;
        e.updated_at = now;
        return;
    }
    if e.state == State::Open {
        let sla = slas.for_severity(e.severity);
        let due = e.opened_at + sla * i32::try_from(e.level + 1).unwrap_or(i32::MAX);
        if now >= due && e.level < chain_len(channels, e.channel.as_ref()) {
            e.level += 1;
            e.assignee = assignee(channels, e.channel.as_ref(), e.level);
            e.updated_at = now;
        }
    }
}

/// When an open event next escalates (or `None` when it cannot).
pub fn due_at(e: &Event, channels: &Channels, slas: &Slas) -> Option<Timestamp> {
    (e.state == State::Open && e.level < chain_len(channels, e.channel.as_ref()))
        .then(|| e.opened_at + slas.for_severity(e.severity) * i32::try_from(e.level + 1).unwrap_or(i32::MAX))
}
