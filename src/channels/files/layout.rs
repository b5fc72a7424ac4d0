//! Which column holds which field: a preset's table, overridden by the
//! config's `columns`, resolved against the file's header line.

use std::collections::BTreeMap;

use super::FileError;
use crate::config::files::{FileFormat, FileMapping};

/// Amazon's "Manage FBA Inventory" report. `on_hand` adds the reserved
/// units back so that sellable (on hand − reserved) is the fulfillable
/// count, the same reading the FBA Inventory API connector gives.
const FBA_MANAGE_INVENTORY: &[(&str, &[&str])] = &[
    ("sku", &["sku"]),
    ("on_hand", &["afn-fulfillable-quantity", "afn-reserved-quantity"]),
    ("reserved", &["afn-reserved-quantity"]),
    ("unfulfillable", &["afn-unsellable-quantity", "afn-researching-quantity"]),
    ("inbound", &["afn-inbound-working-quantity", "afn-inbound-shipped-quantity", "afn-inbound-receiving-quantity"]),
];

/// Shopify's products export: one row per variant (image-only rows have no
/// SKU and are passed over).
const SHOPIFY_PRODUCTS: &[(&str, &[&str])] = &[
    ("sku", &["Variant SKU"]),
    ("title", &["Title"]),
    ("price", &["Variant Price"]),
    ("compare_at", &["Variant Compare At Price"]),
    ("unit_cost", &["Cost per item"]),
    ("quantity", &["Variant Inventory Qty"]),
];

/// The delimiter a preset's files always use.
pub(super) fn preset_delimiter(format: FileFormat) -> Option<u8> {
    match format {
        FileFormat::FbaManageInventory => Some(b'\t'),
        FileFormat::ShopifyProducts => Some(b','),
        FileFormat::Generic => None,
    }
}

/// A field rows are read by, so that a lookup per cell is an index rather
/// than a name comparison; [`Field::name`] is the config's key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Field {
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

impl Field {
    const ALL: [Field; 22] = [
        Field::Sku,
        Field::OnHand,
        Field::Location,
        Field::Committed,
        Field::Reserved,
        Field::Unfulfillable,
        Field::Inbound,
        Field::InboundEta,
        Field::PoId,
        Field::Supplier,
        Field::Qty,
        Field::Eta,
        Field::Status,
        Field::Cost,
        Field::OrderId,
        Field::PlacedAt,
        Field::UnitPrice,
        Field::Title,
        Field::Price,
        Field::CompareAt,
        Field::UnitCost,
        Field::Quantity,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Field::Sku => "sku",
            Field::OnHand => "on_hand",
            Field::Location => "location",
            Field::Committed => "committed",
            Field::Reserved => "reserved",
            Field::Unfulfillable => "unfulfillable",
            Field::Inbound => "inbound",
            Field::InboundEta => "inbound_eta",
            Field::PoId => "po_id",
            Field::Supplier => "supplier",
            Field::Qty => "qty",
            Field::Eta => "eta",
            Field::Status => "status",
            Field::Cost => "cost",
            Field::OrderId => "order_id",
            Field::PlacedAt => "placed_at",
            Field::UnitPrice => "unit_price",
            Field::Title => "title",
            Field::Price => "price",
            Field::CompareAt => "compare_at",
            Field::UnitCost => "unit_cost",
            Field::Quantity => "quantity",
        }
    }
}

/// Which columns feed each field, and the file's headers.
#[derive(Debug, Clone)]
pub(super) struct Layout {
    pub headers: Vec<String>,
    /// Indexed by [`Field`]: empty for a field the record does not have or
    /// the file does not carry.
    by_field: Vec<Vec<usize>>,
}

impl Layout {
    /// Columns of `field`; empty when the file does not carry it.
    pub fn of(&self, field: Field) -> &[usize] {
        &self.by_field[field as usize]
    }

    /// Every column some field is read from.
    pub fn mapped(&self) -> impl Iterator<Item = usize> + '_ {
        self.by_field.iter().flatten().copied()
    }

    pub fn resolve(m: &FileMapping, headers: Vec<String>, file: &str) -> Result<Layout, FileError> {
        let fields = m.record.fields();
        let wanted = wanted(m);
        let mut columns = Vec::with_capacity(fields.len());
        for spec in fields {
            let names = wanted.get(spec.name).map_or(&[][..], Vec::as_slice);
            let found: Vec<Option<usize>> =
                names.iter().map(|n| headers.iter().position(|h| h.eq_ignore_ascii_case(n))).collect();
            let missing: Vec<&String> = names.iter().zip(&found).filter(|(_, f)| f.is_none()).map(|(n, _)| n).collect();
            // A preset's optional column may be absent from older exports;
            // a column the config names, or a required one, may not.
            let may_skip = !spec.required && m.format != FileFormat::Generic && !m.columns.contains_key(spec.name);
            match missing.first() {
                Some(_) if may_skip => columns.push(Vec::new()),
                Some(name) => {
                    return Err(FileError::MissingColumn {
                        file: file.to_owned(),
                        column: (*name).clone(),
                        field: spec.name,
                        headers: headers.join(", "),
                    });
                }
                None => columns.push(found.into_iter().flatten().collect()),
            }
        }
        let by_field = Field::ALL
            .iter()
            .map(|f| fields.iter().position(|s| s.name == f.name()).map_or_else(Vec::new, |i| columns[i].clone()))
            .collect();
        Ok(Layout { headers, by_field })
    }
}

/// Field → header names: the preset's, then the config's on top.
fn wanted(m: &FileMapping) -> BTreeMap<&str, Vec<String>> {
    let preset: &[(&str, &[&str])] = match m.format {
        FileFormat::FbaManageInventory => FBA_MANAGE_INVENTORY,
        FileFormat::ShopifyProducts => SHOPIFY_PRODUCTS,
        FileFormat::Generic => &[],
    };
    let mut out: BTreeMap<&str, Vec<String>> =
        preset.iter().map(|(f, hs)| (*f, hs.iter().map(|h| (*h).to_owned()).collect())).collect();
    for (field, header) in &m.columns {
        out.insert(field.as_str(), vec![header.trim().to_owned()]);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::Field;
    use crate::config::files::FileRecord;

    /// A field a record takes but [`Field`] lacks would never be read.
    #[test]
    fn every_field_a_record_takes_is_a_field() {
        let records = [
            FileRecord::Stock,
            FileRecord::PurchaseOrders,
            FileRecord::Costs,
            FileRecord::WholesaleOrders,
            FileRecord::Listings,
        ];
        for record in records {
            for spec in record.fields() {
                assert!(
                    Field::ALL.iter().any(|f| f.name() == spec.name),
                    "{}: {} has no Field",
                    record.name(),
                    spec.name
                );
            }
        }
    }
}
