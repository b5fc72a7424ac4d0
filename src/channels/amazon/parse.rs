//! SP-API payloads as serde types. Everything Amazon marks optional (and a
//! few things it marks required but has been seen to omit) is an `Option`
//! or defaults to empty, so a sparse payload degrades into source issues
//! instead of failing the whole poll. Enums stay strings: Amazon adds values
//! without notice, and an unknown one must be reported, not rejected.

use std::str::FromStr;

use rust_decimal::Decimal;
use serde::Deserialize;

use crate::core::money::{Currency, Money};

/// An `Amount` as Orders sends it (a decimal string) or as Fees and Pricing
/// send it (a JSON number). Numbers are read from their text, never through
/// `f64`, so `3.60` stays exactly 3.60.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum Amount {
    Number(serde_json::Number),
    Text(String),
}

impl Amount {
    pub fn decimal(&self) -> Option<Decimal> {
        let text = match self {
            Self::Number(n) => n.to_string(),
            Self::Text(s) => s.trim().to_owned(),
        };
        Decimal::from_str(&text).ok().or_else(|| Decimal::from_scientific(&text).ok())
    }
}

/// `{CurrencyCode, Amount}` (Orders, Fees, Pricing).
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct AmzMoney {
    pub currency_code: String,
    pub amount: Amount,
}

impl AmzMoney {
    pub fn money(&self) -> Option<Money> {
        Some(Money::new(self.amount.decimal()?, Currency::from_str(&self.currency_code).ok()?))
    }
}

// ---- FBA Inventory ---------------------------------------------------------

#[derive(Debug, Deserialize)]
pub struct InventoryResponse {
    pub payload: Option<InventoryPayload>,
    pub pagination: Option<Pagination>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Pagination {
    pub next_token: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct InventoryPayload {
    #[serde(default)]
    pub inventory_summaries: Vec<InventorySummary>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct InventorySummary {
    pub asin: Option<String>,
    pub fn_sku: Option<String>,
    pub seller_sku: Option<String>,
    pub product_name: Option<String>,
    pub inventory_details: Option<InventoryDetails>,
}

// The field names are Amazon's, suffixes included.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
#[allow(clippy::struct_field_names)]
pub struct InventoryDetails {
    pub fulfillable_quantity: Option<i64>,
    pub inbound_working_quantity: Option<i64>,
    pub inbound_shipped_quantity: Option<i64>,
    pub inbound_receiving_quantity: Option<i64>,
    pub reserved_quantity: Option<ReservedQuantity>,
    pub researching_quantity: Option<ResearchingQuantity>,
    pub unfulfillable_quantity: Option<UnfulfillableQuantity>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
#[allow(clippy::struct_field_names)]
pub struct ReservedQuantity {
    pub pending_customer_order_quantity: Option<i64>,
    pub pending_transshipment_quantity: Option<i64>,
    pub fc_processing_quantity: Option<i64>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ResearchingQuantity {
    pub total_researching_quantity: Option<i64>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UnfulfillableQuantity {
    pub total_unfulfillable_quantity: Option<i64>,
}

// ---- Listings Items 2021-08-01 ----------------------------------------------

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ListingItem {
    /// Sent by searchListingsItems (and getListingsItem); how a search
    /// result is matched to the SKU asked for.
    pub sku: Option<String>,
    #[serde(default)]
    pub summaries: Vec<ListingSummary>,
    #[serde(default)]
    pub offers: Vec<ListingOffer>,
    #[serde(default)]
    pub fulfillment_availability: Vec<FulfillmentAvailability>,
}

/// searchListingsItems: `{numberOfResults, pagination{nextToken}, items[]}`.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ListingSearch {
    #[serde(default)]
    pub items: Vec<ListingItem>,
    pub pagination: Option<Pagination>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ListingSummary {
    pub asin: Option<String>,
    pub item_name: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ListingOffer {
    pub marketplace_id: Option<String>,
    pub offer_type: Option<String>,
    pub price: Option<ListingPrice>,
}

/// Listings use lower-case keys and a decimal string.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ListingPrice {
    pub currency_code: String,
    pub amount: Amount,
}

impl ListingPrice {
    pub fn money(&self) -> Option<Money> {
        Some(Money::new(self.amount.decimal()?, Currency::from_str(&self.currency_code).ok()?))
    }
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FulfillmentAvailability {
    pub fulfillment_channel_code: Option<String>,
    pub quantity: Option<i64>,
}

// ---- Orders v0 ----------------------------------------------------------------

#[derive(Debug, Deserialize)]
pub struct OrdersResponse {
    pub payload: Option<OrdersPayload>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct OrdersPayload {
    #[serde(default)]
    pub orders: Vec<RawOrder>,
    pub next_token: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct RawOrder {
    pub amazon_order_id: String,
    pub purchase_date: Option<String>,
    pub order_status: Option<String>,
    pub fulfillment_channel: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct OrderItemsResponse {
    pub payload: Option<OrderItemsPayload>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct OrderItemsPayload {
    #[serde(default)]
    pub order_items: Vec<RawOrderItem>,
    pub next_token: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct RawOrderItem {
    #[serde(rename = "ASIN")]
    pub asin: Option<String>,
    #[serde(rename = "SellerSKU")]
    pub seller_sku: Option<String>,
    pub quantity_ordered: i64,
    pub item_price: Option<AmzMoney>,
    pub promotion_discount: Option<AmzMoney>,
}

// ---- Product Fees v0 ----------------------------------------------------------

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct FeesEstimateResult {
    pub status: Option<String>,
    pub fees_estimate_identifier: Option<FeesIdentifier>,
    pub fees_estimate: Option<FeesEstimate>,
    pub error: Option<FeesError>,
}

/// Which request of a getMyFeesEstimates batch a result answers.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct FeesIdentifier {
    pub id_value: Option<String>,
    pub seller_input_identifier: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct FeesEstimate {
    pub time_of_fees_estimation: Option<String>,
    #[serde(default)]
    pub fee_detail_list: Vec<FeeDetail>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct FeeDetail {
    pub fee_type: String,
    pub final_fee: AmzMoney,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct FeesError {
    pub code: Option<String>,
    pub message: Option<String>,
}

// ---- Product Pricing v0 -------------------------------------------------------

/// getItemOffersBatch: one getItemOffers answer per ASIN asked for.
#[derive(Debug, Deserialize)]
pub struct OffersBatchResponse {
    #[serde(default)]
    pub responses: Vec<OffersBatchItem>,
}

#[derive(Debug, Deserialize)]
pub struct OffersBatchItem {
    pub status: Option<BatchStatus>,
    pub body: Option<OffersResponse>,
    pub request: Option<OffersBatchRequest>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BatchStatus {
    pub status_code: Option<u16>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct OffersBatchRequest {
    pub asin: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct OffersResponse {
    pub payload: Option<OffersPayload>,
    #[serde(default)]
    pub errors: Vec<ApiError>,
}

/// SP-API's `{code, message}` error entry.
#[derive(Debug, Deserialize)]
pub struct ApiError {
    pub code: Option<String>,
    pub message: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct OffersPayload {
    #[serde(rename = "ASIN")]
    pub asin: Option<String>,
    #[serde(default)]
    pub offers: Vec<RawOffer>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct RawOffer {
    pub seller_id: Option<String>,
    pub listing_price: AmzMoney,
    pub shipping: Option<AmzMoney>,
    pub is_buy_box_winner: Option<bool>,
    pub my_offer: Option<bool>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_are_read_from_text_not_floats() {
        let m: AmzMoney = serde_json::from_str(r#"{"CurrencyCode":"USD","Amount":3.60}"#).unwrap();
        assert_eq!(m.money().unwrap().amount, Decimal::new(360, 2));
        let m: AmzMoney = serde_json::from_str(r#"{"CurrencyCode":"USD","Amount":"10.00"}"#).unwrap();
        assert_eq!(m.money().unwrap().amount, Decimal::new(1000, 2));
        let m: AmzMoney = serde_json::from_str(r#"{"CurrencyCode":"USD","Amount":1e2}"#).unwrap();
        assert_eq!(m.money().unwrap().amount, Decimal::new(100, 0));
        let bad: AmzMoney = serde_json::from_str(r#"{"CurrencyCode":"usd!","Amount":"1"}"#).unwrap();
        assert!(bad.money().is_none());
    }
}
