//! The escalation rules: which conditions in the evaluated read become
//! escalation events, with what severity. Each condition's key is stable
//! while it holds, so the event is raised once.

use std::collections::{BTreeMap, BTreeSet};

use jiff::{SignedDuration, Timestamp};
use rust_decimal::Decimal;

use super::collisions::Collision;
use super::escalation::{Condition, Severity};
use super::ids::{ChannelId, LocationId, Sku, SourceId};
use super::inventory::InventoryRead;
use super::price_flags::{FlagKind, PriceFlag};
use super::promotion::CONFIG_SOURCE;
use super::rules::Rules;
use super::snapshot::SourceStatus;

/// One rule: on when present, with its severity and threshold.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rule<T> {
    pub severity: Severity,
    pub threshold: T,
}

/// The escalation rules from config. `None` turns a rule off.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EscalationRules {
    /// A stock-out (0 shown) of one of the N best sellers on a channel.
    pub stockout_top_sku: Option<Rule<usize>>,
    /// Days of cover below this.
    pub cover_below: Option<Rule<Decimal>>,
    pub floor_breach: Option<Rule<()>>,
    pub map_breach: Option<Rule<()>>,
    pub collision: Option<Rule<()>>,
    /// A source not fetched for longer than this.
    pub stale_source: Option<Rule<SignedDuration>>,
    pub sync_error: Option<Rule<()>>,
}

#[expect(clippy::unnecessary_wraps, reason = "every rule slot is an Option; off is None")]
fn rule<T>(severity: Severity, threshold: T) -> Option<Rule<T>> {
    Some(Rule { severity, threshold })
}

impl Default for EscalationRules {
    fn default() -> Self {
        EscalationRules {
            stockout_top_sku: rule(Severity::Critical, 10),
            cover_below: rule(Severity::Warning, Decimal::from(7)),
            floor_breach: rule(Severity::Warning, ()),
            map_breach: rule(Severity::Critical, ()),
            collision: rule(Severity::Warning, ()),
            stale_source: rule(Severity::Warning, SignedDuration::from_hours(6)),
            sync_error: rule(Severity::Warning, ()),
        }
    }
}

/// What the rules look at.
pub struct ConditionInput<'a> {
    pub rules: &'a Rules,
    pub inventory: &'a InventoryRead,
    pub flags: &'a [PriceFlag],
    pub collisions: &'a [Collision],
    pub sources: &'a BTreeMap<SourceId, SourceStatus>,
    pub now: Timestamp,
}

/// Every condition that holds now, in key order.
pub fn conditions(input: &ConditionInput<'_>, rules: &EscalationRules) -> Vec<Condition> {
    let mut out = Vec::new();
    stock_conditions(input, rules, &mut out);
    price_conditions(input, rules, &mut out);
    source_conditions(input, rules, &mut out);
    out.sort_by(|a, b| a.key.cmp(&b.key));
    out.dedup_by(|a, b| a.key == b.key);
    out
}

fn cond(key: String, channel: Option<ChannelId>, severity: Severity, summary: String) -> Condition {
    Condition { key, channel, severity, summary }
}

/// Locations whose stock is not known yet: sources are configured to report
/// them and none has been read. Zero there means "not read", so no stock
/// condition may rest on them.
fn unread_locations<'a>(input: &ConditionInput<'a>) -> BTreeSet<&'a LocationId> {
    let read = |s: &SourceId| input.sources.get(s).is_some_and(|st| st.fetched_at.is_some());
    let locations = input.rules.locations.iter();
    locations.filter(|(_, l)| !l.reported_by.is_empty() && !l.reported_by.iter().any(read)).map(|(id, _)| id).collect()
}

fn stock_conditions(input: &ConditionInput<'_>, rules: &EscalationRules, out: &mut Vec<Condition>) {
    let inv = input.inventory;
    // A cover adds up every location; a channel's stock, the locations
    // serving it. Either waits for the first read of what it adds up.
    let unread = unread_locations(input);
    let known =
        |ch: &ChannelId| input.rules.locations.iter().all(|(id, l)| !l.serves.contains(ch) || !unread.contains(id));
    if let Some(r) = &rules.stockout_top_sku {
        let mut by_channel: BTreeMap<&ChannelId, Vec<(&Sku, Decimal)>> = BTreeMap::new();
        for ((sku, ch), v) in &inv.velocity {
            by_channel.entry(ch).or_default().push((sku, v.per_day));
        }
        for (ch, mut skus) in by_channel.into_iter().filter(|(ch, _)| known(ch)) {
            skus.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
            for (sku, v) in skus.into_iter().take(r.threshold).filter(|(_, v)| *v > Decimal::ZERO) {
                let shown = inv.plan.lines.iter().find(|l| &l.sku == sku && &l.channel == ch).map(|l| l.qty);
                if shown == Some(0) {
                    let summary = format!("{sku} is out of stock on {ch} (a top seller at {v:.1}/day)");
                    out.push(cond(format!("stockout:{sku}:{ch}"), Some(ch.clone()), r.severity, summary));
                }
            }
        }
    }
    if let Some(r) = rules.cover_below.as_ref().filter(|_| unread.is_empty()) {
        let totals = super::inventory::sku_velocity(&inv.velocity);
        for (sku, v) in totals.iter().filter(|(_, v)| **v > Decimal::ZERO) {
            let cover = Decimal::from(inv.sellable.total(sku)) / v;
            if cover < r.threshold {
                let summary = format!("{sku} has {cover:.1} days of cover (below {})", r.threshold);
                out.push(cond(format!("cover:{sku}"), None, r.severity, summary));
            }
        }
    }
}

fn price_conditions(input: &ConditionInput<'_>, rules: &EscalationRules, out: &mut Vec<Condition>) {
    for f in input.flags {
        let sku = f.sku.as_ref().map_or("-", Sku::as_str);
        let (rule, kind) = match &f.kind {
            FlagKind::MarginFloor { .. } => (&rules.floor_breach, "floor"),
            FlagKind::BelowMap { .. } => (&rules.map_breach, "map"),
            _ => continue,
        };
        if let Some(r) = rule {
            let key = format!("{kind}:{sku}:{}", f.channel);
            let summary = format!("{sku} on {}: {}", f.channel, f.kind);
            out.push(cond(key, Some(f.channel.clone()), r.severity, summary));
        }
    }
    if let Some(r) = &rules.collision {
        for c in input.collisions {
            let key = format!("collision:{:?}:{}", c.kind, c.promotions.join("+"));
            out.push(cond(key, c.channels.iter().next().cloned(), r.severity, c.detail.clone()));
        }
    }
}

fn source_conditions(input: &ConditionInput<'_>, rules: &EscalationRules, out: &mut Vec<Condition>) {
    // Written promotions are read once with the config: nothing to fall behind.
    let polled = input.sources.iter().filter(|(id, _)| id.as_str() != CONFIG_SOURCE);
    for (id, status) in polled {
        let channel = input.rules.channels.values().find(|c| c.source.as_ref() == Some(id)).map(|c| c.id.clone());
        if let Some(r) = &rules.stale_source
            && status.is_stale(input.now, r.threshold)
        {
            let age = status.age(input.now).map_or("never fetched".to_owned(), |a| {
                format!("{:.1} h old", Decimal::from(a.as_secs()) / Decimal::from(3600))
            });
            out.push(cond(format!("stale:{id}"), channel.clone(), r.severity, format!("source {id} is stale ({age})")));
        }
        if let (Some(r), Some(e)) = (&rules.sync_error, &status.last_error) {
            out.push(cond(format!("sync:{id}"), channel, r.severity, format!("source {id} failed: {}", e.message)));
        }
    }
}
