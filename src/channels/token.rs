//! An OAuth access token and its renew-early cache, shared by every
//! connector that trades a refresh token for short-lived access tokens
//! (Login with Amazon, eBay).

use std::fmt;
use std::future::Future;
use std::time::{Duration, Instant};

use tokio::sync::Mutex;

use super::error::ChannelError;

/// An access token; deliberately without `Display`, and redacted in `Debug`,
/// since errors and debug output reach screens and logs.
#[derive(Clone)]
pub struct AccessToken(String);

impl AccessToken {
    pub fn new(value: String) -> Self {
        AccessToken(value)
    }

    /// The value, for the one header that carries it.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for AccessToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("AccessToken([redacted])")
    }
}

struct Cached {
    token: AccessToken,
    expires_at: Instant,
}

/// The current token, renewed `renew_early` before it lapses so no call
/// goes out with a token about to expire.
pub struct TokenCache {
    renew_early: Duration,
    cached: Mutex<Option<Cached>>,
}

impl fmt::Debug for TokenCache {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TokenCache").field("renew_early", &self.renew_early).finish_non_exhaustive()
    }
}

impl TokenCache {
    pub fn new(renew_early: Duration) -> Self {
        TokenCache { renew_early, cached: Mutex::new(None) }
    }

    pub fn renew_early(&self) -> Duration {
        self.renew_early
    }

    /// A token valid for at least `renew_early` more, calling `fetch` (which
    /// returns the token and its lifetime) when the cached one will not do.
    /// The lock is held across the fetch, so concurrent callers share one
    /// exchange.
    pub async fn get<F, Fut>(&self, fetch: F) -> Result<AccessToken, ChannelError>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<(AccessToken, Duration), ChannelError>>,
    {
        let mut cached = self.cached.lock().await;
        if let Some(c) = cached.as_ref()
            && Instant::now() + self.renew_early < c.expires_at
        {
            return Ok(c.token.clone());
        }
        let started = Instant::now();
        let (token, lifetime) = fetch().await?;
        *cached = Some(Cached { token: token.clone(), expires_at: started + lifetime });
        Ok(token)
    }

    /// Forget the token after the API refused it (revoked, or clocks
    /// disagree), so the next call fetches a fresh one.
    pub async fn invalidate(&self) {
        *self.cached.lock().await = None;
    }
}
