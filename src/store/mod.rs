//! Durable local state: decisions, acknowledgements, escalation states,
//! review sessions, weekly readback figures and the last evaluated read.
//!
//! `SQLite` in WAL mode with `synchronous=FULL`: a record is on disk when the
//! call that wrote it returns, several operators on one server can write at
//! once (each write a short `BEGIN IMMEDIATE` transaction, with a busy
//! timeout instead of an error while another writer holds the lock), and a
//! process killed at any instant leaves every returned record in place.
//! The data dir is created 0700 and the database 0600, since it holds costs,
//! margins and decisions; a team store is a group-owned dir named in config.

mod error;
mod history;
mod review;
mod schema;

use std::os::unix::fs::{DirBuilderExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::time::Duration;

use jiff::Timestamp;
use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};

pub use error::StoreError;
pub use history::StoredWeekRow;
pub use review::{Deferral, Reassignment};

/// The file name inside the data dir.
pub const DB_FILE: &str = "omnideck.db";

/// A decision recorded in the weekly review or on an event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision {
    pub id: i64,
    pub at: Timestamp,
    pub who: String,
    pub channel: Option<String>,
    pub sku: Option<String>,
    pub event_key: Option<String>,
    pub text: String,
    pub follow_up: Option<Timestamp>,
}

/// An acknowledgement of an escalation event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ack {
    pub id: i64,
    pub at: Timestamp,
    pub who: String,
    pub event_key: String,
    pub note: Option<String>,
}

/// An open handle on the store.
pub struct Store {
    conn: Connection,
    path: PathBuf,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store").field("path", &self.path).finish_non_exhaustive()
    }
}

/// How long a writer waits for another operator's write to finish.
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

impl Store {
    /// Open (creating if needed) the store in `dir`.
    pub fn open(dir: &Path) -> Result<Store, StoreError> {
        Self::open_with_timeout(dir, BUSY_TIMEOUT)
    }

    pub fn open_with_timeout(dir: &Path, busy: Duration) -> Result<Store, StoreError> {
        ensure_dir(dir)?;
        let path = dir.join(DB_FILE);
        let fresh = !path.exists();
        if !fresh {
            writable(&path).map_err(|()| StoreError::ReadOnly(path.clone()))?;
        }
        let conn = Connection::open(&path).map_err(|e| StoreError::from_sqlite(&path, &e))?;
        if fresh {
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600))
                .map_err(|e| StoreError::io(&path, "cannot make the database private", &e))?;
        }
        conn.busy_timeout(busy).map_err(|e| StoreError::from_sqlite(&path, &e))?;
        let mut store = Store { conn, path };
        store.configure()?;
        Ok(store)
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    fn err(&self, e: &rusqlite::Error) -> StoreError {
        StoreError::from_sqlite(&self.path, e)
    }

    fn configure(&mut self) -> Result<(), StoreError> {
        let c = &self.conn;
        let mode: String = c.query_row("PRAGMA journal_mode=WAL", [], |r| r.get(0)).map_err(|e| self.err(&e))?;
        if !mode.eq_ignore_ascii_case("wal") {
            return Err(StoreError::Unsupported { path: self.path.clone(), what: format!("journal mode {mode}") });
        }
        c.pragma_update(None, "synchronous", "FULL").map_err(|e| self.err(&e))?;
        c.pragma_update(None, "foreign_keys", "ON").map_err(|e| self.err(&e))?;
        schema::migrate(&mut self.conn).map_err(|e| StoreError::from_sqlite(&self.path, &e))
    }

    /// Run `f` in a short immediate transaction, so concurrent writers queue
    /// on the busy timeout instead of failing half-way.
    fn write<T>(&mut self, f: impl FnOnce(&rusqlite::Transaction<'_>) -> rusqlite::Result<T>) -> Result<T, StoreError> {
        let path = self.path.clone();
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(|e| StoreError::from_sqlite(&path, &e))?;
        let out = f(&tx).map_err(|e| StoreError::from_sqlite(&path, &e))?;
        tx.commit().map_err(|e| StoreError::from_sqlite(&path, &e))?;
        Ok(out)
    }

    /// Record a decision; durable when this returns.
    pub fn add_decision(&mut self, d: &Decision) -> Result<i64, StoreError> {
        self.write(|tx| {
            tx.execute(
                "INSERT INTO decisions (at, who, channel, sku, event_key, text, follow_up) VALUES (?1,?2,?3,?4,?5,?6,?7)",
                params![
                    d.at.to_string(),
                    d.who,
                    d.channel,
                    d.sku,
                    d.event_key,
                    d.text,
                    d.follow_up.map(|t| t.to_string())
                ],
            )?;
            Ok(tx.last_insert_rowid())
        })
    }

    /// The newest decisions first.
    pub fn decisions(&self, limit: usize) -> Result<Vec<Decision>, StoreError> {
        let sql =
            "SELECT id, at, who, channel, sku, event_key, text, follow_up FROM decisions ORDER BY id DESC LIMIT ?1";
        let mut stmt = self.conn.prepare_cached(sql).map_err(|e| self.err(&e))?;
        let rows =
            stmt.query_map([i64::try_from(limit).unwrap_or(i64::MAX)], decision_row).map_err(|e| self.err(&e))?;
        rows.collect::<rusqlite::Result<Vec<_>>>().map_err(|e| self.err(&e))
    }

    /// Acknowledge an event; durable when this returns.
    pub fn add_ack(
        &mut self,
        event_key: &str,
        who: &str,
        at: Timestamp,
        note: Option<&str>,
    ) -> Result<i64, StoreError> {
        self.write(|tx| {
            tx.execute(
                "INSERT INTO acks (at, who, event_key, note) VALUES (?1,?2,?3,?4)",
                params![at.to_string(), who, event_key, note],
            )?;
            Ok(tx.last_insert_rowid())
        })
    }

    /// Acknowledgements with an id above `after`, oldest first: how one
    /// operator's cockpit sees another's within a poll.
    pub fn acks_after(&self, after: i64) -> Result<Vec<Ack>, StoreError> {
        let sql = "SELECT id, at, who, event_key, note FROM acks WHERE id > ?1 ORDER BY id";
        let mut stmt = self.conn.prepare_cached(sql).map_err(|e| self.err(&e))?;
        let rows = stmt
            .query_map([after], |r| {
                Ok(Ack {
                    id: r.get(0)?,
                    at: parse_time(&r.get::<_, String>(1)?)?,
                    who: r.get(2)?,
                    event_key: r.get(3)?,
                    note: r.get(4)?,
                })
            })
            .map_err(|e| self.err(&e))?;
        rows.collect::<rusqlite::Result<Vec<_>>>().map_err(|e| self.err(&e))
    }

    /// Keep the last evaluated read, so the next start shows it at once.
    pub fn save_last_read(&mut self, at: Timestamp, json: &str) -> Result<(), StoreError> {
        self.write(|tx| {
            tx.execute(
                "INSERT INTO last_read (id, saved_at, json) VALUES (1, ?1, ?2)
                 ON CONFLICT(id) DO UPDATE SET saved_at = excluded.saved_at, json = excluded.json",
                params![at.to_string(), json],
            )
            .map(|_| ())
        })
    }

    pub fn last_read(&self) -> Result<Option<(Timestamp, String)>, StoreError> {
        self.conn
            .query_row("SELECT saved_at, json FROM last_read WHERE id = 1", [], |r| {
                Ok((parse_time(&r.get::<_, String>(0)?)?, r.get(1)?))
            })
            .optional()
            .map_err(|e| self.err(&e))
    }

    /// Keep a named piece of state (JSON), replacing the previous one.
    pub fn save_state(&mut self, name: &str, at: Timestamp, json: &str) -> Result<(), StoreError> {
        self.write(|tx| {
            tx.execute(
                "INSERT INTO state (name, saved_at, json) VALUES (?1, ?2, ?3)
                 ON CONFLICT(name) DO UPDATE SET saved_at = excluded.saved_at, json = excluded.json",
                params![name, at.to_string(), json],
            )
            .map(|_| ())
        })
    }

    pub fn state(&self, name: &str) -> Result<Option<String>, StoreError> {
        self.conn
            .query_row("SELECT json FROM state WHERE name = ?1", [name], |r| r.get(0))
            .optional()
            .map_err(|e| self.err(&e))
    }

    /// `PRAGMA integrity_check`: `Ok` when the file is sound.
    pub fn integrity_check(&self) -> Result<(), StoreError> {
        let verdict: String =
            self.conn.query_row("PRAGMA integrity_check", [], |r| r.get(0)).map_err(|e| self.err(&e))?;
        if verdict == "ok" { Ok(()) } else { Err(StoreError::Corrupt { path: self.path.clone(), detail: verdict }) }
    }

    /// For tests of a full disk: cap the file at `pages` pages.
    #[doc(hidden)]
    pub fn limit_pages(&self, pages: u32) -> Result<(), StoreError> {
        self.conn.pragma_update(None, "max_page_count", pages).map_err(|e| self.err(&e))
    }
}

/// A `decisions` row selected as `id, at, who, channel, sku, event_key,
/// text, follow_up`.
fn decision_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Decision> {
    Ok(Decision {
        id: r.get(0)?,
        at: parse_time(&r.get::<_, String>(1)?)?,
        who: r.get(2)?,
        channel: r.get(3)?,
        sku: r.get(4)?,
        event_key: r.get(5)?,
        text: r.get(6)?,
        follow_up: r.get::<_, Option<String>>(7)?.map(|s| parse_time(&s)).transpose()?,
    })
}

fn parse_time(s: &str) -> rusqlite::Result<Timestamp> {
    s.parse().map_err(|e: jiff::Error| {
        rusqlite::Error::FromSqlConversionFailure(1, rusqlite::types::Type::Text, Box::new(e))
    })
}

/// Create the data dir private (0700), or check an existing one is a
/// dir this process may write in: `SQLite` would otherwise open it and
/// fail later, on the first write or on its WAL files, with a vaguer error.
fn ensure_dir(dir: &Path) -> Result<(), StoreError> {
    if dir.is_dir() {
        return writable(dir).map_err(|()| StoreError::ReadOnlyDir(dir.to_owned()));
    }
    if dir.exists() {
        return Err(StoreError::NotADirectory(dir.to_owned()));
    }
    std::fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)
        .map_err(|e| StoreError::io(dir, "cannot create the data directory", &e))
}

fn writable(path: &Path) -> Result<(), ()> {
    rustix::fs::access(path, rustix::fs::Access::WRITE_OK).map_err(|_| ())
}
