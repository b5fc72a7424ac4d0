//! A tiny fake Shopify data graph for tests: generic objects, connections with
//! `first`/`after` paging, a name-filtered list, an argument echo, and a
//! failing field.

use serde_json::{Value, json};

use super::{Arguments, FieldError, Object, Resolved};

pub(super) enum Fake {
    Scalar(Value),
    Obj(Node),
    List(Vec<Node>),
    /// A connection over these nodes.
    Conn(Vec<Node>),
    /// A list filtered by the `names` argument on each node's `name`.
    ByName(Vec<Node>),
    /// Returns the field's arguments as a JSON object.
    Echo,
    Fail(&'static str),
}

pub(super) struct Node {
    pub typename: &'static str,
    /// Interfaces / unions this node also satisfies.
    pub also: &'static [&'static str],
    pub fields: Vec<(&'static str, Fake)>,
}

pub(super) fn node(typename: &'static str, fields: Vec<(&'static str, Fake)>) -> Node {
    Node { typename, also: &[], fields }
}

pub(super) fn s(v: impl Into<Value>) -> Fake {
    Fake::Scalar(v.into())
}

impl Object for Node {
    fn typename(&self) -> &str {
        self.typename
    }
    fn is_a(&self, cond: &str) -> bool {
        self.typename == cond || self.also.contains(&cond)
    }
    fn field(&self, name: &str, args: &Arguments) -> Result<Resolved<'_>, FieldError> {
        let Some((_, fake)) = self.fields.iter().find(|(n, _)| *n == name) else {
            return Err(FieldError::unknown_field(self.typename, name));
        };
        Ok(match fake {
            Fake::Scalar(v) => Resolved::Value(v.clone()),
            Fake::Obj(n) => Resolved::object(n),
            Fake::List(items) => Resolved::objects(items),
            Fake::Conn(items) => Resolved::object(page(self.typename, name, items, args)?),
            Fake::ByName(items) => {
                let names = args.get_str_list("names").unwrap_or_default();
                Resolved::objects(items.iter().filter(|n| {
                    n.fields.iter().any(|(k, v)| {
                        *k == "name" && matches!(v, Fake::Scalar(Value::String(s)) if names.contains(&s.as_str()))
                    })
                }))
            }
            Fake::Echo => Resolved::Value(Value::Object(args.as_map().clone())),
            Fake::Fail(msg) => return Err(FieldError::new(*msg).with_code("INTERNAL_SERVER_ERROR")),
        })
    }
}

fn page<'a>(owner: &str, field: &str, items: &'a [Node], args: &Arguments) -> Result<Page<'a>, FieldError> {
    let first = args.get_i64("first").ok_or_else(|| FieldError::new(format!("{owner}.{field} requires `first`")))?;
    let start = match args.get_str("after") {
        None => 0,
        Some(c) => c
            .strip_prefix('c')
            .and_then(|n| n.parse::<usize>().ok())
            .map(|n| n + 1)
            .ok_or_else(|| FieldError::new(format!("Invalid cursor {c}")))?,
    };
    let take = usize::try_from(first).unwrap_or(0);
    let end = start.saturating_add(take).min(items.len());
    Ok(Page { items, start: start.min(end), end })
}

struct Page<'a> {
    items: &'a [Node],
    start: usize,
    end: usize,
}

impl Object for Page<'_> {
    fn typename(&self) -> &'static str {
        "Connection"
    }
    fn field(&self, name: &str, _args: &Arguments) -> Result<Resolved<'_>, FieldError> {
        let window = self.items.get(self.start..self.end).unwrap_or(&[]);
        Ok(match name {
            "nodes" => Resolved::objects(window),
            "edges" => Resolved::objects((self.start..self.end).zip(window).map(|(i, n)| Edge(i, n))),
            "pageInfo" => Resolved::object(node(
                "PageInfo",
                vec![
                    ("hasNextPage", s(self.end < self.items.len())),
                    ("hasPreviousPage", s(self.start > 0)),
                    (
                        "endCursor",
                        s(if self.end > self.start { json!(format!("c{}", self.end - 1)) } else { Value::Null }),
                    ),
                ],
            )),
            _ => return Err(FieldError::unknown_field("Connection", name)),
        })
    }
}

struct Edge<'a>(usize, &'a Node);

impl Object for Edge<'_> {
    fn typename(&self) -> &'static str {
        "Edge"
    }
    fn field(&self, name: &str, _args: &Arguments) -> Result<Resolved<'_>, FieldError> {
        match name {
            "cursor" => Ok(Resolved::value(format!("c{}", self.0))),
            "node" => Ok(Resolved::object(self.1)),
            _ => Err(FieldError::unknown_field("Edge", name)),
        }
    }
}

fn variant(i: u32, qty: i64) -> Node {
    node(
        "ProductVariant",
        vec![
            ("id", s(format!("gid://shopify/ProductVariant/{i}"))),
            ("sku", s(format!("SKU-{i}"))),
            ("title", s(format!("Variant {i}"))),
            ("price", s("19.99")),
            ("compareAtPrice", s(Value::Null)),
            ("inventoryQuantity", s(qty)),
            ("inventoryItem", Fake::Obj(inventory_item(i, Vec::new()))),
        ],
    )
}

fn inventory_item(i: u32, levels: Vec<Node>) -> Node {
    let money = node("MoneyV2", vec![("amount", s("4.5")), ("currencyCode", s("USD"))]);
    node(
        "InventoryItem",
        vec![
            ("id", s(format!("gid://shopify/InventoryItem/{i}"))),
            ("sku", s(format!("SKU-{i}"))),
            ("tracked", s(true)),
            ("unitCost", Fake::Obj(money)),
            ("inventoryLevels", Fake::Conn(levels)),
        ],
    )
}

fn product(i: u32, variants: Vec<Node>) -> Node {
    node(
        "Product",
        vec![
            ("id", s(format!("gid://shopify/Product/{i}"))),
            ("title", s(format!("Product {i}"))),
            ("handle", s(format!("product-{i}"))),
            ("status", s("ACTIVE")),
            ("updatedAt", s("2024-01-01T00:00:00Z")),
            ("variants", Fake::Conn(variants)),
        ],
    )
}

fn level() -> Node {
    let q = |name: &'static str, n: i64| node("InventoryQuantity", vec![("name", s(name)), ("quantity", s(n))]);
    let location = node("Location", vec![("id", s("gid://shopify/Location/1")), ("name", s("Main"))]);
    node(
        "InventoryLevel",
        vec![
            ("id", s("gid://shopify/InventoryLevel/1")),
            ("location", Fake::Obj(location)),
            ("quantities", Fake::ByName(vec![q("available", 3), q("on_hand", 5), q("committed", 2)])),
            ("updatedAt", s("2024-02-02T00:00:00Z")),
        ],
    )
}

fn customer_gets(value: Node, items: Node) -> Fake {
    Fake::Obj(node("DiscountCustomerGets", vec![("value", Fake::Obj(value)), ("items", Fake::Obj(items))]))
}

fn discounts() -> Vec<Node> {
    let common = |kind: &'static str, title: &'static str, gets: Fake, extra: Vec<(&'static str, Fake)>| {
        let mut fields = vec![
            ("title", s(title)),
            ("status", s("ACTIVE")),
            ("startsAt", s("2024-01-01T00:00:00Z")),
            ("endsAt", s(Value::Null)),
            ("customerGets", gets),
        ];
        fields.extend(extra);
        Node { typename: kind, also: &["Discount"], fields }
    };
    let pct = node("DiscountPercentage", vec![("percentage", s(0.1))]);
    let all = node("AllDiscountItems", vec![("allItems", s(true))]);
    let money = node("MoneyV2", vec![("amount", s("5.0")), ("currencyCode", s("USD"))]);
    let amount = node("DiscountAmount", vec![("amount", Fake::Obj(money)), ("appliesOnEachItem", s(false))]);
    let products = node("DiscountProducts", vec![("productVariants", Fake::Conn(vec![variant(9, 0)]))]);
    let codes = Fake::Conn(vec![node("DiscountRedeemCode", vec![("code", s("SAVE5"))])]);
    let auto = common("DiscountAutomaticBasic", "Ten off", customer_gets(pct, all), vec![]);
    let code = common("DiscountCodeBasic", "Five off", customer_gets(amount, products), vec![("codes", codes)]);
    let wrap = |i: u32, d: Node| {
        node("DiscountNode", vec![("id", s(format!("gid://shopify/DiscountNode/{i}"))), ("discount", Fake::Obj(d))])
    };
    vec![wrap(1, auto), wrap(2, code)]
}

/// Query root: 3 products (2, 1 and 0 variants), 1 inventory item with 1
/// level, 2 discounts, plus `echo`, `boom` and `shop`.
pub(super) fn query_root() -> Node {
    let shop = node("Shop", vec![("name", s("Sandbox")), ("currencyCode", s("USD"))]);
    node(
        "QueryRoot",
        vec![
            (
                "products",
                Fake::Conn(vec![
                    product(1, vec![variant(11, 4), variant(12, 0)]),
                    product(2, vec![variant(21, 7)]),
                    product(3, vec![]),
                ]),
            ),
            ("inventoryItems", Fake::Conn(vec![inventory_item(11, vec![level()])])),
            ("discountNodes", Fake::Conn(discounts())),
            ("shop", Fake::Obj(shop)),
            ("echo", Fake::Echo),
            ("boom", Fake::Fail("resolver exploded")),
        ],
    )
}

pub(super) fn mutation_root() -> Node {
    let payload = node("InventorySetQuantitiesPayload", vec![("userErrors", Fake::List(vec![])), ("echo", Fake::Echo)]);
    node("Mutation", vec![("inventorySetQuantities", Fake::Obj(payload))])
}

pub(super) const PRODUCTS: &str = r"
query Products($first:Int!, $after:String) {
  products(first:$first, after:$after) {
    edges { cursor node {
      id title handle status updatedAt
      variants(first: 100) { edges { node {
        id sku title price compareAtPrice inventoryQuantity
        inventoryItem { id tracked unitCost { amount currencyCode } }
      } } }
    } }
    pageInfo { hasNextPage endCursor }
  }
}";

pub(super) const INVENTORY: &str = r#"
query Inv($first:Int!, $after:String) {
  inventoryItems(first:$first, after:$after) {
    edges { node { id sku tracked
      inventoryLevels(first: 20) { edges { node { id location { id name }
        quantities(names:["available","on_hand","committed","incoming","reserved"]) { name quantity } updatedAt } } }
    } }
    pageInfo { hasNextPage endCursor }
  }
}"#;

pub(super) const DISCOUNTS: &str = r"
{ discountNodes(first: 50) { edges { node { id discount {
  __typename
  ... on DiscountAutomaticBasic { title status startsAt endsAt customerGets { ...CG } }
  ... on DiscountCodeBasic { title status startsAt endsAt codes(first:5){ edges{ node{ code } } } customerGets { ...CG } }
} } } pageInfo { hasNextPage endCursor } } }
fragment CG on DiscountCustomerGets {
  value { ... on DiscountPercentage { percentage } ... on DiscountAmount { amount { amount currencyCode } appliesOnEachItem } }
  items { ... on AllDiscountItems { allItems } ... on DiscountProducts { productVariants(first:50){edges{node{id sku}}} } }
}";

pub(super) const SET_QUANTITIES: &str = r"
mutation Set($input: InventorySetQuantitiesInput!) { inventorySetQuantities(input: $input) { userErrors { code field message } } }";

/// Turns `json!({...})` into the variables map the API takes.
pub(super) fn vars(v: Value) -> serde_json::Map<String, Value> {
    match v {
        Value::Object(m) => m,
        _ => serde_json::Map::new(),
    }
}
