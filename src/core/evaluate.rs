//! `evaluate(&Snapshot, &Rules, &History, now) -> Cockpit`: the one
//! evaluated read that the cockpit and the headless reports both render,
//! so they can never disagree.

use std::collections::{BTreeMap, BTreeSet};

use jiff::Timestamp;
use jiff::civil::Date;
use rust_decimal::Decimal;

use super::collisions::{Collision, CollisionInput, collisions};
use super::conditions::{ConditionInput, conditions};
use super::contribution::{ContributionReport, contributions, convert};
use super::escalation::Condition;
use super::ids::{ChannelId, Sku, SourceId};
use super::inventory::{InventoryRead, sku_velocity};
use super::market::Market;
use super::money::Money;
use super::price_flags::{PriceFlag, price_flags};
use super::pricebook::{PriceBook, price_book};
use super::rules::Rules;
use super::snapshot::{Snapshot, SourceIssue, SourceStatus, Sourced};

/// What the store remembers that a snapshot cannot say.
#[derive(Debug, Clone, Default)]
pub struct History {
    /// Days (brand zone) each SKU had no sellable stock.
    pub out_of_stock: BTreeSet<(Sku, Date)>,
}

/// The evaluated read.
#[derive(Debug, Clone)]
pub struct Cockpit {
    pub now: Timestamp,
    pub sources: BTreeMap<SourceId, SourceStatus>,
    pub inventory: InventoryRead,
    pub contributions: ContributionReport,
    pub book: PriceBook,
    pub flags: Vec<PriceFlag>,
    pub collisions: Vec<Collision>,
    pub conditions: Vec<Condition>,
    /// What sources sent that could not be used, with where.
    pub issues: Vec<Sourced<SourceIssue>>,
}

/// Live unit contribution per (SKU, channel) in the report currency, for
/// the contribution scarcity policy.
fn contribution_by_key(report: &ContributionReport, rules: &Rules) -> BTreeMap<(Sku, ChannelId), Money> {
    let fx = &rules.brand.fx;
    report
        .views
        .iter()
        .filter_map(|v| {
            let m = convert(v.live.contribution, fx.report, fx).ok()?;
            Some(((v.sku.clone(), v.channel.clone()), m))
        })
        .collect()
}

/// Evaluate everything at `now`.
pub fn evaluate(snapshot: &Snapshot, rules: &Rules, history: &History, now: Timestamp) -> Cockpit {
    let market = Market::new(rules, snapshot, now);
    let report = contributions(&market);
    let by_key = contribution_by_key(&report, rules);
    let inventory = super::inventory::evaluate(snapshot, rules, &by_key, &history.out_of_stock, now);
    let book = price_book(&market, &report);
    let flags = price_flags(&market, &report, &book);
    let velocity: BTreeMap<(Sku, ChannelId), Decimal> =
        inventory.velocity.iter().map(|(k, v)| (k.clone(), v.per_day)).collect();
    let cover_days: BTreeMap<Sku, Decimal> = sku_velocity(&inventory.velocity)
        .into_iter()
        .filter(|(_, v)| *v > Decimal::ZERO)
        .map(|(sku, v)| {
            let cover = Decimal::from(inventory.sellable.total(&sku)) / v;
            (sku, cover)
        })
        .collect();
    let scarce: BTreeSet<Sku> = inventory.plan.scarce.iter().map(|s| s.sku.clone()).collect();
    let found = collisions(&CollisionInput {
        market: &market,
        report: &report,
        velocity: &velocity,
        cover_days: &cover_days,
        scarce: &scarce,
    });
    let conds = conditions(
        &ConditionInput {
            rules,
            inventory: &inventory,
            flags: &flags,
            collisions: &found,
            sources: &snapshot.sources,
            now,
        },
        &rules.escalation,
    );
    Cockpit {
        now,
        sources: snapshot.sources.clone(),
        inventory,
        contributions: report,
        book,
        flags,
        collisions: found,
        conditions: conds,
        issues: snapshot.issues.clone(),
    }
}
