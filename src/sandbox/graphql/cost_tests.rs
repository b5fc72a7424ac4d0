use serde_json::json;

use super::super::testkit::{DISCOUNTS, INVENTORY, PRODUCTS, SET_QUANTITIES, vars};
use super::super::{Limits, parse, requested_cost};
use super::operation_cost;

fn cost(query: &str, variables: serde_json::Value) -> u64 {
    requested_cost(&parse(query).unwrap(), None, &vars(variables))
}

#[test]
fn brief_example_nested_connections() {
    // products: 2 + 10 × node(1 + variants(2 + 5 × node(1 + 0)))
    //         = 2 + 10 × (1 + 7) = 82
    let q = "{ products(first: 10) { edges { node { id title variants(first: 5) { edges { node { id sku } } } } } } }";
    assert_eq!(cost(q, json!({})), 82);
}

#[test]
fn products_query_uses_first_from_variables() {
    // variant node = 1 + inventoryItem(1 + unitCost 1) = 3
    // variants(first: 100) = 2 + 100 × 3 = 302; product node = 1 + 302 = 303
    // products(first: 50) = 2 + 50 × 303 = 15152 (cursor, pageInfo free)
    assert_eq!(cost(PRODUCTS, json!({"first": 50})), 15_152);
    // first: 1 → 2 + 303 = 305
    assert_eq!(cost(PRODUCTS, json!({"first": 1, "after": "c0"})), 305);
}

#[test]
fn inventory_query_plain_list_is_one_object() {
    // level node = 1 + location 1 + quantities 1 (no first/last) = 3
    // inventoryLevels(first: 20) = 2 + 20 × 3 = 62; item node = 63
    // inventoryItems(first: 10) = 2 + 10 × 63 = 632
    assert_eq!(cost(INVENTORY, json!({"first": 10})), 632);
}

#[test]
fn discounts_take_max_over_type_conditions() {
    // CG: value = 1 + max(Percentage 0, Amount: amount 1) = 2
    //     items = 1 + max(All 0, Products: 2 + 50 × 1) = 53  → CG = 55
    // customerGets = 1 + 55 = 56
    // Automatic branch = 56; Code branch = codes(2 + 5 × 1) + 56 = 63 → max 63
    // discount = 1 + 63 = 64; node = 65; discountNodes = 2 + 50 × 65 = 3252
    assert_eq!(cost(DISCOUNTS, json!({})), 3252);
}

#[test]
fn mutation_root_field_is_flat_ten() {
    assert_eq!(cost(SET_QUANTITIES, json!({"input": {}})), 10);
    // Two root fields: 10 each; __typename free.
    assert_eq!(cost("mutation { a { x } b { y { z } } __typename }", json!({})), 20);
}

#[test]
fn small_rules() {
    assert_eq!(cost("{ shop { name } }", json!({})), 1);
    assert_eq!(cost("{ __typename shop { __typename } }", json!({})), 1);
    // nodes: 2 + 2 × (1 + 0)
    assert_eq!(cost("{ products(first: 2) { nodes { id } } }", json!({})), 4);
    // pageInfo only: 2 + 3 × 0
    assert_eq!(cost("{ products(first: 3) { pageInfo { hasNextPage } } }", json!({})), 2);
    // last counts like first; larger of the two wins
    assert_eq!(cost("{ p(last: 4) { nodes { id } } }", json!({})), 6);
    assert_eq!(cost("{ p(first: 1, last: 3) { nodes { id } } }", json!({})), 5);
    // negative or null sizes: connection of 0 items / not a connection
    assert_eq!(cost("{ p(first: -5) { nodes { id } } }", json!({})), 2);
    // first: null → plain object p (1) + plain object nodes (1)
    assert_eq!(cost("{ p(first: null) { nodes { id } } }", json!({})), 2);
    // default value of an unset variable: 2 + 4 × 1
    let q = "query($n: Int = 4) { products(first: $n) { nodes { id } } }";
    assert_eq!(cost(q, json!({})), 6);
}

#[test]
fn directives_and_fragments() {
    let q = "query($s: Boolean!) { shop @skip(if: $s) { name } a: shop { n: name } }";
    assert_eq!(cost(q, json!({"s": true})), 1);
    assert_eq!(cost(q, json!({"s": false})), 2);
    // The same fragment spread twice in one set counts once (spec CollectFields).
    let q = "{ ...F ...F } fragment F on QueryRoot { shop { name } }";
    assert_eq!(cost(q, json!({})), 1);
    // Unknown operation name: 0.
    let doc = parse("query A { shop { id } }").unwrap();
    assert_eq!(requested_cost(&doc, Some("B"), &vars(json!({}))), 0);
}

#[test]
fn overflow_saturates_and_work_limit_saturates() {
    let q = "{ a(first: 9000000000000000000) { nodes { b(first: 9000000000000000000) { nodes { id } } } } }";
    assert_eq!(cost(q, json!({})), u64::MAX);
    let doc = parse("{ a { b { c { d } } } }").unwrap();
    let limits = Limits { max_work: 2, ..Limits::default() };
    let op = &doc.operations[0];
    assert_eq!(operation_cost(&doc, op, &vars(json!({})), &limits), u64::MAX);
    assert_eq!(operation_cost(&doc, op, &vars(json!({})), &Limits::default()), 3);
}
