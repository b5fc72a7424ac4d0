//! What the weekly review writes besides decisions and acknowledgements:
//! deferrals to a date and reassignments to another owner. Both are
//! history (one row per action), so a later review can see who moved what.

use jiff::Timestamp;
use jiff::civil::Date;
use rusqlite::params;

use super::{Store, StoreError, parse_time};

/// An item put off until a date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Deferral {
    pub id: i64,
    pub at: Timestamp,
    pub who: String,
    pub item_key: String,
    pub until: Date,
}

/// An item handed to another owner.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reassignment {
    pub id: i64,
    pub at: Timestamp,
    pub who: String,
    pub item_key: String,
    pub assignee: String,
}

impl Store {
    /// Defer an item; durable when this returns.
    pub fn add_deferral(&mut self, item_key: &str, who: &str, at: Timestamp, until: Date) -> Result<i64, StoreError> {
        self.write(|tx| {
            tx.execute(
                "INSERT INTO deferrals (at, who, item_key, until) VALUES (?1,?2,?3,?4)",
                params![at.to_string(), who, item_key, until.to_string()],
            )?;
            Ok(tx.last_insert_rowid())
        })
    }

    /// Hand an item to `assignee`; durable when this returns.
    pub fn add_reassignment(
        &mut self,
        item_key: &str,
        who: &str,
        at: Timestamp,
        assignee: &str,
    ) -> Result<i64, StoreError> {
        self.write(|tx| {
            tx.execute(
                "INSERT INTO reassignments (at, who, item_key, assignee) VALUES (?1,?2,?3,?4)",
                params![at.to_string(), who, item_key, assignee],
            )?;
            Ok(tx.last_insert_rowid())
        })
    }

    /// A review session begins; its id closes it with [`Store::end_review`].
    pub fn start_review(&mut self, who: &str, at: Timestamp, total: usize) -> Result<i64, StoreError> {
        let total = i64::try_from(total).unwrap_or(i64::MAX);
        self.write(|tx| {
            tx.execute(
                "INSERT INTO reviews (started_at, who, items_total, items_done) VALUES (?1,?2,?3,0)",
                params![at.to_string(), who, total],
            )?;
            Ok(tx.last_insert_rowid())
        })
    }

    /// A review session ends (again, when its readback is written again).
    pub fn end_review(&mut self, id: i64, at: Timestamp, done: usize) -> Result<(), StoreError> {
        let done = i64::try_from(done).unwrap_or(i64::MAX);
        self.write(|tx| {
            tx.execute(
                "UPDATE reviews SET ended_at = ?2, items_done = ?3 WHERE id = ?1",
                params![id, at.to_string(), done],
            )
            .map(|_| ())
        })
    }

    /// (who, items total, items done, ended) of every review, oldest first.
    pub fn reviews(&self) -> Result<Vec<(String, i64, i64, bool)>, StoreError> {
        let sql = "SELECT who, items_total, items_done, ended_at IS NOT NULL FROM reviews ORDER BY id";
        let mut stmt = self.conn.prepare_cached(sql).map_err(|e| self.err(&e))?;
        let rows =
            stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))).map_err(|e| self.err(&e))?;
        rows.collect::<rusqlite::Result<Vec<_>>>().map_err(|e| self.err(&e))
    }

    /// Every deferral, oldest first.
    pub fn deferrals(&self) -> Result<Vec<Deferral>, StoreError> {
        let sql = "SELECT id, at, who, item_key, until FROM deferrals ORDER BY id";
        let mut stmt = self.conn.prepare_cached(sql).map_err(|e| self.err(&e))?;
        let rows = stmt
            .query_map([], |r| {
                let until: String = r.get(4)?;
                Ok(Deferral {
                    id: r.get(0)?,
                    at: parse_time(&r.get::<_, String>(1)?)?,
                    who: r.get(2)?,
                    item_key: r.get(3)?,
                    until: until.parse().map_err(|e: jiff::Error| {
                        rusqlite::Error::FromSqlConversionFailure(4, rusqlite::types::Type::Text, Box::new(e))
                    })?,
                })
            })
            .map_err(|e| self.err(&e))?;
        rows.collect::<rusqlite::Result<Vec<_>>>().map_err(|e| self.err(&e))
    }

    /// Every reassignment, oldest first.
    pub fn reassignments(&self) -> Result<Vec<Reassignment>, StoreError> {
        let sql = "SELECT id, at, who, item_key, assignee FROM reassignments ORDER BY id";
        let mut stmt = self.conn.prepare_cached(sql).map_err(|e| self.err(&e))?;
        let rows = stmt
            .query_map([], |r| {
                Ok(Reassignment {
                    id: r.get(0)?,
                    at: parse_time(&r.get::<_, String>(1)?)?,
                    who: r.get(2)?,
                    item_key: r.get(3)?,
                    assignee: r.get(4)?,
                })
            })
            .map_err(|e| self.err(&e))?;
        rows.collect::<rusqlite::Result<Vec<_>>>().map_err(|e| self.err(&e))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deferrals_and_reassignments_round_trip() {
        let dir = tempfile::tempdir().unwrap();
        let mut s = Store::open(dir.path()).unwrap();
        let at: Timestamp = "2026-11-25T17:00:00Z".parse().unwrap();
        let until: Date = "2026-12-02".parse().unwrap();
        s.add_deferral("cover:SKU-1", "maya", at, until).unwrap();
        s.add_reassignment("floor:SKU-1:amazon-us", "maya", at, "Sam Ortiz").unwrap();
        let d = s.deferrals().unwrap();
        assert_eq!((d[0].item_key.as_str(), d[0].until), ("cover:SKU-1", until));
        let r = s.reassignments().unwrap();
        assert_eq!((r[0].who.as_str(), r[0].assignee.as_str()), ("maya", "Sam Ortiz"));
    }

    #[test]
    fn two_stores_in_one_dir_see_each_others_acks() {
        let dir = tempfile::tempdir().unwrap();
        let mut a = Store::open(dir.path()).unwrap();
        let mut b = Store::open(dir.path()).unwrap();
        let at: Timestamp = "2026-11-25T17:00:00Z".parse().unwrap();
        a.add_ack("cover:SKU-1", "maya", at, None).unwrap();
        let seen = b.acks_after(0).unwrap();
        assert_eq!(seen.len(), 1);
        assert_eq!(seen[0].who, "maya");
        b.add_ack("map:SKU-2:ebay", "sam", at, Some("on it")).unwrap();
        let after = a.acks_after(seen[0].id).unwrap();
        assert_eq!(after.iter().map(|x| x.event_key.as_str()).collect::<Vec<_>>(), ["map:SKU-2:ebay"]);
    }
}
