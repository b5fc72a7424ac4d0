//! The live read: what the pollers sent, merged per source, evaluated into
//! the one `Cockpit`, with escalation events stepped and kept in the store.
//!
//! Used by the cockpit (fed by pollers as they report) and by the headless
//! commands (one poll of every source, then one evaluation).

mod actions;
pub mod demo;
pub mod feed;
pub mod headless;
mod history;
mod reassign;

use std::collections::{BTreeMap, BTreeSet};

use jiff::Timestamp;

use crate::channels::poller::Polled;
use crate::channels::registry::Unbuilt;
use crate::config::Config;
use crate::core::escalation::{Actions, Event};
use crate::core::evaluate::{Cockpit, History, evaluate};
use crate::core::ids::SourceId;
use crate::core::promotion::CONFIG_SOURCE;
use crate::core::readback::WeekId;
use crate::core::snapshot::{Snapshot, SourceData, SourceError, SourceSnapshot, SourceStatus};
use crate::core::text::clean;
use crate::store::{Store, StoreError};

/// The promotions written in the config, as one more source. They were
/// taken in when the config was loaded, so that is their `fetched_at`; no
/// poll ever replaces them (a changed file takes effect on restart, like
/// the rest of the config), and escalation does not judge them stale.
fn config_part(config: &Config, loaded_at: Timestamp) -> Option<SourceSnapshot> {
    if config.promotions.is_empty() {
        return None;
    }
    let source = SourceId::new(CONFIG_SOURCE).ok()?;
    let status = SourceStatus { source, fetched_at: Some(loaded_at), last_error: None };
    let data = SourceData { promotions: config.promotions.clone(), ..SourceData::default() };
    Some(SourceSnapshot { status, data: Some(data) })
}

/// Per-source state and escalation events between evaluations.
pub struct Engine {
    pub config: Config,
    parts: BTreeMap<SourceId, SourceSnapshot>,
    events: Vec<Event>,
    last_ack: i64,
}

/// A source's error as its status keeps it: cleaned, and without the
/// source's name in front (connector errors start with it; every place that
/// shows the error names the source already).
fn own_words(source: &SourceId, text: &str) -> String {
    let own = text.strip_prefix(source.as_str()).and_then(|t| t.strip_prefix(": "));
    clean(own.unwrap_or(text)).into_owned()
}

impl Engine {
    /// Every configured source starts as never fetched; sources that could
    /// not be built carry their reason as an error from the start.
    pub fn new(config: Config, unbuilt: &[Unbuilt], now: Timestamp) -> Self {
        let mut parts = BTreeMap::new();
        for id in config.sources.keys() {
            let last_error = unbuilt
                .iter()
                .find(|u| &u.source == id)
                .map(|u| SourceError { at: now, message: own_words(id, &u.reason) });
            let status = SourceStatus { source: id.clone(), fetched_at: None, last_error };
            parts.insert(id.clone(), SourceSnapshot { status, data: None });
        }
        if let Some(part) = config_part(&config, now) {
            parts.insert(part.status.source.clone(), part);
        }
        Engine { config, parts, events: Vec::new(), last_ack: 0 }
    }

    /// Fold one poll in. A failure keeps the last good data (now stale)
    /// and records the error; an incremental success updates that data.
    pub fn absorb(&mut self, polled: Polled) {
        let Some(part) = self.parts.get_mut(&polled.source) else { return };
        match polled.result {
            Ok(data) => {
                match (&mut part.data, polled.incremental) {
                    (Some(base), true) => base.apply(data),
                    (slot, _) => *slot = Some(data),
                }
                part.status.fetched_at = Some(polled.fetched_at);
                part.status.last_error = None;
            }
            Err(e) => {
                let message = own_words(&polled.source, &e.to_string());
                part.status.last_error = Some(SourceError { at: polled.fetched_at, message });
            }
        }
    }

    pub fn snapshot(&self) -> Snapshot {
        Snapshot::merge(self.parts.values())
    }

    pub fn events(&self) -> &[Event] {
        &self.events
    }

    /// Where escalation events are kept between runs.
    const EVENTS: &'static str = "escalation_events";

    /// Pick up the escalation events (states, levels, opening times) from
    /// the last run, so a restart neither reopens nor re-escalates them.
    pub fn restore_events(&mut self, store: &Store) -> Result<(), StoreError> {
        if let Some(json) = store.state(Self::EVENTS)? {
            // An unreadable record (from a newer version) starts afresh
            // rather than stopping the cockpit.
            self.events = serde_json::from_str(&json).unwrap_or_default();
        }
        Ok(())
    }

    /// Keep the escalation events for the next run.
    pub fn save_events(&self, store: &mut Store, now: Timestamp) -> Result<(), StoreError> {
        let json = serde_json::to_string(&self.events).unwrap_or_else(|_| "[]".to_owned());
        store.save_state(Self::EVENTS, now, &json)
    }

    /// Keep what `cockpit` read for later reads: the weeks it computed and
    /// today's out-of-stock SKUs.
    pub fn remember(&self, cockpit: &Cockpit, store: &mut Store, now: Timestamp) -> Result<(), StoreError> {
        history::remember(store, cockpit, &self.config.rules, now)
    }

    /// Whether the store holds acknowledgements this engine has not seen
    /// (another operator's, or this one's just written).
    pub fn acks_pending(&self, store: &Store) -> Result<bool, StoreError> {
        Ok(!store.acks_after(self.last_ack)?.is_empty())
    }

    /// Evaluate at `now`, and step the escalation events with what the
    /// operators acknowledged and decided (from the store, when there is one).
    pub fn evaluate(&mut self, now: Timestamp, store: Option<&Store>) -> Result<Cockpit, StoreError> {
        self.evaluate_week(now, store, None)
    }

    /// [`Engine::evaluate`], reading back `week` (the last complete week
    /// when `None`) with what the store remembers of it.
    pub fn evaluate_week(
        &mut self,
        now: Timestamp,
        store: Option<&Store>,
        week: Option<WeekId>,
    ) -> Result<Cockpit, StoreError> {
        let mut actions = Actions::default();
        let mut remembered = History { week, ..History::default() };
        if let Some(store) = store {
            remembered = history::load(store, &self.config.rules, week, now)?;
            for ack in store.acks_after(self.last_ack)? {
                self.last_ack = self.last_ack.max(ack.id);
                actions.acknowledged.insert(ack.event_key);
            }
            // A decision counts for the event open when it was taken, not
            // for a later event of the same condition.
            let open: BTreeMap<&str, Timestamp> =
                self.events.iter().filter(|e| !e.state.is_closed()).map(|e| (e.key.as_str(), e.opened_at)).collect();
            let decided: BTreeSet<String> = store
                .decisions(500)?
                .into_iter()
                .filter_map(|d| d.event_key.filter(|k| open.get(k.as_str()).is_some_and(|t| d.at >= *t)))
                .collect();
            actions.decided = decided;
        }
        let history = History { events: std::mem::take(&mut self.events), actions, ..remembered };
        let mut cockpit = evaluate(&self.snapshot(), &self.config.rules, &history, now);
        if let Some(store) = store {
            reassign::apply(&mut cockpit.events, &store.reassignments()?);
        }
        self.events.clone_from(&cockpit.events);
        Ok(cockpit)
    }
}
