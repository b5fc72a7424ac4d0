//! Next decisions: a short ranked list drawn from the retire signal,
//! scarcity, price flags, collisions and open escalations, each with an
//! owner, a due date and the money at stake in the report currency.
//!
//! **Due dates** follow severity: critical is due today, warning within
//! [`WARNING_DAYS`] days, anything else at the next weekly review (the next
//! `review_day` after today). **Money at stake**, per source:
//! - retire: the channel's operating cost for the week (what retiring
//!   frees, before the contribution it gives up);
//! - scarcity: the SKU's revenue that week on every channel;
//! - price flag: the flagged (channel, SKU)'s revenue that week;
//! - collision: the margin it gives up (zero when it could not be costed);
//! - escalation: zero, since an event carries no amount; severity ranks it.
//!
//! Ranked by money at stake (largest first), then severity, then due date,
//! then a stable key, so the same input always gives the same list.

use std::cmp::Reverse;

use jiff::civil::{Date, Weekday};
use serde::Serialize;

use super::allocation::Scarcity;
use super::collisions::{Collision, CollisionKind};
use super::escalation::{Event, Severity};
use super::ids::ChannelId;
use super::money::{Currency, Money};
use super::price_flags::{FlagKind, PriceFlag};
use super::readback::Readback;
use super::rules::Rules;

/// How many decisions the list holds unless told otherwise.
pub const DEFAULT_LIMIT: usize = 7;
/// Days a warning may wait.
pub const WARNING_DAYS: i64 = 3;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DecisionKind {
    Retire,
    Scarcity,
    PriceFlag,
    Collision,
    Escalation,
}

/// One decision the team owes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Decision {
    pub kind: DecisionKind,
    /// Stable while the cause holds, e.g. `retire:ebay-us`.
    pub key: String,
    pub channel: Option<ChannelId>,
    pub owner: Option<String>,
    pub severity: Severity,
    pub due: Date,
    pub at_stake: Money,
    pub what: String,
}

/// Everything the list is drawn from.
#[derive(Debug, Clone, Copy)]
pub struct DecisionInput<'a> {
    pub rules: &'a Rules,
    pub readback: &'a Readback,
    pub scarce: &'a [Scarcity],
    pub flags: &'a [PriceFlag],
    pub collisions: &'a [Collision],
    pub events: &'a [Event],
    /// Today in the brand's zone.
    pub today: Date,
    pub review_day: Weekday,
    pub limit: usize,
}

/// The due date for a severity, from `today`.
pub fn due(severity: Severity, today: Date, review_day: Weekday) -> Date {
    match severity {
        Severity::Critical => today,
        Severity::Warning => today.checked_add(jiff::Span::new().days(WARNING_DAYS)).unwrap_or(today),
        Severity::Info => {
            let ahead = i64::from(review_day.to_monday_zero_offset() - today.weekday().to_monday_zero_offset());
            let days = if ahead <= 0 { ahead + 7 } else { ahead };
            today.checked_add(jiff::Span::new().days(days)).unwrap_or(today)
        }
    }
}

/// The ranked, bounded list.
pub fn next_decisions(input: &DecisionInput<'_>) -> Vec<Decision> {
    let report = input.rules.brand.fx.report;
    let mut all = Vec::new();
    retire(input, &mut all);
    scarcity(input, report, &mut all);
    flags(input, report, &mut all);
    collisions(input, report, &mut all);
    escalations(input, report, &mut all);
    all.sort_by(|a, b| {
        (Reverse(a.at_stake.amount), Reverse(a.severity), a.due, a.kind, &a.key).cmp(&(
            Reverse(b.at_stake.amount),
            Reverse(b.severity),
            b.due,
            b.kind,
            &b.key,
        ))
    });
    all.dedup_by(|a, b| a.key == b.key);
    all.truncate(input.limit);
    all
}

fn owner_of(input: &DecisionInput<'_>, channel: Option<&ChannelId>) -> Option<String> {
    input.rules.channels.get(channel?)?.owner.as_ref().map(|p| p.name.clone())
}

fn push(
    input: &DecisionInput<'_>,
    out: &mut Vec<Decision>,
    d: (DecisionKind, String, Option<ChannelId>),
    severity: Severity,
    at_stake: Money,
    what: String,
) {
    let (kind, key, channel) = d;
    let owner = owner_of(input, channel.as_ref());
    let due = due(severity, input.today, input.review_day);
    out.push(Decision { kind, key, channel, owner, severity, due, at_stake, what });
}

fn retire(input: &DecisionInput<'_>, out: &mut Vec<Decision>) {
    for c in &input.readback.channels {
        let Some(r) = &c.retire else { continue };
        let what = format!("retire {}? {}: {}", c.channel, r.rule, r.reason);
        let key = format!("retire:{}", c.channel);
        push(
            input,
            out,
            (DecisionKind::Retire, key, Some(c.channel.clone())),
            Severity::Warning,
            c.report.operating.total,
            what,
        );
    }
}

fn scarcity(input: &DecisionInput<'_>, report: Currency, out: &mut Vec<Decision>) {
    for s in input.scarce {
        let on: Vec<(&ChannelId, &Money)> = input
            .readback
            .revenue_by_sku
            .iter()
            .filter(|((_, sku), _)| *sku == s.sku)
            .map(|((c, _), m)| (c, m))
            .collect();
        let stake = Money::new(on.iter().map(|(_, m)| m.amount).sum(), report);
        // The channel selling most of the SKU owns the call; ties go to the lower id.
        let top = on.iter().max_by(|a, b| a.1.amount.cmp(&b.1.amount).then(b.0.cmp(a.0))).map(|(c, _)| (*c).clone());
        let what = format!("{} is scarce: {}", s.sku, s.reason);
        push(input, out, (DecisionKind::Scarcity, format!("scarcity:{}", s.sku), top), Severity::Warning, stake, what);
    }
}

fn flag_severity(kind: &FlagKind) -> Severity {
    match kind {
        // MAP breaches put the brand's reseller agreements at risk.
        FlagKind::BelowMap { .. } => Severity::Critical,
        FlagKind::MarginFloor { .. } => Severity::Warning,
        _ => Severity::Info,
    }
}

fn flags(input: &DecisionInput<'_>, report: Currency, out: &mut Vec<Decision>) {
    for f in input.flags {
        let stake = f
            .sku
            .as_ref()
            .and_then(|s| input.readback.revenue_by_sku.get(&(f.channel.clone(), s.clone())).copied())
            .unwrap_or(Money::zero(report));
        let sku = f.sku.as_ref().map_or("-", |s| s.as_str());
        let key = format!("flag:{}:{sku}:{}", f.channel, f.kind);
        let what = format!("{} {sku}: {}", f.channel, f.kind);
        push(input, out, (DecisionKind::PriceFlag, key, Some(f.channel.clone())), flag_severity(&f.kind), stake, what);
    }
}

fn collisions(input: &DecisionInput<'_>, report: Currency, out: &mut Vec<Decision>) {
    for c in input.collisions {
        let severity = match c.kind {
            CollisionKind::BreaksMap => Severity::Critical,
            CollisionKind::BadWindow | CollisionKind::BadDiscount | CollisionKind::BreaksParity => Severity::Info,
            _ => Severity::Warning,
        };
        let stake = c.stake.as_ref().map_or(Money::zero(report), |s| s.margin_given_up);
        let key = format!("collision:{:?}:{}", c.kind, c.promotions.join("+"));
        let channel = c.channels.iter().next().cloned();
        push(input, out, (DecisionKind::Collision, key, channel), severity, stake, c.detail.clone());
    }
}

fn escalations(input: &DecisionInput<'_>, report: Currency, out: &mut Vec<Decision>) {
    for e in input.events.iter().filter(|e| !e.state.is_closed()) {
        let key = format!("escalation:{}", e.key);
        let before = out.len();
        push(
            input,
            out,
            (DecisionKind::Escalation, key, e.channel.clone()),
            e.severity,
            Money::zero(report),
            e.summary.clone(),
        );
        // An event on no channel still sits with someone.
        if let Some(d) = out.get_mut(before).filter(|d| d.owner.is_none()) {
            d.owner.clone_from(&e.assignee);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn due_dates_follow_severity() {
        // 2026-11-27 is a Friday.
        let today = date(2026, 11, 27);
        assert_eq!(due(Severity::Critical, today, Weekday::Monday), today);
        assert_eq!(due(Severity::Warning, today, Weekday::Monday), date(2026, 11, 30));
        assert_eq!(due(Severity::Info, today, Weekday::Monday), date(2026, 11, 30));
        // On review day itself, "next review" is a week on, not today.
        assert_eq!(due(Severity::Info, date(2026, 11, 30), Weekday::Monday), date(2026, 12, 7));
        assert_eq!(due(Severity::Info, today, Weekday::Saturday), date(2026, 11, 28));
    }
}
