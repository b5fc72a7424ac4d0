//! One Inventory API call, paced and retried: wait for the client's own
//! token bucket *before* sending (the daily quota is small enough that a
//! burst of per-SKU offer calls should not eat it in one go), send with a
//! fresh OAuth token, retry what the shared HTTP layer retries (429, 5xx,
//! timeouts, resets) plus unreadable bodies, and renew the token once when
//! eBay refuses it.

use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use reqwest::Url;
use reqwest::header::ACCEPT;
use serde::de::DeserializeOwned;

use crate::channels::error::ChannelError;
use crate::channels::http::{HttpClient, HttpError, remote_text};
use crate::channels::limit::TokenBucket;
use crate::channels::oauth::RefreshGrant;
use crate::channels::retry::Retry;
use crate::core::ids::SourceId;

/// Requests sent and pacing waits, for progress display and tests.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CallStats {
    /// Calls made (each may have taken several attempts).
    pub calls: u64,
    /// How often the client waited for its own bucket, and for how long.
    pub paced: u64,
    pub paced_for: Duration,
}

pub(super) struct EbayClient {
    http: HttpClient,
    source_id: SourceId,
    base: Url,
    pub(super) oauth: RefreshGrant,
    bucket: Mutex<TokenBucket>,
    stats: Mutex<CallStats>,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

impl EbayClient {
    pub(super) fn new(
        http: HttpClient,
        source_id: SourceId,
        base: Url,
        oauth: RefreshGrant,
        rate_per_sec: f64,
    ) -> Result<Self, ChannelError> {
        let bucket = TokenBucket::new(rate_per_sec, rate_per_sec.max(1.0), Instant::now())
            .map_err(|e| ChannelError::Config { source_id: source_id.clone(), message: e.to_string() })?;
        Ok(Self { http, source_id, base, oauth, bucket: Mutex::new(bucket), stats: Mutex::new(CallStats::default()) })
    }

    pub(super) fn stats(&self) -> CallStats {
        lock(&self.stats).clone()
    }

    async fn pace(&self) {
        loop {
            let wait = match lock(&self.bucket).try_take(Instant::now()) {
                Ok(()) => return,
                Err(wait) => wait,
            };
            {
                let mut stats = lock(&self.stats);
                stats.paced += 1;
                stats.paced_for += wait;
            }
            tokio::time::sleep(wait).await;
        }
    }

    fn url(&self, path: &str, query: &[(&str, String)]) -> Result<Url, ChannelError> {
        let mut url = self.base.join(path.trim_start_matches('/')).map_err(|_| ChannelError::Config {
            source_id: self.source_id.clone(),
            message: format!("cannot build a URL for {path}"),
        })?;
        if !query.is_empty() {
            url.query_pairs_mut().extend_pairs(query);
        }
        Ok(url)
    }

    /// GETs `path` with `query` and reads the JSON answer as `T`.
    pub(super) async fn get<T: DeserializeOwned>(
        &self,
        path: &str,
        query: &[(&str, String)],
    ) -> Result<T, ChannelError> {
        let url = self.url(path, query)?;
        let (source_id, policy) = (&self.source_id, &self.http.config().retry);
        let mut renewed = false;
        let mut attempts = 0;
        loop {
            attempts += 1;
            let token = self.oauth.token(&self.http).await?;
            self.pace().await;
            lock(&self.stats).calls += 1;
            let sent = self
                .http
                .send_with_retry(source_id, path, |c| {
                    c.get(url.clone()).bearer_auth(token.expose()).header(ACCEPT, "application/json")
                })
                .await;
            let reply = match sent {
                Ok(reply) => reply,
                // eBay revokes tokens early (password change, consent withdrawn
                // and re-given); one fresh token is worth a try.
                Err(HttpError::Unauthorized { .. }) if !renewed => {
                    renewed = true;
                    self.oauth.invalidate().await;
                    continue;
                }
                Err(HttpError::Status { status: 404, .. }) => {
                    return Err(ChannelError::NotFound { source_id: source_id.clone(), path: path.to_owned() });
                }
                Err(e) => return Err(e.into()),
            };
            let error = match serde_json::from_slice::<T>(&reply.body) {
                Ok(value) => return Ok(value),
                Err(e) if e.is_syntax() || e.is_eof() => e,
                Err(e) => {
                    let detail = remote_text(&e.to_string());
                    return Err(ChannelError::Payload { source_id: source_id.clone(), path: path.to_owned(), detail });
                }
            };
            // Cut off or not JSON at all: a proxy or a dropped body; worth another try.
            let Some(delay) = policy.next_delay(attempts, Retry::Yes, None, u64::from(attempts)) else {
                let detail = if error.is_eof() { "cut off" } else { "not JSON" }.to_owned();
                return Err(ChannelError::BadBody { source_id: source_id.clone(), path: path.to_owned(), detail });
            };
            tokio::time::sleep(delay).await;
        }
    }
}
