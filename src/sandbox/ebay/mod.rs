//! The imitation eBay Sell Inventory API: the OAuth refresh-token grant,
//! `Authorization: Bearer` on every call, a per-day call quota (429 once
//! spent), inventory items paged with `offset` as a *page index*, offers
//! per SKU, and the injected faults (api name `ebay` for Inventory API
//! calls, `ebay_oauth` for the token endpoint).
//!
//! Unverified facts (api-notes §5 tags them [U]) are options here rather
//! than constants: the daily quota and the token lifetime.

mod handlers;
pub mod world;

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use axum::Router;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::Response;
use axum::routing::{get, post};
use serde_json::{Value, json};

use super::Shared;
use super::faults::{FaultAnswers, FaultKind, early_fault, json_response, late_fault, with_retry_after};
pub use world::EbayWorld;

/// Fault-spec name of the Inventory API endpoints.
pub const API: &str = "ebay";
/// Fault-spec name of the OAuth token endpoint.
pub const OAUTH_API: &str = "ebay_oauth";
/// Where the token endpoint listens (`https://api.ebay.com/identity/v1/oauth2/token`).
pub const TOKEN_PATH: &str = "/identity/v1/oauth2/token";
pub const INVENTORY_PATH: &str = "/sell/inventory/v1/inventory_item";
pub const OFFER_PATH: &str = "/sell/inventory/v1/offer";

/// eBay knobs of the sandbox.
#[derive(Debug, Clone)]
pub struct EbayOptions {
    /// Access-token lifetime (`expires_in`); eBay user tokens last two hours.
    pub token_lifetime: Duration,
    /// Inventory API calls allowed per day; [U] in api-notes, so a knob.
    pub daily_quota: u64,
    /// The account to serve instead of the one derived from the demo world.
    pub world: Option<EbayWorld>,
}

impl Default for EbayOptions {
    fn default() -> Self {
        Self { token_lifetime: Duration::from_hours(2), daily_quota: 2_000_000, world: None }
    }
}

/// What the sandbox saw, for tests and the `sandbox` command.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EbayStats {
    /// Requests per operation, refused ones included.
    pub requests: BTreeMap<&'static str, u64>,
    /// `offset` of every inventory page asked for, in order.
    pub inventory_offsets: Vec<u64>,
    pub unauthorized: u64,
    /// Requests refused because the day's quota was spent (not injected).
    pub over_quota: u64,
    pub token_requests: u64,
    pub tokens_issued: u64,
}

/// The eBay half of the sandbox state.
pub(crate) struct EbayState {
    pub(crate) world: EbayWorld,
    pub(crate) options: EbayOptions,
    tokens: Mutex<BTreeMap<String, Instant>>,
    /// Start of the current quota day and calls made in it.
    quota: Mutex<(Instant, u64)>,
    stats: Mutex<EbayStats>,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

const DAY: Duration = Duration::from_hours(24);

impl EbayState {
    pub(crate) fn new(world: &super::World, options: EbayOptions) -> Self {
        Self {
            world: options.world.clone().unwrap_or_else(|| EbayWorld::from_world(world)),
            options,
            tokens: Mutex::new(BTreeMap::new()),
            quota: Mutex::new((Instant::now(), 0)),
            stats: Mutex::new(EbayStats::default()),
        }
    }

    pub(crate) fn stats(&self) -> EbayStats {
        lock(&self.stats).clone()
    }

    fn stat(&self, f: impl FnOnce(&mut EbayStats)) {
        f(&mut lock(&self.stats));
    }

    fn token_ok(&self, headers: &HeaderMap) -> bool {
        let bearer = headers.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok());
        let Some(token) = bearer.and_then(|v| v.strip_prefix("Bearer ")) else { return false };
        lock(&self.tokens).get(token).is_some_and(|expires| Instant::now() < *expires)
    }

    fn issue(&self, token: String) {
        lock(&self.tokens).insert(token, Instant::now() + self.options.token_lifetime);
        self.stat(|s| s.tokens_issued += 1);
    }

    fn revoke_all(&self) {
        lock(&self.tokens).clear();
    }

    /// Counts one call against the day's quota; false once it is spent.
    fn spend(&self) -> bool {
        let mut quota = lock(&self.quota);
        if quota.0.elapsed() >= DAY {
            *quota = (Instant::now(), 0);
        }
        if quota.1 >= self.options.daily_quota {
            return false;
        }
        quota.1 += 1;
        true
    }
}

/// eBay's REST error body (`errors[]` with `errorId`, `domain`, `category`).
pub(crate) fn errors(id: u32, domain: &str, message: &str) -> Value {
    json!({"errors": [{"errorId": id, "domain": domain, "category": "REQUEST", "message": message}]})
}

fn unauthorized() -> Response {
    let body = errors(1001, "OAuth", "Invalid access token");
    json_response(StatusCode::UNAUTHORIZED, &body)
}

/// The over-quota answer; its body shape is [U], its status is documented.
fn too_many(retry_after: Option<&str>) -> Response {
    let body = errors(2001, "ACCESS", "Too many requests. The request limit has been reached for the resource.");
    with_retry_after(json_response(StatusCode::TOO_MANY_REQUESTS, &body), retry_after)
}

/// eBay's answers to injected faults.
impl FaultAnswers for EbayState {
    fn too_many(&self, retry_after: Option<&str>) -> Response {
        too_many(retry_after)
    }

    fn failure(&self, status: StatusCode) -> Response {
        let message = "There was a problem with an eBay internal system or process. Contact eBay developer support for assistance.";
        json_response(status, &errors(2003, "ACCESS", message))
    }

    fn expired_token(&self) -> Response {
        self.revoke_all();
        self.stat(|s| s.unauthorized += 1);
        unauthorized()
    }
}

/// The pipeline every Inventory API call goes through.
async fn serve(
    shared: &Shared,
    headers: &HeaderMap,
    op: &'static str,
    run: impl FnOnce(&EbayState, Option<FaultKind>) -> (StatusCode, Value),
) -> Response {
    let (_, fault) = shared.faults.next(API);
    let ebay = &shared.ebay;
    ebay.stat(|s| *s.requests.entry(op).or_insert(0) += 1);
    if let Some(r) = early_fault(fault, &shared.options, &shared.ebay).await {
        return r;
    }
    if !ebay.token_ok(headers) {
        ebay.stat(|s| s.unauthorized += 1);
        return unauthorized();
    }
    if !ebay.spend() {
        ebay.stat(|s| s.over_quota += 1);
        return too_many(None);
    }
    let (status, body) = run(ebay, fault);
    late_fault(fault, status, body.to_string())
}

type Shs = State<Arc<Shared>>;
type Params = Query<Vec<(String, String)>>;

async fn inventory(State(s): Shs, h: HeaderMap, Query(q): Params) -> Response {
    let host = h.get(header::HOST).and_then(|v| v.to_str().ok()).unwrap_or("api.ebay.com").to_owned();
    serve(&s, &h, "getInventoryItems", |e, f| handlers::inventory(e, &host, &q, f)).await
}

async fn offers(State(s): Shs, h: HeaderMap, Query(q): Params) -> Response {
    serve(&s, &h, "getOffers", |e, f| handlers::offers(e, &q, f)).await
}

/// Adds the eBay routes to the sandbox router.
pub(crate) fn routes(router: Router<Arc<Shared>>) -> Router<Arc<Shared>> {
    router.route(TOKEN_PATH, post(handlers::token)).route(INVENTORY_PATH, get(inventory)).route(OFFER_PATH, get(offers))
}
