//! The promotions CSV named by `[promotions_file]`: a header row naming
//! `[[promotions]]` fields, then one promotion per row. Cells are written
//! as in the config (money `"6.40"` or `"6.40 EUR"`, fractions `0.15`),
//! several SKUs are separated by `;`, and an empty cell leaves a field out.
//! Every error is placed at `file:line:column`, the column counted in
//! fields from 1, and names the field.

use std::path::{Path, PathBuf};

use serde::Deserialize;
use serde::de::IntoDeserializer;
use serde::de::value::Error as CellError;

use super::build::Ctx;
use super::error::{ConfigError, key_path};
use super::promotions::{Known, check};
use super::schema::{PromotionKind, RawPromotion};
use super::values::{Amount, Frac};
use crate::core::promotion::Promotion;

const COLUMNS: &[&str] = &[
    "id",
    "channel",
    "campaign_id",
    "kind",
    "title",
    "start",
    "end",
    "time_zone",
    "percent_off",
    "amount_off",
    "fixed_price",
    "skus",
    "sku_group",
];
const REQUIRED: &[&str] = &["id", "channel", "kind", "start"];

/// Errors in one CSV file, placed by line and column.
struct Sink<'c, 'a> {
    file: PathBuf,
    columns: Vec<&'static str>,
    ctx: &'c mut Ctx<'a>,
}

impl Sink<'_, '_> {
    fn at(&mut self, line: u64, column: usize, key: &str, message: String) {
        let line = usize::try_from(line).unwrap_or(usize::MAX);
        let position = Some((line, column));
        let key = (!key.is_empty()).then(|| key.to_owned());
        self.ctx.errors.push(ConfigError { file: self.file.clone(), position, key, message });
    }

    /// At the column holding `sub[0]` in the row on `line`.
    fn field(&mut self, line: u64, sub: &[&str], message: String) {
        let column = sub.first().and_then(|f| self.columns.iter().position(|c| c == f)).map_or(1, |i| i + 1);
        self.at(line, column, &key_path(sub), message);
    }
}

/// The file's promotions; its problems go into `ctx`.
pub(super) fn read(path: &Path, known: &Known<'_>, ctx: &mut Ctx<'_>) -> Vec<Promotion> {
    let file = ctx.file().parent().unwrap_or(Path::new(".")).join(path);
    let text = match super::read_text(&file) {
        Ok(t) => t,
        Err(e) => {
            ctx.errors.extend(e.0);
            return Vec::new();
        }
    };
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    let mut reader = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(text.as_bytes());
    let mut rows = reader.records();
    let mut sink = Sink { file, columns: Vec::new(), ctx };
    let Some(Ok(header)) = rows.next() else {
        sink.at(1, 1, "", "expected a header row naming the promotion fields (id, channel, kind, start, …)".into());
        return Vec::new();
    };
    if !read_header(&header, &mut sink) {
        return Vec::new();
    }
    let mut out = Vec::new();
    for row in rows {
        match row {
            Ok(cells) => {
                let line = cells.position().map_or(0, csv::Position::line);
                let Some(raw) = parse_row(&cells, line, &mut sink) else { continue };
                out.extend(check(&raw, known, &mut |sub, msg| sink.field(line, sub, msg)));
            }
            Err(e) => {
                let line = e.position().map_or(0, csv::Position::line);
                sink.at(line, 1, "", format!("unreadable row: {e}"));
            }
        }
    }
    out
}

/// Map each header to its field; false when the header is unusable.
fn read_header(header: &csv::StringRecord, sink: &mut Sink<'_, '_>) -> bool {
    let mut ok = true;
    for (i, h) in header.iter().enumerate() {
        let h = h.trim();
        match COLUMNS.iter().find(|c| **c == h) {
            Some(c) if sink.columns.contains(c) => {
                sink.at(1, i + 1, h, "this column appears twice".to_owned());
                ok = false;
            }
            Some(c) => sink.columns.push(c),
            None => {
                sink.at(1, i + 1, "", format!("unknown column {h:?}; expected one of {}", COLUMNS.join(", ")));
                ok = false;
            }
        }
    }
    let missing: Vec<&str> = REQUIRED.iter().copied().filter(|r| !sink.columns.contains(r)).collect();
    for missing in missing {
        sink.at(1, 1, missing, "the header lacks this required column".to_owned());
        ok = false;
    }
    ok
}

fn parse_row(cells: &csv::StringRecord, line: u64, sink: &mut Sink<'_, '_>) -> Option<RawPromotion> {
    if cells.len() != sink.columns.len() {
        let msg = format!("expected {} fields as in the header, found {}", sink.columns.len(), cells.len());
        sink.at(line, cells.len().min(sink.columns.len()).max(1), "", msg);
        return None;
    }
    let columns = sink.columns.clone();
    let cell = |name: &str| {
        let i = columns.iter().position(|c| *c == name)?;
        cells.get(i).map(str::trim).filter(|s| !s.is_empty())
    };
    let mut row = Row { line, sink, bad: false };
    let id = row.required(cell("id"), "id").map(str::to_owned);
    let channel = row.required(cell("channel"), "channel").map(str::to_owned);
    let start = row.required(cell("start"), "start").map(str::to_owned);
    let kind = row.required(cell("kind"), "kind").and_then(|s| row.value::<PromotionKind>(s, "kind"));
    let percent_off = cell("percent_off").and_then(|s| row.value::<Frac>(s, "percent_off"));
    let amount_off = cell("amount_off").and_then(|s| row.value::<Amount>(s, "amount_off"));
    let fixed_price = cell("fixed_price").and_then(|s| row.value::<Amount>(s, "fixed_price"));
    if row.bad {
        return None;
    }
    let text = |name: &str| cell(name).map(str::to_owned);
    let skus = cell("skus")
        .map_or_else(Vec::new, |s| s.split(';').map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned).collect());
    Some(RawPromotion {
        id: id?,
        channel: channel?,
        campaign_id: text("campaign_id"),
        kind: kind?,
        title: text("title"),
        start: start?,
        end: text("end"),
        time_zone: text("time_zone"),
        percent_off,
        amount_off,
        fixed_price,
        skus,
        sku_group: text("sku_group"),
    })
}

/// One row being read; `bad` once any cell was refused.
struct Row<'s, 'c, 'a> {
    line: u64,
    sink: &'s mut Sink<'c, 'a>,
    bad: bool,
}

impl Row<'_, '_, '_> {
    fn required<'t>(&mut self, cell: Option<&'t str>, name: &str) -> Option<&'t str> {
        if cell.is_none() {
            self.sink.field(self.line, &[name], "expected a value, found an empty cell".to_owned());
            self.bad = true;
        }
        cell
    }

    /// A cell read with the config's own value type, so a cell and a
    /// config value are refused with the same words.
    fn value<T: for<'de> Deserialize<'de>>(&mut self, s: &str, name: &str) -> Option<T> {
        let de: serde::de::value::StrDeserializer<'_, CellError> = s.into_deserializer();
        let parsed = T::deserialize(de).map_err(|e| self.sink.field(self.line, &[name], e.to_string())).ok();
        self.bad |= parsed.is_none();
        parsed
    }
}
