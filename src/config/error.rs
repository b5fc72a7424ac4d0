//! Config errors that name the place: file, line, column and key.

use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};

use toml::de::{DeTable, DeValue};

/// One problem in a config file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    pub file: PathBuf,
    /// 1-based line and column, when the place is known.
    pub position: Option<(usize, usize)>,
    /// Dotted key path such as `channels.amazon-us.fees.referral.rate`.
    pub key: Option<String>,
    pub message: String,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file.display())?;
        if let Some((line, col)) = self.position {
            write!(f, ":{line}:{col}")?;
        }
        match &self.key {
            Some(key) if !key.is_empty() => write!(f, ": {key}: {}", self.message),
            _ => write!(f, ": {}", self.message),
        }
    }
}

/// Every problem found in one config file, in file order.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct ConfigErrors(pub Vec<ConfigError>);

impl fmt::Display for ConfigErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, e) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{e}")?;
        }
        Ok(())
    }
}

impl ConfigErrors {
    pub fn single(file: &Path, message: impl Into<String>) -> Self {
        ConfigErrors(vec![ConfigError { file: file.to_owned(), position: None, key: None, message: message.into() }])
    }
}

/// 1-based line and column (in characters) of a byte offset.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = text.get(..offset).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let col = before.get(line_start..).map_or(0, |s| s.chars().count()) + 1;
    (line, col)
}

/// `channels.x.serves[1]`: array indices in brackets, as people write them.
pub fn key_path(path: &[&str]) -> String {
    let mut out = String::new();
    for part in path {
        if part.parse::<usize>().is_ok() {
            out.push('[');
            out.push_str(part);
            out.push(']');
        } else {
            if !out.is_empty() {
                out.push('.');
            }
            out.push_str(part);
        }
    }
    out
}

/// Finds where a key path sits in the file, to place semantic errors
/// (an unknown channel, a cycle) that serde could not see.
pub struct Locator<'t> {
    text: &'t str,
    root: Option<toml::Spanned<DeTable<'t>>>,
}

impl<'t> Locator<'t> {
    pub fn new(text: &'t str) -> Self {
        Locator { text, root: DeTable::parse(text).ok() }
    }

    /// The span of the deepest part of `path` that exists.
    fn span(&self, path: &[&str]) -> Option<Range<usize>> {
        let root = self.root.as_ref()?;
        let (first, rest) = path.split_first()?;
        let mut node = root.get_ref().iter().find(|(k, _)| k.get_ref() == first).map(|(_, v)| v)?;
        for part in rest {
            let next = match node.get_ref() {
                DeValue::Table(t) => t.iter().find(|(k, _)| k.get_ref() == part).map(|(_, v)| v),
                DeValue::Array(a) => part.parse::<usize>().ok().and_then(|i| a.get(i)),
                _ => None,
            };
            match next {
                Some(n) => node = n,
                None => break,
            }
        }
        Some(node.span())
    }

    pub fn error(&self, file: &Path, path: &[&str], message: impl Into<String>) -> ConfigError {
        ConfigError {
            file: file.to_owned(),
            position: self.span(path).map(|s| line_col(self.text, s.start)),
            key: Some(key_path(path)),
            message: message.into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_and_column_are_one_based() {
        let text = "a = 1\nbb = \"x\"\n";
        assert_eq!(line_col(text, 0), (1, 1));
        assert_eq!(line_col(text, 11), (2, 6));
    }

    #[test]
    fn the_locator_finds_nested_keys() {
        let text = "[channels.x]\nname = \"X\"\nserves = [\"a\", \"b\"]\n";
        let loc = Locator::new(text);
        let e = loc.error(Path::new("c.toml"), &["channels", "x", "serves", "1"], "unknown");
        assert_eq!(e.to_string(), "c.toml:3:16: channels.x.serves[1]: unknown");
    }
}
