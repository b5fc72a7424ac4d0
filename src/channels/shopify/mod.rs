//! Shopify Admin GraphQL connector: listings, stock per location, orders
//! and discounts, paged to the end and paced by the cost-based leaky bucket
//! the server reports in every response.

mod parse;
pub mod queries;

use std::time::{Duration, Instant};

use jiff::Timestamp;
use reqwest::header::CONTENT_TYPE;
use secrecy::{ExposeSecret, SecretString};
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

use super::error::ChannelError;
use super::http::{HttpClient, remote_text};
use super::limit::{LeakyBucket, ThrottleStatus};
use crate::config::SourceConfig;
use crate::config::credentials::Credentials;
use crate::core::ids::{ChannelId, SourceId};
use crate::core::money::Currency;
use crate::core::snapshot::SourceData;
use parse::{DiscountNode, Edges, ItemNode, Mapper, OrderNode, VariantNode};
use queries::PagedQuery;

/// The Admin API version this connector speaks.
pub const API_VERSION: &str = "2025-10";
/// Pages that may come back empty without advancing before we give up.
const MAX_STALLED_PAGES: u32 = 3;
/// Extra pause per consecutive THROTTLED reply, on top of the bucket wait.
const THROTTLE_PAUSE: Duration = Duration::from_millis(50);

/// Polls one Shopify store.
pub struct ShopifyConnector {
    source: SourceConfig,
    channel: ChannelId,
    token: SecretString,
    client: HttpClient,
    endpoint: String,
    path: String,
    bucket: LeakyBucket,
    page_size: u32,
    max_throttled: u32,
    /// Time spent waiting for the cost bucket so far.
    waited: Duration,
}

impl std::fmt::Debug for ShopifyConnector {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ShopifyConnector")
            .field("source", &self.source.id)
            .field("path", &self.path)
            .finish_non_exhaustive()
    }
}

impl ShopifyConnector {
    /// `channel` is the channel whose `source` is this source.
    ///
    /// # Errors
    /// No `base_url` or no `access_token` credential.
    pub fn new(
        source: SourceConfig,
        channel: ChannelId,
        credentials: &Credentials,
        client: HttpClient,
    ) -> Result<Self, ChannelError> {
        let config = |message: &str| ChannelError::Config { source_id: source.id.clone(), message: message.to_owned() };
        let base = source.base_url().ok_or_else(|| config("no base_url configured"))?.trim_end_matches('/').to_owned();
        let token = credentials.expose("access_token").ok_or_else(|| config("credentials lack access_token"))?;
        let version = source.api_version.clone().unwrap_or_else(|| API_VERSION.to_owned());
        let path = format!("/admin/api/{version}/graphql.json");
        // Shopify's Standard plan; `observe` replaces it with the server's numbers.
        let bucket = LeakyBucket::new(2000.0, 100.0, Instant::now())
            .map_err(|e| ChannelError::Config { source_id: source.id.clone(), message: e.to_string() })?;
        Ok(Self {
            endpoint: format!("{base}{path}"),
            path,
            token: SecretString::from(token.to_owned()),
            source,
            channel,
            client,
            bucket,
            page_size: 250,
            max_throttled: 10,
            waited: Duration::ZERO,
        })
    }

    /// Caps `first` on every connection (each query also has its own cap).
    #[must_use]
    pub fn with_page_size(mut self, page_size: u32) -> Self {
        self.page_size = page_size.max(1);
        self
    }

    /// The source this connector polls.
    #[must_use]
    pub fn source_id(&self) -> &SourceId {
        &self.source.id
    }

    /// Total time spent waiting for the rate limit, for progress displays.
    #[must_use]
    pub fn waited(&self) -> Duration {
        self.waited
    }

    /// One poll: everything when `since` is `None`, otherwise only products,
    /// inventory and orders updated at or after `since` (locations and
    /// discounts are always read in full: they are few).
    ///
    /// # Errors
    /// A [`ChannelError`] naming this source; nothing partial is returned.
    pub async fn poll(&mut self, since: Option<Timestamp>) -> Result<SourceData, ChannelError> {
        let filter = since.map(|t| format!("updated_at:>={t}"));
        let (currency, _locations) = self.shop().await?;
        let variants: Vec<VariantNode> = self.fetch_all(&queries::VARIANTS, filter.as_deref()).await?;
        let items: Vec<ItemNode> = self.fetch_all(&queries::INVENTORY, filter.as_deref()).await?;
        let orders: Vec<OrderNode> = self.fetch_all(&queries::ORDERS, filter.as_deref()).await?;
        let discounts: Vec<DiscountNode> = self.fetch_all(&queries::DISCOUNTS, None).await?;
        let mut mapper = Mapper::new(self.source.id.clone(), self.channel.clone(), currency, &self.source.location_map);
        let mut data = SourceData {
            listings: variants.iter().filter_map(|v| mapper.listing(v)).collect(),
            stock: items.iter().flat_map(|i| mapper.stock(i)).collect(),
            orders: orders.iter().map(|o| mapper.order(o)).collect(),
            promotions: discounts.iter().filter_map(|d| mapper.promotion(d)).collect(),
            ..SourceData::default()
        };
        data.issues = mapper.issues;
        Ok(data)
    }

    /// The shop currency and all location ids.
    async fn shop(&mut self) -> Result<(Currency, Vec<String>), ChannelError> {
        let q = &queries::LOCATIONS;
        let first = q.max_first.min(self.page_size);
        let mut after: Option<String> = None;
        let mut currency = None;
        let mut ids = Vec::new();
        loop {
            let data = self.query(q.document, json!({"first": first, "after": after}), q.cost(first)).await?;
            if currency.is_none() {
                let code = data.pointer("/shop/currencyCode").and_then(Value::as_str).unwrap_or_default();
                currency =
                    Some(code.parse::<Currency>().map_err(|_| self.shape("shop.currencyCode", "not an ISO currency"))?);
            }
            let page: Edges<parse::IdOnly> = self.decode(&data, q.root)?;
            ids.extend(page.edges.into_iter().map(|e| e.node.id));
            match page.page_info {
                parse::PageInfo { has_next_page: true, end_cursor: Some(c) } if Some(&c) != after.as_ref() => {
                    after = Some(c);
                }
                _ => break,
            }
        }
        let currency = currency.ok_or_else(|| self.shape("shop", "missing"))?;
        Ok((currency, ids))
    }

    /// Pages `query` to the end and returns every node.
    async fn fetch_all<T: DeserializeOwned>(
        &mut self,
        query: &PagedQuery,
        filter: Option<&str>,
    ) -> Result<Vec<T>, ChannelError> {
        let first = query.max_first.min(self.page_size);
        let q = if query.incremental { filter } else { None };
        let mut after: Option<String> = None;
        let mut nodes = Vec::new();
        let mut stalled = 0;
        loop {
            let vars = json!({"first": first, "after": after, "q": q});
            let data = self.query(query.document, vars, query.cost(first)).await?;
            let page: Edges<T> = self.decode(&data, query.root)?;
            let got = page.edges.len();
            nodes.extend(page.edges.into_iter().map(|e| e.node));
            if !page.page_info.has_next_page {
                return Ok(nodes);
            }
            // A page that neither returns nodes nor moves the cursor is
            // retried a few times, then reported instead of looping forever.
            let next = page.page_info.end_cursor.or_else(|| after.clone());
            if got == 0 && next == after {
                stalled += 1;
                if stalled > MAX_STALLED_PAGES {
                    return Err(ChannelError::Stuck { source_id: self.source.id.clone(), what: query.root });
                }
            } else {
                stalled = 0;
            }
            after = next;
        }
    }

    fn shape(&self, at: &str, detail: &str) -> ChannelError {
        ChannelError::BadShape {
            source_id: self.source.id.clone(),
            path: self.path.clone(),
            at: at.to_owned(),
            detail: detail.to_owned(),
        }
    }

    fn decode<T: DeserializeOwned>(&self, data: &Value, root: &str) -> Result<T, ChannelError> {
        let value = data.get(root).ok_or_else(|| self.shape(root, "missing"))?;
        serde_path_to_error::deserialize(value).map_err(|e| {
            let at = format!("{root}.{}", e.path());
            self.shape(&at, &remote_text(&e.inner().to_string()))
        })
    }

    /// Sends one query, paced by the bucket and retried while THROTTLED.
    async fn query(&mut self, document: &str, variables: Value, mut cost: f64) -> Result<Value, ChannelError> {
        let body = json!({"query": document, "variables": variables});
        let mut throttled = 0;
        loop {
            let wait = self.bucket.wait_for(cost, Instant::now());
            if !wait.is_zero() {
                tracing::debug!(source = %self.source.id, ?wait, "waiting for the Shopify cost bucket");
                self.waited += wait;
                tokio::time::sleep(wait).await;
            }
            let reply = self
                .client
                .send_with_retry(&self.source.id, &self.path, |c| {
                    c.post(&self.endpoint)
                        .header("X-Shopify-Access-Token", self.token.expose_secret())
                        .header(CONTENT_TYPE, "application/json")
                        .body(body.to_string())
                })
                .await?;
            let value: Value = serde_json::from_slice(&reply.body).map_err(|e| ChannelError::BadBody {
                source_id: self.source.id.clone(),
                path: self.path.clone(),
                detail: remote_text(&e.to_string()),
            })?;
            self.observe(&value);
            if is_throttled(&value) {
                throttled += 1;
                if throttled > self.max_throttled {
                    let (source_id, path) = (self.source.id.clone(), self.path.clone());
                    return Err(ChannelError::Throttled { source_id, path, attempts: throttled });
                }
                // The server's own price wins over our estimate; and a short
                // growing pause stops a hot loop if the two still disagree.
                let requested = value.pointer("/extensions/cost/requestedQueryCost").and_then(Value::as_f64);
                cost = cost.max(requested.unwrap_or(0.0));
                tokio::time::sleep(THROTTLE_PAUSE * throttled).await;
                continue;
            }
            return self.data_or_error(value);
        }
    }

    fn data_or_error(&self, mut value: Value) -> Result<Value, ChannelError> {
        if let Some(errors) = value.get("errors").filter(|e| !e.is_null()) {
            let message = match errors {
                Value::Array(list) => list
                    .iter()
                    .map(|e| e.get("message").and_then(Value::as_str).unwrap_or("unknown error"))
                    .collect::<Vec<_>>()
                    .join("; "),
                other => other.as_str().unwrap_or("unknown error").to_owned(),
            };
            let (source_id, path) = (self.source.id.clone(), self.path.clone());
            return Err(ChannelError::Api { source_id, path, message: remote_text(&message) });
        }
        match value.get_mut("data").map(Value::take) {
            Some(data @ Value::Object(_)) => Ok(data),
            _ => Err(self.shape("data", "missing")),
        }
    }

    /// Feeds the server's `throttleStatus` into the client-side bucket.
    fn observe(&mut self, value: &Value) {
        let Some(status) = value.pointer("/extensions/cost/throttleStatus") else { return };
        let num = |k: &str| status.get(k).and_then(Value::as_f64);
        if let (Some(max), Some(available), Some(rate)) =
            (num("maximumAvailable"), num("currentlyAvailable"), num("restoreRate"))
        {
            let status = ThrottleStatus { maximum_available: max, currently_available: available, restore_rate: rate };
            if let Err(e) = self.bucket.observe(status, Instant::now()) {
                tracing::debug!(source = %self.source.id, "ignoring throttleStatus: {e}");
            }
        }
    }
}

/// Shopify's THROTTLED, whether it came with HTTP 200 or 429.
fn is_throttled(value: &Value) -> bool {
    value.get("errors").and_then(Value::as_array).is_some_and(|errors| {
        errors.iter().any(|e| e.pointer("/extensions/code").and_then(Value::as_str) == Some("THROTTLED"))
    })
}
