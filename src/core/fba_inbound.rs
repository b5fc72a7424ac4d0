//! FBA inbound suggestions: what to send from the warehouse or 3PL to FBA.
//!
//! Need = FBA velocity × target cover − (FBA sellable + FBA inbound). What
//! may be sent is the sellable stock at the sending locations minus what
//! the channels those locations serve must keep: in scarcity their
//! ring-fences from the plan, otherwise their own velocity × target cover.
//! So a transfer never starves a channel the plan has fenced.

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;

use super::allocation::Plan;
use super::channel::Fulfilment;
use super::ids::{ChannelId, LocationId, Sku};
use super::location::LocationKind;
use super::pools::Sellable;
use super::rules::Rules;
use super::stock::StockPosition;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Transfer {
    pub sku: Sku,
    pub from: LocationId,
    pub to: LocationId,
    pub qty: u32,
    pub reason: String,
}

pub struct InboundInput<'a> {
    pub rules: &'a Rules,
    pub sellable: &'a Sellable,
    pub positions: &'a [&'a StockPosition],
    pub plan: &'a Plan,
    pub velocity: &'a BTreeMap<(Sku, ChannelId), Decimal>,
    pub target_cover_days: Decimal,
}

fn ceil_u32(d: Decimal) -> u32 {
    d.max(Decimal::ZERO).ceil().to_u32().unwrap_or(u32::MAX)
}

/// One suggestion per (SKU, FBA location) that needs stock and can get it.
pub fn suggest(input: &InboundInput<'_>) -> Vec<Transfer> {
    let rules = input.rules;
    let mut out = Vec::new();
    let fba_channels: Vec<&ChannelId> =
        rules.channels.values().filter(|c| c.fulfilment == Fulfilment::Fba).map(|c| &c.id).collect();
    for fba in rules.locations.values().filter(|l| l.kind == LocationKind::Fba) {
        for item in rules.catalog.iter().filter(|i| !i.is_kit()) {
            let v: Decimal = fba_channels
                .iter()
                .filter(|c| fba.serves.contains(**c))
                .map(|c| input.velocity.get(&(item.sku.clone(), (*c).clone())).copied().unwrap_or(Decimal::ZERO))
                .sum();
            let have = input.sellable.at(&item.sku, &fba.id);
            let inbound: u32 = input
                .positions
                .iter()
                .filter(|p| p.sku == item.sku && p.location == fba.id)
                .map(|p| p.inbound_total())
                .sum();
            let need = ceil_u32(v * input.target_cover_days).saturating_sub(have.saturating_add(inbound));
            if need == 0 {
                continue;
            }
            if let Some(t) = best_sender(input, &item.sku, need) {
                let reason = format!(
                    "FBA needs {need} ({v:.2}/day × {} days − {have} sellable − {inbound} inbound); {}",
                    input.target_cover_days, t.1
                );
                out.push(Transfer { sku: item.sku.clone(), from: t.0, to: fba.id.clone(), qty: t.2, reason });
            }
        }
    }
    out
}

/// The non-FBA location with the most spare units, and how many it can send.
fn best_sender(input: &InboundInput<'_>, sku: &Sku, need: u32) -> Option<(LocationId, String, u32)> {
    let rules = input.rules;
    let scarce = input.plan.scarce.iter().any(|s| &s.sku == sku);
    rules
        .locations
        .values()
        .filter(|l| l.kind != LocationKind::Fba)
        .map(|l| {
            let keep: u32 = l
                .serves
                .iter()
                .filter_map(|c| rules.channels.get(c))
                .filter(|c| c.fulfilment != Fulfilment::Fba)
                .map(|c| {
                    if scarce {
                        input.plan.lines.iter().find(|p| &p.sku == sku && p.channel == c.id).map_or(0, |p| p.qty)
                    } else {
                        let v = input.velocity.get(&(sku.clone(), c.id.clone())).copied().unwrap_or(Decimal::ZERO);
                        ceil_u32(v * input.target_cover_days)
                    }
                })
                .sum();
            let spare = input.sellable.at(sku, &l.id).saturating_sub(keep);
            (l, keep, spare)
        })
        .filter(|(_, _, spare)| *spare > 0)
        .max_by(|a, b| a.2.cmp(&b.2).then(b.0.id.cmp(&a.0.id)))
        .map(|(l, keep, spare)| {
            let qty = spare.min(need);
            let what = if scarce { "ring-fenced" } else { "cover" };
            (l.id.clone(), format!("send {qty} from {} keeping {keep} for its channels' {what}", l.id), qty)
        })
}
