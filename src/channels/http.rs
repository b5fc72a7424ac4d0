//! The HTTP layer every connector shares: one reqwest client with the
//! documented timeouts, and a send loop that retries only what a retry can
//! fix (429, 5xx, timeouts, dropped connections) under [`RetryPolicy`].
//!
//! Errors name the source and the URL *path* only: never the host's query
//! string, a header or a token, because they end up on screen and in logs.
//! Remote error text goes through [`clean`] before it is kept.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, SystemTime};

use reqwest::header::{HeaderMap, RETRY_AFTER};

use super::retry::{self, Retry, RetryPolicy, Transport};
use crate::core::ids::SourceId;
use crate::core::text::clean;

/// Longest remote error text kept in an error message.
const MAX_REMOTE_TEXT: usize = 300;

/// Timeouts and retry policy of a [`HttpClient`].
#[derive(Debug, Clone)]
pub struct HttpConfig {
    pub connect_timeout: Duration,
    /// Whole request, body included.
    pub request_timeout: Duration,
    pub retry: RetryPolicy,
}

impl Default for HttpConfig {
    fn default() -> Self {
        Self {
            connect_timeout: Duration::from_secs(5),
            request_timeout: Duration::from_secs(20),
            retry: RetryPolicy::default(),
        }
    }
}

/// A failed request, safe to display: source and path, never secrets.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HttpError {
    #[error("{source_id}: could not set up the HTTP client")]
    Setup { source_id: SourceId },
    #[error("{source_id}: {path} timed out after {attempts} attempt(s)")]
    Timeout { source_id: SourceId, path: String, attempts: u32 },
    #[error("{source_id}: connection to {path} failed after {attempts} attempt(s) ({detail})")]
    Connection { source_id: SourceId, path: String, attempts: u32, detail: &'static str },
    #[error("{source_id}: {path} refused the credentials (HTTP {status}): {message}")]
    Unauthorized { source_id: SourceId, path: String, status: u16, message: String },
    #[error("{source_id}: {path} answered HTTP {status} after {attempts} attempt(s): {message}")]
    Status { source_id: SourceId, path: String, status: u16, attempts: u32, message: String },
}

impl HttpError {
    /// Whether the failure was transient (worth trying again on the next poll).
    #[must_use]
    pub fn is_transient(&self) -> bool {
        match self {
            Self::Timeout { .. } | Self::Connection { .. } => true,
            Self::Status { status, .. } => retry::classify(*status) == Retry::Yes,
            Self::Setup { .. } | Self::Unauthorized { .. } => false,
        }
    }
}

/// A successful (2xx) response, body fully read.
#[derive(Debug, Clone)]
pub struct Reply {
    pub status: u16,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
    /// Attempts it took, counting the first.
    pub attempts: u32,
}

/// Shared client: cheap to clone, one connection pool.
#[derive(Debug, Clone)]
pub struct HttpClient {
    inner: reqwest::Client,
    config: HttpConfig,
    seed: std::sync::Arc<AtomicU64>,
}

/// Remote text made safe to show: controls neutralised, length bounded.
#[must_use]
pub fn remote_text(raw: &str) -> String {
    let cleaned = clean(raw.trim());
    cleaned.chars().take(MAX_REMOTE_TEXT).collect()
}

/// One attempt's outcome inside the retry loop.
enum Attempt {
    Done(Reply),
    Again { error: HttpError, retry_after: Option<Duration> },
    Fail(HttpError),
}

impl HttpClient {
    /// # Errors
    /// The TLS backend could not be initialised.
    pub fn new(config: HttpConfig, source_id: &SourceId) -> Result<Self, HttpError> {
        let inner = reqwest::Client::builder()
            .connect_timeout(config.connect_timeout)
            .timeout(config.request_timeout)
            .build()
            .map_err(|_| HttpError::Setup { source_id: source_id.clone() })?;
        Ok(Self { inner, config, seed: std::sync::Arc::new(AtomicU64::new(0x5eed)) })
    }

    /// The underlying client, to build requests with.
    #[must_use]
    pub fn reqwest(&self) -> &reqwest::Client {
        &self.inner
    }

    #[must_use]
    pub fn config(&self) -> &HttpConfig {
        &self.config
    }

    /// Sends the request `make` builds (once per attempt) until it succeeds,
    /// fails permanently or the policy's attempts run out. The body is read
    /// inside the loop so a connection dropped mid-body is retried too.
    ///
    /// # Errors
    /// [`HttpError`] naming `source_id` and `path`.
    pub async fn send_with_retry(
        &self,
        source_id: &SourceId,
        path: &str,
        make: impl Fn(&reqwest::Client) -> reqwest::RequestBuilder,
    ) -> Result<Reply, HttpError> {
        let mut attempts = 0;
        loop {
            attempts += 1;
            let error = match self.attempt(source_id, path, attempts, make(&self.inner)).await {
                Attempt::Done(reply) => return Ok(reply),
                Attempt::Fail(error) => return Err(error),
                Attempt::Again { error, retry_after } => {
                    let seed = self.seed.fetch_add(1, Ordering::Relaxed);
                    match self.config.retry.next_delay(attempts, Retry::Yes, retry_after, seed) {
                        Some(delay) => {
                            tracing::debug!(%source_id, path, attempts, ?delay, "retrying: {error}");
                            tokio::time::sleep(delay).await;
                            continue;
                        }
                        None => error,
                    }
                }
            };
            return Err(error);
        }
    }

    async fn attempt(&self, source_id: &SourceId, path: &str, attempts: u32, req: reqwest::RequestBuilder) -> Attempt {
        let response = match req.send().await {
            Ok(r) => r,
            Err(e) => return transport(source_id, path, attempts, &e),
        };
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let body = match response.bytes().await {
            Ok(b) => b.to_vec(),
            Err(e) => return transport(source_id, path, attempts, &e),
        };
        if (200..300).contains(&status) {
            return Attempt::Done(Reply { status, headers, body, attempts });
        }
        let message = remote_text(&String::from_utf8_lossy(&body));
        let (source_id, path) = (source_id.clone(), path.to_owned());
        if status == 401 || status == 403 {
            return Attempt::Fail(HttpError::Unauthorized { source_id, path, status, message });
        }
        let error = HttpError::Status { source_id, path, status, attempts, message };
        if retry::classify(status) == Retry::Yes {
            let retry_after = headers
                .get(RETRY_AFTER)
                // ShipBob names its wait `x-retry-after`.
                .or_else(|| headers.get("x-retry-after"))
                .and_then(|v| v.to_str().ok())
                .and_then(|v| retry::parse_retry_after(v, Some(SystemTime::now())));
            Attempt::Again { error, retry_after }
        } else {
            Attempt::Fail(error)
        }
    }
}

/// Maps a reqwest failure without its Display, which would carry the URL.
fn transport(source_id: &SourceId, path: &str, attempts: u32, e: &reqwest::Error) -> Attempt {
    let (source_id, path) = (source_id.clone(), path.to_owned());
    let kind = if e.is_timeout() {
        Transport::Timeout
    } else if e.is_connect() || e.is_body() || e.is_request() || e.is_decode() {
        Transport::Reset
    } else {
        Transport::Other
    };
    let error = match kind {
        Transport::Timeout => HttpError::Timeout { source_id, path, attempts },
        Transport::Reset if e.is_connect() => {
            HttpError::Connection { source_id, path, attempts, detail: "could not connect" }
        }
        Transport::Reset => {
            HttpError::Connection { source_id, path, attempts, detail: "connection closed mid-response" }
        }
        Transport::Other => HttpError::Connection { source_id, path, attempts, detail: "request failed" },
    };
    match retry::classify_transport(kind) {
        Retry::Yes => Attempt::Again { error, retry_after: None },
        Retry::No => Attempt::Fail(error),
    }
}
