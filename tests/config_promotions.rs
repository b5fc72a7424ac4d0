//! Promotions written in the config or its CSV: what they parse to, how a
//! bad row is placed, and that they meet the same collision checks as the
//! promotions an API reports.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "test helpers fail loudly")]

mod pricing_support;

use std::path::{Path, PathBuf};

use omnideck::config::Config;
use omnideck::core::collisions::CollisionKind;
use omnideck::core::promotion::{CONFIG_SOURCE, Discount, PromoScope, Window};
use omnideck::live::Engine;
use pricing_support::*;
use rust_decimal_macros::dec;

/// The shared pricing brand plus an Amazon deal and a wholesale promotion.
/// The brand's zone is UTC; the deal is written in New York time.
const WRITTEN: &str = r#"
[[promotions]]
id = "lightning-sock"
channel = "fba"
kind = "deal"
start = "2026-11-26T09:00"
end = "2026-11-30"
time_zone = "America/New_York"
percent_off = 0.2
skus = ["SOCK"]

[[promotions]]
id = "faire-kits"
channel = "faire"
campaign_id = "holiday"
kind = "wholesale"
title = "Faire holiday kits"
start = "2026-11-20"
fixed_price = "30.00"
sku_group = "kits"
"#;

fn config(extra: &str) -> Config {
    Config::parse(Path::new("pricing.toml"), &format!("{BRAND}{extra}")).unwrap()
}

#[test]
fn written_promotions_become_core_promotions_from_the_config_source() {
    let c = config(WRITTEN);
    assert_eq!(c.promotions.len(), 2);
    let deal = &c.promotions[0];
    assert_eq!(deal.id, "lightning-sock");
    assert_eq!(deal.title, "deal lightning-sock");
    assert_eq!(deal.channel, ch("fba"));
    assert_eq!(deal.source.as_str(), CONFIG_SOURCE);
    assert_eq!(deal.discount, Discount::Percent(dec!(0.2).try_into().unwrap()));
    assert_eq!(deal.scope, PromoScope::Skus([sku("SOCK")].into()));
    // 09:00 EST is 14:00 UTC; midnight on the 30th in New York is 05:00 UTC.
    let window = Window::new(ts("2026-11-26T14:00:00Z"), Some(ts("2026-11-30T05:00:00Z"))).unwrap();
    assert_eq!(deal.window, window);

    let kits = &c.promotions[1];
    assert_eq!(kits.title, "Faire holiday kits");
    assert_eq!(kits.campaign_id.as_deref(), Some("holiday"));
    assert_eq!(kits.discount, Discount::FixedPrice(usd("30.00")));
    assert_eq!(kits.scope, PromoScope::Skus([sku("KIT")].into()));
    assert_eq!(kits.window, Window::new(ts("2026-11-20T00:00:00Z"), None).unwrap());
}

#[test]
fn the_engine_carries_them_as_a_source_loaded_at_start() {
    let engine = Engine::new(config(WRITTEN), &[], now());
    let snap = engine.snapshot();
    let status = &snap.sources[CONFIG_SOURCE];
    assert_eq!(status.fetched_at, Some(now()));
    let ids: Vec<(&str, &str)> = snap.promotions.iter().map(|p| (p.source.as_str(), p.value.id.as_str())).collect();
    assert_eq!(ids, vec![(CONFIG_SOURCE, "lightning-sock"), (CONFIG_SOURCE, "faire-kits")]);

    // With nothing written there is no such source at all.
    assert!(!Engine::new(config(""), &[], now()).snapshot().sources.contains_key(CONFIG_SOURCE));
}

#[test]
fn a_written_deal_collides_with_a_reported_discount_and_a_shared_campaign_does_not() {
    let c = config(WRITTEN);
    let mut snap = Engine::new(c.clone(), &[], now()).snapshot();
    snap.listings = vec![listing("dtc", "SOCK", usd("28.00")), listing("fba", "SOCK", usd("30.00"))];
    snap.sources.extend(snapshot(vec![]).sources);
    let shop = promo(
        "bf-dtc",
        "dtc",
        &["SOCK"],
        Discount::Percent(dec!(0.05).try_into().unwrap()),
        "2026-11-27T00:00:00Z",
        "2026-12-01T00:00:00Z",
    );
    snap.promotions.push(shop.clone());
    let found = collide(&c.rules, &snap, &Demand::default());
    let cross: Vec<_> = found.iter().filter(|x| x.kind == CollisionKind::CrossChannel).collect();
    assert_eq!(cross.len(), 1, "{found:#?}");
    assert_eq!(cross[0].promotions, vec!["bf-dtc".to_owned(), "lightning-sock".to_owned()]);
    let owners: Vec<&str> = cross[0].owners.iter().map(String::as_str).collect();
    assert_eq!(owners, vec!["Maya", "Priya"]);
    // 30.00 × 0.8 = 24.00 is above MAP 22.00: a deal that breaks nothing else.
    assert!(found.iter().all(|x| x.kind == CollisionKind::CrossChannel), "{found:#?}");

    let mut coordinated = snap.clone();
    let last = coordinated.promotions.len() - 1;
    coordinated.promotions[last].value.campaign_id = Some("bf".into());
    let written = coordinated.promotions.iter_mut().find(|p| p.value.id == "lightning-sock").unwrap();
    written.value.campaign_id = Some("bf".into());
    assert!(collide(&c.rules, &coordinated, &Demand::default()).is_empty());
}

fn with_csv(csv: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("deals.csv"), csv).unwrap();
    let path = dir.path().join("omnideck.toml");
    std::fs::write(&path, format!("{BRAND}\n[promotions_file]\npath = \"deals.csv\"\n")).unwrap();
    (dir, path)
}

#[test]
fn a_csv_row_reads_like_a_config_entry() {
    let (_dir, path) = with_csv(
        "\u{feff}id,channel,kind,start,end,time_zone,amount_off,skus\n\
         coupon-1,fba,coupon,2026-11-26T09:00,2026-11-30,America/New_York,2.50 USD,SOCK;KIT\n",
    );
    let c = Config::load(&path).unwrap();
    let p = &c.promotions[0];
    assert_eq!(p.discount, Discount::AmountOff(usd("2.50")));
    assert_eq!(p.scope, PromoScope::Skus([sku("KIT"), sku("SOCK")].into()));
    assert_eq!(p.window.start, ts("2026-11-26T14:00:00Z"));
    assert_eq!(p.source.as_str(), CONFIG_SOURCE);
}

/// The first error's text after the CSV's path.
fn csv_error(csv: &str) -> String {
    let (dir, path) = with_csv(csv);
    let shown = Config::load(&path).unwrap_err().to_string();
    let csv_path = dir.path().join("deals.csv").display().to_string();
    let first = shown.lines().next().unwrap().to_owned();
    first.strip_prefix(&csv_path).unwrap_or_else(|| panic!("not placed in the CSV: {first}")).to_owned()
}

#[test]
fn bad_csv_rows_are_placed_by_file_line_and_column() {
    let head = "id,channel,kind,start,end,percent_off,fixed_price,skus\n";
    let ok = "a,fba,deal,2026-11-26,2026-11-30,0.1,,SOCK\n";
    let cases = [
        (
            "b,fba,deal,2026-11-26,2026-11-30,1.2,,SOCK\n",
            ":3:6: percent_off: expected a fraction like 0.15 (between 0 and 1), found \"1.2\"",
        ),
        (
            "b,fba,deal,2026-11-26,2026-11-20,0.1,,SOCK\n",
            ":3:5: end: expected an end after the start \"2026-11-26\", found \"2026-11-20\"",
        ),
        (
            "b,fba,deal,2026-11-26,2026-11-30,,19.99 EUR,SOCK\n",
            ":3:7: fixed_price: expected an amount in USD, the currency of channel fba, found 19.99 EUR",
        ),
        ("b,amazon-uk,deal,2026-11-26,2026-11-30,0.1,,SOCK\n", ":3:2: channel: unknown channel \"amazon-uk\""),
        (
            "b,fba,deal,2026-11-26,2026-11-30,0.1,,SOCK;SOKC\n",
            ":3:8: skus[1]: unknown SKU \"SOKC\": it is not in the catalog",
        ),
        (
            "b,fba,flash,2026-11-26,2026-11-30,0.1,,SOCK\n",
            ":3:3: kind: unknown variant `flash`, expected one of `deal`, `coupon`, `markdown`, `wholesale`, `other`",
        ),
        ("b,fba,deal,,2026-11-30,0.1,,SOCK\n", ":3:4: start: expected a value, found an empty cell"),
        ("b,fba,deal,2026-11-26,2026-11-30,0.1\n", ":3:6: expected 8 fields as in the header, found 6"),
        (
            "a,fba,deal,2026-11-27,2026-11-30,0.2,,SOCK\n",
            ": promotions: promotion \"a\" on fba is written twice; ids must be unique per channel",
        ),
    ];
    for (row, want) in cases {
        let got = if want.starts_with(": promotions") {
            let (_dir, path) = with_csv(&format!("{head}{ok}{row}"));
            let shown = Config::load(&path).unwrap_err().to_string();
            shown.strip_prefix(&path.display().to_string()).unwrap().to_owned()
        } else {
            csv_error(&format!("{head}{ok}{row}"))
        };
        assert_eq!(got, want, "for row {row:?}");
    }
    assert_eq!(
        csv_error("id,channel,kind,start,begin\n"),
        ":1:5: unknown column \"begin\"; expected one of id, channel, campaign_id, kind, title, start, end, time_zone, percent_off, amount_off, fixed_price, skus, sku_group"
    );
    assert_eq!(csv_error("id,channel,kind\n"), ":1:1: start: the header lacks this required column");
}

#[test]
fn a_missing_csv_names_its_path_and_the_config_source_id_is_reserved() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("omnideck.toml");
    std::fs::write(&path, format!("{BRAND}\n[promotions_file]\npath = \"nope.csv\"\n")).unwrap();
    let shown = Config::load(&path).unwrap_err().to_string();
    let want = format!("{}: cannot open:", dir.path().join("nope.csv").display());
    assert!(shown.starts_with(&want), "{shown}");

    let reserved = format!(
        "{BRAND}\n[sources.config]\nkind = \"file\"\npath = \"x.csv\"\nrecord = \"costs\"\ncolumns = {{ sku = \"SKU\", cost = \"Cost\" }}\n"
    );
    let shown = Config::parse(Path::new("c.toml"), &reserved).unwrap_err().to_string();
    assert!(shown.contains("sources.config: the source id \"config\" is reserved"), "{shown}");
}
