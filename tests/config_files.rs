//! omnideck.toml: the shipped sample parses to what the docs say, and every
//! file in `tests/invalid_configs` fails with exactly the message beside it.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "test helpers fail loudly")]

use std::io::Write;
use std::path::{Path, PathBuf};

use omnideck::config::Config;
use omnideck::core::channel::{Buffer, ChannelStatus, Fulfilment};
use omnideck::core::fees::FulfilmentFee;
use omnideck::core::money::{Currency, Fraction, Money};
use rust_decimal_macros::dec;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn sample() -> Config {
    Config::load(&root().join("fixtures/demo/omnideck.toml")).expect("the sample config is valid")
}

#[test]
fn every_invalid_config_fails_with_its_message() {
    let dir = root().join("tests/invalid_configs");
    let mut checked = 0;
    let mut entries: Vec<PathBuf> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).collect();
    entries.sort();
    for path in entries.iter().filter(|p| p.extension().is_some_and(|e| e == "toml")) {
        let expected = std::fs::read_to_string(path.with_extension("expect"))
            .unwrap_or_else(|_| panic!("{} has no .expect file", path.display()));
        let err = Config::load(path).expect_err(&format!("{} should be refused", path.display()));
        let shown = err.to_string();
        let first = shown.lines().next().unwrap();
        let rest = first.strip_prefix(&path.display().to_string()).expect("the message starts with the file");
        assert_eq!(rest, expected.trim_end(), "for {}", path.display());
        checked += 1;
    }
    assert!(checked >= 20, "expected the whole folder, checked {checked}");
}

fn write_temp(bytes: &[u8]) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("omnideck.toml");
    std::fs::File::create(&path).unwrap().write_all(bytes).unwrap();
    (dir, path)
}

#[test]
fn a_binary_file_is_refused_with_the_byte_offset() {
    let (_dir, path) = write_temp(b"[brand]\nname = \"\xff\xfe\x00\x01\"\n");
    let err = Config::load(&path).unwrap_err().to_string();
    assert!(err.ends_with(": not a text file: invalid UTF-8 at byte 16"), "{err}");
}

#[test]
fn a_100_mb_file_is_refused_without_reading_it_all() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("huge.toml");
    let f = std::fs::File::create(&path).unwrap();
    f.set_len(100 * 1024 * 1024).unwrap();
    let err = Config::load(&path).unwrap_err().to_string();
    assert!(err.ends_with("the file is larger than 8 MiB; is this the right file?"), "{err}");
}

#[test]
fn a_missing_file_names_the_path() {
    let err = Config::load(Path::new("/nonexistent/omnideck.toml")).unwrap_err().to_string();
    assert!(err.starts_with("/nonexistent/omnideck.toml: cannot open:"), "{err}");
}

#[test]
fn the_sample_parses_to_what_the_docs_say() {
    let c = sample();
    let r = &c.rules;
    assert_eq!(r.brand.name, "Northwind Merino");
    assert_eq!(r.brand.fx.report, Currency::USD);
    assert_eq!(r.brand.fx.rates.get(&Currency::EUR), Some(&dec!(1.08)));
    assert_eq!(r.channels.len(), 6);
    assert_eq!(c.sources.len(), 5);
    assert_eq!(r.locations.len(), 3);
    assert_eq!(r.catalog.len(), 45);

    let fba = &r.channels["amazon-us-fba"];
    assert_eq!(fba.fulfilment, Fulfilment::Fba);
    assert_eq!(fba.status, ChannelStatus::Active);
    assert_eq!(fba.owner.as_ref().unwrap().name, "Priya Natarajan");
    let fees = fba.fees.as_ref().unwrap();
    assert_eq!(fees.referral.as_ref().unwrap().rate.value(), dec!(0.15));
    let Some(FulfilmentFee::SizeTiers(tiers)) = &fees.fulfilment else { panic!("size tiers") };
    assert_eq!(tiers["small-standard"], Money::new(dec!(3.76), Currency::USD));
    assert_eq!(fba.allocation.as_ref().unwrap().buffer, Buffer::Percent(Fraction::new(dec!(0.05)).unwrap()));

    let dtc = &r.channels["shopify-dtc"];
    assert_eq!(dtc.allocation.as_ref().unwrap().buffer, Buffer::SyncLag);
    assert_eq!(dtc.fees.as_ref().unwrap().units_per_order, dec!(1.6));
    assert_eq!(r.channels["walmart-us"].status, ChannelStatus::Gated);

    let kit = r.catalog.get("KIT-SOCK-3PK").unwrap();
    assert_eq!(kit.components.len(), 3);
    assert_eq!(kit.components[0].qty.get(), 2);
    let sock = r.catalog.get("SOCK-MER-M-BLK").unwrap();
    assert_eq!(sock.landed_cost, Money::new(dec!(6.40), Currency::USD));
    assert_eq!(sock.case_pack.get(), 12);

    let fba_id = omnideck::core::ids::ChannelId::new("amazon-us-fba").unwrap();
    assert_eq!(r.sku_map.canonical(&fba_id, "NW-SOCK-M-GRY-FBA").unwrap().as_str(), "SOCK-MER-M-GRY");
    assert_eq!(r.sku_map.canonical(&fba_id, "SOCK-MER-M-BLK").unwrap().as_str(), "SOCK-MER-M-BLK");
    assert!(r.locations["fba-us"].serves.contains(&fba_id));
    assert_eq!(r.locations["shipbob-mv"].authoritative_source.as_ref().unwrap().as_str(), "shipbob");
    assert_eq!(r.readback, omnideck::core::readback::ReadbackSettings::default());

    // One written Amazon deal, from midnight 2 June to midnight 6 June New York time.
    assert_eq!(c.promotions.len(), 1);
    let deal = &c.promotions[0];
    assert_eq!((deal.id.as_str(), deal.channel.as_str()), ("amazon-black-sock-deal", "amazon-us-fba"));
    assert_eq!(deal.window.start, "2025-06-02T04:00:00Z".parse().unwrap());
    assert_eq!(deal.window.end, Some("2025-06-06T04:00:00Z".parse().unwrap()));
}

#[test]
fn docs_config_md_documents_every_key() {
    let schema = std::fs::read_to_string(root().join("src/config/schema.rs")).unwrap();
    let docs = std::fs::read_to_string(root().join("docs/config.md")).unwrap();
    let keys: Vec<&str> = schema
        .lines()
        .filter_map(|l| l.trim().strip_prefix("pub "))
        .filter_map(|l| l.split_once(':').map(|(k, _)| k))
        .filter(|k| k.chars().all(|c| c.is_ascii_lowercase() || c == '_'))
        .collect();
    assert!(keys.len() > 60, "expected the schema's fields, found {}", keys.len());
    // Every word inside a `code span` of the docs counts as documented.
    let documented: std::collections::BTreeSet<&str> = docs
        .split('`')
        .skip(1)
        .step_by(2)
        .flat_map(|span| span.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_')))
        .collect();
    let missing: Vec<&&str> = keys.iter().filter(|k| !documented.contains(**k)).collect();
    assert!(missing.is_empty(), "docs/config.md lacks {missing:?}");
}

proptest::proptest! {
    /// Any prefix of the sample (a file cut off mid-write) parses or fails
    /// with a placed error; it never panics.
    #[test]
    fn a_truncated_sample_never_panics(cut in 0usize..20_000) {
        let text = std::fs::read_to_string(root().join("fixtures/demo/omnideck.toml")).unwrap();
        let mut end = cut.min(text.len());
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        if let Err(e) = Config::parse(Path::new("cut.toml"), &text[..end]) {
            proptest::prop_assert!(e.to_string().starts_with("cut.toml"));
        }
    }

    /// Arbitrary text is refused with a message, never a panic.
    #[test]
    fn arbitrary_text_never_panics(text in "\\PC{0,400}") {
        if let Err(e) = Config::parse(Path::new("x.toml"), &text) {
            proptest::prop_assert!(!e.0.is_empty());
        }
    }
}

/// A location knows which sources report it: a source's `location`, or a
/// value of its `location_map`.
#[test]
fn a_location_knows_the_sources_that_report_it() {
    let config = sample();
    let reporters = |loc: &str| -> Vec<String> {
        let id = omnideck::core::ids::LocationId::new(loc).unwrap();
        config.rules.locations[&id].reported_by.iter().map(ToString::to_string).collect()
    };
    assert_eq!(reporters("main-wh"), ["shopify-main"]);
    assert_eq!(reporters("shipbob-mv"), ["shipbob", "shopify-main"]);
    assert_eq!(reporters("fba-us"), ["amazon-us"]);
}
