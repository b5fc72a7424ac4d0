//! Replenishment: purchase-order suggestions per supplier.
//!
//! For each SKU with a supplier: the position is sellable units plus units
//! inbound to a location plus open purchase orders. The reorder point is
//! lead-time demand plus safety stock (velocity × safety days). At or below
//! it, order up to the target: demand over lead time plus one supplier
//! cycle, plus safety stock; round up to the case pack, and to the MOQ if
//! that is larger.

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;

use super::catalog::CatalogItem;
use super::ids::{Sku, SupplierId};
use super::orders::{PoStatus, PurchaseOrder};
use super::pools::Sellable;
use super::rules::Rules;
use super::stock::StockPosition;

/// One line of a suggested purchase order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReorderLine {
    pub sku: Sku,
    pub qty: u32,
    pub position: u32,
    pub reorder_point: u32,
    pub target: u32,
    pub reason: String,
}

/// What to order from one supplier now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PoSuggestion {
    pub supplier: SupplierId,
    pub lines: Vec<ReorderLine>,
}

/// One SKU's inputs: its trusted positions and open purchase orders.
pub struct ReplenishInput<'a> {
    pub rules: &'a Rules,
    pub sellable: &'a Sellable,
    pub positions: &'a [&'a StockPosition],
    pub purchase_orders: &'a [&'a PurchaseOrder],
    /// The SKU's units per day, all channels.
    pub velocity: Decimal,
    pub safety_days: Decimal,
}

fn ceil_u32(d: Decimal) -> u32 {
    d.max(Decimal::ZERO).ceil().to_u32().unwrap_or(u32::MAX)
}

fn round_up(qty: u32, pack: u32) -> u32 {
    qty.div_ceil(pack).saturating_mul(pack)
}

/// Group reorder lines by supplier, suppliers in id order and each
/// supplier's lines in the order given.
pub fn group(lines: impl IntoIterator<Item = (SupplierId, ReorderLine)>) -> Vec<PoSuggestion> {
    let mut by_supplier: BTreeMap<SupplierId, Vec<ReorderLine>> = BTreeMap::new();
    for (supplier, line) in lines {
        by_supplier.entry(supplier).or_default().push(line);
    }
    by_supplier.into_iter().map(|(supplier, lines)| PoSuggestion { supplier, lines }).collect()
}

/// The reorder line for one plain SKU, with its supplier, when its position
/// is at or below the reorder point.
pub fn suggest(input: &ReplenishInput<'_>, item: &CatalogItem) -> Option<(SupplierId, ReorderLine)> {
    let supplier = item.supplier.as_ref()?;
    let cadence = input.rules.suppliers.get(supplier)?.cadence_days;
    let v = input.velocity;
    if v <= Decimal::ZERO || item.is_kit() {
        return None;
    }
    let inbound: u32 = input.positions.iter().map(|p| p.inbound_total()).sum();
    let on_order: u32 = input.purchase_orders.iter().filter(|po| po.status == PoStatus::Open).map(|po| po.qty).sum();
    let sellable = input.sellable.total(&item.sku);
    let position = sellable.saturating_add(inbound).saturating_add(on_order);
    let safety = ceil_u32(v * input.safety_days);
    let lead = Decimal::from(item.lead_time_days);
    let reorder_point = ceil_u32(v * lead).saturating_add(safety);
    if position > reorder_point {
        return None;
    }
    let target = ceil_u32(v * (lead + Decimal::from(cadence))).saturating_add(safety);
    let pack = item.case_pack.get();
    let need = target.saturating_sub(position);
    let qty = round_up(need, pack).max(round_up(item.moq, pack));
    let reason = format!(
        "position {position} ({sellable} sellable + {inbound} inbound + {on_order} on order) ≤ reorder point \
         {reorder_point} ({v:.2}/day × {} days lead + {safety} safety); order up to {target}, \
         {need} rounded to case pack {pack}{}",
        item.lead_time_days,
        if qty > round_up(need, pack) { format!(", raised to MOQ {}", item.moq) } else { String::new() },
    );
    let line = ReorderLine { sku: item.sku.clone(), qty, position, reorder_point, target, reason };
    Some((supplier.clone(), line))
}
