//! One poll of every source, then one evaluation: what `report`,
//! `pricebook` and `check --probe` need. Progress goes to stderr when it is
//! a terminal.

use std::io::IsTerminal;

use futures::future::join_all;

use super::Engine;
use crate::channels::http::HttpConfig;
use crate::channels::poller::{Clock, Polled, Source};
use crate::channels::registry;
use crate::config::Config;

/// Poll each built source once, concurrently, and fold the results in.
pub async fn poll_once(config: Config, clock: &Clock, env: &dyn Fn(&str) -> Option<String>) -> Engine {
    let (sources, unbuilt) = registry::build(&config, env, &HttpConfig::default(), clock);
    let mut engine = Engine::new(config, &unbuilt, clock());
    let progress = std::io::stderr().is_terminal();
    let polls = sources.into_iter().map(|mut s| {
        let clock = clock.clone();
        async move {
            let started = clock();
            if progress {
                eprintln!("polling {} …", s.id());
            }
            let result = s.poll(None).await;
            if progress {
                eprintln!("{}: {}", s.id(), if result.is_ok() { "done" } else { "failed" });
            }
            Polled { source: s.id().clone(), generation: 1, fetched_at: started, incremental: false, result }
        }
    });
    for polled in join_all(polls).await {
        engine.absorb(polled);
    }
    engine
}
