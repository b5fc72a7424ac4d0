//! The poller's contract: one request in flight per source, results sent
//! as messages with `fetched_at`, a failing source never stopping the
//! others, its last good data kept and marked stale, the refresh key
//! polling at once. (The connectors themselves are tested against the
//! sandbox over HTTP; here a scripted source drives the scheduler.)

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "test helpers fail loudly")]

use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

use jiff::Timestamp;
use omnideck::channels::ChannelError;
use omnideck::channels::poller::{self, Clock, Polled, Source};
use omnideck::core::ids::{LocationId, Sku, SourceId};
use omnideck::core::snapshot::SourceData;
use omnideck::core::stock::{Inbounds, StockPosition};
use omnideck::live::Engine;
use tokio::sync::{mpsc, watch};

/// A source whose polls succeed or fail as scripted, counting how many
/// run at once.
struct Scripted {
    id: SourceId,
    fail: bool,
    in_flight: Arc<AtomicU32>,
    max_in_flight: Arc<AtomicU32>,
    polls: Arc<AtomicU32>,
}

impl Source for Scripted {
    fn id(&self) -> &SourceId {
        &self.id
    }

    async fn poll(&mut self, _since: Option<Timestamp>) -> Result<SourceData, ChannelError> {
        let now = self.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
        self.max_in_flight.fetch_max(now, Ordering::SeqCst);
        tokio::task::yield_now().await;
        self.in_flight.fetch_sub(1, Ordering::SeqCst);
        let n = self.polls.fetch_add(1, Ordering::SeqCst);
        if self.fail && n > 0 {
            return Err(ChannelError::Config { source_id: self.id.clone(), message: "503 from upstream".into() });
        }
        let pos = StockPosition {
            sku: Sku::new("A").unwrap(),
            location: LocationId::new("wh").unwrap(),
            on_hand: 10 + n,
            committed: 0,
            reserved: 0,
            unfulfillable: 0,
            inbound: Inbounds::new(),
        };
        Ok(SourceData { stock: vec![pos], ..SourceData::default() })
    }
}

fn scripted(id: &str, fail: bool) -> (Scripted, Arc<AtomicU32>, Arc<AtomicU32>) {
    let (max, polls) = (Arc::new(AtomicU32::new(0)), Arc::new(AtomicU32::new(0)));
    let s = Scripted {
        id: SourceId::new(id).unwrap(),
        fail,
        in_flight: Arc::new(AtomicU32::new(0)),
        max_in_flight: Arc::clone(&max),
        polls: Arc::clone(&polls),
    };
    (s, max, polls)
}

fn clock() -> Clock {
    Arc::new(|| "2026-11-27T12:00:00Z".parse().unwrap())
}

#[tokio::test]
async fn a_failing_source_keeps_its_schedule_and_does_not_stop_the_others() {
    let (tx, mut rx) = mpsc::channel::<Polled>(4);
    let (refresh, refresh_rx) = watch::channel(0u64);
    let (good, good_max, good_polls) = scripted("good", false);
    let (bad, _, bad_polls) = scripted("bad", true);
    let every = Duration::from_hours(1);
    let _a = poller::spawn(good, every, clock(), tx.clone(), refresh_rx.clone());
    let _b = poller::spawn(bad, every, clock(), tx, refresh_rx);
    let mut seen = Vec::new();
    for _ in 0..2 {
        let p = rx.recv().await.unwrap();
        assert_eq!(p.generation, 1);
        assert!(!p.incremental, "the first poll is a full read");
        seen.push((p.source.to_string(), p.result.is_ok()));
    }
    seen.sort();
    assert_eq!(seen, vec![("bad".to_owned(), true), ("good".to_owned(), true)]);
    // The refresh key polls both at once instead of waiting an hour.
    refresh.send_modify(|n| *n += 1);
    let mut second = Vec::new();
    for _ in 0..2 {
        let p = rx.recv().await.unwrap();
        assert_eq!(p.generation, 2);
        assert!(p.incremental, "later polls ask only for what changed");
        second.push((p.source.to_string(), p.result.is_ok()));
    }
    second.sort();
    assert_eq!(second, vec![("bad".to_owned(), false), ("good".to_owned(), true)]);
    assert_eq!((good_polls.load(Ordering::SeqCst), bad_polls.load(Ordering::SeqCst)), (2, 2));
    assert_eq!(good_max.load(Ordering::SeqCst), 1, "never two requests in flight for one source");
}

#[tokio::test]
async fn the_engine_keeps_last_good_data_and_shows_the_error() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/scenarios/inventory/base.toml");
    let config = omnideck::config::Config::load(&path).unwrap();
    let mut engine = Engine::new(config, &[], clock()());
    let store = SourceId::new("store").unwrap();
    let ok = |n| Polled {
        source: store.clone(),
        generation: n,
        fetched_at: format!("2026-11-27T1{n}:00:00Z").parse().unwrap(),
        incremental: false,
        result: Ok(SourceData {
            stock: vec![StockPosition {
                sku: Sku::new("A").unwrap(),
                location: LocationId::new("wh").unwrap(),
                on_hand: 42,
                committed: 0,
                reserved: 0,
                unfulfillable: 0,
                inbound: Inbounds::new(),
            }],
            ..SourceData::default()
        }),
    };
    engine.absorb(ok(1));
    engine.absorb(Polled {
        source: store.clone(),
        generation: 2,
        fetched_at: "2026-11-27T13:00:00Z".parse().unwrap(),
        incremental: true,
        result: Err(ChannelError::Config { source_id: store.clone(), message: "\u{1b}[2J503 upstream".into() }),
    });
    let snap = engine.snapshot();
    assert_eq!(snap.stock.len(), 1, "the last good data stays");
    assert_eq!(snap.stock[0].value.on_hand, 42);
    let status = &snap.sources[&store];
    assert_eq!(status.fetched_at, Some("2026-11-27T11:00:00Z".parse().unwrap()), "stale since the last success");
    let err = status.last_error.as_ref().unwrap();
    assert_eq!(err.at, "2026-11-27T13:00:00Z".parse::<Timestamp>().unwrap());
    assert!(!err.message.contains('\u{1b}'), "remote text is cleaned: {}", err.message);
    // Every place that shows it names the source already.
    assert!(err.message.ends_with("503 upstream") && !err.message.contains(store.as_str()), "{}", err.message);
}

#[test]
fn escalation_states_survive_a_restart() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/scenarios/inventory/base.toml");
    let config = omnideck::config::Config::load(&path).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let mut store = omnideck::store::Store::open(dir.path()).unwrap();
    let now: Timestamp = "2026-11-27T12:00:00Z".parse().unwrap();
    // Never-fetched sources are stale: conditions, hence events, exist.
    let mut engine = Engine::new(config.clone(), &[], now);
    engine.evaluate(now, Some(&store)).unwrap();
    let before = engine.events().to_vec();
    assert!(!before.is_empty());
    store.add_ack(&before[0].key, "Maya", now, None).unwrap();
    engine.evaluate(now, Some(&store)).unwrap();
    engine.save_events(&mut store, now).unwrap();
    let acked = engine.events().to_vec();
    assert_eq!(acked[0].state, omnideck::core::escalation::State::Acknowledged);

    let mut restarted = Engine::new(config, &[], now);
    restarted.restore_events(&store).unwrap();
    assert_eq!(restarted.events(), acked.as_slice(), "states, levels and opening times come back");
}

/// A source that reads in full every other poll, whatever `since` says.
struct FullEveryOther {
    id: SourceId,
    polls: u32,
}

impl Source for FullEveryOther {
    fn id(&self) -> &SourceId {
        &self.id
    }

    async fn poll(&mut self, _since: Option<Timestamp>) -> Result<SourceData, ChannelError> {
        self.polls += 1;
        Ok(SourceData::default())
    }

    fn was_incremental(&self, since: Option<Timestamp>) -> bool {
        since.is_some() && self.polls.is_multiple_of(2)
    }
}

#[tokio::test]
async fn a_source_that_read_in_full_is_not_sent_as_incremental() {
    let (tx, mut rx) = mpsc::channel::<Polled>(4);
    let (_refresh, refresh_rx) = watch::channel(0u64);
    let source = FullEveryOther { id: SourceId::new("amazon").unwrap(), polls: 0 };
    let _handle = poller::spawn(source, Duration::from_millis(1), clock(), tx, refresh_rx);
    let mut flags = Vec::new();
    for _ in 0..4 {
        flags.push(rx.recv().await.unwrap().incremental);
    }
    // The first poll has no `since`; then the source's own word counts.
    assert_eq!(flags, [false, true, false, true]);
}

/// A source that could not be built shows why from the start, in the same
/// words as a failed poll: without its own name in front.
#[test]
fn an_unbuilt_source_shows_its_reason_without_its_name_twice() {
    use omnideck::channels::registry::Unbuilt;

    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/scenarios/inventory/base.toml");
    let config = omnideck::config::Config::load(&path).unwrap();
    let store = SourceId::new("store").unwrap();
    let unbuilt = [Unbuilt { source: store.clone(), reason: "store: credentials lack access_token".into() }];
    let engine = Engine::new(config, &unbuilt, "2026-11-27T12:00:00Z".parse().unwrap());
    let error = engine.snapshot().sources[&store].last_error.clone().unwrap();
    assert_eq!(error.message, "credentials lack access_token");
}
