//! End to end in a real terminal: `omnideck demo` runs inside tmux at
//! 80×24 against its in-process sandbox; the test presses keys and waits
//! for the screen to show what it expects (never a fixed sleep), and checks
//! that SIGTERM restores the terminal and exits 143, and that a closed
//! pane ends the process with or without the SIGHUP. Needs tmux (installed
//! by .ci/run).

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "test helpers fail loudly")]

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

struct Tmux {
    session: String,
    socket: String,
    data: tempfile::TempDir,
    raw: std::path::PathBuf,
}

impl Tmux {
    /// Start `omnideck demo` in a detached 80×24 session on a private server.
    fn demo(name: &str) -> Tmux {
        Tmux::demo_under(name, "")
    }

    /// The same, with `wrapper` (e.g. `setsid`) in front of the binary.
    fn demo_under(name: &str, wrapper: &str) -> Tmux {
        let data = tempfile::tempdir().unwrap();
        let raw = data.path().join("raw.log");
        let socket = format!("omnideck-e2e-{name}-{}", std::process::id());
        let bin = env!("CARGO_BIN_EXE_omnideck");
        let cmd = format!(
            "OMNIDECK_DATA_DIR='{}' TERM=xterm-256color {wrapper} '{bin}' demo; echo EXIT=$?; sleep 600",
            data.path().display()
        );
        let t = Tmux { session: name.to_owned(), socket, data, raw };
        t.run(&["new-session", "-d", "-s", name, "-x", "80", "-y", "24", &cmd]);
        t.run(&["pipe-pane", "-o", "-t", name, &format!("cat >> '{}'", t.raw.display())]);
        t
    }

    fn run(&self, args: &[&str]) -> String {
        let out = Command::new("tmux")
            .arg("-L")
            .arg(&self.socket)
            .args(args)
            .output()
            .expect("tmux is installed (.ci/run installs it; locally: apt-get install tmux)");
        assert!(out.status.success(), "tmux {args:?}: {}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    fn screen(&self) -> String {
        self.run(&["capture-pane", "-p", "-t", &self.session])
    }

    fn press(&self, key: &str) {
        self.run(&["send-keys", "-t", &self.session, key]);
    }

    /// Type `text` as literal characters (no key-name lookup).
    fn type_text(&self, text: &str) {
        self.run(&["send-keys", "-t", &self.session, "-l", text]);
    }

    /// Wait until the screen satisfies `want`, or fail showing the screen.
    fn wait_for(&self, what: &str, want: impl Fn(&str) -> bool) -> String {
        let deadline = Instant::now() + Duration::from_mins(2);
        loop {
            let screen = self.screen();
            if want(&screen) {
                return screen;
            }
            assert!(Instant::now() < deadline, "timed out waiting for {what}; screen:\n{screen}");
            std::thread::sleep(Duration::from_millis(200));
        }
    }

    /// The pid of the omnideck process under the pane's shell.
    fn app_pid(&self) -> String {
        let shell = self.run(&["display-message", "-p", "-t", &self.session, "#{pane_pid}"]);
        let out = Command::new("pgrep").args(["-P", shell.trim(), "omnideck"]).output().unwrap();
        String::from_utf8_lossy(&out.stdout).lines().next().expect("omnideck runs under the pane").to_owned()
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = Command::new("tmux").args(["-L", &self.socket, "kill-server"]).output();
    }
}

fn lines_fit(screen: &str, width: usize) -> bool {
    screen.lines().all(|l| l.chars().count() <= width)
}

#[test]
fn the_demo_fills_its_panes_and_quits_cleanly_at_80x24() {
    let t = Tmux::demo("walk");
    t.wait_for("the tab bar", |s| s.contains("Overview") && s.contains("Channels"));
    t.press("1");
    let overview = t.wait_for("the first read from the sandbox", |s| s.contains("shopify-main: 0m old"));
    assert!(lines_fit(&overview, 80), "{overview}");
    t.press("2");
    t.wait_for("the stock pane", |s| s.contains("Stock by channel (45)"));
    // 45 SKUs do not fit 80×24: find the best seller with the filter.
    t.press("/");
    for key in ["S", "O", "C", "K", "-", "M", "E", "R", "-", "M", "-", "B", "L", "K", "Enter"] {
        t.press(key);
    }
    let stock = t.wait_for("the scarce best seller", |s| s.contains("SOCK-MER-M-BLK") && s.contains("scarce"));
    assert!(stock.contains("Stock by channel"), "{stock}");
    t.press("5");
    t.wait_for("the escalations pane", |s| s.contains("Escalations"));
    t.press("?");
    t.wait_for("the help overlay from the keymap", |s| s.contains("quit"));
    t.press("Escape");
    t.press("q");
    t.wait_for("a clean exit", |s| s.contains("EXIT=0"));
}

/// The weekly review end to end: start it, acknowledge one item, decide
/// one with text, end it; the summary counts both, the readback lands in
/// the data dir and the decision shows in the decisions pane.
#[test]
fn the_weekly_review_walks_records_and_summarises_at_80x24() {
    let t = Tmux::demo("review");
    t.press("1");
    t.wait_for("the first read from the sandbox", |s| s.contains("shopify-main: 0m old"));
    t.press("R");
    let first = t.wait_for("the review's first item", |s| s.contains("Weekly review") && s.contains("— 1 of "));
    assert!(lines_fit(&first, 80), "{first}");
    t.press("a");
    t.wait_for("the next item after acknowledging", |s| s.contains("— 2 of "));
    t.press("d");
    t.wait_for("the decision prompt", |s| s.contains("decision:"));
    t.type_text("retire the eBay listing");
    t.wait_for("the typed decision", |s| s.contains("retire the eBay listing"));
    t.press("Enter");
    t.wait_for("the third item after deciding", |s| s.contains("— 3 of "));
    t.press("q");
    let summary = t.wait_for("the summary", |s| s.contains("Review summary"));
    assert!(summary.contains("acknowledged    1") && summary.contains("decided         1"), "{summary}");
    let dir = t.data.path().join("demo");
    let deadline = Instant::now() + Duration::from_mins(1);
    let written = loop {
        let found = std::fs::read_dir(&dir).unwrap().filter_map(Result::ok).find(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            name.starts_with("review-") && Path::new(&name).extension().is_some_and(|x| x == "md")
        });
        if let Some(f) = found {
            break std::fs::read_to_string(f.path()).unwrap();
        }
        assert!(Instant::now() < deadline, "no review-<week>.md in {}", dir.display());
        std::thread::sleep(Duration::from_millis(200));
    };
    assert!(written.contains("retire the eBay listing"), "{written}");
    t.press("q");
    t.press("6");
    t.wait_for("the decision in the decisions pane", |s| s.contains("retire the eBay"));
    t.press("q");
    t.wait_for("a clean exit", |s| s.contains("EXIT=0"));
}

#[test]
fn sigterm_restores_the_terminal_and_exits_143() {
    let t = Tmux::demo("term");
    t.wait_for("the tab bar", |s| s.contains("Overview"));
    let pid = t.app_pid();
    let status = Command::new("kill").args(["-TERM", &pid]).status().unwrap();
    assert!(status.success());
    t.wait_for("exit 143", |s| s.contains("EXIT=143"));
    let raw = std::fs::read(&t.raw).unwrap();
    let raw = String::from_utf8_lossy(&raw);
    assert!(raw.contains("\u{1b}[?1049l"), "left the alternate screen");
    assert!(raw.contains("\u{1b}[?25h"), "showed the cursor again");
    assert!(Path::new(&t.raw).exists());
}

/// Whether `pid` is still a live process (a zombie has already exited).
fn running(pid: &str) -> bool {
    std::fs::read_to_string(format!("/proc/{pid}/stat"))
        .is_ok_and(|stat| stat.rsplit(')').next().is_some_and(|rest| !rest.trim_start().starts_with('Z')))
}

/// Close the pane under a running cockpit and wait for the process to go.
fn close_pane_and_wait(t: &Tmux, pid: &str) {
    assert!(running(pid), "omnideck {pid} runs before the pane closes");
    t.run(&["kill-session", "-t", &t.session]);
    let deadline = Instant::now() + Duration::from_secs(5);
    while running(pid) {
        assert!(Instant::now() < deadline, "omnideck {pid} still runs 5 s after its terminal closed");
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// An SSH drop: the pane's tty hangs up and SIGHUP reaches the cockpit.
#[test]
fn a_closed_pane_sends_sighup_and_the_process_is_gone_within_seconds() {
    let t = Tmux::demo("hup");
    t.wait_for("the tab bar", |s| s.contains("Overview"));
    let pid = t.app_pid();
    close_pane_and_wait(&t, &pid);
}

/// The tty hangs up but no SIGHUP comes (the cockpit runs in its own
/// session): reads fail or spin, and the watchdog must still end it.
#[test]
fn a_dead_terminal_without_sighup_is_noticed_and_the_process_is_gone_within_seconds() {
    let t = Tmux::demo_under("nohup", "setsid");
    t.press("1");
    // Once the read is in, nothing redraws: no failing write gives it away.
    t.wait_for("the first read from the sandbox", |s| s.contains("shopify-main: 0m old"));
    let pid = t.app_pid();
    close_pane_and_wait(&t, &pid);
}
