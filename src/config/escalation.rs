//! `[escalation]`: which conditions raise events, how severe, and the SLA
//! per severity. An omitted rule keeps its default; `severity = "off"`
//! turns it off.

use jiff::SignedDuration;
use rust_decimal::Decimal;

use super::build::Ctx;
use super::schema::{RawEscalation, RawRule, RawSeverity};
use crate::core::conditions::{EscalationRules, Rule};
use crate::core::escalation::{Severity, Slas};

fn severity(s: RawSeverity) -> Option<Severity> {
    match s {
        RawSeverity::Off => None,
        RawSeverity::Info => Some(Severity::Info),
        RawSeverity::Warning => Some(Severity::Warning),
        RawSeverity::Critical => Some(Severity::Critical),
    }
}

/// Apply a configured rule over its default; `threshold` reads the rule's
/// own setting (or keeps the default threshold).
fn apply<T: Clone>(slot: &mut Option<Rule<T>>, raw: Option<&RawRule>, threshold: impl FnOnce(&RawRule) -> Option<T>) {
    let Some(raw) = raw else { return };
    let default = slot.as_ref().map(|r| r.threshold.clone());
    *slot = severity(raw.severity).and_then(|s| threshold(raw).or(default).map(|t| Rule { severity: s, threshold: t }));
}

pub(super) fn build(raw: Option<&RawEscalation>, ctx: &mut Ctx<'_>) -> (EscalationRules, Slas) {
    let mut rules = EscalationRules::default();
    let mut slas = Slas::default();
    let Some(raw) = raw else { return (rules, slas) };
    if let Some(h) = &raw.sla_hours {
        for (key, value, slot) in [
            ("critical", h.critical, &mut slas.critical),
            ("warning", h.warning, &mut slas.warning),
            ("info", h.info, &mut slas.info),
        ] {
            match value {
                Some(0) => ctx.err(&["escalation", "sla_hours", key], "expected at least 1 hour, found 0"),
                Some(n) => *slot = SignedDuration::from_hours(i64::from(n)),
                None => {}
            }
        }
    }
    apply(&mut rules.stockout_top_sku, raw.stockout_top_sku.as_ref(), |r| r.top.map(|n| n as usize));
    apply(&mut rules.cover_below, raw.cover_below.as_ref(), |r| r.days.map(|d| d.0.max(Decimal::ZERO)));
    apply(&mut rules.floor_breach, raw.floor_breach.as_ref(), |_| Some(()));
    apply(&mut rules.map_breach, raw.map_breach.as_ref(), |_| Some(()));
    apply(&mut rules.collision, raw.collision.as_ref(), |_| Some(()));
    apply(&mut rules.stale_source, raw.stale_source.as_ref(), |r| {
        r.hours.map(|h| SignedDuration::from_hours(i64::from(h)))
    });
    apply(&mut rules.sync_error, raw.sync_error.as_ref(), |_| Some(()));
    (rules, slas)
}
