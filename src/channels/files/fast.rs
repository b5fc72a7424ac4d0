//! The short way for the commonest big file: stock rows whose cells are
//! plain (unquoted printable ASCII, counts in plain digits, no dates).
//!
//! Why a second way at all: a million-row stock export should read at close
//! to the speed of counting its lines, and the general reader's care (every
//! cell a `Result` that can explain itself) costs several times the work of
//! the row itself. This path only ever accepts a row or declines it; a
//! declined row goes the general way, which reads it or says precisely what
//! is wrong. It accepts exactly the rows the general way would read to the
//! same position (see the test below).

use std::cell::RefCell;

use compact_str::CompactString;

use super::Env;
use super::layout::{Field, Layout};
use super::split::Fields;
use super::text::plain;
use crate::core::ids::{LocationId, Sku};
use crate::core::stock::{Inbound, StockPosition};

/// The last location cell and its id: most rows repeat it.
pub(super) type LastLocation = RefCell<Option<(CompactString, LocationId)>>;

/// Where a stock row's fields are.
#[derive(Debug, Clone)]
pub(super) struct StockPlan {
    sku: usize,
    location: Option<usize>,
    on_hand: Vec<usize>,
    committed: Vec<usize>,
    reserved: Vec<usize>,
    unfulfillable: Vec<usize>,
    inbound: Vec<usize>,
    eta: Option<usize>,
}

impl StockPlan {
    /// The plan for `layout`; `None` when it has no SKU column.
    pub fn new(layout: &Layout) -> Option<StockPlan> {
        let one = |f| layout.of(f).first().copied();
        let all = |f| layout.of(f).to_vec();
        Some(StockPlan {
            sku: one(Field::Sku)?,
            location: one(Field::Location),
            on_hand: all(Field::OnHand),
            committed: all(Field::Committed),
            reserved: all(Field::Reserved),
            unfulfillable: all(Field::Unfulfillable),
            inbound: all(Field::Inbound),
            eta: one(Field::InboundEta),
        })
    }

    /// The row's position, or `None` to send it the general way.
    #[inline]
    pub fn read(&self, fields: Fields<'_>, last: &LastLocation, env: &Env) -> Option<StockPosition> {
        let sku = fields.raw(self.sku)?.trim_ascii();
        // A plain SKU is visible ASCII throughout: the id's own check.
        let sku = Sku::new(std::str::from_utf8(sku).ok().filter(|s| s.len() <= 100 && s.bytes().all(|b| b.is_ascii_graphic()))?).ok()?;
        let location = match self.location {
            None => env.location.clone()?,
            Some(col) => match plain(fields.raw(col)?)? {
                "" => env.location.clone()?,
                raw => match &*last.borrow() {
                    Some((text, id)) if text == raw => id.clone(),
                    _ => return None,
                },
            },
        };
        if let Some(col) = self.eta
            && !fields.raw(col)?.trim_ascii().is_empty()
        {
            return None;
        }
        let count = |cols: &[usize]| count(fields, cols);
        let inbound = count(&self.inbound)?.unwrap_or(0);
        Some(StockPosition {
            sku,
            location,
            on_hand: count(&self.on_hand)??,
            committed: count(&self.committed)?.unwrap_or(0),
            reserved: count(&self.reserved)?.unwrap_or(0),
            unfulfillable: count(&self.unfulfillable)?.unwrap_or(0),
            inbound: Inbound::undated(inbound),
        })
    }
}

/// The sum of plain counts in `cols`: `Some(None)` when all are empty,
/// `None` when any is not plain digits.
#[inline]
fn count(fields: Fields<'_>, cols: &[usize]) -> Option<Option<u32>> {
    let mut total: Option<u32> = None;
    for &col in cols {
        let cell = fields.raw(col)?.trim_ascii();
        if cell.is_empty() {
            continue;
        }
        let n = super::rows::digits(cell)?;
        total = Some(total.unwrap_or(0).saturating_add(n));
    }
    Some(total)
}
