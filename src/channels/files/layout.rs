//! Which column holds which field: a preset's table, overridden by the
//! config's `columns`, resolved against the file's header line.

use std::collections::BTreeMap;

use super::FileError;
pub(super) use crate::config::files::FileField as Field;
use crate::config::files::{FileFormat, FileMapping};

/// Amazon's "Manage FBA Inventory" report. `on_hand` adds the reserved
/// units back so that sellable (on hand − reserved) is the fulfillable
/// count, the same reading the FBA Inventory API connector gives.
const FBA_MANAGE_INVENTORY: &[(Field, &[&str])] = &[
    (Field::Sku, &["sku"]),
    (Field::OnHand, &["afn-fulfillable-quantity", "afn-reserved-quantity"]),
    (Field::Reserved, &["afn-reserved-quantity"]),
    (Field::Unfulfillable, &["afn-unsellable-quantity", "afn-researching-quantity"]),
    (
        Field::Inbound,
        &["afn-inbound-working-quantity", "afn-inbound-shipped-quantity", "afn-inbound-receiving-quantity"],
    ),
];

/// Shopify's products export: one row per variant (image-only rows have no
/// SKU and are passed over).
const SHOPIFY_PRODUCTS: &[(Field, &[&str])] = &[
    (Field::Sku, &["Variant SKU"]),
    (Field::Title, &["Title"]),
    (Field::Price, &["Variant Price"]),
    (Field::CompareAt, &["Variant Compare At Price"]),
    (Field::UnitCost, &["Cost per item"]),
    (Field::Quantity, &["Variant Inventory Qty"]),
];

/// The delimiter a preset's files always use.
pub(super) fn preset_delimiter(format: FileFormat) -> Option<u8> {
    match format {
        FileFormat::FbaManageInventory => Some(b'\t'),
        FileFormat::ShopifyProducts => Some(b','),
        FileFormat::Generic => None,
    }
}

/// Which columns feed each field, and the file's headers.
#[derive(Debug, Clone)]
pub(super) struct Layout {
    pub headers: Vec<String>,
    /// Indexed by [`Field`]: empty or absent for a field the record does not
    /// have or the file does not carry.
    by_field: Vec<Vec<usize>>,
}

impl Layout {
    /// Columns of `field`; empty when the file does not carry it.
    pub fn of(&self, field: Field) -> &[usize] {
        self.by_field.get(field as usize).map_or(&[], Vec::as_slice)
    }

    /// Every column some field is read from.
    pub fn mapped(&self) -> impl Iterator<Item = usize> + '_ {
        self.by_field.iter().flatten().copied()
    }

    pub fn resolve(m: &FileMapping, headers: Vec<String>, file: &str) -> Result<Layout, FileError> {
        let fields = m.record.fields();
        let wanted = wanted(m);
        let mut by_field = Vec::new();
        for spec in fields {
            let names = wanted.get(spec.name()).map_or(&[][..], Vec::as_slice);
            let found: Vec<Option<usize>> =
                names.iter().map(|n| headers.iter().position(|h| h.eq_ignore_ascii_case(n))).collect();
            let missing: Vec<&String> = names.iter().zip(&found).filter(|(_, f)| f.is_none()).map(|(n, _)| n).collect();
            // A preset's optional column may be absent from older exports;
            // a column the config names, or a required one, may not.
            let may_skip = !spec.required && m.format != FileFormat::Generic && !m.columns.contains_key(spec.name());
            let columns = match missing.first() {
                Some(_) if may_skip => Vec::new(),
                Some(name) => {
                    return Err(FileError::MissingColumn {
                        file: file.to_owned(),
                        column: (*name).clone(),
                        field: spec.name(),
                        headers: headers.join(", "),
                    });
                }
                None => found.into_iter().flatten().collect(),
            };
            let at = spec.field as usize;
            if by_field.len() <= at {
                by_field.resize(at + 1, Vec::new());
            }
            by_field[at] = columns;
        }
        Ok(Layout { headers, by_field })
    }
}

/// Field → header names: the preset's, then the config's on top.
fn wanted(m: &FileMapping) -> BTreeMap<&str, Vec<String>> {
    let preset: &[(Field, &[&str])] = match m.format {
        FileFormat::FbaManageInventory => FBA_MANAGE_INVENTORY,
        FileFormat::ShopifyProducts => SHOPIFY_PRODUCTS,
        FileFormat::Generic => &[],
    };
    let mut out: BTreeMap<&str, Vec<String>> =
        preset.iter().map(|(f, hs)| (f.name(), hs.iter().map(|h| (*h).to_owned()).collect())).collect();
    for (field, header) in &m.columns {
        out.insert(field.as_str(), vec![header.trim().to_owned()]);
    }
    out
}
