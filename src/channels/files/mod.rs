//! Files as sources: CSV/TSV exports read as a stream of rows, one record
//! per row, never the whole file in memory. Presets know the Amazon FBA
//! "Manage Inventory" report and Shopify's products export; anything else
//! is mapped column by column in the config.
//!
//! A bad row becomes a [`SourceIssue`] placed at `file:line:column` and is
//! skipped; a file that cannot be read as declared (wrong encoding, a
//! missing column, an ambiguous delimiter) fails as a whole, so the last
//! good read stays on screen instead of a half-right one.

mod fast;
mod head;
mod layout;
mod parallel;
mod rows;
mod source;
mod split;
mod stream;
mod text;
mod values;

use std::collections::BTreeMap;
use std::io::BufRead;
use std::path::{Path, PathBuf};

use jiff::Timestamp;
use jiff::tz::TimeZone;

pub use parallel::{PARALLEL_FROM, Split, read_file};
pub use source::FileSource;

use self::head::Head;
use self::rows::{Rows, Tally};
use self::stream::Stream;
use crate::config::files::{FileMapping, FileRecord};
use crate::core::ids::{LocationId, Sku};
use crate::core::money::{Currency, Money};
use crate::core::orders::{OrderLine, OrderStatus, PurchaseOrder};
use crate::core::snapshot::SourceIssue;
use crate::core::stock::StockPosition;

/// Past this many, bad rows are counted rather than listed, so a file of a
/// million bad rows cannot fill memory with their messages.
const MAX_ROW_ISSUES: usize = 100;

/// A file-wide failure: nothing of the file is used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FileError {
    #[error("the file is empty: expected a header line")]
    Empty,
    #[error("cannot read: {0}")]
    Io(String),
    #[error("{0}")]
    Format(String),
    #[error("{file}: no column {column:?} (for {field}); the header has: {headers}")]
    MissingColumn { file: String, column: String, field: &'static str, headers: String },
    #[error(
        "invalid UTF-8 at byte {offset} (line {line}, column {column}); if the file is Latin-1, set encoding = \"latin-1\""
    )]
    Encoding { offset: u64, line: u64, column: usize },
}

impl FileError {
    fn io(e: impl std::fmt::Display) -> FileError {
        FileError::Io(e.to_string())
    }
}

/// A Shopify-style listing without its channel: the source adds the
/// channels it feeds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListingRow {
    pub sku: Sku,
    pub title: Option<String>,
    pub price: Option<Money>,
    pub compare_at: Option<Money>,
    pub unit_cost: Option<Money>,
    pub quantity: Option<u32>,
}

/// One row, read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Record {
    Stock(StockPosition),
    PurchaseOrder(PurchaseOrder),
    Cost { sku: Sku, cost: Money },
    OrderLine { order_id: String, placed_at: Timestamp, status: OrderStatus, line: OrderLine },
    Listing(ListingRow),
}

/// What the source knows that the file does not say.
#[derive(Debug, Clone)]
pub struct Env {
    pub currency: Currency,
    /// The zone dates are in when the mapping names none (the brand's).
    pub time_zone: TimeZone,
    pub location: Option<LocationId>,
    pub location_map: BTreeMap<String, String>,
}

/// What a read reported besides its records.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    pub rows: u64,
    pub skipped: u64,
    /// Detection notes first, then bad rows (at most [`MAX_ROW_ISSUES`]).
    pub issues: Vec<SourceIssue>,
}

/// Stream `input` (named `name` in messages) row by row into `sink`.
pub fn read<R: BufRead>(
    input: R,
    name: &str,
    m: &FileMapping,
    env: &Env,
    sink: impl FnMut(Record),
) -> Result<Summary, FileError> {
    let (head, stream) = Head::read(input, name, m, env)?;
    let tally = rows_into(stream, &head, env, m.record, sink)?;
    Ok(Summary::of(name, &head, vec![(0, tally)]))
}

/// Every row from `stream` on into `sink`, on this thread; a file-wide
/// failure ends the read.
fn rows_into<R: std::io::Read>(
    mut stream: Stream<R>,
    head: &Head,
    env: &Env,
    record: FileRecord,
    mut sink: impl FnMut(Record),
) -> Result<Tally, FileError> {
    let mut rows = Rows::new(head, env, record);
    stream.each(u64::MAX, |at, fields| rows.take(at, fields, &mut sink))?;
    match rows.failed {
        Some(e) => Err(e),
        None => Ok(rows.tally),
    }
}

impl Summary {
    /// Notes first, then the bad rows of each stretch in file order; a
    /// stretch counts its lines after the `newlines` before it.
    fn of(name: &str, head: &Head, stretches: Vec<(u64, Tally)>) -> Summary {
        let mut summary = Summary { issues: head.notes.clone(), ..Summary::default() };
        let mut listed = 0;
        for (newlines, tally) in stretches {
            summary.rows += tally.rows;
            summary.skipped += tally.skipped;
            for bad in tally.bad.into_iter().take(MAX_ROW_ISSUES - listed) {
                let line = newlines + bad.newlines + 1;
                let place = format!("{name}:{line}:{}", bad.column + 1);
                summary.issues.push(SourceIssue { place, message: bad.message });
                listed += 1;
            }
        }
        let more = summary.skipped - listed as u64;
        if more > 0 {
            summary
                .issues
                .push(SourceIssue { place: name.to_owned(), message: format!("{more} more bad rows skipped") });
        }
        summary
    }
}

/// The file to read: `path` itself, or the newest file in the folder whose
/// name matches `pattern` (newest by modification time, then by name).
pub fn pick(path: &Path, pattern: Option<&str>) -> Result<(PathBuf, Option<String>), FileError> {
    let meta = std::fs::metadata(path).map_err(|e| FileError::Io(format!("{}: {e}", path.display())))?;
    if !meta.is_dir() {
        return Ok((path.to_owned(), None));
    }
    let mut best: Option<(std::time::SystemTime, String, PathBuf)> = None;
    let mut count = 0usize;
    for entry in std::fs::read_dir(path).map_err(|e| FileError::Io(format!("{}: {e}", path.display())))? {
        let entry = entry.map_err(FileError::io)?;
        let name = entry.file_name().to_string_lossy().into_owned();
        let Ok(meta) = entry.metadata() else { continue };
        if !meta.is_file() || name.starts_with('.') || !pattern.is_none_or(|p| glob(p, &name)) {
            continue;
        }
        count += 1;
        let key = (meta.modified().map_err(FileError::io)?, name, entry.path());
        if best.as_ref().is_none_or(|b| (&key.0, &key.1) > (&b.0, &b.1)) {
            best = Some(key);
        }
    }
    let (_, name, file) = best.ok_or_else(|| {
        FileError::Io(format!("{}: no file matching {:?} in the folder", path.display(), pattern.unwrap_or("*")))
    })?;
    Ok((file, Some(format!("note: reading {name}, the newest of {count} matching files in the folder"))))
}

/// `*` matches any run of characters; everything else matches itself.
fn glob(pattern: &str, name: &str) -> bool {
    match pattern.split_once('*') {
        None => pattern == name,
        Some((head, rest)) => {
            let Some(tail) = name.strip_prefix(head) else { return false };
            (0..=tail.len()).filter(|i| tail.is_char_boundary(*i)).any(|i| glob(rest, &tail[i..]))
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn glob_matches_stars() {
        assert!(super::glob("*.csv", "stock-2026.csv"));
        assert!(super::glob("stock-*.tsv", "stock-1.tsv"));
        assert!(!super::glob("*.csv", "stock.tsv"));
    }
}
