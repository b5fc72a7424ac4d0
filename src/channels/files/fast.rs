//! The short way for the commonest big file: stock rows whose cells are
//! plain (unquoted printable ASCII, counts in plain digits, no dates).
//!
//! Why a second way at all: a million-row stock export should read in a
//! small multiple of the time it takes to count its lines, and the general
//! reader's care (every cell a `Result` that can explain itself) costs
//! several times the work of the row itself. This path only ever accepts a
//! row or declines it; a declined row goes the general way, which reads it
//! or says precisely what is wrong. It accepts exactly the rows the general
//! way would read to the same position (see the tests below).

use std::cell::RefCell;

use compact_str::CompactString;

use super::layout::{Field, Layout};
use super::split::Fields;
use super::text::plain;
use super::{Env, Record};
use crate::core::ids::{LocationId, Sku};
use crate::core::stock::{Inbound, StockPosition};

/// The last location cell and its id: most rows repeat it.
pub(super) type LastLocation = RefCell<Option<Remembered>>;

/// A location cell's text and the id it was read as.
#[derive(Debug)]
pub(super) struct Remembered {
    pub text: CompactString,
    pub id: LocationId,
    /// The text is plain: a cell with the same bytes reads as this text.
    pub plain: bool,
}

impl Remembered {
    pub fn new(text: &str, id: LocationId) -> Remembered {
        Remembered { text: CompactString::from(text), id, plain: plain(text.as_bytes()) == Some(text) }
    }
}

/// Where a stock row's fields are.
#[derive(Debug, Clone)]
pub(super) struct StockPlan {
    sku: usize,
    location: Option<usize>,
    /// Every count column and the count it adds to.
    counts: Vec<(usize, Count)>,
    eta: Option<usize>,
}

/// The counts of a stock row.
#[derive(Debug, Clone, Copy)]
enum Count {
    OnHand,
    Committed,
    Reserved,
    Unfulfillable,
    Inbound,
}

/// Each count's sum. Named fields, not an array indexed by [`Count`]: an
/// array lives in memory, and reading two sums back as one word just after
/// writing them one by one stalls the CPU.
#[derive(Default)]
struct Counts {
    on_hand: Option<u32>,
    committed: u32,
    reserved: u32,
    unfulfillable: u32,
    inbound: u32,
}

impl StockPlan {
    /// The plan for `layout`; `None` when it has no SKU column.
    pub fn new(layout: &Layout) -> Option<StockPlan> {
        let one = |f| layout.of(f).first().copied();
        let fields = [
            (Field::OnHand, Count::OnHand),
            (Field::Committed, Count::Committed),
            (Field::Reserved, Count::Reserved),
            (Field::Unfulfillable, Count::Unfulfillable),
            (Field::Inbound, Count::Inbound),
        ];
        let counts = fields.iter().flat_map(|&(f, c)| layout.of(f).iter().map(move |&col| (col, c))).collect();
        Some(StockPlan { sku: one(Field::Sku)?, location: one(Field::Location), counts, eta: one(Field::InboundEta) })
    }

    /// Hands the row's position to `sink` and says so, or says `false` to
    /// send the row the general way.
    #[inline]
    pub fn read(&self, fields: Fields<'_>, last: &LastLocation, env: &Env, sink: &mut impl FnMut(Record)) -> bool {
        self.try_read(fields, last, env, sink).is_some()
    }

    #[inline]
    fn try_read(
        &self,
        fields: Fields<'_>,
        last: &LastLocation,
        env: &Env,
        sink: &mut impl FnMut(Record),
    ) -> Option<()> {
        if let Some(col) = self.eta
            && !fields.raw(col)?.trim_ascii().is_empty()
        {
            return None;
        }
        let sku = fields.raw(self.sku)?.trim_ascii();
        if sku.first() == Some(&b'"') || !Sku::is_plain(sku) {
            return None;
        }
        // The ids go into the position from checked parts, never wrapped in
        // an `Option` or a `Result` on the way: copying an id out of one
        // reads back bytes just written in other widths, which stalls the
        // CPU (store-to-load forwarding fails), several times a row. The
        // SKU is made first so that its bytes are written by the time it
        // moves.
        let sku = Sku::checked(std::str::from_utf8(sku).ok()?);
        let n = self.counts(fields)?;
        let on_hand = n.on_hand?;
        let last = last.borrow();
        let location = self.location(fields, last.as_ref(), env)?;
        sink(Record::Stock(StockPosition {
            sku,
            location: location.clone(),
            on_hand,
            committed: n.committed,
            reserved: n.reserved,
            unfulfillable: n.unfulfillable,
            inbound: Inbound::undated(n.inbound),
        }));
        Some(())
    }

    /// The row's counts; `None` when a count cell is not plain digits.
    #[inline]
    fn counts(&self, fields: Fields<'_>) -> Option<Counts> {
        let mut n = Counts::default();
        for &(col, c) in &self.counts {
            let cell = fields.raw(col)?.trim_ascii();
            if cell.is_empty() {
                continue;
            }
            let add = |sum: u32| super::rows::digits(cell).map(|d| sum.saturating_add(d));
            // An arm per field, not a `&mut` to one: the sums stay in
            // registers.
            match c {
                Count::OnHand => n.on_hand = Some(add(n.on_hand.unwrap_or(0))?),
                Count::Committed => n.committed = add(n.committed)?,
                Count::Reserved => n.reserved = add(n.reserved)?,
                Count::Unfulfillable => n.unfulfillable = add(n.unfulfillable)?,
                Count::Inbound => n.inbound = add(n.inbound)?,
            }
        }
        Some(n)
    }

    /// The row's location: the source's own for an empty cell, else the
    /// remembered one when the cell repeats it byte for byte.
    #[inline]
    fn location<'l>(&self, fields: Fields<'_>, last: Option<&'l Remembered>, env: &'l Env) -> Option<&'l LocationId> {
        let Some(col) = self.location else { return env.location.as_ref() };
        match fields.raw(col)?.trim_ascii() {
            b"" => env.location.as_ref(),
            // Equal bytes mean equal text only when the remembered text is
            // what the cell would be read as unchanged.
            raw => last.filter(|l| l.plain && same(l.text.as_bytes(), raw)).map(|l| &l.id),
        }
    }
}

/// `a == b` for short slices, without a call to `memcmp`.
#[inline]
fn same(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x == y)
}

#[cfg(test)]
mod tests {
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

    fn env(location_map: &[(&str, &str)]) -> Env {
        Env {
            currency: Currency::USD,
            time_zone: jiff::tz::TimeZone::UTC,
            location: Some(LocationId::new("main").unwrap()),
            location_map: location_map.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect(),
        }
    }

    /// Every row read the short way (where it can) and the general way.
    fn both_ways(text: &str) -> (Read, Read) {
        both_ways_in(text, &env(&[]))
    }

    fn both_ways_in(text: &str, env: &Env) -> (Read, Read) {
        let m = mapping();
        let mut out = Vec::new();
        let mut tallies = Vec::new();
        for short in [true, false] {
            let (head, mut stream) = Head::read(Cursor::new(text.as_bytes()), "t.csv", &m, env).unwrap();
            let mut rows = Rows::new(&head, env, m.record);
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

    /// The short way knows a location cell by its bytes alone when they are
    /// the remembered cell's text unchanged. `"""a"""` reads as `"a"`; the
    /// next row's `"a"` has those very bytes but reads as `a`.
    #[test]
    fn a_location_is_known_by_its_bytes_only_when_they_are_its_text() {
        let env = env(&[("\"a\"", "quoted"), ("a", "plain")]);
        let text = "sku,wh,qty,in,eta\nA,\"\"\"a\"\"\",1,,\nB,\"a\",2,,\nC,a,3,,\n";
        let (short, general) = both_ways_in(text, &env);
        assert_eq!(short, general);
        let at: Vec<(&str, &str)> = short
            .0
            .iter()
            .filter_map(|r| match r {
                Record::Stock(p) => Some((p.sku.as_str(), p.location.as_str())),
                _ => None,
            })
            .collect();
        assert_eq!(at, [("A", "quoted"), ("B", "plain"), ("C", "plain")]);
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
            "\"\"\"[a-z]\"\"\"",
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
