//! eBay OAuth: trades the seller's refresh token for a User access token
//! (two hours), caches it and renews it a margin before it expires, so no
//! Inventory API call goes out with a token about to lapse.
//!
//! The client id and secret travel in a `Basic` header as eBay requires.
//! Neither `Debug` nor any error shows a token or a secret: they end up on
//! screen and in logs.

use std::fmt;
use std::time::Duration;

use reqwest::Url;
use reqwest::header::{ACCEPT, CONTENT_TYPE};

use super::parse::{TokenError, TokenResponse};
use crate::channels::error::ChannelError;
use crate::channels::http::{HttpClient, HttpError, remote_text};
use crate::channels::token::{AccessToken, TokenCache};
use crate::config::credentials::Credentials;
use crate::core::ids::SourceId;

pub(super) struct OAuth {
    source_id: SourceId,
    token_url: Url,
    credentials: Credentials,
    cache: TokenCache,
}

impl fmt::Debug for OAuth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OAuth")
            .field("token_url", &self.token_url.path())
            .field("credentials", &self.credentials)
            .field("renew_early", &self.cache.renew_early())
            .finish_non_exhaustive()
    }
}

impl OAuth {
    pub(super) fn new(source_id: SourceId, token_url: Url, credentials: Credentials, renew_early: Duration) -> Self {
        Self { source_id, token_url, credentials, cache: TokenCache::new(renew_early) }
    }

    /// A token valid for at least `renew_early` more, fetching one if needed.
    pub(super) async fn token(&self, http: &HttpClient) -> Result<AccessToken, ChannelError> {
        self.cache.get(|| self.exchange(http)).await
    }

    /// Drops the cached token after eBay refused it (revoked early).
    pub(super) async fn invalidate(&self) {
        self.cache.invalidate().await;
    }

    fn secret(&self, field: &str) -> Result<&str, ChannelError> {
        self.credentials.expose(field).ok_or_else(|| ChannelError::Config {
            source_id: self.source_id.clone(),
            message: format!("credentials lack {field}"),
        })
    }

    fn form(&self) -> Result<String, ChannelError> {
        let mut url = Url::parse("http://form.invalid/").map_err(|_| ChannelError::Config {
            source_id: self.source_id.clone(),
            message: "cannot build the token request".to_owned(),
        })?;
        url.query_pairs_mut()
            .append_pair("grant_type", "refresh_token")
            .append_pair("refresh_token", self.secret("refresh_token")?);
        Ok(url.query().unwrap_or_default().to_owned())
    }

    /// One token exchange. Transport failures, 429 and 5xx are retried by
    /// the shared HTTP layer; an unreadable 2xx body (a proxy cut it off)
    /// is retried here; a refusal is final.
    async fn exchange(&self, http: &HttpClient) -> Result<(AccessToken, Duration), ChannelError> {
        let (id, secret, body) = (self.secret("client_id")?, self.secret("client_secret")?, self.form()?);
        let path = self.token_url.path().to_owned();
        let mut attempts = 0;
        loop {
            attempts += 1;
            let sent = http
                .send_with_retry(&self.source_id, &path, |c| {
                    c.post(self.token_url.clone())
                        .basic_auth(id, Some(secret))
                        .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
                        .header(ACCEPT, "application/json")
                        .body(body.clone())
                })
                .await;
            let reply = match sent {
                Ok(reply) => reply,
                Err(HttpError::Unauthorized { status, message, .. } | HttpError::Status { status, message, .. })
                    if (400..500).contains(&status) && status != 429 =>
                {
                    return Err(self.refused(status, &message));
                }
                Err(e) => return Err(self.scrub_error(e)),
            };
            if let Ok(t) = serde_json::from_slice::<TokenResponse>(&reply.body) {
                return Ok((AccessToken::new(t.access_token), Duration::from_secs(t.expires_in)));
            }
            let delay = http.config().retry.next_delay(attempts, crate::channels::retry::Retry::Yes, None, 7);
            let Some(delay) = delay else {
                let message = "token response is not the expected JSON".to_owned();
                return Err(HttpError::Status {
                    source_id: self.source_id.clone(),
                    path,
                    status: reply.status,
                    attempts,
                    message,
                }
                .into());
            };
            tokio::time::sleep(delay).await;
        }
    }

    fn refused(&self, status: u16, message: &str) -> ChannelError {
        let (code, description) = match serde_json::from_str::<TokenError>(message) {
            Ok(e) => (remote_text(&e.error), remote_text(e.error_description.as_deref().unwrap_or(""))),
            Err(_) => (format!("HTTP {status}"), message.to_owned()),
        };
        ChannelError::OAuth {
            source_id: self.source_id.clone(),
            status,
            code: self.scrub(code),
            description: self.scrub(description),
        }
    }

    fn scrub_error(&self, e: HttpError) -> ChannelError {
        match e {
            HttpError::Status { source_id, path, status, attempts, message } => {
                HttpError::Status { source_id, path, status, attempts, message: self.scrub(message) }.into()
            }
            other => other.into(),
        }
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
