//! Notices that the terminal is gone when no SIGHUP says so.
//!
//! After an SSH drop or a closed pane the tty is hung up: reads give EOF or
//! EIO and writes fail. crossterm's reader thread then spins on the dead
//! descriptor and never reports it (crossterm#793), and the process may
//! not get SIGHUP at all (another session, `nohup`). So the loop feeds
//! every terminal probe, draw and read into this watchdog, and leaves when
//! they keep failing or when it turns over and over with nothing to do.

use std::time::{Duration, Instant};

/// Consecutive terminal failures that mean the terminal is gone: one could
/// be a passing EINTR or EAGAIN, three in a row (at least half a second
/// apart at the tick) are not.
const MAX_FAILURES: u32 = 3;

/// Turns of the loop per second that carried nothing worth handling; a
/// person cannot cause that many, a reader spinning on a dead tty does.
const MAX_EMPTY_TURNS: u32 = 1_000;

#[derive(Debug)]
pub(crate) struct Watchdog {
    failures: u32,
    window: Instant,
    empty_turns: u32,
}

impl Watchdog {
    pub(crate) fn new(now: Instant) -> Watchdog {
        Watchdog { failures: 0, window: now, empty_turns: 0 }
    }

    /// One terminal read, write or probe; `true` once the terminal is
    /// taken to be gone.
    pub(crate) fn io(&mut self, ok: bool) -> bool {
        self.failures = if ok { 0 } else { self.failures + 1 };
        self.failures >= MAX_FAILURES
    }

    /// One turn of the loop that did nothing (an ignored event); `true`
    /// when such turns come faster than anyone can cause them.
    pub(crate) fn empty_turn(&mut self, now: Instant) -> bool {
        if now.duration_since(self.window) >= Duration::from_secs(1) {
            self.window = now;
            self.empty_turns = 0;
        }
        self.empty_turns += 1;
        self.empty_turns > MAX_EMPTY_TURNS
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repeated_failures_trip_it_and_a_success_between_resets_it() {
        let mut w = Watchdog::new(Instant::now());
        assert!(!w.io(false));
        assert!(!w.io(false));
        assert!(!w.io(true));
        assert!(!w.io(false));
        assert!(!w.io(false));
        assert!(w.io(false));
    }

    #[test]
    fn a_spin_trips_it_but_the_same_turns_spread_over_seconds_do_not() {
        let start = Instant::now();
        let mut w = Watchdog::new(start);
        let tripped = (0..=MAX_EMPTY_TURNS).map(|_| w.empty_turn(start)).collect::<Vec<_>>();
        assert_eq!(tripped.iter().filter(|t| **t).count(), 1, "only the turn over the limit trips it");
        let mut w = Watchdog::new(start);
        let spread = (0..3 * MAX_EMPTY_TURNS).any(|i| {
            let at = start + Duration::from_millis(u64::from(i) * 3);
            w.empty_turn(at)
        });
        assert!(!spread, "333 empty turns a second is below the limit");
    }
}
