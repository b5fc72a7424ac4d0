use std::fmt::Write as _;

use serde_json::{Value, json};

use super::super::testkit::{DISCOUNTS, INVENTORY, PRODUCTS, SET_QUANTITIES, mutation_root, query_root, vars};
use super::super::{Limits, Location, PathSegment, Response, execute, execute_with_limits, parse, run};

fn query(q: &str, variables: Value) -> Response {
    run(q, None, &vars(variables), &query_root())
}

fn data(r: &Response) -> &Value {
    assert!(r.errors.is_empty(), "unexpected errors: {:?}", r.errors);
    r.data.as_ref().unwrap()
}

#[test]
fn products_query_pages_and_costs() {
    let r = query(PRODUCTS, json!({"first": 2}));
    let products = &data(&r)["products"];
    assert_eq!(products["pageInfo"], json!({"hasNextPage": true, "endCursor": "c1"}));
    let edges = products["edges"].as_array().unwrap();
    assert_eq!(edges.len(), 2);
    assert_eq!(edges[0]["cursor"], "c0");
    let p1 = &edges[0]["node"];
    assert_eq!(p1["title"], "Product 1");
    assert_eq!(p1["status"], "ACTIVE");
    let v = &p1["variants"]["edges"][1]["node"];
    assert_eq!(v["sku"], "SKU-12");
    assert_eq!(v["compareAtPrice"], Value::Null);
    assert_eq!(v["inventoryItem"]["unitCost"], json!({"amount": "4.5", "currencyCode": "USD"}));
    // requested: 2 + 2 × 303 = 608 (see cost tests for 303)
    assert_eq!(r.requested_cost, 608);
    // actual: variant = 1 + inventoryItem(1 + unitCost 1) = 3
    // p1 = 1 + (2 + 2 × 3) = 9; p2 = 1 + (2 + 3) = 6; total = 2 + 9 + 6 = 17
    assert_eq!(r.actual_cost, 17);

    let r = query(PRODUCTS, json!({"first": 2, "after": "c1"}));
    let products = &data(&r)["products"];
    assert_eq!(products["edges"][0]["node"]["title"], "Product 3");
    assert_eq!(products["pageInfo"]["hasNextPage"], false);
    // Product 3 has no variants: 2 + (1 + 2) = 5
    assert_eq!(r.actual_cost, 5);
}

#[test]
fn brief_example_actual_cost() {
    let q = "{ products(first: 10) { edges { node { id title variants(first: 5) { edges { node { id sku } } } } } } }";
    let r = query(q, json!({}));
    // p1 = 1 + (2 + 2) = 5; p2 = 1 + (2 + 1) = 4; p3 = 1 + 2 = 3 → 2 + 12 = 14
    assert_eq!((r.requested_cost, r.actual_cost), (82, 14));
}

#[test]
fn inventory_query_filters_list_argument() {
    let r = query(INVENTORY, json!({"first": 5}));
    let level = &data(&r)["inventoryItems"]["edges"][0]["node"]["inventoryLevels"]["edges"][0]["node"];
    assert_eq!(level["location"]["name"], "Main");
    assert_eq!(
        level["quantities"],
        json!([{"name": "available", "quantity": 3}, {"name": "on_hand", "quantity": 5},
               {"name": "committed", "quantity": 2}])
    );
    // level = 1 + location 1 + quantities list 1 = 3; levels = 2 + 3 = 5
    // item = 1 + 5 = 6; total = 2 + 6 = 8.   requested = 2 + 5 × 63 = 317
    assert_eq!((r.requested_cost, r.actual_cost), (317, 8));
}

#[test]
fn discount_query_resolves_inline_fragments_and_named_fragment() {
    let r = query(DISCOUNTS, json!({}));
    let edges = &data(&r)["discountNodes"]["edges"];
    let auto = &edges[0]["node"]["discount"];
    assert_eq!(auto["__typename"], "DiscountAutomaticBasic");
    assert_eq!(auto["title"], "Ten off");
    assert_eq!(auto["customerGets"], json!({"value": {"percentage": 0.1}, "items": {"allItems": true}}));
    assert!(auto.get("codes").is_none());
    let code = &edges[1]["node"]["discount"];
    assert_eq!(code["__typename"], "DiscountCodeBasic");
    assert_eq!(code["codes"]["edges"][0]["node"]["code"], "SAVE5");
    assert_eq!(code["customerGets"]["value"]["amount"]["amount"], "5.0");
    assert_eq!(code["customerGets"]["value"]["appliesOnEachItem"], false);
    let pv = &code["customerGets"]["items"]["productVariants"]["edges"][0]["node"];
    assert_eq!(pv, &json!({"id": "gid://shopify/ProductVariant/9", "sku": "SKU-9"}));
    // auto: value 1 + items 1 → customerGets 3 → discount 4 → node 5
    // code: codes (2 + 1) + customerGets(1 + value(1 + amount 1) + items(1 + (2 + 1))) = 3 + 7
    //       → discount 11 → node 12.  total = 2 + 5 + 12 = 19
    assert_eq!((r.requested_cost, r.actual_cost), (3252, 19));
}

#[test]
fn mutation_runs_with_input_object_variable() {
    let doc = parse(SET_QUANTITIES).unwrap();
    let input = json!({"input": {"reason": "correction", "quantities": [{"quantity": 3}]}});
    let r = execute(&doc, Some("Set"), &vars(input), &mutation_root());
    assert_eq!(data(&r), &json!({"inventorySetQuantities": {"userErrors": []}}));
    assert_eq!((r.requested_cost, r.actual_cost), (10, 10));
    let r = execute(&doc, None, &vars(json!({})), &mutation_root());
    assert!(r.data.is_none());
    assert_eq!(
        r.errors[0].message,
        "Variable $input of type InventorySetQuantitiesInput! was provided invalid value: \
         Expected value to not be null"
    );
    assert_eq!(r.errors[0].locations, vec![Location { line: 2, column: 14 }]);
}

#[test]
fn aliases_merging_and_fragments() {
    let q = "{ a: shop { n: name } b: shop { currencyCode } shop { name } ...F \
             ... { shop { currencyCode } } } fragment F on QueryRoot { shop { t: __typename } }";
    let r = query(q, json!({}));
    assert_eq!(
        data(&r),
        &json!({"a": {"n": "Sandbox"}, "b": {"currencyCode": "USD"},
                "shop": {"name": "Sandbox", "t": "Shop", "currencyCode": "USD"}})
    );
    // three shop objects resolved, 1 each
    assert_eq!((r.requested_cost, r.actual_cost), (5, 3));
}

#[test]
fn skip_and_include() {
    let q = "query($yes: Boolean!, $no: Boolean = false) { shop { name @skip(if: $yes) \
             currencyCode @include(if: $no) c2: currencyCode @include(if: $yes) \
             ... @skip(if: $no) { id: __typename } ...X @include(if: false) } } \
             fragment X on Shop { name }";
    let r = query(q, json!({"yes": true}));
    assert_eq!(data(&r), &json!({"shop": {"c2": "USD", "id": "Shop"}}));
    let r = query("{ shop { name @skip(if: 3) } }", json!({}));
    assert!(r.data.is_none());
    assert!(r.errors[0].message.contains("requires a Boolean"));
}

#[test]
fn field_errors_null_the_field_and_carry_paths() {
    let q = "{ boom shop { name }\n products(first: 2) { edges { node { title nope } } } }";
    let r = query(q, json!({}));
    let d = r.data.as_ref().unwrap();
    assert_eq!(d["boom"], Value::Null);
    assert_eq!(d["shop"]["name"], "Sandbox");
    assert_eq!(d["products"]["edges"][1]["node"], json!({"title": "Product 2", "nope": null}));
    assert_eq!(r.errors.len(), 3);
    assert_eq!(r.errors[0].message, "resolver exploded");
    assert_eq!(r.errors[0].code.as_deref(), Some("INTERNAL_SERVER_ERROR"));
    assert_eq!(r.errors[0].path, vec![PathSegment::Key("boom".into())]);
    assert_eq!(r.errors[2].message, "Field 'nope' doesn't exist on type 'Product'");
    assert_eq!(r.errors[2].locations, vec![Location { line: 2, column: 44 }]);
    let path = r.errors[2].to_json()["path"].clone();
    assert_eq!(path, json!(["products", "edges", 1, "node", "nope"]));
}

#[test]
fn selection_mismatches_are_field_errors() {
    let r = query("{ shop name: shop { name { x } } }", json!({}));
    let d = r.data.as_ref().unwrap();
    assert_eq!(d, &json!({"shop": null, "name": {"name": null}}));
    assert!(r.errors[0].message.contains("must have selections"));
    assert!(r.errors[1].message.contains("can't be made on scalars"));
}

#[test]
fn arguments_substitute_variables() {
    let q = r#"query($v: Int = 3, $unset: String) {
      echo(a: 1, b: "x\u00e9", c: ENUM_VALUE, d: [1, $v], e: {k: $v, m: $unset}, f: null, g: $unset, h: 2.5)
    }"#;
    let r = query(q, json!({}));
    assert_eq!(
        data(&r)["echo"],
        json!({"a": 1, "b": "xé", "c": "ENUM_VALUE", "d": [1, 3], "e": {"k": 3}, "f": null, "h": 2.5})
    );
    let r = query("{ echo(a: $nope) }", json!({}));
    assert!(r.data.is_none());
    assert_eq!(r.errors[0].message, "Variable $nope is used but not declared");
}

#[test]
fn operation_selection() {
    let q = "query A { shop { name } } query B { shop { currencyCode } }";
    let doc = parse(q).unwrap();
    let root = query_root();
    let r = execute(&doc, Some("B"), &vars(json!({})), &root);
    assert_eq!(data(&r), &json!({"shop": {"currencyCode": "USD"}}));
    let r = execute(&doc, None, &vars(json!({})), &root);
    assert!(r.errors[0].message.contains("operation name is required"));
    let r = execute(&doc, Some("C"), &vars(json!({})), &root);
    assert_eq!(r.errors[0].message, "No operation named 'C'");
    let r = query("subscription { shop { name } }", json!({}));
    assert_eq!(r.errors[0].message, "Subscriptions are not supported");
    let r = query("{ shop { name }", json!({}));
    assert_eq!(r.errors[0].code.as_deref(), Some("parseError"));
}

#[test]
fn work_limit_aborts_the_request() {
    let doc = parse(PRODUCTS).unwrap();
    let limits = Limits { max_work: 40, ..Limits::default() };
    let r = execute_with_limits(&doc, None, &vars(json!({"first": 3})), &query_root(), &limits);
    assert!(r.data.is_none());
    assert_eq!(r.errors.len(), 1);
    assert_eq!(r.errors[0].code.as_deref(), Some("MAX_WORK_EXCEEDED"));
}

#[test]
fn response_json_has_cost_extension() {
    let r = query("{ shop { name } }", json!({}));
    assert_eq!(
        r.to_json(),
        json!({"data": {"shop": {"name": "Sandbox"}},
               "extensions": {"cost": {"requestedQueryCost": 1, "actualQueryCost": 1}}})
    );
}

/// An endless chain, the worst case for nesting and fragment blow-up.
struct Chain;

impl super::super::Object for Chain {
    fn typename(&self) -> &'static str {
        "Chain"
    }
    fn field(
        &self,
        name: &str,
        _args: &super::super::Arguments,
    ) -> Result<super::super::Resolved<'_>, super::super::FieldError> {
        match name {
            "next" => Ok(super::super::Resolved::object(Chain)),
            "n" => Ok(super::super::Resolved::value(1)),
            _ => Err(super::super::FieldError::unknown_field("Chain", name)),
        }
    }
}

#[test]
fn deepest_allowed_query_executes() {
    // 63 nested `next` sets inside the root set = 64 levels.
    let q = format!("{{{} n {}}}", " next {".repeat(63), "}".repeat(63));
    let r = run(&q, None, &vars(json!({})), &Chain);
    assert!(r.errors.is_empty());
    assert_eq!((r.requested_cost, r.actual_cost), (63, 63));
}

#[test]
fn exponential_fragment_fanout_is_cut_off() {
    // F0 selects F1 twice under different aliases, F1 selects F2 twice, ...
    // 2^25 leaf fields (depth 52, within the limit) if expanded: both execution and cost must give up fast.
    let mut q = String::from("{ ...F0 }");
    for i in 0..25 {
        let next = i + 1;
        let _ = write!(q, " fragment F{i} on Chain {{ a: next {{ ...F{next} }} b: next {{ ...F{next} }} }}");
    }
    q.push_str(" fragment F25 on Chain { n }");
    let started = std::time::Instant::now();
    let r = run(&q, None, &vars(json!({})), &Chain);
    assert!(r.data.is_none());
    assert_eq!(r.errors[0].code.as_deref(), Some("MAX_WORK_EXCEEDED"));
    assert_eq!(r.requested_cost, u64::MAX);
    assert!(started.elapsed() < std::time::Duration::from_secs(10));
}
