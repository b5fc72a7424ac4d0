//! The short way for the commonest big file: stock rows whose cells are
//! plain (unquoted printable ASCII, counts in plain digits, no dates).
//!
//! Why a second way at all: a million-row stock export should read in a
//! small multiple of the time it takes to count its lines, and the general
//! reader's care (every cell a `Result` that can explain itself) costs
//! several times the work of the row itself. This path only ever accepts a row or declines it; a
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
        let sku = Sku::new(plain(fields.raw(self.sku)?)?).ok()?;
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
        let count = |cols: &[usize]| count(fields, cols).ok();
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

/// A cell the short way does not read.
struct NotPlain;

/// The sum of plain counts in `cols`, `None` when all are empty.
#[inline]
fn count(fields: Fields<'_>, cols: &[usize]) -> Result<Option<u32>, NotPlain> {
    let mut total: Option<u32> = None;
    for &col in cols {
        let cell = fields.raw(col).ok_or(NotPlain)?.trim_ascii();
        if cell.is_empty() {
            continue;
        }
        let n = super::rows::digits(cell).ok_or(NotPlain)?;
        total = Some(total.unwrap_or(0).saturating_add(n));
    }
    Ok(total)
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;
    use std::io::Cursor;

    use proptest::prelude::*;

    use super::super::head::Head;
    use super::super::rows::Rows;
    use super::super::{Env, Record};
    use crate::config::files::{FileFormat, FileMapping, FileRecord};
    use crate::core::ids::LocationId;
    use crate::core::money::Currency;

    fn mapping() -> FileMapping {
        let cols = [("sku", "sku"), ("location", "wh"), ("on_hand", "qty"), ("inbound", "in"), ("inbound_eta", "eta")];
        FileMapping { delimiter: Some(b','), ..FileMapping::new(FileFormat::Generic, FileRecord::Stock, &cols) }
    }

    /// Records, and the rows read and skipped.
    type Read = (Vec<Record>, (u64, u64));

    /// Every row read the short way (where it can) and the general way.
    fn both_ways(text: &str) -> (Read, Read) {
        let env = Env {
            currency: Currency::USD,
            time_zone: jiff::tz::TimeZone::UTC,
            location: Some(LocationId::new("main").unwrap()),
            location_map: BTreeMap::new(),
        };
        let m = mapping();
        let mut out = Vec::new();
        let mut tallies = Vec::new();
        for short in [true, false] {
            let (head, mut stream) = Head::read(Cursor::new(text.as_bytes()), "t.csv", &m, &env).unwrap();
            let mut rows = Rows::new(&head, &env, m.record);
            if !short {
                rows = rows.without_short_way();
            }
            let mut records = Vec::new();
            stream.each(u64::MAX, |at, f| rows.take(at, f, &mut |r| records.push(r))).unwrap();
            assert!(rows.failed.is_none());
            out.push(records);
            tallies.push((rows.tally.rows, rows.tally.skipped));
        }
        let general = (out.pop().unwrap(), tallies[1]);
        ((out.pop().unwrap(), tallies[0]), general)
    }

    fn cell() -> impl Strategy<Value = String> {
        prop_oneof![
            Just(String::new()),
            Just(" ".to_owned()),
            "[0-9]{1,3}",
            " [0-9]{1,2} ",
            "[0-9]{10}",
            "-[0-9]",
            "[0-9]\\.[05]",
            "\"[0-9]\"",
            "[a-z]{1,3}",
            "SKU-[0-9]{2}",
            "S K",
            "2026-11-2[0-9]",
            "\"w,h\"",
            "x\u{e9}",
        ]
    }

    proptest! {
        #[test]
        fn the_short_way_reads_what_the_general_way_reads(
            rows in prop::collection::vec(prop::collection::vec(cell(), 5), 0..30)
        ) {
            let mut text = "sku,wh,qty,in,eta\n".to_owned();
            for r in &rows {
                text.push_str(&r.join(","));
                text.push('\n');
            }
            let (short, general) = both_ways(&text);
            prop_assert_eq!(short, general);
        }
    }
}
