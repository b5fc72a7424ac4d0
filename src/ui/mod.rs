//! The cockpit: a ratatui shell over owned view data.
//!
//! `run` sets the terminal up, then one loop `select!`s over terminal
//! events, a 250 ms tick, a channel of [`Msg`]s (pollers will send `Data`
//! on it) and the quit signals; each message goes through [`app::update`],
//! and the screen is redrawn only after input, data or a resize.

pub mod app;
pub mod keymap;
pub mod layout;
pub mod panes;
pub mod review;
mod term;
pub mod theme;
pub mod view;

use std::path::Path;
use std::time::Duration;

use futures::future::BoxFuture;
use tokio::sync::{mpsc, watch};

pub use app::{Effect, Msg, QuitReason, State, update};
pub use keymap::{Action, Keymap, KeymapError};
pub use review::StoreCommand;
pub use theme::{Theme, ThemeError, ThemeName, Themes};
pub use view::{CockpitView, ReadContext};

use crate::config::{Config, gates};

/// How the cockpit was asked to start.
#[derive(Debug, Clone, Default)]
pub struct Options {
    pub theme: ThemeName,
}

#[derive(Debug, thiserror::Error)]
pub enum UiError {
    #[error(transparent)]
    Keymap(#[from] KeymapError),
    #[error("terminal: {0}")]
    Terminal(#[from] std::io::Error),
}

/// The user's keys.toml beside the config, merged over the defaults.
pub fn load_keymap(config_dir: &Path) -> Result<Keymap, UiError> {
    let path = config_dir.join("keys.toml");
    match std::fs::read_to_string(&path) {
        Ok(text) => Ok(Keymap::with_overrides(&path.display().to_string(), &text)?),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Keymap::default_map()),
        Err(e) => Err(UiError::Terminal(e)),
    }
}

/// The gate table as the cockpit shows it.
pub fn gate_view(config: &Config) -> CockpitView {
    CockpitView::from_gates(&gates::evaluate(config, &|k| std::env::var(k).ok(), None))
}

/// What feeds the cockpit live data: started inside the cockpit's runtime
/// with the channel to send `Msg::Data` on, a counter the refresh key
/// bumps, and the operator's actions to store. It runs until the cockpit
/// exits.
pub type Feed = Box<
    dyn FnOnce(mpsc::Sender<Msg>, watch::Receiver<u64>, mpsc::Receiver<StoreCommand>) -> BoxFuture<'static, ()> + Send,
>;

/// Who the operator is: `$OMNIDECK_OPERATOR`, else the login name.
pub fn operator(env: &dyn Fn(&str) -> Option<String>) -> Option<String> {
    ["OMNIDECK_OPERATOR", "USER"].into_iter().find_map(|k| env(k).filter(|v| !v.trim().is_empty()))
}

/// Run the cockpit until the user quits or a signal arrives; returns the
/// process exit code (0, or 128 + signal number).
pub fn run(config: Config, options: &Options) -> Result<u8, UiError> {
    run_with(config, options, None)
}

/// Run the cockpit with a live `feed` (pollers, the demo sandbox).
pub fn run_with(config: Config, options: &Options, feed: Option<Feed>) -> Result<u8, UiError> {
    let keymap = load_keymap(config.dir())?;
    let themes = Themes::resolve(options.theme, &|k| std::env::var(k).ok());
    let state = State::new(keymap, gate_view(&config)).with_operator(operator(&|k| std::env::var(k).ok()));
    // Two workers: the loop stays responsive while pollers and the
    // evaluation run beside it.
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build()?;
    runtime.block_on(term::event_loop(config, state, themes, Duration::from_millis(250), feed))
}
