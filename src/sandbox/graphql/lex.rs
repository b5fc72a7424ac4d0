//! Tokenizer for GraphQL source text (spec section 2.1, October 2021).
//!
//! Ignored tokens (whitespace, commas, comments, BOM) are dropped here so the
//! parser only sees significant tokens. Every token remembers where it began.

use super::ast::{Location, ParseError};

#[derive(Debug, Clone, PartialEq)]
pub(super) enum Tok {
    /// One of `! $ & ( ) : = @ [ ] { } |`.
    Punct(char),
    Spread,
    Name(String),
    Int(i64),
    Float(f64),
    /// A string or block string, already unescaped / dedented.
    Str(String),
    Eof,
}

impl Tok {
    /// Short human description for error messages.
    pub(super) fn describe(&self) -> String {
        match self {
            Self::Punct(c) => format!("'{c}'"),
            Self::Spread => "'...'".into(),
            Self::Name(n) => format!("'{n}'"),
            Self::Int(i) => format!("Int {i}"),
            Self::Float(f) => format!("Float {f}"),
            Self::Str(_) => "String".into(),
            Self::Eof => "end of document".into(),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub(super) struct Token {
    pub tok: Tok,
    pub location: Location,
}

/// Splits `src` into tokens; the result always ends with [`Tok::Eof`].
pub(super) fn tokenize(src: &str) -> Result<Vec<Token>, ParseError> {
    let mut lexer = Lexer { src, i: 0, line: 1, column: 1 };
    let mut out = Vec::new();
    loop {
        let token = lexer.next_token()?;
        let done = token.tok == Tok::Eof;
        out.push(token);
        if done {
            return Ok(out);
        }
    }
}

struct Lexer<'s> {
    src: &'s str,
    i: usize,
    line: u32,
    column: u32,
}

fn is_name_start(c: char) -> bool {
    c == '_' || c.is_ascii_alphabetic()
}

fn is_name_continue(c: char) -> bool {
    c == '_' || c.is_ascii_alphanumeric()
}

impl Lexer<'_> {
    fn rest(&self) -> &str {
        self.src.get(self.i..).unwrap_or("")
    }

    fn peek(&self) -> Option<char> {
        self.rest().chars().next()
    }

    fn here(&self) -> Location {
        Location { line: self.line, column: self.column }
    }

    fn err(&self, message: impl Into<String>) -> ParseError {
        ParseError::new(message, self.here())
    }

    /// Consumes one character, keeping line/column right for `\n`, `\r\n`, `\r`.
    fn bump(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.i += c.len_utf8();
        let newline = c == '\n' || (c == '\r' && self.peek() != Some('\n'));
        if newline {
            self.line = self.line.saturating_add(1);
            self.column = 1;
        } else if c != '\r' {
            self.column = self.column.saturating_add(1);
        }
        Some(c)
    }

    fn skip_ignored(&mut self) {
        while let Some(c) = self.peek() {
            match c {
                ' ' | '\t' | ',' | '\n' | '\r' | '\u{FEFF}' => {
                    self.bump();
                }
                '#' => {
                    while self.peek().is_some_and(|c| c != '\n' && c != '\r') {
                        self.bump();
                    }
                }
                _ => return,
            }
        }
    }

    fn next_token(&mut self) -> Result<Token, ParseError> {
        self.skip_ignored();
        let location = self.here();
        let Some(c) = self.peek() else {
            return Ok(Token { tok: Tok::Eof, location });
        };
        let tok = match c {
            '!' | '$' | '&' | '(' | ')' | ':' | '=' | '@' | '[' | ']' | '{' | '}' | '|' => {
                self.bump();
                Tok::Punct(c)
            }
            '.' if self.rest().starts_with("...") => {
                self.i += 3;
                self.column = self.column.saturating_add(3);
                Tok::Spread
            }
            '"' if self.rest().starts_with("\"\"\"") => self.block_string()?,
            '"' => self.string()?,
            '-' | '0'..='9' => self.number()?,
            c if is_name_start(c) => Tok::Name(self.take_while(is_name_continue).to_owned()),
            other => return Err(self.err(format!("Unexpected character {other:?}"))),
        };
        Ok(Token { tok, location })
    }

    fn take_while(&mut self, pred: fn(char) -> bool) -> &str {
        let start = self.i;
        while self.peek().is_some_and(pred) {
            self.bump();
        }
        self.src.get(start..self.i).unwrap_or("")
    }

    fn digits(&mut self) -> Result<(), ParseError> {
        if !self.peek().is_some_and(|c| c.is_ascii_digit()) {
            return Err(self.err("Invalid number, expected a digit"));
        }
        self.take_while(|c| c.is_ascii_digit());
        Ok(())
    }

    fn number(&mut self) -> Result<Tok, ParseError> {
        let start = self.i;
        if self.peek() == Some('-') {
            self.bump();
        }
        if self.peek() == Some('0') {
            self.bump();
            if self.peek().is_some_and(|c| c.is_ascii_digit()) {
                return Err(self.err("Invalid number, unexpected digit after 0"));
            }
        } else {
            self.digits()?;
        }
        let mut is_float = false;
        if self.peek() == Some('.') {
            is_float = true;
            self.bump();
            self.digits()?;
        }
        if matches!(self.peek(), Some('e' | 'E')) {
            is_float = true;
            self.bump();
            if matches!(self.peek(), Some('+' | '-')) {
                self.bump();
            }
            self.digits()?;
        }
        if self.peek().is_some_and(|c| c == '.' || is_name_start(c)) {
            return Err(self.err("Invalid number, unexpected character after number"));
        }
        let text = self.src.get(start..self.i).unwrap_or("");
        if is_float {
            match text.parse::<f64>() {
                Ok(f) if f.is_finite() => Ok(Tok::Float(f)),
                _ => Err(self.err(format!("Float literal {text} is out of range"))),
            }
        } else {
            text.parse::<i64>().map(Tok::Int).map_err(|_| self.err(format!("Int literal {text} is out of range")))
        }
    }

    fn string(&mut self) -> Result<Tok, ParseError> {
        self.bump();
        let mut out = String::new();
        loop {
            match self.bump() {
                None | Some('\n' | '\r') => return Err(self.err("Unterminated string")),
                Some('"') => return Ok(Tok::Str(out)),
                Some('\\') => out.push(self.escape()?),
                Some(c) => out.push(c),
            }
        }
    }

    fn escape(&mut self) -> Result<char, ParseError> {
        let c = match self.bump() {
            Some('"') => '"',
            Some('\\') => '\\',
            Some('/') => '/',
            Some('b') => '\u{8}',
            Some('f') => '\u{c}',
            Some('n') => '\n',
            Some('r') => '\r',
            Some('t') => '\t',
            Some('u') => return self.unicode_escape(),
            other => return Err(self.err(format!("Invalid escape sequence {other:?}"))),
        };
        Ok(c)
    }

    fn hex4(&mut self) -> Result<u32, ParseError> {
        let mut code = 0;
        for _ in 0..4 {
            let digit = self.bump().and_then(|c| c.to_digit(16));
            let Some(d) = digit else {
                return Err(self.err("Invalid Unicode escape, expected 4 hex digits"));
            };
            code = code * 16 + d;
        }
        Ok(code)
    }

    /// `\uXXXX`; a UTF-16 surrogate pair written as two escapes is combined.
    fn unicode_escape(&mut self) -> Result<char, ParseError> {
        let high = self.hex4()?;
        if (0xD800..0xDC00).contains(&high) && self.rest().starts_with("\\u") {
            self.bump();
            self.bump();
            let low = self.hex4()?;
            if (0xDC00..0xE000).contains(&low) {
                let code = 0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00);
                return char::from_u32(code).ok_or_else(|| self.err("Invalid Unicode escape"));
            }
        }
        char::from_u32(high).ok_or_else(|| self.err("Invalid Unicode escape (lone surrogate)"))
    }

    fn block_string(&mut self) -> Result<Tok, ParseError> {
        for _ in 0..3 {
            self.bump();
        }
        let mut raw = String::new();
        loop {
            if self.rest().starts_with("\"\"\"") {
                for _ in 0..3 {
                    self.bump();
                }
                return Ok(Tok::Str(block_string_value(&raw)));
            }
            if self.rest().starts_with("\\\"\"\"") {
                for _ in 0..4 {
                    self.bump();
                }
                raw.push_str("\"\"\"");
                continue;
            }
            match self.bump() {
                Some(c) => raw.push(c),
                None => return Err(self.err("Unterminated block string")),
            }
        }
    }
}

/// The spec's `BlockStringValue`: strip common indentation (ignoring the first
/// line) and drop leading/trailing blank lines.
fn block_string_value(raw: &str) -> String {
    let normalized = raw.replace("\r\n", "\n").replace('\r', "\n");
    let lines: Vec<&str> = normalized.split('\n').collect();
    let indent_of = |l: &str| l.chars().take_while(|c| *c == ' ' || *c == '\t').count();
    let common =
        lines.iter().skip(1).filter(|l| indent_of(l) < l.chars().count()).map(|l| indent_of(l)).min().unwrap_or(0);
    let mut out: Vec<String> = lines
        .iter()
        .enumerate()
        .map(|(i, l)| if i == 0 { (*l).to_owned() } else { l.chars().skip(common).collect() })
        .collect();
    let blank = |l: &String| l.chars().all(|c| c == ' ' || c == '\t');
    while out.first().is_some_and(blank) {
        out.remove(0);
    }
    while out.last().is_some_and(blank) {
        out.pop();
    }
    out.join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toks(src: &str) -> Vec<Tok> {
        tokenize(src).unwrap().into_iter().map(|t| t.tok).collect()
    }

    #[test]
    fn numbers_follow_the_grammar() {
        assert_eq!(
            toks("0 -12 1.5 2e3 -0.25E-2"),
            vec![Tok::Int(0), Tok::Int(-12), Tok::Float(1.5), Tok::Float(2000.0), Tok::Float(-0.0025), Tok::Eof]
        );
        for bad in ["01", "1.", "1.e3", "1e", "12abc", "1.5.3", "-", "99999999999999999999"] {
            assert!(tokenize(bad).is_err(), "{bad} should fail");
        }
    }

    #[test]
    fn strings_unescape_including_unicode_and_surrogates() {
        let src = r#""a\"b\\c\/\n\t\u00e9\uD83D\uDE00""#;
        assert_eq!(toks(src)[0], Tok::Str("a\"b\\c/\n\té😀".into()));
        assert!(tokenize(r#""\uD83D""#).is_err());
        assert!(tokenize(r#""\x""#).is_err());
        assert!(tokenize("\"abc").is_err());
        assert!(tokenize("\"a\nb\"").is_err());
    }

    #[test]
    fn block_strings_dedent_and_unescape_triple_quotes() {
        let src = "\"\"\"\n    Hello,\n      World!\n\n    Yours, \\\"\"\" \n  \"\"\"";
        assert_eq!(toks(src)[0], Tok::Str("Hello,\n  World!\n\nYours, \"\"\" ".into()));
        assert!(tokenize("\"\"\"never closed").is_err());
    }

    #[test]
    fn comments_commas_and_positions() {
        let tokens = tokenize("# c\n{ a,\r\n  b }").unwrap();
        let locs: Vec<(u32, u32)> = tokens.iter().map(|t| (t.location.line, t.location.column)).collect();
        assert_eq!(locs, vec![(2, 1), (2, 3), (3, 3), (3, 5), (3, 6)]);
        let err = tokenize("{\n  ?}").unwrap_err();
        assert_eq!(err.location, Location { line: 2, column: 3 });
        assert!(tokenize("..").is_err());
    }
}
