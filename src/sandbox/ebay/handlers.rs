//! Payloads of the imitated eBay operations, shaped after the Sell
//! Inventory API's `InventoryItems` and `Offers` types and the OAuth
//! token response. Money is `{value, currency}` with the value a string.

use std::sync::Arc;

use axum::Form;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use super::super::Shared;
use super::super::faults::FaultKind;
use super::world::{EbayItem, MARKETPLACE_ID};
use super::{EbayState, INVENTORY_PATH, OAUTH_API, errors};
use crate::sandbox::faults::{TokenEndpointFaults, early_fault, oauth_error};

type Answer = (StatusCode, Value);
const HOSTILE: &str = "\u{1b}]0;pwned\u{7}\u{1b}[2J\u{9b}31m";
/// The sandbox's public demo secrets (`config::credentials::sandbox_credentials`).
pub const CLIENT_ID: &str = "sandbox-client_id";
pub const CLIENT_SECRET: &str = "sandbox-client_secret";
pub const REFRESH_TOKEN: &str = "sandbox-refresh_token";

fn param<'a>(q: &'a [(String, String)], name: &str) -> Option<&'a str> {
    q.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
}

fn invalid(id: u32, message: &str) -> Answer {
    (StatusCode::BAD_REQUEST, errors(id, "API_INVENTORY", message))
}

/// Standard base64, enough to check a `Basic` header without a crate.
fn base64(bytes: &[u8]) -> String {
    const ABC: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let b = [chunk[0], chunk.get(1).copied().unwrap_or(0), chunk.get(2).copied().unwrap_or(0)];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(ABC[(n >> (18 - 6 * i)) as usize & 63]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// What eBay says of a refresh token it no longer accepts.
const LAPSED: &str = "the provided authorization refresh token is invalid or was issued to another client";

/// `POST /identity/v1/oauth2/token`: the refresh-token grant only, with the
/// client's id and secret in a `Basic` header as eBay requires.
pub(super) async fn token(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    Form(form): Form<Vec<(String, String)>>,
) -> Response {
    let (n, fault) = shared.faults.next(OAUTH_API);
    let ebay = &shared.ebay;
    ebay.stat(|s| s.token_requests += 1);
    if let Some(r) = early_fault(fault, &shared.options, &TokenEndpointFaults { lapsed: LAPSED }).await {
        return r;
    }
    let basic = format!("Basic {}", base64(format!("{CLIENT_ID}:{CLIENT_SECRET}").as_bytes()));
    if headers.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok()) != Some(basic.as_str()) {
        return oauth_error(StatusCode::UNAUTHORIZED, "invalid_client", "client authentication failed");
    }
    if param(&form, "grant_type") != Some("refresh_token") {
        return oauth_error(
            StatusCode::BAD_REQUEST,
            "unsupported_grant_type",
            "grant type in request is not supported by the authorization server",
        );
    }
    if param(&form, "refresh_token") != Some(REFRESH_TOKEN) {
        return oauth_error(StatusCode::BAD_REQUEST, "invalid_grant", LAPSED);
    }
    let access = format!(
        "v^1.1#i^1#r^0#p^3#I^3#f^0#t^H4sIAAAAAAAAA-sandbox-{n:04}-{:016x}",
        n.wrapping_mul(0x2545_f491_4f6c_dd1d)
    );
    ebay.issue(access.clone());
    let body = json!({
        "access_token": access,
        "expires_in": ebay.options.token_lifetime.as_secs(),
        "token_type": "User Access Token",
    });
    let mut response = super::late_fault(fault, StatusCode::OK, body.to_string());
    response.headers_mut().insert(header::CACHE_CONTROL, header::HeaderValue::from_static("no-store"));
    response.into_response()
}

fn page_url(host: &str, limit: u64, offset: u64) -> String {
    format!("http://{host}{INVENTORY_PATH}?limit={limit}&offset={offset}")
}

/// `GET /sell/inventory/v1/inventory_item?limit=&offset=`: `offset` is the
/// page number (0 = first page), not an item offset.
pub(super) fn inventory(e: &EbayState, host: &str, q: &[(String, String)], fault: Option<FaultKind>) -> Answer {
    let Ok(limit @ 1..=200) = param(q, "limit").map_or(Ok(25), str::parse::<u64>) else {
        return invalid(25709, "Invalid value for limit. The value must be between 1 and 200.");
    };
    let Ok(offset) = param(q, "offset").map_or(Ok(0), str::parse::<u64>) else {
        return invalid(25710, "Invalid value for offset. The value must be 0 or a positive integer.");
    };
    e.stat(|s| s.inventory_offsets.push(offset));
    let total = e.world.items.len() as u64;
    let pages = total.div_ceil(limit);
    let skip = usize::try_from(offset.saturating_mul(limit)).unwrap_or(usize::MAX);
    let take = if fault == Some(FaultKind::EmptyPage) { 0 } else { usize::try_from(limit).unwrap_or(usize::MAX) };
    let items: Vec<Value> = e.world.items.iter().skip(skip).take(take).map(|i| inventory_item(i, fault)).collect();
    let mut body = json!({"href": page_url(host, limit, offset), "limit": limit, "size": pages, "total": total,
        "inventoryItems": items});
    if offset + 1 < pages {
        body["next"] = json!(page_url(host, limit, offset + 1));
    }
    if offset > 0 {
        body["prev"] = json!(page_url(host, limit, offset - 1));
    }
    (StatusCode::OK, body)
}

fn inventory_item(i: &EbayItem, fault: Option<FaultKind>) -> Value {
    let mut title = i.title.clone();
    if fault == Some(FaultKind::ControlChars) {
        title.push_str(HOSTILE);
    }
    let mut v = json!({"sku": i.sku, "locale": "en_US",
        "condition": if fault == Some(FaultKind::UnknownEnum) { "NEW_IN_HOLOGRAM" } else { "NEW" },
        "product": {"title": title, "aspects": {"Brand": ["Northwool"]}},
        "availability": {"shipToLocationAvailability": {"quantity": i.quantity,
            "allocationByFormat": {"auction": 0, "fixedPrice": i.quantity},
            "availabilityDistributions": [{"merchantLocationKey": "main-wh", "quantity": i.quantity,
                "fulfillmentTime": {"unit": "BUSINESS_DAY", "value": 2}}]}}});
    if fault == Some(FaultKind::MissingOptional)
        && let Some(m) = v.as_object_mut()
    {
        m.remove("product");
        m.remove("condition");
    }
    v
}

/// `GET /sell/inventory/v1/offer?sku=`: every offer of one SKU.
pub(super) fn offers(e: &EbayState, q: &[(String, String)], fault: Option<FaultKind>) -> Answer {
    let Some(sku) = param(q, "sku").filter(|s| !s.is_empty() && s.len() <= 50) else {
        return invalid(
            25707,
            "This is an invalid value for a SKU. Only alphanumeric characters can be used for SKUs, and their length must not exceed 50 characters",
        );
    };
    let Some(item) = e.world.item(sku) else {
        return (StatusCode::NOT_FOUND, errors(25713, "API_INVENTORY", "This Offer is not available."));
    };
    let mut offer = json!({"offerId": item.offer_id, "sku": item.sku, "marketplaceId": MARKETPLACE_ID,
        "format": if fault == Some(FaultKind::UnknownEnum) { "SEALED_BID" } else { "FIXED_PRICE" },
        "availableQuantity": item.quantity, "categoryId": "11507", "merchantLocationKey": "main-wh",
        "pricingSummary": {"price": {"value": format!("{:.2}", item.price), "currency": e.world.currency}},
        "status": if item.listing_id.is_some() { "PUBLISHED" } else { "UNPUBLISHED" }});
    if let Some(id) = &item.listing_id {
        offer["listing"] = json!({"listingId": id, "listingStatus": "ACTIVE", "soldQuantity": 0});
    }
    (StatusCode::OK, json!({"href": "", "limit": 100, "size": 1, "total": 1, "offers": [offer]}))
}
