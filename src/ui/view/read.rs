//! The evaluated read as the panes show it: built once per new `Cockpit`,
//! owned, sanitized, so drawing never looks anything up.

use std::collections::{BTreeMap, BTreeSet};

use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp};

use super::format::{age, date_time, duration, hhmm, safe};
use super::rows::{DecisionRow, EscalationRow, Field, Level, MarginRow, PromoTable, SourceRow, StockTable, haystack};
use crate::config::Config;
use crate::core::channel::Channels;
use crate::core::escalation::{Event, Slas, State, due_at};
use crate::core::evaluate::Cockpit;
use crate::core::ids::SourceId;
use crate::core::promotion::Promotion;
use crate::core::snapshot::{Snapshot, Sourced};
use crate::store::Decision;

/// A source's `stale_after` when the config does not name it (the config's
/// own default).
pub const DEFAULT_STALE_AFTER: SignedDuration = SignedDuration::from_mins(60);

/// What the read needs besides the `Cockpit`: the config's zone, stale
/// limits, chains and SLAs, and the promotions the snapshot holds (the
/// `Cockpit` keeps only their collisions and the active prices).
#[derive(Debug, Clone)]
pub struct ReadContext {
    pub time_zone: TimeZone,
    pub stale_after: BTreeMap<SourceId, SignedDuration>,
    pub channels: Channels,
    pub slas: Slas,
    pub promotions: Vec<Sourced<Promotion>>,
}

impl Default for ReadContext {
    fn default() -> Self {
        ReadContext {
            time_zone: TimeZone::UTC,
            stale_after: BTreeMap::new(),
            channels: Channels::new(),
            slas: Slas::default(),
            promotions: Vec::new(),
        }
    }
}

impl ReadContext {
    pub fn new(config: &Config, snapshot: &Snapshot) -> ReadContext {
        let stale_after = config
            .sources
            .iter()
            .map(|(id, s)| (id.clone(), SignedDuration::try_from(s.stale_after).unwrap_or(DEFAULT_STALE_AFTER)))
            .collect();
        ReadContext {
            time_zone: config.rules.brand.time_zone.clone(),
            stale_after,
            channels: config.rules.channels.clone(),
            slas: config.rules.slas.clone(),
            promotions: snapshot.promotions.clone(),
        }
    }

    pub fn stale_after(&self, source: &SourceId) -> SignedDuration {
        self.stale_after.get(source).copied().unwrap_or(DEFAULT_STALE_AFTER)
    }

    /// Sources older than their limit (or never fetched) at `now`.
    pub fn stale_sources(&self, cockpit: &Cockpit) -> BTreeSet<SourceId> {
        cockpit
            .sources
            .values()
            .filter(|s| s.is_stale(cockpit.now, self.stale_after(&s.source)))
            .map(|s| s.source.clone())
            .collect()
    }
}

/// Everything the read panes show.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReadView {
    /// When the read was evaluated, "HH:MM" in the brand's zone.
    pub at: String,
    pub sources: Vec<SourceRow>,
    pub stock: StockTable,
    pub margin: Vec<MarginRow>,
    pub promotions: PromoTable,
    pub collisions: usize,
    /// Escalations by owner, overdue first within each owner.
    pub escalations: Vec<EscalationRow>,
    pub decisions: Vec<DecisionRow>,
    /// What sources sent that could not be used.
    pub issues: Vec<String>,
    /// The week read back, e.g. `2026-W47`.
    pub week: String,
    pub readback: Vec<super::ReadbackRow>,
    pub next: Vec<super::NextRow>,
    /// Per channel id: its owner, then its escalation chain — whom the
    /// review can hand an item to.
    pub people: BTreeMap<String, Vec<String>>,
    /// Review items put off to a date still to come (key → date); the
    /// feed fills this from the store, and the review leaves them out.
    pub deferred: BTreeMap<String, String>,
    /// Review items handed to someone else (key → the latest assignee).
    pub reassigned: BTreeMap<String, String>,
}

impl ReadView {
    pub fn build(cockpit: &Cockpit, events: &[Event], decisions: &[Decision], ctx: &ReadContext) -> ReadView {
        let stale = ctx.stale_sources(cockpit);
        let promotions = super::promos::table(cockpit, ctx, &stale);
        ReadView {
            at: hhmm(cockpit.now, &ctx.time_zone),
            sources: cockpit.sources.values().map(|s| source_row(s, cockpit.now, ctx)).collect(),
            stock: super::stock::table(cockpit, &stale),
            margin: super::margin::rows(cockpit, &stale),
            collisions: cockpit.collisions.len(),
            promotions,
            escalations: escalation_rows(events, cockpit.now, ctx),
            decisions: decisions.iter().map(|d| decision_row(d, &ctx.time_zone)).collect(),
            issues: cockpit
                .issues
                .iter()
                .map(|i| safe(&format!("{}: {}: {}", i.source, i.value.place, i.value.message)))
                .collect(),
            week: cockpit.readback.week.to_string(),
            readback: super::readback::readback_rows(&cockpit.readback),
            next: super::readback::next_rows(&cockpit.next_decisions),
            people: people(&ctx.channels),
            deferred: BTreeMap::new(),
            reassigned: BTreeMap::new(),
        }
    }

    /// The most urgent open escalations, for the overview's next decisions.
    pub fn most_urgent(&self, n: usize) -> Vec<&EscalationRow> {
        let mut rows: Vec<&EscalationRow> = self.escalations.iter().collect();
        rows.sort_by_key(|r| (!r.overdue, r.due_in.is_none(), r.due_in, std::cmp::Reverse(r.level)));
        rows.truncate(n);
        rows
    }
}

fn people(channels: &Channels) -> BTreeMap<String, Vec<String>> {
    channels
        .values()
        .map(|c| {
            let mut names: Vec<String> = Vec::new();
            for p in c.owner.iter().chain(&c.escalation_chain) {
                let name = safe(&p.name);
                if !names.contains(&name) {
                    names.push(name);
                }
            }
            (safe(c.id.as_str()), names)
        })
        .collect()
}

fn source_row(s: &crate::core::snapshot::SourceStatus, now: Timestamp, ctx: &ReadContext) -> SourceRow {
    let limit = ctx.stale_after(&s.source);
    let stale_since = s.is_stale(now, limit).then(|| {
        s.fetched_at
            .map_or_else(|| "never fetched".to_owned(), |t| format!("stale since {}", hhmm(t + limit, &ctx.time_zone)))
    });
    SourceRow {
        source: safe(s.source.as_str()),
        age: s.fetched_at.map(|t| age(Some(t), now)),
        stale_since,
        error: s.last_error.as_ref().map(|e| safe(&format!("{} (at {})", e.message, hhmm(e.at, &ctx.time_zone)))),
    }
}

/// When an event's SLA runs out. `due_at` answers only while the chain has
/// someone left; past its end the SLA still matters to the last person.
fn deadline(e: &Event, ctx: &ReadContext) -> Option<Timestamp> {
    if e.state != State::Open {
        return None;
    }
    due_at(e, &ctx.channels, &ctx.slas).or_else(|| {
        let periods = i32::try_from(e.level + 1).unwrap_or(i32::MAX);
        Some(e.opened_at + ctx.slas.for_severity(e.severity) * periods)
    })
}

fn escalation_rows(events: &[Event], now: Timestamp, ctx: &ReadContext) -> Vec<EscalationRow> {
    let mut rows: Vec<EscalationRow> =
        events.iter().filter(|e| !e.state.is_closed()).map(|e| escalation_row(e, now, ctx)).collect();
    rows.sort_by(|a, b| {
        (&a.owner, !a.overdue, a.due_in.is_none(), a.due_in).cmp(&(&b.owner, !b.overdue, b.due_in.is_none(), b.due_in))
    });
    rows
}

fn escalation_row(e: &Event, now: Timestamp, ctx: &ReadContext) -> EscalationRow {
    let due_in = deadline(e, ctx).map(|d| d.duration_since(now).as_secs());
    let overdue = due_in.is_some_and(|s| s <= 0);
    let due = match due_in {
        Some(s) if s <= 0 => format!("OVERDUE {}", duration(SignedDuration::from_secs(s))),
        Some(s) => format!("in {}", duration(SignedDuration::from_secs(s))),
        None => "acknowledged".to_owned(),
    };
    let owner = e.assignee.as_deref().map_or_else(|| "— unowned —".to_owned(), safe);
    let channel = e.channel.as_ref().map_or_else(|| "—".to_owned(), |c| safe(c.as_str()));
    let summary = safe(&e.summary);
    let state = match e.state {
        State::Open => "open",
        State::Acknowledged => "acknowledged",
        State::Resolved => "resolved",
        State::Decided => "decided",
    };
    let tz = &ctx.time_zone;
    let detail = vec![
        Field::plain(format!("{} — {summary}", Level::from(e.severity).label())),
        Field::plain(format!("key {}", safe(&e.key))),
        Field::plain(format!("opened {}, updated {}", date_time(e.opened_at, tz), date_time(e.updated_at, tz))),
        Field::plain(format!(
            "sits with {owner} (level {} of the chain); SLA {}",
            e.level,
            duration(ctx.slas.for_severity(e.severity))
        )),
        Field::plain(format!("state {state}; due {due}")),
    ];
    let search = haystack([owner.as_str(), channel.as_str(), summary.as_str(), e.key.as_str(), e.severity.word()]);
    EscalationRow {
        key: safe(&e.key),
        owner,
        level: e.severity.into(),
        state,
        due,
        overdue,
        due_in,
        channel,
        summary,
        detail,
        search,
    }
}

fn decision_row(d: &Decision, tz: &TimeZone) -> DecisionRow {
    let subject = [d.channel.as_deref(), d.sku.as_deref(), d.event_key.as_deref()]
        .into_iter()
        .flatten()
        .map(safe)
        .collect::<Vec<_>>()
        .join(" · ");
    let (at, who, text) = (date_time(d.at, tz), safe(&d.who), safe(&d.text));
    let follow_up = d.follow_up.map_or_else(String::new, |t| date_time(t, tz));
    let detail = vec![
        Field::plain(format!("#{} by {who} at {at}", d.id)),
        Field::plain(format!("on {}", if subject.is_empty() { "—" } else { &subject })),
        Field::plain(text.clone()),
        Field::plain(if follow_up.is_empty() { "no follow-up".to_owned() } else { format!("follow up {follow_up}") }),
    ];
    let search = haystack([who.as_str(), subject.as_str(), text.as_str()]);
    DecisionRow { at, who, subject, text, follow_up, detail, search }
}
