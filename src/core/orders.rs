//! Orders and purchase orders.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use super::ids::{ChannelId, Sku, SupplierId};
use super::money::Money;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OrderStatus {
    /// Placed, not yet shipped: its units are committed.
    Open,
    Fulfilled,
    Cancelled,
}

/// One SKU on an order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderLine {
    pub sku: Sku,
    pub qty: u32,
    /// Price per unit before discounts; `None` while the channel has not
    /// priced the line yet (Amazon omits prices on `Pending` orders), so an
    /// unknown price is never mistaken for a free one.
    pub unit_price: Option<Money>,
    /// Total discount on the line (all units).
    pub discount: Money,
}

/// A customer or retailer order on one channel.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Order {
    pub id: String,
    pub channel: ChannelId,
    pub placed_at: Timestamp,
    pub status: OrderStatus,
    /// Wholesale: the retailer's first order (commission differs).
    pub first_order: bool,
    pub lines: Vec<OrderLine>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PoStatus {
    Open,
    Received,
    Cancelled,
}

/// Units ordered from a supplier and not yet received.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PurchaseOrder {
    pub id: String,
    pub supplier: SupplierId,
    pub sku: Sku,
    pub qty: u32,
    pub eta: Option<Timestamp>,
    pub status: PoStatus,
}
