//! The response shape from the spec's "Response" section, plus Shopify's
//! `extensions.cost` numbers.

use serde_json::{Map, Value, json};

use super::ast::{Location, ParseError};

/// One step of an error's `path`: an output key or a list index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PathSegment {
    Key(String),
    Index(usize),
}

/// An entry of the response's `errors` list.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct GraphQlError {
    pub message: String,
    pub locations: Vec<Location>,
    /// Empty for request errors (no field involved).
    pub path: Vec<PathSegment>,
    /// Rendered as `extensions.code`, the way Shopify tags its errors.
    pub code: Option<String>,
}

impl GraphQlError {
    /// A request-level error (no path) at an optional location.
    #[must_use]
    pub fn request(message: impl Into<String>, location: Option<Location>) -> Self {
        Self { message: message.into(), locations: location.into_iter().collect(), path: Vec::new(), code: None }
    }

    #[must_use]
    pub fn with_code(mut self, code: impl Into<String>) -> Self {
        self.code = Some(code.into());
        self
    }

    #[must_use]
    pub fn to_json(&self) -> Value {
        let mut out = Map::new();
        out.insert("message".into(), Value::String(self.message.clone()));
        if !self.locations.is_empty() {
            let locs = self.locations.iter().map(|l| json!({"line": l.line, "column": l.column})).collect();
            out.insert("locations".into(), Value::Array(locs));
        }
        if !self.path.is_empty() {
            let path = self
                .path
                .iter()
                .map(|p| match p {
                    PathSegment::Key(k) => Value::String(k.clone()),
                    PathSegment::Index(i) => Value::from(*i),
                })
                .collect();
            out.insert("path".into(), Value::Array(path));
        }
        if let Some(code) = &self.code {
            out.insert("extensions".into(), json!({ "code": code }));
        }
        Value::Object(out)
    }
}

impl From<ParseError> for GraphQlError {
    fn from(e: ParseError) -> Self {
        Self::request(e.message, Some(e.location)).with_code("parseError")
    }
}

/// The outcome of executing one request.
#[derive(Debug, Clone, PartialEq)]
pub struct Response {
    /// `None` when a request error stopped execution before it began
    /// (spec: the `data` entry must then be absent).
    pub data: Option<Value>,
    pub errors: Vec<GraphQlError>,
    /// Static cost of the selected operation (see the `cost` module).
    pub requested_cost: u64,
    /// Cost of what was actually resolved; 0 when execution did not run.
    pub actual_cost: u64,
}

impl Response {
    /// A response carrying only request errors.
    #[must_use]
    pub fn request_errors(errors: Vec<GraphQlError>) -> Self {
        Self { data: None, errors, requested_cost: 0, actual_cost: 0 }
    }

    /// The JSON body to send: `data`, `errors` (when any) and
    /// `extensions.cost.{requestedQueryCost, actualQueryCost}`.
    /// Shopify's `throttleStatus` is left to the caller, which owns the bucket.
    #[must_use]
    pub fn to_json(&self) -> Value {
        let mut out = Map::new();
        if !self.errors.is_empty() {
            let errors = self.errors.iter().map(GraphQlError::to_json).collect();
            out.insert("errors".into(), Value::Array(errors));
        }
        if let Some(data) = &self.data {
            out.insert("data".into(), data.clone());
        }
        let actual = if self.data.is_some() { Value::from(self.actual_cost) } else { Value::Null };
        out.insert(
            "extensions".into(),
            json!({"cost": {"requestedQueryCost": self.requested_cost, "actualQueryCost": actual}}),
        );
        Value::Object(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_json_has_spec_shape() {
        let err = GraphQlError {
            message: "boom".into(),
            locations: vec![Location { line: 2, column: 5 }],
            path: vec![PathSegment::Key("products".into()), PathSegment::Index(3)],
            code: Some("INTERNAL".into()),
        };
        assert_eq!(
            err.to_json(),
            json!({"message": "boom", "locations": [{"line": 2, "column": 5}],
                   "path": ["products", 3], "extensions": {"code": "INTERNAL"}})
        );
    }

    #[test]
    fn request_error_response_omits_data() {
        let r = Response::request_errors(vec![GraphQlError::request("bad", None)]);
        assert_eq!(
            r.to_json(),
            json!({"errors": [{"message": "bad"}],
                   "extensions": {"cost": {"requestedQueryCost": 0, "actualQueryCost": null}}})
        );
    }
}
