//! The shape of the catalog's kits: which kits hold which SKUs, directly or
//! through another kit. Computed once per catalog so that planning can
//! resolve kits of kits in one pass (components before the kits that use
//! them) and a change to one SKU can find every kit it reaches.

use std::collections::{BTreeMap, BTreeSet};

use super::catalog::Catalog;
use super::ids::Sku;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct KitGraph {
    /// Every kit, each after all the kits it contains.
    order: Vec<Sku>,
    /// Kits that list a SKU as a direct component.
    parents: BTreeMap<Sku, Vec<Sku>>,
    /// The plain (non-kit) SKUs each kit is ultimately made of.
    leaves: BTreeMap<Sku, BTreeSet<Sku>>,
}

impl KitGraph {
    /// The catalog has already refused cycles, so the depth-first walk ends.
    pub fn new(catalog: &Catalog) -> Self {
        let mut graph = KitGraph::default();
        for kit in catalog.iter().filter(|i| i.is_kit()) {
            for c in &kit.components {
                graph.parents.entry(c.sku.clone()).or_default().push(kit.sku.clone());
            }
        }
        for kit in catalog.iter().filter(|i| i.is_kit()) {
            graph.visit(catalog, &kit.sku);
        }
        graph
    }

    /// Post-order: a kit is placed once its component kits are.
    fn visit(&mut self, catalog: &Catalog, sku: &Sku) {
        if self.leaves.contains_key(sku) {
            return;
        }
        let Some(item) = catalog.get(sku.as_str()) else { return };
        let mut leaves = BTreeSet::new();
        for c in &item.components {
            if catalog.get(c.sku.as_str()).is_some_and(super::catalog::CatalogItem::is_kit) {
                self.visit(catalog, &c.sku);
                leaves.extend(self.leaves.get(&c.sku).into_iter().flatten().cloned());
            } else {
                leaves.insert(c.sku.clone());
            }
        }
        self.leaves.insert(sku.clone(), leaves);
        self.order.push(sku.clone());
    }

    /// Kits, components first.
    pub fn order(&self) -> &[Sku] {
        &self.order
    }

    /// The plain SKUs a kit is made of, through any depth of kits.
    pub fn leaves(&self, kit: &Sku) -> impl Iterator<Item = &Sku> {
        self.leaves.get(kit).into_iter().flatten()
    }

    /// `skus` and every kit that contains one of them at any depth.
    pub fn reach(&self, skus: &BTreeSet<Sku>) -> BTreeSet<Sku> {
        let mut out = skus.clone();
        let mut todo: Vec<&Sku> = skus.iter().collect();
        while let Some(s) = todo.pop() {
            for p in self.parents.get(s).into_iter().flatten() {
                if out.insert(p.clone()) {
                    todo.push(p);
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::catalog::CatalogItem;

    fn item(sku: &str, components: &[&str]) -> CatalogItem {
        let components: Vec<(&str, u32)> = components.iter().map(|s| (*s, 1)).collect();
        crate::core::catalog::test_support::item(sku, &components)
    }

    #[test]
    fn kits_of_kits_come_after_their_parts_and_reach_back_up() {
        // "A-BOX" sorts before "Z-KIT", the kit it contains.
        let catalog =
            Catalog::new([item("A", &[]), item("B", &[]), item("Z-KIT", &["A", "B"]), item("A-BOX", &["Z-KIT", "B"])])
                .unwrap();
        let g = KitGraph::new(&catalog);
        let order: Vec<&str> = g.order().iter().map(Sku::as_str).collect();
        assert_eq!(order, ["Z-KIT", "A-BOX"]);
        let leaves: Vec<&str> = g.leaves(&Sku::new("A-BOX").unwrap()).map(Sku::as_str).collect();
        assert_eq!(leaves, ["A", "B"]);
        let reach = g.reach(&BTreeSet::from([Sku::new("A").unwrap()]));
        let reach: Vec<&str> = reach.iter().map(Sku::as_str).collect();
        assert_eq!(reach, ["A", "A-BOX", "Z-KIT"]);
    }
}
