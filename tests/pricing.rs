//! Fee breakdowns, unit contribution and price flags on a small brand, with
//! every figure worked by hand in the comments.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "test helpers fail loudly")]

mod pricing_support;

use omnideck::core::contribution::{CostSource, landed_cost, report_total};
use omnideck::core::fee_calc::{FeeError, OrderContext, Sale, fee_breakdown};
use omnideck::core::floor::floor_price;
use omnideck::core::money::Currency;
use omnideck::core::price_flags::{FlagKind, PriceFlag};
use omnideck::core::promotion::Discount;
use pricing_support::*;
use rust_decimal_macros::dec;

fn flags_of<'a>(flags: &'a [PriceFlag], channel: &str, s: &str) -> Vec<&'a FlagKind> {
    flags
        .iter()
        .filter(|f| f.channel.as_str() == channel && f.sku.as_ref().is_some_and(|k| k.as_str() == s))
        .map(|f| &f.kind)
        .collect()
}

#[test]
fn the_24_dollar_fba_item() {
    // 24.00 − referral 15% (3.60) − FBA fee 3.76 − landed 6.40 = 10.24;
    // 10.24 ÷ 24.00 = 0.42666… → 42.67%.
    let rules = rules();
    let r = read(&rules, &snapshot(vec![listing("fba", "SOCK", usd("24.00"))]));
    let v = r.report.view("fba", "SOCK").unwrap();
    let lines: Vec<(&str, _)> = v.live.fees.lines.iter().map(|l| (l.name.as_str(), l.amount)).collect();
    assert_eq!(lines, vec![("referral", usd("3.60")), ("fulfilment", usd("3.76"))]);
    assert_eq!(v.live.fees.lines[1].basis, "size tier small-standard");
    assert_eq!(v.live.landed.source, CostSource::Catalog);
    assert_eq!(v.live.contribution, usd("10.24"));
    assert_eq!(v.live.margin_percent(), Some(dec!(42.67)));
    assert_eq!(v.price_source.source.as_str(), "fba-api");
    // No floor or MAP trouble; only drift from the MSRP book price of 28.00.
    let kinds = flags_of(&r.flags, "fba", "SOCK");
    assert!(matches!(kinds[..], [FlagKind::Drift { .. }]), "{kinds:?}");
}

#[test]
fn every_line_is_rounded_to_the_cent_and_the_total_is_their_sum() {
    // dtc at 25.00, 2 units per order:
    //   payment 2.9% × 25.00 + 0.30 ÷ 2 = 0.725 + 0.15 = 0.875 → 0.88 (midpoint up)
    //   fulfilment 2.50 ÷ 2 + 0.40 = 1.65; shipping 4.00 ÷ 2 = 2.00
    //   returns 4% × 25.00 = 1.00 → fees 5.53; 25.00 − 6.40 − 5.53 = 13.07.
    let rules = rules();
    let r = read(&rules, &snapshot(vec![listing("dtc", "SOCK", usd("25.00"))]));
    let v = r.report.view("dtc", "SOCK").unwrap();
    let amounts: Vec<_> = v.live.fees.lines.iter().map(|l| l.amount).collect();
    assert_eq!(amounts, vec![usd("1.65"), usd("0.88"), usd("2.00"), usd("1.00")]);
    assert_eq!(v.live.fees.total, usd("5.53"));
    assert_eq!(v.live.contribution, usd("13.07"));
    assert_eq!(v.live.margin_percent(), Some(dec!(52.28)));
}

#[test]
fn wholesale_commission_differs_on_a_first_order() {
    let rules = rules();
    let item = rules.catalog.get("SOCK").unwrap();
    let channel = &rules.channels[&ch("faire")];
    let order = OrderContext { first_order: true, units_per_order: dec!(24) };
    let sale = Sale { item, channel, price: usd("14.00"), order, estimate: None };
    // 25% × 14.00 = 3.50 on a first order; 15% = 2.10 on a reorder.
    assert_eq!(fee_breakdown(&sale).unwrap().total, usd("3.50"));
    let reorder = Sale { order: OrderContext { first_order: false, ..order }, ..sale };
    let b = fee_breakdown(&reorder).unwrap();
    assert_eq!((b.total, b.lines[0].basis.as_str()), (usd("2.10"), "15% of price (reorder)"));
}

#[test]
fn a_referral_minimum_applies_to_cheap_items() {
    let rules = rules();
    let sale = Sale {
        item: rules.catalog.get("SOCK").unwrap(),
        channel: &rules.channels[&ch("fba")],
        price: usd("1.50"),
        order: OrderContext { first_order: false, units_per_order: dec!(1) },
        estimate: None,
    };
    // 15% × 1.50 = 0.225 < the 0.30 minimum.
    assert_eq!(fee_breakdown(&sale).unwrap().lines[0].amount, usd("0.30"));
}

#[test]
fn an_amazon_fee_estimate_overrides_referral_and_fulfilment() {
    let rules = rules();
    let mut snap = snapshot(vec![listing("fba", "SOCK", usd("24.00"))]);
    snap.fees.push(estimate("fba", "SOCK", usd("24.00"), &[("ReferralFee", usd("3.60")), ("FBAFees", usd("4.10"))]));
    let r = read(&rules, &snap);
    let v = r.report.view("fba", "SOCK").unwrap();
    // 24.00 − 3.60 − 4.10 − 6.40 = 9.90.
    assert_eq!(v.live.contribution, usd("9.90"));
    assert_eq!(v.live.fees.overridden_by.as_deref(), Some("fba fee estimate at 24.00 USD"));
    assert!(v.live.fees.lines[1].basis.contains("from the channel's estimate"));
    // At 20.00 the estimate's referral follows the price: 3.60 ÷ 24.00 × 20.00 = 3.00.
    snap.listings = vec![listing("fba", "SOCK", usd("20.00"))];
    let v = read(&rules, &snap).report.views.remove(0);
    assert_eq!(v.live.fees.lines[0].amount, usd("3.00"));
    assert!(v.live.fees.lines[0].basis.ends_with("scaled to the price"));
}

#[test]
fn a_discount_over_100_percent_is_refused_where_it_is_read() {
    let err = serde_json::from_str::<Discount>(r#"{"percent": 1.5}"#).unwrap_err();
    assert!(err.to_string().contains("expected a fraction between 0 and 1"), "{err}");
}

#[test]
fn a_eur_channel_reports_in_usd() {
    // eu at 20.00 EUR: final value 10% = 2.00 + 0.30 per order = 2.30 EUR.
    // Landed 6.40 USD ÷ 1.08 = 5.9259… → 5.93 EUR. 20.00 − 5.93 − 2.30 = 11.77 EUR.
    // In USD: 11.77 × 1.08 = 12.7116 → 12.71; with fba's 10.24 the total is 22.95.
    let rules = rules();
    let snap = snapshot(vec![listing("eu", "SOCK", eur("20.00")), listing("fba", "SOCK", usd("24.00"))]);
    let r = read(&rules, &snap);
    let v = r.report.view("eu", "SOCK").unwrap();
    assert_eq!(v.live.landed.amount, eur("5.93"));
    assert_eq!(v.live.contribution, eur("11.77"));
    let total = report_total(r.report.views.iter().map(|v| v.live.contribution), &rules.brand.fx).unwrap();
    assert_eq!(total, usd("22.95"));
}

#[test]
fn a_listing_cost_stands_in_only_where_the_catalog_has_none() {
    let fx = rules().brand.fx;
    let src = source_of("dtc");
    let from_catalog = landed_cost(usd("6.40"), Some((usd("5.00"), &src)), Currency::USD, &fx).unwrap();
    assert_eq!((from_catalog.amount, from_catalog.source), (usd("6.40"), CostSource::Catalog));
    let from_listing = landed_cost(usd("0"), Some((usd("5.00"), &src)), Currency::USD, &fx).unwrap();
    assert_eq!((from_listing.amount, from_listing.source), (usd("5.00"), CostSource::Listing(src)));
}

#[test]
fn the_floor_price_is_solved_and_checked_to_the_cent() {
    // fba, SOCK: R = 0.15, F = 3.76, C = 6.40. Margin 25% needs
    // 10.16 ÷ 0.60 = 16.933… → 16.94; amount 3.00 needs 13.16 ÷ 0.85 = 15.48.
    // At 16.94: referral 2.54, contribution 4.24, margin 25.03%. At 16.93 it
    // would be 4.23 ÷ 16.93 = 24.99%.
    let rules = rules();
    let r = read(&rules, &snapshot(vec![listing("fba", "SOCK", usd("24.00"))]));
    let e = r.book.entry("fba", "SOCK").unwrap();
    assert_eq!(e.floor_price, Some(usd("16.94")));
    let sale = Sale {
        item: rules.catalog.get("SOCK").unwrap(),
        channel: &rules.channels[&ch("fba")],
        price: usd("24.00"),
        order: OrderContext { first_order: false, units_per_order: dec!(1) },
        estimate: None,
    };
    let landed = &r.report.view("fba", "SOCK").unwrap().live.landed;
    let floor = &rules.channels[&ch("fba")].pricing.as_ref().unwrap().floor;
    assert_eq!(floor_price(&sale, landed, floor).unwrap(), Some(usd("16.94")));
}

#[test]
fn margin_floor_flags_with_group_floors_overriding() {
    let rules = rules();
    // SOCK at 14.00: 14.00 − 2.10 − 3.76 − 6.40 = 1.74 (12.43%) < 25% and < 3.00.
    // KIT at 42.00: 42.00 − 6.30 − 3.76 − 20.30 = 11.64 (27.71%): fine for the
    // channel's 25%, but the kits group floor is 30%.
    // KIT at 44.00: 44.00 − 6.60 − 3.76 − 20.30 = 13.34 (30.32%): no flag.
    let snap = snapshot(vec![listing("fba", "SOCK", usd("14.00")), listing("fba", "KIT", usd("42.00"))]);
    let r = read(&rules, &snap);
    let sock = flags_of(&r.flags, "fba", "SOCK");
    assert!(matches!(sock[0], FlagKind::MarginFloor { contribution, .. } if *contribution == usd("1.74")));
    let kit = flags_of(&r.flags, "fba", "KIT");
    assert!(matches!(kit[0], FlagKind::MarginFloor { floor, .. } if floor.margin.unwrap().value() == dec!(0.30)));
    let flag = r.flags.iter().find(|f| f.sku.as_ref().unwrap().as_str() == "KIT").unwrap();
    assert_eq!(flag.owner.as_deref(), Some("Priya"));
    assert_eq!(flag.price_source.as_ref().unwrap().fetched_at, Some(ts("2026-11-27T11:00:00Z")));
    let ok = read(&rules, &snapshot(vec![listing("fba", "KIT", usd("44.00"))]));
    assert!(flags_of(&ok.flags, "fba", "KIT").iter().all(|k| !matches!(k, FlagKind::MarginFloor { .. })));
}

#[test]
fn map_is_checked_on_live_and_promotional_prices() {
    let rules = rules();
    // dtc at 21.00 < MAP 22.00; fba at 24.00 with 10% off = 21.60 < 22.00.
    let mut snap = snapshot(vec![listing("dtc", "SOCK", usd("21.00")), listing("fba", "SOCK", usd("24.00"))]);
    let p10 = Discount::Percent(dec!(0.10).try_into().unwrap());
    snap.promotions.push(promo("ten", "fba", &["SOCK"], p10, "2026-11-20T00:00:00Z", "2026-12-04T00:00:00Z"));
    let r = read(&rules, &snap);
    assert!(flags_of(&r.flags, "dtc", "SOCK").contains(&&FlagKind::BelowMap {
        price: usd("21.00"),
        map: usd("22.00"),
        promotion: None
    }));
    assert!(flags_of(&r.flags, "fba", "SOCK").contains(&&FlagKind::BelowMap {
        price: usd("21.60"),
        map: usd("22.00"),
        promotion: Some("ten".into())
    }));
    // At MAP exactly: no MAP flag.
    let ok = read(&rules, &snapshot(vec![listing("dtc", "SOCK", usd("22.00"))]));
    assert!(!flags_of(&ok.flags, "dtc", "SOCK").iter().any(|k| matches!(k, FlagKind::BelowMap { .. })));
}

#[test]
fn map_is_not_judged_on_a_wholesale_price() {
    // A wholesale price (12.00) sits far below MAP (22.00) by design: it is
    // a B2B price, never advertised to consumers, so it raises no MAP flag.
    let rules = rules();
    let r = read(&rules, &snapshot(vec![listing("faire", "SOCK", usd("12.00"))]));
    assert!(!flags_of(&r.flags, "faire", "SOCK").iter().any(|k| matches!(k, FlagKind::BelowMap { .. })));
    // The same price on a consumer channel is flagged.
    let r = read(&rules, &snapshot(vec![listing("dtc", "SOCK", usd("12.00"))]));
    assert!(flags_of(&r.flags, "dtc", "SOCK").iter().any(|k| matches!(k, FlagKind::BelowMap { .. })));
}

#[test]
fn drift_is_live_against_the_book_beyond_tolerance() {
    let rules = rules();
    // dtc's book is MSRP 28.00; tolerance 0.5% = 0.14. 27.00 drifts; 27.90 does not.
    let r = read(&rules, &snapshot(vec![listing("dtc", "SOCK", usd("27.00"))]));
    assert_eq!(r.book.entry("dtc", "SOCK").unwrap().why, "MSRP");
    assert!(
        flags_of(&r.flags, "dtc", "SOCK")
            .iter()
            .any(|k| matches!(k, FlagKind::Drift { book, .. } if *book == usd("28.00")))
    );
    let ok = read(&rules, &snapshot(vec![listing("dtc", "SOCK", usd("27.90"))]));
    assert!(!flags_of(&ok.flags, "dtc", "SOCK").iter().any(|k| matches!(k, FlagKind::Drift { .. })));
}

#[test]
fn parity_flags_a_channel_materially_cheaper_than_the_marketplace() {
    let rules = rules();
    // fba 24.00 × (1 − 5%) = 22.80: dtc at 22.00 is below, at 23.00 it is not.
    let r = read(&rules, &snapshot(vec![listing("dtc", "SOCK", usd("22.00")), listing("fba", "SOCK", usd("24.00"))]));
    assert!(flags_of(&r.flags, "dtc", "SOCK").iter().any(|k| matches!(k, FlagKind::Parity { .. })));
    let ok = read(&rules, &snapshot(vec![listing("dtc", "SOCK", usd("23.00")), listing("fba", "SOCK", usd("24.00"))]));
    assert!(!flags_of(&ok.flags, "dtc", "SOCK").iter().any(|k| matches!(k, FlagKind::Parity { .. })));
}

#[test]
fn competitor_response_respects_floor_and_map() {
    let rules = rules();
    // Buy box at 23.50, undercut 0.10 → 23.40 ≥ max(16.94, 22.00): the book price.
    let mut snap = snapshot(vec![listing("fba", "SOCK", usd("23.40"))]);
    snap.offers.push(offer("fba", "SOCK", "Rival", usd("23.50"), true, false));
    let r = read(&rules, &snap);
    assert_eq!(r.book.entry("fba", "SOCK").unwrap().price, usd("23.40"));
    assert!(flags_of(&r.flags, "fba", "SOCK").is_empty(), "{:?}", r.flags);
    // Buy box at 21.50 → 21.40 < MAP 22.00: a flag, and the book holds at 22.00.
    snap.offers[0].value.landed_price = usd("21.50");
    let r = read(&rules, &snap);
    assert_eq!(r.book.entry("fba", "SOCK").unwrap().price, usd("22.00"));
    assert!(flags_of(&r.flags, "fba", "SOCK").iter().any(|k| matches!(
        k,
        FlagKind::CompetitorBelowFloor { response, map: Some(m), .. } if *response == usd("21.40") && *m == usd("22.00")
    )));
    // Our own buy box: nothing to answer.
    snap.offers[0].value.is_ours = true;
    assert!(read(&rules, &snap).book.entry("fba", "SOCK").unwrap().why.starts_with("MSRP"));
}

#[test]
fn bad_input_is_flagged_with_its_place_never_a_wrong_margin() {
    let rules = rules();
    let snap = snapshot(vec![
        listing("dtc", "SOCK", usd("-3.00")),
        listing("fba", "SOCK", eur("24.00")),
        listing("fba", "NOTIER", usd("20.00")),
        listing("dtc", "NOTIER", usd("20.00")),
    ]);
    let r = read(&rules, &snap);
    let messages: Vec<String> = r
        .flags
        .iter()
        .filter_map(|f| match &f.kind {
            FlagKind::BadInput { place, message } => Some(format!("{place}: {message}")),
            _ => None,
        })
        .collect();
    assert_eq!(messages.len(), 3, "{messages:?}");
    assert!(messages.iter().any(|m| m.contains("dtc-api listing SOCK on dtc: negative price -3.00 USD")));
    assert!(messages.iter().any(|m| m.contains("price 24.00 EUR is not in the channel's currency USD")));
    assert!(messages.iter().any(|m| m.contains("NOTIER has no size_tier")));
    // No contribution was made up for any of them; NOTIER on dtc is fine.
    assert_eq!(r.report.views.len(), 1);
    assert!(r.report.view("dtc", "NOTIER").is_some());
    let err = FeeError::NoSizeTier { sku: sku("NOTIER"), channel: ch("fba") };
    assert!(err.to_string().contains("prices fulfilment by size tier"));
}

#[test]
fn a_discount_taking_the_price_below_zero_is_a_flag() {
    let rules = rules();
    let mut snap = snapshot(vec![listing("fba", "SOCK", usd("24.00"))]);
    let off = Discount::AmountOff(usd("30.00"));
    snap.promotions.push(promo("huge", "fba", &["SOCK"], off, "2026-11-20T00:00:00Z", "2026-12-04T00:00:00Z"));
    let r = read(&rules, &snap);
    let f = &flags_of(&r.flags, "fba", "SOCK")[0];
    assert!(f.to_string().contains("discount takes the price 24.00 USD to -6.00 USD"), "{f}");
}

#[test]
fn an_offer_that_cannot_be_answered_is_a_flag_not_a_response() {
    let rules = rules();
    let mut snap = snapshot(vec![listing("fba", "SOCK", usd("28.00"))]);
    snap.offers.push(offer("fba", "SOCK", "Rival", eur("20.00"), true, false));
    snap.offers.push(offer("fba", "SOCK", "Zero", usd("0.00"), false, false));
    let r = read(&rules, &snap);
    let bad: Vec<String> = flags_of(&r.flags, "fba", "SOCK").iter().map(ToString::to_string).collect();
    assert_eq!(bad.len(), 2, "{bad:?}");
    assert!(bad[0].contains("offer price 20.00 EUR is not in the channel's currency USD"), "{bad:?}");
    assert!(bad[1].contains("offer price 0.00 USD is not positive"), "{bad:?}");
    // Neither became a price: the book stays at MSRP.
    assert_eq!(r.book.entry("fba", "SOCK").unwrap().price, usd("28.00"));
}
