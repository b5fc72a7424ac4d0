//! The store: private files, durable records under concurrent writers and
//! kill -9, and clear messages for a full, locked, corrupt or unwritable
//! data dir.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "test helpers fail loudly")]

use std::collections::BTreeSet;
use std::io::{BufRead, BufReader, Write};
use std::os::unix::fs::PermissionsExt;
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

use jiff::Timestamp;
use omnideck::store::{Decision, Store, StoreError};

fn at(s: &str) -> Timestamp {
    s.parse().unwrap()
}

fn decision(text: &str) -> Decision {
    Decision {
        id: 0,
        at: at("2026-11-27T10:00:00Z"),
        who: "Maya Chen".into(),
        channel: Some("ebay-us".into()),
        sku: None,
        event_key: Some("retire:ebay-us".into()),
        text: text.into(),
        follow_up: Some(at("2026-12-04T10:00:00Z")),
    }
}

#[test]
fn records_round_trip_and_files_are_private() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("data");
    let mut store = Store::open(&dir).unwrap();
    let id = store.add_decision(&decision("Pause eBay listings for two weeks")).unwrap();
    store.add_ack("floor:SOCK-MER-M-BLK:amazon-us-fba", "Priya", at("2026-11-27T11:00:00Z"), Some("on it")).unwrap();
    let got = store.decisions(10).unwrap();
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].id, id);
    assert_eq!(got[0].text, "Pause eBay listings for two weeks");
    assert_eq!(got[0].follow_up, Some(at("2026-12-04T10:00:00Z")));
    let acks = store.acks_after(0).unwrap();
    assert_eq!((acks[0].who.as_str(), acks[0].note.as_deref()), ("Priya", Some("on it")));
    assert_eq!(std::fs::metadata(&dir).unwrap().permissions().mode() & 0o777, 0o700);
    let db = std::fs::metadata(store.path()).unwrap().permissions().mode() & 0o777;
    assert_eq!(db, 0o600);
    store.save_last_read(at("2026-11-27T12:00:00Z"), "{\"read\":1}").unwrap();
    store.save_last_read(at("2026-11-27T12:05:00Z"), "{\"read\":2}").unwrap();
    assert_eq!(store.last_read().unwrap(), Some((at("2026-11-27T12:05:00Z"), "{\"read\":2}".to_owned())));
}

/// Child-process entry points, run by the tests below through the test
/// binary itself; they do nothing unless the environment asks.
#[test]
#[ignore = "run as a child process by the concurrency and kill tests"]
fn store_writer_child() {
    let Ok(dir) = std::env::var("OMNIDECK_TEST_STORE") else { return };
    let who = std::env::var("OMNIDECK_TEST_WHO").unwrap();
    let count: u32 = std::env::var("OMNIDECK_TEST_COUNT").unwrap().parse().unwrap();
    // Generous: on a loaded machine the other writer may hold the lock a while.
    let mut store = Store::open_with_timeout(Path::new(&dir), Duration::from_mins(1)).unwrap();
    let out = std::io::stdout();
    for seq in 0..count {
        let id = store.add_ack(&format!("ev-{seq}"), &who, at("2026-11-27T10:00:00Z"), None).unwrap();
        // Printed only after the write returned: these are acknowledged.
        writeln!(out.lock(), "acked {seq} {id}").unwrap();
    }
}

fn writer(dir: &Path, who: &str, count: u32) -> Command {
    let mut cmd = Command::new(std::env::current_exe().unwrap());
    cmd.args(["--exact", "store_writer_child", "--ignored", "--nocapture", "--test-threads=1"])
        .env("OMNIDECK_TEST_STORE", dir)
        .env("OMNIDECK_TEST_WHO", who)
        .env("OMNIDECK_TEST_COUNT", count.to_string())
        .stdout(Stdio::piped())
        .stderr(Stdio::null());
    cmd
}

#[test]
fn two_processes_writing_10k_acks_lose_and_duplicate_none() {
    let tmp = tempfile::tempdir().unwrap();
    Store::open(tmp.path()).unwrap();
    let a = writer(tmp.path(), "a", 5000).spawn().unwrap();
    let b = writer(tmp.path(), "b", 5000).spawn().unwrap();
    assert!(a.wait_with_output().unwrap().status.success());
    assert!(b.wait_with_output().unwrap().status.success());
    let store = Store::open(tmp.path()).unwrap();
    let acks = store.acks_after(0).unwrap();
    assert_eq!(acks.len(), 10_000);
    let distinct: BTreeSet<(String, String)> = acks.iter().map(|a| (a.who.clone(), a.event_key.clone())).collect();
    assert_eq!(distinct.len(), 10_000, "no duplicates");
    store.integrity_check().unwrap();
}

/// The sequence number in an `acked SEQ ID` line (libtest may print its
/// own text before it on the same line).
fn acked_seq(line: &str) -> Option<String> {
    let rest = &line[line.find("acked ")? + "acked ".len()..];
    rest.split_whitespace().next().map(str::to_owned)
}

#[test]
fn a_writer_killed_at_any_instant_loses_no_acknowledged_record() {
    let iterations: usize = std::env::var("OMNIDECK_KILL_ITERATIONS").ok().and_then(|s| s.parse().ok()).unwrap_or(8);
    let tmp = tempfile::tempdir().unwrap();
    let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
    for round in 0..iterations {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        let kill_after = 1 + usize::try_from(seed % 60).unwrap();
        let who = format!("round{round}");
        let mut child = writer(tmp.path(), &who, 100_000).spawn().unwrap();
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        let mut acked = Vec::new();
        while acked.len() < kill_after {
            let line = lines.next().expect("the writer keeps writing").unwrap();
            acked.extend(acked_seq(&line));
        }
        child.kill().unwrap();
        child.wait().unwrap();
        // Lines the child printed before the kill are acknowledged too.
        acked.extend(lines.map_while(Result::ok).filter_map(|l| acked_seq(&l)));
        let store = Store::open(tmp.path()).unwrap();
        store.integrity_check().unwrap();
        let stored: BTreeSet<String> = store
            .acks_after(0)
            .unwrap()
            .into_iter()
            .filter(|a| a.who == who)
            .map(|a| a.event_key.trim_start_matches("ev-").to_owned())
            .collect();
        for seq in &acked {
            assert!(stored.contains(seq), "round {round}: acknowledged ev-{seq} is missing");
        }
    }
}

#[test]
fn a_full_disk_is_a_clear_error_and_keeps_what_was_saved() {
    let tmp = tempfile::tempdir().unwrap();
    let mut store = Store::open(tmp.path()).unwrap();
    store.add_decision(&decision("saved before the disk filled")).unwrap();
    store.limit_pages(16).unwrap();
    let big = "x".repeat(4000);
    let err = (0..100).find_map(|_| store.add_decision(&decision(&big)).err()).expect("the capped file fills up");
    assert!(matches!(err, StoreError::DiskFull(_)), "{err}");
    assert!(err.to_string().contains("the disk is full; nothing new was saved"), "{err}");
    let kept = store.decisions(1000).unwrap();
    assert!(kept.iter().any(|d| d.text == "saved before the disk filled"));
}

#[test]
fn a_database_locked_by_another_process_is_a_clear_error() {
    let tmp = tempfile::tempdir().unwrap();
    let mut store = Store::open_with_timeout(tmp.path(), Duration::from_millis(100)).unwrap();
    let other = rusqlite::Connection::open(store.path()).unwrap();
    other.execute_batch("BEGIN EXCLUSIVE").unwrap();
    let err = store.add_decision(&decision("blocked")).unwrap_err();
    assert!(matches!(err, StoreError::Locked(_)), "{err}");
    assert!(err.to_string().contains("locked by another process"), "{err}");
    other.execute_batch("COMMIT").unwrap();
    store.add_decision(&decision("after the lock")).unwrap();
    assert_eq!(store.decisions(5).unwrap()[0].text, "after the lock");
}

#[test]
fn a_corrupt_database_file_is_named_and_left_alone() {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join(omnideck::store::DB_FILE);
    std::fs::write(&path, vec![0x5a_u8; 8192]).unwrap();
    let err = Store::open(tmp.path()).unwrap_err();
    assert!(matches!(err, StoreError::Corrupt { .. }), "{err}");
    assert!(err.to_string().contains("not a usable omnideck database"), "{err}");
    assert_eq!(std::fs::read(&path).unwrap(), vec![0x5a_u8; 8192], "the file is not overwritten");
}

#[test]
fn an_unwritable_or_wrong_data_dir_is_a_clear_error() {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("not-a-dir");
    std::fs::write(&file, "x").unwrap();
    let err = Store::open(&file).unwrap_err().to_string();
    assert!(err.ends_with("exists but is not a directory; set [state] data_dir to a directory"), "{err}");
    // /proc accepts no new directories, even for root.
    let err = Store::open(Path::new("/proc/omnideck-test/data")).unwrap_err().to_string();
    assert!(err.starts_with("/proc/omnideck-test/data: cannot create the data directory:"), "{err}");
}

/// Child-process entry point: open the store in `$OMNIDECK_TEST_STORE` and
/// print the error, as the user the parent chose.
#[test]
#[ignore = "run as a child process by the read-only test"]
fn store_open_child() {
    let Ok(dir) = std::env::var("OMNIDECK_TEST_STORE") else { return };
    match Store::open(Path::new(&dir)) {
        Ok(_) => println!("opened"),
        Err(e) => println!("error: {e}"),
    }
}

/// What opening `dir` says to a user who may not write there. Root writes
/// through permission bits, so as root the attempt runs in a child process
/// as `nobody`.
fn open_without_write(dir: &Path) -> String {
    if !rustix::process::geteuid().is_root() {
        return match Store::open(dir) {
            Ok(_) => "opened".to_owned(),
            Err(e) => format!("error: {e}"),
        };
    }
    let out = Command::new(std::env::current_exe().unwrap())
        .args(["--exact", "store_open_child", "--ignored", "--nocapture", "--test-threads=1"])
        .env("OMNIDECK_TEST_STORE", dir)
        .uid(65534)
        .gid(65534)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    stdout
        .lines()
        .find_map(|l| l.find("error: ").or_else(|| l.find("opened")).map(|i| l[i..].to_owned()))
        .unwrap_or_default()
}

#[test]
fn a_read_only_data_dir_is_a_clear_error_and_keeps_what_was_saved() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::set_permissions(tmp.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    let dir = tmp.path().join("data");
    let mut store = Store::open(&dir).unwrap();
    store.add_decision(&decision("saved before the dir went read-only")).unwrap();
    drop(store);
    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o555)).unwrap();
    let db = dir.join(omnideck::store::DB_FILE);
    std::fs::set_permissions(&db, std::fs::Permissions::from_mode(0o644)).unwrap();
    let said = open_without_write(&dir);
    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o700)).unwrap();
    let want = format!("error: {}: the data directory is read-only; nothing can be saved here", dir.display());
    assert!(said.starts_with(&want), "{said}");
    let store = Store::open(&dir).unwrap();
    assert_eq!(store.decisions(5).unwrap()[0].text, "saved before the dir went read-only");
    store.integrity_check().unwrap();
}
