//! Stock positions per SKU and location.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use super::ids::{LocationId, Sku};

/// A position's inbound shipments. One inline: nearly every position has at
/// most one, and a million positions read from a file should not cost a
/// million allocations for it.
pub type Inbounds = smallvec::SmallVec<[Inbound; 1]>;

/// Units on the way to a location.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Inbound {
    pub qty: u32,
    pub eta: Option<Timestamp>,
}

impl Inbound {
    /// One shipment of `qty` without a known arrival; none when `qty` is 0.
    #[inline]
    pub fn undated(qty: u32) -> Inbounds {
        if qty > 0 { Inbounds::from_buf([Inbound { qty, eta: None }]) } else { Inbounds::new() }
    }
}

/// One SKU at one location.
///
/// `on_hand` counts units in good condition; damaged and otherwise
/// unsellable units are `unfulfillable`, reported beside it and never sold.
/// Quantities are unsigned: a negative count from a source is refused at
/// the connector and becomes a visible source issue instead.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StockPosition {
    pub sku: Sku,
    pub location: LocationId,
    pub on_hand: u32,
    /// Units promised to open orders.
    pub committed: u32,
    /// Units held for other reasons (transfers, processing).
    pub reserved: u32,
    pub unfulfillable: u32,
    pub inbound: Inbounds,
}

impl StockPosition {
    /// Sellable = on hand − committed − reserved − safety stock, never below 0.
    pub fn sellable(&self, safety_stock: u32) -> u32 {
        self.on_hand.saturating_sub(self.committed).saturating_sub(self.reserved).saturating_sub(safety_stock)
    }

    pub fn inbound_total(&self) -> u32 {
        self.inbound.iter().fold(0u32, |acc, i| acc.saturating_add(i.qty))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sellable_never_goes_below_zero() {
        let p = StockPosition {
            sku: Sku::new("A").unwrap(),
            location: LocationId::new("wh").unwrap(),
            on_hand: 10,
            committed: 4,
            reserved: 3,
            unfulfillable: 2,
            inbound: Inbounds::new(),
        };
        assert_eq!(p.sellable(0), 3);
        assert_eq!(p.sellable(2), 1);
        assert_eq!(p.sellable(5), 0);
    }
}
