//! `nextToken` bookkeeping: opaque tokens that stand for an offset and, as
//! the FBA Inventory model says, expire 30 seconds after they were made.

use std::collections::BTreeMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use super::lock;

/// Why a page token was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum PageTokenError {
    Expired,
    Unknown,
}

/// Tokens handed out so far, and the counter that keeps them unique.
#[derive(Default)]
struct Issued {
    count: u64,
    tokens: BTreeMap<String, (usize, Instant)>,
}

pub(crate) struct PageTokens {
    ttl: Duration,
    issued: Mutex<Issued>,
}

impl PageTokens {
    pub(crate) fn new(ttl: Duration) -> Self {
        Self { ttl, issued: Mutex::new(Issued::default()) }
    }

    /// A new token for the page starting at `offset` of listing `kind`.
    pub(crate) fn issue(&self, kind: &str, offset: usize) -> String {
        let mut issued = lock(&self.issued);
        issued.count += 1;
        // Long and base64-looking like the real ones; the counter keeps it unique.
        let token = format!("{kind}{:016x}{offset:08x}AAE=", issued.count.wrapping_mul(0x9e37_79b9_7f4a_7c15));
        issued.tokens.insert(token.clone(), (offset, Instant::now()));
        token
    }

    /// The offset `token` stands for.
    pub(crate) fn resolve(&self, kind: &str, token: &str) -> Result<usize, PageTokenError> {
        let issued = lock(&self.issued);
        match issued.tokens.get(token) {
            Some(_) if !token.starts_with(kind) => Err(PageTokenError::Unknown),
            Some((offset, at)) if at.elapsed() <= self.ttl => Ok(*offset),
            Some(_) => Err(PageTokenError::Expired),
            None => Err(PageTokenError::Unknown),
        }
    }
}
