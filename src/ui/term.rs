//! The terminal side: the restore guard, signals, and the event loop.

use std::io::Write;
use std::sync::Arc;
use std::time::Duration;

use crossterm::event::{Event, EventStream};
use crossterm::terminal::{BeginSynchronizedUpdate, EndSynchronizedUpdate};
use crossterm::{execute, queue};
use futures::StreamExt;
use ratatui::DefaultTerminal;
use tokio::signal::unix::{SignalKind, signal};
use tokio::sync::mpsc;

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
        ratatui::restore();
    }
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
    let mut guard = Guard(ratatui::init());
    let size = guard.0.size()?;
    update(&mut state, Msg::Resize(size.width, size.height));
    let mut events = EventStream::new();
    let mut ticker = tokio::time::interval(tick);
    let mut dirty = true;
    loop {
        if dirty {
            draw(&mut guard.0, &state, &themes)?;
        }
        let msg = tokio::select! {
            ev = events.next() => match ev {
                Some(Ok(Event::Key(k))) => Msg::Key(k),
                Some(Ok(Event::Resize(w, h))) => Msg::Resize(w, h),
                Some(Ok(_)) => continue,
                // The terminal is gone (SSH drop, EIO): nothing to draw on.
                Some(Err(_)) | None => Msg::Quit(QuitReason::Signal(1)),
            },
            Some(msg) = rx.recv() => msg,
            _ = ticker.tick() => Msg::Tick,
        };
        dirty = !matches!(msg, Msg::Tick);
        match update(&mut state, msg) {
            Some(Effect::Exit(code)) => return Ok(code),
            Some(Effect::Refresh) => {
                refresh.send_modify(|n| *n += 1);
                spawn_refresh(&config, &tx);
            }
            // Never wait on the feed: a full or closed channel is a notice.
            Some(Effect::Store(command)) => {
                if let Err(e) = store_tx.try_send(command) {
                    let why = match e {
                        mpsc::error::TrySendError::Full(_) => "the store is busy",
                        mpsc::error::TrySendError::Closed(_) => "there is no store in this session",
                    };
                    update(&mut state, Msg::Notice(format!("not saved: {why}; try again")));
                }
            }
            None => {}
        }
    }
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
            let _ = tx.send(Msg::Data(Box::new(view))).await;
        }
    });
}
