//! What a channel charges per sale, as configured. Each part is optional
//! because channels charge different things; the fee breakdown for a sale
//! lists every part that applies, line by line.

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::money::{Fraction, Money};

/// A percentage of the item price with a per-item minimum (Amazon referral).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Referral {
    pub rate: Fraction,
    pub min_per_item: Option<Money>,
}

/// Payment processing: a fraction of the order plus a fixed amount per
/// order, spread over the order's units (Shopify Payments, Stripe).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PaymentFee {
    pub rate: Fraction,
    pub fixed_per_order: Money,
}

/// Wholesale platform commission: first orders from a retailer usually
/// cost more than reorders.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Commission {
    pub first_order: Fraction,
    pub reorder: Fraction,
}

/// Marketplace final-value fee plus a per-order fee (eBay).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FinalValue {
    pub rate: Fraction,
    pub per_order: Money,
}

/// How fulfilment is charged.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FulfilmentFee {
    /// One amount per unit.
    PerUnit(Money),
    /// Per size tier (FBA fee table); the catalog names each SKU's tier.
    /// A live Product Fees estimate overrides the table for that SKU.
    SizeTiers(BTreeMap<String, Money>),
    /// A 3PL's pick and pack: per order plus per unit.
    PickPack { per_order: Money, per_unit: Money },
}

/// Everything one channel charges.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeeModel {
    pub referral: Option<Referral>,
    pub payment: Option<PaymentFee>,
    pub commission: Option<Commission>,
    pub final_value: Option<FinalValue>,
    pub fulfilment: Option<FulfilmentFee>,
    /// Shipping the brand pays for and does not charge, per order.
    pub shipping_subsidy_per_order: Option<Money>,
    /// Expected cost of returns as a fraction of the net price.
    pub returns_allowance: Option<Fraction>,
    /// Average units per order, used to spread per-order amounts.
    pub units_per_order: Decimal,
}
