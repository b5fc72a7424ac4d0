//! The OAuth refresh-token grant: trades a seller's refresh token for a
//! short-lived access token (Login with Amazon: one hour; eBay: two hours),
//! caches it and renews it a margin before it expires, so no API call goes
//! out with a token about to lapse.
//!
//! The two endpoints differ only in how the client proves itself (its id and
//! secret in the form, or in a `Basic` header) and in how a refusal is named.
//! Transport failures, 429 and 5xx are retried by the shared HTTP layer; an
//! unreadable 2xx body (a proxy cut it off) is retried here; a refusal is
//! final, since the same grant will be refused again.
//!
//! Neither `Debug` nor any error shows a token or a secret: they end up on
//! screen and in logs.

use std::fmt;
use std::time::Duration;

use reqwest::Url;
use reqwest::header::{ACCEPT, CONTENT_TYPE};
use serde::Deserialize;

use super::error::ChannelError;
use super::http::{HttpClient, HttpError, remote_text};
use super::retry::Retry;
use super::token::{AccessToken, TokenCache};
use crate::config::credentials::Credentials;
use crate::core::ids::SourceId;

/// Whose token endpoint: it decides how the client authenticates and how a
/// refusal reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Issuer {
    /// Login with Amazon: client id and secret travel in the form.
    LoginWithAmazon,
    /// eBay: client id and secret travel in a `Basic` header.
    Ebay,
}

/// The grant, its credentials and the cached token.
pub(crate) struct RefreshGrant {
    issuer: Issuer,
    source_id: SourceId,
    token_url: Url,
    credentials: Credentials,
    cache: TokenCache,
}

impl fmt::Debug for RefreshGrant {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RefreshGrant")
            .field("issuer", &self.issuer)
            .field("token_url", &self.token_url.path())
            .field("credentials", &self.credentials)
            .field("renew_early", &self.cache.renew_early())
            .finish_non_exhaustive()
    }
}

/// The token answer.
#[derive(Deserialize)]
struct TokenResponse {
    access_token: String,
    expires_in: u64,
}

/// The refusal answer (RFC 6749 §5.2).
#[derive(Deserialize)]
struct TokenError {
    error: String,
    error_description: Option<String>,
}

/// Every credential the grant sends, for scrubbing echoes of them.
const SECRETS: [&str; 3] = ["refresh_token", "client_secret", "client_id"];

impl RefreshGrant {
    pub(crate) fn new(
        issuer: Issuer,
        source_id: SourceId,
        token_url: Url,
        credentials: Credentials,
        renew_early: Duration,
    ) -> Self {
        Self { issuer, source_id, token_url, credentials, cache: TokenCache::new(renew_early) }
    }

    /// A token valid for at least `renew_early` more, fetching one if needed.
    pub(crate) async fn token(&self, http: &HttpClient) -> Result<AccessToken, ChannelError> {
        self.cache.get(|| self.exchange(http)).await
    }

    /// Drops the cached token after the API refused it (revoked early, or
    /// clocks disagree), so the next call fetches a fresh one.
    pub(crate) async fn invalidate(&self) {
        self.cache.invalidate().await;
    }

    fn secret(&self, field: &str) -> Result<&str, ChannelError> {
        self.credentials.expose(field).ok_or_else(|| ChannelError::Config {
            source_id: self.source_id.clone(),
            message: format!("credentials lack {field}"),
        })
    }

    /// The form body, url-encoded.
    fn form(&self) -> Result<String, ChannelError> {
        let mut url = Url::parse("http://form.invalid/").map_err(|_| ChannelError::Config {
            source_id: self.source_id.clone(),
            message: "cannot build the token request".to_owned(),
        })?;
        {
            let mut pairs = url.query_pairs_mut();
            pairs.append_pair("grant_type", "refresh_token");
            pairs.append_pair("refresh_token", self.secret("refresh_token")?);
            if self.issuer == Issuer::LoginWithAmazon {
                pairs.append_pair("client_id", self.secret("client_id")?);
                pairs.append_pair("client_secret", self.secret("client_secret")?);
            }
        }
        Ok(url.query().unwrap_or_default().to_owned())
    }

    /// One attempt's request; `basic` is the client's id and secret where
    /// they travel in a header.
    fn request(&self, client: &reqwest::Client, body: &str, basic: Option<(&str, &str)>) -> reqwest::RequestBuilder {
        let post = client.post(self.token_url.clone()).body(body.to_owned());
        match basic {
            None => post.header(CONTENT_TYPE, "application/x-www-form-urlencoded;charset=UTF-8"),
            Some((id, secret)) => post
                .basic_auth(id, Some(secret))
                .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
                .header(ACCEPT, "application/json"),
        }
    }

    async fn exchange(&self, http: &HttpClient) -> Result<(AccessToken, Duration), ChannelError> {
        let body = self.form()?;
        let basic = match self.issuer {
            Issuer::LoginWithAmazon => None,
            Issuer::Ebay => Some((self.secret("client_id")?, self.secret("client_secret")?)),
        };
        let path = self.token_url.path().to_owned();
        let mut attempts = 0;
        loop {
            attempts += 1;
            let sent = http.send_with_retry(&self.source_id, &path, |c| self.request(c, &body, basic)).await;
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
            let Some(delay) = http.config().retry.next_delay(attempts, Retry::Yes, None, u64::from(attempts)) else {
                let message = "token response is not the expected JSON".to_owned();
                let (source_id, status) = (self.source_id.clone(), reply.status);
                return Err(HttpError::Status { source_id, path, status, attempts, message }.into());
            };
            tokio::time::sleep(delay).await;
        }
    }

    /// The endpoint refused the grant or the client: final until someone
    /// renews the consent.
    fn refused(&self, status: u16, message: &str) -> ChannelError {
        let (code, description) = match serde_json::from_str::<TokenError>(message) {
            Ok(e) => (remote_text(&e.error), remote_text(e.error_description.as_deref().unwrap_or(""))),
            Err(_) => (format!("HTTP {status}"), message.to_owned()),
        };
        let (source_id, code, description) = (self.source_id.clone(), self.scrub(code), self.scrub(description));
        match self.issuer {
            Issuer::LoginWithAmazon => ChannelError::Lwa { source_id, status, code, description },
            Issuer::Ebay => ChannelError::OAuth { source_id, status, code, description },
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
        for field in SECRETS {
            if let Some(secret) = self.credentials.expose(field).filter(|s| s.len() >= 4) {
                text = text.replace(secret, "[redacted]");
            }
        }
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn grant(issuer: Issuer) -> RefreshGrant {
        let pairs = [("refresh_token", "Atzr|r3fresh"), ("client_id", "amzn1.app"), ("client_secret", "s3cret=&")];
        let credentials = Credentials::from_pairs(pairs.map(|(k, v)| (k.to_owned(), v.to_owned())));
        let (source, url) = (SourceId::new("src").unwrap(), Url::parse("http://127.0.0.1:1/auth/o2/token").unwrap());
        RefreshGrant::new(issuer, source, url, credentials, Duration::from_mins(1))
    }

    #[test]
    fn the_client_travels_in_the_form_only_to_login_with_amazon() {
        let lwa = grant(Issuer::LoginWithAmazon).form().unwrap();
        assert_eq!(
            lwa,
            "grant_type=refresh_token&refresh_token=Atzr%7Cr3fresh&client_id=amzn1.app&client_secret=s3cret%3D%26"
        );
        assert_eq!(grant(Issuer::Ebay).form().unwrap(), "grant_type=refresh_token&refresh_token=Atzr%7Cr3fresh");
    }

    #[test]
    fn a_refusal_is_named_by_its_issuer_and_never_echoes_a_secret() {
        let body = r#"{"error":"invalid_client","error_description":"unknown client s3cret=& \u001b[2J"}"#;
        let ChannelError::Lwa { code, description, .. } = grant(Issuer::LoginWithAmazon).refused(401, body) else {
            panic!("Login with Amazon's refusal is an LWA error");
        };
        assert_eq!(code, "invalid_client");
        assert!(!description.contains("s3cret") && !description.contains('\u{1b}'), "{description}");
        assert!(matches!(grant(Issuer::Ebay).refused(400, "not json"), ChannelError::OAuth { status: 400, .. }));
    }

    #[test]
    fn debug_shows_no_secret() {
        let shown = format!("{:?}", grant(Issuer::Ebay));
        assert!(!shown.contains("r3fresh") && !shown.contains("s3cret") && !shown.contains("amzn1"), "{shown}");
    }
}
