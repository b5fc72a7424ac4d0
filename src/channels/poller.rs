//! Pollers: one tokio task per source, on its own interval, that sends
//! what it fetched to the app as a message and never shares state.
//!
//! A source's task polls, sends, then waits: so at most one request is in
//! flight per source, and a slow source never piles requests up. The
//! channel to the app is bounded; when the app is busy the poller waits to
//! deliver rather than queueing stale reads. A failing source sends its
//! error and keeps its schedule; the others are unaffected.

use std::future::Future;
use std::time::Duration;

use jiff::Timestamp;
use tokio::sync::{mpsc, watch};
use tokio::task::JoinHandle;

use super::error::ChannelError;
use crate::core::ids::SourceId;
use crate::core::snapshot::SourceData;

/// A source the poller can ask for data.
pub trait Source: Send + 'static {
    fn id(&self) -> &SourceId;

    /// Fetch what changed since `since` (everything when `None`).
    fn poll(&mut self, since: Option<Timestamp>) -> impl Future<Output = Result<SourceData, ChannelError>> + Send;

    /// Whether the poll just made for `since` read only what changed, so
    /// its data is folded into the last read instead of replacing it. Most
    /// sources read incrementally exactly when given a `since`; one that
    /// reads in full now and then (to see deletions) says so here.
    fn was_incremental(&self, since: Option<Timestamp>) -> bool {
        since.is_some()
    }
}

/// One poll's outcome, sent to the app.
#[derive(Debug)]
pub struct Polled {
    pub source: SourceId,
    /// Counts this source's polls, so a late reply can be told from a new one.
    pub generation: u64,
    pub fetched_at: Timestamp,
    /// Whether `data` holds only what changed since the last success.
    pub incremental: bool,
    pub result: Result<SourceData, ChannelError>,
}

/// A running poller; dropping it stops the task.
#[derive(Debug)]
pub struct PollerHandle {
    pub source: SourceId,
    task: JoinHandle<()>,
}

impl Drop for PollerHandle {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// The clock fetches are stamped with: the wall clock, or the demo's own.
pub type Clock = std::sync::Arc<dyn Fn() -> Timestamp + Send + Sync>;

/// Start polling `source` every `interval`. A change on `refresh` polls at
/// once instead of waiting out the interval.
pub fn spawn<S: Source>(
    mut source: S,
    interval: Duration,
    clock: Clock,
    tx: mpsc::Sender<Polled>,
    mut refresh: watch::Receiver<u64>,
) -> PollerHandle {
    let id = source.id().clone();
    let task = tokio::spawn(async move {
        let mut generation = 0u64;
        let mut since: Option<Timestamp> = None;
        loop {
            generation += 1;
            let started = clock();
            let result = source.poll(since).await;
            let incremental = source.was_incremental(since);
            if result.is_ok() {
                since = Some(started);
            }
            let polled = Polled { source: source.id().clone(), generation, fetched_at: started, incremental, result };
            if tx.send(polled).await.is_err() {
                return; // the app is gone
            }
            tokio::select! {
                () = tokio::time::sleep(interval) => {}
                changed = refresh.changed() => if changed.is_err() { return },
            }
        }
    });
    PollerHandle { source: id, task }
}
