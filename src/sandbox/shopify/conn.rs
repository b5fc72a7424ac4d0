//! Cursor pagination and small value objects shared by the resolvers.

use jiff::Timestamp;
use serde_json::{Map, Value};

use super::super::graphql::{Arguments, FieldError, Object, Resolved};

/// Shopify's cap on `first` / `last`.
pub const MAX_PAGE: i64 = 250;

/// Per-request switches the fault injector sets.
#[derive(Debug, Clone, Copy, Default)]
pub struct Flavour {
    /// Connections return no items and do not advance.
    pub empty_page: bool,
    /// Titles get terminal escapes injected.
    pub hostile_titles: bool,
}

const B64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

fn b64(bytes: &[u8]) -> String {
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let b = [chunk[0], chunk.get(1).copied().unwrap_or(0), chunk.get(2).copied().unwrap_or(0)];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(B64[((n >> (18 - 6 * i)) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

fn unb64(s: &str) -> Option<Vec<u8>> {
    let mut bits: u32 = 0;
    let mut n = 0;
    let mut out = Vec::new();
    for c in s.trim_end_matches('=').bytes() {
        let v = u32::try_from(B64.iter().position(|&b| b == c)?).ok()?;
        bits = (bits << 6) | v;
        n += 6;
        if n >= 8 {
            n -= 8;
            out.push(u8::try_from((bits >> n) & 0xff).ok()?);
        }
    }
    Some(out)
}

/// An opaque cursor for position `index`, shaped like Shopify's.
#[must_use]
pub fn encode_cursor(index: usize) -> String {
    b64(format!("{{\"last_index\":{index}}}").as_bytes())
}

/// The position a cursor stands for, or `None` if it is not one of ours.
#[must_use]
pub fn decode_cursor(cursor: &str) -> Option<usize> {
    let text = String::from_utf8(unb64(cursor)?).ok()?;
    text.strip_prefix("{\"last_index\":")?.strip_suffix('}')?.parse().ok()
}

/// The `updated_at:>=…` bound of a search `query`, if any.
#[must_use]
pub fn updated_since(args: &Arguments) -> Option<Timestamp> {
    let query = args.get_str("query")?;
    query.split_whitespace().find_map(|term| {
        let value = term.strip_prefix("updated_at:>=")?.trim_matches(|c| c == '\'' || c == '"');
        value.parse().ok()
    })
}

/// A flat object of scalar fields (money, quantities, page info).
pub struct Plain {
    pub typename: &'static str,
    pub fields: Map<String, Value>,
}

impl Plain {
    pub fn new(typename: &'static str, fields: Value) -> Self {
        let fields = match fields {
            Value::Object(map) => map,
            _ => Map::new(),
        };
        Self { typename, fields }
    }
}

impl Object for Plain {
    fn typename(&self) -> &str {
        self.typename
    }
    fn field(&self, name: &str, _args: &Arguments) -> Result<Resolved<'_>, FieldError> {
        self.fields
            .get(name)
            .map(|v| Resolved::Value(v.clone()))
            .ok_or_else(|| FieldError::unknown_field(self.typename, name))
    }
}

/// Builds the node object for one item.
pub type MakeNode<'a, T> = fn(&'a T, Flavour) -> Resolved<'a>;

/// One page of a connection: `edges { cursor node }`, `nodes`, `pageInfo`.
pub struct Connection<'a, T> {
    items: Vec<(usize, &'a T)>,
    has_next: bool,
    end_cursor: Option<String>,
    make: MakeNode<'a, T>,
    flavour: Flavour,
}

/// Slices `all` by `first`/`after`.
///
/// # Errors
/// `first` missing or above [`MAX_PAGE`], or a cursor that is not ours.
pub fn paginate<'a, T>(
    all: &[&'a T],
    args: &Arguments,
    flavour: Flavour,
    make: MakeNode<'a, T>,
) -> Result<Resolved<'a>, FieldError> {
    let first = args.get_i64("first").ok_or_else(|| FieldError::new("you must provide one of first or last"))?;
    let first = usize::try_from(first)
        .ok()
        .filter(|f| i64::try_from(*f).is_ok_and(|f| f <= MAX_PAGE))
        .ok_or_else(|| FieldError::new(format!("The 'first' argument must be between 0 and {MAX_PAGE}")))?;
    let after = args.get_str("after");
    let start = match after {
        Some(c) => decode_cursor(c).ok_or_else(|| FieldError::new("Invalid cursor for current pagination sort."))? + 1,
        None => 0,
    };
    if flavour.empty_page {
        let end_cursor = after.map(str::to_owned);
        let conn = Connection { items: Vec::new(), has_next: start < all.len(), end_cursor, make, flavour };
        return Ok(Resolved::object(conn));
    }
    let items: Vec<(usize, &T)> = all.iter().copied().enumerate().skip(start).take(first).collect();
    let has_next = start + items.len() < all.len();
    let end_cursor = items.last().map(|(i, _)| encode_cursor(*i));
    Ok(Resolved::object(Connection { items, has_next, end_cursor, make, flavour }))
}

impl<T> Object for Connection<'_, T> {
    fn typename(&self) -> &'static str {
        "Connection"
    }
    fn field(&self, name: &str, _args: &Arguments) -> Result<Resolved<'_>, FieldError> {
        Ok(match name {
            "edges" => Resolved::List(
                self.items
                    .iter()
                    .map(|&(i, item)| Resolved::object(Edge { index: i, node: (self.make)(item, self.flavour) }))
                    .collect(),
            ),
            "nodes" => Resolved::List(self.items.iter().map(|&(_, item)| (self.make)(item, self.flavour)).collect()),
            "pageInfo" => Resolved::object(Plain::new(
                "PageInfo",
                serde_json::json!({
                    "hasNextPage": self.has_next,
                    "hasPreviousPage": self.items.first().is_some_and(|(i, _)| *i > 0),
                    "startCursor": self.items.first().map(|(i, _)| encode_cursor(*i)),
                    "endCursor": self.end_cursor,
                }),
            )),
            _ => return Err(FieldError::unknown_field("Connection", name)),
        })
    }
}

struct Edge<'a> {
    index: usize,
    node: Resolved<'a>,
}

impl Object for Edge<'_> {
    fn typename(&self) -> &'static str {
        "Edge"
    }
    fn field(&self, name: &str, _args: &Arguments) -> Result<Resolved<'_>, FieldError> {
        match name {
            "cursor" => Ok(Resolved::value(encode_cursor(self.index))),
            "node" => Ok(reborrow(&self.node)),
            _ => Err(FieldError::unknown_field("Edge", name)),
        }
    }
}

/// A borrowed view of an already built node, so `node` can be read twice.
fn reborrow<'b>(r: &'b Resolved<'_>) -> Resolved<'b> {
    match r {
        Resolved::Null => Resolved::Null,
        Resolved::Value(v) => Resolved::Value(v.clone()),
        Resolved::Object(o) => Resolved::Object(Box::new(&**o)),
        Resolved::List(items) => Resolved::List(items.iter().map(reborrow).collect()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_and_reject_junk() {
        for i in [0, 1, 249, 250, 123_456] {
            assert_eq!(decode_cursor(&encode_cursor(i)), Some(i));
        }
        assert_eq!(decode_cursor("not a cursor"), None);
        assert_eq!(decode_cursor(&b64(b"{\"x\":1}")), None);
    }
}
