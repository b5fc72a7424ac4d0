//! One SP-API call, paced and retried: wait for the operation's token
//! bucket *before* sending (never burst past the usage plan), send with a
//! fresh LWA token, read `x-amzn-RateLimit-Limit` to re-rate the bucket,
//! retry 429/5xx/timeouts/resets/unreadable bodies with jittered backoff, and
//! renew the token once when SP-API refuses it.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant, SystemTime};

use reqwest::Url;
use reqwest::header::{CONTENT_TYPE, RETRY_AFTER, USER_AGENT};
use serde::de::DeserializeOwned;

use super::ChannelError;
use crate::channels::http::{HttpClient, HttpError, remote_text};
use crate::channels::limit::TokenBucket;
use crate::channels::oauth::RefreshGrant;
use crate::channels::retry::{self, Retry};
use crate::core::ids::SourceId;

/// Default usage plans (operation, rate per second, burst), api-notes §2.2;
/// the three batch operations' plans are from their model descriptions
/// (listingsItems_2021-08-01, productFeesV0, productPricingV0).
pub const PLANS: [(&str, f64, f64); 9] = [
    ("getInventorySummaries", 2.0, 2.0),
    ("searchListingsItems", 5.0, 5.0),
    ("getListingsItem", 5.0, 10.0),
    ("getOrders", 0.0167, 20.0),
    ("getOrderItems", 0.5, 30.0),
    ("getMyFeesEstimateForSKU", 1.0, 2.0),
    ("getItemOffers", 0.5, 1.0),
    ("getMyFeesEstimates", 0.5, 1.0),
    ("getItemOffersBatch", 0.1, 1.0),
];

/// Share of each usage plan the client allows itself. Below 1 so network
/// jitter (a request overtaking its predecessor on the way) cannot land two
/// requests closer together at Amazon than the plan allows: at 0.9 each
/// request leaves a tenth of an interval spare (22 ms at 5/s, 1.1 s at
/// 0.1/s), and the spare accumulates in Amazon's bucket (a whole token after
/// ten paced requests), so one late request never makes the next one 429.
/// It also caps how slow a long refresh can be: 1/0.9 = 1.11× the least
/// time the plans allow, inside issue 3's 1.15×.
pub const PACE_FRACTION: f64 = 0.9;

/// One request: operation name (for pacing), path, query and JSON body.
pub(super) struct Call<'a> {
    pub op: &'static str,
    pub path: String,
    pub query: Vec<(&'a str, String)>,
    pub body: Option<serde_json::Value>,
}

enum Attempt<T> {
    Done(T),
    Again(ChannelError, Option<Duration>),
    Refused(ChannelError),
    Fail(ChannelError),
}

/// Counters for progress display and tests.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CallStats {
    /// Requests sent per operation, retries included.
    pub sent: BTreeMap<&'static str, u64>,
    /// How often the client waited for its own bucket, and for how long.
    pub paced: u64,
    pub paced_for: Duration,
}

pub(super) struct SpClient {
    pub(super) http: HttpClient,
    pub(super) source_id: SourceId,
    base: Url,
    pub(super) lwa: RefreshGrant,
    buckets: Mutex<BTreeMap<&'static str, TokenBucket>>,
    stats: Mutex<CallStats>,
    seed: AtomicU64,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

impl SpClient {
    pub(super) fn new(
        http: HttpClient,
        source_id: SourceId,
        base: Url,
        lwa: RefreshGrant,
    ) -> Result<Self, ChannelError> {
        let now = Instant::now();
        let mut buckets = BTreeMap::new();
        for (op, rate, burst) in PLANS {
            let bucket = TokenBucket::new(rate * PACE_FRACTION, burst, now)
                .map_err(|e| ChannelError::Config { source_id: source_id.clone(), message: e.to_string() })?;
            buckets.insert(op, bucket);
        }
        Ok(Self {
            http,
            source_id,
            base,
            lwa,
            buckets: Mutex::new(buckets),
            stats: Mutex::new(CallStats::default()),
            seed: AtomicU64::new(0xa3a3),
        })
    }

    pub(super) fn stats(&self) -> CallStats {
        lock(&self.stats).clone()
    }

    /// Waits until the operation's bucket has a token and takes it.
    async fn pace(&self, op: &'static str) {
        loop {
            let wait = match lock(&self.buckets).get_mut(op) {
                Some(bucket) => match bucket.try_take(Instant::now()) {
                    Ok(()) => return,
                    Err(wait) => wait,
                },
                None => return,
            };
            {
                let mut stats = lock(&self.stats);
                stats.paced += 1;
                stats.paced_for += wait;
            }
            tokio::time::sleep(wait).await;
        }
    }

    fn observe_rate(&self, op: &'static str, headers: &reqwest::header::HeaderMap) {
        let rate = headers
            .get("x-amzn-ratelimit-limit")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.trim().parse::<f64>().ok());
        if let Some(rate) = rate
            && let Some(bucket) = lock(&self.buckets).get_mut(op)
            && (bucket.rate_per_sec() - rate * PACE_FRACTION).abs() > f64::EPSILON
        {
            // An invalid rate leaves the bucket as it was.
            let _ = bucket.update_rate(rate * PACE_FRACTION, Instant::now());
        }
    }

    /// Sends `call` until it succeeds, fails for good or runs out of attempts.
    pub(super) async fn call<T: DeserializeOwned>(&self, call: &Call<'_>) -> Result<T, ChannelError> {
        let mut attempts = 0;
        let mut renewed = false;
        loop {
            attempts += 1;
            let (error, retry_after) = match self.attempt(call, attempts).await? {
                Attempt::Done(value) => return Ok(value),
                Attempt::Fail(error) => return Err(error),
                Attempt::Refused(error) if renewed => return Err(error),
                Attempt::Refused(_) => {
                    renewed = true;
                    self.lwa.invalidate().await;
                    continue;
                }
                Attempt::Again(error, retry_after) => (error, retry_after),
            };
            let seed = self.seed.fetch_add(1, Ordering::Relaxed);
            match self.http.config().retry.next_delay(attempts, Retry::Yes, retry_after, seed) {
                Some(delay) => {
                    tracing::debug!(source = %self.source_id, op = call.op, attempts, ?delay, "retrying: {error}");
                    tokio::time::sleep(delay).await;
                }
                None => return Err(error),
            }
        }
    }

    fn url(&self, call: &Call<'_>) -> Result<Url, ChannelError> {
        let mut url = self.base.join(call.path.trim_start_matches('/')).map_err(|_| ChannelError::Config {
            source_id: self.source_id.clone(),
            message: format!("cannot build a URL for {}", call.path),
        })?;
        if !call.query.is_empty() {
            let mut pairs = url.query_pairs_mut();
            for (k, v) in &call.query {
                pairs.append_pair(k, v);
            }
        }
        Ok(url)
    }

    async fn attempt<T: DeserializeOwned>(&self, call: &Call<'_>, attempts: u32) -> Result<Attempt<T>, ChannelError> {
        let url = self.url(call)?;
        // Token first: a renewal between taking a bucket token and sending
        // would eat into the pacing margin.
        let token = self.lwa.token(&self.http).await?;
        self.pace(call.op).await;
        *lock(&self.stats).sent.entry(call.op).or_insert(0) += 1;
        let now = jiff::Timestamp::now().strftime("%Y%m%dT%H%M%SZ").to_string();
        let mut request = match &call.body {
            Some(body) => self.http.reqwest().post(url).header(CONTENT_TYPE, "application/json").body(body.to_string()),
            None => self.http.reqwest().get(url),
        };
        request = request
            .header("x-amz-access-token", token.expose())
            .header("x-amz-date", now)
            .header(USER_AGENT, concat!("omnideck/", env!("CARGO_PKG_VERSION"), " (Language=Rust)"));
        let response = match request.send().await {
            Ok(r) => r,
            Err(e) => return Ok(self.transport(&call.path, attempts, &e)),
        };
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let bytes = match response.bytes().await {
            Ok(b) => b,
            Err(e) => return Ok(self.transport(&call.path, attempts, &e)),
        };
        if matches!(status, 200..=299 | 400 | 404) {
            self.observe_rate(call.op, &headers);
        }
        Ok(self.judge(call, attempts, status, &headers, &bytes))
    }

    fn judge<T: DeserializeOwned>(
        &self,
        call: &Call<'_>,
        attempts: u32,
        status: u16,
        headers: &reqwest::header::HeaderMap,
        bytes: &[u8],
    ) -> Attempt<T> {
        let (source_id, path) = (self.source_id.clone(), call.path.clone());
        if (200..300).contains(&status) {
            return match serde_json::from_slice::<T>(bytes) {
                Ok(value) => Attempt::Done(value),
                // Cut off or not JSON at all: a proxy or a dropped body; worth another try.
                Err(e) if e.is_syntax() || e.is_eof() => {
                    let message = format!("unreadable body ({})", if e.is_eof() { "cut off" } else { "not JSON" });
                    Attempt::Again(HttpError::Status { source_id, path, status, attempts, message }.into(), None)
                }
                Err(e) => Attempt::Fail(ChannelError::Payload { source_id, path, detail: remote_text(&e.to_string()) }),
            };
        }
        let message = remote_text(&String::from_utf8_lossy(bytes));
        match status {
            401 | 403 => Attempt::Refused(HttpError::Unauthorized { source_id, path, status, message }.into()),
            404 => Attempt::Fail(ChannelError::NotFound { source_id, path }),
            _ if retry::classify(status) == Retry::Yes => {
                let retry_after = headers
                    .get(RETRY_AFTER)
                    .and_then(|v| v.to_str().ok())
                    .and_then(|v| retry::parse_retry_after(v, Some(SystemTime::now())));
                Attempt::Again(HttpError::Status { source_id, path, status, attempts, message }.into(), retry_after)
            }
            _ => Attempt::Fail(HttpError::Status { source_id, path, status, attempts, message }.into()),
        }
    }

    fn transport<T>(&self, path: &str, attempts: u32, e: &reqwest::Error) -> Attempt<T> {
        let (source_id, path) = (self.source_id.clone(), path.to_owned());
        let error = if e.is_timeout() {
            HttpError::Timeout { source_id, path, attempts }
        } else if e.is_connect() {
            HttpError::Connection { source_id, path, attempts, detail: "could not connect" }
        } else {
            HttpError::Connection { source_id, path, attempts, detail: "connection closed mid-response" }
        };
        Attempt::Again(error.into(), None)
    }
}
