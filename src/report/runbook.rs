//! `omnideck runbook CHANNEL`: the hand-over document for one channel —
//! everything someone needs to take it over without rebuilding context.

use std::fmt::Write as _;

use crate::config::Config;
use crate::core::channel::{Buffer, Channel};
use crate::core::evaluate::Cockpit;
use crate::core::fees::FulfilmentFee;
use crate::core::pricing::CompetitorResponse;
use crate::core::text::clean;
use crate::store::Decision;

fn person(p: &crate::core::channel::Person) -> String {
    match &p.contact {
        Some(c) => format!("{} ({})", clean(&p.name), clean(c)),
        None => clean(&p.name).into_owned(),
    }
}

fn fees(o: &mut String, c: &Channel) {
    let _ = writeln!(o, "\n## Fee model\n");
    let Some(f) = &c.fees else {
        let _ = writeln!(o, "None configured: the channel is gated until it has one.");
        return;
    };
    if let Some(r) = &f.referral {
        let min = r.min_per_item.map(|m| format!(", at least {m} per item")).unwrap_or_default();
        let _ = writeln!(o, "- referral: {}{min}", r.rate);
    }
    if let Some(p) = &f.payment {
        let _ = writeln!(o, "- payment processing: {} + {} per order", p.rate, p.fixed_per_order);
    }
    if let Some(cm) = &f.commission {
        let _ = writeln!(o, "- commission: {} on first orders, {} on reorders", cm.first_order, cm.reorder);
    }
    if let Some(v) = &f.final_value {
        let _ = writeln!(o, "- final-value fee: {} + {} per order", v.rate, v.per_order);
    }
    match &f.fulfilment {
        Some(FulfilmentFee::PerUnit(m)) => drop(writeln!(o, "- fulfilment: {m} per unit")),
        Some(FulfilmentFee::SizeTiers(t)) => {
            let tiers: Vec<String> = t.iter().map(|(k, v)| format!("{k} {v}")).collect();
            let _ = writeln!(o, "- fulfilment by size tier: {} (a live fee estimate overrides)", tiers.join(", "));
        }
        Some(FulfilmentFee::PickPack { per_order, per_unit }) => {
            let _ = writeln!(o, "- pick and pack: {per_order} per order + {per_unit} per unit");
        }
        None => {}
    }
    if let Some(s) = f.shipping_subsidy_per_order {
        let _ = writeln!(o, "- shipping subsidy: {s} per order");
    }
    if let Some(r) = f.returns_allowance {
        let _ = writeln!(o, "- returns allowance: {r} of the net price");
    }
    let _ = writeln!(o, "- per-order amounts spread over {} units per order", f.units_per_order.normalize());
}

fn rules(o: &mut String, c: &Channel) {
    let _ = writeln!(o, "\n## Allocation and price rules\n");
    match &c.allocation {
        Some(a) => {
            let buffer = match a.buffer {
                Buffer::Fixed(n) => format!("hold back {n} units"),
                Buffer::Percent(f) => format!("hold back {f} of the pool"),
                Buffer::SyncLag => "hold back one poll interval of sales (sync lag)".to_owned(),
            };
            let cap = a.cap.map(|c| format!(", never more than {c} per SKU")).unwrap_or_default();
            let _ = writeln!(o, "- allocation: {buffer}{cap}; priority {} in scarcity", a.priority);
        }
        None => drop(writeln!(o, "- allocation: none configured (gated)")),
    }
    match &c.pricing {
        Some(p) => {
            let margin = p.floor.margin.map(|m| format!("margin {m}")).unwrap_or_default();
            let amount = p.floor.amount.map(|a| format!(" amount {a}")).unwrap_or_default();
            let _ = writeln!(o, "- margin floor: {margin}{amount}; drift tolerance {}", p.drift_tolerance);
            for (g, f) in &p.group_floors {
                let _ = writeln!(o, "  - group {g}: margin {}", f.margin.map(|m| m.to_string()).unwrap_or_default());
            }
            if let Some(par) = &p.parity {
                let against: Vec<&str> = par.against.iter().map(crate::core::ids::ChannelId::as_str).collect();
                let _ = writeln!(o, "- parity against {} (tolerance {})", against.join(", "), par.tolerance);
            }
            let response = match &p.competitor {
                CompetitorResponse::Match => "match".to_owned(),
                CompetitorResponse::Hold => "hold".to_owned(),
                CompetitorResponse::UndercutAmount(m) => format!("undercut by {m}"),
                CompetitorResponse::UndercutFraction(f) => format!("undercut by {f}"),
            };
            let _ = writeln!(o, "- competitor response: {response}, never below the floor price or MAP");
        }
        None => drop(writeln!(o, "- pricing: none configured (gated)")),
    }
}

/// The runbook for `channel`, from the config, the evaluated read and the
/// recent decisions.
pub fn markdown(config: &Config, cockpit: &Cockpit, decisions: &[Decision], channel: &Channel) -> String {
    let mut o = String::new();
    let id = channel.id.as_str();
    let _ = writeln!(o, "# Runbook — {} ({id})\n", clean(&channel.name));
    let _ = writeln!(o, "Status: {:?}. Sells in {}.", channel.status, channel.currency);
    let _ = writeln!(o, "\n## Owner and escalation chain\n");
    let _ = writeln!(o, "- owner: {}", channel.owner.as_ref().map_or("none (gated)".to_owned(), person));
    for (i, p) in channel.escalation_chain.iter().enumerate() {
        let _ = writeln!(o, "- then {}: {}", i + 1, person(p));
    }
    let s = &config.rules.slas;
    let _ = writeln!(
        o,
        "- SLAs before an unacknowledged event moves on: critical {} h, warning {} h, info {} h",
        s.critical.as_hours(),
        s.warning.as_hours(),
        s.info.as_hours()
    );
    let _ = writeln!(o, "\n## Sources\n");
    match channel.source.as_ref().and_then(|sid| config.sources.get(sid).map(|sc| (sid, sc))) {
        Some((sid, sc)) => {
            let status = cockpit.sources.get(sid);
            let fetched = status.and_then(|s| s.fetched_at).map_or("never".to_owned(), |t| t.to_string());
            let _ = writeln!(
                o,
                "- {sid} ({}), polled every {} s, last fetched {fetched}",
                sc.kind.name(),
                sc.poll_interval.as_secs()
            );
            if let Some(e) = status.and_then(|s| s.last_error.as_ref()) {
                let _ = writeln!(o, "- last error: {}", clean(&e.message));
            }
        }
        None => drop(writeln!(o, "- none configured")),
    }
    fees(&mut o, channel);
    rules(&mut o, channel);
    frictions(&mut o, cockpit, decisions, id);
    o
}

fn frictions(o: &mut String, cockpit: &Cockpit, decisions: &[Decision], id: &str) {
    let _ = writeln!(o, "\n## Open escalations\n");
    let open: Vec<_> = cockpit
        .events
        .iter()
        .filter(|e| !e.state.is_closed() && e.channel.as_ref().is_some_and(|c| c.as_str() == id))
        .collect();
    if open.is_empty() {
        let _ = writeln!(o, "None.");
    }
    for e in open {
        let who = e.assignee.as_deref().unwrap_or("unassigned");
        let _ = writeln!(o, "- {} {} ({:?}, with {who})", e.severity.word(), clean(&e.summary), e.state);
    }
    let _ = writeln!(o, "\n## Recent decisions\n");
    let mine: Vec<_> = decisions.iter().filter(|d| d.channel.as_deref() == Some(id)).take(10).collect();
    if mine.is_empty() {
        let _ = writeln!(o, "None recorded.");
    }
    for d in mine {
        let follow = d.follow_up.map(|t| format!(" — follow up {t}")).unwrap_or_default();
        let _ = writeln!(o, "- {} {}: {}{follow}", d.at, clean(&d.who), clean(&d.text));
    }
    let flags = cockpit.flags.iter().filter(|f| f.channel.as_str() == id).count();
    let collisions = cockpit.collisions.iter().filter(|c| c.channels.iter().any(|ch| ch.as_str() == id)).count();
    let _ = writeln!(o, "\n## Known frictions\n");
    let _ = writeln!(o, "- {flags} price flags and {collisions} promotion collisions in the current read");
    if let Some(rb) = cockpit.readback.channels.iter().find(|c| c.channel.as_str() == id) {
        let _ = writeln!(
            o,
            "- readback {}: {} — {}",
            cockpit.readback.week,
            rb.classification.class.word(),
            clean(&rb.classification.reason)
        );
        if let Some(r) = &rb.retire {
            let _ = writeln!(o, "- retire signal: {}", clean(&r.reason));
        }
    }
}
