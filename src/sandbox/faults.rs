//! Fault injection: `"shopify:429@2,shopify:slow@4"` means "answer the 2nd
//! request to the Shopify API with a 429 and make the 4th one slow". Each
//! fault fires once, at exactly that request number, so tests are
//! deterministic without timing tricks.
//!
//! API names: `shopify`, `amazon`, `amazon_lwa`, `ebay` (Sell Inventory
//! calls), `ebay_oauth` (its token endpoint), `shipbob`, `faire`.

use std::collections::BTreeMap;
use std::sync::Mutex;

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
