//! Files as sources: CSV/TSV exports read as a stream of rows, one record
//! per row, never the whole file in memory. Presets know the Amazon FBA
//! "Manage Inventory" report and Shopify's products export; anything else
//! is mapped column by column in the config.
//!
//! A bad row becomes a [`SourceIssue`] placed at `file:line:column` and is
//! skipped; a file that cannot be read as declared (wrong encoding, a
//! missing column, an ambiguous delimiter) fails as a whole, so the last
//! good read stays on screen instead of a half-right one.

mod layout;
mod rows;
mod source;
mod text;
mod values;

use std::collections::BTreeMap;
use std::io::BufRead;
use std::path::{Path, PathBuf};

use csv::ByteRecord;
use jiff::Timestamp;
use jiff::tz::TimeZone;

pub use source::FileSource;

use self::layout::Layout;
use self::rows::{Row, RowError};
use self::values::Formats;
use crate::config::files::{FileMapping, FileRecord};
use crate::core::ids::{LocationId, Sku};
use crate::core::money::{Currency, Money};
use crate::core::orders::{OrderLine, OrderStatus, PurchaseOrder};
use crate::core::snapshot::SourceIssue;
use crate::core::stock::StockPosition;

/// Past this many, bad rows are counted rather than listed, so a file of a
/// million bad rows cannot fill memory with their messages.
const MAX_ROW_ISSUES: u64 = 100;

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
    mut input: R,
    name: &str,
    m: &FileMapping,
    env: &Env,
    mut sink: impl FnMut(Record),
) -> Result<Summary, FileError> {
    let delimiter = m.delimiter.or(layout::preset_delimiter(m.format));
    let prelude = text::prelude(&mut input, m.encoding, delimiter)?;
    let mut summary = Summary::default();
    summary
        .issues
        .extend(prelude.notes.iter().map(|n| SourceIssue { place: name.to_owned(), message: format!("note: {n}") }));
    let mut csv = csv_reader(input, prelude.delimiter);
    let mut rec = ByteRecord::new();
    if !csv.read_byte_record(&mut rec).map_err(FileError::io)? {
        return Err(FileError::Empty);
    }
    let headers = header_names(&rec, prelude.encoding, prelude.bom_len)?;
    let layout = Layout::resolve(m, headers, name)?;
    if m.record == FileRecord::Stock && layout.of("location").is_empty() && env.location.is_none() {
        return Err(FileError::Format("stock rows need a location column or the source's location setting".into()));
    }
    let formats = formats(m, env);
    let mut last_title: Option<String> = None;
    while csv.read_byte_record(&mut rec).map_err(FileError::io)? {
        let row = Row { rec: &rec, layout: &layout, formats: &formats, encoding: prelude.encoding, env };
        if row.is_blank() {
            continue;
        }
        summary.rows += 1;
        match row.record(m.record) {
            Ok(Record::Listing(mut l)) => {
                // Shopify writes the title on a product's first variant only.
                if l.title.is_some() {
                    last_title.clone_from(&l.title);
                } else {
                    l.title.clone_from(&last_title);
                }
                sink(Record::Listing(l));
            }
            Ok(r) => sink(r),
            Err(RowError::Encoding { column, valid_up_to }) => {
                return Err(encoding_error(&rec, column, valid_up_to, prelude.bom_len));
            }
            Err(RowError::Field { column, message }) => summary.skip(name, &rec, &layout, column, &message),
        }
    }
    if summary.skipped > MAX_ROW_ISSUES {
        let more = summary.skipped - MAX_ROW_ISSUES;
        summary.issues.push(SourceIssue { place: name.to_owned(), message: format!("{more} more bad rows skipped") });
    }
    Ok(summary)
}

impl Summary {
    /// Count a bad row, and list it while the list is short.
    fn skip(&mut self, name: &str, rec: &ByteRecord, layout: &Layout, column: usize, message: &str) {
        self.skipped += 1;
        if self.skipped <= MAX_ROW_ISSUES {
            let line = rec.position().map_or(0, csv::Position::line);
            let head = layout.headers.get(column).map_or("", String::as_str);
            let place = format!("{name}:{line}:{}", column + 1);
            self.issues.push(SourceIssue { place, message: format!("{head}: {message}; row skipped") });
        }
    }
}

fn csv_reader<R: BufRead>(input: R, delimiter: u8) -> csv::Reader<R> {
    csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        // `\n` alone ends a record, leaving a `\r` that trimming removes:
        // the CRLF terminator would count each CRLF row's line one short.
        .terminator(csv::Terminator::Any(b'\n'))
        .buffer_capacity(64 * 1024)
        .from_reader(input)
}

fn formats(m: &FileMapping, env: &Env) -> Formats {
    Formats {
        decimal: m.decimal.unwrap_or(b'.'),
        decimal_declared: m.decimal.is_some(),
        thousands: m.thousands,
        date_format: m.date_format.clone(),
        time_zone: m.time_zone.clone().unwrap_or_else(|| env.time_zone.clone()),
    }
}

fn header_names(
    rec: &ByteRecord,
    encoding: crate::config::files::FileEncoding,
    bom: u64,
) -> Result<Vec<String>, FileError> {
    let mut out = Vec::with_capacity(rec.len());
    for (i, field) in rec.iter().enumerate() {
        let s = text::decode(field, encoding).map_err(|at| encoding_error(rec, i, at, bom))?;
        out.push(crate::core::text::clean(s.trim()).into_owned());
    }
    Ok(out)
}

/// The byte offset is exact for unquoted fields and a few bytes early for
/// quoted ones (the quotes are not in the record).
fn encoding_error(rec: &ByteRecord, column: usize, valid_up_to: usize, bom: u64) -> FileError {
    let pos = rec.position();
    let start = rec.range(column).map_or(0, |r| r.start) + column;
    let offset = pos.map_or(0, csv::Position::byte) + bom + start as u64 + valid_up_to as u64;
    FileError::Encoding { offset, line: pos.map_or(0, csv::Position::line), column: column + 1 }
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
