//! File sources: the reader on real-shaped exports, including the awkward
//! ones, field by field for each preset and for a generic mapping.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "test helpers fail loudly")]

use std::collections::BTreeMap;
use std::io::Cursor;
use std::path::PathBuf;

use jiff::tz::TimeZone;
use omnideck::channels::files::{self, Env, FileError, ListingRow, Record, Summary};
use omnideck::config::files::{FileEncoding, FileFormat, FileMapping, FileRecord};
use omnideck::core::ids::{LocationId, Sku};
use omnideck::core::money::{Currency, Money};
use omnideck::core::stock::StockPosition;
use rust_decimal_macros::dec;

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures/exports").join(name)
}

fn mapping(format: FileFormat, record: FileRecord, columns: &[(&str, &str)]) -> FileMapping {
    FileMapping::new(format, record, columns)
}

fn env() -> Env {
    Env {
        currency: Currency::USD,
        time_zone: TimeZone::get("America/New_York").unwrap(),
        location: Some(LocationId::new("fba").unwrap()),
        location_map: BTreeMap::new(),
    }
}

fn read_with(bytes: &[u8], m: &FileMapping, env: &Env) -> Result<(Vec<Record>, Summary), FileError> {
    let mut out = Vec::new();
    let summary = files::read(Cursor::new(bytes), "t.csv", m, env, |r| out.push(r))?;
    Ok((out, summary))
}

fn read(bytes: &[u8], m: &FileMapping) -> Result<(Vec<Record>, Summary), FileError> {
    read_with(bytes, m, &env())
}

fn stock(records: &[Record]) -> Vec<&StockPosition> {
    records.iter().filter_map(|r| if let Record::Stock(s) = r { Some(s) } else { None }).collect()
}

fn messages(s: &Summary) -> Vec<String> {
    s.issues.iter().map(|i| format!("{}: {}", i.place, i.message)).collect()
}

#[test]
fn fba_manage_inventory_maps_field_by_field() {
    let path = fixture("fba_manage_inventory.txt");
    let bytes = std::fs::read(&path).unwrap();
    let m = mapping(FileFormat::FbaManageInventory, FileRecord::Stock, &[]);
    let (records, summary) = read(&bytes, &m).unwrap();
    let s = stock(&records);
    assert_eq!(s.len(), 2, "{records:?}");
    let sock = s[0];
    assert_eq!((sock.sku.as_str(), sock.location.as_str()), ("NW-SOCK-M", "fba"));
    // on hand adds reserved back, so sellable is the fulfillable count.
    assert_eq!((sock.on_hand, sock.reserved, sock.unfulfillable), (124, 4, 3));
    assert_eq!(sock.sellable(0), 120);
    assert_eq!(sock.inbound.iter().map(|i| i.qty).sum::<u32>(), 13);
    assert_eq!((s[1].sku.as_str(), s[1].on_hand), ("NW-BEANIE", 0));
    assert!(s[1].inbound.is_empty());
    // The glove's fulfillable count is not a number: line 4, column 11.
    assert_eq!(summary.skipped, 1);
    assert_eq!(
        messages(&summary),
        vec!["t.csv:4:11: afn-fulfillable-quantity: expected a number, found \"n/a\"; row skipped".to_owned()]
    );
}

#[test]
fn shopify_products_maps_field_by_field_across_crlf_and_quoted_newlines() {
    let bytes = std::fs::read(fixture("shopify_products.csv")).unwrap();
    let m = mapping(FileFormat::ShopifyProducts, FileRecord::Listings, &[]);
    let (records, summary) = read(&bytes, &m).unwrap();
    assert!(summary.issues.is_empty(), "{:?}", messages(&summary));
    let usd = |d| Some(Money::new(d, Currency::USD));
    let expected = vec![
        ListingRow {
            sku: Sku::new("NW-SOCK-M").unwrap(),
            title: Some("Merino Hiking Sock".into()),
            price: usd(dec!(18.00)),
            compare_at: usd(dec!(22.00)),
            unit_cost: usd(dec!(6.40)),
            quantity: Some(42),
        },
        ListingRow {
            sku: Sku::new("NW-SOCK-L").unwrap(),
            // Shopify leaves the title to the product's first row.
            title: Some("Merino Hiking Sock".into()),
            price: usd(dec!(18.00)),
            compare_at: None,
            unit_cost: usd(dec!(6.55)),
            quantity: Some(7),
        },
        ListingRow {
            sku: Sku::new("NW-BEANIE").unwrap(),
            title: Some("Merino Beanie".into()),
            price: usd(dec!(32.00)),
            compare_at: None,
            unit_cost: usd(dec!(11.20)),
            quantity: Some(0),
        },
    ];
    let got: Vec<ListingRow> =
        records.into_iter().map(|r| if let Record::Listing(l) = r { l } else { panic!("{r:?}") }).collect();
    assert_eq!(got, expected);
    // The image-only row is passed over, not counted as a bad row.
    assert_eq!((summary.rows, summary.skipped), (3, 0));
}

fn erp_mapping() -> FileMapping {
    let cols = [
        ("sku", "Artikelnr."),
        ("location", "Lager"),
        ("on_hand", "Bestand"),
        ("reserved", "Reserviert"),
        ("inbound", "Zulauf"),
        ("inbound_eta", "Liefertermin"),
    ];
    FileMapping {
        delimiter: Some(b';'),
        decimal: Some(b','),
        thousands: Some(b'.'),
        encoding: Some(FileEncoding::Latin1),
        date_format: Some("%d.%m.%Y".into()),
        time_zone: Some(TimeZone::get("Europe/Berlin").unwrap()),
        ..mapping(FileFormat::Generic, FileRecord::Stock, &cols)
    }
}

fn erp_env() -> Env {
    let map = [("Lager 1", "wh"), ("Lager Süd", "wh-south")];
    Env { location_map: map.iter().map(|(a, b)| ((*a).to_owned(), (*b).to_owned())).collect(), ..env() }
}

#[test]
fn a_latin1_erp_export_with_decimal_commas_and_thousands_dots() {
    let bytes = std::fs::read(fixture("erp_stock_latin1.csv")).unwrap();
    let (records, summary) = read_with(&bytes, &erp_mapping(), &erp_env()).unwrap();
    let s = stock(&records);
    let got: Vec<(&str, &str, u32, u32)> =
        s.iter().map(|p| (p.sku.as_str(), p.location.as_str(), p.on_hand, p.reserved)).collect();
    assert_eq!(got, vec![("NW-SOCK-M", "wh", 1250, 10), ("NW-BEANIE", "wh", 0, 0), ("NW-SCARF", "wh-south", 30, 0)]);
    assert_eq!(s[0].inbound[0].qty, 2000);
    // 15.12.2026 midnight in Berlin.
    assert_eq!(s[0].inbound[0].eta.unwrap().to_string(), "2026-12-14T23:00:00Z");
    assert_eq!(
        messages(&summary),
        vec!["t.csv:4:4: Bestand: expected a whole number of units, found 12,5; row skipped".to_owned()]
    );
}

#[test]
fn undeclared_latin1_fails_with_the_byte_offset_and_the_setting() {
    let bytes = std::fs::read(fixture("erp_stock_latin1.csv")).unwrap();
    let m = FileMapping { encoding: None, ..erp_mapping() };
    let err = read_with(&bytes, &m, &erp_env()).unwrap_err().to_string();
    // Only mapped columns are decoded: the first one holding Latin-1 is the
    // scarf's warehouse, "Lager Süd", on line 5.
    let at = bytes.iter().rposition(|b| *b >= 0x80).unwrap();
    assert_eq!(
        err,
        format!("invalid UTF-8 at byte {at} (line 5, column 3); if the file is Latin-1, set encoding = \"latin-1\"")
    );
}

#[test]
fn a_bom_is_detected_and_an_undeclared_decimal_comma_is_refused_per_row() {
    let text = "\u{FEFF}sku,cost\r\nA-1,\"1,5\"\r\nA-2,2.25\r\n";
    let m = mapping(FileFormat::Generic, FileRecord::Costs, &[("sku", "sku"), ("cost", "cost")]);
    let (records, summary) = read(text.as_bytes(), &m).unwrap();
    assert_eq!(
        records,
        vec![Record::Cost { sku: Sku::new("A-2").unwrap(), cost: Money::new(dec!(2.25), Currency::USD) }]
    );
    assert_eq!(messages(&summary), vec![
        "t.csv: note: detected a UTF-8 byte-order mark: reading as UTF-8".to_owned(),
        "t.csv: note: detected delimiter ',' from the header line".to_owned(),
        "t.csv:2:2: cost: found \"1,5\": set decimal = \",\" or thousands = \",\" in the source's config to say what ',' means; row skipped".to_owned(),
    ]);
}

#[test]
fn an_extra_column_is_ignored_and_a_missing_one_names_itself_and_the_file() {
    let m = mapping(FileFormat::Generic, FileRecord::Costs, &[("sku", "SKU"), ("cost", "Unit Cost")]);
    let (records, _) = read(b"SKU\tColour\tUnit Cost\nA-1\tred\t3.10\n", &m).unwrap();
    assert_eq!(records.len(), 1);
    let err = read(b"SKU\tColour\nA-1\tred\n", &m).unwrap_err();
    assert_eq!(err.to_string(), "t.csv: no column \"Unit Cost\" (for cost); the header has: SKU, Colour");
}

#[test]
fn a_short_row_is_reported_at_the_missing_column() {
    let m = mapping(FileFormat::Generic, FileRecord::Costs, &[("sku", "SKU"), ("cost", "Cost")]);
    let (records, summary) = read(b"SKU;Cost\nA-1\nA-2;4\n", &m).unwrap();
    assert_eq!(records.len(), 1);
    assert_eq!(messages(&summary)[1], "t.csv:2:2: Cost: the row ends before column 2 (Cost); row skipped");
}

#[test]
fn an_empty_file_fails_and_a_header_only_file_is_empty_data() {
    let m = mapping(FileFormat::Generic, FileRecord::Costs, &[("sku", "SKU"), ("cost", "Cost")]);
    assert_eq!(read(b"", &m).unwrap_err(), FileError::Empty);
    let (records, summary) = read(b"SKU,Cost\r\n", &m).unwrap();
    assert!(records.is_empty());
    assert_eq!(summary.rows, 0);
}

#[test]
fn an_ambiguous_delimiter_is_a_question_for_the_config() {
    let m = mapping(FileFormat::Generic, FileRecord::Costs, &[("sku", "SKU"), ("cost", "Cost")]);
    let err = read(b"SKU;Cost,EUR\nA;1\n", &m).unwrap_err().to_string();
    assert!(err.contains("several possible delimiters (',', ';')"), "{err}");
    let declared = FileMapping { delimiter: Some(b';'), ..m };
    assert!(read(b"SKU;Cost,EUR\nA;1\n", &declared).is_err(), "the Cost column is still missing");
}

#[test]
fn purchase_orders_map_field_by_field() {
    let cols = [
        ("po_id", "PO"),
        ("supplier", "Vendor"),
        ("sku", "Item"),
        ("qty", "Open Qty"),
        ("eta", "ETA"),
        ("status", "State"),
    ];
    let m = FileMapping { thousands: Some(b','), ..mapping(FileFormat::Generic, FileRecord::PurchaseOrders, &cols) };
    let text = "PO,Vendor,Item,Open Qty,ETA,State\nPO-7,alpaca-mill,NW-SOCK-M,\"1,200\",2026-12-20,Confirmed\nPO-8,alpaca-mill,NW-BEANIE,40,,lost\n";
    let (records, summary) = read(text.as_bytes(), &m).unwrap();
    let Record::PurchaseOrder(po) = &records[0] else { panic!("{records:?}") };
    assert_eq!(
        (po.id.as_str(), po.supplier.as_str(), po.sku.as_str(), po.qty),
        ("PO-7", "alpaca-mill", "NW-SOCK-M", 1200)
    );
    assert_eq!(po.eta.unwrap().to_string(), "2026-12-20T05:00:00Z");
    assert_eq!(po.status, omnideck::core::orders::PoStatus::Open);
    assert_eq!(records.len(), 1);
    assert!(messages(&summary).last().unwrap().starts_with("t.csv:3:6: State: expected open, received or cancelled"));
}

#[test]
fn control_characters_in_text_are_neutralised() {
    let m = mapping(FileFormat::ShopifyProducts, FileRecord::Listings, &[]);
    let text = "Variant SKU,Title\nA-1,\"Sock\x1b[2J\"\n";
    let (records, _) = read(text.as_bytes(), &m).unwrap();
    let Record::Listing(l) = &records[0] else { panic!() };
    assert_eq!(l.title.as_deref(), Some("Sock\u{FFFD}[2J"));
}
