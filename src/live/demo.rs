//! `omnideck demo`: the built-in demo brand against the sandbox on a free
//! loopback port, with no credentials.
//!
//! The demo world is pinned to its own week, so the demo runs on its own
//! clock: the world's anchor plus the time since start. Every figure is
//! then the same on every machine and every day.

use std::sync::Arc;
use std::time::Instant;

use jiff::SignedDuration;

use crate::channels::poller::Clock;
use crate::config::{Config, ConfigErrors};
use crate::sandbox::{Faults, Sandbox, SandboxError, SandboxHandle, World};

/// The demo brand's config, embedded so `omnideck demo` needs no files.
pub const DEMO_CONFIG: &str = include_str!("../../fixtures/demo/omnideck.toml");

/// The address the embedded config names, replaced by the live sandbox's.
const CONFIG_BASE: &str = "http://127.0.0.1:8787";

#[derive(Debug, thiserror::Error)]
pub enum DemoError {
    #[error("the embedded demo config is invalid: {0}")]
    Config(#[from] ConfigErrors),
    #[error(transparent)]
    Sandbox(#[from] SandboxError),
}

/// The demo config pointed at a sandbox at `base_url`.
pub fn config_for(base_url: &str) -> Result<Config, ConfigErrors> {
    let text = DEMO_CONFIG.replace(CONFIG_BASE, base_url.trim_end_matches('/'));
    Config::parse(std::path::Path::new("<demo>/omnideck.toml"), &text)
}

/// The demo's clock: the world's anchor plus the time since `start`.
pub fn clock(start: Instant) -> Clock {
    Arc::new(move || {
        let elapsed = SignedDuration::try_from(start.elapsed()).unwrap_or(SignedDuration::ZERO);
        crate::sandbox::world::ANCHOR + elapsed
    })
}

/// A running demo: the sandbox and the config that points at it.
pub struct Demo {
    pub sandbox: SandboxHandle,
    pub config: Config,
    pub clock: Clock,
}

/// Start the sandbox with the demo world and `faults`.
///
/// One fault is part of the story: eBay refuses the first token refresh,
/// as when the marketplace owner has let the authorisation lapse, so eBay
/// starts out stale with its error shown and an escalation for its owner;
/// the next poll (15 minutes on) gets through.
pub async fn start(faults: Faults) -> Result<Demo, DemoError> {
    let seed = config_for(CONFIG_BASE)?;
    let world = World::demo(&seed.rules.catalog);
    let faults = faults.with("ebay_oauth", 1, crate::sandbox::FaultKind::ExpiredToken);
    let sandbox = Sandbox::start(world, faults, Sandbox::LOOPBACK).await?;
    let config = config_for(&sandbox.base_url())?;
    Ok(Demo { sandbox, config, clock: clock(Instant::now()) })
}

/// The cockpit's feed for the demo: start the sandbox inside the cockpit's
/// runtime, then poll it like any other source.
pub fn feed(faults: Faults, store: Option<crate::store::Store>) -> crate::ui::Feed {
    Box::new(move |tx, refresh, commands| {
        Box::pin(async move {
            match start(faults).await {
                Ok(demo) => {
                    let (config, clock) = (demo.config.clone(), demo.clock.clone());
                    let links = super::feed::Links { tx, refresh, commands };
                    super::feed::run(config, clock, store, links, demo).await;
                }
                Err(e) => {
                    let _ = tx.send(crate::ui::Msg::Notice(format!("the demo sandbox did not start: {e}"))).await;
                }
            }
        })
    })
}
