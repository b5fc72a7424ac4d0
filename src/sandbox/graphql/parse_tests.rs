use proptest::prelude::*;
use serde_json::json;

use super::super::testkit::{DISCOUNTS, INVENTORY, PRODUCTS, SET_QUANTITIES, query_root, vars};
use super::super::{InputValue, Limits, Location, OperationKind, Selection, execute_with_limits, requested_cost};
use super::{parse, parse_with_limits};

fn err(src: &str) -> (String, u32, u32) {
    let e = parse(src).unwrap_err();
    (e.message, e.location.line, e.location.column)
}

#[test]
fn example_queries_parse_with_expected_structure() {
    let doc = parse(PRODUCTS).unwrap();
    let op = &doc.operations[0];
    assert_eq!((op.kind, op.name.as_deref()), (OperationKind::Query, Some("Products")));
    let types: Vec<String> = op.variables.iter().map(|v| v.ty.to_string()).collect();
    assert_eq!(types, ["Int!", "String"]);
    let Selection::Field(products) = &op.selection_set[0] else { panic!() };
    assert_eq!(products.argument("first"), Some(&InputValue::Variable("first".into())));
    assert_eq!(products.selection_set.len(), 2);

    let doc = parse(INVENTORY).unwrap();
    assert_eq!(doc.operations[0].name.as_deref(), Some("Inv"));

    let doc = parse(DISCOUNTS).unwrap();
    assert_eq!(doc.operations[0].name, None);
    assert_eq!(doc.fragments[0].name, "CG");
    assert_eq!(doc.fragments[0].type_condition, "DiscountCustomerGets");

    let doc = parse(SET_QUANTITIES).unwrap();
    assert_eq!(doc.operations[0].kind, OperationKind::Mutation);
    assert_eq!(doc.operations[0].variables[0].ty.to_string(), "InventorySetQuantitiesInput!");
}

#[test]
fn every_literal_kind() {
    let src = r#"query Q($a: [String!]! = ["x"], $b: Int = 2) @dir {
      f(i: -3, fl: 1.5e2, s: "a\tb", bs: """
        two
          lines
      """, t: true, n: null, e: ACTIVE, l: [1 [2]], o: {k: $b, nested: {z: false}}) @other(x: 1)
    }"#;
    let doc = parse(src).unwrap();
    let op = &doc.operations[0];
    assert_eq!(op.variables[0].ty.to_string(), "[String!]!");
    assert_eq!(op.variables[0].default, Some(InputValue::List(vec![InputValue::String("x".into())])));
    let Selection::Field(f) = &op.selection_set[0] else { panic!() };
    let mut vars = serde_json::Map::new();
    vars.insert("b".into(), json!(2));
    let args: serde_json::Map<_, _> = f.arguments.iter().map(|(k, v)| (k.clone(), v.to_json(&vars).unwrap())).collect();
    assert_eq!(
        serde_json::Value::Object(args),
        json!({"i": -3, "fl": 150.0, "s": "a\tb", "bs": "two\n  lines", "t": true, "n": null,
               "e": "ACTIVE", "l": [1, [2]], "o": {"k": 2, "nested": {"z": false}}})
    );
    assert_eq!(f.directives[0].name, "other");
}

#[test]
fn fragments_aliases_and_inline_fragments() {
    let src = "{ x: a { ... on T @skip(if: true) { b } ... @include(if: $v) { c } ...F } } \
               fragment F on T { d }";
    let doc = parse(src).unwrap();
    let Selection::Field(a) = &doc.operations[0].selection_set[0] else { panic!() };
    assert_eq!((a.alias.as_deref(), a.name.as_str(), a.response_key()), (Some("x"), "a", "x"));
    let [Selection::InlineFragment(on_t), Selection::InlineFragment(bare), Selection::FragmentSpread(f)] =
        a.selection_set.as_slice()
    else {
        panic!("{:?}", a.selection_set)
    };
    assert_eq!(on_t.type_condition.as_deref(), Some("T"));
    assert_eq!(on_t.directives[0].name, "skip");
    assert_eq!(bare.type_condition, None);
    assert_eq!(bare.directives[0].arguments[0].1, InputValue::Variable("v".into()));
    assert_eq!((f.name.as_str(), f.location), ("F", Location { line: 1, column: 68 }));
}

#[test]
fn syntax_errors_have_positions() {
    assert_eq!(err("{ a(x: ) }"), ("Expected a value, found ')'".into(), 1, 8));
    assert_eq!(err("query {\n}"), ("Expected a name, found '}'".into(), 2, 1));
    assert_eq!(err("{ a"), ("Expected a name, found end of document".into(), 1, 4));
    assert_eq!(err(""), ("Expected an operation or fragment definition, found end of document".into(), 1, 1));
    assert_eq!(err("{ a() }").0, "Expected a name, found ')'");
    assert_eq!(err("fragment on on T { a }").0, "Expected a fragment name other than 'on', found 'on'");
    assert_eq!(err("query($a: Int = $b) { a }").0, "Variables are not allowed in constant values");
    assert_eq!(err("{ a }}").0, "Expected an operation or fragment definition, found '}'");
    assert_eq!(err("{ a(b: \"open) }").0, "Unterminated string");
}

#[test]
fn nesting_and_size_limits_reject_hostile_input() {
    let deep = format!("{}{}", "{ a ".repeat(100), "}".repeat(100));
    assert!(err(&deep).0.contains("maximum depth of 64"));
    let brackets = format!("{{ a(x: {}) }}", "[".repeat(100_000));
    assert!(err(&brackets).0.contains("maximum depth"));
    let types = format!("query($x: {}Int) {{ a }}", "[".repeat(100_000));
    assert!(err(&types).0.contains("maximum depth"));
    let ok = format!("{}b{}", "{ a ".repeat(63), "}".repeat(63));
    assert!(parse(&ok).is_ok());
    let limits = Limits { max_document_bytes: 10, ..Limits::default() };
    let e = parse_with_limits("{ aaaaaaaaaaa }", &limits).unwrap_err();
    assert_eq!(e.location, Location { line: 1, column: 1 });
    assert!(e.message.contains("maximum size of 10 bytes"));
}

/// Fragments of GraphQL syntax, so random documents get past the lexer.
fn token() -> impl Strategy<Value = &'static str> {
    prop::sample::select(vec![
        "{",
        "}",
        "(",
        ")",
        "[",
        "]",
        ":",
        "$",
        "!",
        "=",
        "@",
        "...",
        "on",
        "query",
        "mutation",
        "fragment",
        "F",
        "a",
        "first",
        "edges",
        "node",
        "nodes",
        "10",
        "-1",
        "1.5",
        "\"s\"",
        "\"\"\"b\"\"\"",
        "true",
        "null",
        "skip",
        "include",
        "if",
        "#c\n",
        ",",
        " ",
        "\n",
        "x",
    ])
}

proptest! {
    #[test]
    fn random_strings_never_panic(src in "\\PC{0,200}") {
        let _ = parse(&src);
    }

    #[test]
    fn random_token_soup_never_panics_anywhere(tokens in prop::collection::vec(token(), 0..80)) {
        let src = tokens.join(" ");
        if let Ok(doc) = parse(&src) {
            let vars = vars(json!({"a": true, "first": 2}));
            let _ = requested_cost(&doc, None, &vars);
            let limits = Limits { max_work: 10_000, ..Limits::default() };
            let _ = execute_with_limits(&doc, None, &vars, &query_root(), &limits);
        }
    }
}
