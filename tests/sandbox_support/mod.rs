//! What the sandbox tests of the token-authenticated APIs share: the demo
//! config, its sandbox token, and HTTP settings short enough that a test of
//! every fault kind finishes in seconds.

use std::path::Path;
use std::time::Duration;

use omnideck::channels::http::HttpConfig;
use omnideck::channels::retry::RetryPolicy;
use omnideck::config::Config;

/// The token `credentials = "sandbox"` gives the Shopify, `ShipBob` and Faire sources.
pub const TOKEN: &str = "sandbox-access_token";

pub fn config() -> Config {
    Config::load(Path::new("fixtures/demo/omnideck.toml")).expect("demo config loads")
}

/// A request timeout below the sandbox's slow-response delay, and retries
/// in milliseconds rather than seconds.
pub fn fast_http() -> HttpConfig {
    HttpConfig {
        connect_timeout: Duration::from_secs(2),
        request_timeout: Duration::from_millis(800),
        retry: RetryPolicy {
            base: Duration::from_millis(10),
            cap: Duration::from_millis(50),
            max_attempts: 4,
            ..RetryPolicy::default()
        },
    }
}
