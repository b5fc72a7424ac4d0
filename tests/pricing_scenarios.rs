//! Pricing scenarios as data: each file in tests/scenarios/pricing holds
//! listings, promotions, offers, a pinned `now` and the expected figures,
//! flags and collisions on the shared test brand. The expected flag and
//! collision lists are exact, so a scenario also says what must not flag.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "test helpers fail loudly")]

mod pricing_support;

use std::path::Path;

use omnideck::core::collisions::CollisionKind;
use omnideck::core::contribution::report_total;
use omnideck::core::money::{Currency, Money};
use omnideck::core::price_flags::FlagKind;
use omnideck::core::promotion::Discount;
use pricing_support::*;
use rust_decimal::Decimal;
use serde::Deserialize;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Scenario {
    now: String,
    #[serde(default)]
    listings: Vec<RawListing>,
    #[serde(default)]
    promotions: Vec<RawPromotion>,
    #[serde(default)]
    offers: Vec<RawOffer>,
    expect: Expect,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawListing {
    channel: String,
    sku: String,
    price: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPromotion {
    id: String,
    channel: String,
    #[serde(default)]
    skus: Vec<String>,
    percent_off: Decimal,
    start: String,
    end: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawOffer {
    channel: String,
    sku: String,
    seller: String,
    price: String,
    buy_box: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Expect {
    #[serde(default)]
    contributions: Vec<ExpectedContribution>,
    report_total: Option<String>,
    flags: Vec<String>,
    collisions: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ExpectedContribution {
    channel: String,
    sku: String,
    contribution: String,
    margin_percent: Decimal,
}

/// "24.00" is USD; "20.00 EUR" names its currency.
fn money(s: &str) -> Money {
    let mut parts = s.split_whitespace();
    let amount: Decimal = parts.next().unwrap().parse().unwrap();
    let currency: Currency = parts.next().map_or(Currency::USD, |c| c.parse().unwrap());
    Money::new(amount, currency)
}

fn flag_name(k: &FlagKind) -> &'static str {
    match k {
        FlagKind::MarginFloor { .. } => "margin_floor",
        FlagKind::BelowMap { .. } => "below_map",
        FlagKind::Drift { .. } => "drift",
        FlagKind::Parity { .. } => "parity",
        FlagKind::CompetitorBelowFloor { .. } => "competitor_below_floor",
        FlagKind::BadInput { .. } => "bad_input",
    }
}

fn collision_name(k: CollisionKind) -> &'static str {
    match k {
        CollisionKind::CrossChannel => "cross_channel",
        CollisionKind::Stacked => "stacked",
        CollisionKind::BreaksFloor => "breaks_floor",
        CollisionKind::BreaksMap => "breaks_map",
        CollisionKind::Scarcity => "scarcity",
        CollisionKind::BreaksParity => "breaks_parity",
        CollisionKind::BadWindow => "bad_window",
        CollisionKind::BadDiscount => "bad_discount",
    }
}

fn run(path: &Path) {
    let name = path.display();
    let sc: Scenario = toml::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    assert_eq!(ts(&sc.now), now(), "{name}: scenarios run at the shared pinned now");
    let rules = rules();
    let mut snap = snapshot(sc.listings.iter().map(|l| listing(&l.channel, &l.sku, money(&l.price))).collect());
    for p in &sc.promotions {
        let skus: Vec<&str> = p.skus.iter().map(String::as_str).collect();
        let d = Discount::Percent(p.percent_off.try_into().unwrap());
        snap.promotions.push(promo(&p.id, &p.channel, &skus, d, &p.start, &p.end));
    }
    for o in &sc.offers {
        snap.offers.push(offer(&o.channel, &o.sku, &o.seller, money(&o.price), o.buy_box, false));
    }
    let r = read(&rules, &snap);
    for e in &sc.expect.contributions {
        let v = r.report.view(&e.channel, &e.sku).unwrap_or_else(|| panic!("{name}: no view {}/{}", e.channel, e.sku));
        assert_eq!(v.live.contribution, money(&e.contribution), "{name}: {}/{}", e.channel, e.sku);
        assert_eq!(v.live.margin_percent(), Some(e.margin_percent), "{name}: {}/{}", e.channel, e.sku);
    }
    if let Some(total) = &sc.expect.report_total {
        let got = report_total(r.report.views.iter().map(|v| v.live.contribution), &rules.brand.fx).unwrap();
        assert_eq!(got, money(total), "{name}: report total");
    }
    let mut flags: Vec<String> = r
        .flags
        .iter()
        .map(|f| format!("{} {} {}", f.channel, f.sku.as_ref().map_or("-", |s| s.as_str()), flag_name(&f.kind)))
        .collect();
    flags.sort();
    assert_eq!(flags, sc.expect.flags, "{name}: flags");
    let mut collisions: Vec<String> = collide(&rules, &snap, &Demand::default())
        .iter()
        .map(|c| format!("{} {}", collision_name(c.kind), c.promotions.join(",")))
        .collect();
    collisions.sort();
    assert_eq!(collisions, sc.expect.collisions, "{name}: collisions");
}

#[test]
fn every_pricing_scenario_holds() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/scenarios/pricing");
    let mut files: Vec<_> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).collect();
    files.sort();
    assert!(files.len() >= 3, "expected the pricing scenarios in {}", dir.display());
    for f in &files {
        run(f);
    }
}
