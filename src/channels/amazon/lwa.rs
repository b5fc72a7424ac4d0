//! Login with Amazon: trades the seller's refresh token for a one-hour access
//! token, caches it and renews it a margin before it expires, so no SP-API
//! call ever goes out with a token about to lapse.
//!
//! Neither `Debug` nor any error shows a token or the client secret: they
//! end up on screen and in logs.

use std::fmt;
use std::time::{Duration, SystemTime};

use reqwest::Url;
use reqwest::header::{CONTENT_TYPE, RETRY_AFTER};

use super::ChannelError;
use super::parse::{TokenError, TokenResponse};
use crate::channels::http::{HttpClient, HttpError, remote_text};
use crate::channels::retry::{self, Retry};
use crate::channels::token::{AccessToken, TokenCache};
use crate::config::credentials::Credentials;
use crate::core::ids::SourceId;

/// The token exchange and its cache.
pub(super) struct Lwa {
    source_id: SourceId,
    token_url: Url,
    credentials: Credentials,
    cache: TokenCache,
}

impl fmt::Debug for Lwa {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Lwa")
            .field("token_url", &self.token_url.path())
            .field("credentials", &self.credentials)
            .field("renew_early", &self.cache.renew_early())
            .finish_non_exhaustive()
    }
}

enum Outcome {
    Token(AccessToken, Duration),
    Again(ChannelError, Option<Duration>),
    Fail(ChannelError),
}

impl Lwa {
    pub(super) fn new(source_id: SourceId, token_url: Url, credentials: Credentials, renew_early: Duration) -> Self {
        Self { source_id, token_url, credentials, cache: TokenCache::new(renew_early) }
    }

    /// A token valid for at least `renew_early` more, fetching one if needed.
    pub(super) async fn token(&self, http: &HttpClient) -> Result<AccessToken, ChannelError> {
        self.cache.get(|| self.exchange(http)).await
    }

    /// Drops the cached token after SP-API refused it (revoked, or clocks
    /// disagree), so the next call fetches a fresh one.
    pub(super) async fn invalidate(&self) {
        self.cache.invalidate().await;
    }

    async fn exchange(&self, http: &HttpClient) -> Result<(AccessToken, Duration), ChannelError> {
        let mut attempts = 0;
        loop {
            attempts += 1;
            let (error, retry_after) = match self.attempt(http, attempts).await {
                Outcome::Token(token, lifetime) => return Ok((token, lifetime)),
                Outcome::Fail(error) => return Err(error),
                Outcome::Again(error, retry_after) => (error, retry_after),
            };
            match http.config().retry.next_delay(attempts, Retry::Yes, retry_after, u64::from(attempts)) {
                Some(delay) => tokio::time::sleep(delay).await,
                None => return Err(error),
            }
        }
    }

    fn form(&self) -> Result<String, ChannelError> {
        let missing = |field: &str| ChannelError::Config {
            source_id: self.source_id.clone(),
            message: format!("credentials lack {field}"),
        };
        let mut url = Url::parse("http://form.invalid/").map_err(|_| missing("a form"))?;
        url.query_pairs_mut()
            .append_pair("grant_type", "refresh_token")
            .append_pair(
                "refresh_token",
                self.credentials.expose("refresh_token").ok_or_else(|| missing("refresh_token"))?,
            )
            .append_pair("client_id", self.credentials.expose("client_id").ok_or_else(|| missing("client_id"))?)
            .append_pair(
                "client_secret",
                self.credentials.expose("client_secret").ok_or_else(|| missing("client_secret"))?,
            );
        Ok(url.query().unwrap_or_default().to_owned())
    }

    async fn attempt(&self, http: &HttpClient, attempts: u32) -> Outcome {
        let source_id = self.source_id.clone();
        let path = self.token_url.path().to_owned();
        let body = match self.form() {
            Ok(b) => b,
            Err(e) => return Outcome::Fail(e),
        };
        let request = http
            .reqwest()
            .post(self.token_url.clone())
            .header(CONTENT_TYPE, "application/x-www-form-urlencoded;charset=UTF-8")
            .body(body);
        let transport = |e: &reqwest::Error| {
            let error = if e.is_timeout() {
                HttpError::Timeout { source_id: source_id.clone(), path: path.clone(), attempts }
            } else {
                let detail = if e.is_connect() { "could not connect" } else { "connection closed mid-response" };
                HttpError::Connection { source_id: source_id.clone(), path: path.clone(), attempts, detail }
            };
            Outcome::Again(error.into(), None)
        };
        let response = match request.send().await {
            Ok(r) => r,
            Err(e) => return transport(&e),
        };
        let status = response.status().as_u16();
        let retry_after = response
            .headers()
            .get(RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| retry::parse_retry_after(v, Some(SystemTime::now())));
        let bytes = match response.bytes().await {
            Ok(b) => b,
            Err(e) => return transport(&e),
        };
        if (200..300).contains(&status) {
            if let Ok(t) = serde_json::from_slice::<TokenResponse>(&bytes) {
                return Outcome::Token(AccessToken::new(t.access_token), Duration::from_secs(t.expires_in));
            }
            let message = "token response is not the expected JSON".to_owned();
            return Outcome::Again(HttpError::Status { source_id, path, status, attempts, message }.into(), None);
        }
        if retry::classify(status) == Retry::Yes {
            let message = remote_text(&String::from_utf8_lossy(&bytes));
            return Outcome::Again(
                HttpError::Status { source_id, path, status, attempts, message }.into(),
                retry_after,
            );
        }
        // A refused grant or client will be refused again: report, never retry.
        let refused: Option<TokenError> = serde_json::from_slice(&bytes).ok();
        let (code, description) = refused.map_or_else(
            || (format!("HTTP {status}"), remote_text(&String::from_utf8_lossy(&bytes))),
            |e| (remote_text(&e.error), remote_text(e.error_description.as_deref().unwrap_or(""))),
        );
        let (code, description) = (self.scrub(code), self.scrub(description));
        Outcome::Fail(ChannelError::Lwa { source_id, status, code, description })
    }

    /// Removes any of our secrets a misbehaving endpoint echoed back.
    fn scrub(&self, mut text: String) -> String {
        for field in ["refresh_token", "client_secret", "client_id"] {
            if let Some(secret) = self.credentials.expose(field).filter(|s| s.len() >= 4) {
                text = text.replace(secret, "[redacted]");
            }
        }
        text
    }
}
