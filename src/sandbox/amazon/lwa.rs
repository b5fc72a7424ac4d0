//! The imitation Login with Amazon token endpoint: refresh-token grant only,
//! the sandbox's public demo secrets (`config::credentials::sandbox_credentials`).

use std::sync::Arc;

use axum::Form;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::json;

use super::super::Shared;
use super::LWA_API;
use crate::sandbox::faults::{TokenEndpointFaults, early_fault, late_fault, oauth_error};

/// Where the token endpoint listens (`https://api.amazon.com/auth/o2/token`).
pub const PATH: &str = "/auth/o2/token";
pub const CLIENT_ID: &str = "sandbox-client_id";
pub const CLIENT_SECRET: &str = "sandbox-client_secret";
pub const REFRESH_TOKEN: &str = "sandbox-refresh_token";

/// What LWA says of a refresh token it no longer accepts.
const LAPSED: &str = "The request has an invalid grant parameter : refresh_token";

fn field<'a>(form: &'a [(String, String)], name: &str) -> Option<&'a str> {
    form.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
}

/// `POST /auth/o2/token`.
pub(super) async fn token(State(shared): State<Arc<Shared>>, Form(form): Form<Vec<(String, String)>>) -> Response {
    let (n, fault) = shared.faults.next(LWA_API);
    let amazon = &shared.amazon;
    amazon.stat(|s| s.token_requests += 1);
    if let Some(r) = early_fault(fault, &shared.options, &TokenEndpointFaults { lapsed: LAPSED }).await {
        return r;
    }
    if field(&form, "grant_type") != Some("refresh_token") {
        return oauth_error(StatusCode::BAD_REQUEST, "unsupported_grant_type", "Only refresh_token is supported here.");
    }
    if field(&form, "client_id") != Some(CLIENT_ID) || field(&form, "client_secret") != Some(CLIENT_SECRET) {
        return oauth_error(StatusCode::UNAUTHORIZED, "invalid_client", "Client authentication failed");
    }
    if field(&form, "refresh_token") != Some(REFRESH_TOKEN) {
        return oauth_error(StatusCode::BAD_REQUEST, "invalid_grant", LAPSED);
    }
    let access = format!("Atza|IwEBI-sandbox-{n:04}-{:016x}", n.wrapping_mul(0x2545_f491_4f6c_dd1d));
    amazon.issue(access.clone());
    let body = json!({
        "access_token": access,
        "token_type": "bearer",
        "expires_in": amazon.options.token_lifetime.as_secs(),
        "refresh_token": REFRESH_TOKEN,
    });
    let mut response = late_fault(fault, StatusCode::OK, body.to_string());
    response.headers_mut().insert(header::CACHE_CONTROL, header::HeaderValue::from_static("no-store"));
    response.into_response()
}
