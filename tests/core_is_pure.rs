//! `src/core` is the shared logic as a plain library: no async runtime, HTTP
//! client, terminal or database crate, no files, sockets or clock.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "test helpers fail loudly")]

use std::path::Path;

const FORBIDDEN: &[(&str, &str)] = &[
    ("tokio", "an async runtime"),
    ("reqwest", "an HTTP client"),
    ("ratatui", "a terminal UI crate"),
    ("crossterm", "a terminal crate"),
    ("rusqlite", "a database crate"),
    ("axum", "an HTTP server"),
    ("std::fs", "file I/O"),
    ("std::net", "sockets"),
    ("std::process", "processes"),
    ("std::env", "the environment"),
    ("SystemTime::now", "the clock"),
    ("Instant::now", "the clock"),
    ("Timestamp::now", "the clock"),
    ("Zoned::now", "the clock"),
    ("Utc::now", "the clock"),
    ("File::open", "file I/O"),
];

fn rust_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("src/core is readable") {
        let path = entry.expect("dir entry").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// Finds `needle` as a path segment (not inside a longer identifier).
fn mentions(line: &str, needle: &str) -> bool {
    line.match_indices(needle).any(|(i, _)| {
        let before = line[..i].chars().next_back();
        let after = line[i + needle.len()..].chars().next();
        let ident = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '_');
        !ident(before) && !ident(after)
    })
}

#[test]
fn core_imports_no_io_crates_and_reads_no_clock() {
    let mut files = Vec::new();
    rust_files(Path::new(env!("CARGO_MANIFEST_DIR")).join("src/core").as_path(), &mut files);
    assert!(files.len() >= 10, "expected the core modules, found {}", files.len());
    let mut hits = Vec::new();
    for file in &files {
        let text = std::fs::read_to_string(file).expect("readable source");
        for (n, line) in text.lines().enumerate() {
            let code = line.split("//").next().unwrap_or("");
            for (needle, what) in FORBIDDEN {
                if mentions(code, needle) {
                    hits.push(format!("{}:{}: {needle} ({what})", file.display(), n + 1));
                }
            }
        }
    }
    assert!(hits.is_empty(), "src/core must stay pure:\n{}", hits.join("\n"));
}

#[test]
fn the_purity_check_catches_a_forbidden_line() {
    assert!(mentions("use tokio::sync::mpsc;", "tokio"));
    assert!(mentions("let t = jiff::Timestamp::now();", "Timestamp::now"));
    assert!(!mentions("let tokio_like = 1;", "tokio"));
}
