//! The imitation Shopify Admin GraphQL endpoint: token check, cost-based
//! leaky bucket (reserve requested, refund requested − actual), the
//! executor over the world, and the injected faults.

mod conn;
mod resolvers;

use std::sync::Arc;
use std::time::Instant;

use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Map, Value, json};

pub use conn::{decode_cursor, encode_cursor};

use super::Shared;
use super::faults::{FaultAnswers, FaultKind, early_fault, json_response, with_retry_after};
use super::graphql::{self, GraphQlError};
use crate::channels::limit::{ReserveError, ThrottleStatus};
use conn::Flavour;

/// The only API version served, as the real connector pins it.
pub const API_VERSION: &str = "2025-10";
/// The route the sandbox serves.
pub const PATH: &str = "/admin/api/2025-10/graphql.json";
/// The token the sandbox accepts (`config::credentials::sandbox_credentials`).
pub const ACCESS_TOKEN: &str = "sandbox-access_token";
/// Shopify's single-query cap.
pub const MAX_QUERY_COST: u64 = 1000;
const INVALID_TOKEN: &str = "[API] Invalid API key or access token (unrecognized login or wrong password)";

fn status_json(s: ThrottleStatus) -> Value {
    json!({"maximumAvailable": s.maximum_available, "currentlyAvailable": s.currently_available.floor(),
           "restoreRate": s.restore_rate})
}

fn throttled(shared: &Shared, requested: u64) -> Response {
    let status = shared.bucket_status();
    let body = json!({
        "errors": [{"message": "Throttled", "extensions": {"code": "THROTTLED",
            "documentation": "https://shopify.dev/api/usage/rate-limits"}}],
        "extensions": {"cost": {"requestedQueryCost": requested, "actualQueryCost": Value::Null,
            "throttleStatus": status_json(status)}}
    });
    let code = StatusCode::from_u16(shared.options.throttled_status).unwrap_or(StatusCode::OK);
    json_response(code, &body)
}

/// Shopify's answers to injected faults; throttling is GraphQL's own
/// `THROTTLED` error, which needs the cost bucket.
struct ShopifyFaults<'a>(&'a Shared);

impl FaultAnswers for ShopifyFaults<'_> {
    fn too_many(&self, retry_after: Option<&str>) -> Response {
        let body = json!({"errors": "Exceeded 2 calls per second for api client. Reduce request rates to resume uninterrupted service."});
        with_retry_after(json_response(StatusCode::TOO_MANY_REQUESTS, &body), retry_after)
    }

    fn failure(&self, status: StatusCode) -> Response {
        json_response(status, &json!({"errors": status.canonical_reason().unwrap_or("Error")}))
    }

    fn expired_token(&self) -> Response {
        json_response(StatusCode::UNAUTHORIZED, &json!({"errors": INVALID_TOKEN}))
    }

    fn throttled(&self, _: &str) -> Response {
        throttled(self.0, 0)
    }
}

/// Faults that damage an otherwise good answer.
fn late_fault(fault: Option<FaultKind>, body: String) -> Response {
    let cut = |s: &str| s[..s.len() / 2].to_owned();
    match fault {
        Some(FaultKind::Malformed) => {
            (StatusCode::OK, [(header::CONTENT_TYPE, "application/json")], "<html>502 Bad Gateway</html>{\"data\":")
                .into_response()
        }
        Some(FaultKind::Truncated) => {
            (StatusCode::OK, [(header::CONTENT_TYPE, "application/json")], cut(&body)).into_response()
        }
        Some(FaultKind::Reset) => {
            let first: Result<Bytes, std::io::Error> = Ok(Bytes::from(cut(&body)));
            let broken = Err(std::io::Error::new(std::io::ErrorKind::ConnectionReset, "sandbox: injected reset"));
            let stream = futures::stream::iter([first, broken]);
            (StatusCode::OK, [(header::CONTENT_TYPE, "application/json")], Body::from_stream(stream)).into_response()
        }
        _ => (StatusCode::OK, [(header::CONTENT_TYPE, "application/json")], body).into_response(),
    }
}

/// `POST /admin/api/2025-10/graphql.json`.
pub(super) async fn graphql(State(shared): State<Arc<Shared>>, headers: HeaderMap, body: Bytes) -> Response {
    let (_, fault) = shared.faults.next("shopify");
    if let Some(r) = early_fault(fault, &shared.options, &ShopifyFaults(&shared)).await {
        return r;
    }
    let token = headers.get("x-shopify-access-token").and_then(|v| v.to_str().ok());
    if token != Some(ACCESS_TOKEN) {
        return json_response(StatusCode::UNAUTHORIZED, &json!({"errors": INVALID_TOKEN}));
    }
    let Ok(Value::Object(request)) = serde_json::from_slice::<Value>(&body) else {
        return json_response(StatusCode::BAD_REQUEST, &json!({"errors": "Invalid JSON in request body"}));
    };
    let flavour = Flavour {
        empty_page: fault == Some(FaultKind::EmptyPage),
        hostile_titles: fault == Some(FaultKind::ControlChars),
    };
    match run(&shared, &request, flavour) {
        Ok(value) => late_fault(fault, value.to_string()),
        Err(response) => *response,
    }
}

fn request_error(shared: &Shared, message: &str, code: &str, requested: u64) -> Response {
    let mut v = graphql::Response::request_errors(vec![GraphQlError::request(message, None).with_code(code)]).to_json();
    v["extensions"]["cost"]["requestedQueryCost"] = requested.into();
    v["extensions"]["cost"]["throttleStatus"] = status_json(shared.bucket_status());
    json_response(StatusCode::OK, &v)
}

/// Parses, prices, reserves, executes and settles one query.
fn run(shared: &Shared, request: &Map<String, Value>, flavour: Flavour) -> Result<Value, Box<Response>> {
    let query = request.get("query").and_then(Value::as_str).unwrap_or_default();
    let op_name = request.get("operationName").and_then(Value::as_str);
    let variables = match request.get("variables") {
        Some(Value::Object(m)) => m.clone(),
        _ => Map::new(),
    };
    let document = graphql::parse(query).map_err(|e| {
        let err: GraphQlError = e.into();
        Box::new(request_error(shared, &err.message, "parseError", 0))
    })?;
    let requested = graphql::requested_cost(&document, op_name, &variables);
    if requested > MAX_QUERY_COST {
        let msg =
            format!("Query cost is {requested}, which exceeds the single query max cost limit ({MAX_QUERY_COST}).");
        return Err(Box::new(request_error(shared, &msg, "MAX_COST_EXCEEDED", requested)));
    }
    #[allow(clippy::cast_precision_loss, reason = "costs are at most 1000")]
    let requested_f = requested as f64;
    // Bound first: the guard must be gone before an error path re-locks.
    let reserved = shared.lock_bucket().try_reserve(requested_f, Instant::now());
    let reservation = match reserved {
        Ok(r) => r,
        Err(ReserveError::MaxCostExceeded { .. } | ReserveError::InvalidCost(_)) => {
            return Err(Box::new(request_error(
                shared,
                "Query cost exceeds the bucket size.",
                "MAX_COST_EXCEEDED",
                requested,
            )));
        }
        Err(ReserveError::Throttled { .. }) => return Err(Box::new(throttled(shared, requested))),
    };
    let root = resolvers::Root { world: &shared.world, flavour };
    let response = graphql::execute(&document, op_name, &variables, &root);
    #[allow(clippy::cast_precision_loss, reason = "costs are at most 1000")]
    let actual = if response.data.is_some() { response.actual_cost as f64 } else { 0.0 };
    let mut bucket = shared.lock_bucket();
    bucket.settle(reservation, actual);
    let status = bucket.status(Instant::now());
    drop(bucket);
    let mut value = response.to_json();
    value["extensions"]["cost"]["throttleStatus"] = status_json(status);
    Ok(value)
}
