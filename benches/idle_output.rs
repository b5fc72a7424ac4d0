//! How much the cockpit writes to its terminal while nothing happens.
//!
//! Runs the release `omnideck demo` in a private tmux server at 200×50,
//! copies everything it writes to the pane into a file (`pipe-pane`),
//! waits for the first read to arrive and the output to settle, then
//! counts the bytes written over a window with no input. The cockpit
//! should redraw only on input, data or a resize, so an idle minute
//! writes (almost) nothing; a redraw on every tick would show up here as
//! kilobytes a minute. A plain bench binary: one long sample, not
//! criterion's many short ones. `OMNIDECK_IDLE_SECS` sets the window
//! (default 120 s). Needs tmux.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "bench setup fails loudly")]

use std::process::Command;
use std::time::{Duration, Instant};

struct Tmux {
    socket: String,
}

impl Tmux {
    fn run(&self, args: &[&str]) -> String {
        let out = Command::new("tmux").arg("-L").arg(&self.socket).args(args).output().expect("tmux is installed");
        assert!(out.status.success(), "tmux {args:?}: {}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8_lossy(&out.stdout).into_owned()
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = Command::new("tmux").args(["-L", &self.socket, "kill-server"]).output();
    }
}

fn size(path: &std::path::Path) -> u64 {
    std::fs::metadata(path).map_or(0, |m| m.len())
}

/// Poll until `done` holds, or give up after `limit`.
fn wait(what: &str, limit: Duration, mut done: impl FnMut() -> bool) {
    let deadline = Instant::now() + limit;
    while !done() {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(250));
    }
}

fn main() {
    let window =
        Duration::from_secs(std::env::var("OMNIDECK_IDLE_SECS").ok().and_then(|s| s.parse().ok()).unwrap_or(120));
    let data = tempfile::tempdir().unwrap();
    let raw = data.path().join("raw.log");
    let tmux = Tmux { socket: format!("omnideck-idle-{}", std::process::id()) };
    let cmd = format!(
        "OMNIDECK_DATA_DIR='{}' TERM=xterm-256color '{}' demo",
        data.path().display(),
        env!("CARGO_BIN_EXE_omnideck")
    );
    tmux.run(&["new-session", "-d", "-s", "idle", "-x", "200", "-y", "50", &cmd]);
    tmux.run(&["pipe-pane", "-o", "-t", "idle", &format!("cat >> '{}'", raw.display())]);
    tmux.run(&["send-keys", "-t", "idle", "1"]);
    wait("the first read", Duration::from_mins(2), || {
        tmux.run(&["capture-pane", "-p", "-t", "idle"]).contains("shopify-main: 0m old")
    });
    // Settled: nothing written for five seconds running.
    let (mut last, mut quiet_since) = (size(&raw), Instant::now());
    wait("the output to settle", Duration::from_mins(2), || {
        let now = size(&raw);
        if now != last {
            (last, quiet_since) = (now, Instant::now());
        }
        quiet_since.elapsed() >= Duration::from_secs(5)
    });
    let before = size(&raw);
    std::thread::sleep(window);
    let written = size(&raw) - before;
    let per_minute = written.saturating_mul(60) / window.as_secs().max(1);
    println!("idle output, 200x50 demo: {written} bytes in {} s ({per_minute} bytes/min)", window.as_secs());
}
