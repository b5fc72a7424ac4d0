//! One data row into one record. A field that cannot be read fails the row
//! with the column it came from; the reader reports it and moves on.

use std::borrow::Cow;
use std::cell::RefCell;
use std::ops::ControlFlow;

use rust_decimal::Decimal;

use super::fast::{LastLocation, Remembered, StockPlan};
use super::head::{Head, encoding_error};
use super::layout::Field;
use super::split::{Fields, unquote};
use super::stream::At;
use super::text::field_text;
use super::{Env, FileError, ListingRow, MAX_ROW_ISSUES, Record};
use crate::config::files::FileRecord;
use crate::core::ids::{LocationId, Sku, SupplierId};
use crate::core::money::Money;
use crate::core::orders::{OrderLine, OrderStatus, PoStatus, PurchaseOrder};
use crate::core::stock::{Inbound, Inbounds, StockPosition};

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

/// The data rows of one stretch of a file, turned into records.
pub(super) struct Rows<'a> {
    head: &'a Head,
    env: &'a Env,
    record: FileRecord,
    /// Shopify writes a product's title on its first variant only.
    last_title: Option<String>,
    last_location: LastLocation,
    /// The short way for plain stock rows.
    plan: Option<StockPlan>,
    pub tally: Tally,
    /// A file-wide failure: the read stops at it.
    pub failed: Option<FileError>,
}

/// What the rows of a stretch came to besides their records.
#[derive(Debug, Default)]
pub(super) struct Tally {
    pub rows: u64,
    pub skipped: u64,
    /// The first [`MAX_ROW_ISSUES`] bad rows.
    pub bad: Vec<BadRow>,
}

/// A skipped row: where, and why.
#[derive(Debug)]
pub(super) struct BadRow {
    /// Newlines before the row, counted from where the stretch began.
    pub newlines: u64,
    pub column: usize,
    pub message: String,
}

impl<'a> Rows<'a> {
    pub fn new(head: &'a Head, env: &'a Env, record: FileRecord) -> Rows<'a> {
        let plan = if record == FileRecord::Stock { StockPlan::new(&head.layout) } else { None };
        let last_location = RefCell::new(None);
        Rows { head, env, record, last_title: None, last_location, plan, tally: Tally::default(), failed: None }
    }

    /// Every row the general way, to check the short way against.
    #[cfg(test)]
    pub fn without_short_way(mut self) -> Self {
        self.plan = None;
        self
    }

    /// One row into `sink`, or into the tally of bad rows.
    pub fn take(&mut self, at: At, fields: Fields<'_>, sink: &mut impl FnMut(Record)) -> ControlFlow<()> {
        if let Some(plan) = &self.plan
            && plan.read(fields, &self.last_location, self.env, sink)
        {
            self.tally.rows += 1;
            return ControlFlow::Continue(());
        }
        let row = Row { fields, head: self.head, env: self.env, last_location: &self.last_location };
        let record = row.record(self.record);
        // Every record needs some text, so only a failed row can be blank.
        if record.is_err() && row.is_blank() {
            return ControlFlow::Continue(());
        }
        self.tally.rows += 1;
        match record {
            Ok(Record::Listing(mut l)) => {
                if l.title.is_some() {
                    self.last_title.clone_from(&l.title);
                } else {
                    l.title.clone_from(&self.last_title);
                }
                sink(Record::Listing(l));
            }
            Ok(r) => sink(r),
            Err(RowError::Encoding { column, valid_up_to }) => {
                self.failed = Some(encoding_error(at, fields.text_start(column) + valid_up_to, column));
                return ControlFlow::Break(());
            }
            Err(RowError::Field { column, message }) => {
                self.tally.skipped += 1;
                if self.tally.bad.len() < MAX_ROW_ISSUES {
                    let head = self.head.layout.headers.get(column).map_or("", String::as_str);
                    let message = format!("{head}: {message}; row skipped");
                    self.tally.bad.push(BadRow { newlines: at.newlines, column, message });
                }
            }
        }
        ControlFlow::Continue(())
    }
}

struct Row<'a> {
    fields: Fields<'a>,
    head: &'a Head,
    env: &'a Env,
    last_location: &'a LastLocation,
}

fn bad(column: usize, message: impl Into<String>) -> RowError {
    RowError::Field { column, message: message.into() }
}

/// A plain count of up to nine digits, the common case, read without
/// decoding; anything else goes the long way through the declared formats.
#[inline]
pub(super) fn digits(b: &[u8]) -> Option<u32> {
    if b.is_empty() || b.len() > 9 {
        return None;
    }
    b.iter().try_fold(0u32, |n, c| c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0')))
}

impl<'a> Row<'a> {
    /// The first column of `field`, cleaned and trimmed; `None` when the
    /// file lacks the column or the cell is empty.
    #[inline]
    fn text(&self, field: Field) -> Result<Option<(usize, Cow<'a, str>)>, RowError> {
        let layout = &self.head.layout;
        let Some(&col) = layout.of(field).first() else { return Ok(None) };
        let Some(raw) = self.fields.raw(col) else {
            let msg = format!("the row ends before column {} ({})", col + 1, layout.headers[col]);
            return Err(bad(col, msg));
        };
        let text = field_text(unquote(raw), self.head.encoding)
            .map_err(|at| RowError::Encoding { column: col, valid_up_to: at })?;
        Ok((!text.is_empty()).then_some((col, text)))
    }

    /// The field's first column, for placing an error; 0 when unmapped.
    #[inline]
    fn col(&self, field: Field) -> usize {
        self.head.layout.of(field).first().copied().unwrap_or(0)
    }

    #[inline]
    fn need(&self, field: Field) -> Result<(usize, Cow<'a, str>), RowError> {
        self.text(field)?.ok_or_else(|| bad(self.col(field), format!("{} is empty", field.name())))
    }

    #[inline]
    fn sku(&self) -> Result<Sku, RowError> {
        let (col, s) = self.need(Field::Sku)?;
        Sku::new(s.as_ref()).map_err(|e| bad(col, format!("bad SKU: {e}")))
    }

    /// A count summed over the field's columns (FBA's inbound is three).
    #[inline]
    fn qty(&self, field: Field) -> Result<Option<u32>, RowError> {
        let mut total: Option<u32> = None;
        for &col in self.head.layout.of(field) {
            let Some(raw) = self.fields.raw(col) else { return Err(bad(col, "the row ends before this column")) };
            let n = if let Some(n) = digits(raw.trim_ascii()) {
                n
            } else {
                let s = field_text(unquote(raw), self.head.encoding)
                    .map_err(|at| RowError::Encoding { column: col, valid_up_to: at })?;
                if s.is_empty() {
                    continue;
                }
                self.head.formats.quantity(&s).map_err(|m| bad(col, m))?
            };
            total = Some(total.unwrap_or(0).saturating_add(n));
        }
        Ok(total)
    }

    fn money(&self, field: Field) -> Result<Option<Money>, RowError> {
        let Some((col, s)) = self.text(field)? else { return Ok(None) };
        let d: Decimal = self.head.formats.decimal(&s).map_err(|m| bad(col, m))?;
        Ok(Some(Money::new(d, self.env.currency)))
    }

    fn time(&self, field: Field) -> Result<Option<jiff::Timestamp>, RowError> {
        let Some((col, s)) = self.text(field)? else { return Ok(None) };
        self.head.formats.time(&s).map(Some).map_err(|m| bad(col, m))
    }

    /// Whether every mapped cell is empty: a spacer or image-only row.
    fn is_blank(&self) -> bool {
        self.head.layout.mapped().all(|c| self.fields.get(c).is_none_or(|b| b.trim_ascii().is_empty()))
    }

    fn record(&self, record: FileRecord) -> Result<Record, RowError> {
        match record {
            FileRecord::Stock => self.stock().map(Record::Stock),
            FileRecord::PurchaseOrders => self.purchase_order().map(Record::PurchaseOrder),
            FileRecord::Costs => {
                let sku = self.sku()?;
                let cost = self.money(Field::Cost)?.ok_or_else(|| bad(self.col(Field::Cost), "cost is empty"))?;
                Ok(Record::Cost { sku, cost })
            }
            FileRecord::WholesaleOrders => self.order_line(),
            FileRecord::Listings => self.listing().map(Record::Listing),
        }
    }

    fn stock(&self) -> Result<StockPosition, RowError> {
        let sku = self.sku()?;
        let location = self.location()?;
        let on_hand = self.qty(Field::OnHand)?.ok_or_else(|| bad(self.col(Field::OnHand), "on_hand is empty"))?;
        let inbound = self.qty(Field::Inbound)?.filter(|n| *n > 0);
        let eta = self.time(Field::InboundEta)?;
        Ok(StockPosition {
            sku,
            location,
            on_hand,
            committed: self.qty(Field::Committed)?.unwrap_or(0),
            reserved: self.qty(Field::Reserved)?.unwrap_or(0),
            unfulfillable: self.qty(Field::Unfulfillable)?.unwrap_or(0),
            inbound: inbound.map_or_else(Inbounds::new, |qty| smallvec::smallvec![Inbound { qty, eta }]),
        })
    }

    /// The row's location through `location_map`, else the source's own.
    #[inline]
    fn location(&self) -> Result<LocationId, RowError> {
        let env = self.env;
        if let Some((col, raw)) = self.text(Field::Location)? {
            if let Some(last) = &*self.last_location.borrow()
                && last.text == *raw
            {
                return Ok(last.id.clone());
            }
            let mapped = if env.location_map.is_empty() {
                Some(raw.as_ref())
            } else {
                env.location_map.get(raw.as_ref()).map(String::as_str)
            };
            let name =
                mapped.ok_or_else(|| bad(col, format!("location {raw:?} is not in the source's location_map")))?;
            let id = LocationId::new(name).map_err(|e| bad(col, format!("bad location: {e}")))?;
            *self.last_location.borrow_mut() = Some(Remembered::new(&raw, id.clone()));
            return Ok(id);
        }
        env.location.clone().ok_or_else(|| bad(0, "no location column value and no location set for the source"))
    }

    fn purchase_order(&self) -> Result<PurchaseOrder, RowError> {
        let (_, id) = self.need(Field::PoId)?;
        let (scol, supplier) = self.need(Field::Supplier)?;
        let supplier = SupplierId::new(supplier.as_ref()).map_err(|e| bad(scol, format!("bad supplier id: {e}")))?;
        let status = match self.text(Field::Status)? {
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
            qty: self.qty(Field::Qty)?.ok_or_else(|| bad(self.col(Field::Qty), "qty is empty"))?,
            eta: self.time(Field::Eta)?,
            status,
        })
    }

    fn order_line(&self) -> Result<Record, RowError> {
        let (_, id) = self.need(Field::OrderId)?;
        let status = match self.text(Field::Status)? {
            None => OrderStatus::Open,
            Some((col, s)) => match s.to_ascii_lowercase().as_str() {
                "open" | "pending" | "confirmed" => OrderStatus::Open,
                "fulfilled" | "shipped" | "delivered" | "closed" => OrderStatus::Fulfilled,
                "cancelled" | "canceled" => OrderStatus::Cancelled,
                _ => return Err(bad(col, format!("expected open, fulfilled or cancelled, found {s:?}"))),
            },
        };
        let placed_col = self.col(Field::PlacedAt);
        let placed_at = self.time(Field::PlacedAt)?.ok_or_else(|| bad(placed_col, "placed_at is empty"))?;
        let qty = self.qty(Field::Qty)?.ok_or_else(|| bad(self.col(Field::Qty), "qty is empty"))?;
        let unit_price = self.money(Field::UnitPrice)?;
        let line =
            OrderLine { sku: self.sku()?, qty, unit_price, discount: Money::new(Decimal::ZERO, self.env.currency) };
        Ok(Record::OrderLine { order_id: id.into_owned(), placed_at, status, line })
    }

    fn listing(&self) -> Result<ListingRow, RowError> {
        Ok(ListingRow {
            sku: self.sku()?,
            title: self.text(Field::Title)?.map(|(_, t)| t.into_owned()),
            price: self.money(Field::Price)?,
            compare_at: self.money(Field::CompareAt)?,
            unit_cost: self.money(Field::UnitCost)?,
            quantity: self.qty(Field::Quantity)?,
        })
    }
}
