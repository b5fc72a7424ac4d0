//! The terminal side: the restore guard, signals, the event loop and its
//! watchdog for a terminal that has gone away.

use std::io::Write;
use std::sync::Arc;
use std::time::{Duration, Instant};

use crossterm::event::{Event, EventStream};
use crossterm::terminal::{BeginSynchronizedUpdate, EndSynchronizedUpdate};
use crossterm::{execute, queue};
use futures::StreamExt;
use ratatui::DefaultTerminal;
use tokio::signal::unix::{SignalKind, signal};
use tokio::sync::mpsc;

mod watchdog;

use watchdog::Watchdog;

use super::app::{Effect, Msg, QuitReason, State, update};
use super::layout;
use super::review::StoreCommand;
use super::theme::Themes;
use super::{UiError, gate_view};
use crate::config::Config;

/// Restores the terminal when dropped, on every way out of the loop.
/// `ratatui::init` has already chained a restoring panic hook in front of
/// the previous one, so a panic restores too.
struct Guard(DefaultTerminal);

impl Drop for Guard {
    fn drop(&mut self) {
        // `try_restore`, not `restore`: on a hung-up tty the first step
        // fails and nothing is written, where `restore` would report it
        // with `eprintln!`, which panics when stderr is that same dead tty.
        let _ = ratatui::try_restore();
    }
}

/// Whether stdout is still a terminal one can draw on: once the tty is
/// hung up its ioctls fail with EIO.
fn terminal_alive() -> bool {
    rustix::termios::tcgetattr(std::io::stdout()).is_ok()
}

/// Raw mode clears ISIG, so Ctrl-C arrives as a key; SIGTERM/SIGHUP would
/// otherwise kill us without restoring. All three go through `Msg::Quit`.
fn forward_signals(tx: &mpsc::Sender<Msg>) -> std::io::Result<()> {
    for (kind, n) in [(SignalKind::terminate(), 15), (SignalKind::interrupt(), 2), (SignalKind::hangup(), 1)] {
        let mut stream = signal(kind)?;
        let tx = tx.clone();
        tokio::spawn(async move {
            if stream.recv().await.is_some() {
                let _ = tx.send(Msg::Quit(QuitReason::Signal(n))).await;
            }
        });
    }
    Ok(())
}

fn draw(terminal: &mut DefaultTerminal, state: &State, themes: &Themes) -> std::io::Result<()> {
    // Synchronized update: the terminal shows the frame whole, which stops
    // tearing over slow links and through tmux; others ignore it.
    queue!(terminal.backend_mut(), BeginSynchronizedUpdate)?;
    terminal.draw(|f| layout::draw(f, state, themes))?;
    execute!(terminal.backend_mut(), EndSynchronizedUpdate)?;
    terminal.backend_mut().flush()
}

/// The exit code when the terminal is gone without a signal saying so:
/// the same as for SIGHUP, which is what an SSH drop would have sent.
const HANGUP: u8 = 128 + 1;

/// What one turn of the loop brought.
enum Input {
    Msg(Msg),
    /// An event the cockpit does not use (mouse, focus, paste).
    Ignored,
    /// The terminal could not be read.
    ReadFailed,
}

/// Feed what the terminal did this turn to the watchdog: a key read is a
/// working terminal, a failed read or a turn over nothing counts against it.
fn terminal_gone(watchdog: &mut Watchdog, input: &Input) -> bool {
    match input {
        Input::Msg(Msg::Key(_)) => watchdog.io(true),
        Input::Msg(_) => false,
        Input::Ignored => watchdog.empty_turn(Instant::now()),
        Input::ReadFailed => watchdog.io(false),
    }
}

pub(super) async fn event_loop(
    config: Config,
    mut state: State,
    themes: Themes,
    tick: Duration,
    feed: Option<super::Feed>,
) -> Result<u8, UiError> {
    let (tx, mut rx) = mpsc::channel::<Msg>(64);
    forward_signals(&tx)?;
    let (refresh, refresh_rx) = tokio::sync::watch::channel(0u64);
    let (store_tx, store_rx) = mpsc::channel::<StoreCommand>(64);
    // Aborted when the loop returns, so pollers stop with the cockpit.
    let _feed = feed.map(|f| AbortOnDrop(tokio::spawn(f(tx.clone(), refresh_rx, store_rx))));
    let config = Arc::new(config);
    // Only a terminal can be probed; a test harness's pipe is left alone.
    let probe = terminal_alive();
    let mut guard = Guard(ratatui::init());
    let size = guard.0.size()?;
    update(&mut state, Msg::Resize(size.width, size.height));
    let mut events = EventStream::new();
    let mut ticker = tokio::time::interval(tick);
    let mut watchdog = Watchdog::new(Instant::now());
    let mut dirty = true;
    loop {
        if dirty {
            // A failed frame is drawn again on the next turn.
            dirty = draw(&mut guard.0, &state, &themes).is_err();
            if watchdog.io(!dirty) {
                return Ok(leave(&state, &store_tx, HANGUP).await);
            }
        }
        let input = tokio::select! {
            ev = events.next() => match ev {
                Some(Ok(Event::Key(k))) => Input::Msg(Msg::Key(k)),
                Some(Ok(Event::Resize(w, h))) => Input::Msg(Msg::Resize(w, h)),
                Some(Ok(_)) => Input::Ignored,
                Some(Err(_)) | None => Input::ReadFailed,
            },
            Some(msg) = rx.recv() => Input::Msg(msg),
            // The tick also probes the terminal: a hung-up tty may never
            // make the reader report anything.
            _ = ticker.tick() => if probe && !terminal_alive() { Input::ReadFailed } else { Input::Msg(Msg::Tick) },
        };
        if terminal_gone(&mut watchdog, &input) {
            return Ok(leave(&state, &store_tx, HANGUP).await);
        }
        let Input::Msg(msg) = input else { continue };
        // A poll that brought the same read again changes nothing: no
        // update, no redraw, so an idle cockpit writes nothing to the
        // terminal (docs/benchmarks.md, idle output).
        if let Msg::Data(view) = &msg
            && **view == state.view
        {
            continue;
        }
        dirty |= !matches!(msg, Msg::Tick);
        match update(&mut state, msg) {
            Some(Effect::Exit(code)) => return Ok(leave(&state, &store_tx, code).await),
            Some(Effect::Refresh) => {
                refresh.send_modify(|n| *n += 1);
                spawn_refresh(&config, &tx);
            }
            Some(Effect::Store(command)) => send_to_store(&mut state, &store_tx, command),
            None => {}
        }
    }
}

/// Never wait on the feed: a full or closed channel is a notice.
fn send_to_store(state: &mut State, store_tx: &mpsc::Sender<StoreCommand>, command: StoreCommand) {
    if let Err(e) = store_tx.try_send(command) {
        let why = match e {
            mpsc::error::TrySendError::Full(_) => "the store is busy",
            mpsc::error::TrySendError::Closed(_) => "there is no store in this session",
        };
        update(state, Msg::Notice(format!("not saved: {why}; try again")));
    }
}

/// On the way out, the operator's last actions may still wait in the
/// channel: give the feed a moment to take them. What it has taken it
/// finishes writing even as the runtime shuts down (blocking work is not
/// cancelled), so no acknowledgement or decision is lost to a quit, a
/// signal or a dropped terminal.
async fn leave(state: &State, store_tx: &mpsc::Sender<StoreCommand>, code: u8) -> u8 {
    if let Some(review) = state.review.as_ref().filter(|r| !r.ended) {
        let _ = store_tx.try_send(StoreCommand::Abandon { tally: review.tally() });
    }
    let taken = async {
        while store_tx.capacity() < store_tx.max_capacity() && !store_tx.is_closed() {
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    };
    let _ = tokio::time::timeout(Duration::from_secs(2), taken).await;
    code
}

struct AbortOnDrop(tokio::task::JoinHandle<()>);

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// The gates look at files and the environment: off the loop's thread.
fn spawn_refresh(config: &Arc<Config>, tx: &mpsc::Sender<Msg>) {
    let (config, tx) = (Arc::clone(config), tx.clone());
    tokio::spawn(async move {
        if let Ok(view) = tokio::task::spawn_blocking(move || gate_view(&config)).await {
            let _ = tx.send(Msg::Gates(Box::new(view))).await;
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The last acknowledgements are still queued when the operator quits
    /// (or the terminal drops): `leave` returns only once the feed has
    /// taken them, so they reach the store.
    #[test]
    fn leaving_waits_until_the_feed_has_taken_every_queued_command() {
        let runtime = tokio::runtime::Builder::new_current_thread().enable_time().build().unwrap();
        runtime.block_on(async {
            let (tx, mut rx) = mpsc::channel::<StoreCommand>(8);
            for key in ["a", "b", "c"] {
                let ack = StoreCommand::Ack { key: key.into(), who: "maya".into(), note: None };
                tx.try_send(ack).unwrap();
            }
            let feed = tokio::spawn(async move {
                let mut taken = Vec::new();
                while let Some(StoreCommand::Ack { key, .. }) = rx.recv().await {
                    taken.push(key);
                    tokio::task::yield_now().await;
                }
                taken
            });
            let state = State::new(super::super::Keymap::default_map(), super::super::CockpitView::default());
            assert_eq!(leave(&state, &tx, 129).await, 129);
            assert_eq!(tx.capacity(), tx.max_capacity(), "every command was taken before leaving");
            drop(tx);
            assert_eq!(feed.await.unwrap(), ["a", "b", "c"]);
        });
    }

    /// Quitting in the middle of a review closes its session in the store
    /// with what was done, rather than leaving it open for ever.
    #[test]
    fn leaving_mid_review_closes_the_session() {
        let runtime = tokio::runtime::Builder::new_current_thread().enable_time().build().unwrap();
        runtime.block_on(async {
            let (tx, mut rx) = mpsc::channel::<StoreCommand>(8);
            let mut state = State::new(super::super::Keymap::default_map(), super::super::CockpitView::default());
            state.review = Some(super::super::review::Review::new(Vec::new(), "2025-W23".to_owned()));
            let feed = tokio::spawn(async move { rx.recv().await });
            assert_eq!(leave(&state, &tx, 143).await, 143);
            let sent = feed.await.unwrap();
            assert!(matches!(sent, Some(StoreCommand::Abandon { tally }) if tally.total == 0), "{sent:?}");
        });
    }
}
