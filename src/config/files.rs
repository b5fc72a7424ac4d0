//! The mapping of a file source: which export it is, which record each row
//! holds, which header names which field, and how its text is written.
//!
//! Settings left out are detected by the reader only where that cannot be
//! wrong (a BOM, a header line's delimiter); a decimal comma, a date order
//! or a Latin-1 file must be declared, because guessing them silently turns
//! 1.250 units into 1250 or 03/04 into the wrong month.

use std::collections::BTreeMap;

use jiff::tz::TimeZone;
use serde::Deserialize;

use super::build::Ctx;
use super::schema::RawSource;
use crate::core::money::Currency;

/// Which export a file is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FileFormat {
    /// Amazon Seller Central's "Manage Inventory" report (FBA, TSV).
    FbaManageInventory,
    /// Shopify's products export (CSV).
    ShopifyProducts,
    /// Any CSV/TSV, with `record` and `columns` in the config.
    Generic,
}

/// What one row of a file describes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FileRecord {
    Stock,
    PurchaseOrders,
    Costs,
    WholesaleOrders,
    Listings,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
pub enum FileEncoding {
    #[serde(rename = "utf-8")]
    Utf8,
    #[serde(rename = "latin-1")]
    Latin1,
}

/// A field a file's rows can carry. Readers index columns by it, so that
/// a lookup per cell is an index rather than a name comparison.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileField {
    Sku,
    OnHand,
    Location,
    Committed,
    Reserved,
    Unfulfillable,
    Inbound,
    InboundEta,
    PoId,
    Supplier,
    Qty,
    Eta,
    Status,
    Cost,
    OrderId,
    PlacedAt,
    UnitPrice,
    Title,
    Price,
    CompareAt,
    UnitCost,
    Quantity,
}

impl FileField {
    /// The config's key for the field (`columns.<name>`).
    pub fn name(self) -> &'static str {
        match self {
            FileField::Sku => "sku",
            FileField::OnHand => "on_hand",
            FileField::Location => "location",
            FileField::Committed => "committed",
            FileField::Reserved => "reserved",
            FileField::Unfulfillable => "unfulfillable",
            FileField::Inbound => "inbound",
            FileField::InboundEta => "inbound_eta",
            FileField::PoId => "po_id",
            FileField::Supplier => "supplier",
            FileField::Qty => "qty",
            FileField::Eta => "eta",
            FileField::Status => "status",
            FileField::Cost => "cost",
            FileField::OrderId => "order_id",
            FileField::PlacedAt => "placed_at",
            FileField::UnitPrice => "unit_price",
            FileField::Title => "title",
            FileField::Price => "price",
            FileField::CompareAt => "compare_at",
            FileField::UnitCost => "unit_cost",
            FileField::Quantity => "quantity",
        }
    }
}

/// One field a record can take from a column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FieldSpec {
    pub field: FileField,
    pub required: bool,
    pub meaning: &'static str,
}

impl FieldSpec {
    pub fn name(&self) -> &'static str {
        self.field.name()
    }
}

const fn f(field: FileField, required: bool, meaning: &'static str) -> FieldSpec {
    FieldSpec { field, required, meaning }
}

const STOCK: &[FieldSpec] = &[
    f(FileField::Sku, true, "the SKU"),
    f(FileField::OnHand, true, "units in good condition"),
    f(FileField::Location, false, "the source's location id, mapped by location_map"),
    f(FileField::Committed, false, "units promised to open orders"),
    f(FileField::Reserved, false, "units held for other reasons"),
    f(FileField::Unfulfillable, false, "damaged or unsellable units"),
    f(FileField::Inbound, false, "units on the way"),
    f(FileField::InboundEta, false, "when the inbound units arrive"),
];
const PURCHASE_ORDERS: &[FieldSpec] = &[
    f(FileField::PoId, true, "the purchase order number"),
    f(FileField::Supplier, true, "the supplier id"),
    f(FileField::Sku, true, "the SKU"),
    f(FileField::Qty, true, "units ordered and not yet received"),
    f(FileField::Eta, false, "the expected arrival date"),
    f(FileField::Status, false, "open, received or cancelled"),
];
const COSTS: &[FieldSpec] = &[f(FileField::Sku, true, "the SKU"), f(FileField::Cost, true, "the landed unit cost")];
const WHOLESALE_ORDERS: &[FieldSpec] = &[
    f(FileField::OrderId, true, "the order number"),
    f(FileField::Sku, true, "the SKU"),
    f(FileField::Qty, true, "units ordered"),
    f(FileField::PlacedAt, true, "when the order was placed"),
    f(FileField::UnitPrice, false, "price per unit before discounts"),
    f(FileField::Status, false, "open, fulfilled or cancelled"),
];
const LISTINGS: &[FieldSpec] = &[
    f(FileField::Sku, true, "the SKU"),
    f(FileField::Title, false, "the product title"),
    f(FileField::Price, false, "the selling price"),
    f(FileField::CompareAt, false, "the strike-through price"),
    f(FileField::UnitCost, false, "the unit cost the channel holds"),
    f(FileField::Quantity, false, "the quantity the channel shows"),
];

impl FileRecord {
    pub fn fields(self) -> &'static [FieldSpec] {
        match self {
            FileRecord::Stock => STOCK,
            FileRecord::PurchaseOrders => PURCHASE_ORDERS,
            FileRecord::Costs => COSTS,
            FileRecord::WholesaleOrders => WHOLESALE_ORDERS,
            FileRecord::Listings => LISTINGS,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            FileRecord::Stock => "stock",
            FileRecord::PurchaseOrders => "purchase_orders",
            FileRecord::Costs => "costs",
            FileRecord::WholesaleOrders => "wholesale_orders",
            FileRecord::Listings => "listings",
        }
    }
}

impl FileFormat {
    /// The record a preset's rows always hold.
    pub fn preset_record(self) -> Option<FileRecord> {
        match self {
            FileFormat::FbaManageInventory => Some(FileRecord::Stock),
            FileFormat::ShopifyProducts => Some(FileRecord::Listings),
            FileFormat::Generic => None,
        }
    }
}

/// A validated file mapping. `None` settings are detected or defaulted by
/// the reader, which says what it chose.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileMapping {
    pub format: FileFormat,
    pub record: FileRecord,
    /// Field name → header, overriding a preset's header for that field.
    pub columns: BTreeMap<String, String>,
    pub delimiter: Option<u8>,
    pub decimal: Option<u8>,
    pub thousands: Option<u8>,
    pub encoding: Option<FileEncoding>,
    pub date_format: Option<String>,
    pub time_zone: Option<TimeZone>,
    pub currency: Option<Currency>,
    /// For a folder: file names to consider, `*` matching any run.
    pub pattern: Option<String>,
}

impl FileMapping {
    /// A mapping of `format`'s `record` rows with `columns` (field → header)
    /// and every other setting left to the reader to detect or default.
    pub fn new(format: FileFormat, record: FileRecord, columns: &[(&str, &str)]) -> FileMapping {
        FileMapping {
            format,
            record,
            columns: columns.iter().map(|(f, h)| ((*f).to_owned(), (*h).to_owned())).collect(),
            delimiter: None,
            decimal: None,
            thousands: None,
            encoding: None,
            date_format: None,
            time_zone: None,
            currency: None,
            pattern: None,
        }
    }
}

/// One ASCII character given as a string; `"\t"` and `"tab"` are a tab.
fn one_char(id: &str, key: &str, value: Option<&String>, allowed: &[u8], ctx: &mut Ctx<'_>) -> Option<u8> {
    let v = value?;
    let byte = match v.as_str() {
        "tab" => Some(b'\t'),
        s if s.len() == 1 => s.bytes().next().filter(|b| allowed.contains(b)),
        _ => None,
    };
    if byte.is_none() {
        let shown: Vec<String> = allowed.iter().map(|b| format!("{:?}", char::from(*b))).collect();
        ctx.err(&["sources", id, key], format!("expected one of {}, found {v:?}", shown.join(", ")));
    }
    byte
}

/// The `[sources.ID]` file keys, checked; `None` when the source is not a
/// file source or is wrong (the errors are in `ctx`).
pub(super) fn build(id: &str, s: &RawSource, ctx: &mut Ctx<'_>) -> Option<FileMapping> {
    let format = s.format.unwrap_or(FileFormat::Generic);
    let record = match (format.preset_record(), s.record) {
        (Some(preset), Some(r)) if r != preset => {
            let msg =
                format!("this format's rows are {}; use format = \"generic\" to read {}", preset.name(), r.name());
            ctx.err(&["sources", id, "record"], msg);
            return None;
        }
        (Some(preset), _) => preset,
        (None, Some(r)) => r,
        (None, None) => {
            ctx.err(
                &["sources", id],
                "a generic file source needs record (stock, purchase_orders, costs, wholesale_orders or listings)",
            );
            return None;
        }
    };
    check_columns(id, format, record, &s.columns, ctx);
    let delimiter = one_char(id, "delimiter", s.delimiter.as_ref(), b",;\t|", ctx);
    let decimal = one_char(id, "decimal", s.decimal.as_ref(), b".,", ctx);
    let thousands = one_char(id, "thousands", s.thousands.as_ref(), b".,' ", ctx);
    if decimal.is_some() && decimal == thousands {
        ctx.err(&["sources", id, "thousands"], "the thousands separator must differ from the decimal separator");
    }
    let time_zone = s.time_zone.as_ref().and_then(|tz| {
        let found = TimeZone::get(tz).ok();
        if found.is_none() {
            ctx.err(
                &["sources", id, "time_zone"],
                format!("expected an IANA time zone like \"Europe/Berlin\", found {tz:?}"),
            );
        }
        found
    });
    Some(FileMapping {
        format,
        record,
        columns: s.columns.clone(),
        delimiter,
        decimal,
        thousands,
        encoding: s.encoding,
        date_format: s.date_format.clone(),
        time_zone,
        currency: s.currency,
        pattern: s.pattern.clone(),
    })
}

/// File keys on an API source would be ignored; say so instead.
pub(super) fn refuse_on_other_kinds(id: &str, s: &RawSource, ctx: &mut Ctx<'_>) {
    let set = [
        ("format", s.format.is_some()),
        ("record", s.record.is_some()),
        ("columns", !s.columns.is_empty()),
        ("delimiter", s.delimiter.is_some()),
        ("decimal", s.decimal.is_some()),
        ("thousands", s.thousands.is_some()),
        ("encoding", s.encoding.is_some()),
        ("date_format", s.date_format.is_some()),
        ("time_zone", s.time_zone.is_some()),
        ("currency", s.currency.is_some()),
        ("pattern", s.pattern.is_some()),
    ];
    for (key, _) in set.iter().filter(|(_, present)| *present) {
        ctx.err(&["sources", id, key], format!("only file sources take {key}; this is a {} source", s.kind.name()));
    }
}

fn check_columns(
    id: &str,
    format: FileFormat,
    record: FileRecord,
    columns: &BTreeMap<String, String>,
    ctx: &mut Ctx<'_>,
) {
    let fields = record.fields();
    for (field, header) in columns {
        if !fields.iter().any(|f| f.name() == field) {
            let names: Vec<&str> = fields.iter().map(FieldSpec::name).collect();
            let msg = format!("{} rows have no field {field:?}; expected one of {}", record.name(), names.join(", "));
            ctx.err(&["sources", id, "columns", field], msg);
        } else if header.trim().is_empty() {
            ctx.err(&["sources", id, "columns", field], "expected a column header, found an empty string");
        }
    }
    // Presets name their own columns; only a generic mapping must name all.
    if format == FileFormat::Generic {
        for spec in fields.iter().filter(|f| f.required && !columns.contains_key(f.name())) {
            let msg =
                format!("{} rows need columns.{} (the column holding {})", record.name(), spec.name(), spec.meaning);
            ctx.err(&["sources", id, "columns"], msg);
        }
    }
}
