//! Execution (spec section 6, simplified): operation selection, variable
//! coercion, field collection with fragments and `@skip`/`@include`, field
//! merging, resolver calls, and error paths. There is no non-null bubbling:
//! a failing field becomes `null` and an entry in `errors`.

use std::collections::{HashMap, HashSet};

use serde_json::{Map, Value};

use super::ast::{
    Document, Field, Fragment, Location, Operation, OperationKind, Selection, Value as Literal, is_included,
};
use super::cost::{self, Shape};
use super::response::{GraphQlError, PathSegment, Response};
use super::variables::coerce_variables;
use super::{Arguments, Limits, Object, Resolved, parse};

/// Parses `query` and executes it; parse errors become request errors.
pub fn run(query: &str, operation_name: Option<&str>, variables: &Map<String, Value>, root: &dyn Object) -> Response {
    match parse(query) {
        Ok(doc) => execute(&doc, operation_name, variables, root),
        Err(e) => Response::request_errors(vec![e.into()]),
    }
}

/// Executes one operation of `document` against `root` with default [`Limits`].
pub fn execute(
    document: &Document,
    operation_name: Option<&str>,
    variables: &Map<String, Value>,
    root: &dyn Object,
) -> Response {
    execute_with_limits(document, operation_name, variables, root, &Limits::default())
}

/// Like [`execute`], with explicit limits (only `max_work` and `max_depth`
/// matter here; the document is already parsed).
pub fn execute_with_limits(
    document: &Document,
    operation_name: Option<&str>,
    variables: &Map<String, Value>,
    root: &dyn Object,
    limits: &Limits,
) -> Response {
    let op = match select_operation(document, operation_name) {
        Ok(op) => op,
        Err(e) => return Response::request_errors(vec![e]),
    };
    let vars = match coerce_variables(op, variables) {
        Ok(vars) => vars,
        Err(errors) => return Response::request_errors(errors),
    };
    let requested_cost = cost::operation_cost(document, op, &vars, limits);
    let mut exec = Executor {
        fragments: document.fragments.iter().map(|f| (f.name.as_str(), f)).collect(),
        declared: op.variables.iter().map(|v| v.name.as_str()).collect(),
        vars,
        limits: *limits,
        errors: Vec::new(),
        path: Vec::new(),
        work: 0,
    };
    let shape = match op.kind {
        OperationKind::Mutation => Shape::MutationRoot,
        _ => Shape::Plain,
    };
    match exec.execute_object(root, &[&op.selection_set], shape, 1) {
        Ok((data, actual_cost)) => {
            Response { data: Some(Value::Object(data)), errors: exec.errors, requested_cost, actual_cost }
        }
        Err(abort) => Response { requested_cost, ..Response::request_errors(vec![abort]) },
    }
}

fn select_operation<'d>(doc: &'d Document, name: Option<&str>) -> Result<&'d Operation, GraphQlError> {
    let op = doc.operation(name).ok_or_else(|| {
        let msg = match name {
            Some(n) => format!("No operation named '{n}'"),
            None => "An operation name is required when the document has several operations".to_owned(),
        };
        GraphQlError::request(msg, None)
    })?;
    if op.kind == OperationKind::Subscription {
        let msg = "Subscriptions are not supported";
        return Err(GraphQlError::request(msg, Some(op.location)));
    }
    Ok(op)
}

/// Fields grouped by response key, in first-seen order.
#[derive(Default)]
struct Collected<'d> {
    groups: Vec<(&'d str, Vec<&'d Field>)>,
    index: HashMap<&'d str, usize>,
    visited: HashSet<&'d str>,
}

impl<'d> Collected<'d> {
    fn push(&mut self, field: &'d Field) {
        let key = field.response_key();
        if let Some(&i) = self.index.get(key) {
            self.groups[i].1.push(field);
        } else {
            self.index.insert(key, self.groups.len());
            self.groups.push((key, vec![field]));
        }
    }
}

/// What completing one field's value needs besides the value itself.
struct Completion<'c, 'd> {
    field: &'d Field,
    sub: &'c [&'d [Selection]],
    shape: Shape,
    depth: usize,
}

struct Executor<'d> {
    fragments: HashMap<&'d str, &'d Fragment>,
    declared: HashSet<&'d str>,
    vars: Map<String, Value>,
    limits: Limits,
    errors: Vec<GraphQlError>,
    path: Vec<PathSegment>,
    work: usize,
}

impl<'d> Executor<'d> {
    /// Counts one unit of work; aborts the request once the budget is spent.
    fn tick(&mut self, at: Location) -> Result<(), GraphQlError> {
        self.work += 1;
        if self.work <= self.limits.max_work {
            return Ok(());
        }
        let msg = format!("Query exceeds the execution limit of {} selections", self.limits.max_work);
        Err(GraphQlError::request(msg, Some(at)).with_code("MAX_WORK_EXCEEDED"))
    }

    fn field_error(&mut self, message: String, code: Option<String>, field: &Field) {
        self.errors.push(GraphQlError { message, locations: vec![field.location], path: self.path.clone(), code });
    }

    fn collect(
        &mut self,
        obj: &dyn Object,
        sets: &[&'d [Selection]],
    ) -> Result<Vec<(&'d str, Vec<&'d Field>)>, GraphQlError> {
        let mut collected = Collected::default();
        for set in sets {
            self.collect_into(obj, set, &mut collected)?;
        }
        Ok(collected.groups)
    }

    /// The spec's `CollectFields` for one selection set.
    fn collect_into(
        &mut self,
        obj: &dyn Object,
        set: &'d [Selection],
        out: &mut Collected<'d>,
    ) -> Result<(), GraphQlError> {
        for sel in set {
            let at = sel.location();
            self.tick(at)?;
            let included = is_included(sel.directives(), &self.vars).map_err(|m| GraphQlError::request(m, Some(at)))?;
            if !included {
                continue;
            }
            match sel {
                Selection::Field(f) => out.push(f),
                Selection::FragmentSpread(s) => {
                    let frag = self.fragments.get(s.name.as_str()).copied();
                    if let (true, Some(frag)) = (out.visited.insert(&s.name), frag)
                        && obj.is_a(&frag.type_condition)
                    {
                        self.collect_into(obj, &frag.selection_set, out)?;
                    }
                }
                Selection::InlineFragment(i) => {
                    if i.type_condition.as_deref().is_none_or(|t| obj.is_a(t)) {
                        self.collect_into(obj, &i.selection_set, out)?;
                    }
                }
            }
        }
        Ok(())
    }

    fn execute_object(
        &mut self,
        obj: &dyn Object,
        sets: &[&'d [Selection]],
        shape: Shape,
        depth: usize,
    ) -> Result<(Map<String, Value>, u64), GraphQlError> {
        if depth > self.limits.max_depth.saturating_add(1) {
            let msg = "Query nesting exceeds the maximum depth";
            return Err(GraphQlError::request(msg, None));
        }
        let mut out = Map::new();
        let mut total: u64 = 0;
        for (key, fields) in self.collect(obj, sets)? {
            self.path.push(PathSegment::Key(key.to_owned()));
            let result = self.execute_field(obj, &fields, shape, depth);
            self.path.pop();
            let (value, cost) = result?;
            out.insert(key.to_owned(), value);
            total = total.saturating_add(cost);
        }
        Ok((out, total))
    }

    /// Resolves one merged field; returns its value and actual cost.
    fn execute_field(
        &mut self,
        obj: &dyn Object,
        fields: &[&'d Field],
        shape: Shape,
        depth: usize,
    ) -> Result<(Value, u64), GraphQlError> {
        let Some(&field) = fields.first() else {
            return Ok((Value::Null, 0));
        };
        self.tick(field.location)?;
        if field.name == "__typename" {
            return Ok((Value::String(obj.typename().to_owned()), 0));
        }
        let args = self.arguments(field)?;
        let rule = cost::classify(shape, &field.name, args.is_connection());
        let resolved = match obj.field(&field.name, &args) {
            Ok(r) => r,
            Err(e) => {
                self.field_error(e.message, e.code, field);
                return Ok((Value::Null, 0));
            }
        };
        let sub: Vec<&'d [Selection]> =
            fields.iter().map(|f| f.selection_set.as_slice()).filter(|s| !s.is_empty()).collect();
        let ctx = Completion { field, sub: &sub, shape: rule.child_shape(), depth };
        let mut objects = Vec::new();
        let value = self.complete(resolved, &ctx, &mut objects)?;
        Ok((value, rule.charge(&objects)))
    }

    /// The spec's `CompleteValue`; pushes the selection cost of each
    /// object it resolves onto `objects`.
    fn complete(
        &mut self,
        resolved: Resolved<'_>,
        ctx: &Completion<'_, 'd>,
        objects: &mut Vec<u64>,
    ) -> Result<Value, GraphQlError> {
        let name = &ctx.field.name;
        match resolved {
            Resolved::Null => Ok(Value::Null),
            Resolved::Value(v) if ctx.sub.is_empty() => Ok(v),
            Resolved::Value(_) => {
                let msg = format!("Selections can't be made on scalars (field '{name}')");
                self.field_error(msg, Some("selectionMismatch".into()), ctx.field);
                Ok(Value::Null)
            }
            Resolved::Object(o) if ctx.sub.is_empty() => {
                let msg = format!(
                    "Field must have selections (field '{name}' returns {} but has no selections)",
                    o.typename()
                );
                self.field_error(msg, Some("selectionMismatch".into()), ctx.field);
                Ok(Value::Null)
            }
            Resolved::Object(o) => {
                let (map, cost) = self.execute_object(&*o, ctx.sub, ctx.shape, ctx.depth + 1)?;
                objects.push(cost);
                Ok(Value::Object(map))
            }
            Resolved::List(items) => {
                let mut out = Vec::with_capacity(items.len());
                for (i, item) in items.into_iter().enumerate() {
                    self.tick(ctx.field.location)?;
                    self.path.push(PathSegment::Index(i));
                    let value = self.complete(item, ctx, objects);
                    self.path.pop();
                    out.push(value?);
                }
                Ok(Value::Array(out))
            }
        }
    }

    fn arguments(&self, field: &Field) -> Result<Arguments, GraphQlError> {
        let mut map = Map::new();
        for (name, value) in &field.arguments {
            self.check_declared(value, field.location)?;
            if let Some(v) = value.to_json(&self.vars) {
                map.insert(name.clone(), v);
            }
        }
        Ok(Arguments::new(map))
    }

    /// Spec rule "All Variable Uses Defined", checked where the value is used.
    fn check_declared(&self, value: &Literal, at: Location) -> Result<(), GraphQlError> {
        match value {
            Literal::Variable(n) if !self.declared.contains(n.as_str()) => {
                let msg = format!("Variable ${n} is used but not declared");
                Err(GraphQlError::request(msg, Some(at)).with_code("undefinedVariable"))
            }
            Literal::List(items) => items.iter().try_for_each(|v| self.check_declared(v, at)),
            Literal::Object(fields) => fields.iter().try_for_each(|(_, v)| self.check_declared(v, at)),
            _ => Ok(()),
        }
    }
}

#[cfg(test)]
#[path = "exec_tests.rs"]
mod tests;
