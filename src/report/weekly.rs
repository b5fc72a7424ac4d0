//! `omnideck report`: the weekly read on one screen of text (Markdown), as
//! JSON for scripts, or as CSV of the channel table.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use jiff::Timestamp;
use serde_json::{Value, json};

use crate::core::escalation::{Event, State};
use crate::core::evaluate::Cockpit;
use crate::core::money::Money;
use crate::core::readback::{ChannelReadback, DecisionCheck, Recorded};
use crate::core::text::clean;

fn pct(d: rust_decimal::Decimal) -> String {
    format!("{}%", (d * rust_decimal::Decimal::ONE_HUNDRED).round_dp(1).normalize())
}

fn m(x: Money) -> String {
    x.rounded().to_string()
}

fn age(now: Timestamp, at: Option<Timestamp>) -> String {
    at.map_or_else(
        || "never fetched".to_owned(),
        |t| {
            let mins = now.duration_since(t).as_secs() / 60;
            if mins < 120 { format!("{mins} min old") } else { format!("{} h old", mins / 60) }
        },
    )
}

fn open_events(c: &Cockpit) -> impl Iterator<Item = &Event> {
    c.events.iter().filter(|e| !e.state.is_closed())
}

/// The readback as Markdown: short enough to read, structured enough to
/// drive the weekly decision.
pub fn markdown(c: &Cockpit, brand: &str) -> String {
    let mut o = String::new();
    let rb = &c.readback;
    let _ = writeln!(o, "# {} — weekly read {}\n", clean(brand), rb.week);
    let _ =
        writeln!(o, "| channel | class | revenue | contribution | after op. cost | rev. share | op-cost share | why |");
    let _ = writeln!(o, "|---|---|---:|---:|---:|---:|---:|---|");
    for ch in &rb.channels {
        channel_row(&mut o, ch);
    }
    let t = &rb.total;
    let _ = writeln!(
        o,
        "| **total** | | {} | {} | {} | | | |\n",
        m(t.revenue),
        m(t.contribution),
        m(t.after_operating_cost)
    );
    for ch in rb.channels.iter().filter_map(|ch| ch.retire.as_ref().map(|r| (ch, r))) {
        let _ = writeln!(o, "**Retire signal — {}**: {} ({})\n", ch.0.name, ch.1.reason, ch.1.rule);
    }
    for ch in rb.channels.iter().filter(|ch| !ch.from_store.is_empty()) {
        let weeks: Vec<String> = ch.from_store.iter().map(ToString::to_string).collect();
        let _ =
            writeln!(o, "{}: {} from the store (the orders no longer reach back)\n", clean(&ch.name), weeks.join(", "));
    }
    carried_md(&mut o, c);
    let _ = writeln!(o, "## Next decisions\n");
    for (i, d) in c.next_decisions.iter().enumerate() {
        let owner = d.owner.as_deref().unwrap_or("no owner");
        let _ = writeln!(
            o,
            "{}. {} — {} by {} ({} at stake, {})",
            i + 1,
            clean(&d.what),
            owner,
            d.due,
            m(d.at_stake),
            d.severity.word()
        );
    }
    let _ = writeln!(
        o,
        "\n## Flags and collisions\n\n{} price flags, {} promotion collisions, {} SKUs in scarcity, {} reorders, {} FBA transfers.\n",
        c.flags.len(),
        c.collisions.len(),
        c.inventory.plan.scarce.len(),
        c.inventory.reorders.iter().map(|p| p.lines.len()).sum::<usize>(),
        c.inventory.transfers.len()
    );
    escalations_md(&mut o, c);
    let _ = writeln!(o, "\n## Sources\n");
    for s in c.sources.values() {
        let err =
            s.last_error.as_ref().map(|e| format!(" — last poll failed: {}", clean(&e.message))).unwrap_or_default();
        let _ = writeln!(o, "- {}: {}{}", s.source, age(c.now, s.fetched_at), err);
    }
    o
}

fn channel_row(o: &mut String, ch: &ChannelReadback) {
    let r = &ch.report;
    let stale = if ch.stale { " (stale)" } else { "" };
    let _ = writeln!(
        o,
        "| {}{} | {} | {} | {} | {} | {} | {} | {} |",
        clean(&ch.name),
        stale,
        ch.classification.class.word(),
        m(r.revenue),
        m(r.contribution),
        m(r.after_operating_cost),
        pct(ch.shares.revenue),
        pct(ch.shares.operating_cost),
        clean(&ch.classification.reason)
    );
}

/// Last week's decisions and whether they were carried out.
fn carried_md(o: &mut String, c: &Cockpit) {
    let _ = writeln!(o, "## Decisions of {} and whether they were carried out\n", c.readback.week);
    if c.carried.is_empty() {
        let _ = writeln!(o, "None recorded.\n");
        return;
    }
    let _ = writeln!(o, "| taken | who | on | decision | status | due | why |");
    let _ = writeln!(o, "|---|---|---|---|---|---|---|");
    for x in &c.carried {
        let d = &x.decision;
        let _ = writeln!(
            o,
            "| {} | {} | {} | {} | {} | {} | {} |",
            d.at,
            clean(&d.who),
            clean(&decision_subject(d)),
            clean(&d.text).replace('|', "/"),
            x.status.word(),
            x.due,
            clean(&x.reason)
        );
    }
    let _ = writeln!(o);
}

/// The channel, SKU and item a decision was about, e.g. `ebay-us SKU-1 (retire:ebay-us)`.
fn decision_subject(d: &Recorded) -> String {
    let parts: Vec<&str> = [&d.channel, &d.sku].into_iter().flatten().map(String::as_str).collect();
    let key = d.key.as_deref().map(|k| format!("({k})")).unwrap_or_default();
    let text = format!("{} {key}", parts.join(" "));
    text.trim().replace('|', "/")
}

fn escalations_md(o: &mut String, c: &Cockpit) {
    let mut by_owner: BTreeMap<&str, Vec<&Event>> = BTreeMap::new();
    for e in open_events(c) {
        by_owner.entry(e.assignee.as_deref().unwrap_or("unassigned")).or_default().push(e);
    }
    let _ = writeln!(o, "## Escalations by owner\n");
    if by_owner.is_empty() {
        let _ = writeln!(o, "None open.");
    }
    for (owner, events) in by_owner {
        let _ = writeln!(o, "- **{owner}**");
        for e in events {
            let state = if e.state == State::Acknowledged { " (acknowledged)" } else { "" };
            let _ = writeln!(o, "  - {} {}{}", e.severity.word(), clean(&e.summary), state);
        }
    }
}

/// Everything as JSON; amounts are decimal strings with their currency.
pub fn json(c: &Cockpit) -> serde_json::Result<String> {
    let money = |x: Money| json!({ "amount": x.rounded().amount.to_string(), "currency": x.currency.code() });
    let channels: Vec<Value> =
        c.readback.channels.iter().map(|ch| serde_json::to_value(ch).unwrap_or(Value::Null)).collect();
    let decisions: Vec<Value> = c
        .next_decisions
        .iter()
        .map(|d| {
            json!({ "key": d.key, "owner": d.owner, "due": d.due.to_string(), "severity": d.severity.word(),
                          "at_stake": money(d.at_stake), "what": clean(&d.what) })
        })
        .collect();
    let sources: Vec<Value> = c
        .sources
        .values()
        .map(|s| {
            json!({ "source": s.source.as_str(), "fetched_at": s.fetched_at.map(|t| t.to_string()),
                          "last_error": s.last_error.as_ref().map(|e| clean(&e.message).into_owned()) })
        })
        .collect();
    let plan: Vec<Value> = c
        .inventory
        .plan
        .lines
        .iter()
        .map(|l| json!({ "sku": l.sku.as_str(), "channel": l.channel.as_str(), "qty": l.qty, "reason": l.reason }))
        .collect();
    let flags: Vec<Value> = c
        .flags
        .iter()
        .map(|f| {
            json!({ "channel": f.channel.as_str(), "sku": f.sku.as_ref().map(crate::core::ids::Sku::as_str),
                          "owner": f.owner, "flag": clean(&f.kind.to_string()) })
        })
        .collect();
    let collisions: Vec<Value> =
        c.collisions.iter().map(|x| json!({ "kind": format!("{:?}", x.kind), "detail": clean(&x.detail) })).collect();
    let events: Vec<Value> = c.events.iter().map(|e| serde_json::to_value(e).unwrap_or(Value::Null)).collect();
    let out = json!({
        "now": c.now.to_string(),
        "week": c.readback.week.to_string(),
        "sources": sources,
        "channels": channels,
        "total": serde_json::to_value(&c.readback.total).unwrap_or(Value::Null),
        "next_decisions": decisions,
        "last_week_decisions": c.carried.iter().map(carried_json).collect::<Vec<_>>(),
        "plan": plan,
        "scarce": c.inventory.plan.scarce.iter().map(|s| json!({ "sku": s.sku.as_str(), "reason": s.reason })).collect::<Vec<_>>(),
        "flags": flags,
        "collisions": collisions,
        "escalations": events,
        "problems": c.readback.problems.iter().map(ToString::to_string).collect::<Vec<_>>(),
        "issues": c.issues.iter().map(|i| json!({ "source": i.source.as_str(), "place": clean(&i.value.place), "message": clean(&i.value.message) })).collect::<Vec<_>>(),
    });
    serde_json::to_string_pretty(&out).map(|s| s + "\n")
}

fn carried_json(x: &DecisionCheck) -> Value {
    let d = &x.decision;
    json!({ "at": d.at.to_string(), "who": clean(&d.who), "channel": d.channel, "sku": d.sku, "key": d.key,
            "text": clean(&d.text), "follow_up": d.follow_up.map(|t| t.to_string()), "due": x.due.to_string(),
            "status": x.status, "reason": x.reason })
}

/// The channel table as CSV.
pub fn csv(c: &Cockpit) -> String {
    let mut o = String::from(
        "week,channel,class,revenue,promotion_cost,cogs,fees,fulfilment,contribution,operating_cost,after_operating_cost,revenue_share,operating_cost_share,currency\n",
    );
    for ch in &c.readback.channels {
        let r = &ch.report;
        let a = |x: Money| x.rounded().amount.to_string();
        let _ = writeln!(
            o,
            "{},{},{},{},{},{},{},{},{},{},{},{},{},{}",
            c.readback.week,
            ch.channel,
            ch.classification.class.word(),
            a(r.revenue),
            a(r.promotion_cost),
            a(r.cogs),
            a(r.fees),
            a(r.fulfilment),
            a(r.contribution),
            a(r.operating.total),
            a(r.after_operating_cost),
            ch.shares.revenue.round_dp(4),
            ch.shares.operating_cost.round_dp(4),
            r.revenue.currency
        );
    }
    carried_csv(&mut o, c);
    o
}

/// Last week's decisions as a second table after a blank line.
fn carried_csv(o: &mut String, c: &Cockpit) {
    let _ = writeln!(o, "\nweek,taken,who,channel,sku,key,decision,status,due,reason");
    for x in &c.carried {
        let d = &x.decision;
        let opt = |v: &Option<String>| v.as_deref().map(field).unwrap_or_default();
        let _ = writeln!(
            o,
            "{},{},{},{},{},{},{},{},{},{}",
            c.readback.week,
            d.at,
            field(&d.who),
            opt(&d.channel),
            opt(&d.sku),
            opt(&d.key),
            field(&d.text),
            x.status.word(),
            x.due,
            field(&x.reason)
        );
    }
}

/// A free-text CSV field: cleaned of control characters, quoted when it
/// holds a comma, a quote or a line break.
fn field(s: &str) -> String {
    let s = clean(s);
    if s.contains([',', '"', '\n', '\r']) { format!("\"{}\"", s.replace('"', "\"\"")) } else { s.into_owned() }
}
