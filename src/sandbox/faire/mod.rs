//! The imitation Faire External API v2, brand side (api-notes §4), under
//! `/external-api/v2`: `X-FAIRE-ACCESS-TOKEN` check, cursor-paged
//! `GET /orders` (with `updated_at_min`) and `GET /products`, and
//! `GET /product-inventory/by-skus`. Money goes out in minor units. Faire
//! publishes no rate limit, so none is enforced; injected faults use the api
//! name `faire`.

pub mod world;

use std::sync::Arc;

use axum::Router;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::routing::get;
use jiff::Timestamp;
use serde_json::{Value, json};

use super::Shared;
use super::faults::{FaultAnswers, FaultKind, early_fault, json_response, late_fault, with_retry_after};
pub use world::FaireWorld;
use world::{FaireOrder, FaireProduct, FaireVariant};

/// Fault-spec name of the Faire endpoints.
pub const API: &str = "faire";
/// Path prefix of the API (the demo's `base_url` ends with it).
pub const PREFIX: &str = "/external-api/v2";
/// The token the sandbox accepts (`config::credentials::sandbox_credentials`).
pub const ACCESS_TOKEN: &str = "sandbox-access_token";
/// Largest `limit` on list endpoints.
pub const MAX_LIMIT: usize = 50;
const HOSTILE: &str = "\u{1b}]0;pwned\u{7}\u{1b}[2J\u{9b}31m";

type Answer = (StatusCode, Value);

fn error(status: StatusCode, kind: &str, message: &str) -> Response {
    json_response(status, &json!({"type": kind, "message": message}))
}

/// Faire's answers to injected faults.
struct FaireFaults;

impl FaultAnswers for FaireFaults {
    fn too_many(&self, retry_after: Option<&str>) -> Response {
        let r = error(StatusCode::TOO_MANY_REQUESTS, "TOO_MANY_REQUESTS", "Too many requests.");
        with_retry_after(r, retry_after)
    }

    fn failure(&self, status: StatusCode) -> Response {
        if status == StatusCode::SERVICE_UNAVAILABLE {
            error(status, "SERVICE_UNAVAILABLE", "Try again later.")
        } else {
            error(status, "INTERNAL_ERROR", "Something went wrong.")
        }
    }

    fn expired_token(&self) -> Response {
        error(StatusCode::UNAUTHORIZED, "NOT_AUTHORIZED", "The access token is invalid.")
    }
}

async fn serve(
    shared: &Shared,
    headers: &HeaderMap,
    run: impl FnOnce(&FaireWorld, Option<FaultKind>) -> Answer,
) -> Response {
    let (_, fault) = shared.faults.next(API);
    if let Some(r) = early_fault(fault, &shared.options, &FaireFaults).await {
        return r;
    }
    if headers.get("x-faire-access-token").and_then(|v| v.to_str().ok()) != Some(ACCESS_TOKEN) {
        return error(StatusCode::UNAUTHORIZED, "NOT_AUTHORIZED", "The access token is invalid.");
    }
    let (status, body) = run(&shared.faire, fault);
    late_fault(fault, status, body.to_string())
}

fn param<'a>(q: &'a [(String, String)], name: &str) -> Option<&'a str> {
    q.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
}

fn bad(message: &str) -> Answer {
    (StatusCode::BAD_REQUEST, json!({"type": "BAD_REQUEST", "message": message}))
}

/// Offset and limit from `cursor`/`limit`; cursors are opaque to clients.
fn window(q: &[(String, String)]) -> Result<(usize, usize), Answer> {
    let limit = param(q, "limit").map_or(Ok(MAX_LIMIT), str::parse::<usize>);
    let Ok(limit @ 1..=MAX_LIMIT) = limit else { return Err(bad("limit must be between 1 and 50")) };
    let offset = match param(q, "cursor") {
        None => 0,
        Some(c) => c
            .strip_prefix("cur_")
            .and_then(|h| usize::from_str_radix(h, 16).ok())
            .ok_or_else(|| bad("invalid cursor"))?,
    };
    Ok((offset, limit))
}

/// One page of `all`; `empty_page` answers nothing and hands back the cursor it got.
fn page(key: &str, all: &[Value], offset: usize, limit: usize, fault: Option<FaultKind>) -> Answer {
    let empty = fault == Some(FaultKind::EmptyPage);
    let items: Vec<Value> = if empty { Vec::new() } else { all.iter().skip(offset).take(limit).cloned().collect() };
    let next = if empty { Some(offset) } else { (offset + limit < all.len()).then_some(offset + limit) };
    let mut body = json!({"limit": limit});
    body[key] = Value::Array(items);
    body["cursor"] = next.map_or(Value::Null, |n| json!(format!("cur_{n:x}")));
    (StatusCode::OK, body)
}

fn money(world: &FaireWorld, minor: i64) -> Value {
    json!({"amount_minor": minor, "currency": world.currency})
}

fn ts(t: Timestamp) -> String {
    t.strftime("%Y-%m-%dT%H:%M:%S%.3fZ").to_string()
}

fn order_json(w: &FaireWorld, o: &FaireOrder, fault: Option<FaultKind>, first: bool) -> Value {
    let items: Vec<Value> = o
        .items
        .iter()
        .map(|i| {
            json!({"id": i.id, "order_id": o.id,
        "product_id": format!("p_{}", &i.variant.id[3..]), "variant_id": i.variant.id, "quantity": i.quantity,
        "sku": i.variant.sku, "product_name": i.variant.name, "variant_name": i.variant.name, "includes_tester": false,
        "price": money(w, i.variant.wholesale_minor), "discounts": [], "state": o.state})
        })
        .collect();
    let subtotal = o.subtotal_minor();
    let commission = subtotal * o.commission_bps / 10_000;
    let state = if fault == Some(FaultKind::UnknownEnum) && first { "ON_HOLD_FOR_REVIEW" } else { o.state };
    let mut v = json!({"id": o.id, "display_id": o.id[3..].to_uppercase(), "created_at": ts(o.created_at),
        "updated_at": ts(o.updated_at), "state": state, "retailer_id": o.retailer_id, "source": "MARKETPLACE",
        "ship_after": ts(o.created_at), "items": items, "shipments": [],
        "address": {"city": "Portland", "state_code": "OR", "country_code": "USA"},
        "payout_costs": {"commission_bps": o.commission_bps, "commission": money(w, commission),
            "payout_fee": money(w, 0), "total_payout": money(w, subtotal - commission)}});
    if fault == Some(FaultKind::MissingOptional)
        && let Some(m) = v.as_object_mut()
    {
        for key in ["payout_costs", "display_id", "ship_after", "address", "shipments", "source"] {
            m.remove(key);
        }
    }
    v
}

fn orders(w: &FaireWorld, q: &[(String, String)], fault: Option<FaultKind>) -> Answer {
    let (offset, limit) = match window(q) {
        Ok(ok) => ok,
        Err(answer) => return answer,
    };
    let since = match param(q, "updated_at_min").map(str::parse::<Timestamp>) {
        None => None,
        Some(Ok(t)) => Some(t),
        Some(Err(_)) => return bad("updated_at_min must be an ISO 8601 date-time"),
    };
    let all: Vec<Value> = w
        .orders
        .iter()
        .filter(|o| since.is_none_or(|t| o.updated_at >= t))
        .enumerate()
        .map(|(i, o)| order_json(w, o, fault, i == offset))
        .collect();
    page("orders", &all, offset, limit, fault)
}

fn variant_json(w: &FaireWorld, p: &FaireProduct, v: &FaireVariant) -> Value {
    json!({"id": v.id, "product_id": p.id, "name": v.name, "sku": v.sku,
        "sale_state": if v.paused { "SALES_PAUSED" } else { "FOR_SALE" }, "lifecycle_state": "PUBLISHED",
        "prices": [{"geo_constraint": {"country": "USA"}, "wholesale_price": money(w, v.wholesale_minor),
            "retail_price": money(w, v.retail_minor)}], "orderability_type": "IMMEDIATE"})
}

fn products(w: &FaireWorld, q: &[(String, String)], fault: Option<FaultKind>) -> Answer {
    let (offset, limit) = match window(q) {
        Ok(ok) => ok,
        Err(answer) => return answer,
    };
    let all: Vec<Value> = w
        .products
        .iter()
        .map(|p| {
            let name =
                if fault == Some(FaultKind::ControlChars) { format!("{}{HOSTILE}", p.name) } else { p.name.clone() };
            let variants: Vec<Value> = p.variants.iter().map(|v| variant_json(w, p, v)).collect();
            json!({"id": p.id, "name": name, "lifecycle_state": "PUBLISHED", "variants": variants})
        })
        .collect();
    page("products", &all, offset, limit, fault)
}

fn quantity(n: Option<i64>) -> Value {
    n.map_or(json!({"type": "UNTRACKED"}), |n| json!({"type": "QUANTITY", "quantity": n}))
}

fn inventory(w: &FaireWorld, q: &[(String, String)]) -> Answer {
    let mut out = serde_json::Map::new();
    for (_, sku) in q.iter().filter(|(k, _)| k == "skus") {
        let Some(v) = w.variant(sku) else { continue };
        let committed = v.on_hand.map(|_| w.committed(sku));
        let available = v.on_hand.zip(committed).map(|(h, c)| h - c);
        out.insert(
            sku.clone(),
            json!({"sku": sku, "on_hand_quantity": quantity(v.on_hand),
            "committed_quantity": quantity(committed), "available_quantity": quantity(available)}),
        );
    }
    (StatusCode::OK, json!({"inventories": out}))
}

type Params = Query<Vec<(String, String)>>;

async fn get_orders(State(s): State<Arc<Shared>>, h: HeaderMap, Query(q): Params) -> Response {
    serve(&s, &h, |w, f| orders(w, &q, f)).await
}

async fn get_products(State(s): State<Arc<Shared>>, h: HeaderMap, Query(q): Params) -> Response {
    serve(&s, &h, |w, f| products(w, &q, f)).await
}

async fn get_inventory(State(s): State<Arc<Shared>>, h: HeaderMap, Query(q): Params) -> Response {
    serve(&s, &h, |w, _| inventory(w, &q)).await
}

/// Adds the Faire routes to the sandbox router.
pub(crate) fn routes(router: Router<Arc<Shared>>) -> Router<Arc<Shared>> {
    router
        .route(&format!("{PREFIX}/orders"), get(get_orders))
        .route(&format!("{PREFIX}/products"), get(get_products))
        .route(&format!("{PREFIX}/product-inventory/by-skus"), get(get_inventory))
}
