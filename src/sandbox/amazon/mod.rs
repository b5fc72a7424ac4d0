//! The imitation Selling Partner API: Login with Amazon token endpoint,
//! `x-amz-access-token` check, one token bucket per operation with the
//! default usage plans of api-notes §2.2, `x-amzn-RateLimit-Limit` on
//! 200/400/404 only, the `QuotaExceeded` 429, and the injected faults
//! (api name `amazon` for SP-API calls, `amazon_lwa` for the token endpoint).

mod handlers;
pub mod lwa;
mod pages;
pub mod world;

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::Response;
use axum::routing::{get, post};
use serde_json::{Value, json};

use super::Shared;
use super::faults::{FaultAnswers, FaultKind, early_fault, json_response, late_fault};
use crate::channels::limit::{LimitError, TokenBucket};
pub use world::AmazonWorld;

/// Fault-spec name of the SP-API endpoints.
pub const API: &str = "amazon";
/// Fault-spec name of the LWA token endpoint.
pub const LWA_API: &str = "amazon_lwa";

/// The usage plans enforced: the connector's table, so both sides agree.
pub use crate::channels::amazon::PLANS;

/// Amazon knobs of the sandbox.
#[derive(Debug, Clone)]
pub struct AmazonOptions {
    /// Access-token lifetime (`expires_in`); one hour as LWA issues them.
    pub token_lifetime: Duration,
    /// Multiplies every plan's rate (tests run faster than production).
    pub rate_scale: f64,
    /// Inventory summaries per page (the real API returns up to 50).
    pub page_size: usize,
    /// How long a `nextToken` stays valid (30 s per the model).
    pub next_token_ttl: Duration,
}

impl Default for AmazonOptions {
    fn default() -> Self {
        Self {
            token_lifetime: Duration::from_hours(1),
            rate_scale: 1.0,
            page_size: 50,
            next_token_ttl: Duration::from_secs(30),
        }
    }
}

/// What the sandbox saw, for tests and the `sandbox` command.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AmazonStats {
    /// Requests per operation, throttled ones included.
    pub requests: BTreeMap<&'static str, u64>,
    /// Requests refused with `QuotaExceeded` by a bucket (not injected).
    pub throttled: u64,
    /// Requests refused for a missing or expired access token.
    pub unauthorized: u64,
    /// Token endpoint calls and the access tokens issued.
    pub token_requests: u64,
    pub tokens_issued: u64,
}

/// The fault planned for a request, as the payload builders see it.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Flavour(Option<FaultKind>);

impl Flavour {
    pub(crate) fn empty_page(self) -> bool {
        self.0 == Some(FaultKind::EmptyPage)
    }
    pub(crate) fn unknown_enums(self) -> bool {
        self.0 == Some(FaultKind::UnknownEnum)
    }
    pub(crate) fn missing_optional(self) -> bool {
        self.0 == Some(FaultKind::MissingOptional)
    }
    pub(crate) fn control_chars(self) -> bool {
        self.0 == Some(FaultKind::ControlChars)
    }
}

/// The Amazon half of the sandbox state.
pub(crate) struct AmazonState {
    /// Swapped whole by [`Self::update_world`], so a handler reads one
    /// consistent account without holding a lock while it answers.
    world: Mutex<Arc<AmazonWorld>>,
    pub(crate) options: AmazonOptions,
    buckets: Mutex<BTreeMap<&'static str, TokenBucket>>,
    tokens: Mutex<BTreeMap<String, Instant>>,
    pub(crate) pages: pages::PageTokens,
    stats: Mutex<AmazonStats>,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

impl AmazonState {
    pub(crate) fn new(world: &super::World, options: AmazonOptions) -> Result<Self, LimitError> {
        let now = Instant::now();
        let mut buckets = BTreeMap::new();
        for (op, rate, burst) in PLANS {
            buckets.insert(op, TokenBucket::new(rate * options.rate_scale, burst, now)?);
        }
        Ok(Self {
            world: Mutex::new(Arc::new(AmazonWorld::from_world(world))),
            pages: pages::PageTokens::new(options.next_token_ttl),
            options,
            buckets: Mutex::new(buckets),
            tokens: Mutex::new(BTreeMap::new()),
            stats: Mutex::new(AmazonStats::default()),
        })
    }

    /// The account as it stands now.
    pub(crate) fn world(&self) -> Arc<AmazonWorld> {
        Arc::clone(&lock(&self.world))
    }

    /// Changes the account between requests (a repricing, a stock move).
    pub(crate) fn update_world(&self, change: impl FnOnce(&mut AmazonWorld)) {
        let mut world = lock(&self.world);
        change(Arc::make_mut(&mut world));
    }

    pub(crate) fn stats(&self) -> AmazonStats {
        lock(&self.stats).clone()
    }

    fn stat(&self, f: impl FnOnce(&mut AmazonStats)) {
        f(&mut lock(&self.stats));
    }

    fn token_ok(&self, headers: &HeaderMap) -> bool {
        let Some(token) = headers.get("x-amz-access-token").and_then(|v| v.to_str().ok()) else { return false };
        lock(&self.tokens).get(token).is_some_and(|expires| Instant::now() < *expires)
    }

    /// Remembers a freshly issued access token.
    pub(crate) fn issue(&self, token: String) {
        let expires = Instant::now() + self.options.token_lifetime;
        lock(&self.tokens).insert(token, expires);
        self.stat(|s| s.tokens_issued += 1);
    }

    /// Forgets every token, as when LWA revokes them.
    fn revoke_all(&self) {
        lock(&self.tokens).clear();
    }

    fn take(&self, op: &'static str) -> bool {
        lock(&self.buckets).get_mut(op).is_none_or(|b| b.try_take(Instant::now()).is_ok())
    }

    fn rate(&self, op: &str) -> Option<f64> {
        lock(&self.buckets).get(op).map(TokenBucket::rate_per_sec)
    }
}

/// SP-API's error body.
pub(crate) fn errors(code: &str, message: &str) -> Value {
    json!({"errors": [{"code": code, "message": message, "details": ""}]})
}

fn unauthorized() -> Response {
    json_response(StatusCode::FORBIDDEN, &errors("Unauthorized", "Access to requested resource is denied."))
}

fn quota_exceeded() -> Response {
    // Never with x-amzn-RateLimit-Limit: SP-API omits it on 429.
    json_response(
        StatusCode::TOO_MANY_REQUESTS,
        &errors("QuotaExceeded", "You exceeded your quota for the requested resource."),
    )
}

/// SP-API's answers to injected faults (Login with Amazon's endpoint
/// shares them).
impl FaultAnswers for AmazonState {
    /// SP-API never says how long to wait.
    fn too_many(&self, _: Option<&str>) -> Response {
        quota_exceeded()
    }

    fn failure(&self, status: StatusCode) -> Response {
        let (code, message) = if status == StatusCode::SERVICE_UNAVAILABLE {
            ("ServiceUnavailable", "Service is temporarily unavailable.")
        } else {
            ("InternalFailure", "We encountered an internal error. Please try again.")
        };
        json_response(status, &errors(code, message))
    }

    fn expired_token(&self) -> Response {
        self.revoke_all();
        self.stat(|s| s.unauthorized += 1);
        unauthorized()
    }
}

/// The pipeline every SP-API operation goes through.
async fn serve(
    shared: &Shared,
    headers: &HeaderMap,
    op: &'static str,
    run: impl FnOnce(&AmazonState, Flavour) -> (StatusCode, Value),
) -> Response {
    let (_, fault) = shared.faults.next(API);
    let amazon = &shared.amazon;
    amazon.stat(|s| *s.requests.entry(op).or_insert(0) += 1);
    if let Some(r) = early_fault(fault, &shared.options, &shared.amazon).await {
        return r;
    }
    if !amazon.token_ok(headers) {
        amazon.stat(|s| s.unauthorized += 1);
        return unauthorized();
    }
    if !amazon.take(op) {
        amazon.stat(|s| s.throttled += 1);
        return quota_exceeded();
    }
    let (status, body) = run(amazon, Flavour(fault));
    let mut response = late_fault(fault, status, body.to_string());
    let carries_rate = matches!(status, StatusCode::OK | StatusCode::BAD_REQUEST | StatusCode::NOT_FOUND);
    if let Some(rate) = amazon.rate(op).filter(|_| carries_rate)
        && let Ok(v) = HeaderValue::from_str(&format!("{rate:?}"))
    {
        response.headers_mut().insert("x-amzn-ratelimit-limit", v);
    }
    response
}

type Shs = State<Arc<Shared>>;
type Params = Query<Vec<(String, String)>>;

async fn inventory(State(s): Shs, h: HeaderMap, Query(q): Params) -> Response {
    serve(&s, &h, "getInventorySummaries", |a, f| handlers::inventory(a, &q, f)).await
}

async fn listing(
    State(s): Shs,
    h: HeaderMap,
    Path((seller, sku)): Path<(String, String)>,
    Query(q): Params,
) -> Response {
    serve(&s, &h, "getListingsItem", |a, f| handlers::listing(a, &seller, &sku, &q, f)).await
}

async fn search_listings(State(s): Shs, h: HeaderMap, Path(seller): Path<String>, Query(q): Params) -> Response {
    serve(&s, &h, "searchListingsItems", |a, f| handlers::search_listings(a, &seller, &q, f)).await
}

async fn orders(State(s): Shs, h: HeaderMap, Query(q): Params) -> Response {
    serve(&s, &h, "getOrders", |a, f| handlers::orders(a, &q, f)).await
}

async fn order_items(State(s): Shs, h: HeaderMap, Path(id): Path<String>) -> Response {
    serve(&s, &h, "getOrderItems", |a, f| handlers::order_items(a, &id, f)).await
}

async fn fees(State(s): Shs, h: HeaderMap, Path(sku): Path<String>, body: Bytes) -> Response {
    serve(&s, &h, "getMyFeesEstimateForSKU", |a, _| handlers::fees(a, &sku, &body)).await
}

async fn fees_batch(State(s): Shs, h: HeaderMap, body: Bytes) -> Response {
    serve(&s, &h, "getMyFeesEstimates", |a, _| handlers::fees_batch(a, &body)).await
}

async fn offers_batch(State(s): Shs, h: HeaderMap, body: Bytes) -> Response {
    serve(&s, &h, "getItemOffersBatch", |a, _| handlers::offers_batch(a, &body)).await
}

async fn offers(State(s): Shs, h: HeaderMap, Path(asin): Path<String>, Query(q): Params) -> Response {
    serve(&s, &h, "getItemOffers", |a, _| handlers::offers(a, &asin, &q)).await
}

/// Adds the Amazon routes to the sandbox router.
pub(crate) fn routes(router: Router<Arc<Shared>>) -> Router<Arc<Shared>> {
    router
        .route(lwa::PATH, post(lwa::token))
        .route("/fba/inventory/v1/summaries", get(inventory))
        .route("/listings/2021-08-01/items/{seller_id}", get(search_listings))
        .route("/listings/2021-08-01/items/{seller_id}/{sku}", get(listing))
        .route("/orders/v0/orders", get(orders))
        .route("/orders/v0/orders/{order_id}/orderItems", get(order_items))
        .route("/products/fees/v0/listings/{sku}/feesEstimate", post(fees))
        .route("/products/fees/v0/feesEstimate", post(fees_batch))
        .route("/products/pricing/v0/items/{asin}/offers", get(offers))
        .route("/batches/products/pricing/v0/itemOffers", post(offers_batch))
}
