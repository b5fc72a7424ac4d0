//! Issue 6: appending a decision or an acknowledgement stays fast as the
//! store grows. Each append is one `BEGIN IMMEDIATE` transaction with
//! `synchronous=FULL`, so it is durable when it returns; its cost should
//! be the commit, not the size of the tables.
//!
//! A plain bench binary: the stores are built once (each in one
//! transaction, half acknowledgements and half decisions), then the same
//! number of appends is timed on each, and the median and p95 compared.
//!
//! `cargo bench --bench store_append`; `OMNIDECK_BENCH_RECORDS` (default
//! 1000000) sets the large store, `OMNIDECK_BENCH_APPENDS` (default 200)
//! the appends timed per kind.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "bench setup fails loudly")]

use std::path::Path;
use std::time::{Duration, Instant};

use jiff::{SignedDuration, Timestamp};
use omnideck::store::{Decision, Store};

fn env(name: &str, default: usize) -> usize {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

fn at() -> Timestamp {
    "2026-11-27T10:00:00Z".parse().unwrap()
}

/// A store in `dir` holding `records` records, written in one transaction
/// straight through `SQLite` (the store's own API commits each one).
fn build(dir: &Path, records: usize) {
    drop(Store::open(dir).unwrap());
    let mut conn = rusqlite::Connection::open(dir.join(omnideck::store::DB_FILE)).unwrap();
    let tx = conn.transaction().unwrap();
    {
        let mut ack = tx.prepare("INSERT INTO acks (at, who, event_key, note) VALUES (?1, ?2, ?3, NULL)").unwrap();
        let mut dec = tx
            .prepare("INSERT INTO decisions (at, who, channel, sku, event_key, text, follow_up) VALUES (?1,?2,?3,?4,?5,?6,NULL)")
            .unwrap();
        for i in 0..records {
            // One record every 100 s: 1M records reach three years back.
            let when = (at() - SignedDuration::from_secs(100 * i64::try_from(i).unwrap())).to_string();
            let key = format!("cover:SKU-{:06}", i % 100_000);
            if i % 2 == 0 {
                ack.execute(rusqlite::params![when, "maya", key]).unwrap();
            } else {
                let text = "hold the price until the inbound lands";
                dec.execute(rusqlite::params![when, "maya", "amazon-us", "SKU-1", key, text]).unwrap();
            }
        }
    }
    tx.commit().unwrap();
}

fn decision(i: usize) -> Decision {
    Decision {
        id: 0,
        at: at(),
        who: "sam".into(),
        channel: Some("ebay-us".into()),
        sku: Some(format!("SKU-{i:06}")),
        event_key: Some(format!("retire:ebay-us:{i}")),
        text: "pause listings for two weeks".into(),
        follow_up: None,
    }
}

/// Timed appends, an acknowledgement then a decision, on each store in
/// turn, so a slow moment of the shared disk falls on both alike.
fn time_appends(stores: &mut [Store], n: usize) -> Vec<[Vec<Duration>; 2]> {
    let mut times: Vec<[Vec<Duration>; 2]> = stores.iter().map(|_| [Vec::new(), Vec::new()]).collect();
    for i in 0..n {
        for (store, t) in stores.iter_mut().zip(&mut times) {
            let started = Instant::now();
            store.add_ack(&format!("stale:src-{i}"), "sam", at(), Some("on it")).unwrap();
            t[0].push(started.elapsed());
            let started = Instant::now();
            store.add_decision(&decision(i)).unwrap();
            t[1].push(started.elapsed());
        }
    }
    times
}

fn stats(mut t: Vec<Duration>) -> (Duration, Duration) {
    t.sort_unstable();
    (t[t.len() / 2], t[(t.len() * 95 / 100).min(t.len() - 1)])
}

fn main() {
    let (big, appends) = (env("OMNIDECK_BENCH_RECORDS", 1_000_000), env("OMNIDECK_BENCH_APPENDS", 200));
    let sizes = [10_000, big];
    let dirs: Vec<tempfile::TempDir> = sizes.iter().map(|_| tempfile::tempdir().unwrap()).collect();
    for (dir, records) in dirs.iter().zip(sizes) {
        let started = Instant::now();
        build(dir.path(), records);
        println!("built {records} records in {:.1?}", started.elapsed());
    }
    let mut stores: Vec<Store> = dirs.iter().map(|d| Store::open(d.path()).unwrap()).collect();
    let times = time_appends(&mut stores, appends);
    println!(
        "| records in the store | ack median | ack p95 | decision median | decision p95 | week's decisions read | db size |"
    );
    let mut medians = Vec::new();
    for ((store, [acks, decisions]), records) in stores.iter().zip(times).zip(sizes) {
        let ((am, ap), (dm, dp)) = (stats(acks), stats(decisions));
        // The week's decisions, as a read loads them.
        let t = Instant::now();
        let week = store.decisions_since(at() - SignedDuration::from_hours(7 * 24)).unwrap();
        let read = t.elapsed();
        let size = std::fs::metadata(store.path()).unwrap().len() / (1024 * 1024);
        println!(
            "| {records} | {am:.2?} | {ap:.2?} | {dm:.2?} | {dp:.2?} | {} in {read:.2?} | {size} MiB |",
            week.len()
        );
        medians.push((am, dm));
    }
    let ratio = |a: Duration, b: Duration| b.as_secs_f64() / a.as_secs_f64();
    println!(
        "median ratio large/small: ack {:.2}, decision {:.2}",
        ratio(medians[0].0, medians[1].0),
        ratio(medians[0].1, medians[1].1)
    );
}
