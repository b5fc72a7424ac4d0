//! The cockpit's live feed: pollers per source, the engine folding their
//! results in, an evaluation off the UI loop after each batch, and the
//! view sent to the cockpit. The first frame comes from the last stored
//! read, marked stale, so the screen never waits on the network.

use std::time::Duration;

use tokio::sync::{mpsc, watch};

use super::Engine;
use crate::channels::http::HttpConfig;
use crate::channels::poller::{self, Clock, Polled};
use crate::channels::registry;
use crate::config::{Config, gates};
use crate::core::evaluate::History;
use crate::core::snapshot::Snapshot;
use crate::store::Store;
use crate::ui::view::{CockpitView, ReadContext};
use crate::ui::{Feed, Msg};

/// Feed the cockpit from `config`'s sources, stamping fetches with `clock`;
/// `notice`, when set, is shown first (e.g. why the store is unavailable).
pub fn feed(config: Config, clock: Clock, store: Option<Store>, notice: Option<String>) -> Feed {
    Box::new(move |tx, refresh| {
        Box::pin(async move {
            if let Some(n) = notice {
                let _ = tx.send(Msg::Notice(n)).await;
            }
            run(config, clock, store, tx, refresh, ()).await;
        })
    })
}

pub(super) async fn run<K>(
    config: Config,
    clock: Clock,
    mut store: Option<Store>,
    tx: mpsc::Sender<Msg>,
    refresh: watch::Receiver<u64>,
    _keep: K,
) {
    let env = |k: &str| std::env::var(k).ok();
    let (sources, unbuilt) = registry::build(&config, &env, &HttpConfig::default(), &clock);
    if let Some(view) = stored_view(&config, store.as_ref(), clock()) {
        let _ = tx.send(Msg::Data(Box::new(view))).await;
    }
    let (ptx, mut prx) = mpsc::channel::<Polled>(16);
    let intervals: Vec<Duration> = sources
        .iter()
        .map(|s| config.sources.get(poller::Source::id(s)).map_or(Duration::from_mins(5), |c| c.poll_interval))
        .collect();
    let _pollers: Vec<_> = sources
        .into_iter()
        .zip(intervals)
        .map(|(s, every)| poller::spawn(s, every, clock.clone(), ptx.clone(), refresh.clone()))
        .collect();
    let mut engine = Engine::new(config, &unbuilt, clock());
    while let Some(first) = prx.recv().await {
        engine.absorb(first);
        // Fold in whatever else arrived meanwhile: one evaluation per batch.
        while let Ok(more) = prx.try_recv() {
            engine.absorb(more);
        }
        let now = clock();
        // An Err means the evaluation panicked or the runtime is stopping.
        let Ok((e, s, view)) = tokio::task::spawn_blocking(move || evaluate(engine, store, now)).await else {
            return;
        };
        (engine, store) = (e, s);
        if tx.send(Msg::Data(Box::new(view))).await.is_err() {
            return;
        }
    }
}

/// Evaluate, keep the read for the next start, and build the view.
fn evaluate(
    mut engine: Engine,
    mut store: Option<Store>,
    now: jiff::Timestamp,
) -> (Engine, Option<Store>, CockpitView) {
    let env = |k: &str| std::env::var(k).ok();
    let cockpit = match engine.evaluate(now, store.as_ref()) {
        Ok(c) => c,
        Err(_) => {
            // The store failed (full, locked): evaluate without it rather
            // than show nothing; the next batch tries the store again.
            engine.evaluate(now, None).unwrap_or_else(|_| evaluate_plain(&engine, now))
        }
    };
    let snapshot = engine.snapshot();
    if let (Some(s), Ok(json)) = (store.as_mut(), serde_json::to_string(&snapshot)) {
        let _ = s.save_last_read(now, &json);
    }
    let decisions = store.as_ref().and_then(|s| s.decisions(200).ok()).unwrap_or_default();
    let gates = gates::evaluate(&engine.config, &env, None);
    let ctx = ReadContext::new(&engine.config, &snapshot);
    let view = CockpitView::from_read_with(&cockpit, &cockpit.events, &decisions, &gates, &ctx);
    (engine, store, view)
}

/// Without a store `Engine::evaluate` cannot fail; this keeps the types
/// honest without a panic.
fn evaluate_plain(engine: &Engine, now: jiff::Timestamp) -> crate::core::evaluate::Cockpit {
    crate::core::evaluate::evaluate(&engine.snapshot(), &engine.config.rules, &History::default(), now)
}

/// The last stored read as the first frame, evaluated at `now` so its
/// sources show how stale they are.
fn stored_view(config: &Config, store: Option<&Store>, now: jiff::Timestamp) -> Option<CockpitView> {
    let (_, json) = store?.last_read().ok()??;
    let snapshot: Snapshot = serde_json::from_str(&json).ok()?;
    let cockpit = crate::core::evaluate::evaluate(&snapshot, &config.rules, &History::default(), now);
    let env = |k: &str| std::env::var(k).ok();
    let gates = gates::evaluate(config, &env, None);
    let ctx = ReadContext::new(config, &snapshot);
    Some(CockpitView::from_read_with(&cockpit, &cockpit.events, &[], &gates, &ctx))
}
