//! The brand's catalog: one record per canonical SKU, shared by every
//! channel. Kits and bundles are SKUs with components; they hold no stock
//! of their own.

use std::collections::{BTreeMap, BTreeSet};
use std::num::NonZeroU32;

use serde::{Deserialize, Serialize};

use super::ids::{Sku, SupplierId};
use super::money::Money;

/// One component of a kit: `qty` units of `sku` go into one kit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Component {
    pub sku: Sku,
    pub qty: NonZeroU32,
}

/// Everything the shared logic knows about one SKU, independent of channel.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CatalogItem {
    pub sku: Sku,
    pub title: String,
    /// Cost to have one unit on the shelf: purchase, freight, duty.
    pub landed_cost: Money,
    /// Minimum advertised price, where the brand enforces one.
    pub map: Option<Money>,
    pub msrp: Option<Money>,
    pub case_pack: NonZeroU32,
    pub moq: u32,
    pub lead_time_days: u32,
    pub supplier: Option<SupplierId>,
    /// Group name for per-group price rules (e.g. "socks").
    pub group: Option<String>,
    /// Fulfilment size tier, for fee tables priced by tier.
    pub size_tier: Option<String>,
    /// Empty for an ordinary SKU; the bill of materials for a kit.
    pub components: Vec<Component>,
}

impl CatalogItem {
    pub fn is_kit(&self) -> bool {
        !self.components.is_empty()
    }
}

/// A catalog whose kits are known to be well formed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Catalog {
    items: BTreeMap<Sku, CatalogItem>,
}

/// Why a set of items cannot form a catalog.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CatalogError {
    #[error("SKU {0} is listed twice")]
    Duplicate(Sku),
    #[error("kit {kit} lists component {component}, which is not in the catalog")]
    UnknownComponent { kit: Sku, component: Sku },
    #[error("kit {kit} contains itself (through {path})")]
    KitCycle { kit: Sku, path: String },
}

impl Catalog {
    /// Build a catalog, refusing duplicates, unknown components and kits
    /// that contain themselves directly or through another kit.
    pub fn new(items: impl IntoIterator<Item = CatalogItem>) -> Result<Self, CatalogError> {
        let mut map = BTreeMap::new();
        for item in items {
            if map.contains_key(&item.sku) {
                return Err(CatalogError::Duplicate(item.sku));
            }
            map.insert(item.sku.clone(), item);
        }
        let catalog = Catalog { items: map };
        catalog.check_kits()?;
        Ok(catalog)
    }

    fn check_kits(&self) -> Result<(), CatalogError> {
        for item in self.items.values().filter(|i| i.is_kit()) {
            for c in &item.components {
                if !self.items.contains_key(&c.sku) {
                    return Err(CatalogError::UnknownComponent { kit: item.sku.clone(), component: c.sku.clone() });
                }
            }
            let mut path = vec![item.sku.clone()];
            self.walk(&item.sku, &mut path, &mut BTreeSet::new())?;
        }
        Ok(())
    }

    /// Depth-first walk from a kit; finding the start again is a cycle.
    fn walk(&self, sku: &Sku, path: &mut Vec<Sku>, seen: &mut BTreeSet<Sku>) -> Result<(), CatalogError> {
        let Some(item) = self.items.get(sku) else { return Ok(()) };
        for c in &item.components {
            if c.sku == path[0] {
                let names: Vec<&str> = path.iter().map(Sku::as_str).chain([c.sku.as_str()]).collect();
                return Err(CatalogError::KitCycle { kit: path[0].clone(), path: names.join(" → ") });
            }
            if seen.insert(c.sku.clone()) {
                path.push(c.sku.clone());
                self.walk(&c.sku, path, seen)?;
                path.pop();
            }
        }
        Ok(())
    }

    pub fn get(&self, sku: &str) -> Option<&CatalogItem> {
        self.items.get(sku)
    }

    pub fn contains(&self, sku: &str) -> bool {
        self.items.contains_key(sku)
    }

    pub fn iter(&self) -> impl Iterator<Item = &CatalogItem> {
        self.items.values()
    }

    pub fn len(&self) -> usize {
        self.items.len()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }
}

/// Catalog items for tests here and in the modules that read kits.
#[cfg(test)]
pub(crate) mod test_support {
    use super::*;
    use crate::core::money::Currency;

    /// An item with `components` as (SKU, quantity).
    pub(crate) fn item(sku: &str, components: &[(&str, u32)]) -> CatalogItem {
        CatalogItem {
            sku: Sku::new(sku).unwrap(),
            title: sku.to_owned(),
            landed_cost: Money::zero(Currency::USD),
            map: None,
            msrp: None,
            case_pack: NonZeroU32::MIN,
            moq: 0,
            lead_time_days: 0,
            supplier: None,
            group: None,
            size_tier: None,
            components: components
                .iter()
                .map(|(s, q)| Component { sku: Sku::new(*s).unwrap(), qty: NonZeroU32::new(*q).unwrap() })
                .collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use super::test_support::item;

    #[test]
    fn a_kit_of_known_components_is_accepted() {
        let c = Catalog::new([item("A", &[]), item("B", &[]), item("KIT", &[("A", 2), ("B", 1)])]).unwrap();
        assert!(c.get("KIT").unwrap().is_kit());
        assert_eq!(c.len(), 3);
    }

    #[test]
    fn a_kit_containing_itself_through_another_is_refused() {
        let err = Catalog::new([item("K1", &[("K2", 1)]), item("K2", &[("K1", 1)])]).unwrap_err();
        assert_eq!(err.to_string(), "kit K1 contains itself (through K1 → K2 → K1)");
        let err = Catalog::new([item("K", &[("K", 1)])]).unwrap_err();
        assert_eq!(err.to_string(), "kit K contains itself (through K → K)");
    }

    #[test]
    fn unknown_components_and_duplicates_are_refused() {
        let err = Catalog::new([item("K", &[("NOPE", 1)])]).unwrap_err();
        assert_eq!(
            err,
            CatalogError::UnknownComponent { kit: Sku::new("K").unwrap(), component: Sku::new("NOPE").unwrap() }
        );
        assert!(matches!(Catalog::new([item("A", &[]), item("A", &[])]), Err(CatalogError::Duplicate(_))));
    }
}
