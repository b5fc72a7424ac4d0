//! What the readback needs from earlier runs: each week's figures as they
//! were read, the days each SKU was out of stock, and the decisions taken
//! since a given instant.

use jiff::Timestamp;
use jiff::civil::Date;
use rusqlite::params;

use super::{Decision, Store, StoreError, decision_row};

/// One channel's week as kept: `json` holds the figures, `seen` how many
/// orders they were read from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredWeekRow {
    pub week: String,
    pub channel: String,
    pub seen: u32,
    pub json: String,
}

/// Time strings sort as text except within one second (fractional digits
/// sort before `Z`), so a range query starts this much early and the rows
/// are then filtered exactly.
const TEXT_SLACK: jiff::SignedDuration = jiff::SignedDuration::from_secs(2);

impl Store {
    /// Keep each week unless the stored one was read from more orders;
    /// one transaction, and the rule is in the statement itself, so two
    /// operators saving at once cannot undo it. Returns how many were written.
    pub fn save_weeks(&mut self, rows: &[StoredWeekRow], at: Timestamp) -> Result<usize, StoreError> {
        self.write(|tx| {
            let mut stmt = tx.prepare_cached(
                "INSERT INTO weeks (week, channel, json, seen, saved_at) VALUES (?1, ?2, ?3, ?4, ?5)
                 ON CONFLICT(week, channel) DO UPDATE
                 SET json = excluded.json, seen = excluded.seen, saved_at = excluded.saved_at
                 WHERE excluded.seen >= weeks.seen",
            )?;
            let mut written = 0;
            for r in rows {
                written += stmt.execute(params![r.week, r.channel, r.json, r.seen, at.to_string()])?;
            }
            Ok(written)
        })
    }

    /// Stored weeks from `first` on, by week then channel (ISO week ids such as
    /// `2026-W47` sort as text in calendar order); `""` for all.
    pub fn weeks_since(&self, first: &str) -> Result<Vec<StoredWeekRow>, StoreError> {
        let sql = "SELECT week, channel, seen, json FROM weeks WHERE week >= ?1 ORDER BY week, channel";
        let mut stmt = self.conn.prepare_cached(sql).map_err(|e| self.err(&e))?;
        let rows = stmt
            .query_map([first], |r| {
                Ok(StoredWeekRow { week: r.get(0)?, channel: r.get(1)?, seen: r.get(2)?, json: r.get(3)? })
            })
            .map_err(|e| self.err(&e))?;
        rows.collect::<rusqlite::Result<Vec<_>>>().map_err(|e| self.err(&e))
    }

    /// Record that each of `skus` was out of stock on `day` (brand zone);
    /// recording a day twice keeps one.
    pub fn record_out_of_stock<'a>(
        &mut self,
        day: Date,
        skus: impl IntoIterator<Item = &'a str>,
    ) -> Result<(), StoreError> {
        let day = day.to_string();
        self.write(|tx| {
            let mut stmt = tx.prepare_cached("INSERT OR IGNORE INTO out_of_stock (sku, day) VALUES (?1, ?2)")?;
            for sku in skus {
                stmt.execute(params![sku, day])?;
            }
            Ok(())
        })
    }

    /// (SKU, day) out of stock on `from` or later, by day then SKU.
    pub fn out_of_stock_since(&self, from: Date) -> Result<Vec<(String, Date)>, StoreError> {
        let sql = "SELECT sku, day FROM out_of_stock WHERE day >= ?1 ORDER BY day, sku";
        let mut stmt = self.conn.prepare_cached(sql).map_err(|e| self.err(&e))?;
        let rows = stmt
            .query_map([from.to_string()], |r| {
                let day: String = r.get(1)?;
                let day = day.parse().map_err(|e: jiff::Error| {
                    rusqlite::Error::FromSqlConversionFailure(1, rusqlite::types::Type::Text, Box::new(e))
                })?;
                Ok((r.get(0)?, day))
            })
            .map_err(|e| self.err(&e))?;
        rows.collect::<rusqlite::Result<Vec<_>>>().map_err(|e| self.err(&e))
    }

    /// Decisions taken at `from` or later, oldest first.
    pub fn decisions_since(&self, from: Timestamp) -> Result<Vec<Decision>, StoreError> {
        let sql = "SELECT id, at, who, channel, sku, event_key, text, follow_up FROM decisions
                   WHERE at >= ?1 ORDER BY at, id";
        let mut stmt = self.conn.prepare_cached(sql).map_err(|e| self.err(&e))?;
        let early = (from - TEXT_SLACK).to_string();
        let rows = stmt.query_map([early], decision_row).map_err(|e| self.err(&e))?;
        let all = rows.collect::<rusqlite::Result<Vec<_>>>().map_err(|e| self.err(&e))?;
        Ok(all.into_iter().filter(|d| d.at >= from).collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(week: &str, seen: u32, json: &str) -> StoredWeekRow {
        StoredWeekRow { week: week.into(), channel: "dtc".into(), seen, json: json.into() }
    }

    #[test]
    fn a_week_read_from_fewer_orders_never_replaces_the_stored_one() {
        let dir = tempfile::tempdir().unwrap();
        let mut s = Store::open(dir.path()).unwrap();
        let at: Timestamp = "2026-11-30T09:00:00Z".parse().unwrap();
        assert_eq!(s.save_weeks(&[row("2026-W47", 12, "first")], at).unwrap(), 1);
        assert_eq!(s.save_weeks(&[row("2026-W47", 3, "poorer")], at).unwrap(), 0);
        assert_eq!(s.weeks_since("").unwrap(), [row("2026-W47", 12, "first")]);
        assert_eq!(s.save_weeks(&[row("2026-W47", 12, "as good, newer")], at).unwrap(), 1);
        assert_eq!(s.weeks_since("").unwrap()[0].json, "as good, newer");
    }

    #[test]
    fn out_of_stock_days_round_trip_once_each() {
        let dir = tempfile::tempdir().unwrap();
        let mut s = Store::open(dir.path()).unwrap();
        let d1: Date = "2026-11-20".parse().unwrap();
        let d2: Date = "2026-11-21".parse().unwrap();
        s.record_out_of_stock(d1, ["A", "B"]).unwrap();
        s.record_out_of_stock(d1, ["A"]).unwrap();
        s.record_out_of_stock(d2, ["A"]).unwrap();
        let got = s.out_of_stock_since(d1).unwrap();
        assert_eq!(got, [("A".to_owned(), d1), ("B".to_owned(), d1), ("A".to_owned(), d2)]);
        assert_eq!(s.out_of_stock_since(d2).unwrap(), [("A".to_owned(), d2)]);
    }
}
