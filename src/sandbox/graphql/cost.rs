//! Shopify-style query cost.
//!
//! **Documented model** (shopify.dev, "GraphQL Admin API rate limits"):
//! scalars and enums cost 0; objects cost 1; connections are sized by their
//! `first`/`last` argument (2 plus that many times the cost of one item);
//! interfaces and unions cost the maximum of their possible selections;
//! a mutation costs 10. Shopify charges the *requested* cost up front and
//! refunds down to the *actual* cost after execution.
//!
//! **Assumptions of this implementation** (no schema is available):
//! * A field with a sub-selection is an object (1); without one, a scalar or
//!   enum (0). `__typename` is free.
//! * A field is a connection iff it has a non-null `first` or `last` argument
//!   (if both, the larger counts). `quantities(names: [..])` is therefore a
//!   plain object field costing 1, however many items it returns.
//! * Inside a connection, one item is whatever `edges { node }` and `nodes`
//!   select: each `node` / `nodes` entry costs 1 plus its selection. The
//!   connection and edge wrappers, `cursor` and `pageInfo` cost nothing.
//!   Any other field on the connection or edge is charged once per item.
//! * Abstract types: selections without a type condition are summed; those
//!   under type conditions (inline fragments or fragment spreads) are summed
//!   per condition, and the most expensive condition is added.
//! * Each root field of a mutation costs a flat 10, its payload included.
//! * Actual cost applies the same rules to what was returned: null objects
//!   cost 0, connections count the edges/nodes actually returned, and a
//!   plain list of objects costs 1 plus its most expensive element, mirroring
//!   the static rule that prices such a list like a single object.
//! * If analysis exceeds [`Limits::max_work`] the cost saturates to `u64::MAX`,
//!   so a pathological query is simply "too expensive".

use std::collections::{HashMap, HashSet};

use serde_json::{Map, Value};

use super::Limits;
use super::ast::{Document, Field, Fragment, Operation, OperationKind, Selection, is_included};

/// Where a selection set sits, which decides how its fields are charged.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Shape {
    Plain,
    MutationRoot,
    ConnectionBody,
    Edge,
}

/// How one field is charged.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Rule {
    /// `__typename`, `pageInfo`: nothing.
    Free,
    /// Mutation root fields: a fixed price, children not counted.
    Flat(u64),
    /// An ordinary object (or list of objects): 1 plus its selection.
    Object,
    /// A connection item (`edges.node`, `nodes`): 1 plus its selection, each.
    Item,
    /// A connection: 2 plus its items.
    Connection,
    /// The `edges` wrapper: free, its items are charged.
    Edges,
}

/// Price of a mutation's root field.
const MUTATION_COST: u64 = 10;

pub(super) fn classify(shape: Shape, name: &str, is_connection: bool) -> Rule {
    match (shape, name) {
        (_, "__typename") => Rule::Free,
        (Shape::MutationRoot, _) => Rule::Flat(MUTATION_COST),
        _ if is_connection => Rule::Connection,
        (Shape::ConnectionBody, "pageInfo") => Rule::Free,
        (Shape::ConnectionBody, "edges") => Rule::Edges,
        (Shape::ConnectionBody, "nodes") | (Shape::Edge, "node") => Rule::Item,
        _ => Rule::Object,
    }
}

impl Rule {
    pub(super) fn child_shape(self) -> Shape {
        match self {
            Self::Connection => Shape::ConnectionBody,
            Self::Edges => Shape::Edge,
            _ => Shape::Plain,
        }
    }

    /// Actual cost, given the selection cost of every object the field
    /// resolved to (list elements flattened; nulls and scalars excluded).
    pub(super) fn charge(self, objects: &[u64]) -> u64 {
        let sum = |extra: u64| objects.iter().fold(0u64, |acc, c| acc.saturating_add(c.saturating_add(extra)));
        match self {
            Self::Free => 0,
            Self::Flat(c) => c,
            _ if objects.is_empty() => 0,
            Self::Object => objects.iter().max().map_or(0, |m| m.saturating_add(1)),
            Self::Item => sum(1),
            Self::Connection => sum(0).saturating_add(2),
            Self::Edges => sum(0),
        }
    }
}

/// The static (requested) cost of the selected operation, before execution.
/// `first`/`last` come from literals or `variables` (falling back to the
/// variables' declared defaults). Returns 0 if the operation is not found.
#[must_use]
pub fn requested_cost(document: &Document, operation_name: Option<&str>, variables: &Map<String, Value>) -> u64 {
    document.operation(operation_name).map_or(0, |op| operation_cost(document, op, variables, &Limits::default()))
}

pub(super) fn operation_cost(doc: &Document, op: &Operation, provided: &Map<String, Value>, limits: &Limits) -> u64 {
    let mut vars = provided.clone();
    for def in &op.variables {
        if let (false, Some(default)) = (vars.contains_key(&def.name), &def.default) {
            let value = default.to_json(&Map::new()).unwrap_or(Value::Null);
            vars.insert(def.name.clone(), value);
        }
    }
    let mut walker = StaticCost {
        fragments: doc.fragments.iter().map(|f| (f.name.as_str(), f)).collect(),
        vars: &vars,
        work: 0,
        max_work: limits.max_work,
    };
    let shape = match op.kind {
        OperationKind::Mutation => Shape::MutationRoot,
        _ => Shape::Plain,
    };
    let cost = walker.set_cost(&op.selection_set, shape);
    if walker.work > walker.max_work { u64::MAX } else { cost }
}

struct StaticCost<'d> {
    fragments: HashMap<&'d str, &'d Fragment>,
    vars: &'d Map<String, Value>,
    work: usize,
    max_work: usize,
}

/// Running totals for one selection set: untyped part and per type condition.
#[derive(Default)]
struct Branches<'d> {
    base: u64,
    typed: Vec<(&'d str, u64)>,
    visited: HashSet<&'d str>,
}

impl<'d> Branches<'d> {
    fn add(&mut self, condition: Option<&'d str>, cost: u64) {
        let slot = match condition {
            None => &mut self.base,
            Some(cond) => {
                let idx = if let Some(i) = self.typed.iter().position(|(c, _)| *c == cond) {
                    i
                } else {
                    self.typed.push((cond, 0));
                    self.typed.len() - 1
                };
                &mut self.typed[idx].1
            }
        };
        *slot = slot.saturating_add(cost);
    }
}

impl<'d> StaticCost<'d> {
    fn set_cost(&mut self, set: &'d [Selection], shape: Shape) -> u64 {
        let mut branches = Branches::default();
        self.walk(set, shape, None, &mut branches);
        let widest = branches.typed.iter().map(|(_, c)| *c).max().unwrap_or(0);
        branches.base.saturating_add(widest)
    }

    fn walk(&mut self, set: &'d [Selection], shape: Shape, condition: Option<&'d str>, acc: &mut Branches<'d>) {
        for sel in set {
            self.work += 1;
            if self.work > self.max_work {
                return;
            }
            if !is_included(sel.directives(), self.vars).unwrap_or(true) {
                continue;
            }
            match sel {
                Selection::Field(f) => {
                    let cost = self.field_cost(f, shape);
                    acc.add(condition, cost);
                }
                Selection::InlineFragment(i) => {
                    let cond = i.type_condition.as_deref().or(condition);
                    self.walk(&i.selection_set, shape, cond, acc);
                }
                Selection::FragmentSpread(s) => {
                    let frag = self.fragments.get(s.name.as_str()).copied();
                    if let (true, Some(frag)) = (acc.visited.insert(&s.name), frag) {
                        let cond = Some(frag.type_condition.as_str());
                        self.walk(&frag.selection_set, shape, cond, acc);
                    }
                }
            }
        }
    }

    fn field_cost(&mut self, f: &'d Field, shape: Shape) -> u64 {
        let size = self.connection_size(f);
        let rule = classify(shape, &f.name, size.is_some());
        match rule {
            Rule::Free => 0,
            Rule::Flat(c) => c,
            Rule::Object | Rule::Item if f.selection_set.is_empty() => 0,
            Rule::Object | Rule::Item => 1 + self.set_cost(&f.selection_set, Shape::Plain),
            Rule::Edges => self.set_cost(&f.selection_set, Shape::Edge),
            Rule::Connection => {
                let per_item = self.set_cost(&f.selection_set, rule.child_shape());
                size.unwrap_or(0).saturating_mul(per_item).saturating_add(2)
            }
        }
    }

    /// `Some(n)` for a connection of `n` requested items, `None` otherwise.
    fn connection_size(&self, f: &Field) -> Option<u64> {
        let arg = |name| f.argument(name).and_then(|v| v.to_json(self.vars)).filter(|v| !v.is_null());
        let (first, last) = (arg("first"), arg("last"));
        if first.is_none() && last.is_none() {
            return None;
        }
        let count = |v: Option<Value>| v.and_then(|v| v.as_i64()).and_then(|i| u64::try_from(i).ok()).unwrap_or(0);
        Some(count(first).max(count(last)))
    }
}

#[cfg(test)]
#[path = "cost_tests.rs"]
mod tests;
