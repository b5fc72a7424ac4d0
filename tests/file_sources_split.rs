//! A big file read in stretches, one thread each, gives exactly what one
//! thread reading it whole gives: the same records in the same order, the
//! same bad rows at the same lines, including when a stretch boundary falls
//! inside a quoted field that holds newlines.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "test helpers fail loudly")]

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use omnideck::channels::files::{self, Env, FileSource, Record, Split, Summary};
use omnideck::config::files::{FileFormat, FileMapping, FileRecord};
use omnideck::core::ids::{ChannelId, LocationId, SourceId};
use omnideck::core::money::Currency;
use proptest::prelude::*;

fn mapping(record: FileRecord, columns: &[(&str, &str)]) -> FileMapping {
    FileMapping { delimiter: Some(b','), ..FileMapping::new(FileFormat::Generic, record, columns) }
}

fn stock_mapping() -> FileMapping {
    mapping(FileRecord::Stock, &[("sku", "sku"), ("location", "wh"), ("on_hand", "qty")])
}

fn env() -> Env {
    Env {
        currency: Currency::USD,
        time_zone: jiff::tz::TimeZone::UTC,
        location: Some(LocationId::new("main").unwrap()),
        location_map: BTreeMap::new(),
    }
}

fn write(dir: &Path, text: &str) -> PathBuf {
    let path = dir.join("export.csv");
    std::fs::write(&path, text).unwrap();
    path
}

fn read(path: &Path, m: &FileMapping, threads: usize) -> (Vec<Record>, Summary) {
    let (records, summary, _) = read_in_parts(path, m, threads);
    (records, summary)
}

/// Also how many parts the read came in: one when it was read on one
/// thread, whatever was asked.
fn read_in_parts(path: &Path, m: &FileMapping, threads: usize) -> (Vec<Record>, Summary, usize) {
    let split = Split { threads, from_bytes: 0 };
    let keep = |part: &mut Vec<Record>, r: Record| part.push(r);
    let (parts, summary) = files::read_file(path, "export.csv", m, &env(), split, Vec::new, keep).unwrap();
    let count = parts.len();
    (parts.into_iter().flatten().collect(), summary, count)
}

/// One row: good, bad (a count that is not a number), or with a quoted
/// description holding newlines.
fn row(n: usize, kind: u8) -> String {
    match kind {
        0 => format!("SKU-{n},wh-a,{},plain\n", n % 50),
        1 => format!("SKU-{n},wh-b,many,bad count\n"),
        2 => format!("SKU-{n},wh-a,{},\"two\nlines, and a \"\"quote\"\"\"\n", n % 7),
        _ => format!("SKU-{n},wh-c,{},\"{}\"\n", n % 3, "long\n".repeat(40)),
    }
}

fn export(kinds: &[u8]) -> String {
    let mut text = "sku,wh,qty,note\n".to_owned();
    for (n, kind) in kinds.iter().enumerate() {
        text.push_str(&row(n, *kind));
    }
    text
}

#[test]
fn bad_rows_in_later_stretches_keep_their_file_lines() {
    let kinds: Vec<u8> =
        (0..3000u16).map(|n| if n % 401 == 7 { 1 } else { u8::try_from(n % 3).unwrap() & 2 }).collect();
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), &export(&kinds));
    let (one, one_summary) = read(&path, &stock_mapping(), 1);
    let (four, four_summary) = read(&path, &stock_mapping(), 4);
    assert_eq!(one.len(), 3000 - 8);
    assert_eq!(four, one);
    assert_eq!(four_summary, one_summary);
    // The last bad row: data row 2814 (0-based), after 1 + 2814 lines and
    // the extra line of every quoted two-line note before it.
    let quoted_before = kinds[..2814].iter().filter(|k| **k == 2).map(|_| 1).sum::<usize>();
    let line = 2 + 2814 + quoted_before;
    let last = four_summary.issues.last().unwrap();
    assert_eq!(last.place, format!("export.csv:{line}:3"), "{last:?}");
}

#[test]
fn a_file_without_quoted_newlines_is_read_in_stretches() {
    let kinds: Vec<u8> = (0..2000u16).map(|n| u8::from(n % 97 == 5)).collect();
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), &export(&kinds));
    let (one, one_summary, one_parts) = read_in_parts(&path, &stock_mapping(), 1);
    let (two, two_summary, two_parts) = read_in_parts(&path, &stock_mapping(), 2);
    assert_eq!((one_parts, one.len()), (1, 2000 - 21));
    assert!(two_parts > 2, "two threads, {two_parts} parts");
    assert_eq!(two, one);
    assert_eq!(two_summary, one_summary);
}

#[test]
fn a_boundary_inside_a_quoted_field_is_found_out_and_read_again() {
    // One huge quoted note in the middle: any boundary near the middle
    // lands inside it, just after one of its newlines.
    let mut text = "sku,wh,qty,note\n".to_owned();
    for n in 0..200 {
        text.push_str(&row(n, 0));
    }
    writeln!(text, "BIG,wh-a,5,\"{}\"", "x,y\nSKU-fake,wh-z,999,no\n".repeat(2000)).unwrap();
    for n in 200..400 {
        text.push_str(&row(n, 0));
    }
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), &text);
    let (one, one_summary) = read(&path, &stock_mapping(), 1);
    for threads in [2, 3, 5] {
        let (many, summary, parts) = read_in_parts(&path, &stock_mapping(), threads);
        assert_eq!(parts, 1, "{threads} threads: read again on one");
        assert_eq!(many, one, "{threads} threads");
        assert_eq!(summary, one_summary);
    }
    assert_eq!(one.len(), 401);
    assert!(one.iter().all(|r| matches!(r, Record::Stock(s) if s.location.as_str() != "wh-z")));
}

#[test]
fn an_order_whose_lines_straddle_a_boundary_stays_one_order() {
    let m = mapping(
        FileRecord::WholesaleOrders,
        &[("order_id", "order"), ("sku", "sku"), ("qty", "qty"), ("placed_at", "placed")],
    );
    let mut text = "order,sku,qty,placed\n".to_owned();
    for n in 0..4000 {
        // Orders of 25 lines each: boundaries fall inside some of them.
        writeln!(text, "W-{},SKU-{},{},2026-11-{:02}", n / 25, n % 40, 1 + n % 4, 1 + (n / 25) % 28).unwrap();
    }
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), &text);
    let source = |threads| {
        let src = FileSource {
            id: SourceId::new("faire-export").unwrap(),
            path: path.clone(),
            mapping: m.clone(),
            env: env(),
            channels: vec![ChannelId::new("faire").unwrap()],
        };
        src.read_split(Split { threads, from_bytes: 0 }).unwrap()
    };
    let (one, three) = (source(1), source(3));
    assert_eq!(one.orders.len(), 160);
    assert!(one.orders.iter().all(|o| o.lines.len() == 25));
    assert_eq!(three.orders, one.orders);
}

#[test]
fn listings_are_read_in_one_piece_so_titles_carry() {
    let m = FileMapping { format: FileFormat::ShopifyProducts, ..mapping(FileRecord::Listings, &[]) };
    let mut text = "Handle,Title,Variant SKU,Variant Price\n".to_owned();
    for n in 0..3000 {
        let title = if n % 3 == 0 { format!("Sock {n}") } else { String::new() };
        writeln!(text, "sock-{},{title},SKU-{n},9.50", n / 3).unwrap();
    }
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), &text);
    let (records, _, parts) = read_in_parts(&path, &m, 4);
    assert_eq!(parts, 1);
    let titled = records.iter().filter(|r| matches!(r, Record::Listing(l) if l.title.is_some())).count();
    assert_eq!(titled, 3000);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn any_split_reads_what_one_thread_reads(
        kinds in prop::collection::vec(0u8..4, 0..300),
        threads in 2usize..6,
    ) {
        let dir = tempfile::tempdir().unwrap();
        let path = write(dir.path(), &export(&kinds));
        let (one, one_summary) = read(&path, &stock_mapping(), 1);
        let (many, summary) = read(&path, &stock_mapping(), threads);
        prop_assert_eq!(many, one);
        prop_assert_eq!(summary, one_summary);
    }
}
