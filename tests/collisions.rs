//! Promotion collisions, each kind next to a case that must not collide,
//! with the money at stake worked by hand.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "test helpers fail loudly")]

mod pricing_support;

use omnideck::core::collisions::{Collision, CollisionKind};
use omnideck::core::promotion::{Discount, Promotion, Window};
use omnideck::core::snapshot::{Snapshot, Sourced};
use pricing_support::*;
use rust_decimal::Decimal;
use rust_decimal_macros::dec;

const START: &str = "2026-11-20T00:00:00Z";
const END: &str = "2026-12-04T12:00:00Z";

fn pct(d: Decimal) -> Discount {
    Discount::Percent(d.try_into().unwrap())
}

fn base() -> Snapshot {
    snapshot(vec![listing("dtc", "SOCK", usd("28.00")), listing("fba", "SOCK", usd("24.00"))])
}

fn kinds(cs: &[Collision]) -> Vec<CollisionKind> {
    cs.iter().map(|c| c.kind).collect()
}

fn with(mut snap: Snapshot, promos: Vec<Sourced<Promotion>>) -> Snapshot {
    snap.promotions = promos;
    snap
}

#[test]
fn same_sku_on_two_channels_without_a_campaign_collides_with_its_cost() {
    let rules = rules();
    let mut demand = Demand::default();
    demand.velocity.insert((sku("SOCK"), ch("dtc")), dec!(2));
    demand.velocity.insert((sku("SOCK"), ch("fba")), dec!(3));
    let a = promo("dtc-5", "dtc", &["SOCK"], pct(dec!(0.05)), START, END);
    let b = promo("fba-5", "fba", &["SOCK"], pct(dec!(0.05)), "2026-11-25T00:00:00Z", "2026-12-10T00:00:00Z");
    let cs = collide(&rules, &with(base(), vec![a.clone(), b.clone()]), &demand);
    assert_eq!(kinds(&cs), vec![CollisionKind::CrossChannel]);
    let c = &cs[0];
    // Overlap 25 Nov – 4 Dec 12:00; from now (27 Nov 12:00) that is 7 days.
    // dtc: 2/day × 7 = 14 units × (28.00 − 26.60) = 19.60.
    // fba: 3/day × 7 = 21 units × (24.00 − 22.80) = 25.20. Discount 44.80.
    // Margin given up, dtc (2 units per order): at 28.00 fees are payment
    // 0.962 → 0.96, pick-pack 1.65, shipping 2.00, returns 1.12 = 5.73, so
    // 15.87; at 26.60 payment 0.9214 → 0.92, returns 1.064 → 1.06, fees 5.63,
    // so 14.57: 1.30 × 14 = 18.20. fba: 10.24 at 24.00; at 22.80 referral
    // 3.42 so 9.22: 1.02 × 21 = 21.42. Together 39.62.
    let stake = c.stake.as_ref().unwrap();
    assert_eq!(stake.expected_units, dec!(35));
    assert_eq!(stake.discount, usd("44.80"));
    assert_eq!(stake.margin_given_up, usd("39.62"));
    assert_eq!(c.window, Window::new(ts("2026-11-25T00:00:00Z"), Some(ts(END))).unwrap());
    let owners: Vec<&str> = c.owners.iter().map(String::as_str).collect();
    assert_eq!(owners, vec!["Maya", "Priya"]);
    assert_eq!(c.promotions, vec!["dtc-5".to_owned(), "fba-5".to_owned()]);

    // Sharing a campaign id makes it a coordinated campaign.
    let (mut a, mut b) = (a, b);
    a.value.campaign_id = Some("bf".into());
    b.value.campaign_id = Some("bf".into());
    assert!(collide(&rules, &with(base(), vec![a, b]), &demand).is_empty());
}

#[test]
fn stacked_discounts_on_one_channel_collide_and_back_to_back_ones_do_not() {
    let rules = rules();
    let a = promo("a", "dtc", &["SOCK"], pct(dec!(0.05)), START, END);
    let b = promo("b", "dtc", &[], pct(dec!(0.05)), "2026-11-26T00:00:00Z", "2026-11-30T00:00:00Z");
    let cs = collide(&rules, &with(base(), vec![a.clone(), b]), &Demand::default());
    assert_eq!(kinds(&cs), vec![CollisionKind::Stacked]);
    // One promotion reported by two sources is not a stack.
    let mut twin = a.clone();
    twin.source = source_of("fba");
    assert!(collide(&rules, &with(base(), vec![a.clone(), twin]), &Demand::default()).is_empty());
    let c = promo("c", "dtc", &[], pct(dec!(0.05)), END, "2026-12-20T00:00:00Z");
    assert!(collide(&rules, &with(base(), vec![a, c]), &Demand::default()).is_empty());
}

#[test]
fn a_promotion_breaking_floor_or_map_collides() {
    let rules = rules();
    // fba at a fixed 14.00: contribution 1.74, under the floor and MAP 22.00.
    let deep = promo("deep", "fba", &["SOCK"], Discount::FixedPrice(usd("14.00")), START, END);
    let cs = collide(&rules, &with(base(), vec![deep]), &Demand::default());
    assert_eq!(kinds(&cs), vec![CollisionKind::BreaksFloor, CollisionKind::BreaksMap]);
    assert!(cs[0].detail.contains("contribution 1.74 USD"), "{}", cs[0].detail);
    // 5% off: 22.80, contribution 9.22 (40.4%), above MAP: nothing.
    let mild = promo("mild", "fba", &["SOCK"], pct(dec!(0.05)), START, END);
    assert!(collide(&rules, &with(base(), vec![mild]), &Demand::default()).is_empty());
}

#[test]
fn a_promotion_longer_than_cover_collides() {
    let rules = rules();
    let p = promo("p", "fba", &["SOCK"], pct(dec!(0.05)), START, END);
    let mut demand = Demand::default();
    demand.cover.insert(sku("SOCK"), dec!(5));
    // 7 days left to run, 5 days of cover.
    let cs = collide(&rules, &with(base(), vec![p.clone()]), &demand);
    assert_eq!(kinds(&cs), vec![CollisionKind::Scarcity]);
    assert_eq!(cs[0].detail, "SOCK: cover 5 days for a 7-day promotion");
    demand.cover.insert(sku("SOCK"), dec!(30));
    assert!(collide(&rules, &with(base(), vec![p.clone()]), &demand).is_empty());
    demand.scarce.insert(sku("SOCK"));
    assert_eq!(kinds(&collide(&rules, &with(base(), vec![p]), &demand)), vec![CollisionKind::Scarcity]);
}

#[test]
fn a_promotion_breaking_parity_collides() {
    let rules = rules();
    // dtc 28.00 − 20% = 22.40 < fba 24.00 × 0.95 = 22.80 (and above MAP).
    let deep = promo("deep", "dtc", &["SOCK"], pct(dec!(0.20)), START, END);
    let cs = collide(&rules, &with(base(), vec![deep]), &Demand::default());
    assert_eq!(kinds(&cs), vec![CollisionKind::BreaksParity]);
    // 15% off: 23.80, fine.
    let mild = promo("mild", "dtc", &["SOCK"], pct(dec!(0.15)), START, END);
    assert!(collide(&rules, &with(base(), vec![mild]), &Demand::default()).is_empty());
}

#[test]
fn bad_windows_and_discounts_are_reported_not_applied() {
    let rules = rules();
    let mut backwards = promo("back", "fba", &["SOCK"], pct(dec!(0.50)), START, END);
    // Deserialized from a source, a window can skip Window::new's check.
    backwards.value.window = Window { start: ts(END), end: Some(ts(START)) };
    let huge = promo("huge", "dtc", &["SOCK"], Discount::AmountOff(usd("30.00")), START, END);
    let snap = with(base(), vec![backwards, huge]);
    let cs = collide(&rules, &snap, &Demand::default());
    assert_eq!(kinds(&cs), vec![CollisionKind::BadWindow, CollisionKind::BadDiscount]);
    assert!(cs[0].detail.contains("window ends before it starts"));
    // The backwards promotion never reaches a contribution.
    let r = read(&rules, &snap);
    assert!(r.report.view("fba", "SOCK").unwrap().promo.is_none());
}

#[test]
fn ended_promotions_do_not_collide() {
    let rules = rules();
    let a = promo("a", "dtc", &["SOCK"], pct(dec!(0.05)), "2026-11-01T00:00:00Z", "2026-11-10T00:00:00Z");
    let b = promo("b", "fba", &["SOCK"], pct(dec!(0.05)), "2026-11-01T00:00:00Z", "2026-11-10T00:00:00Z");
    assert!(collide(&rules, &with(base(), vec![a, b]), &Demand::default()).is_empty());
}
