//! Payloads of the imitated operations, shaped after Amazon's published
//! models (fbaInventory, listingsItems_2021-08-01, ordersV0, productFeesV0,
//! productPricingV0). Money is a decimal string in Orders and a JSON number
//! in Fees and Pricing, as in the real API.

use axum::http::StatusCode;
use jiff::{SignedDuration, Timestamp};
use rust_decimal::Decimal;
use serde_json::{Map, Value, json};

use super::pages::PageTokenError;
use super::world::{AmazonListing, AmazonOrder, FbaQuantities, Fulfilled, MARKETPLACE_ID, SELLER_ID};
use super::{AmazonState, Flavour, errors};
use crate::sandbox::world::ANCHOR;

type Answer = (StatusCode, Value);
const HOSTILE: &str = "\u{1b}]0;pwned\u{7}\u{1b}[2J\u{9b}31m";

fn param<'a>(q: &'a [(String, String)], name: &str) -> Option<&'a str> {
    q.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
}

fn invalid(message: &str) -> Answer {
    (StatusCode::BAD_REQUEST, errors("InvalidInput", message))
}

fn not_found(message: &str) -> Answer {
    (StatusCode::NOT_FOUND, errors("NotFound", message))
}

/// A decimal as a JSON number, the way Fees and Pricing send money.
fn number(d: Decimal) -> Value {
    serde_json::from_str(&d.normalize().to_string()).unwrap_or(Value::Null)
}

fn money_num(currency: &str, d: Decimal) -> Value {
    json!({"CurrencyCode": currency, "Amount": number(d)})
}

fn money_str(currency: &str, d: Decimal) -> Value {
    json!({"CurrencyCode": currency, "Amount": format!("{:.2}", d.round_dp(2))})
}

fn ts(t: Timestamp) -> String {
    t.strftime("%Y-%m-%dT%H:%M:%SZ").to_string()
}

fn page_offset(a: &AmazonState, kind: &str, token: Option<&str>) -> Result<usize, Answer> {
    match token.map(|t| a.pages.resolve(kind, t)) {
        None => Ok(0),
        Some(Ok(offset)) => Ok(offset),
        Some(Err(PageTokenError::Expired)) => Err(invalid("The nextToken has expired. Request the first page again.")),
        Some(Err(PageTokenError::Unknown)) => Err(invalid("Invalid nextToken.")),
    }
}

/// `GET /fba/inventory/v1/summaries`.
pub(super) fn inventory(a: &AmazonState, q: &[(String, String)], f: Flavour) -> Answer {
    let world = a.world();
    if param(q, "granularityType") != Some("Marketplace")
        || param(q, "granularityId") != Some(MARKETPLACE_ID)
        || param(q, "marketplaceIds") != Some(MARKETPLACE_ID)
    {
        return invalid("granularityType=Marketplace, granularityId and marketplaceIds are required.");
    }
    let offset = match page_offset(a, "inv", param(q, "nextToken")) {
        Ok(o) => o,
        Err(answer) => return answer,
    };
    // api-notes §2.3: with startDateTime, only summaries changed since
    // then, and sellerSkus is ignored.
    let changed_since = match param(q, "startDateTime").map(str::parse::<Timestamp>) {
        None => None,
        Some(Ok(t)) if t >= ANCHOR - SignedDuration::from_hours(24 * 548) => Some(t),
        Some(Ok(_)) => return invalid("startDateTime must be no older than 18 months."),
        Some(Err(_)) => return invalid("startDateTime must be an ISO 8601 date-time."),
    };
    let wanted: Option<Vec<&str>> =
        param(q, "sellerSkus").filter(|_| changed_since.is_none()).map(|s| s.split(',').collect());
    let all: Vec<&AmazonListing> = world
        .listings
        .iter()
        .filter(|l| l.stock.is_some() && changed_since.is_none_or(|t| l.last_updated >= t))
        .filter(|l| wanted.as_ref().is_none_or(|w| w.contains(&l.seller_sku.as_str())))
        .collect();
    let details = param(q, "details") == Some("true");
    let size = if f.empty_page() { 0 } else { a.options.page_size.max(1) };
    let page: Vec<Value> = all.iter().skip(offset).take(size).map(|l| summary(l, details, f)).collect();
    let next = offset + size;
    let mut body = json!({"payload": {
        "granularity": {"granularityType": "Marketplace", "granularityId": MARKETPLACE_ID},
        "inventorySummaries": page}});
    if next < all.len() {
        body["pagination"] = json!({"nextToken": a.pages.issue("inv", next)});
    }
    (StatusCode::OK, body)
}

fn summary(l: &AmazonListing, details: bool, f: Flavour) -> Value {
    let q = l.stock.clone().unwrap_or_default();
    let total = q.fulfillable + q.inbound_working;
    let mut name = l.item_name.clone();
    if f.control_chars() {
        name.push_str(HOSTILE);
    }
    let mut s = json!({"asin": l.asin, "fnSku": l.fnsku, "sellerSku": l.seller_sku,
        "condition": if f.unknown_enums() { "NewItemRefurbishedV2" } else { "NewItem" },
        "lastUpdatedTime": ts(l.last_updated), "productName": name, "totalQuantity": total, "stores": []});
    if details {
        s["inventoryDetails"] = inventory_details(&q, f.missing_optional());
    }
    if f.missing_optional()
        && let Some(m) = s.as_object_mut()
    {
        for key in ["fnSku", "productName", "lastUpdatedTime", "condition", "stores"] {
            m.remove(key);
        }
    }
    s
}

fn inventory_details(q: &FbaQuantities, sparse: bool) -> Value {
    let reserved = q.pending_customer_order + q.pending_transshipment + q.fc_processing;
    let researching: u32 = q.researching.iter().sum();
    let unfulfillable: u32 = q.unfulfillable.iter().sum();
    let mut d = json!({"fulfillableQuantity": q.fulfillable, "inboundWorkingQuantity": q.inbound_working,
        "inboundShippedQuantity": q.inbound_shipped, "inboundReceivingQuantity": q.inbound_receiving,
        "reservedQuantity": {"totalReservedQuantity": reserved,
            "pendingCustomerOrderQuantity": q.pending_customer_order,
            "pendingTransshipmentQuantity": q.pending_transshipment, "fcProcessingQuantity": q.fc_processing},
        "researchingQuantity": {"totalResearchingQuantity": researching, "researchingQuantityBreakdown": [
            {"name": "researchingQuantityInShortTerm", "quantity": q.researching[0]},
            {"name": "researchingQuantityInMidTerm", "quantity": q.researching[1]},
            {"name": "researchingQuantityInLongTerm", "quantity": q.researching[2]}]},
        "unfulfillableQuantity": {"totalUnfulfillableQuantity": unfulfillable,
            "customerDamagedQuantity": q.unfulfillable[0], "warehouseDamagedQuantity": q.unfulfillable[1],
            "distributorDamagedQuantity": q.unfulfillable[2], "carrierDamagedQuantity": q.unfulfillable[3],
            "defectiveQuantity": q.unfulfillable[4], "expiredQuantity": q.unfulfillable[5]}});
    if sparse && let Some(m) = d.as_object_mut() {
        for key in ["researchingQuantity", "unfulfillableQuantity", "inboundShippedQuantity"] {
            m.remove(key);
        }
    }
    d
}

/// `GET /listings/2021-08-01/items/{sellerId}/{sku}`.
pub(super) fn listing(a: &AmazonState, seller: &str, sku: &str, q: &[(String, String)], f: Flavour) -> Answer {
    let world = a.world();
    if seller != SELLER_ID || param(q, "marketplaceIds") != Some(MARKETPLACE_ID) {
        return invalid("sellerId and marketplaceIds must name this seller and marketplace.");
    }
    let Some(l) = world.listing(sku) else {
        return not_found(&format!("SKU '{sku}' not found in marketplace {MARKETPLACE_ID}"));
    };
    (StatusCode::OK, item(a, l, param(q, "includedData").unwrap_or("summaries"), f))
}

/// Most items a search pages through, as the Listings Items model says.
const SEARCH_CAP: usize = 1000;

/// `GET /listings/2021-08-01/items/{sellerId}` (searchListingsItems), with
/// `identifiers`/`identifiersType=SKU` or over the whole account.
pub(super) fn search_listings(a: &AmazonState, seller: &str, q: &[(String, String)], f: Flavour) -> Answer {
    let world = a.world();
    if seller != SELLER_ID || param(q, "marketplaceIds") != Some(MARKETPLACE_ID) {
        return invalid("sellerId and marketplaceIds must name this seller and marketplace.");
    }
    let Ok(size @ 1..=20) = param(q, "pageSize").map_or(Ok(10), str::parse::<usize>) else {
        return invalid("pageSize must be between 1 and 20.");
    };
    let wanted: Option<Vec<&str>> = match (param(q, "identifiers"), param(q, "identifiersType")) {
        (None, None) => None,
        (Some(ids), Some("SKU")) => Some(ids.split(',').collect()),
        (Some(_), Some(_)) => return invalid("This sandbox searches identifiersType=SKU only."),
        _ => return invalid("identifiers and identifiersType must be given together."),
    };
    if wanted.as_ref().is_some_and(|w| w.len() > 20) {
        return invalid("identifiers takes at most 20 values.");
    }
    let offset = match page_offset(a, "lst", param(q, "pageToken")) {
        Ok(o) => o,
        Err(answer) => return answer,
    };
    let all: Vec<&AmazonListing> =
        world.listings.iter().filter(|l| wanted.as_ref().is_none_or(|w| w.contains(&l.seller_sku.as_str()))).collect();
    let included = param(q, "includedData").unwrap_or("summaries");
    let size = if f.empty_page() { 0 } else { size };
    let items: Vec<Value> = all.iter().skip(offset).take(size).map(|l| item(a, l, included, f)).collect();
    let mut body = json!({"numberOfResults": all.len(), "items": items});
    let next = offset + size;
    if next < all.len().min(SEARCH_CAP) {
        body["pagination"] = json!({"nextToken": a.pages.issue("lst", next)});
    }
    (StatusCode::OK, body)
}

/// One listings item with the `includedData` parts asked for.
fn item(a: &AmazonState, l: &AmazonListing, included: &str, f: Flavour) -> Value {
    let world = a.world();
    let mut body = Map::new();
    body.insert("sku".into(), json!(l.seller_sku));
    let mut name = l.item_name.clone();
    if f.control_chars() {
        name.push_str(HOSTILE);
    }
    for part in included.split(',') {
        let value = match part {
            "summaries" if f.missing_optional() => json!([{"marketplaceId": MARKETPLACE_ID, "asin": l.asin}]),
            "summaries" => json!([{"marketplaceId": MARKETPLACE_ID, "asin": l.asin, "productType": "APPAREL",
                "conditionType": "new_new", "status": ["BUYABLE", "DISCOVERABLE"], "itemName": name,
                "createdDate": "2024-02-01T00:00:00Z", "lastUpdatedDate": ts(l.last_updated)}]),
            "offers" => json!([{"marketplaceId": MARKETPLACE_ID, "offerType": "B2C",
                "price": {"currencyCode": world.currency, "amount": format!("{:.2}", l.price)},
                "audience": {"value": "ALL", "displayName": "Sell on Amazon"}}]),
            "fulfillmentAvailability" => match l.fulfilled {
                _ if f.unknown_enums() => json!([{"fulfillmentChannelCode": "AMAZON_MOON_1", "quantity": 1}]),
                Fulfilled::Fba => json!([{"fulfillmentChannelCode": "AMAZON_NA"}]),
                Fulfilled::Merchant(qty) => json!([{"fulfillmentChannelCode": "DEFAULT", "quantity": qty}]),
            },
            "issues" => json!([]),
            _ => continue,
        };
        body.insert(part.to_owned(), value);
    }
    Value::Object(body)
}

/// `GET /orders/v0/orders`.
pub(super) fn orders(a: &AmazonState, q: &[(String, String)], f: Flavour) -> Answer {
    let world = a.world();
    if param(q, "MarketplaceIds") != Some(MARKETPLACE_ID) {
        return invalid("MarketplaceIds is required.");
    }
    let parse = |name| param(q, name).map(str::parse::<Timestamp>);
    let filter: Box<dyn Fn(&AmazonOrder) -> bool> = match (parse("CreatedAfter"), parse("LastUpdatedAfter")) {
        (Some(Ok(t)), None) => Box::new(move |o| o.purchase_date >= t),
        (None, Some(Ok(t))) => Box::new(move |o| o.last_update >= t),
        (Some(_), Some(_)) => return invalid("Specify CreatedAfter or LastUpdatedAfter, not both."),
        (None, None) => return invalid("Either CreatedAfter or LastUpdatedAfter must be specified."),
        _ => return invalid("CreatedAfter/LastUpdatedAfter must be ISO 8601 date-times."),
    };
    let size = param(q, "MaxResultsPerPage").map_or(Ok(100), str::parse::<usize>);
    let Ok(size @ 1..=100) = size else { return invalid("MaxResultsPerPage must be between 1 and 100.") };
    let offset = match page_offset(a, "ord", param(q, "NextToken")) {
        Ok(o) => o,
        Err(answer) => return answer,
    };
    let all: Vec<&AmazonOrder> = world.orders.iter().filter(|o| filter(o)).collect();
    let size = if f.empty_page() { 0 } else { size };
    let page: Vec<Value> = all.iter().enumerate().skip(offset).take(size).map(|(i, o)| order(a, o, i, f)).collect();
    let mut payload = json!({"Orders": page, "CreatedBefore": ts(ANCHOR - jiff::SignedDuration::from_mins(2))});
    if offset + size < all.len() {
        payload["NextToken"] = json!(a.pages.issue("ord", offset + size));
    }
    (StatusCode::OK, json!({"payload": payload}))
}

fn order(a: &AmazonState, o: &AmazonOrder, index: usize, f: Flavour) -> Value {
    let world = a.world();
    let cur = &world.currency;
    let units: u32 = o.items.iter().map(|item| item.quantity).sum();
    let shipped: u32 = o.items.iter().map(|item| item.shipped).sum();
    let total: Decimal = o.items.iter().map(|item| item.item_price - item.promotion_discount).sum();
    let (status, channel) = match index % 2 {
        _ if !f.unknown_enums() => (o.status, o.channel),
        0 => ("AwaitingTeleport", o.channel),
        _ => (o.status, "XFN"),
    };
    let mut v = json!({"AmazonOrderId": o.id, "PurchaseDate": ts(o.purchase_date),
        "LastUpdateDate": ts(o.last_update), "OrderStatus": status, "FulfillmentChannel": channel,
        "SalesChannel": "Amazon.com", "NumberOfItemsShipped": shipped, "NumberOfItemsUnshipped": units - shipped,
        "MarketplaceId": MARKETPLACE_ID, "OrderType": "StandardOrder", "IsPrime": o.channel == "AFN",
        "IsBusinessOrder": false});
    if o.status != "Pending" {
        v["OrderTotal"] = money_str(cur, total);
    }
    if f.missing_optional()
        && let Some(m) = v.as_object_mut()
    {
        for key in ["FulfillmentChannel", "SalesChannel", "OrderTotal", "NumberOfItemsShipped", "OrderType"] {
            m.remove(key);
        }
    }
    v
}

/// `GET /orders/v0/orders/{orderId}/orderItems`.
pub(super) fn order_items(a: &AmazonState, id: &str, f: Flavour) -> Answer {
    let world = a.world();
    let Some(o) = world.orders.iter().find(|o| o.id == id) else {
        return not_found(&format!("Order {id} not found."));
    };
    let cur = &world.currency;
    let items: Vec<Value> = o
        .items
        .iter()
        .enumerate()
        .map(|(n, i)| {
            let mut title = i.title.clone();
            if f.control_chars() {
                title.push_str(HOSTILE);
            }
            let mut v = json!({"ASIN": i.asin, "SellerSKU": i.seller_sku,
                "OrderItemId": format!("{:014}", 68_828_574_383_266_u64 + n as u64), "Title": title,
                "QuantityOrdered": i.quantity, "QuantityShipped": i.shipped, "IsGift": "false",
                "ConditionId": "New"});
            if o.status != "Pending" {
                v["ItemPrice"] = money_str(cur, i.item_price);
                v["ItemTax"] = money_str(cur, (i.item_price * Decimal::new(101, 3)).round_dp(2));
                v["PromotionDiscount"] = money_str(cur, i.promotion_discount);
            }
            if f.missing_optional()
                && let Some(m) = v.as_object_mut()
            {
                for key in ["SellerSKU", "Title", "QuantityShipped", "PromotionDiscount", "ItemTax"] {
                    m.remove(key);
                }
            }
            v
        })
        .collect();
    (StatusCode::OK, json!({"payload": {"AmazonOrderId": o.id, "OrderItems": items}}))
}

/// `POST /products/fees/v0/listings/{SellerSKU}/feesEstimate`.
pub(super) fn fees(a: &AmazonState, sku: &str, body: &[u8]) -> Answer {
    let Ok(request) = serde_json::from_slice::<Value>(body) else { return invalid("Request body is not JSON.") };
    match fee_result(a, "SellerSKU", sku, &request["FeesEstimateRequest"]) {
        Ok(result) => (StatusCode::OK, json!({"payload": {"FeesEstimateResult": result}})),
        Err(answer) => answer,
    }
}

/// `POST /products/fees/v0/feesEstimate` (getMyFeesEstimates): up to 20
/// `FeesEstimateByIdRequest`s, answered by a bare array of results.
pub(super) fn fees_batch(a: &AmazonState, body: &[u8]) -> Answer {
    let Ok(Value::Array(requests)) = serde_json::from_slice::<Value>(body) else {
        return invalid("Request body must be a JSON array of FeesEstimateByIdRequest.");
    };
    if requests.is_empty() || requests.len() > 20 {
        return invalid("A batch holds 1 to 20 requests.");
    }
    let mut results = Vec::with_capacity(requests.len());
    for r in &requests {
        let (Some(id_type @ ("ASIN" | "SellerSKU")), Some(id_value)) = (r["IdType"].as_str(), r["IdValue"].as_str())
        else {
            return invalid("Each request needs IdType (ASIN or SellerSKU) and IdValue.");
        };
        match fee_result(a, id_type, id_value, &r["FeesEstimateRequest"]) {
            Ok(result) => results.push(result),
            Err(answer) => return answer,
        }
    }
    (StatusCode::OK, Value::Array(results))
}

/// One `FeesEstimateResult`, or the 400 a malformed request earns.
fn fee_result(a: &AmazonState, id_type: &str, id_value: &str, r: &Value) -> Result<Value, Answer> {
    let world = a.world();
    let price = r["PriceToEstimateFees"]["ListingPrice"]["Amount"].as_number().map(ToString::to_string);
    let price = price.and_then(|p| p.parse::<Decimal>().ok());
    let (Some(identifier), Some(price)) = (r["Identifier"].as_str(), price) else {
        return Err(invalid("FeesEstimateRequest needs Identifier and PriceToEstimateFees.ListingPrice."));
    };
    if r["MarketplaceId"].as_str() != Some(MARKETPLACE_ID) {
        return Err(invalid("Invalid MarketplaceId."));
    }
    let fba = r["IsAmazonFulfilled"].as_bool().unwrap_or(false);
    let cur = world.currency.as_str();
    let id = json!({"MarketplaceId": MARKETPLACE_ID, "SellerId": SELLER_ID, "IdType": id_type, "IdValue": id_value,
        "IsAmazonFulfilled": fba, "SellerInputIdentifier": identifier,
        "PriceToEstimateFees": {"ListingPrice": money_num(cur, price), "Shipping": money_num(cur, Decimal::ZERO)}});
    let listing = if id_type == "ASIN" { world.by_asin(id_value) } else { world.listing(id_value) };
    let Some(listing) = listing else {
        return Ok(json!({"Status": "ClientError", "FeesEstimateIdentifier": id,
            "Error": {"Type": "Sender", "Code": "InvalidParameterValue",
                "Message": format!("There is an client-side error. Please verify your inputs. {id_type} {id_value} is invalid"),
                "Detail": []}}));
    };
    let referral = (price * Decimal::new(15, 2)).round_dp(2).max(Decimal::new(30, 2));
    let fee = |kind: &str, amount: Decimal| {
        json!({"FeeType": kind, "FeeAmount": money_num(cur, amount), "FeePromotion": money_num(cur, Decimal::ZERO),
               "FinalFee": money_num(cur, amount)})
    };
    let mut lines = vec![fee("ReferralFee", referral), fee("VariableClosingFee", Decimal::ZERO)];
    let mut total = referral;
    if fba {
        let mut fba_fee = fee("FBAFees", listing.fba_fee);
        fba_fee["IncludedFeeDetailList"] = json!([fee("FBAPickAndPack", listing.fba_fee)]);
        lines.push(fba_fee);
        total += listing.fba_fee;
    }
    Ok(json!({"Status": "Success", "FeesEstimateIdentifier": id,
        "FeesEstimate": {"TimeOfFeesEstimation": ts(ANCHOR), "TotalFeesEstimate": money_num(cur, total),
            "FeeDetailList": lines},
        "Error": {"Type": "", "Code": "", "Message": "", "Detail": []}}))
}

/// `POST /batches/products/pricing/v0/itemOffers` (getItemOffersBatch): up
/// to 20 getItemOffers requests, each answered with its status and body.
pub(super) fn offers_batch(a: &AmazonState, body: &[u8]) -> Answer {
    let Ok(request) = serde_json::from_slice::<Value>(body) else { return invalid("Request body is not JSON.") };
    let Some(requests) = request["requests"].as_array().filter(|r| (1..=20).contains(&r.len())) else {
        return invalid("requests must hold 1 to 20 ItemOffersRequest.");
    };
    let mut responses = Vec::with_capacity(requests.len());
    for r in requests {
        let asin =
            r["uri"].as_str().and_then(|u| u.strip_prefix("/products/pricing/v0/items/")?.strip_suffix("/offers"));
        let (Some(asin), Some("GET")) = (asin, r["method"].as_str()) else {
            return invalid("Each request needs uri /products/pricing/v0/items/{Asin}/offers and method GET.");
        };
        let q: Vec<(String, String)> = ["MarketplaceId", "ItemCondition"]
            .iter()
            .filter_map(|k| Some(((*k).to_owned(), r[*k].as_str()?.to_owned())))
            .collect();
        let (status, body) = offers(a, asin, &q);
        responses.push(json!({"status": {"statusCode": status.as_u16(), "reasonPhrase": status.canonical_reason()},
            "body": body, "headers": {},
            "request": {"MarketplaceId": r["MarketplaceId"], "Asin": asin, "ItemCondition": r["ItemCondition"]}}));
    }
    (StatusCode::OK, json!({"responses": responses}))
}

/// `GET /products/pricing/v0/items/{Asin}/offers`.
pub(super) fn offers(a: &AmazonState, asin: &str, q: &[(String, String)]) -> Answer {
    let world = a.world();
    if param(q, "MarketplaceId") != Some(MARKETPLACE_ID) || param(q, "ItemCondition").is_none() {
        return invalid("MarketplaceId and ItemCondition are required.");
    }
    let Some(listing) = world.by_asin(asin) else { return not_found(&format!("ASIN {asin} not found.")) };
    let cur = world.currency.as_str();
    let offers = world.page_offers(listing);
    let buy_box: Vec<Value> = offers
        .iter()
        .filter(|o| o.buy_box)
        .map(|o| {
            json!({"condition": "New", "LandedPrice": money_num(cur, o.price + o.shipping),
            "ListingPrice": money_num(cur, o.price), "Shipping": money_num(cur, o.shipping), "sellerId": o.seller_id})
        })
        .collect();
    let lowest = offers.iter().map(|o| o.price + o.shipping).min().unwrap_or_default();
    let list: Vec<Value> = offers
        .iter()
        .map(|o| {
            json!({"SellerId": o.seller_id, "SubCondition": "new", "ListingPrice": money_num(cur, o.price),
            "Shipping": money_num(cur, o.shipping),
            "ShippingTime": {"minimumHours": 24, "maximumHours": 48, "availabilityType": "NOW"},
            "IsFulfilledByAmazon": o.fba, "IsBuyBoxWinner": o.buy_box, "IsFeaturedMerchant": true,
            "MyOffer": o.seller_id == SELLER_ID})
        })
        .collect();
    let payload = json!({"ASIN": asin, "status": "Success", "ItemCondition": "New", "marketplaceId": MARKETPLACE_ID,
        "Identifier": {"MarketplaceId": MARKETPLACE_ID, "ASIN": asin, "ItemCondition": "New"},
        "Summary": {"TotalOfferCount": list.len(), "NumberOfOffers": [],
            "LowestPrices": [{"condition": "new", "fulfillmentChannel": "Amazon",
                "LandedPrice": money_num(cur, lowest)}],
            "BuyBoxPrices": buy_box, "BuyBoxEligibleOffers": []},
        "Offers": list});
    (StatusCode::OK, json!({"payload": payload}))
}
