//! Fault injection: `"shopify:429@2,shopify:slow@4"` means "answer the 2nd
//! request to the Shopify API with a 429 and make the 4th one slow". Each
//! fault fires once, at exactly that request number, so tests are
//! deterministic without timing tricks.
//!
//! API names: `shopify`, `amazon`, `amazon_lwa`, `ebay` (Sell Inventory
//! calls), `ebay_oauth` (its token endpoint), `shipbob`, `faire`.

use std::collections::BTreeMap;
use std::sync::Mutex;

use axum::body::{Body, Bytes};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::Value;

use super::SandboxOptions;

/// What goes wrong.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum FaultKind {
    /// HTTP 429 with a `Retry-After` header.
    TooManyRequests,
    /// HTTP 429 without `Retry-After` (Shopify sometimes omits it).
    TooManyRequestsBare,
    /// Shopify's `THROTTLED` error (HTTP 200 by default, see `SandboxOptions`).
    Throttled,
    ServerError,
    Unavailable,
    /// Answers only after longer than the client's timeout.
    Slow,
    /// Closes the connection halfway through the body.
    Reset,
    /// A body that is not JSON at all.
    Malformed,
    /// A JSON body cut off in the middle.
    Truncated,
    /// HTTP 401, as for an expired or revoked token.
    ExpiredToken,
    /// A page with no items whose cursor does not advance.
    EmptyPage,
    /// Terminal escape sequences injected into titles.
    ControlChars,
    /// Enum fields carry values the client has never seen (SP-API adds them).
    UnknownEnum,
    /// Optional fields are left out of the payload.
    MissingOptional,
}

impl FaultKind {
    fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "429" => Self::TooManyRequests,
            "429_bare" | "429_no_retry_after" => Self::TooManyRequestsBare,
            "throttled" => Self::Throttled,
            "500" => Self::ServerError,
            "503" => Self::Unavailable,
            "slow" | "timeout" => Self::Slow,
            "reset" => Self::Reset,
            "malformed" => Self::Malformed,
            "truncated" => Self::Truncated,
            "expired_token" | "401" => Self::ExpiredToken,
            "empty_page" => Self::EmptyPage,
            "control_chars" => Self::ControlChars,
            "unknown_enum" => Self::UnknownEnum,
            "missing_optional" => Self::MissingOptional,
            _ => return None,
        })
    }
}

/// How one imitated API says each fault that replaces its answer: its own
/// status codes, headers and error bodies.
pub(crate) trait FaultAnswers {
    /// HTTP 429, with `retry_after` in the API's own header where it sends
    /// one (`None`: the bare 429 some APIs send).
    fn too_many(&self, retry_after: Option<&str>) -> Response;
    /// HTTP 500 or 503.
    fn failure(&self, status: StatusCode) -> Response;
    /// The API's refusal of an expired or revoked access token.
    fn expired_token(&self) -> Response;
    /// Throttling: most APIs say it with a 429.
    fn throttled(&self, retry_after: &str) -> Response {
        self.too_many(Some(retry_after))
    }
}

/// The answer an injected fault puts in place of the real one, if any. A
/// slow fault waits here and lets the real answer follow.
pub(crate) async fn early_fault(
    fault: Option<FaultKind>,
    options: &SandboxOptions,
    api: &impl FaultAnswers,
) -> Option<Response> {
    Some(match fault? {
        FaultKind::TooManyRequests => api.too_many(Some(&options.retry_after)),
        FaultKind::TooManyRequestsBare => api.too_many(None),
        FaultKind::Throttled => api.throttled(&options.retry_after),
        FaultKind::ServerError => api.failure(StatusCode::INTERNAL_SERVER_ERROR),
        FaultKind::Unavailable => api.failure(StatusCode::SERVICE_UNAVAILABLE),
        FaultKind::ExpiredToken => api.expired_token(),
        FaultKind::Slow => {
            tokio::time::sleep(options.slow_delay).await;
            return None;
        }
        _ => return None,
    })
}

/// How an OAuth token endpoint says faults: in the error body of RFC 6749
/// (`error`, `error_description`), not in its API's.
pub(crate) struct TokenEndpointFaults {
    /// What the endpoint says of a refresh token that lapsed or was revoked
    /// (`invalid_grant`).
    pub lapsed: &'static str,
}

impl FaultAnswers for TokenEndpointFaults {
    fn too_many(&self, retry_after: Option<&str>) -> Response {
        let r = oauth_error(StatusCode::TOO_MANY_REQUESTS, "temporarily_unavailable", "Too many requests.");
        with_retry_after(r, retry_after)
    }

    fn failure(&self, status: StatusCode) -> Response {
        if status == StatusCode::SERVICE_UNAVAILABLE {
            oauth_error(status, "temporarily_unavailable", "The service is temporarily unavailable.")
        } else {
            oauth_error(status, "server_error", "The server encountered an unexpected error.")
        }
    }

    /// A lapsed refresh token is a refused grant (400), not a 401.
    fn expired_token(&self) -> Response {
        oauth_error(StatusCode::BAD_REQUEST, "invalid_grant", self.lapsed)
    }
}

/// An OAuth error answer.
pub(crate) fn oauth_error(status: StatusCode, error: &str, description: &str) -> Response {
    json_response(status, &serde_json::json!({"error": error, "error_description": description}))
}

/// Faults that damage an otherwise good answer.
pub(crate) fn late_fault(fault: Option<FaultKind>, status: StatusCode, body: String) -> Response {
    let half = |s: &str| s[..s.len() / 2].to_owned();
    let json = [(header::CONTENT_TYPE, "application/json")];
    match fault {
        Some(FaultKind::Malformed) => (status, json, "<html><body>Bad Gateway</body></html>").into_response(),
        Some(FaultKind::Truncated) => (status, json, half(&body)).into_response(),
        Some(FaultKind::Reset) => {
            let first: Result<Bytes, std::io::Error> = Ok(Bytes::from(half(&body)));
            let broken = Err(std::io::Error::new(std::io::ErrorKind::ConnectionReset, "sandbox: injected reset"));
            (status, json, Body::from_stream(futures::stream::iter([first, broken]))).into_response()
        }
        _ => (status, json, body).into_response(),
    }
}

/// `r` with a `Retry-After` header, where there is a wait to say.
pub(crate) fn with_retry_after(mut r: Response, retry_after: Option<&str>) -> Response {
    if let Some(v) = retry_after.and_then(|v| v.parse().ok()) {
        r.headers_mut().insert(header::RETRY_AFTER, v);
    }
    r
}

pub(crate) fn json_response(status: StatusCode, body: &Value) -> Response {
    (status, [(header::CONTENT_TYPE, "application/json")], body.to_string()).into_response()
}

/// A fault spec that does not parse.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("bad fault {item:?}: {why} (expected api:kind@n, e.g. shopify:429@2)")]
pub struct FaultSpecError {
    pub item: String,
    pub why: &'static str,
}

/// Planned faults plus a request counter per API.
#[derive(Debug, Default)]
pub struct Faults {
    plan: BTreeMap<(String, u64), FaultKind>,
    counters: Mutex<BTreeMap<String, u64>>,
}

impl Faults {
    /// No faults.
    #[must_use]
    pub fn none() -> Self {
        Self::default()
    }

    /// Parses a comma-separated spec; whitespace around items is ignored.
    ///
    /// # Errors
    /// An item that is not `api:kind@n` with a known kind and `n >= 1`.
    pub fn parse(spec: &str) -> Result<Self, FaultSpecError> {
        let mut plan = BTreeMap::new();
        for item in spec.split(',').map(str::trim).filter(|s| !s.is_empty()) {
            let bad = |why| FaultSpecError { item: item.to_owned(), why };
            let (api, rest) = item.split_once(':').ok_or_else(|| bad("missing ':'"))?;
            let (kind, n) = rest.split_once('@').ok_or_else(|| bad("missing '@'"))?;
            let kind = FaultKind::parse(kind).ok_or_else(|| bad("unknown fault kind"))?;
            let n: u64 = n.parse().ok().filter(|n| *n >= 1).ok_or_else(|| bad("request number must be >= 1"))?;
            if api.is_empty() {
                return Err(bad("empty api name"));
            }
            plan.insert((api.to_owned(), n), kind);
        }
        Ok(Self { plan, counters: Mutex::new(BTreeMap::new()) })
    }

    /// Plan `kind` at request `n` of `api` unless something is planned there.
    #[must_use]
    pub fn with(mut self, api: &str, n: u64, kind: FaultKind) -> Self {
        self.plan.entry((api.to_owned(), n)).or_insert(kind);
        self
    }

    /// Counts one request to `api` and returns its number (1-based) and the
    /// fault planned for it, if any.
    pub fn next(&self, api: &str) -> (u64, Option<FaultKind>) {
        let mut counters = self.counters.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let n = counters.entry(api.to_owned()).or_insert(0);
        *n += 1;
        (*n, self.plan.get(&(api.to_owned(), *n)).copied())
    }

    /// Requests seen so far for `api`.
    pub fn count(&self, api: &str) -> u64 {
        let counters = self.counters.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        counters.get(api).copied().unwrap_or(0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Answers with a status and a header naming which answer it gave.
    struct Named;

    fn named(status: StatusCode, what: &str) -> Response {
        let mut r = json_response(status, &Value::Null);
        r.headers_mut().insert("x-answer", what.parse().unwrap());
        r
    }

    impl FaultAnswers for Named {
        fn too_many(&self, retry_after: Option<&str>) -> Response {
            named(StatusCode::TOO_MANY_REQUESTS, &format!("too_many {retry_after:?}"))
        }
        fn failure(&self, status: StatusCode) -> Response {
            named(status, "failure")
        }
        fn expired_token(&self) -> Response {
            named(StatusCode::UNAUTHORIZED, "expired_token")
        }
    }

    #[tokio::test]
    async fn each_replacing_fault_gets_the_apis_own_answer() {
        let options = SandboxOptions { retry_after: "7".into(), ..SandboxOptions::default() };
        let cases = [
            (FaultKind::TooManyRequests, 429, "too_many Some(\"7\")"),
            (FaultKind::TooManyRequestsBare, 429, "too_many None"),
            (FaultKind::Throttled, 429, "too_many Some(\"7\")"),
            (FaultKind::ServerError, 500, "failure"),
            (FaultKind::Unavailable, 503, "failure"),
            (FaultKind::ExpiredToken, 401, "expired_token"),
        ];
        for (kind, status, what) in cases {
            let r = early_fault(Some(kind), &options, &Named).await.unwrap();
            assert_eq!((r.status().as_u16(), r.headers()["x-answer"].to_str().unwrap()), (status, what), "{kind:?}");
        }
        // Faults that damage an answer, or none, leave it to be made.
        for kind in [None, Some(FaultKind::Truncated), Some(FaultKind::Reset), Some(FaultKind::EmptyPage)] {
            assert!(early_fault(kind, &options, &Named).await.is_none(), "{kind:?}");
        }
    }

    #[test]
    fn parses_the_documented_spec() {
        let f = Faults::parse(
            "shopify:429@2,shopify:throttled@1,shopify:500@3,shopify:slow@4,shopify:truncated@5,\
             shopify:malformed@6,shopify:expired_token@7",
        )
        .unwrap();
        assert_eq!(f.next("shopify"), (1, Some(FaultKind::Throttled)));
        assert_eq!(f.next("shopify"), (2, Some(FaultKind::TooManyRequests)));
        assert_eq!(f.next("amazon"), (1, None));
        assert_eq!(f.count("shopify"), 2);
    }

    #[test]
    fn rejects_bad_items() {
        for bad in ["shopify", "shopify:429", "shopify:nope@1", "shopify:429@0", ":429@1", "shopify:429@x"] {
            assert!(Faults::parse(bad).is_err(), "{bad}");
        }
        assert!(Faults::parse("").unwrap().plan.is_empty());
    }
}
