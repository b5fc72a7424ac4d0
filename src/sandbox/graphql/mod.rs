//! A small GraphQL executor for the sandbox's imitation of the Shopify Admin API.
//!
//! Why it exists: the sandbox must answer the same query documents the real
//! clients send, and charge the same kind of query cost, without a schema
//! language or a heavyweight GraphQL framework. So this module:
//!
//! * parses executable documents ([`parse()`]) — operations, variables,
//!   fragments, inline fragments, directives, every literal kind;
//! * executes them ([`execute`]) against hand-written resolvers that implement
//!   [`Object`]; there is no schema, so resolvers own type knowledge
//!   (unknown fields, leaf vs object) and this module owns GraphQL semantics
//!   (aliases, fragment merging, `@skip`/`@include`, error paths);
//! * computes Shopify-style costs ([`requested_cost`] and
//!   [`Response::actual_cost`]); see the `cost` module for the model.
//!
//! Hostile input is bounded by [`Limits`]: document size, nesting depth
//! (including fragment expansion) and total work during execution.

mod ast;
mod cost;
mod exec;
mod lex;
mod parse;
mod response;
mod validate;
mod variables;

#[cfg(test)]
mod testkit;

use serde_json::{Map, Value};

pub use ast::{
    Directive, Document, Field, Fragment, FragmentSpread, InlineFragment, Location, Operation, OperationKind,
    ParseError, Selection, TypeRef, Value as InputValue, VariableDefinition,
};
pub use cost::requested_cost;
pub use exec::{execute, execute_with_limits, run};
pub use parse::{parse, parse_with_limits};
pub use response::{GraphQlError, PathSegment, Response};

/// Caps that keep a hostile request from exhausting the sandbox.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Largest accepted query text, in bytes.
    pub max_document_bytes: usize,
    /// Deepest nesting of selection sets (fragments expanded), list/object
    /// literals and list types.
    pub max_depth: usize,
    /// Upper bound on selections visited plus fields resolved by one
    /// execution (and on selections walked by static cost analysis).
    pub max_work: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self { max_document_bytes: 256 * 1024, max_depth: 64, max_work: 500_000 }
    }
}

/// A GraphQL object the executor can select fields from.
///
/// Sandbox types implement this by matching on the field name; the
/// executor handles aliases, fragments, directives and `__typename`.
pub trait Object {
    /// The concrete GraphQL type name, e.g. `"Product"`.
    fn typename(&self) -> &str;

    /// Whether this object satisfies a fragment's type condition: its own
    /// type, or an interface/union it belongs to. Override for abstract types.
    fn is_a(&self, type_condition: &str) -> bool {
        self.typename() == type_condition
    }

    /// Resolves one field. Return [`FieldError::unknown_field`] for names the
    /// type does not have.
    ///
    /// # Errors
    /// A [`FieldError`]; the executor nulls the field and records the error.
    fn field(&self, name: &str, args: &Arguments) -> Result<Resolved<'_>, FieldError>;
}

impl<T: Object + ?Sized> Object for &T {
    fn typename(&self) -> &str {
        (**self).typename()
    }
    fn is_a(&self, type_condition: &str) -> bool {
        (**self).is_a(type_condition)
    }
    fn field(&self, name: &str, args: &Arguments) -> Result<Resolved<'_>, FieldError> {
        (**self).field(name, args)
    }
}

/// What a resolver hands back for one field.
pub enum Resolved<'a> {
    Null,
    /// A scalar or enum value, passed through as-is.
    Value(Value),
    Object(Box<dyn Object + 'a>),
    List(Vec<Resolved<'a>>),
}

impl<'a> Resolved<'a> {
    /// A scalar/enum from anything JSON-convertible (`&str`, `i64`, `bool`, ...).
    pub fn value(v: impl Into<Value>) -> Self {
        Self::Value(v.into())
    }

    /// An object; borrow (`&thing`) when the data lives in the parent.
    pub fn object(o: impl Object + 'a) -> Self {
        Self::Object(Box::new(o))
    }

    /// `Null` for `None`, otherwise the mapped value.
    pub fn optional<T>(v: Option<T>, f: impl FnOnce(T) -> Self) -> Self {
        v.map_or(Self::Null, f)
    }

    /// A list of objects.
    pub fn objects<O: Object + 'a>(items: impl IntoIterator<Item = O>) -> Self {
        Self::List(items.into_iter().map(Self::object).collect())
    }
}

/// A resolver failure; becomes an entry in `errors` with the field's path.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct FieldError {
    pub message: String,
    /// Rendered as `extensions.code`.
    pub code: Option<String>,
}

impl FieldError {
    #[must_use]
    pub fn new(message: impl Into<String>) -> Self {
        Self { message: message.into(), code: None }
    }

    #[must_use]
    pub fn with_code(mut self, code: impl Into<String>) -> Self {
        self.code = Some(code.into());
        self
    }

    /// Shopify's wording for a field the type does not define.
    #[must_use]
    pub fn unknown_field(typename: &str, field: &str) -> Self {
        Self::new(format!("Field '{field}' doesn't exist on type '{typename}'")).with_code("undefinedField")
    }
}

/// A field's arguments with variables already substituted. Enum literals
/// appear as JSON strings; arguments whose variable was not provided are absent.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Arguments {
    map: Map<String, Value>,
}

impl Arguments {
    #[must_use]
    pub fn new(map: Map<String, Value>) -> Self {
        Self { map }
    }

    #[must_use]
    pub fn get(&self, name: &str) -> Option<&Value> {
        self.map.get(name).filter(|v| !v.is_null())
    }

    #[must_use]
    pub fn get_i64(&self, name: &str) -> Option<i64> {
        self.get(name).and_then(Value::as_i64)
    }

    #[must_use]
    pub fn get_f64(&self, name: &str) -> Option<f64> {
        self.get(name).and_then(Value::as_f64)
    }

    #[must_use]
    pub fn get_bool(&self, name: &str) -> Option<bool> {
        self.get(name).and_then(Value::as_bool)
    }

    #[must_use]
    pub fn get_str(&self, name: &str) -> Option<&str> {
        self.get(name).and_then(Value::as_str)
    }

    /// A list of strings; a lone string counts as a one-item list (input
    /// coercion rules). `None` if absent or any item is not a string.
    #[must_use]
    pub fn get_str_list(&self, name: &str) -> Option<Vec<&str>> {
        match self.get(name)? {
            Value::Array(items) => items.iter().map(Value::as_str).collect(),
            Value::String(s) => Some(vec![s.as_str()]),
            _ => None,
        }
    }

    /// Whether this field is a connection in the cost model: `first` or `last` given.
    #[must_use]
    pub fn is_connection(&self) -> bool {
        self.get("first").is_some() || self.get("last").is_some()
    }

    #[must_use]
    pub fn as_map(&self) -> &Map<String, Value> {
        &self.map
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn arguments_typed_access() {
        let Value::Object(map) = json!({"first": 5, "after": "c1", "names": ["a", "b"],
            "one": "x", "bad": [1], "nothing": null, "f": 1.5, "b": true})
        else {
            unreachable!()
        };
        let args = Arguments::new(map);
        assert_eq!(args.get_i64("first"), Some(5));
        assert_eq!(args.get_str("after"), Some("c1"));
        assert_eq!(args.get_str_list("names"), Some(vec!["a", "b"]));
        assert_eq!(args.get_str_list("one"), Some(vec!["x"]));
        assert_eq!(args.get_str_list("bad"), None);
        assert_eq!(args.get("nothing"), None);
        assert_eq!(args.get_f64("f"), Some(1.5));
        assert_eq!(args.get_bool("b"), Some(true));
        assert!(args.is_connection());
        assert!(!Arguments::default().is_connection());
    }

    #[test]
    fn unknown_field_message_matches_shopify() {
        let e = FieldError::unknown_field("Product", "colour");
        assert_eq!(e.to_string(), "Field 'colour' doesn't exist on type 'Product'");
        assert_eq!(e.code.as_deref(), Some("undefinedField"));
    }
}
