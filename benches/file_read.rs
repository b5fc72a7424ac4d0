//! File sources: rows per second of the export reader against a plain line
//! count of the same 1M-row CSV (`wc -l`, and the same count in Rust so the
//! process start of `wc` does not flatter either side). See
//! docs/benchmarks.md, "File sources".

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "bench setup fails loudly")]

use std::collections::BTreeMap;
use std::fs::File;
use std::hint::black_box;
use std::io::{BufWriter, Read, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

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
    FileMapping { delimiter: Some(b','), ..FileMapping::new(FileFormat::Generic, FileRecord::Stock, &cols) }
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

fn wc_l(path: &Path) -> usize {
    let out = std::process::Command::new("wc").arg("-l").arg(path).output().unwrap();
    String::from_utf8_lossy(&out.stdout).split_whitespace().next().unwrap().parse().unwrap()
}

/// Every typed row read and counted (and dropped).
fn count_rows(path: &Path, m: &FileMapping, env: &Env, split: Split) -> u64 {
    let keep = |n: &mut u64, r: Record| *n += u64::from(matches!(r, Record::Stock(_)));
    let (parts, _) = files::read_file(path, "stock-1m.csv", m, env, split, || 0u64, keep).unwrap();
    parts.iter().sum::<u64>()
}

/// Each round times every contender once, back to back, so that a slow
/// spell on a shared machine slows a whole round rather than one contender;
/// the ratio to `wc -l` is taken within each round, then the median and the
/// best. (A busy second core slows only the threaded contenders, so their
/// ratio swings more than the others'.)
fn rounds(path: &Path, m: &FileMapping, env: &Env, source: &FileSource) {
    const ROUNDS: usize = 21;
    let contenders: [(&str, &dyn Fn() -> u64); 5] = [
        ("wc -l", &|| wc_l(path) as u64),
        ("line count in Rust", &|| count_lines(path) as u64),
        ("reader, one thread", &|| count_rows(path, m, env, Split { threads: 1, from_bytes: 0 })),
        ("reader, a thread per core", &|| count_rows(path, m, env, Split::per_core())),
        ("source, rows kept", &|| source.read_now().unwrap().stock.len() as u64),
    ];
    let mut times = vec![Vec::new(); contenders.len()];
    for _ in 0..ROUNDS {
        for (k, (_, run)) in contenders.iter().enumerate() {
            let start = Instant::now();
            black_box(run());
            times[k].push(start.elapsed());
        }
    }
    let median = |mut v: Vec<f64>| {
        v.sort_by(f64::total_cmp);
        v[v.len() / 2]
    };
    println!(
        "\n{ROUNDS} rounds, {} cores; median time, and the median and best ratio to wc -l within a round:",
        Split::per_core().threads
    );
    for (k, (name, _)) in contenders.iter().enumerate() {
        let ms = median(times[k].iter().map(|t| t.as_secs_f64() * 1e3).collect());
        let ratios: Vec<f64> = times[k].iter().zip(&times[0]).map(|(t, w)| t.as_secs_f64() / w.as_secs_f64()).collect();
        let best = ratios.iter().copied().fold(f64::INFINITY, f64::min);
        println!("  {name:<28} {ms:>8.1} ms  {:>5.2} x  (best {best:.2} x)", median(ratios));
    }
    println!();
}

fn bench(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let path = generate(dir.path());
    let (m, env) = (mapping(), env());
    assert_eq!(wc_l(&path) as u64, ROWS + 1);
    assert_eq!(count_rows(&path, &m, &env, Split::per_core()), ROWS);
    let source = FileSource {
        id: SourceId::new("erp").unwrap(),
        path: path.clone(),
        mapping: m.clone(),
        env: env.clone(),
        channels: Vec::new(),
    };
    rounds(&path, &m, &env, &source);
    let mut g = c.benchmark_group("file_read_1m_rows");
    g.sample_size(10).measurement_time(Duration::from_secs(20)).throughput(Throughput::Elements(ROWS));
    g.bench_function("wc -l", |b| b.iter(|| wc_l(&path)));
    g.bench_function("line count in Rust", |b| b.iter(|| count_lines(&path)));
    g.bench_function("reader, one thread", |b| {
        b.iter(|| count_rows(&path, &m, &env, Split { threads: 1, from_bytes: 0 }));
    });
    g.bench_function("reader, a thread per core", |b| b.iter(|| count_rows(&path, &m, &env, Split::per_core())));
    g.bench_function("source, rows kept", |b| b.iter(|| source.read_now().unwrap().stock.len()));
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
