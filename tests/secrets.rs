//! Credentials and tokens never reach the log, an error or `Debug` output.
//!
//! Every demo source is polled once through the real connectors against
//! the sandbox, with faults that make each of them refresh a token, retry
//! and fail, while the log records everything at `trace` (the connectors'
//! own lines and those of the HTTP stack beneath them). Then the log, the
//! errors each source kept and the `Debug` form of the snapshot, the
//! evaluated read and the config are searched for every secret the demo
//! uses and every token the sandbox hands out.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "test helpers fail loudly")]

use std::io::Write;
use std::sync::{Arc, Mutex};

use omnideck::core::evaluate::{History, evaluate};
use omnideck::live::demo;
use omnideck::live::headless::poll_once;
use omnideck::sandbox::Faults;

/// The demo's static secrets (`credentials = "sandbox"`) and the prefixes
/// of the tokens the sandbox issues (LWA access and refresh, eBay user).
const SECRETS: [&str; 6] =
    ["sandbox-access_token", "sandbox-client_secret", "sandbox-refresh_token", "Atza|", "Atzr|", "v^1.1#"];

/// Faults that reach every token path: an expired or refused token on
/// each API (forcing a refresh or a 401), plus retryable errors so the
/// retry lines, which quote the error, are written.
const FAULTS: &str = "shopify:expired_token@2,shopify:429@3,amazon:expired_token@2,amazon:500@4,\
                      amazon_lwa:500@2,shipbob:401@1,faire:expired_token@1,faire:503@2,ebay:500@1";

#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn assert_no_secret(what: &str, text: &str) {
    for secret in SECRETS {
        assert!(!text.contains(secret), "{secret} leaked into {what}");
    }
}

// One thread, so the subscriber set for this test sees every task the
// sandbox and the connectors spawn.
#[tokio::test(flavor = "current_thread")]
async fn no_secret_in_the_log_errors_or_debug_output() {
    let log = Captured::default();
    let writer = log.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_env_filter("trace")
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let demo = demo::start(Faults::parse(FAULTS).unwrap()).await.unwrap();
    let config = demo.config.clone();
    let engine = poll_once(config.clone(), &demo.clock, &|_| None).await;
    let snapshot = engine.snapshot();
    let cockpit = evaluate(&snapshot, &config.rules, &History::default(), (demo.clock)());

    let log = String::from_utf8(log.0.lock().unwrap().clone()).unwrap();
    // The faults did their work: requests were retried and logged, and at
    // least one source kept an error. Otherwise this test would search an
    // empty log and prove nothing.
    assert!(log.contains("retrying"), "no retry was logged:\n{log}");
    assert!(log.lines().count() > 50, "the trace log is too thin to mean anything:\n{log}");
    let errors: Vec<String> =
        snapshot.sources.values().filter_map(|s| s.last_error.as_ref().map(|e| e.message.clone())).collect();
    assert!(!errors.is_empty(), "no source kept an error");

    assert_no_secret("the log", &log);
    for error in &errors {
        assert_no_secret("a source error", error);
    }
    assert_no_secret("the snapshot's Debug", &format!("{snapshot:?}"));
    assert_no_secret("the read's Debug", &format!("{cockpit:?}"));
    assert_no_secret("the config's Debug", &format!("{config:?}"));
    demo.sandbox.shutdown().await;
}
