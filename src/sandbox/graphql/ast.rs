//! Syntax tree of an executable GraphQL document, plus the small helpers that
//! execution and cost analysis share (value conversion, `@skip`/`@include`).

use serde_json::{Map, Value as Json};

/// A 1-based line and column (in characters) inside the query text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Location {
    pub line: u32,
    pub column: u32,
}

/// A syntax or document-structure error, always pointing at the source.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message} (line {}, column {})", location.line, location.column)]
pub struct ParseError {
    pub message: String,
    pub location: Location,
}

impl ParseError {
    pub(super) fn new(message: impl Into<String>, location: Location) -> Self {
        Self { message: message.into(), location }
    }
}

/// A parsed and structurally checked executable document.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Document {
    pub operations: Vec<Operation>,
    pub fragments: Vec<Fragment>,
}

impl Document {
    /// The fragment definition called `name`, if any.
    #[must_use]
    pub fn fragment(&self, name: &str) -> Option<&Fragment> {
        self.fragments.iter().find(|f| f.name == name)
    }

    /// Picks the operation to run the way the spec's `GetOperation` does:
    /// by name when given, otherwise the document's only operation.
    #[must_use]
    pub fn operation(&self, name: Option<&str>) -> Option<&Operation> {
        match name {
            Some(n) => self.operations.iter().find(|o| o.name.as_deref() == Some(n)),
            None if self.operations.len() == 1 => self.operations.first(),
            None => None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OperationKind {
    Query,
    Mutation,
    Subscription,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Operation {
    pub kind: OperationKind,
    pub name: Option<String>,
    pub variables: Vec<VariableDefinition>,
    pub directives: Vec<Directive>,
    pub selection_set: Vec<Selection>,
    pub location: Location,
}

#[derive(Debug, Clone, PartialEq)]
pub struct VariableDefinition {
    pub name: String,
    pub ty: TypeRef,
    pub default: Option<Value>,
    pub location: Location,
}

/// A variable's declared type, e.g. `[String!]!`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TypeRef {
    Named(String),
    List(Box<TypeRef>),
    NonNull(Box<TypeRef>),
}

impl std::fmt::Display for TypeRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Named(n) => f.write_str(n),
            Self::List(inner) => write!(f, "[{inner}]"),
            Self::NonNull(inner) => write!(f, "{inner}!"),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Fragment {
    pub name: String,
    pub type_condition: String,
    pub directives: Vec<Directive>,
    pub selection_set: Vec<Selection>,
    pub location: Location,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Selection {
    Field(Field),
    FragmentSpread(FragmentSpread),
    InlineFragment(InlineFragment),
}

impl Selection {
    #[must_use]
    pub fn directives(&self) -> &[Directive] {
        match self {
            Self::Field(f) => &f.directives,
            Self::FragmentSpread(s) => &s.directives,
            Self::InlineFragment(i) => &i.directives,
        }
    }

    #[must_use]
    pub fn location(&self) -> Location {
        match self {
            Self::Field(f) => f.location,
            Self::FragmentSpread(s) => s.location,
            Self::InlineFragment(i) => i.location,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    pub alias: Option<String>,
    pub name: String,
    pub arguments: Vec<(String, Value)>,
    pub directives: Vec<Directive>,
    pub selection_set: Vec<Selection>,
    pub location: Location,
}

impl Field {
    /// The key this field gets in the response: its alias, else its name.
    #[must_use]
    pub fn response_key(&self) -> &str {
        self.alias.as_deref().unwrap_or(&self.name)
    }

    /// The literal argument called `name`.
    #[must_use]
    pub fn argument(&self, name: &str) -> Option<&Value> {
        self.arguments.iter().find(|(n, _)| n == name).map(|(_, v)| v)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct FragmentSpread {
    pub name: String,
    pub directives: Vec<Directive>,
    pub location: Location,
}

#[derive(Debug, Clone, PartialEq)]
pub struct InlineFragment {
    pub type_condition: Option<String>,
    pub directives: Vec<Directive>,
    pub selection_set: Vec<Selection>,
    pub location: Location,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Directive {
    pub name: String,
    pub arguments: Vec<(String, Value)>,
    pub location: Location,
}

/// An input value literal as written in the document.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Variable(String),
    Int(i64),
    Float(f64),
    String(String),
    Boolean(bool),
    Null,
    Enum(String),
    List(Vec<Value>),
    Object(Vec<(String, Value)>),
}

impl Value {
    /// Converts the literal to JSON, substituting variables from `vars`.
    /// Returns `None` only when the value itself is an unset variable, so the
    /// caller can treat the argument as absent (spec: `CoerceArgumentValues`).
    /// Unset variables nested in lists become `null`; in objects, the key is dropped.
    #[must_use]
    pub fn to_json(&self, vars: &Map<String, Json>) -> Option<Json> {
        Some(match self {
            Self::Variable(name) => return vars.get(name).cloned(),
            Self::Int(i) => Json::from(*i),
            Self::Float(f) => serde_json::Number::from_f64(*f).map_or(Json::Null, Json::Number),
            Self::String(s) | Self::Enum(s) => Json::String(s.clone()),
            Self::Boolean(b) => Json::Bool(*b),
            Self::Null => Json::Null,
            Self::List(items) => Json::Array(items.iter().map(|v| v.to_json(vars).unwrap_or(Json::Null)).collect()),
            Self::Object(fields) => {
                Json::Object(fields.iter().filter_map(|(k, v)| v.to_json(vars).map(|j| (k.clone(), j))).collect())
            }
        })
    }
}

/// Evaluates `@skip(if:)` and `@include(if:)`; other directives are ignored.
///
/// # Errors
/// A message when `if` is missing or not a Boolean after variable substitution.
pub fn is_included(directives: &[Directive], vars: &Map<String, Json>) -> Result<bool, String> {
    for d in directives {
        let skip_when = match d.name.as_str() {
            "skip" => true,
            "include" => false,
            _ => continue,
        };
        let cond = d.arguments.iter().find(|(n, _)| n == "if").and_then(|(_, v)| v.to_json(vars));
        match cond {
            Some(Json::Bool(b)) if b == skip_when => return Ok(false),
            Some(Json::Bool(_)) => {}
            _ => {
                return Err(format!("Directive '@{}' requires a Boolean argument 'if'", d.name));
            }
        }
    }
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn directive(name: &str, value: Value) -> Directive {
        Directive { name: name.into(), arguments: vec![("if".into(), value)], location: Location::default() }
    }

    #[test]
    fn skip_and_include_follow_the_spec_truth_table() {
        let mut vars = Map::new();
        vars.insert("t".into(), json!(true));
        let skip_t = directive("skip", Value::Variable("t".into()));
        let incl_f = directive("include", Value::Boolean(false));
        let incl_t = directive("include", Value::Boolean(true));
        assert_eq!(is_included(std::slice::from_ref(&skip_t), &vars), Ok(false));
        assert_eq!(is_included(&[incl_f], &vars), Ok(false));
        assert_eq!(is_included(std::slice::from_ref(&incl_t), &vars), Ok(true));
        assert_eq!(is_included(&[incl_t, skip_t], &vars), Ok(false));
        let bad = directive("skip", Value::Int(1));
        assert!(is_included(&[bad], &vars).is_err());
    }

    #[test]
    fn unset_variables_are_absent_at_top_level_and_null_in_lists() {
        let vars = Map::new();
        assert_eq!(Value::Variable("x".into()).to_json(&vars), None);
        let list = Value::List(vec![Value::Variable("x".into()), Value::Enum("A".into())]);
        assert_eq!(list.to_json(&vars), Some(json!([null, "A"])));
        let obj = Value::Object(vec![("a".into(), Value::Variable("x".into())), ("b".into(), Value::Float(1.5))]);
        assert_eq!(obj.to_json(&vars), Some(json!({"b": 1.5})));
    }
}
