//! The imitation ShipBob 1.0 API (api-notes §3): Bearer token check, the
//! 150 requests per rolling minute across all endpoints with ShipBob's 429
//! body and headers, `Page`/`Limit` pagination announced by a `next-page`
//! header, and the injected faults (api name `shipbob`).
//!
//! Unverified details are knobs in [`ShipbobOptions`]: the header names
//! beyond `next-page`, the product list, and the value `next-page` carries.

// Vendor names such as ShipBob are proper nouns in prose, not code items.
#![allow(clippy::doc_markdown)]

pub mod world;

use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use axum::Router;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::Response;
use axum::routing::get;
use serde_json::{Value, json};

use super::Shared;
use super::faults::{FaultAnswers, FaultKind, early_fault, json_response, late_fault};
use crate::channels::limit::{LimitError, SlidingWindow, header_seconds};
pub use world::ShipbobWorld;

/// Fault-spec name of the ShipBob endpoints.
pub const API: &str = "shipbob";
/// The token the sandbox accepts (`config::credentials::sandbox_credentials`).
pub const ACCESS_TOKEN: &str = "sandbox-access_token";
const HOSTILE: &str = "\u{1b}]0;pwned\u{7}\u{1b}[2J\u{9b}31m";

/// ShipBob knobs of the sandbox.
#[derive(Debug, Clone)]
pub struct ShipbobOptions {
    /// Requests admitted per `window` (150 per 60 s as published).
    pub limit: u32,
    pub window: Duration,
    /// `Limit` when the request names none, and the largest accepted.
    pub default_page_size: usize,
    pub max_page_size: usize,
    /// Header announcing the next page ([V] name; its value is [U]).
    pub next_page_header: String,
    /// Remaining-calls headers sent on every answer ([V] `x-remaining-calls`,
    /// and the FAQ's inconsistent `X-RateLimit-Remaining`: both, as advised).
    pub remaining_headers: Vec<String>,
}

impl Default for ShipbobOptions {
    fn default() -> Self {
        Self {
            limit: SlidingWindow::SHIPBOB_LIMIT,
            window: Duration::from_mins(1),
            default_page_size: 50,
            max_page_size: 250,
            next_page_header: "next-page".to_owned(),
            remaining_headers: vec!["x-remaining-calls".to_owned(), "X-RateLimit-Remaining".to_owned()],
        }
    }
}

/// What the imitation ShipBob saw.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ShipbobStats {
    pub requests: u64,
    /// Refused by the sliding window (not injected).
    pub throttled: u64,
    pub unauthorized: u64,
}

pub(crate) struct ShipbobState {
    pub(crate) world: ShipbobWorld,
    options: ShipbobOptions,
    window: Mutex<SlidingWindow>,
    stats: Mutex<ShipbobStats>,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

impl ShipbobState {
    pub(crate) fn new(world: &super::World, options: ShipbobOptions) -> Result<Self, LimitError> {
        let window = SlidingWindow::new(options.limit, options.window)?;
        Ok(Self {
            world: ShipbobWorld::from_world(world),
            options,
            window: Mutex::new(window),
            stats: Mutex::new(ShipbobStats::default()),
        })
    }

    pub(crate) fn stats(&self) -> ShipbobStats {
        *lock(&self.stats)
    }

    fn stat(&self, f: impl FnOnce(&mut ShipbobStats)) {
        f(&mut lock(&self.stats));
    }

    fn with_remaining(&self, mut response: Response, remaining: u32) -> Response {
        for name in &self.options.remaining_headers {
            if let (Ok(n), Ok(v)) =
                (name.parse::<axum::http::HeaderName>(), HeaderValue::from_str(&remaining.to_string()))
            {
                response.headers_mut().insert(n, v);
            }
        }
        response
    }
}

fn error(status: StatusCode, message: &str) -> Response {
    json_response(status, &json!({"statusCode": status.as_u16(), "message": message}))
}

/// ShipBob's answers to injected faults.
impl FaultAnswers for ShipbobState {
    /// ShipBob's 429; `retry_after` in seconds as text, or none at all.
    fn too_many(&self, retry_after: Option<&str>) -> Response {
        let secs = retry_after.unwrap_or("60");
        let body =
            json!({"statusCode": 429, "message": format!("Rate limit is exceeded. Try again in {secs} seconds.")});
        let mut r = json_response(StatusCode::TOO_MANY_REQUESTS, &body);
        if let Some(v) = retry_after.and_then(|s| HeaderValue::from_str(s).ok()) {
            r.headers_mut().insert("x-retry-after", v);
        }
        self.with_remaining(r, 0)
    }

    fn failure(&self, status: StatusCode) -> Response {
        let message =
            if status == StatusCode::SERVICE_UNAVAILABLE { "Service Unavailable" } else { "An error has occurred." };
        error(status, message)
    }

    fn expired_token(&self) -> Response {
        self.stat(|s| s.unauthorized += 1);
        error(StatusCode::UNAUTHORIZED, "Authorization has been denied for this request.")
    }
}

/// Faults, token, window, then the answer; every path counted.
async fn serve(
    shared: &Shared,
    headers: &HeaderMap,
    run: impl FnOnce(&ShipbobState, Option<FaultKind>) -> Response,
) -> Response {
    let (_, fault) = shared.faults.next(API);
    let sb = &shared.shipbob;
    sb.stat(|s| s.requests += 1);
    if let Some(r) = early_fault(fault, &shared.options, sb).await {
        return r;
    }
    let bearer = headers.get("authorization").and_then(|v| v.to_str().ok());
    if bearer.and_then(|b| b.strip_prefix("Bearer ")) != Some(ACCESS_TOKEN) {
        sb.stat(|s| s.unauthorized += 1);
        return error(StatusCode::UNAUTHORIZED, "Authorization has been denied for this request.");
    }
    let admitted = lock(&sb.window).try_acquire(Instant::now());
    match admitted {
        Ok(remaining) => sb.with_remaining(run(sb, fault), remaining),
        Err(wait) => {
            sb.stat(|s| s.throttled += 1);
            sb.too_many(Some(&header_seconds(wait).to_string()))
        }
    }
}

type Params = Query<Vec<(String, String)>>;

fn param(q: &[(String, String)], name: &str) -> Option<String> {
    q.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.clone())
}

/// One page of `all`, with `next-page` when more follow. An `empty_page`
/// fault answers no items and points at the same page again.
fn paged(sb: &ShipbobState, path: &str, q: &[(String, String)], all: &[Value], fault: Option<FaultKind>) -> Response {
    let page = param(q, "Page").map_or(Ok(1), |p| p.parse::<usize>());
    let limit = param(q, "Limit").map_or(Ok(sb.options.default_page_size), |l| l.parse::<usize>());
    let (Ok(page @ 1..), Ok(limit)) = (page, limit) else {
        return error(StatusCode::BAD_REQUEST, "Page and Limit must be positive integers.");
    };
    if limit == 0 || limit > sb.options.max_page_size {
        return error(StatusCode::BAD_REQUEST, &format!("Limit must be between 1 and {}.", sb.options.max_page_size));
    }
    let empty = fault == Some(FaultKind::EmptyPage);
    let items: Vec<Value> =
        if empty { Vec::new() } else { all.iter().skip((page - 1) * limit).take(limit).cloned().collect() };
    let next = if empty { Some(page) } else { (page * limit < all.len()).then_some(page + 1) };
    let mut response = late_fault(fault, StatusCode::OK, Value::Array(items).to_string());
    if let Some(n) = next
        && let (Ok(name), Ok(v)) = (
            sb.options.next_page_header.parse::<axum::http::HeaderName>(),
            HeaderValue::from_str(&format!("{path}?Page={n}&Limit={limit}")),
        )
    {
        response.headers_mut().insert(name, v);
    }
    response
}

fn name_of(item: &world::ShipbobItem, fault: Option<FaultKind>) -> String {
    if fault == Some(FaultKind::ControlChars) { format!("{}{HOSTILE}", item.name) } else { item.name.clone() }
}

async fn centers(State(s): State<Arc<Shared>>, h: HeaderMap) -> Response {
    serve(&s, &h, |_, f| late_fault(f, StatusCode::OK, world::centers().to_string())).await
}

async fn products(State(s): State<Arc<Shared>>, h: HeaderMap, Query(q): Params) -> Response {
    serve(&s, &h, |sb, f| {
        let all: Vec<Value> = sb.world.items.iter().map(|i| world::product(i, &name_of(i, f))).collect();
        paged(sb, "/1.0/product", &q, &all, f)
    })
    .await
}

async fn inventory(State(s): State<Arc<Shared>>, h: HeaderMap, Query(q): Params) -> Response {
    serve(&s, &h, |sb, f| {
        let sparse = f == Some(FaultKind::MissingOptional);
        let all: Vec<Value> = sb.world.items.iter().map(|i| world::inventory(i, &name_of(i, f), sparse)).collect();
        paged(sb, "/1.0/inventory", &q, &all, f)
    })
    .await
}

/// Adds the ShipBob routes (1.0, plus the 2026-01 centre list) to the router.
pub(crate) fn routes(router: Router<Arc<Shared>>) -> Router<Arc<Shared>> {
    router
        .route("/1.0/fulfillmentCenter", get(centers))
        .route("/2026-01/fulfillment-center", get(centers))
        .route("/1.0/product", get(products))
        .route("/1.0/inventory", get(inventory))
}
