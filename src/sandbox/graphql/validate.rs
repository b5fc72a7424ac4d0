//! The structural validation rules that need no schema: unique operation and
//! fragment names, lone anonymous operation, known / used / acyclic fragments,
//! and a depth cap that includes fragment expansion.
//!
//! The expanded-depth check is what makes execution and cost analysis safe to
//! write recursively: after it passes, no walk of the document can nest deeper
//! than `max_depth` selection sets, however fragments are chained.

use std::collections::{HashMap, HashSet};

use super::ast::{Document, Location, ParseError, Selection};

pub(super) fn validate(doc: &Document, max_depth: usize) -> Result<(), ParseError> {
    check_names(doc)?;
    let mut walker = Walker { fragments: HashMap::new(), memo: HashMap::new(), on_stack: HashSet::new(), max_depth };
    for f in &doc.fragments {
        if walker.fragments.insert(f.name.as_str(), f).is_some() {
            let msg = format!("There can be only one fragment named '{}'", f.name);
            return Err(ParseError::new(msg, f.location));
        }
    }
    for op in &doc.operations {
        walker.set_depth(&op.selection_set, 1, op.location)?;
    }
    for f in &doc.fragments {
        if !walker.memo.contains_key(f.name.as_str()) {
            let msg = format!("Fragment '{}' was defined, but not used", f.name);
            return Err(ParseError::new(msg, f.location));
        }
    }
    Ok(())
}

fn check_names(doc: &Document) -> Result<(), ParseError> {
    let mut seen = HashSet::new();
    for op in &doc.operations {
        match &op.name {
            None if doc.operations.len() > 1 => {
                let msg = "An anonymous operation must be the only operation in the document";
                return Err(ParseError::new(msg, op.location));
            }
            Some(name) if !seen.insert(name.as_str()) => {
                let msg = format!("There can be only one operation named '{name}'");
                return Err(ParseError::new(msg, op.location));
            }
            _ => {}
        }
    }
    Ok(())
}

struct Walker<'d> {
    fragments: HashMap<&'d str, &'d super::ast::Fragment>,
    /// Expanded depth of each fully visited fragment (its own braces count 1).
    memo: HashMap<&'d str, usize>,
    on_stack: HashSet<&'d str>,
    max_depth: usize,
}

impl<'d> Walker<'d> {
    fn too_deep(&self, at: Location) -> ParseError {
        let msg = format!("Query nesting exceeds the maximum depth of {} (fragments included)", self.max_depth);
        ParseError::new(msg, at)
    }

    /// Depth of `set` counted from its own braces, which sit at absolute `level`.
    fn set_depth(&mut self, set: &'d [Selection], level: usize, at: Location) -> Result<usize, ParseError> {
        if level > self.max_depth {
            return Err(self.too_deep(at));
        }
        let mut deepest = 0;
        for sel in set {
            let d = match sel {
                Selection::Field(f) if f.selection_set.is_empty() => 0,
                Selection::Field(f) => self.set_depth(&f.selection_set, level + 1, f.location)?,
                Selection::InlineFragment(i) => self.set_depth(&i.selection_set, level + 1, i.location)?,
                Selection::FragmentSpread(s) => self.fragment_depth(&s.name, level + 1, s.location)?,
            };
            deepest = deepest.max(d);
        }
        Ok(deepest + 1)
    }

    fn fragment_depth(&mut self, name: &'d str, level: usize, at: Location) -> Result<usize, ParseError> {
        if let Some(&d) = self.memo.get(name) {
            return if level + d - 1 > self.max_depth { Err(self.too_deep(at)) } else { Ok(d) };
        }
        let Some(frag) = self.fragments.get(name).copied() else {
            return Err(ParseError::new(format!("Unknown fragment '{name}'"), at));
        };
        if !self.on_stack.insert(name) {
            let msg = format!("Fragment '{name}' contains an infinite loop");
            return Err(ParseError::new(msg, at));
        }
        let d = self.set_depth(&frag.selection_set, level, frag.location)?;
        self.on_stack.remove(name);
        self.memo.insert(name, d);
        Ok(d)
    }
}

#[cfg(test)]
mod tests {
    use super::super::{Limits, parse, parse_with_limits};

    fn message(src: &str) -> String {
        parse(src).unwrap_err().message
    }

    #[test]
    fn fragment_rules() {
        assert_eq!(message("{ a ...F }"), "Unknown fragment 'F'");
        assert_eq!(
            message("{ a ...F } fragment F on Q { b ...G } fragment G on Q { c { ...F } }"),
            "Fragment 'F' contains an infinite loop"
        );
        assert_eq!(message("{ a } fragment F on Q { b }"), "Fragment 'F' was defined, but not used");
        assert_eq!(
            message("{ ...F } fragment F on Q { b } fragment F on Q { c }"),
            "There can be only one fragment named 'F'"
        );
    }

    #[test]
    fn operation_name_rules() {
        assert!(message("{ a } { b }").contains("anonymous operation"));
        assert!(message("query A { a } query A { b }").contains("only one operation named 'A'"));
        assert!(parse("query A { a } query B { b }").is_ok());
    }

    #[test]
    fn depth_counts_fragment_expansion() {
        let limits = Limits { max_depth: 3, ..Limits::default() };
        // Levels: { (1) a { (2) ...F (3: F's braces) b { (4) } } }
        let src = "{ a { ...F } } fragment F on A { b { c } }";
        let err = parse_with_limits(src, &limits).unwrap_err();
        assert!(err.message.contains("maximum depth of 3"), "{err}");
        assert!(parse_with_limits("{ a { ...F } } fragment F on A { b }", &limits).is_ok());
        // Memoised fragment reached first shallow, then too deep.
        let src = "{ ...F a { ...F } } fragment F on A { b }";
        assert!(parse_with_limits(src, &limits).is_ok());
        let src = "{ ...F a { b { ...F } } } fragment F on A { b }";
        assert!(parse_with_limits(src, &limits).is_err());
    }
}
