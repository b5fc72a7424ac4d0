//! The fee breakdown of one sale: every part of a channel's [`FeeModel`]
//! that applies, line by line, each rounded to the minor unit.
//!
//! Every line is kept as `rate × price + fixed` before rounding, so the
//! floor-price solver in [`super::floor`] can treat the fees as the linear
//! function of the price they are. Per-order amounts are spread over the
//! order's units. An Amazon Product Fees estimate for the SKU replaces the
//! configured referral and fulfilment lines; its referral is read as a rate
//! (its amount ÷ the price it was estimated at) so it still follows the
//! price, and the breakdown says it came from the estimate.

use std::fmt::Write as _;

use rust_decimal::Decimal;

use super::catalog::CatalogItem;
use super::channel::Channel;
use super::fees::{FeeModel, FulfilmentFee};
use super::ids::{ChannelId, Sku};
use super::money::{CurrencyMismatch, Money};
use super::snapshot::FeeEstimate;

/// Who is buying and how many units share an order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OrderContext {
    /// Wholesale: a retailer's first order pays the higher commission.
    pub first_order: bool,
    /// Units per order, over which per-order amounts are spread (≥ 1).
    pub units_per_order: Decimal,
}

impl OrderContext {
    /// The typical order for a channel: a reorder of the configured size.
    pub fn typical(model: &FeeModel) -> Self {
        OrderContext { first_order: false, units_per_order: model.units_per_order }
    }
}

/// One line of a fee breakdown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeeLine {
    pub name: String,
    /// Per unit, rounded to the minor unit.
    pub amount: Money,
    /// How the amount was reached, for a person checking it.
    pub basis: String,
}

/// Every fee on one unit sold.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeeBreakdown {
    pub lines: Vec<FeeLine>,
    /// The sum of the rounded lines.
    pub total: Money,
    /// Set when a channel's own estimate replaced configured lines.
    pub overridden_by: Option<String>,
}

/// Why a fee breakdown cannot be given.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FeeError {
    #[error("channel {channel} has no fee model (channels.{channel}.fees)")]
    NoFeeModel { channel: ChannelId },
    #[error("SKU {sku} has no size_tier in the catalog, and channel {channel} prices fulfilment by size tier")]
    NoSizeTier { sku: Sku, channel: ChannelId },
    #[error("size tier {tier:?} of SKU {sku} is not in channels.{channel}.fees.fulfilment.size_tiers")]
    UnknownSizeTier { sku: Sku, channel: ChannelId, tier: String },
    #[error("units per order must be at least 1, found {0}")]
    BadUnitsPerOrder(Decimal),
    #[error("{sku} on {channel}: {place}: {mismatch}")]
    Currency { sku: Sku, channel: ChannelId, place: &'static str, mismatch: CurrencyMismatch },
    #[error("{sku} on {channel}: price {price} is negative")]
    NegativePrice { sku: Sku, channel: ChannelId, price: Money },
}

/// A fee as a function of the unit price `p`: `rate × p + fixed`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Linear {
    pub rate: Decimal,
    pub fixed: Decimal,
}

impl Linear {
    fn at(self, price: Decimal) -> Decimal {
        self.rate * price + self.fixed
    }
}

/// One sale to price: the SKU, the channel, the unit price (net of any
/// promotion) and the order it is part of.
#[derive(Debug, Clone, Copy)]
pub struct Sale<'a> {
    pub item: &'a CatalogItem,
    pub channel: &'a Channel,
    pub price: Money,
    pub order: OrderContext,
    /// The channel's own fee estimate for this SKU, if it sent one.
    pub estimate: Option<&'a FeeEstimate>,
}

impl Sale<'_> {
    /// The same sale at another price.
    #[must_use]
    pub fn at(&self, price: Money) -> Self {
        Sale { price, ..*self }
    }
}

/// An unrounded fee line.
#[derive(Debug, Clone)]
pub(crate) struct Part {
    pub name: String,
    pub fee: Linear,
    pub basis: String,
}

/// The fee breakdown of one unit sold.
pub fn fee_breakdown(sale: &Sale<'_>) -> Result<FeeBreakdown, FeeError> {
    let parts = fee_parts(sale)?;
    let cur = sale.price.currency;
    let lines: Vec<FeeLine> = parts
        .into_iter()
        .map(|p| FeeLine {
            name: p.name,
            amount: Money::new(p.fee.at(sale.price.amount), cur).rounded(),
            basis: p.basis,
        })
        .collect();
    let total = Money::new(lines.iter().map(|l| l.amount.amount).sum(), cur);
    let overridden_by = sale.estimate.map(|e| format!("{} fee estimate at {}", e.channel, e.price));
    Ok(FeeBreakdown { lines, total, overridden_by })
}

/// The unrounded fee lines of a sale, in a fixed order.
pub(crate) fn fee_parts(sale: &Sale<'_>) -> Result<Vec<Part>, FeeError> {
    let channel = &sale.channel.id;
    let sku = &sale.item.sku;
    let model = sale.channel.fees.as_ref().ok_or_else(|| FeeError::NoFeeModel { channel: channel.clone() })?;
    if sale.order.units_per_order < Decimal::ONE {
        return Err(FeeError::BadUnitsPerOrder(sale.order.units_per_order));
    }
    if sale.price.is_negative() {
        return Err(FeeError::NegativePrice { sku: sku.clone(), channel: channel.clone(), price: sale.price });
    }
    let mut parts = Vec::new();
    if let Some(est) = sale.estimate {
        parts.extend(estimate_parts(sale, est)?);
    } else {
        parts.extend(referral_part(sale, model)?);
        parts.extend(fulfilment_part(sale, model)?);
    }
    parts.extend(order_parts(sale, model)?);
    Ok(parts)
}

/// Check a configured amount is in the sale's currency.
fn amount(sale: &Sale<'_>, place: &'static str, m: Money) -> Result<Decimal, FeeError> {
    if m.currency == sale.price.currency {
        Ok(m.amount)
    } else {
        Err(FeeError::Currency {
            sku: sale.item.sku.clone(),
            channel: sale.channel.id.clone(),
            place,
            mismatch: CurrencyMismatch { left: sale.price.currency, right: m.currency },
        })
    }
}

fn part(name: &str, rate: Decimal, fixed: Decimal, basis: String) -> Part {
    Part { name: name.to_owned(), fee: Linear { rate, fixed }, basis }
}

fn referral_part(sale: &Sale<'_>, model: &FeeModel) -> Result<Option<Part>, FeeError> {
    let Some(r) = &model.referral else { return Ok(None) };
    let by_rate = r.rate.value() * sale.price.amount;
    if let Some(min) = r.min_per_item {
        let min = amount(sale, "referral minimum", min)?;
        // The minimum replaces the percentage where it is larger: a fixed fee
        // at this price, which the floor solver re-checks at its answer.
        if by_rate < min {
            let cur = sale.price.currency;
            let basis = format!("{} of price is below the minimum {}", r.rate, Money::new(min, cur));
            return Ok(Some(part("referral", Decimal::ZERO, min, basis)));
        }
    }
    Ok(Some(part("referral", r.rate.value(), Decimal::ZERO, format!("{} of price", r.rate))))
}

fn fulfilment_part(sale: &Sale<'_>, model: &FeeModel) -> Result<Option<Part>, FeeError> {
    let Some(f) = &model.fulfilment else { return Ok(None) };
    let units = sale.order.units_per_order;
    let p = match f {
        FulfilmentFee::PerUnit(m) => {
            part("fulfilment", Decimal::ZERO, amount(sale, "fulfilment", *m)?, "per unit".into())
        }
        FulfilmentFee::SizeTiers(table) => {
            let sku = &sale.item.sku;
            let channel = &sale.channel.id;
            let tier = sale
                .item
                .size_tier
                .as_ref()
                .ok_or_else(|| FeeError::NoSizeTier { sku: sku.clone(), channel: channel.clone() })?;
            let fee = table.get(tier).ok_or_else(|| FeeError::UnknownSizeTier {
                sku: sku.clone(),
                channel: channel.clone(),
                tier: tier.clone(),
            })?;
            part("fulfilment", Decimal::ZERO, amount(sale, "fulfilment", *fee)?, format!("size tier {tier}"))
        }
        FulfilmentFee::PickPack { per_order, per_unit } => {
            let (o, u) = (amount(sale, "pick-pack", *per_order)?, amount(sale, "pick-pack", *per_unit)?);
            let basis = format!("pick-pack {per_order} per order ÷ {units} units + {per_unit} per unit");
            part("fulfilment", Decimal::ZERO, o / units + u, basis)
        }
    };
    Ok(Some(p))
}

/// Payment, commission, final value, shipping and returns: the lines that
/// do not depend on who fulfils.
fn order_parts(sale: &Sale<'_>, model: &FeeModel) -> Result<Vec<Part>, FeeError> {
    let units = sale.order.units_per_order;
    let mut parts = Vec::new();
    if let Some(p) = &model.payment {
        let fixed = amount(sale, "payment", p.fixed_per_order)?;
        let basis = format!("{} of price + {} per order ÷ {units} units", p.rate, p.fixed_per_order);
        parts.push(part("payment processing", p.rate.value(), fixed / units, basis));
    }
    if let Some(c) = &model.commission {
        let (rate, which) =
            if sale.order.first_order { (c.first_order, "first order") } else { (c.reorder, "reorder") };
        parts.push(part("commission", rate.value(), Decimal::ZERO, format!("{rate} of price ({which})")));
    }
    if let Some(f) = &model.final_value {
        let fixed = amount(sale, "final value", f.per_order)?;
        let basis = format!("{} of price + {} per order ÷ {units} units", f.rate, f.per_order);
        parts.push(part("final value fee", f.rate.value(), fixed / units, basis));
    }
    if let Some(s) = model.shipping_subsidy_per_order {
        let fixed = amount(sale, "shipping subsidy", s)?;
        parts.push(part("shipping subsidy", Decimal::ZERO, fixed / units, format!("{s} per order ÷ {units} units")));
    }
    if let Some(r) = model.returns_allowance {
        parts.push(part("returns allowance", r.value(), Decimal::ZERO, format!("{r} of net price")));
    }
    Ok(parts)
}

/// The estimate's lines: referral-like lines as a rate of the estimated
/// price, everything else as a fixed amount per unit.
fn estimate_parts(sale: &Sale<'_>, est: &FeeEstimate) -> Result<Vec<Part>, FeeError> {
    let est_price = amount(sale, "fee estimate price", est.price)?;
    let mut parts = Vec::new();
    for (name, fee) in &est.lines {
        let fee_amount = amount(sale, "fee estimate line", *fee)?;
        let mut basis = format!("{name} {fee} from the channel's estimate at {}", est.price);
        let is_referral = name.to_ascii_lowercase().contains("referral");
        let p = if is_referral && !est_price.is_zero() {
            if est_price != sale.price.amount {
                let _ = write!(basis, ", scaled to the price");
            }
            part(&label(name), fee_amount / est_price, Decimal::ZERO, basis)
        } else {
            part(&label(name), Decimal::ZERO, fee_amount, basis)
        };
        parts.push(p);
    }
    Ok(parts)
}

/// Our names for the channel's fee types, so breakdowns read alike.
fn label(channel_name: &str) -> String {
    match channel_name {
        "ReferralFee" => "referral".to_owned(),
        "FBAFees" | "FBAFee" => "fulfilment".to_owned(),
        other => other.to_owned(),
    }
}

/// The sum of the lines as one linear function of the price.
pub(crate) fn linear_total(parts: &[Part]) -> Linear {
    parts
        .iter()
        .fold(Linear::default(), |acc, p| Linear { rate: acc.rate + p.fee.rate, fixed: acc.fixed + p.fee.fixed })
}
