//! Stock rows: one per SKU, the plan's quantity per channel, and behind
//! each the reason for every number. Everything is grouped by SKU once, so
//! building stays linear in the size of the plan.

use std::collections::{BTreeMap, BTreeSet};

use jiff::Timestamp;
use rust_decimal::Decimal;

use super::format::{age, safe};
use super::rows::{Field, Level, StockRow, StockTable, haystack};
use crate::core::evaluate::Cockpit;
use crate::core::ids::{Sku, SourceId};
use crate::core::inventory::sku_velocity;

/// Everything about one SKU, gathered before its row is built.
#[derive(Default)]
struct PerSku<'a> {
    lines: Vec<&'a crate::core::allocation::PlanLine>,
    detail: Vec<Field>,
    sources: BTreeSet<&'a SourceId>,
}

pub(super) fn table(cockpit: &Cockpit, stale: &BTreeSet<SourceId>) -> StockTable {
    let inv = &cockpit.inventory;
    let channels: Vec<String> =
        inv.plan.lines.iter().map(|l| l.channel.as_str()).collect::<BTreeSet<_>>().into_iter().map(safe).collect();
    let mut per: BTreeMap<&Sku, PerSku> = BTreeMap::new();
    for l in &inv.plan.lines {
        per.entry(&l.sku).or_default().lines.push(l);
    }
    gather_detail(cockpit, &mut per);
    let velocity = sku_velocity(&inv.velocity);
    let scarce: BTreeMap<&Sku, &crate::core::allocation::Scarcity> =
        inv.plan.scarce.iter().map(|s| (&s.sku, s)).collect();
    let rows = per
        .into_iter()
        .map(|(sku, p)| {
            let pool = inv.sellable.total(sku);
            let cover = velocity.get(sku).filter(|v| **v > Decimal::ZERO).map(|v| Decimal::from(pool) / v);
            let quantities = channels
                .iter()
                .map(|c| p.lines.iter().find(|l| safe(l.channel.as_str()) == *c).map(|l| l.qty))
                .collect();
            let is_scarce = scarce.contains_key(sku);
            let level = if pool == 0 {
                Level::Critical
            } else if is_scarce {
                Level::Warning
            } else {
                Level::Ok
            };
            let mut detail = vec![Field::plain(format!("pool: {pool} sellable over every location"))];
            if let Some(s) = scarce.get(sku) {
                detail.push(Field::plain(format!("▼ scarcity: {}", safe(&s.reason))));
            }
            detail.extend(
                p.lines
                    .iter()
                    .map(|l| Field::plain(format!("{}: {} — {}", safe(l.channel.as_str()), l.qty, safe(&l.reason)))),
            );
            detail.extend(p.detail);
            let sku_text = safe(sku.as_str());
            StockRow {
                search: haystack([sku_text.as_str(), if is_scarce { "scarce" } else { "" }]),
                sku: sku_text,
                quantities,
                pool,
                cover_days: cover.map(|c| format!("{}d", c.round_dp(1))),
                scarce: is_scarce,
                level,
                stale: p.sources.iter().any(|s| stale.contains(*s)),
                detail,
            }
        })
        .collect();
    StockTable { channels, rows }
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
