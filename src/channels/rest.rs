// Vendor names such as ShipBob are proper nouns in prose, not code items.
#![allow(clippy::doc_markdown)]
//! A JSON `GET` for the REST connectors (ShipBob, Faire): the shared
//! [`HttpClient`] retries statuses and transport failures; this adds a retry
//! for a 2xx body that is cut off or not JSON at all (a proxy page, a dropped
//! connection), which only the caller can recognise after parsing.

use reqwest::Url;
use reqwest::header::HeaderMap;
use serde::de::DeserializeOwned;

use super::error::ChannelError;
use super::http::{HttpClient, remote_text};
use crate::core::ids::SourceId;

/// A parsed reply, its headers, and the requests it took (retries included).
#[derive(Debug)]
pub struct JsonReply<T> {
    pub value: T,
    pub headers: HeaderMap,
    pub requests: u32,
}

/// One `GET` request to make: URL, the path shown in errors, auth header.
#[derive(Clone, Copy)]
pub struct Get<'a> {
    pub source_id: &'a SourceId,
    pub url: &'a Url,
    /// Path only, for error messages (never the query: it may hold ids).
    pub path: &'a str,
    /// Header name and value carrying the credential.
    pub auth: (&'a str, &'a str),
}

impl std::fmt::Debug for Get<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The auth value is a secret: only its header name is shown.
        f.debug_struct("Get").field("path", &self.path).field("auth", &self.auth.0).finish_non_exhaustive()
    }
}

/// Sends `get` until it yields parseable JSON or the retry policy gives up.
///
/// # Errors
/// [`ChannelError::Http`] for statuses and transport, [`ChannelError::BadBody`]
/// when every attempt's body was unreadable, [`ChannelError::Payload`] when
/// the JSON is well formed but not the expected shape (retrying cannot help).
pub async fn get_json<T: DeserializeOwned>(http: &HttpClient, get: Get<'_>) -> Result<JsonReply<T>, ChannelError> {
    let max = http.config().retry.max_attempts.max(1);
    let mut requests = 0;
    let mut tries = 0;
    loop {
        tries += 1;
        let reply = http
            .send_with_retry(get.source_id, get.path, |c| {
                c.get(get.url.clone()).header(get.auth.0, get.auth.1).header("accept", "application/json")
            })
            .await?;
        requests += reply.attempts;
        match serde_json::from_slice::<T>(&reply.body) {
            Ok(value) => return Ok(JsonReply { value, headers: reply.headers, requests }),
            Err(e) if (e.is_syntax() || e.is_eof()) && tries < max => {
                tracing::debug!(source = %get.source_id, path = get.path, "unreadable body, asking again");
            }
            Err(e) if e.is_syntax() || e.is_eof() => {
                let detail = if e.is_eof() { "cut off" } else { "not JSON" };
                return Err(ChannelError::BadBody {
                    source_id: get.source_id.clone(),
                    path: get.path.to_owned(),
                    detail: detail.to_owned(),
                });
            }
            Err(e) => {
                return Err(ChannelError::Payload {
                    source_id: get.source_id.clone(),
                    path: get.path.to_owned(),
                    detail: remote_text(&e.to_string()),
                });
            }
        }
    }
}

/// `base` with a trailing slash, so `join` appends instead of replacing
/// the last segment (Faire's base ends in `/external-api/v2`).
///
/// # Errors
/// [`ChannelError::Config`] when the URL does not parse.
pub fn base_url(source_id: &SourceId, base: &str) -> Result<Url, ChannelError> {
    let mut base = base.to_owned();
    if !base.ends_with('/') {
        base.push('/');
    }
    Url::parse(&base).map_err(|_| ChannelError::Config { source_id: source_id.clone(), message: "bad base_url".into() })
}

/// `base` joined with `path` (leading slash ignored) and `query`.
///
/// # Errors
/// [`ChannelError::Config`] when the result is not a URL.
pub fn endpoint(source_id: &SourceId, base: &Url, path: &str, query: &[(&str, String)]) -> Result<Url, ChannelError> {
    let mut url = base.join(path.trim_start_matches('/')).map_err(|_| ChannelError::Config {
        source_id: source_id.clone(),
        message: format!("cannot build a URL for {path}"),
    })?;
    if !query.is_empty() {
        let mut pairs = url.query_pairs_mut();
        for (k, v) in query {
            pairs.append_pair(k, v);
        }
    }
    Ok(url)
}
