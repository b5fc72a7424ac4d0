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

use super::allocation::PlanLine;
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

/// One SKU's inputs: its trusted positions and its plan lines.
pub struct InboundInput<'a> {
    pub rules: &'a Rules,
    pub sellable: &'a Sellable,
    pub sku: &'a Sku,
    pub positions: &'a [&'a StockPosition],
    pub lines: &'a [PlanLine],
    pub scarce: bool,
    /// The SKU's units per day per channel.
    pub velocity: &'a BTreeMap<ChannelId, Decimal>,
    pub target_cover_days: Decimal,
}

fn ceil_u32(d: Decimal) -> u32 {
    d.max(Decimal::ZERO).ceil().to_u32().unwrap_or(u32::MAX)
}

fn velocity(input: &InboundInput<'_>, channel: &ChannelId) -> Decimal {
    input.velocity.get(channel).copied().unwrap_or(Decimal::ZERO)
}

/// One suggestion per FBA location that needs stock of the SKU and can get
/// it, in location order.
pub fn suggest(input: &InboundInput<'_>) -> Vec<Transfer> {
    let rules = input.rules;
    let sku = input.sku;
    let mut out = Vec::new();
    let fba_channels: Vec<&ChannelId> =
        rules.channels.values().filter(|c| c.fulfilment == Fulfilment::Fba).map(|c| &c.id).collect();
    for fba in rules.locations.values().filter(|l| l.kind == LocationKind::Fba) {
        let v: Decimal = fba_channels.iter().filter(|c| fba.serves.contains(**c)).map(|c| velocity(input, c)).sum();
        let have = input.sellable.at(sku, &fba.id);
        let inbound: u32 = input.positions.iter().filter(|p| p.location == fba.id).map(|p| p.inbound_total()).sum();
        let need = ceil_u32(v * input.target_cover_days).saturating_sub(have.saturating_add(inbound));
        if need == 0 {
            continue;
        }
        if let Some(t) = best_sender(input, need) {
            let reason = format!(
                "FBA needs {need} ({v:.2}/day × {} days − {have} sellable − {inbound} inbound); {}",
                input.target_cover_days, t.1
            );
            out.push(Transfer { sku: sku.clone(), from: t.0, to: fba.id.clone(), qty: t.2, reason });
        }
    }
    out
}

/// The non-FBA location with the most spare units, and how many it can send.
fn best_sender(input: &InboundInput<'_>, need: u32) -> Option<(LocationId, String, u32)> {
    let rules = input.rules;
    let scarce = input.scarce;
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
                        input.lines.iter().find(|p| p.channel == c.id).map_or(0, |p| p.qty)
                    } else {
                        ceil_u32(velocity(input, &c.id) * input.target_cover_days)
                    }
                })
                .sum();
            let spare = input.sellable.at(input.sku, &l.id).saturating_sub(keep);
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
