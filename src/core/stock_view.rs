//! One trusted stock position per (SKU, location), chosen from every source
//! that reports it, with the disagreements and bad input made visible.
//!
//! The plan uses the source the location names as authoritative; without
//! one, the freshest report (ties: source id order). Whenever two sources
//! count the same shelf differently beyond the tolerance, both numbers,
//! both sources and their ages are kept as a [`Disagreement`].

use std::collections::{BTreeMap, BTreeSet};

use jiff::Timestamp;

use super::ids::{ChannelId, LocationId, Sku, SourceId};
use super::rules::Rules;
use super::snapshot::{SourceStatus, Sourced};
use super::stock::StockPosition;

/// One source's count of a shelf.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    pub source: SourceId,
    pub fetched_at: Option<Timestamp>,
    pub on_hand: u32,
    pub sellable: u32,
}

/// Two or more sources counting the same shelf differently.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Disagreement {
    pub sku: Sku,
    pub location: LocationId,
    pub trusted: SourceId,
    pub reports: Vec<Report>,
    /// Largest difference in sellable units between any two reports.
    pub spread: u32,
}

/// Something in the stock data that the plan cannot use as it stands.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum StockFlag {
    /// A source reports stock of a SKU the catalog does not know.
    UnknownSku { source: SourceId, sku: Sku },
    /// A source reports stock at a location the config does not define.
    UnknownLocation { source: SourceId, location: LocationId },
    /// A configured location serves no channel: its units back nothing.
    UnservedLocation { location: LocationId },
    /// No source reports any stock of a kit's component.
    KitComponentMissing { kit: Sku, component: Sku },
    /// A count too large to be real (see `ABSURD_UNITS`), left out of the plan.
    AbsurdCount { source: SourceId, place: String, count: u32 },
    /// A channel sold a SKU the catalog does not know: no velocity is kept.
    UnknownSoldSku { source: SourceId, channel: ChannelId, sku: Sku },
}

impl StockFlag {
    pub fn message(&self) -> String {
        match self {
            StockFlag::UnknownSku { source, sku } => {
                format!("{source} reports stock of {sku}, which is not in the catalog; it is left out of the plan")
            }
            StockFlag::UnknownLocation { source, location } => {
                format!("{source} reports stock at location {location}, which is not configured")
            }
            StockFlag::UnservedLocation { location } => {
                format!("location {location} serves no channel, so its stock backs nothing")
            }
            StockFlag::KitComponentMissing { kit, component } => {
                format!("no source reports {component}, a component of kit {kit}: the kit shows 0")
            }
            StockFlag::AbsurdCount { source, place, count } => {
                format!("{source} reports {count} units for {place}, too many to be real; left out of the plan")
            }
            StockFlag::UnknownSoldSku { source, channel, sku } => {
                format!("{source} reports {channel} orders of {sku}, which is not in the catalog; they are not counted")
            }
        }
    }
}

/// The trusted positions, and what did not fit.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StockView {
    pub trusted: BTreeMap<(Sku, LocationId), Sourced<StockPosition>>,
    pub disagreements: Vec<Disagreement>,
    pub flags: BTreeSet<StockFlag>,
}

impl StockView {
    pub fn positions(&self) -> impl Iterator<Item = &StockPosition> {
        self.trusted.values().map(|s| &s.value)
    }
}

/// One SKU's shelves: the trusted report per location, and where sources
/// disagree beyond `tolerance` sellable units. `reports` are the SKU's
/// reports at configured locations.
pub fn shelves(
    reports: &[&Sourced<StockPosition>],
    rules: &Rules,
    sources: &BTreeMap<SourceId, SourceStatus>,
    tolerance: u32,
) -> (Vec<(LocationId, Sourced<StockPosition>)>, Vec<Disagreement>) {
    let mut by_location: BTreeMap<&LocationId, Vec<&Sourced<StockPosition>>> = BTreeMap::new();
    for r in reports {
        by_location.entry(&r.value.location).or_default().push(r);
    }
    let fetched = |s: &SourceId| sources.get(s).and_then(|st| st.fetched_at);
    let mut trusted = Vec::new();
    let mut disagreements = Vec::new();
    for (location, reports) in by_location {
        let safety = rules.locations.get(location).map_or(0, |l| l.safety_stock);
        let authoritative = rules.locations.get(location).and_then(|l| l.authoritative_source.as_ref());
        let chosen = reports
            .iter()
            .find(|r| Some(&r.source) == authoritative)
            .or_else(|| {
                reports.iter().max_by(|a, b| fetched(&a.source).cmp(&fetched(&b.source)).then(b.source.cmp(&a.source)))
            })
            .copied();
        let Some(chosen) = chosen else { continue };
        let sellables: Vec<u32> = reports.iter().map(|r| r.value.sellable(safety)).collect();
        let spread = sellables.iter().max().unwrap_or(&0) - sellables.iter().min().unwrap_or(&0);
        if reports.len() > 1 && spread > tolerance {
            disagreements.push(Disagreement {
                sku: chosen.value.sku.clone(),
                location: location.clone(),
                trusted: chosen.source.clone(),
                reports: reports
                    .iter()
                    .map(|r| Report {
                        source: r.source.clone(),
                        fetched_at: fetched(&r.source),
                        on_hand: r.value.on_hand,
                        sellable: r.value.sellable(safety),
                    })
                    .collect(),
                spread,
            });
        }
        trusted.push((location.clone(), chosen.clone()));
    }
    (trusted, disagreements)
}

/// Locations whose stock backs nothing.
pub fn unserved_locations(rules: &Rules) -> impl Iterator<Item = StockFlag> + '_ {
    rules
        .locations
        .values()
        .filter(|l| l.serves.is_empty())
        .map(|l| StockFlag::UnservedLocation { location: l.id.clone() })
}
