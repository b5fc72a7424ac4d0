//! Variable coercion (spec `CoerceVariableValues`): built-in scalars are
//! checked, list wrapping is applied, and other named types (input objects,
//! enums, custom scalars) pass through for the resolver to judge.

use serde_json::{Map, Value};

use super::ast::{Operation, TypeRef};
use super::response::GraphQlError;

/// Coerces provided variables against the operation's definitions, applying
/// defaults. Every problem is reported, as a request error.
pub(super) fn coerce_variables(
    op: &Operation,
    provided: &Map<String, Value>,
) -> Result<Map<String, Value>, Vec<GraphQlError>> {
    let mut out = Map::new();
    let mut errors = Vec::new();
    for def in &op.variables {
        let coerced = match (provided.get(&def.name), &def.default) {
            (Some(v), _) => coerce(v, &def.ty),
            (None, Some(default)) => Ok(default.to_json(&Map::new()).unwrap_or(Value::Null)),
            (None, None) if matches!(def.ty, TypeRef::NonNull(_)) => Err("Expected value to not be null".to_owned()),
            (None, None) => continue,
        };
        match coerced {
            Ok(v) => {
                out.insert(def.name.clone(), v);
            }
            Err(problem) => {
                let msg = format!("Variable ${} of type {} was provided invalid value: {problem}", def.name, def.ty);
                let err = GraphQlError::request(msg, Some(def.location));
                errors.push(err.with_code("INVALID_VARIABLE"));
            }
        }
    }
    if errors.is_empty() { Ok(out) } else { Err(errors) }
}

fn coerce(v: &Value, ty: &TypeRef) -> Result<Value, String> {
    match ty {
        TypeRef::NonNull(_) if v.is_null() => Err("Expected value to not be null".to_owned()),
        TypeRef::NonNull(inner) => coerce(v, inner),
        _ if v.is_null() => Ok(Value::Null),
        TypeRef::List(inner) => match v {
            Value::Array(items) => items.iter().map(|i| coerce(i, inner)).collect(),
            single => Ok(Value::Array(vec![coerce(single, inner)?])),
        },
        TypeRef::Named(name) => coerce_scalar(v, name),
    }
}

fn coerce_scalar(v: &Value, name: &str) -> Result<Value, String> {
    let ok = match name {
        "Int" => v.as_i64().is_some_and(|i| i32::try_from(i).is_ok()),
        "Float" => v.is_number(),
        "Boolean" => v.is_boolean(),
        "ID" if v.is_i64() || v.is_u64() => return Ok(Value::String(v.to_string())),
        "String" | "ID" => v.is_string(),
        _ => true,
    };
    if ok { Ok(v.clone()) } else { Err(format!("Could not coerce value {v} to {name}")) }
}

#[cfg(test)]
mod tests {
    use super::super::parse;
    use super::*;
    use serde_json::json;

    fn coerced(query: &str, vars: Value) -> Result<Value, Vec<String>> {
        let doc = parse(query).unwrap();
        let Value::Object(vars) = vars else { panic!() };
        coerce_variables(&doc.operations[0], &vars)
            .map(Value::Object)
            .map_err(|errs| errs.into_iter().map(|e| e.message).collect())
    }

    #[test]
    fn defaults_lists_and_ids() {
        let q = "query($a: Int = 7, $b: [String!]!, $c: ID, $d: MyInput) { x(a: $a, b: $b, c: $c, d: $d) }";
        let got = coerced(q, json!({"b": "one", "c": 42, "d": {"k": [1]}}));
        assert_eq!(got, Ok(json!({"a": 7, "b": ["one"], "c": "42", "d": {"k": [1]}})));
    }

    #[test]
    fn missing_and_mistyped_variables_are_all_reported() {
        let q = "query($first: Int!, $b: Boolean, $l: [Int!]) { x(a: $first, b: $b, l: $l) }";
        let errs = coerced(q, json!({"b": "yes", "l": [1, null]})).unwrap_err();
        assert_eq!(
            errs,
            vec![
                "Variable $first of type Int! was provided invalid value: Expected value to not be null",
                "Variable $b of type Boolean was provided invalid value: Could not coerce value \"yes\" to Boolean",
                "Variable $l of type [Int!] was provided invalid value: Expected value to not be null",
            ]
        );
        let errs = coerced("query($n: Int) { x(n: $n) }", json!({"n": 3_000_000_000_i64})).unwrap_err();
        assert_eq!(errs.len(), 1);
    }
}
