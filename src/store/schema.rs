//! Schema migrations, numbered by `PRAGMA user_version`. Each step runs in
//! one transaction; a new version appends a step and never edits old ones.

use rusqlite::Connection;

const STEPS: &[&str] = &[
    // 1: decisions, acknowledgements, escalation states, reviews, weekly
    // figures and the last evaluated read.
    "CREATE TABLE decisions (
        id INTEGER PRIMARY KEY, at TEXT NOT NULL, who TEXT NOT NULL,
        channel TEXT, sku TEXT, event_key TEXT, text TEXT NOT NULL, follow_up TEXT);
     CREATE TABLE acks (
        id INTEGER PRIMARY KEY, at TEXT NOT NULL, who TEXT NOT NULL,
        event_key TEXT NOT NULL, note TEXT);
     CREATE INDEX acks_event ON acks(event_key);
     CREATE TABLE escalations (
        event_key TEXT PRIMARY KEY, state TEXT NOT NULL, level INTEGER NOT NULL,
        opened_at TEXT NOT NULL, updated_at TEXT NOT NULL, json TEXT NOT NULL);
     CREATE TABLE reviews (
        id INTEGER PRIMARY KEY, started_at TEXT NOT NULL, ended_at TEXT,
        who TEXT NOT NULL, items_total INTEGER NOT NULL, items_done INTEGER NOT NULL);
     CREATE TABLE weeks (
        week TEXT NOT NULL, channel TEXT NOT NULL, json TEXT NOT NULL,
        PRIMARY KEY (week, channel));
     CREATE TABLE last_read (id INTEGER PRIMARY KEY CHECK (id = 1), saved_at TEXT NOT NULL, json TEXT NOT NULL);",
    // 2: the weekly review defers items to a date and hands them to
    // another owner; both are kept as history, newest wins.
    "CREATE TABLE deferrals (
        id INTEGER PRIMARY KEY, at TEXT NOT NULL, who TEXT NOT NULL,
        item_key TEXT NOT NULL, until TEXT NOT NULL);
     CREATE INDEX deferrals_item ON deferrals(item_key);
     CREATE TABLE reassignments (
        id INTEGER PRIMARY KEY, at TEXT NOT NULL, who TEXT NOT NULL,
        item_key TEXT NOT NULL, assignee TEXT NOT NULL);
     CREATE INDEX reassignments_item ON reassignments(item_key);",
    // 3: named pieces of evaluated state kept whole, such as the escalation
    // events with their states, levels and opening times.
    "CREATE TABLE state (name TEXT PRIMARY KEY, saved_at TEXT NOT NULL, json TEXT NOT NULL);",
    // 4: each week's figures say how many orders they were read from, so a
    // poorer re-read never replaces them; the days each SKU was out of
    // stock; decisions found by the week they were taken in.
    "ALTER TABLE weeks ADD COLUMN seen INTEGER NOT NULL DEFAULT 0;
     ALTER TABLE weeks ADD COLUMN saved_at TEXT;
     CREATE TABLE out_of_stock (sku TEXT NOT NULL, day TEXT NOT NULL, PRIMARY KEY (sku, day)) WITHOUT ROWID;
     CREATE INDEX out_of_stock_day ON out_of_stock(day);
     CREATE INDEX decisions_at ON decisions(at);",
];

pub fn migrate(conn: &mut Connection) -> rusqlite::Result<()> {
    let current: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    for (i, step) in (1i64..).zip(STEPS).skip(usize::try_from(current).unwrap_or(usize::MAX)) {
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        // Another process may have migrated while this one waited.
        let now: i64 = tx.query_row("PRAGMA user_version", [], |r| r.get(0))?;
        if now < i {
            tx.execute_batch(step)?;
            tx.pragma_update(None, "user_version", i)?;
        }
        tx.commit()?;
    }
    Ok(())
}
