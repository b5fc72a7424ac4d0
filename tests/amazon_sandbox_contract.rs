//! The SP-API sandbox's own contract, checked with a bare HTTP client: LWA
//! answers, the access-token check, rate-limit headers and the 429 body,
//! and money as strings in Orders but numbers in Fees and Pricing.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "test helpers fail loudly")]

use std::path::PathBuf;

use omnideck::config::Config;
use omnideck::sandbox::amazon::AmazonOptions;
use omnideck::sandbox::{Faults, Sandbox, SandboxHandle, SandboxOptions, World};
use serde_json::{Value, json};

const INVENTORY: &str = "/fba/inventory/v1/summaries?details=true&granularityType=Marketplace&granularityId=ATVPDKIKX0DER&marketplaceIds=ATVPDKIKX0DER";

async fn start(amazon: AmazonOptions) -> SandboxHandle {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures/demo/omnideck.toml");
    let config = Config::load(&path).unwrap();
    let options = SandboxOptions { amazon, ..SandboxOptions::default() };
    Sandbox::start_with(World::demo(&config.rules.catalog), Faults::none(), options).await.unwrap()
}

fn form(refresh_token: &str) -> String {
    let mut url = reqwest::Url::parse("http://form.invalid/").unwrap();
    url.query_pairs_mut()
        .append_pair("grant_type", "refresh_token")
        .append_pair("refresh_token", refresh_token)
        .append_pair("client_id", "sandbox-client_id")
        .append_pair("client_secret", "sandbox-client_secret");
    url.query().unwrap().to_owned()
}

async fn token_reply(handle: &SandboxHandle, refresh_token: &str) -> reqwest::Response {
    reqwest::Client::new()
        .post(format!("{}/auth/o2/token", handle.base_url()))
        .header("content-type", "application/x-www-form-urlencoded;charset=UTF-8")
        .body(form(refresh_token))
        .send()
        .await
        .unwrap()
}

async fn access_token(handle: &SandboxHandle) -> String {
    let body: Value = token_reply(handle, "sandbox-refresh_token").await.json().await.unwrap();
    body["access_token"].as_str().unwrap().to_owned()
}

async fn get(handle: &SandboxHandle, token: Option<&str>, path: &str) -> (u16, Option<String>, Value) {
    let mut request = reqwest::Client::new().get(format!("{}{path}", handle.base_url()));
    if let Some(token) = token {
        request = request.header("x-amz-access-token", token);
    }
    let reply = request.send().await.unwrap();
    let limit = reply.headers().get("x-amzn-ratelimit-limit").map(|v| v.to_str().unwrap().to_owned());
    (reply.status().as_u16(), limit, reply.json().await.unwrap())
}

#[tokio::test]
async fn lwa_issues_bearer_tokens_and_refuses_bad_grants() {
    let handle = start(AmazonOptions::default()).await;
    let reply = token_reply(&handle, "sandbox-refresh_token").await;
    assert_eq!(reply.status(), 200);
    assert_eq!(reply.headers()["cache-control"], "no-store");
    let body: Value = reply.json().await.unwrap();
    assert!(body["access_token"].as_str().unwrap().starts_with("Atza|"));
    assert_eq!((body["token_type"].clone(), body["expires_in"].clone()), (json!("bearer"), json!(3600)));
    let refused = token_reply(&handle, "Atzr|nope").await;
    assert_eq!(refused.status(), 400);
    let body: Value = refused.json().await.unwrap();
    assert_eq!(body["error"], "invalid_grant");
    handle.shutdown().await;
}

#[tokio::test]
async fn calls_need_a_live_access_token() {
    let handle = start(AmazonOptions::default()).await;
    let (status, limit, body) = get(&handle, None, INVENTORY).await;
    assert_eq!((status, limit), (403, None));
    assert_eq!(
        body,
        json!({"errors": [{"code": "Unauthorized", "message": "Access to requested resource is denied.", "details": ""}]})
    );
    let (status, ..) = get(&handle, Some("Atza|forged"), INVENTORY).await;
    assert_eq!(status, 403);
    let token = access_token(&handle).await;
    let (status, limit, body) = get(&handle, Some(&token), INVENTORY).await;
    assert_eq!((status, limit.as_deref()), (200, Some("2.0")));
    assert_eq!(body["payload"]["inventorySummaries"][0]["inventoryDetails"]["fulfillableQuantity"], 66);
    handle.shutdown().await;
}

#[tokio::test]
async fn rate_limit_header_on_200_400_404_and_never_on_429() {
    let handle = start(AmazonOptions::default()).await;
    let token = access_token(&handle).await;
    let offers = "/products/pricing/v0/items/B00T9QONN6/offers?MarketplaceId=ATVPDKIKX0DER&ItemCondition=New";
    let (status, limit, body) = get(&handle, Some(&token), offers).await;
    assert_eq!((status, limit.as_deref()), (200, Some("0.5")));
    let amount = &body["payload"]["Offers"][1]["ListingPrice"]["Amount"];
    assert!(amount.is_number(), "Pricing money is a number: {amount}");
    // getItemOffers: rate 0.5, burst 1, so an immediate second call is throttled.
    let (status, limit, body) = get(&handle, Some(&token), offers).await;
    assert_eq!((status, limit), (429, None));
    assert_eq!(body["errors"][0]["code"], "QuotaExceeded");
    assert_eq!(handle.amazon_stats().throttled, 1);

    let (status, limit, _) = get(&handle, Some(&token), "/orders/v0/orders?MarketplaceIds=ATVPDKIKX0DER").await;
    assert_eq!((status, limit.as_deref()), (400, Some("0.0167")), "CreatedAfter or LastUpdatedAfter is required");
    let missing = "/listings/2021-08-01/items/A1EXAMPLESELLER/NOPE?marketplaceIds=ATVPDKIKX0DER";
    let (status, limit, _) = get(&handle, Some(&token), missing).await;
    assert_eq!((status, limit.as_deref()), (404, Some("5.0")));
    handle.shutdown().await;
}

#[tokio::test]
async fn orders_send_money_as_strings_and_pending_orders_without_prices() {
    let handle = start(AmazonOptions::default()).await;
    let token = access_token(&handle).await;
    let (_, _, body) =
        get(&handle, Some(&token), "/orders/v0/orders?MarketplaceIds=ATVPDKIKX0DER&CreatedAfter=2025-05-01T00:00:00Z")
            .await;
    let orders = body["payload"]["Orders"].as_array().unwrap();
    let shipped = orders.iter().find(|o| o["OrderStatus"] == "Shipped").unwrap();
    assert!(shipped["OrderTotal"]["Amount"].is_string());
    let pending = orders.iter().find(|o| o["OrderStatus"] == "Pending").unwrap();
    assert!(pending.get("OrderTotal").is_none());
    let path = format!("/orders/v0/orders/{}/orderItems", pending["AmazonOrderId"].as_str().unwrap());
    let (status, _, items) = get(&handle, Some(&token), &path).await;
    assert_eq!(status, 200);
    let item = &items["payload"]["OrderItems"][0];
    assert_eq!(item["QuantityOrdered"], 2);
    assert!(item.get("ItemPrice").is_none());
    handle.shutdown().await;
}

async fn post(handle: &SandboxHandle, token: &str, path: &str, body: &Value) -> (u16, Option<String>, Value) {
    let reply = reqwest::Client::new()
        .post(format!("{}{path}", handle.base_url()))
        .header("x-amz-access-token", token)
        .json(body)
        .send()
        .await
        .unwrap();
    let limit = reply.headers().get("x-amzn-ratelimit-limit").map(|v| v.to_str().unwrap().to_owned());
    (reply.status().as_u16(), limit, reply.json().await.unwrap())
}

#[tokio::test]
async fn batch_operations_answer_per_item_in_the_models_shapes() {
    let handle = start(AmazonOptions::default()).await;
    let token = access_token(&handle).await;
    let search = "/listings/2021-08-01/items/A1EXAMPLESELLER?marketplaceIds=ATVPDKIKX0DER&identifiersType=SKU&identifiers=SOCK-MER-M-BLK,NOPE,KIT-SOCK-3PK&pageSize=20&includedData=summaries,offers";
    let (status, limit, body) = get(&handle, Some(&token), search).await;
    assert_eq!((status, limit.as_deref()), (200, Some("5.0")));
    assert_eq!(body["numberOfResults"], 2, "an unlisted SKU is simply absent");
    let skus: Vec<&str> = body["items"].as_array().unwrap().iter().map(|i| i["sku"].as_str().unwrap()).collect();
    assert_eq!(skus, ["SOCK-MER-M-BLK", "KIT-SOCK-3PK"]);
    assert!(body["items"][0]["offers"][0]["price"]["amount"].is_string(), "Listings money is a decimal string");
    let (status, ..) = get(&handle, Some(&token), &search.replace("pageSize=20", "pageSize=21")).await;
    assert_eq!(status, 400, "pageSize is at most 20");

    let request = |sku: &str| {
        json!({"IdType": "SellerSKU", "IdValue": sku, "FeesEstimateRequest": {"MarketplaceId": "ATVPDKIKX0DER",
            "IsAmazonFulfilled": true, "Identifier": format!("id-{sku}"),
            "PriceToEstimateFees": {"ListingPrice": {"CurrencyCode": "USD", "Amount": 24.0}}}})
    };
    let fees = json!([request("SOCK-MER-M-BLK"), request("NOPE")]);
    let (status, limit, body) = post(&handle, &token, "/products/fees/v0/feesEstimate", &fees).await;
    assert_eq!((status, limit.as_deref()), (200, Some("0.5")));
    assert_eq!(body[0]["Status"], "Success");
    assert!(body[0]["FeesEstimate"]["TotalFeesEstimate"]["Amount"].is_number());
    assert_eq!(
        (body[1]["Status"].clone(), body[1]["FeesEstimateIdentifier"]["IdValue"].clone()),
        (json!("ClientError"), json!("NOPE"))
    );

    let item = |asin: &str| {
        json!({"uri": format!("/products/pricing/v0/items/{asin}/offers"), "method": "GET",
            "MarketplaceId": "ATVPDKIKX0DER", "ItemCondition": "New"})
    };
    let offers = json!({"requests": [item("B00T9QONN6"), item("B0NOPE0000")]});
    let path = "/batches/products/pricing/v0/itemOffers";
    let (status, limit, body) = post(&handle, &token, path, &offers).await;
    assert_eq!((status, limit.as_deref()), (200, Some("0.1")));
    let first = &body["responses"][0];
    assert_eq!(
        (first["status"]["statusCode"].clone(), first["request"]["Asin"].clone()),
        (json!(200), json!("B00T9QONN6"))
    );
    assert_eq!(first["body"]["payload"]["Offers"].as_array().unwrap().len(), 2);
    assert_eq!(body["responses"][1]["status"]["statusCode"], 404);
    // Rate 0.1, burst 1: an immediate second batch is throttled.
    let (status, ..) = post(&handle, &token, path, &offers).await;
    assert_eq!(status, 429);
    handle.shutdown().await;
}
