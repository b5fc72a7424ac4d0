//! Recursive-descent parser for executable documents (spec section 2).
//!
//! Nesting (selection sets, list/object literals, list types) is capped by
//! [`Limits::max_depth`] so hostile input cannot overflow the stack, and the
//! whole document is capped by [`Limits::max_document_bytes`].

use super::Limits;
use super::ast::{
    Directive, Document, Field, Fragment, FragmentSpread, InlineFragment, Location, Operation, OperationKind,
    ParseError, Selection, TypeRef, Value, VariableDefinition,
};
use super::lex::{Tok, Token, tokenize};

/// Parses and structurally checks `src` with the default [`Limits`].
///
/// # Errors
/// A [`ParseError`] with the line and column of the first problem.
pub fn parse(src: &str) -> Result<Document, ParseError> {
    parse_with_limits(src, &Limits::default())
}

/// Like [`parse`], with explicit limits.
///
/// # Errors
/// A [`ParseError`] for syntax errors, limit violations, and the structural
/// rules checked by `validate` (unknown/unused/cyclic fragments, names).
pub fn parse_with_limits(src: &str, limits: &Limits) -> Result<Document, ParseError> {
    if src.len() > limits.max_document_bytes {
        return Err(ParseError::new(
            format!("Document exceeds the maximum size of {} bytes", limits.max_document_bytes),
            Location { line: 1, column: 1 },
        ));
    }
    let mut parser = Parser { toks: tokenize(src)?, i: 0, depth: 0, max_depth: limits.max_depth };
    let doc = parser.document()?;
    super::validate::validate(&doc, limits.max_depth)?;
    Ok(doc)
}

struct Parser {
    toks: Vec<Token>,
    i: usize,
    depth: usize,
    max_depth: usize,
}

const EOF: Tok = Tok::Eof;

impl Parser {
    fn peek(&self) -> &Tok {
        self.toks.get(self.i).map_or(&EOF, |t| &t.tok)
    }

    fn here(&self) -> Location {
        self.toks.get(self.i).or_else(|| self.toks.last()).map(|t| t.location).unwrap_or_default()
    }

    fn advance(&mut self) -> Tok {
        let tok = self.peek().clone();
        if self.i < self.toks.len() {
            self.i += 1;
        }
        tok
    }

    fn unexpected(&self, expected: &str) -> ParseError {
        ParseError::new(format!("Expected {expected}, found {}", self.peek().describe()), self.here())
    }

    fn at_punct(&self, c: char) -> bool {
        *self.peek() == Tok::Punct(c)
    }

    fn at_name(&self, name: &str) -> bool {
        matches!(self.peek(), Tok::Name(n) if n == name)
    }

    fn eat_punct(&mut self, c: char) -> bool {
        let hit = self.at_punct(c);
        if hit {
            self.advance();
        }
        hit
    }

    fn expect_punct(&mut self, c: char) -> Result<(), ParseError> {
        if self.eat_punct(c) { Ok(()) } else { Err(self.unexpected(&format!("'{c}'"))) }
    }

    fn name(&mut self) -> Result<String, ParseError> {
        match self.peek() {
            Tok::Name(_) => match self.advance() {
                Tok::Name(n) => Ok(n),
                _ => Err(self.unexpected("a name")),
            },
            _ => Err(self.unexpected("a name")),
        }
    }

    fn enter(&mut self) -> Result<(), ParseError> {
        self.depth += 1;
        if self.depth > self.max_depth {
            return Err(ParseError::new(
                format!("Nesting exceeds the maximum depth of {}", self.max_depth),
                self.here(),
            ));
        }
        Ok(())
    }

    fn document(&mut self) -> Result<Document, ParseError> {
        let mut doc = Document::default();
        if *self.peek() == Tok::Eof {
            return Err(self.unexpected("an operation or fragment definition"));
        }
        while *self.peek() != Tok::Eof {
            if self.at_name("fragment") {
                doc.fragments.push(self.fragment()?);
            } else {
                doc.operations.push(self.operation()?);
            }
        }
        Ok(doc)
    }

    fn operation(&mut self) -> Result<Operation, ParseError> {
        let location = self.here();
        if self.at_punct('{') {
            return Ok(Operation {
                kind: OperationKind::Query,
                name: None,
                variables: Vec::new(),
                directives: Vec::new(),
                selection_set: self.selection_set()?,
                location,
            });
        }
        let kind = match self.peek() {
            Tok::Name(n) if n == "query" => OperationKind::Query,
            Tok::Name(n) if n == "mutation" => OperationKind::Mutation,
            Tok::Name(n) if n == "subscription" => OperationKind::Subscription,
            _ => return Err(self.unexpected("an operation or fragment definition")),
        };
        self.advance();
        let name = match self.peek() {
            Tok::Name(_) => Some(self.name()?),
            _ => None,
        };
        let variables = self.variable_definitions()?;
        Ok(Operation {
            kind,
            name,
            variables,
            directives: self.directives(true)?,
            selection_set: self.selection_set()?,
            location,
        })
    }

    fn variable_definitions(&mut self) -> Result<Vec<VariableDefinition>, ParseError> {
        let mut defs = Vec::new();
        if !self.eat_punct('(') {
            return Ok(defs);
        }
        loop {
            let location = self.here();
            self.expect_punct('$')?;
            let name = self.name()?;
            self.expect_punct(':')?;
            let ty = self.type_ref()?;
            let default = if self.eat_punct('=') { Some(self.value(true)?) } else { None };
            self.directives(true)?;
            defs.push(VariableDefinition { name, ty, default, location });
            if self.eat_punct(')') {
                return Ok(defs);
            }
        }
    }

    fn type_ref(&mut self) -> Result<TypeRef, ParseError> {
        let base = if self.eat_punct('[') {
            self.enter()?;
            let inner = self.type_ref()?;
            self.expect_punct(']')?;
            self.depth -= 1;
            TypeRef::List(Box::new(inner))
        } else {
            TypeRef::Named(self.name()?)
        };
        Ok(if self.eat_punct('!') { TypeRef::NonNull(Box::new(base)) } else { base })
    }

    fn fragment(&mut self) -> Result<Fragment, ParseError> {
        let location = self.here();
        self.advance();
        if self.at_name("on") {
            return Err(self.unexpected("a fragment name other than 'on'"));
        }
        let name = self.name()?;
        if !self.at_name("on") {
            return Err(self.unexpected("'on'"));
        }
        self.advance();
        Ok(Fragment {
            name,
            type_condition: self.name()?,
            directives: self.directives(false)?,
            selection_set: self.selection_set()?,
            location,
        })
    }

    fn selection_set(&mut self) -> Result<Vec<Selection>, ParseError> {
        self.expect_punct('{')?;
        self.enter()?;
        let mut set = Vec::new();
        loop {
            set.push(self.selection()?);
            if self.eat_punct('}') {
                self.depth -= 1;
                return Ok(set);
            }
        }
    }

    fn selection(&mut self) -> Result<Selection, ParseError> {
        let location = self.here();
        if *self.peek() != Tok::Spread {
            return Ok(Selection::Field(self.field()?));
        }
        self.advance();
        if matches!(self.peek(), Tok::Name(n) if n != "on") {
            return Ok(Selection::FragmentSpread(FragmentSpread {
                name: self.name()?,
                directives: self.directives(false)?,
                location,
            }));
        }
        let type_condition = if self.at_name("on") {
            self.advance();
            Some(self.name()?)
        } else {
            None
        };
        Ok(Selection::InlineFragment(InlineFragment {
            type_condition,
            directives: self.directives(false)?,
            selection_set: self.selection_set()?,
            location,
        }))
    }

    fn field(&mut self) -> Result<Field, ParseError> {
        let location = self.here();
        let first = self.name()?;
        let (alias, name) = if self.eat_punct(':') { (Some(first), self.name()?) } else { (None, first) };
        let arguments = self.arguments(false)?;
        let directives = self.directives(false)?;
        let selection_set = if self.at_punct('{') { self.selection_set()? } else { Vec::new() };
        Ok(Field { alias, name, arguments, directives, selection_set, location })
    }

    fn arguments(&mut self, constant: bool) -> Result<Vec<(String, Value)>, ParseError> {
        let mut args = Vec::new();
        if !self.eat_punct('(') {
            return Ok(args);
        }
        loop {
            let name = self.name()?;
            self.expect_punct(':')?;
            args.push((name, self.value(constant)?));
            if self.eat_punct(')') {
                return Ok(args);
            }
        }
    }

    fn directives(&mut self, constant: bool) -> Result<Vec<Directive>, ParseError> {
        let mut out = Vec::new();
        while self.at_punct('@') {
            let location = self.here();
            self.advance();
            out.push(Directive { name: self.name()?, arguments: self.arguments(constant)?, location });
        }
        Ok(out)
    }

    fn value(&mut self, constant: bool) -> Result<Value, ParseError> {
        let value = match self.peek() {
            Tok::Punct('$') if constant => {
                return Err(ParseError::new("Variables are not allowed in constant values", self.here()));
            }
            Tok::Punct('$') => {
                self.advance();
                return Ok(Value::Variable(self.name()?));
            }
            Tok::Punct('[') => return self.list_value(constant),
            Tok::Punct('{') => return self.object_value(constant),
            Tok::Int(i) => Value::Int(*i),
            Tok::Float(f) => Value::Float(*f),
            Tok::Str(s) => Value::String(s.clone()),
            Tok::Name(n) => match n.as_str() {
                "true" => Value::Boolean(true),
                "false" => Value::Boolean(false),
                "null" => Value::Null,
                _ => Value::Enum(n.clone()),
            },
            _ => return Err(self.unexpected("a value")),
        };
        self.advance();
        Ok(value)
    }

    fn list_value(&mut self, constant: bool) -> Result<Value, ParseError> {
        self.advance();
        self.enter()?;
        let mut items = Vec::new();
        while !self.eat_punct(']') {
            items.push(self.value(constant)?);
        }
        self.depth -= 1;
        Ok(Value::List(items))
    }

    fn object_value(&mut self, constant: bool) -> Result<Value, ParseError> {
        self.advance();
        self.enter()?;
        let mut fields = Vec::new();
        while !self.eat_punct('}') {
            let name = self.name()?;
            self.expect_punct(':')?;
            fields.push((name, self.value(constant)?));
        }
        self.depth -= 1;
        Ok(Value::Object(fields))
    }
}

#[cfg(test)]
#[path = "parse_tests.rs"]
mod tests;
