//! `omnideck pricebook`: the price each channel should show, with why.

use std::fmt::Write as _;

use serde_json::json;

use crate::core::pricebook::PriceBook;

fn opt(m: Option<crate::core::money::Money>) -> String {
    m.map(|m| m.rounded().amount.to_string()).unwrap_or_default()
}

/// Entries for one channel, or all when `channel` is `None`.
fn entries<'a>(
    book: &'a PriceBook,
    channel: Option<&'a str>,
) -> impl Iterator<Item = &'a crate::core::pricebook::BookEntry> {
    book.entries.iter().filter(move |e| channel.is_none_or(|c| e.channel.as_str() == c))
}

/// Quote a CSV field when it holds a separator, quote or line break.
fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) { format!("\"{}\"", s.replace('"', "\"\"")) } else { s.to_owned() }
}

pub fn csv(book: &PriceBook, channel: Option<&str>) -> String {
    let mut out = String::from("channel,sku,price,currency,floor_price,map,why\n");
    for e in entries(book, channel) {
        let p = e.price.rounded();
        let _ = writeln!(
            out,
            "{},{},{},{},{},{},{}",
            e.channel,
            csv_field(e.sku.as_str()),
            p.amount,
            p.currency,
            opt(e.floor_price),
            opt(e.map),
            csv_field(&e.why)
        );
    }
    out
}

pub fn json(book: &PriceBook, channel: Option<&str>) -> serde_json::Result<String> {
    let rows: Vec<_> = entries(book, channel)
        .map(|e| {
            json!({
                "channel": e.channel.as_str(),
                "sku": e.sku.as_str(),
                "price": e.price.rounded().amount.to_string(),
                "currency": e.price.currency.code(),
                "floor_price": e.floor_price.map(|m| m.rounded().amount.to_string()),
                "map": e.map.map(|m| m.rounded().amount.to_string()),
                "why": e.why,
            })
        })
        .collect();
    let blocked: Vec<_> = book
        .blocked
        .iter()
        .filter(|b| channel.is_none_or(|c| b.channel.as_str() == c))
        .map(|b| {
            json!({
                "channel": b.channel.as_str(), "sku": b.sku.as_str(), "seller": b.seller,
                "competitor": b.competitor.rounded().amount.to_string(),
                "response": b.response.rounded().amount.to_string(),
            })
        })
        .collect();
    serde_json::to_string_pretty(&json!({ "entries": rows, "blocked_responses": blocked })).map(|s| s + "\n")
}

/// A table for a terminal.
pub fn text(book: &PriceBook, channel: Option<&str>) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{:<18} {:<18} {:>10} {:>10} {:>10}  why", "channel", "sku", "price", "floor", "MAP");
    for e in entries(book, channel) {
        let _ = writeln!(
            out,
            "{:<18} {:<18} {:>10} {:>10} {:>10}  {}",
            e.channel.as_str(),
            e.sku.as_str(),
            e.price.rounded().to_string(),
            opt(e.floor_price),
            opt(e.map),
            e.why
        );
    }
    out
}
