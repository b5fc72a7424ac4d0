//! Order lines to weekly figures: revenue net of discounts, COGS and the
//! fee breakdown at the line's net unit price, in the channel's currency.

use std::collections::BTreeMap;

use rust_decimal::Decimal;

use super::ReadbackError;
use super::figures::LineFigures;
use crate::core::channel::Channel;
use crate::core::contribution::landed_cost;
use crate::core::fee_calc::{OrderContext, Sale, fee_breakdown};
use crate::core::ids::{ChannelId, Sku};
use crate::core::money::Money;
use crate::core::orders::{Order, OrderLine};
use crate::core::rules::Rules;
use crate::core::snapshot::FeeEstimate;

/// The channel's own fee estimates, newest per (channel, SKU); ties keep
/// the first given, so the caller's order (by source id) decides.
pub(super) fn newest_estimates(estimates: &[FeeEstimate]) -> BTreeMap<(ChannelId, Sku), &FeeEstimate> {
    let mut out: BTreeMap<(ChannelId, Sku), &FeeEstimate> = BTreeMap::new();
    for e in estimates {
        let key = (e.channel.clone(), e.sku.clone());
        if out.get(&key).is_none_or(|cur| e.estimated_at > cur.estimated_at) {
            out.insert(key, e);
        }
    }
    out
}

/// The figures of one order line. Each per-unit fee is rounded by the fee
/// breakdown and then multiplied by the units, so the fee column is a sum
/// of amounts a person can check line by line.
pub(super) fn line_figures(
    rules: &Rules,
    channel: &Channel,
    order: &Order,
    line: &OrderLine,
    estimates: &BTreeMap<(ChannelId, Sku), &FeeEstimate>,
) -> Result<LineFigures, ReadbackError> {
    let cur = channel.currency;
    let at = || (order.id.clone(), line.sku.clone());
    // A pending marketplace order has no price yet: leave it out of the
    // money rather than count it as free, and say so.
    let Some(unit_price) = line.unit_price else {
        let (order, sku) = at();
        return Err(ReadbackError::Unpriced { order, sku });
    };
    for m in [unit_price, line.discount] {
        if m.currency != cur {
            let (order, sku) = at();
            return Err(ReadbackError::Currency { order, sku, found: m.currency, expected: cur });
        }
    }
    let item = rules.catalog.get(line.sku.as_str()).ok_or_else(|| {
        let (order, sku) = at();
        ReadbackError::UnknownSku { order, sku }
    })?;
    let qty = Decimal::from(line.qty);
    let revenue = Money::new(unit_price.amount * qty - line.discount.amount, cur).rounded();
    let net_unit = revenue.divided_by(qty).map_or(revenue, Money::rounded);
    let landed = landed_cost(item.landed_cost, None, cur, &rules.brand.fx).map_err(|e| {
        let (order, sku) = at();
        ReadbackError::Rate { order, sku, source: e }
    })?;
    let units_per_order: u32 = order.lines.iter().map(|l| l.qty).sum();
    let sale = Sale {
        item,
        channel,
        price: net_unit,
        order: OrderContext { first_order: order.first_order, units_per_order: Decimal::from(units_per_order.max(1)) },
        estimate: estimates.get(&(channel.id.clone(), line.sku.clone())).copied(),
    };
    let breakdown = fee_breakdown(&sale).map_err(|e| {
        let (order, sku) = at();
        ReadbackError::Fees { order, sku, source: Box::new(e) }
    })?;
    let (mut fees, mut fulfilment) = (Decimal::ZERO, Decimal::ZERO);
    for f in &breakdown.lines {
        // "fulfilment" is the name fee_calc gives FBA, size-tier, pick-pack
        // and estimate fulfilment lines alike.
        if f.name == "fulfilment" {
            fulfilment += f.amount.amount * qty;
        } else {
            fees += f.amount.amount * qty;
        }
    }
    Ok(LineFigures {
        units: line.qty,
        revenue: revenue.amount,
        promotion_cost: line.discount.rounded().amount,
        cogs: landed.amount.amount * qty,
        fees,
        fulfilment,
    })
}
