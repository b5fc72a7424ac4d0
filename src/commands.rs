//! What each command does, behind `main`'s dispatch. Each returns the
//! process exit code or a typed error that names what failed.

use std::io::Write;
use std::sync::Arc;

use jiff::Timestamp;

use crate::channels::poller::Clock;
use crate::cli::{CheckFormat, PriceFormat, ReportFormat};
use crate::config::gates::{self, ProbeResults};
use crate::config::{Config, ConfigErrors};
use crate::core::evaluate::Cockpit;
use crate::core::readback::{BadWeek, WeekId};
use crate::live::demo::{self, DemoError};
use crate::live::headless::poll_once;
use crate::report;
use crate::sandbox::{FaultSpecError, Faults, Sandbox, SandboxError, World};
use crate::store::Store;
use crate::ui::{self, ThemeName, UiError};

#[derive(Debug, thiserror::Error)]
pub enum CommandError {
    #[error("{0}")]
    Config(#[from] ConfigErrors),
    #[error(transparent)]
    Demo(#[from] DemoError),
    #[error(transparent)]
    Sandbox(#[from] SandboxError),
    #[error("--faults: {0}")]
    Faults(#[from] FaultSpecError),
    #[error("--week: {0}")]
    Week(#[from] BadWeek),
    #[error("cannot write the output: {0}")]
    Output(#[from] std::io::Error),
    #[error("cannot render JSON: {0}")]
    Json(#[from] serde_json::Error),
    #[error("no channel {0:?} in the config")]
    UnknownChannel(String),
    #[error(transparent)]
    Ui(#[from] UiError),
}

fn runtime() -> Result<tokio::runtime::Runtime, CommandError> {
    Ok(tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build()?)
}

fn wall_clock() -> Clock {
    Arc::new(Timestamp::now)
}

fn env(k: &str) -> Option<String> {
    std::env::var(k).ok()
}

fn print(text: &str) -> Result<(), CommandError> {
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_bytes())?;
    Ok(out.flush()?)
}

/// Poll every source once and evaluate: against the demo sandbox, or the
/// user's config with the wall clock.
fn read(config: Option<Config>, week: Option<WeekId>) -> Result<(Cockpit, Config), CommandError> {
    runtime()?.block_on(async move {
        // `_demo` keeps the sandbox up until the read is done.
        let demo = config.is_none();
        let (config, clock, _demo) = if let Some(c) = config {
            (c, wall_clock(), None)
        } else {
            let d = demo::start(Faults::default()).await?;
            (d.config.clone(), d.clock.clone(), Some(d))
        };
        let mut engine = poll_once(config, &clock, &env).await;
        let mut store = existing_store(&engine.config, demo);
        let now = clock();
        let cockpit = match engine.evaluate_week(now, store.as_ref(), week) {
            Ok(c) => c,
            Err(e) => {
                eprintln!("the store could not be read ({e}); this read leaves out its history");
                store = None;
                let history = crate::core::evaluate::History { week, ..Default::default() };
                crate::core::evaluate::evaluate(&engine.snapshot(), &engine.config.rules, &history, now)
            }
        };
        if let Some(Err(e)) = store.as_mut().map(|s| engine.remember(&cockpit, s, now)) {
            eprintln!("this read's weeks were not kept: {e}");
        }
        Ok((cockpit, engine.config))
    })
}

/// The store, if one exists: a headless read never creates one.
fn existing_store(config: &Config, demo: bool) -> Option<Store> {
    let dir = data_dir((!demo).then_some(config), demo)?;
    if !dir.join(crate::store::DB_FILE).exists() {
        return None;
    }
    Store::open(&dir).map_err(|e| eprintln!("the store is not used: {e}")).ok()
}

/// Where state lives: `$OMNIDECK_DATA_DIR`, else `[state] data_dir`, else
/// the platform data dir; the demo keeps its own `demo/` inside it.
fn data_dir(config: Option<&Config>, demo: bool) -> Option<std::path::PathBuf> {
    let base = env("OMNIDECK_DATA_DIR")
        .filter(|d| !d.is_empty())
        .map(std::path::PathBuf::from)
        .or_else(|| config.and_then(|c| c.state.data_dir.clone()))
        .or_else(crate::config::default_data_dir)?;
    Some(if demo { base.join("demo") } else { base })
}

/// Start the log file in the data dir, or say why there is none; the
/// cockpit runs without a log.
fn start_log(dir: Option<&std::path::Path>) -> Option<String> {
    let dir = dir?;
    crate::logging::start(dir, env("OMNIDECK_LOG").as_deref()).err().map(|e| format!("no log: {e}"))
}

/// Open the store, or say why not and carry on without it: the cockpit
/// is still useful read-only.
fn open_store(dir: Option<std::path::PathBuf>) -> (Option<Store>, Option<String>) {
    match dir.map(|d| Store::open(&d)) {
        Some(Ok(s)) => (Some(s), None),
        Some(Err(e)) => (None, Some(format!("decisions and acknowledgements will not be saved: {e}"))),
        None => (None, Some("no data directory: decisions and acknowledgements will not be saved".to_owned())),
    }
}

/// `omnideck` / `omnideck cockpit`: the cockpit on the user's config,
/// polling its sources live.
pub fn cockpit(config: Config, theme: ThemeName) -> Result<u8, CommandError> {
    let dir = data_dir(Some(&config), false);
    let log = start_log(dir.as_deref());
    let (store, notice) = open_store(dir);
    let notice = match (notice, log) {
        (Some(a), Some(b)) => Some(format!("{a}; {b}")),
        (a, b) => a.or(b),
    };
    let feed = crate::live::feed::feed(config.clone(), wall_clock(), store, notice);
    Ok(ui::run_with(config, &ui::Options { theme }, Some(feed))?)
}

/// `omnideck demo`: the cockpit on the demo brand against the sandbox.
pub fn demo(theme: ThemeName, faults: &str) -> Result<u8, CommandError> {
    let faults = Faults::parse(faults)?;
    let config = demo::config_for("http://127.0.0.1:8787")?;
    let dir = data_dir(None, true);
    if let Some(why) = start_log(dir.as_deref()) {
        eprintln!("omnideck: {why}");
    }
    let (store, _notice) = open_store(dir);
    Ok(ui::run_with(config, &ui::Options { theme }, Some(demo::feed(faults, store)))?)
}

/// `omnideck check`.
pub fn check(config: &Config, format: CheckFormat, probe: bool) -> Result<u8, CommandError> {
    let probes = if probe { Some(probe_sources(config)?) } else { None };
    let report = gates::evaluate(config, &env, probes.as_ref());
    let out = match format {
        CheckFormat::Text => report::check::text(&report),
        CheckFormat::Json => report::check::json(&report)?,
    };
    print(&out)?;
    Ok(u8::from(report.blocked))
}

/// Call each source once; a summary of what it returned, or why not.
fn probe_sources(config: &Config) -> Result<ProbeResults, CommandError> {
    let engine = runtime()?.block_on(poll_once(config.clone(), &wall_clock(), &env));
    let snap = engine.snapshot();
    Ok(snap
        .sources
        .values()
        .map(|s| {
            let result = match (&s.last_error, s.fetched_at) {
                (Some(e), _) => Err(e.message.clone()),
                (None, Some(_)) => {
                    let n = snap.stock.iter().filter(|x| x.source == s.source).count()
                        + snap.listings.iter().filter(|x| x.source == s.source).count();
                    Ok(format!("answered ({n} stock levels and listings)"))
                }
                (None, None) => Err("not polled".to_owned()),
            };
            (s.source.clone(), result)
        })
        .collect())
}

/// `omnideck report`.
pub fn report(config: Option<Config>, week: Option<&str>, format: ReportFormat) -> Result<u8, CommandError> {
    let week = week.map(str::parse::<WeekId>).transpose()?;
    let (cockpit, config) = read(config, week)?;
    let out = match format {
        ReportFormat::Md => report::weekly::markdown(&cockpit, &config.rules.brand.name),
        ReportFormat::Json => report::weekly::json(&cockpit)?,
        ReportFormat::Csv => report::weekly::csv(&cockpit),
    };
    print(&out)?;
    Ok(0)
}

/// `omnideck pricebook`.
pub fn pricebook(config: Option<Config>, channel: Option<&str>, format: PriceFormat) -> Result<u8, CommandError> {
    let (cockpit, _) = read(config, None)?;
    if let Some(c) = channel
        && !cockpit.book.entries.iter().any(|e| e.channel.as_str() == c)
    {
        return Err(CommandError::UnknownChannel(c.to_owned()));
    }
    let out = match format {
        PriceFormat::Text => report::pricebook::text(&cockpit.book, channel),
        PriceFormat::Csv => report::pricebook::csv(&cockpit.book, channel),
        PriceFormat::Json => report::pricebook::json(&cockpit.book, channel)?,
    };
    print(&out)?;
    Ok(0)
}

/// `omnideck runbook CHANNEL`: the channel's hand-over document.
pub fn runbook(config: Option<Config>, channel: &str) -> Result<u8, CommandError> {
    let demo = config.is_none();
    let (cockpit, config) = read(config, None)?;
    let ch = config
        .rules
        .channels
        .values()
        .find(|c| c.id.as_str() == channel)
        .ok_or_else(|| CommandError::UnknownChannel(channel.to_owned()))?;
    // Decisions are read if a store exists; a runbook never creates one.
    let decisions = data_dir(Some(&config), demo)
        .filter(|d| d.join(crate::store::DB_FILE).exists())
        .and_then(|d| Store::open(&d).ok())
        .and_then(|s| s.decisions(50).ok())
        .unwrap_or_default();
    print(&report::runbook::markdown(&config, &cockpit, &decisions, ch))?;
    Ok(0)
}

/// `omnideck sandbox`: serve the imitation APIs until interrupted.
pub fn sandbox(port: u16, bind: std::net::IpAddr, faults: &str, scale: Option<usize>) -> Result<u8, CommandError> {
    let faults = Faults::parse(faults)?;
    runtime()?.block_on(async move {
        let world = match scale {
            Some(n) => World::synthetic(n, 42),
            None => World::demo(&demo::config_for("http://127.0.0.1:8787")?.rules.catalog),
        };
        let handle = Sandbox::start(world, faults, std::net::SocketAddr::new(bind, port)).await?;
        eprintln!("sandbox listening on {} (Ctrl-C to stop)", handle.base_url());
        let _ = tokio::signal::ctrl_c().await;
        handle.shutdown().await;
        Ok(0)
    })
}
