//! Properties of the pricing rules under random prices, offers and orders.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "test helpers fail loudly")]

mod pricing_support;

use omnideck::core::collisions::CollisionKind;
use omnideck::core::contribution::report_total;
use omnideck::core::floor::meets_floor;
use omnideck::core::money::{Currency, Money};
use omnideck::core::price_flags::FlagKind;
use omnideck::core::pricing::CompetitorResponse;
use omnideck::core::promotion::{Discount, Promotion, Window};
use omnideck::core::snapshot::Sourced;
use pricing_support::*;
use proptest::prelude::*;
use rust_decimal::Decimal;

fn cents(c: i64, cur: Currency) -> Money {
    Money::new(Decimal::new(c, 2), cur)
}

fn response() -> impl Strategy<Value = CompetitorResponse> {
    prop_oneof![
        Just(CompetitorResponse::Match),
        Just(CompetitorResponse::Hold),
        (1i64..300).prop_map(|c| CompetitorResponse::UndercutAmount(cents(c, Currency::USD))),
        (1i64..30).prop_map(|p| CompetitorResponse::UndercutFraction(Decimal::new(p, 2).try_into().unwrap())),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    /// Whatever the competitor does, the book never goes below the floor
    /// price or MAP, and the book price still meets the floor.
    #[test]
    fn the_book_never_goes_below_floor_or_map(
        competitor in 100i64..6000,
        live in 100i64..6000,
        rule in response(),
        buy_box in any::<bool>(),
        on_kit in any::<bool>(),
    ) {
        let mut rules = rules();
        rules.channels.get_mut(&ch("fba")).unwrap().pricing.as_mut().unwrap().competitor = rule;
        let s = if on_kit { "KIT" } else { "SOCK" };
        let mut snap = snapshot(vec![listing("fba", s, cents(live, Currency::USD))]);
        snap.offers.push(offer("fba", s, "Rival", cents(competitor, Currency::USD), buy_box, false));
        let r = read(&rules, &snap);
        let e = r.book.entry("fba", s).unwrap();
        let map = e.map.unwrap();
        prop_assert!(e.price.amount >= map.amount, "{e:?}");
        let floor_price = e.floor_price.unwrap();
        prop_assert!(e.price.amount >= floor_price.amount, "{e:?}");
        // Re-price at the book: it meets the floor.
        let at_book = snapshot(vec![listing("fba", s, e.price)]);
        let v = read(&rules, &at_book).report.views.remove(0);
        let item = rules.catalog.get(s).unwrap();
        let floor = omnideck::core::floor::floor_for(rules.channels[&ch("fba")].pricing.as_ref().unwrap(), item);
        prop_assert!(meets_floor(floor, &v.live));
        // A blocked response is a flag, never the price.
        for f in &r.flags {
            if let FlagKind::CompetitorBelowFloor { response, .. } = &f.kind {
                prop_assert!(response.amount < floor_price.amount.max(map.amount));
                prop_assert!(e.price != *response);
            }
        }
    }

    /// Report-currency totals are the sum of the rounded per-line figures,
    /// and each line is net − landed − its rounded fee lines, to the cent.
    #[test]
    fn contributions_sum_exactly_across_channels(prices in proptest::collection::vec(100i64..10_000, 6)) {
        let rules = rules();
        let slots = [("fba", "SOCK"), ("fba", "KIT"), ("dtc", "SOCK"), ("dtc", "KIT"), ("eu", "SOCK"), ("eu", "KIT")];
        let listings = slots
            .iter()
            .zip(&prices)
            .map(|((c, s), p)| listing(c, s, cents(*p, if *c == "eu" { Currency::EUR } else { Currency::USD })))
            .collect();
        let r = read(&rules, &snapshot(listings));
        prop_assert_eq!(r.report.views.len(), 6);
        let mut by_hand = Decimal::ZERO;
        for v in &r.report.views {
            let c = &v.live;
            let fees: Decimal = c.fees.lines.iter().map(|l| l.amount.amount).sum();
            prop_assert_eq!(c.contribution.amount, c.net_price.amount - c.landed.amount.amount - fees);
            prop_assert!(c.contribution.amount.scale() <= 2);
            by_hand += rules.brand.fx.to_report(c.contribution).unwrap().rounded().amount;
        }
        let total = report_total(r.report.views.iter().map(|v| v.live.contribution), &rules.brand.fx).unwrap();
        prop_assert_eq!(total, Money::new(by_hand, Currency::USD));
    }

    /// Shuffled listings and promotions give the same read.
    #[test]
    fn results_do_not_depend_on_input_order(seed in any::<u64>(), pct in 1i64..60) {
        let rules = rules();
        let off = |p: i64| Discount::Percent(Decimal::new(p, 2).try_into().unwrap());
        let listings = vec![
            listing("fba", "SOCK", cents(2400, Currency::USD)),
            listing("dtc", "SOCK", cents(2800, Currency::USD)),
            listing("eu", "SOCK", cents(2000, Currency::EUR)),
            listing("dtc", "KIT", cents(6900, Currency::USD)),
            listing("fba", "NOTIER", cents(1000, Currency::USD)),
        ];
        let promos = vec![
            promo("a", "dtc", &["SOCK"], off(pct), "2026-11-20T00:00:00Z", "2026-12-04T00:00:00Z"),
            promo("b", "fba", &[], off(10), "2026-11-25T00:00:00Z", "2026-12-10T00:00:00Z"),
            promo("c", "dtc", &[], off(5), "2026-11-26T00:00:00Z", "2026-11-30T00:00:00Z"),
            promo("d", "eu", &["SOCK"], off(pct), "2026-11-22T00:00:00Z", "2026-12-01T00:00:00Z"),
        ];
        let mut demand = Demand::default();
        demand.velocity.insert((sku("SOCK"), ch("dtc")), Decimal::TWO);
        demand.cover.insert(sku("SOCK"), Decimal::TEN);
        let mut snap = snapshot(listings.clone());
        snap.promotions.clone_from(&promos);
        let reference = (read(&rules, &snap), collide(&rules, &snap, &demand));
        let mut shuffled = snapshot(shuffle(listings, seed));
        shuffled.promotions = shuffle(promos, seed.rotate_left(17));
        let again = (read(&rules, &shuffled), collide(&rules, &shuffled, &demand));
        prop_assert_eq!(&reference.0.report, &again.0.report);
        prop_assert_eq!(&reference.0.book, &again.0.book);
        prop_assert_eq!(&reference.0.flags, &again.0.flags);
        prop_assert_eq!(&reference.1, &again.1);
    }
}

/// One random promotion on SOCK: channel, start and length in hours from
/// ten days before `now` (length 0 = open-ended), campaign 0 = none.
fn random_promo() -> impl Strategy<Value = (usize, i64, i64, u8)> {
    (0usize..3, 0i64..480, 0i64..240, 0u8..3)
}

fn build_promo(n: usize, (channel, start, hours, campaign): (usize, i64, i64, u8)) -> Sourced<Promotion> {
    let channel = ["dtc", "fba", "eu"][channel];
    let off = Discount::Percent(Decimal::new(5, 2).try_into().unwrap());
    let mut p = promo(&format!("p{n}"), channel, &["SOCK"], off, "2026-11-17T12:00:00Z", "2026-11-18T00:00:00Z");
    let start = ts("2026-11-17T12:00:00Z") + jiff::SignedDuration::from_hours(start);
    let end = (hours > 0).then(|| start + jiff::SignedDuration::from_hours(hours));
    p.value.window = Window::new(start, end).unwrap();
    p.value.campaign_id = (campaign > 0).then(|| format!("c{campaign}"));
    p
}

/// Cross-channel and stacked collisions by comparing every pair: what the
/// indexed sweep must find.
fn all_pairs(promos: &[Sourced<Promotion>]) -> Vec<(CollisionKind, Vec<String>)> {
    let live: Vec<&Promotion> =
        promos.iter().map(|p| &p.value).filter(|p| p.window.end.is_none_or(|e| e > now())).collect();
    let mut out = Vec::new();
    for (i, a) in live.iter().enumerate() {
        for b in &live[i + 1..] {
            if !a.window.overlaps(&b.window) {
                continue;
            }
            let shared = a.campaign_id.is_some() && a.campaign_id == b.campaign_id;
            let kind = match (a.channel == b.channel, shared) {
                (true, _) => CollisionKind::Stacked,
                (false, true) => continue,
                (false, false) => CollisionKind::CrossChannel,
            };
            let mut ids = vec![a.id.clone(), b.id.clone()];
            ids.sort();
            out.push((kind, ids));
        }
    }
    out.sort();
    out
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// The sweep over each SKU's promotions in start order finds exactly
    /// the overlapping pairs that comparing every pair finds.
    #[test]
    fn collisions_match_an_all_pairs_reference(spec in proptest::collection::vec(random_promo(), 1..9)) {
        let rules = rules();
        let promos: Vec<_> = spec.into_iter().enumerate().map(|(n, s)| build_promo(n, s)).collect();
        let mut snap = snapshot(vec![
            listing("dtc", "SOCK", cents(2800, Currency::USD)),
            listing("fba", "SOCK", cents(2400, Currency::USD)),
            listing("eu", "SOCK", cents(2400, Currency::EUR)),
        ]);
        snap.promotions.clone_from(&promos);
        let mut found: Vec<(CollisionKind, Vec<String>)> = collide(&rules, &snap, &Demand::default())
            .into_iter()
            .filter(|c| matches!(c.kind, CollisionKind::CrossChannel | CollisionKind::Stacked))
            .map(|c| (c.kind, c.promotions))
            .collect();
        found.sort();
        prop_assert_eq!(found, all_pairs(&promos));
    }

    /// Views and book entries are found by (channel, SKU) lookup, whatever
    /// order the listings came in.
    #[test]
    fn every_view_and_book_entry_is_found_by_its_key(seed in any::<u64>(), n in 1usize..4) {
        let rules = rules();
        let mut listings = Vec::new();
        for c in ["dtc", "fba", "faire"] {
            for s in ["SOCK", "KIT", "NOTIER"].iter().take(n) {
                listings.push(listing(c, s, cents(3000, Currency::USD)));
            }
        }
        let r = read(&rules, &snapshot(shuffle(listings, seed)));
        for v in &r.report.views {
            prop_assert_eq!(r.report.view(v.channel.as_str(), v.sku.as_str()), Some(v));
        }
        for e in &r.book.entries {
            prop_assert_eq!(r.book.entry(e.channel.as_str(), e.sku.as_str()), Some(e));
        }
        prop_assert!(r.report.view("dtc", "NOPE").is_none());
    }
}

/// A seeded Fisher–Yates shuffle (a tiny LCG keeps the test dependency-free).
fn shuffle<T>(mut v: Vec<T>, mut seed: u64) -> Vec<T> {
    for i in (1..v.len()).rev() {
        seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        let j = usize::try_from(seed >> 33).unwrap() % (i + 1);
        v.swap(i, j);
    }
    v
}
