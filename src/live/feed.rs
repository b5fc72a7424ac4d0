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
use crate::core::text::clean;
use crate::store::Store;
use crate::ui::view::{CockpitView, ReadContext, ReadView};
use crate::ui::{Feed, Msg, StoreCommand};

/// How often the store is asked for other operators' acknowledgements.
const ACK_POLL: Duration = Duration::from_secs(3);

/// The feed's ends of the cockpit's channels.
pub struct Links {
    pub tx: mpsc::Sender<Msg>,
    pub refresh: watch::Receiver<u64>,
    pub commands: mpsc::Receiver<StoreCommand>,
}

/// Feed the cockpit from `config`'s sources, stamping fetches with `clock`;
/// `notice`, when set, is shown first (e.g. why the store is unavailable).
pub fn feed(config: Config, clock: Clock, store: Option<Store>, notice: Option<String>) -> Feed {
    Box::new(move |tx, refresh, commands| {
        Box::pin(async move {
            if let Some(n) = notice {
                let _ = tx.send(Msg::Notice(n)).await;
            }
            run(config, clock, store, Links { tx, refresh, commands }, ()).await;
        })
    })
}

/// What one turn of the feed's loop does, off the async threads.
enum Work {
    /// New polls were folded in.
    Evaluate,
    /// The operator did something in the review.
    Command(StoreCommand),
    /// Time to look for other operators' acknowledgements.
    Poll,
}

pub(super) async fn run<K>(config: Config, clock: Clock, store: Option<Store>, links: Links, _keep: K) {
    let Links { tx, refresh, mut commands } = links;
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
    if let Some(s) = store.as_ref()
        && let Err(e) = engine.restore_events(s)
    {
        let _ = tx.send(Msg::Notice(format!("escalation states could not be read: {e}"))).await;
    }
    let mut turn = Turn { engine, store, polled: false, review: None };
    let mut ticker = tokio::time::interval(ACK_POLL);
    ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        let work = tokio::select! {
            first = prx.recv() => {
                let Some(first) = first else { return };
                turn.engine.absorb(first);
                // Fold in whatever else arrived meanwhile: one evaluation per batch.
                while let Ok(more) = prx.try_recv() {
                    turn.engine.absorb(more);
                }
                turn.polled = true;
                Work::Evaluate
            }
            Some(command) = commands.recv() => Work::Command(command),
            _ = ticker.tick() => Work::Poll,
        };
        let now = clock();
        // An Err means the evaluation panicked or the runtime is stopping.
        let Ok((t, out)) = tokio::task::spawn_blocking(move || turn.run(work, now)).await else {
            return;
        };
        turn = t;
        for msg in out {
            if tx.send(msg).await.is_err() {
                return;
            }
        }
    }
}

/// The engine and the store, moved into each blocking turn and back.
struct Turn {
    engine: Engine,
    store: Option<Store>,
    /// Some poll has arrived: before that an evaluation would replace the
    /// stored first frame with an empty one.
    polled: bool,
    /// The review in progress, as its row in the store's `reviews` table.
    review: Option<i64>,
}

impl Turn {
    fn run(mut self, work: Work, now: jiff::Timestamp) -> (Turn, Vec<Msg>) {
        let mut out = Vec::new();
        let fresh = match work {
            Work::Evaluate => true,
            Work::Command(command) => {
                match super::actions::apply(&mut self.engine, self.store.as_mut(), &mut self.review, command, now) {
                    Ok(Some(done)) => out.push(Msg::Info(done)),
                    Ok(None) => {}
                    Err(e) => out.push(Msg::Notice(format!("not saved: {e}"))),
                }
                true
            }
            // Someone else acknowledged something: step the escalations.
            Work::Poll => self.store.as_ref().is_some_and(|s| self.engine.acks_pending(s).unwrap_or(false)),
        };
        if fresh && self.polled {
            let (engine, store, view) = evaluate(self.engine, self.store, now);
            (self.engine, self.store) = (engine, store);
            out.push(Msg::Data(Box::new(view)));
        }
        (self, out)
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
        let _ = engine.save_events(s, now);
        let _ = engine.remember(&cockpit, s, now);
    }
    let decisions = store.as_ref().and_then(|s| s.decisions(200).ok()).unwrap_or_default();
    let gates = gates::evaluate(&engine.config, &env, None);
    let ctx = ReadContext::new(&engine.config, &snapshot);
    let mut view = CockpitView::from_read_with(&cockpit, &cockpit.events, &decisions, &gates, &ctx);
    if let (Some(read), Some(s)) = (view.read.as_mut(), store.as_ref()) {
        review_marks(read, s, now, &ctx.time_zone);
    }
    (engine, store, view)
}

/// What earlier reviews did that the next one must respect: deferrals to
/// a date still to come, and the latest reassignment of each item. A store
/// error leaves them out rather than hold the read back.
fn review_marks(read: &mut ReadView, store: &Store, now: jiff::Timestamp, zone: &jiff::tz::TimeZone) {
    let today = now.to_zoned_datetime(zone.clone()).date();
    for d in store.deferrals().unwrap_or_default() {
        if d.until > today {
            read.deferred.insert(clean(&d.item_key).into_owned(), d.until.to_string());
        } else {
            read.deferred.remove(d.item_key.as_str());
        }
    }
    for r in store.reassignments().unwrap_or_default() {
        read.reassigned.insert(clean(&r.item_key).into_owned(), clean(&r.assignee).into_owned());
    }
}

/// Without a store `Engine::evaluate` cannot fail; this keeps the types
/// honest without a panic.
fn evaluate_plain(engine: &Engine, now: jiff::Timestamp) -> crate::core::evaluate::Cockpit {
    crate::core::evaluate::evaluate(&engine.snapshot(), &engine.config.rules, &History::default(), now)
}

/// The last stored read as the first frame, evaluated at `now` so its
/// sources show how stale they are.
fn stored_view(config: &Config, store: Option<&Store>, now: jiff::Timestamp) -> Option<CockpitView> {
    let store = store?;
    let (_, json) = store.last_read().ok()??;
    let snapshot: Snapshot = serde_json::from_str(&json).ok()?;
    // The same stored weeks and out-of-stock days as the reads that follow.
    let history = super::history::load(store, &config.rules, None, now).unwrap_or_default();
    let cockpit = crate::core::evaluate::evaluate(&snapshot, &config.rules, &history, now);
    let env = |k: &str| std::env::var(k).ok();
    let gates = gates::evaluate(config, &env, None);
    let ctx = ReadContext::new(config, &snapshot);
    Some(CockpitView::from_read_with(&cockpit, &cockpit.events, &[], &gates, &ctx))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_deferrals_to_a_later_day_hold_an_item_back() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(dir.path()).unwrap();
        let now: jiff::Timestamp = "2026-11-25T17:00:00Z".parse().unwrap();
        store.add_deferral("a", "maya", now, "2026-12-04".parse().unwrap()).unwrap();
        store.add_deferral("b", "maya", now, "2026-11-25".parse().unwrap()).unwrap();
        store.add_reassignment("c", "maya", now, "Leo").unwrap();
        store.add_reassignment("c", "maya", now, "Sam").unwrap();
        let mut read = ReadView::default();
        review_marks(&mut read, &store, now, &jiff::tz::TimeZone::UTC);
        assert_eq!(read.deferred.keys().collect::<Vec<_>>(), ["a"]);
        assert_eq!(read.reassigned.get("c").map(String::as_str), Some("Sam"));
    }
}
