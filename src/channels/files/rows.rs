//! One data row into one record. A field that cannot be read fails the row
//! with the column it came from; the reader reports it and moves on.

use std::borrow::Cow;

use csv::ByteRecord;
use rust_decimal::Decimal;

use super::layout::Layout;
use super::text::decode;
use super::values::Formats;
use super::{Env, ListingRow, Record};
use crate::config::files::{FileEncoding, FileRecord};
use crate::core::ids::{LocationId, Sku, SupplierId};
use crate::core::money::Money;
use crate::core::orders::{OrderLine, OrderStatus, PoStatus, PurchaseOrder};
use crate::core::stock::{Inbound, StockPosition};
use crate::core::text::clean;

/// Why a row was skipped: the 0-based column and what was wrong.
#[derive(Debug)]
pub(super) enum RowError {
    Field {
        column: usize,
        message: String,
    },
    /// Text that is not in the declared encoding: a file-wide problem.
    Encoding {
        column: usize,
        valid_up_to: usize,
    },
}

pub(super) struct Row<'a> {
    pub rec: &'a ByteRecord,
    pub layout: &'a Layout,
    pub formats: &'a Formats,
    pub encoding: FileEncoding,
    pub env: &'a Env,
}

fn bad(column: usize, message: impl Into<String>) -> RowError {
    RowError::Field { column, message: message.into() }
}

impl Row<'_> {
    /// The first column of `field`, cleaned and trimmed; `None` when the
    /// file lacks the column or the cell is empty.
    fn text(&self, field: &str) -> Result<Option<(usize, Cow<'_, str>)>, RowError> {
        let Some(&col) = self.layout.of(field).first() else { return Ok(None) };
        let Some(bytes) = self.rec.get(col) else {
            let msg = format!("the row ends before column {} ({})", col + 1, self.layout.headers[col]);
            return Err(bad(col, msg));
        };
        let s = decode(bytes, self.encoding).map_err(|at| RowError::Encoding { column: col, valid_up_to: at })?;
        // Borrow from the record where nothing needed changing: most cells.
        let cleaned = match s {
            Cow::Borrowed(b) => clean(b.trim()),
            Cow::Owned(o) => Cow::Owned(clean(o.trim()).into_owned()),
        };
        Ok((!cleaned.is_empty()).then_some((col, cleaned)))
    }

    /// The field's first column, for placing an error; 0 when unmapped.
    fn col(&self, field: &str) -> usize {
        self.layout.of(field).first().copied().unwrap_or(0)
    }

    fn need(&self, field: &str) -> Result<(usize, Cow<'_, str>), RowError> {
        self.text(field)?.ok_or_else(|| bad(self.col(field), format!("{field} is empty")))
    }

    fn sku(&self) -> Result<Sku, RowError> {
        let (col, s) = self.need("sku")?;
        Sku::new(s.as_ref()).map_err(|e| bad(col, format!("bad SKU: {e}")))
    }

    /// A count summed over the field's columns (FBA's inbound is three).
    fn qty(&self, field: &str) -> Result<Option<u32>, RowError> {
        let mut total: Option<u32> = None;
        for &col in self.layout.of(field) {
            let Some(bytes) = self.rec.get(col) else { return Err(bad(col, "the row ends before this column")) };
            let s = decode(bytes, self.encoding).map_err(|at| RowError::Encoding { column: col, valid_up_to: at })?;
            if s.trim().is_empty() {
                continue;
            }
            let n = self.formats.quantity(&s).map_err(|m| bad(col, m))?;
            total = Some(total.unwrap_or(0).saturating_add(n));
        }
        Ok(total)
    }

    fn money(&self, field: &str) -> Result<Option<Money>, RowError> {
        let Some((col, s)) = self.text(field)? else { return Ok(None) };
        let d: Decimal = self.formats.decimal(&s).map_err(|m| bad(col, m))?;
        Ok(Some(Money::new(d, self.env.currency)))
    }

    fn time(&self, field: &str) -> Result<Option<jiff::Timestamp>, RowError> {
        let Some((col, s)) = self.text(field)? else { return Ok(None) };
        self.formats.time(&s).map(Some).map_err(|m| bad(col, m))
    }

    /// Whether every mapped cell is empty: a spacer or image-only row.
    pub fn is_blank(&self) -> bool {
        self.layout.columns.iter().flatten().all(|&c| self.rec.get(c).is_none_or(|b| b.trim_ascii().is_empty()))
    }

    pub fn record(&self, record: FileRecord) -> Result<Record, RowError> {
        match record {
            FileRecord::Stock => self.stock().map(Record::Stock),
            FileRecord::PurchaseOrders => self.purchase_order().map(Record::PurchaseOrder),
            FileRecord::Costs => {
                let sku = self.sku()?;
                let cost = self.money("cost")?.ok_or_else(|| bad(self.col("cost"), "cost is empty"))?;
                Ok(Record::Cost { sku, cost })
            }
            FileRecord::WholesaleOrders => self.order_line(),
            FileRecord::Listings => self.listing().map(Record::Listing),
        }
    }

    fn stock(&self) -> Result<StockPosition, RowError> {
        let sku = self.sku()?;
        let location = self.location()?;
        let on_hand = self.qty("on_hand")?.ok_or_else(|| bad(self.col("on_hand"), "on_hand is empty"))?;
        let inbound = self.qty("inbound")?.filter(|n| *n > 0);
        let eta = self.time("inbound_eta")?;
        Ok(StockPosition {
            sku,
            location,
            on_hand,
            committed: self.qty("committed")?.unwrap_or(0),
            reserved: self.qty("reserved")?.unwrap_or(0),
            unfulfillable: self.qty("unfulfillable")?.unwrap_or(0),
            inbound: inbound.map(|qty| Inbound { qty, eta }).into_iter().collect(),
        })
    }

    /// The row's location through `location_map`, else the source's own.
    fn location(&self) -> Result<LocationId, RowError> {
        let env = self.env;
        if let Some((col, raw)) = self.text("location")? {
            let mapped = if env.location_map.is_empty() {
                Some(raw.as_ref())
            } else {
                env.location_map.get(raw.as_ref()).map(String::as_str)
            };
            let name =
                mapped.ok_or_else(|| bad(col, format!("location {raw:?} is not in the source's location_map")))?;
            return LocationId::new(name).map_err(|e| bad(col, format!("bad location: {e}")));
        }
        env.location.clone().ok_or_else(|| bad(0, "no location column value and no location set for the source"))
    }

    fn purchase_order(&self) -> Result<PurchaseOrder, RowError> {
        let (_, id) = self.need("po_id")?;
        let (scol, supplier) = self.need("supplier")?;
        let supplier = SupplierId::new(supplier.as_ref()).map_err(|e| bad(scol, format!("bad supplier id: {e}")))?;
        let status = match self.text("status")? {
            None => PoStatus::Open,
            Some((col, s)) => match s.to_ascii_lowercase().as_str() {
                "open" | "ordered" | "confirmed" | "shipped" => PoStatus::Open,
                "received" | "closed" => PoStatus::Received,
                "cancelled" | "canceled" => PoStatus::Cancelled,
                _ => return Err(bad(col, format!("expected open, received or cancelled, found {s:?}"))),
            },
        };
        Ok(PurchaseOrder {
            id: id.into_owned(),
            supplier,
            sku: self.sku()?,
            qty: self.qty("qty")?.ok_or_else(|| bad(self.col("qty"), "qty is empty"))?,
            eta: self.time("eta")?,
            status,
        })
    }

    fn order_line(&self) -> Result<Record, RowError> {
        let (_, id) = self.need("order_id")?;
        let status = match self.text("status")? {
            None => OrderStatus::Open,
            Some((col, s)) => match s.to_ascii_lowercase().as_str() {
                "open" | "pending" | "confirmed" => OrderStatus::Open,
                "fulfilled" | "shipped" | "delivered" | "closed" => OrderStatus::Fulfilled,
                "cancelled" | "canceled" => OrderStatus::Cancelled,
                _ => return Err(bad(col, format!("expected open, fulfilled or cancelled, found {s:?}"))),
            },
        };
        let placed_col = self.col("placed_at");
        let placed_at = self.time("placed_at")?.ok_or_else(|| bad(placed_col, "placed_at is empty"))?;
        let qty = self.qty("qty")?.ok_or_else(|| bad(self.col("qty"), "qty is empty"))?;
        let unit_price = self.money("unit_price")?;
        let line =
            OrderLine { sku: self.sku()?, qty, unit_price, discount: Money::new(Decimal::ZERO, self.env.currency) };
        Ok(Record::OrderLine { order_id: id.into_owned(), placed_at, status, line })
    }

    fn listing(&self) -> Result<ListingRow, RowError> {
        Ok(ListingRow {
            sku: self.sku()?,
            title: self.text("title")?.map(|(_, t)| t.into_owned()),
            price: self.money("price")?,
            compare_at: self.money("compare_at")?,
            unit_cost: self.money("unit_cost")?,
            quantity: self.qty("quantity")?,
        })
    }
}
