//! Opening the cockpit shows the last stored read first, before any
//! channel answers: here no channel can answer at all (every source points
//! at a closed loopback port), and the first frame is still the stored one.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "test helpers fail loudly")]

use std::sync::Arc;

use jiff::{SignedDuration, Timestamp};
use omnideck::core::snapshot::{Snapshot, SourceStatus};
use omnideck::live::{demo, feed};
use omnideck::store::Store;
use omnideck::ui::Msg;
use tokio::sync::{mpsc, watch};

#[tokio::test]
async fn the_first_frame_is_the_last_stored_read() {
    let config = demo::config_for("http://127.0.0.1:9").unwrap();
    let stored_at: Timestamp = "2026-11-27T12:00:00Z".parse().unwrap();
    let mut snapshot = Snapshot::default();
    for id in config.sources.keys() {
        snapshot
            .sources
            .insert(id.clone(), SourceStatus { source: id.clone(), fetched_at: Some(stored_at), last_error: None });
    }
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(dir.path()).unwrap();
    store.save_last_read(stored_at, &serde_json::to_string(&snapshot).unwrap()).unwrap();

    let clock: omnideck::channels::poller::Clock = Arc::new(move || stored_at + SignedDuration::from_mins(5));
    let run = feed::feed(config, clock, Some(store), None);
    let (tx, mut rx) = mpsc::channel(16);
    let (_refresh_tx, refresh) = watch::channel(0);
    let (_commands_tx, commands) = mpsc::channel(4);
    let task = tokio::spawn(run(tx, refresh, commands));
    let first = rx.recv().await.expect("the feed sends a first frame");
    task.abort();
    let Msg::Data(view) = first else { panic!("the first message is not a frame") };
    let read = view.read.expect("the first frame holds a read");
    assert!(!read.sources.is_empty());
    // Every source as stored: fetched five minutes before, no error yet.
    for s in &read.sources {
        assert_eq!((s.age.as_deref(), s.error.as_deref()), (Some("5m"), None), "{}", s.source);
    }
}
