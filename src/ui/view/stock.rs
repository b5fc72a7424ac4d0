//! Stock rows: one per SKU, the plan's quantity per channel, and behind
//! each the reason for every number. Everything is grouped by SKU once, so
//! building stays linear in the size of the plan.

use std::collections::{BTreeMap, BTreeSet};

use jiff::Timestamp;
use rust_decimal::Decimal;

use super::format::{age, safe};
use super::rows::{Field, Level, StockRow, StockTable, haystack};
use crate::core::allocation::{PlanLine, Scarcity};
use crate::core::evaluate::Cockpit;
use crate::core::ids::{ChannelId, Sku, SourceId};
use crate::core::inventory::sku_velocity;

/// Everything about one SKU, gathered before its row is built.
#[derive(Default)]
struct PerSku<'a> {
    lines: Vec<&'a PlanLine>,
    detail: Vec<Field>,
    sources: BTreeSet<&'a SourceId>,
}

pub(super) fn table(cockpit: &Cockpit, stale: &BTreeSet<SourceId>) -> StockTable {
    let inv = &cockpit.inventory;
    let ids: BTreeSet<&ChannelId> = inv.plan.lines.iter().map(|l| &l.channel).collect();
    let column: BTreeMap<&ChannelId, usize> = ids.iter().enumerate().map(|(i, c)| (*c, i)).collect();
    let mut per: BTreeMap<&Sku, PerSku> = BTreeMap::new();
    for l in &inv.plan.lines {
        per.entry(&l.sku).or_default().lines.push(l);
    }
    gather_detail(cockpit, &mut per);
    let ctx = RowContext {
        cockpit,
        stale,
        column: &column,
        velocity: sku_velocity(&inv.velocity),
        scarce: inv.plan.scarce.iter().map(|s| (&s.sku, s)).collect(),
    };
    let rows = per.into_iter().map(|(sku, p)| row(&ctx, sku, p)).collect();
    StockTable { channels: ids.into_iter().map(|c| safe(c.as_str())).collect(), rows }
}

/// What every row looks up, computed once per table.
struct RowContext<'a> {
    cockpit: &'a Cockpit,
    stale: &'a BTreeSet<SourceId>,
    column: &'a BTreeMap<&'a ChannelId, usize>,
    velocity: BTreeMap<Sku, Decimal>,
    scarce: BTreeMap<&'a Sku, &'a Scarcity>,
}

fn row(ctx: &RowContext<'_>, sku: &Sku, p: PerSku<'_>) -> StockRow {
    let pool = ctx.cockpit.inventory.sellable.total(sku);
    let cover = ctx.velocity.get(sku).filter(|v| **v > Decimal::ZERO).map(|v| Decimal::from(pool) / v);
    let mut quantities = vec![None; ctx.column.len()];
    for l in &p.lines {
        if let Some(i) = ctx.column.get(&l.channel) {
            quantities[*i] = Some(l.qty);
        }
    }
    let scarcity = ctx.scarce.get(sku);
    let level = match (pool, scarcity) {
        (0, _) => Level::Critical,
        (_, Some(_)) => Level::Warning,
        _ => Level::Ok,
    };
    let mut detail = vec![Field::plain(format!("pool: {pool} sellable over every location"))];
    if let Some(s) = scarcity {
        detail.push(Field::plain(format!("▼ scarcity: {}", safe(&s.reason))));
    }
    let reason = |l: &&PlanLine| Field::plain(format!("{}: {} — {}", safe(l.channel.as_str()), l.qty, safe(&l.reason)));
    detail.extend(p.lines.iter().map(reason));
    detail.extend(p.detail);
    let sku_text = safe(sku.as_str());
    StockRow {
        search: haystack([sku_text.as_str(), if scarcity.is_some() { "scarce" } else { "" }]),
        sku: sku_text,
        quantities,
        pool,
        cover_days: cover.map(|c| format!("{}d", c.round_dp(1))),
        scarce: scarcity.is_some(),
        level,
        stale: p.sources.iter().any(|s| ctx.stale.contains(*s)),
        detail,
    }
}

/// Positions, velocity, transfers, reorders and disagreements, per SKU.
fn gather_detail<'a>(cockpit: &'a Cockpit, per: &mut BTreeMap<&'a Sku, PerSku<'a>>) {
    let inv = &cockpit.inventory;
    let now = cockpit.now;
    for ((sku, loc), pos) in &inv.view.trusted {
        let Some(p) = per.get_mut(sku) else { continue };
        p.sources.insert(&pos.source);
        let v = &pos.value;
        let fetched = cockpit.sources.get(&pos.source).and_then(|s| s.fetched_at);
        p.detail.push(Field::plain(format!(
            "at {}: {} sellable of {} on hand ({} committed, {} reserved) per {}, {} old",
            safe(loc.as_str()),
            inv.sellable.at(sku, loc),
            v.on_hand,
            v.committed,
            v.reserved,
            safe(pos.source.as_str()),
            age(fetched, now)
        )));
    }
    for ((sku, channel), v) in &inv.velocity {
        if let Some(p) = per.get_mut(sku) {
            p.detail.push(Field::plain(format!("velocity on {}: {}", safe(channel.as_str()), safe(&v.reason))));
        }
    }
    for t in &inv.transfers {
        if let Some(p) = per.get_mut(&t.sku) {
            let text = format!(
                "→ move {} from {} to {}: {}",
                t.qty,
                safe(t.from.as_str()),
                safe(t.to.as_str()),
                safe(&t.reason)
            );
            p.detail.push(Field::plain(text));
        }
    }
    for po in &inv.reorders {
        for l in &po.lines {
            if let Some(p) = per.get_mut(&l.sku) {
                let text = format!("↻ reorder {} from {}: {}", l.qty, safe(po.supplier.as_str()), safe(&l.reason));
                p.detail.push(Field::plain(text));
            }
        }
    }
    for d in &inv.view.disagreements {
        if let Some(p) = per.get_mut(&d.sku) {
            p.detail.push(Field::plain(disagreement(d, now)));
        }
    }
}

fn disagreement(d: &crate::core::stock_view::Disagreement, now: Timestamp) -> String {
    let reports: Vec<String> = d
        .reports
        .iter()
        .map(|r| format!("{} says {} sellable ({} old)", safe(r.source.as_str()), r.sellable, age(r.fetched_at, now)))
        .collect();
    format!(
        "≠ sources disagree at {} by {}: {}; trusting {}",
        safe(d.location.as_str()),
        d.spread,
        reports.join(", "),
        safe(d.trusted.as_str())
    )
}
