//! Margin rows: one per price flag, with the fee breakdown behind the
//! contribution in its detail. Cost, contribution, margin and fee lines are
//! confidential.

use std::collections::BTreeSet;

use super::format::{age, money, percent, safe};
use super::rows::{Field, Level, MarginRow, haystack};
use crate::core::contribution::{PriceView, UnitContribution};
use crate::core::evaluate::Cockpit;
use crate::core::ids::SourceId;
use crate::core::price_flags::{FlagKind, PriceFlag};

/// A flag's short name and how loud it is. MAP breaches are critical
/// because they break a contract with the brand owner; a drift is only
/// information until someone decides which number is right.
fn kind(k: &FlagKind) -> (&'static str, Level) {
    match k {
        FlagKind::MarginFloor { .. } => ("floor", Level::Warning),
        FlagKind::BelowMap { .. } => ("MAP", Level::Critical),
        FlagKind::Drift { .. } => ("drift", Level::Info),
        FlagKind::Parity { .. } => ("parity", Level::Warning),
        FlagKind::CompetitorBelowFloor { .. } => ("competitor", Level::Warning),
        FlagKind::BadInput { .. } => ("bad input", Level::Warning),
    }
}

pub(super) fn rows(cockpit: &Cockpit, stale: &BTreeSet<SourceId>) -> Vec<MarginRow> {
    let mut rows: Vec<MarginRow> = cockpit.flags.iter().map(|f| row(cockpit, f, stale)).collect();
    rows.sort_by(|a, b| {
        (std::cmp::Reverse(a.level), &a.channel, &a.sku).cmp(&(std::cmp::Reverse(b.level), &b.channel, &b.sku))
    });
    rows
}

fn row(cockpit: &Cockpit, f: &PriceFlag, stale: &BTreeSet<SourceId>) -> MarginRow {
    let (name, level) = kind(&f.kind);
    let channel = safe(f.channel.as_str());
    let sku = f.sku.as_ref().map_or_else(|| "—".to_owned(), |s| safe(s.as_str()));
    let view = f.sku.as_ref().and_then(|s| cockpit.contributions.view(f.channel.as_str(), s.as_str()));
    let figure = view.map(PriceView::advertised);
    let source_age = f.price_source.as_ref().map_or_else(|| "—".to_owned(), |p| age(p.fetched_at, cockpit.now));
    let owner = f.owner.as_deref().map(safe);
    // The flag's own words carry contribution figures for floor breaches,
    // and a floor price gives the landed cost away.
    let confidential = matches!(f.kind, FlagKind::MarginFloor { .. } | FlagKind::CompetitorBelowFloor { .. });
    let said = safe(&f.kind.to_string());
    let mut detail = vec![Field { text: format!("{} {name}: {said}", level.label()), confidential }];
    if let Some(p) = &f.price_source {
        detail.push(Field::plain(format!(
            "price from {}, {} old",
            safe(p.source.as_str()),
            age(p.fetched_at, cockpit.now)
        )));
    }
    if let Some(v) = view {
        breakdown(v, &mut detail);
    }
    // A floor breach carries the figures it was raised at: the live price
    // and a promotion's are two flags, and each row shows its own.
    let (price, contribution, margin) = match &f.kind {
        FlagKind::MarginFloor { price, contribution, margin, .. } => {
            (money(*price), money(*contribution), percent(*margin))
        }
        _ => figure.map_or_else(
            || ("—".to_owned(), "—".to_owned(), "—".to_owned()),
            |c| (money(c.net_price), money(c.contribution), percent(c.margin)),
        ),
    };
    MarginRow {
        search: haystack([name, channel.as_str(), sku.as_str(), owner.as_deref().unwrap_or(""), level.label()]),
        level,
        kind: name,
        price,
        contribution,
        margin,
        owner,
        source_age,
        stale: f.price_source.as_ref().is_some_and(|p| stale.contains(&p.source)),
        channel,
        sku,
        detail,
    }
}

/// Live and promotional figures, each with the fee lines that make them.
fn breakdown(v: &PriceView, out: &mut Vec<Field>) {
    figure("live", &v.live, out);
    if let Some(p) = &v.promo {
        figure(&format!("under promotion {}", safe(&p.promotion)), &p.contribution, out);
    }
}

fn figure(label: &str, c: &UnitContribution, out: &mut Vec<Field>) {
    out.push(Field::secret(format!(
        "{label}: net {} − landed {} − fees {} = {} ({})",
        money(c.net_price),
        money(c.landed.amount),
        money(c.fees.total),
        money(c.contribution),
        percent(c.margin)
    )));
    if let Some(by) = &c.fees.overridden_by {
        out.push(Field::secret(format!("  fees from the channel's estimate: {}", safe(by))));
    }
    for l in &c.fees.lines {
        out.push(Field::secret(format!("  {:<18} {:>12}  {}", safe(&l.name), money(l.amount), safe(&l.basis))));
    }
}
