//! File sources: rows per second of the export reader against a plain line
//! count of the same 1M-row CSV (`wc -l`, and the same count in Rust so the
//! process start of `wc` does not flatter either side). See
//! docs/benchmarks.md, "File sources".

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "bench setup fails loudly")]

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{BufWriter, Read, Write};
use std::path::{Path, PathBuf};
use std::time::Duration;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use omnideck::channels::files::{self, Env, FileSource, Record, Split};
use omnideck::config::files::{FileFormat, FileMapping, FileRecord};
use omnideck::core::ids::{LocationId, SourceId};
use omnideck::core::money::Currency;

const ROWS: u64 = 1_000_000;

/// An ERP-shaped stock export: a quoted description, a decimal-free count.
fn generate(dir: &Path) -> PathBuf {
    let path = dir.join("stock-1m.csv");
    let mut out = BufWriter::new(File::create(&path).unwrap());
    writeln!(out, "sku,warehouse,on_hand,reserved,inbound,description").unwrap();
    for n in 1..=ROWS {
        let (on_hand, reserved, inbound) = (n % 500, n % 7, n % 40);
        writeln!(out, "SKU-{n:08},wh,{on_hand},{reserved},{inbound},\"merino blend, size {}\"", n % 5).unwrap();
    }
    out.flush().unwrap();
    path
}

fn mapping() -> FileMapping {
    let cols = [
        ("sku", "sku"),
        ("location", "warehouse"),
        ("on_hand", "on_hand"),
        ("reserved", "reserved"),
        ("inbound", "inbound"),
    ];
    FileMapping {
        format: FileFormat::Generic,
        record: FileRecord::Stock,
        columns: cols.iter().map(|(a, b)| ((*a).to_owned(), (*b).to_owned())).collect(),
        delimiter: Some(b','),
        decimal: None,
        thousands: None,
        encoding: None,
        date_format: None,
        time_zone: None,
        currency: None,
        pattern: None,
    }
}

fn env() -> Env {
    Env {
        currency: Currency::USD,
        time_zone: jiff::tz::TimeZone::UTC,
        location: Some(LocationId::new("wh").unwrap()),
        location_map: BTreeMap::new(),
    }
}

#[expect(clippy::naive_bytecount, reason = "a plain count is the baseline; the compiler vectorises it")]
fn count_lines(path: &Path) -> usize {
    let mut f = File::open(path).unwrap();
    let mut buf = vec![0u8; 64 * 1024];
    let mut lines = 0;
    loop {
        let n = f.read(&mut buf).unwrap();
        if n == 0 {
            return lines;
        }
        lines += buf[..n].iter().filter(|b| **b == b'\n').count();
    }
}

fn bench(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let path = generate(dir.path());
    let (m, env) = (mapping(), env());
    let mut g = c.benchmark_group("file_read_1m_rows");
    g.sample_size(10).measurement_time(Duration::from_secs(20)).throughput(Throughput::Elements(ROWS));
    g.bench_function("wc -l", |b| {
        b.iter(|| std::process::Command::new("wc").arg("-l").arg(&path).output().unwrap());
    });
    g.bench_function("line count in Rust", |b| b.iter(|| count_lines(&path)));
    let count = |split: Split| {
        let keep = |n: &mut u64, r: Record| *n += u64::from(matches!(r, Record::Stock(_)));
        let (parts, _) = files::read_file(&path, "stock-1m.csv", &m, &env, split, || 0u64, keep).unwrap();
        parts.iter().sum::<u64>()
    };
    assert_eq!(count(Split::per_core()), ROWS);
    g.bench_function("reader, one thread", |b| b.iter(|| count(Split { threads: 1, from_bytes: 0 })));
    g.bench_function("reader, a thread per core", |b| b.iter(|| count(Split::per_core())));
    let source = FileSource {
        id: SourceId::new("erp").unwrap(),
        path: path.clone(),
        mapping: m.clone(),
        env: env.clone(),
        channels: Vec::new(),
    };
    g.bench_function("source, rows kept", |b| b.iter(|| source.read_now().unwrap().stock.len()));
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
