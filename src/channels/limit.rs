//! Rate limiters shared by the API clients (to pace themselves) and the local
//! sandbox server (to enforce the vendors' published limits).
//!
//! Nothing here reads a clock: every method takes `now: Instant`, so tests and
//! the sandbox can drive time explicitly. Time is tracked as integer
//! nanoseconds relative to an origin instant, so long runs do not drift the way
//! an `f64` token count refilled on every call would.

// Vendor names such as ShipBob are proper nouns in prose, not code items.
#![allow(clippy::doc_markdown)]

use std::collections::VecDeque;
use std::time::{Duration, Instant};

const NANOS_PER_SEC: f64 = 1_000_000_000.0;

/// Invalid limiter configuration.
#[derive(Debug, Clone, Copy, PartialEq, thiserror::Error)]
pub enum LimitError {
    /// A rate (tokens or points per second) must be finite and positive.
    #[error("rate must be finite and > 0, got {0}")]
    InvalidRate(f64),
    /// A burst or capacity must be finite and at least 1.
    #[error("burst/capacity must be finite and >= 1, got {0}")]
    InvalidCapacity(f64),
    /// A target fraction must lie in `(0, 1]`.
    #[error("target fraction must be in (0, 1], got {0}")]
    InvalidFraction(f64),
    /// A sliding window needs a limit of at least 1 and a non-zero length.
    #[error("sliding window needs limit >= 1 and a non-zero window")]
    InvalidWindow,
}

fn check_rate(rate: f64) -> Result<f64, LimitError> {
    if rate.is_finite() && rate > 0.0 { Ok(rate) } else { Err(LimitError::InvalidRate(rate)) }
}

fn check_capacity(cap: f64) -> Result<f64, LimitError> {
    if cap.is_finite() && cap >= 1.0 { Ok(cap) } else { Err(LimitError::InvalidCapacity(cap)) }
}

fn check_fraction(fraction: f64) -> Result<f64, LimitError> {
    if fraction.is_finite() && fraction > 0.0 && fraction <= 1.0 {
        Ok(fraction)
    } else {
        Err(LimitError::InvalidFraction(fraction))
    }
}

/// Nanoseconds from `origin` to `now`, 0 if `now` is earlier.
fn nanos_since(origin: Instant, now: Instant) -> u64 {
    u64::try_from(now.saturating_duration_since(origin).as_nanos()).unwrap_or(u64::MAX)
}

/// Converts a non-negative `f64` nanosecond count to `u64`, rounding with `round`.
#[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss, clippy::cast_precision_loss)]
fn f64_to_nanos(ns: f64, round: fn(f64) -> f64) -> u64 {
    if ns.is_nan() || ns <= 0.0 {
        0
    } else if ns >= u64::MAX as f64 {
        u64::MAX
    } else {
        // In range and non-negative: the cast is exact after rounding.
        round(ns) as u64
    }
}

#[allow(clippy::cast_precision_loss)]
fn nanos_to_f64(ns: u64) -> f64 {
    // Loses precision only above 2^53 ns (~104 days of debt): irrelevant here.
    ns as f64
}

/// Whole seconds to put in a `Retry-After` / `x-retry-after` header, rounded
/// up so a client that obeys it never comes back too early.
#[must_use]
pub fn header_seconds(wait: Duration) -> u64 {
    wait.as_secs() + u64::from(wait.subsec_nanos() > 0)
}

/// Token bucket as used by Amazon SP-API usage plans: each operation has a
/// `rate` (tokens added per second, as low as 0.0167 or 0.0056 rps) and a
/// `burst` (bucket size, 1..30); a request spends one token and is throttled
/// (HTTP 429) when none is left. The bucket starts full.
///
/// Implemented as GCRA: one integer "theoretical arrival time" in nanoseconds
/// since construction. The per-token interval is `1e9 / rate` rounded *up* to
/// a whole nanosecond, so the bucket is never more generous than the
/// published rate, and there is no per-call float accumulation to drift.
#[derive(Debug, Clone)]
pub struct TokenBucket {
    rate_per_sec: f64,
    burst: f64,
    interval_ns: u64,
    tolerance_ns: u64,
    origin: Instant,
    tat_ns: u64,
}

impl TokenBucket {
    /// A full bucket refilling at `rate_per_sec` up to `burst` tokens.
    ///
    /// # Errors
    /// Rate not finite and positive, or burst not finite and `>= 1`.
    pub fn new(rate_per_sec: f64, burst: f64, now: Instant) -> Result<Self, LimitError> {
        let mut bucket = Self {
            rate_per_sec: check_rate(rate_per_sec)?,
            burst: check_capacity(burst)?,
            interval_ns: 0,
            tolerance_ns: 0,
            origin: now,
            tat_ns: 0,
        };
        bucket.recompute();
        Ok(bucket)
    }

    /// Client-side pacing: refill at `fraction` of the published rate (e.g.
    /// 0.5 leaves half of a usage plan shared by several processes to others).
    /// The burst is unchanged.
    ///
    /// # Errors
    /// `fraction` outside `(0, 1]`.
    pub fn with_target_fraction(mut self, fraction: f64) -> Result<Self, LimitError> {
        self.rate_per_sec *= check_fraction(fraction)?;
        self.recompute();
        Ok(self)
    }

    fn recompute(&mut self) {
        self.interval_ns = f64_to_nanos(NANOS_PER_SEC / self.rate_per_sec, f64::ceil).max(1);
        self.tolerance_ns = f64_to_nanos(self.burst * nanos_to_f64(self.interval_ns), f64::floor);
    }

    /// Effective refill rate (after any target fraction), tokens per second.
    #[must_use]
    pub fn rate_per_sec(&self) -> f64 {
        self.rate_per_sec
    }

    /// Bucket size.
    #[must_use]
    pub fn burst(&self) -> f64 {
        self.burst
    }

    /// Re-rates the bucket when the server reports a different rate (SP-API
    /// returns the current one in `x-amzn-RateLimit-Limit`), keeping the
    /// current token count.
    ///
    /// # Errors
    /// Rate not finite and positive; the bucket is left unchanged.
    pub fn update_rate(&mut self, rate_per_sec: f64, now: Instant) -> Result<(), LimitError> {
        let rate = check_rate(rate_per_sec)?;
        let t = nanos_since(self.origin, now);
        let debt_tokens = nanos_to_f64(self.tat_ns.saturating_sub(t)) / nanos_to_f64(self.interval_ns);
        self.rate_per_sec = rate;
        self.recompute();
        let debt_ns = f64_to_nanos(debt_tokens * nanos_to_f64(self.interval_ns), f64::ceil);
        self.tat_ns = t.saturating_add(debt_ns);
        Ok(())
    }

    /// Tokens currently in the bucket (fractional), in `[0, burst]`.
    #[must_use]
    pub fn available(&self, now: Instant) -> f64 {
        let t = nanos_since(self.origin, now);
        let debt = self.tat_ns.saturating_sub(t).min(self.tolerance_ns);
        nanos_to_f64(self.tolerance_ns - debt) / nanos_to_f64(self.interval_ns)
    }

    fn admit(&self, t: u64) -> Result<u64, Duration> {
        let new_tat = self.tat_ns.max(t).saturating_add(self.interval_ns);
        let ahead = new_tat - t;
        if ahead <= self.tolerance_ns { Ok(new_tat) } else { Err(Duration::from_nanos(ahead - self.tolerance_ns)) }
    }

    /// Takes one token, or returns how long to wait until one is available.
    ///
    /// # Errors
    /// The bucket is empty; the `Duration` is the exact wait.
    pub fn try_take(&mut self, now: Instant) -> Result<(), Duration> {
        let t = nanos_since(self.origin, now);
        self.tat_ns = self.admit(t)?;
        Ok(())
    }

    /// How long until `try_take` would succeed (zero if it would now).
    #[must_use]
    pub fn wait_time(&self, now: Instant) -> Duration {
        self.admit(nanos_since(self.origin, now)).err().unwrap_or(Duration::ZERO)
    }
}

/// The `throttleStatus` object Shopify returns in `extensions.cost` of every
/// GraphQL Admin response.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ThrottleStatus {
    /// `maximumAvailable`: bucket size in points.
    pub maximum_available: f64,
    /// `currentlyAvailable`: points left right now.
    pub currently_available: f64,
    /// `restoreRate`: points restored per second.
    pub restore_rate: f64,
}

/// Why the sandbox refused to run a query.
#[derive(Debug, Clone, Copy, PartialEq, thiserror::Error)]
pub enum ReserveError {
    /// The query costs more than the whole bucket: it can never run, waiting
    /// does not help (Shopify's `MAX_COST_EXCEEDED`).
    #[error("query cost {requested} exceeds maximum {maximum}")]
    MaxCostExceeded { requested: f64, maximum: f64 },
    /// Not enough points right now (Shopify's `THROTTLED`).
    #[error("throttled: cost {requested}, available {available}, retry after {retry_after:?}")]
    Throttled { requested: f64, available: f64, restore_rate: f64, retry_after: Duration },
    /// Cost was negative, NaN or infinite.
    #[error("invalid query cost {0}")]
    InvalidCost(f64),
}

/// Points held for a query between reservation and execution; settle it with
/// [`LeakyBucket::settle`] to refund `requested - actual`.
#[derive(Debug, Clone, Copy, PartialEq)]
#[must_use = "settle the reservation to refund unused points"]
pub struct Reservation {
    /// The requested (upper-bound) query cost that was withdrawn.
    pub requested: f64,
}

/// Shopify GraphQL Admin cost-based leaky bucket: a bucket of
/// `maximumAvailable` points restored at `restoreRate` points/s (100/200/1000/
/// 2000 by plan). A query needs its *requested* cost available before it runs;
/// afterwards the difference between requested and *actual* cost is refunded.
///
/// Stored as the integer nanosecond at which the bucket is full again, so the
/// available amount is derived, never accumulated.
#[derive(Debug, Clone)]
pub struct LeakyBucket {
    capacity: f64,
    published_restore: f64,
    fraction: f64,
    origin: Instant,
    full_at_ns: u64,
}

impl LeakyBucket {
    /// A full bucket of `capacity` points restoring `restore_rate` points/s.
    ///
    /// # Errors
    /// Capacity not finite and `>= 1`, or rate not finite and positive.
    pub fn new(capacity: f64, restore_rate: f64, now: Instant) -> Result<Self, LimitError> {
        Ok(Self {
            capacity: check_capacity(capacity)?,
            published_restore: check_rate(restore_rate)?,
            fraction: 1.0,
            origin: now,
            full_at_ns: 0,
        })
    }

    /// Client-side pacing: assume points come back at only `fraction` of the
    /// published restore rate (also applied to rates from [`Self::observe`]).
    ///
    /// # Errors
    /// `fraction` outside `(0, 1]`.
    pub fn with_target_fraction(mut self, fraction: f64) -> Result<Self, LimitError> {
        self.fraction = check_fraction(fraction)?;
        Ok(self)
    }

    /// Effective restore rate in points per second.
    #[must_use]
    pub fn restore_rate(&self) -> f64 {
        self.published_restore * self.fraction
    }

    /// Bucket size in points.
    #[must_use]
    pub fn capacity(&self) -> f64 {
        self.capacity
    }

    fn points_to_ns(&self, points: f64) -> u64 {
        f64_to_nanos(points * NANOS_PER_SEC / self.restore_rate(), f64::round)
    }

    fn debt_ns(&self, t: u64) -> u64 {
        self.full_at_ns.saturating_sub(t).min(self.points_to_ns(self.capacity))
    }

    /// Points available now, always in `[0, capacity]`.
    #[must_use]
    pub fn available(&self, now: Instant) -> f64 {
        let debt = self.debt_ns(nanos_since(self.origin, now));
        let missing = nanos_to_f64(debt) * self.restore_rate() / NANOS_PER_SEC;
        (self.capacity - missing).clamp(0.0, self.capacity)
    }

    /// The status a server would report now.
    #[must_use]
    pub fn status(&self, now: Instant) -> ThrottleStatus {
        ThrottleStatus {
            maximum_available: self.capacity,
            currently_available: self.available(now),
            restore_rate: self.published_restore,
        }
    }

    /// `max(0, (cost - available) / restoreRate)`. For a cost above capacity
    /// this is the wait until full, after which the server still refuses it.
    #[must_use]
    pub fn wait_for(&self, cost: f64, now: Instant) -> Duration {
        let t = nanos_since(self.origin, now);
        let needed = self.debt_ns(t).saturating_add(self.points_to_ns(cost));
        Duration::from_nanos(needed.saturating_sub(self.points_to_ns(self.capacity)))
    }

    /// Records `cost` points spent (e.g. the `actualQueryCost` of a reply),
    /// saturating at empty.
    pub fn spend(&mut self, cost: f64, now: Instant) {
        let t = nanos_since(self.origin, now);
        let cap = self.points_to_ns(self.capacity);
        let debt = self.debt_ns(t).saturating_add(self.points_to_ns(cost));
        self.full_at_ns = t.saturating_add(debt.min(cap));
    }

    /// Gives back `points` (requested minus actual cost), saturating at full.
    /// Needs no `now`: the debt shrinks by the same amount at every instant.
    pub fn refund(&mut self, points: f64) {
        self.full_at_ns = self.full_at_ns.saturating_sub(self.points_to_ns(points));
    }

    /// Re-syncs from the server's `throttleStatus`, which is authoritative.
    ///
    /// # Errors
    /// An invalid maximum or restore rate; the bucket is left unchanged.
    pub fn observe(&mut self, status: ThrottleStatus, now: Instant) -> Result<(), LimitError> {
        let capacity = check_capacity(status.maximum_available)?;
        self.published_restore = check_rate(status.restore_rate)?;
        self.capacity = capacity;
        let missing = if status.currently_available.is_nan() {
            self.capacity
        } else {
            (self.capacity - status.currently_available).clamp(0.0, self.capacity)
        };
        self.full_at_ns = nanos_since(self.origin, now).saturating_add(self.points_to_ns(missing));
        Ok(())
    }

    /// Server side: withdraws the requested cost if it is available.
    ///
    /// # Errors
    /// [`ReserveError::MaxCostExceeded`] if the cost exceeds the capacity,
    /// [`ReserveError::Throttled`] (with the exact wait) if not enough points
    /// are left, [`ReserveError::InvalidCost`] for negative/NaN/infinite cost.
    pub fn try_reserve(&mut self, requested: f64, now: Instant) -> Result<Reservation, ReserveError> {
        if !requested.is_finite() || requested < 0.0 {
            return Err(ReserveError::InvalidCost(requested));
        }
        if requested > self.capacity {
            return Err(ReserveError::MaxCostExceeded { requested, maximum: self.capacity });
        }
        let wait = self.wait_for(requested, now);
        if !wait.is_zero() {
            return Err(ReserveError::Throttled {
                requested,
                available: self.available(now),
                restore_rate: self.restore_rate(),
                retry_after: wait,
            });
        }
        self.spend(requested, now);
        Ok(Reservation { requested })
    }

    /// Server side: refunds `requested - actual` after execution and returns
    /// the refunded points (0 if the actual cost was not lower).
    pub fn settle(&mut self, reservation: Reservation, actual_cost: f64) -> f64 {
        let refund = reservation.requested - actual_cost;
        if refund > 0.0 {
            self.refund(refund);
            refund
        } else {
            0.0
        }
    }
}

/// ShipBob: 150 requests per rolling minute (sliding window) per user and
/// application across all endpoints; a 429 carries `x-retry-after: <secs>`
/// and `x-remaining-calls`. Stores the admitted instants (at most `limit`).
#[derive(Debug, Clone)]
pub struct SlidingWindow {
    limit: u32,
    window: Duration,
    admitted: VecDeque<Instant>,
}

impl SlidingWindow {
    /// ShipBob's published default: 150 requests per 60 s.
    pub const SHIPBOB_LIMIT: u32 = 150;

    /// `limit` requests per rolling `window`.
    ///
    /// # Errors
    /// `limit == 0` or a zero window.
    pub fn new(limit: u32, window: Duration) -> Result<Self, LimitError> {
        if limit == 0 || window.is_zero() {
            return Err(LimitError::InvalidWindow);
        }
        let cap = usize::try_from(limit).unwrap_or(usize::MAX).min(4096);
        Ok(Self { limit, window, admitted: VecDeque::with_capacity(cap) })
    }

    /// 150 requests per rolling 60 s, as ShipBob documents.
    #[must_use]
    pub fn shipbob() -> Self {
        Self { limit: Self::SHIPBOB_LIMIT, window: Duration::from_mins(1), admitted: VecDeque::with_capacity(150) }
    }

    /// Client-side pacing: allow `floor(limit * fraction)` (at least 1).
    ///
    /// # Errors
    /// `fraction` outside `(0, 1]`.
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    pub fn with_target_fraction(mut self, fraction: f64) -> Result<Self, LimitError> {
        let scaled = (f64::from(self.limit) * check_fraction(fraction)?).floor();
        // scaled is in [0, limit] because fraction is in (0, 1].
        self.limit = (scaled as u32).max(1);
        Ok(self)
    }

    /// Requests allowed per window (after any target fraction).
    #[must_use]
    pub fn limit(&self) -> u32 {
        self.limit
    }

    fn in_window(&self, now: Instant) -> usize {
        self.admitted.iter().filter(|&&at| now.saturating_duration_since(at) < self.window).count()
    }

    /// Requests still allowed now (ShipBob's `x-remaining-calls`).
    #[must_use]
    pub fn remaining(&self, now: Instant) -> u32 {
        let used = u32::try_from(self.in_window(now)).unwrap_or(u32::MAX);
        self.limit.saturating_sub(used)
    }

    /// Admits one request and returns the calls remaining after it, or the
    /// wait until the oldest request in the window slides out.
    ///
    /// # Errors
    /// The window is full; the `Duration` is the exact retry-after (use
    /// [`header_seconds`] to round it up for `x-retry-after`).
    pub fn try_acquire(&mut self, now: Instant) -> Result<u32, Duration> {
        // Keep the queue sorted even if a caller passes an earlier instant.
        let now = self.admitted.back().map_or(now, |&last| now.max(last));
        while let Some(&oldest) = self.admitted.front() {
            if now.saturating_duration_since(oldest) >= self.window {
                self.admitted.pop_front();
            } else {
                break;
            }
        }
        let used = u32::try_from(self.admitted.len()).unwrap_or(u32::MAX);
        if used >= self.limit {
            let oldest = self.admitted.front().copied().unwrap_or(now);
            let wait = oldest.checked_add(self.window).map_or(self.window, |end| end.saturating_duration_since(now));
            return Err(wait);
        }
        self.admitted.push_back(now);
        Ok(self.limit - used - 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn at(start: Instant, ms: u64) -> Instant {
        start + Duration::from_millis(ms)
    }

    #[test]
    fn token_bucket_half_rps_burst_one_waits_exactly_two_seconds() {
        let t0 = Instant::now();
        let mut b = TokenBucket::new(0.5, 1.0, t0).unwrap();
        assert_eq!(b.try_take(t0), Ok(()));
        assert_eq!(b.try_take(t0), Err(Duration::from_secs(2)));
        assert_eq!(b.wait_time(at(t0, 500)), Duration::from_millis(1500));
        assert_eq!(b.try_take(at(t0, 2000)), Ok(()));
        assert_eq!(b.try_take(at(t0, 3000)), Err(Duration::from_secs(1)));
    }

    #[test]
    fn token_bucket_tiny_sp_api_rates() {
        let t0 = Instant::now();
        // getOrders-style plan: 0.0167 rps, burst 20. 1e9 / 0.0167 = 59_880_239_520.96 ns.
        let mut b = TokenBucket::new(0.0167, 20.0, t0).unwrap();
        for _ in 0..20 {
            assert_eq!(b.try_take(t0), Ok(()));
        }
        assert_eq!(b.try_take(t0), Err(Duration::from_nanos(59_880_239_521)));
        // 0.0056 rps: 1e9 / 0.0056 = 178_571_428_571.43 ns.
        let mut slow = TokenBucket::new(0.0056, 1.0, t0).unwrap();
        assert_eq!(slow.try_take(t0), Ok(()));
        assert_eq!(slow.wait_time(t0), Duration::from_nanos(178_571_428_572));
    }

    #[test]
    fn token_bucket_has_no_drift_over_ten_thousand_requests() {
        let t0 = Instant::now();
        let mut b = TokenBucket::new(0.0167, 20.0, t0).unwrap();
        let mut now = t0;
        for _ in 0..10_000 {
            let wait = b.wait_time(now);
            now += wait;
            assert_eq!(b.try_take(now), Ok(()));
        }
        let elapsed = now.duration_since(t0);
        assert_eq!(elapsed, Duration::from_nanos(9_980 * 59_880_239_521));
        let ideal = 9_980.0 / 0.0167;
        assert!((elapsed.as_secs_f64() - ideal).abs() < 1e-5);
    }

    #[test]
    fn token_bucket_available_pacing_and_rerate() {
        let t0 = Instant::now();
        let mut b = TokenBucket::new(0.5, 2.0, t0).unwrap();
        assert!((b.available(t0) - 2.0).abs() < 1e-12);
        b.try_take(t0).unwrap();
        assert!((b.available(t0) - 1.0).abs() < 1e-12);
        assert!((b.available(at(t0, 1000)) - 1.5).abs() < 1e-12);
        assert!((b.available(at(t0, 60_000)) - 2.0).abs() < 1e-12);

        let mut paced = TokenBucket::new(2.0, 1.0, t0).unwrap().with_target_fraction(0.5).unwrap();
        paced.try_take(t0).unwrap();
        assert_eq!(paced.wait_time(t0), Duration::from_secs(1));

        let mut r = TokenBucket::new(1.0, 10.0, t0).unwrap();
        for _ in 0..10 {
            r.try_take(t0).unwrap();
        }
        assert_eq!(r.wait_time(t0), Duration::from_secs(1));
        r.update_rate(2.0, t0).unwrap();
        assert_eq!(r.wait_time(t0), Duration::from_millis(500));
        assert_eq!(r.update_rate(0.0, t0), Err(LimitError::InvalidRate(0.0)));
        assert_eq!(r.wait_time(t0), Duration::from_millis(500));
    }

    #[test]
    fn constructors_reject_bad_config() {
        let t0 = Instant::now();
        assert_eq!(TokenBucket::new(0.0, 1.0, t0).unwrap_err(), LimitError::InvalidRate(0.0));
        assert_eq!(TokenBucket::new(1.0, 0.5, t0).unwrap_err(), LimitError::InvalidCapacity(0.5));
        assert!(TokenBucket::new(f64::INFINITY, 1.0, t0).is_err());
        assert_eq!(
            LeakyBucket::new(1000.0, 50.0, t0).unwrap().with_target_fraction(1.5).unwrap_err(),
            LimitError::InvalidFraction(1.5)
        );
        assert_eq!(SlidingWindow::new(0, Duration::from_mins(1)).unwrap_err(), LimitError::InvalidWindow);
        assert_eq!(SlidingWindow::new(5, Duration::ZERO).unwrap_err(), LimitError::InvalidWindow);
    }

    #[test]
    fn leaky_bucket_reserve_and_refund_like_shopify() {
        let t0 = Instant::now();
        let mut b = LeakyBucket::new(1000.0, 50.0, t0).unwrap();
        let res = b.try_reserve(100.0, t0).unwrap();
        assert!((b.available(t0) - 900.0).abs() < 1e-9);
        assert!((b.settle(res, 40.0) - 60.0).abs() < 1e-12);
        assert!((b.available(t0) - 960.0).abs() < 1e-9);
        assert_eq!(b.wait_for(1000.0, t0), Duration::from_millis(800));
        assert!(b.settle(Reservation { requested: 10.0 }, 12.0).abs() < f64::EPSILON);
        assert_eq!(
            b.try_reserve(1001.0, t0),
            Err(ReserveError::MaxCostExceeded { requested: 1001.0, maximum: 1000.0 })
        );
        assert_eq!(b.try_reserve(-1.0, t0), Err(ReserveError::InvalidCost(-1.0)));
    }

    #[test]
    fn leaky_bucket_throttles_with_exact_retry_after() {
        let t0 = Instant::now();
        let mut b = LeakyBucket::new(1000.0, 50.0, t0).unwrap();
        b.spend(950.0, t0);
        match b.try_reserve(100.0, t0) {
            Err(ReserveError::Throttled { available, retry_after, restore_rate, .. }) => {
                assert!((available - 50.0).abs() < 1e-9);
                assert_eq!(retry_after, Duration::from_secs(1));
                assert!((restore_rate - 50.0).abs() < 1e-12);
            }
            other => panic!("expected Throttled, got {other:?}"),
        }
        assert!(b.try_reserve(100.0, at(t0, 1000)).is_ok());
    }

    #[test]
    fn leaky_bucket_observe_pacing_and_saturation() {
        let t0 = Instant::now();
        let mut b = LeakyBucket::new(1000.0, 50.0, t0).unwrap();
        let status = ThrottleStatus { maximum_available: 2000.0, currently_available: 1500.0, restore_rate: 100.0 };
        b.observe(status, t0).unwrap();
        assert_eq!(b.wait_for(1700.0, t0), Duration::from_secs(2));
        assert!((b.available(at(t0, 5000)) - 2000.0).abs() < 1e-9);
        assert_eq!(b.status(t0), status);
        assert!(b.observe(ThrottleStatus { restore_rate: -1.0, maximum_available: 5.0, ..status }, t0).is_err());
        assert!((b.capacity() - 2000.0).abs() < f64::EPSILON, "unchanged on error");
        b.observe(ThrottleStatus { currently_available: f64::NAN, ..status }, t0).unwrap();
        assert!(b.available(t0).abs() < f64::EPSILON);

        let mut paced = LeakyBucket::new(1000.0, 100.0, t0).unwrap().with_target_fraction(0.5).unwrap();
        paced.spend(1000.0, t0);
        assert_eq!(paced.wait_for(100.0, t0), Duration::from_secs(2));
        paced.spend(5000.0, t0);
        assert!(paced.available(t0).abs() < f64::EPSILON);
        paced.refund(5000.0);
        assert!((paced.available(t0) - 1000.0).abs() < 1e-9);
    }

    #[test]
    fn sliding_window_shipbob_150_per_minute() {
        let t0 = Instant::now();
        let mut w = SlidingWindow::shipbob();
        for i in 0..150 {
            assert_eq!(w.try_acquire(t0), Ok(149 - i));
        }
        assert_eq!(w.try_acquire(at(t0, 35_000)), Err(Duration::from_secs(25)));
        assert_eq!(w.remaining(at(t0, 59_999)), 0);
        assert_eq!(w.remaining(at(t0, 60_000)), 150);
        assert_eq!(w.try_acquire(at(t0, 60_000)), Ok(149));
        assert_eq!(SlidingWindow::shipbob().with_target_fraction(0.5).unwrap().limit(), 75);
    }

    #[test]
    fn sliding_window_slides_one_request_at_a_time() {
        let t0 = Instant::now();
        let mut w = SlidingWindow::new(3, Duration::from_secs(10)).unwrap();
        assert_eq!(w.try_acquire(t0), Ok(2));
        assert_eq!(w.try_acquire(at(t0, 1000)), Ok(1));
        assert_eq!(w.try_acquire(at(t0, 2000)), Ok(0));
        assert_eq!(w.try_acquire(at(t0, 5000)), Err(Duration::from_secs(5)));
        assert_eq!(w.try_acquire(at(t0, 10_000)), Ok(0));
        assert_eq!(w.try_acquire(at(t0, 10_500)), Err(Duration::from_millis(500)));
        // An instant earlier than the last one is treated as the last one.
        assert_eq!(w.try_acquire(t0), Err(Duration::from_secs(1)));
    }

    #[test]
    fn header_seconds_rounds_up() {
        assert_eq!(header_seconds(Duration::from_millis(24_100)), 25);
        assert_eq!(header_seconds(Duration::from_secs(25)), 25);
        assert_eq!(header_seconds(Duration::ZERO), 0);
        assert_eq!(header_seconds(Duration::from_nanos(1)), 1);
    }

    proptest! {
        #[test]
        fn token_bucket_never_exceeds_burst_plus_rate_times_elapsed(
            rate in 0.005f64..50.0,
            burst in 1u32..30,
            gaps in proptest::collection::vec(0u64..5_000_000_000, 1..150),
        ) {
            let t0 = Instant::now();
            let mut b = TokenBucket::new(rate, f64::from(burst), t0).unwrap();
            let mut now = t0;
            let mut admitted = Vec::new();
            for gap in gaps {
                now += Duration::from_nanos(gap);
                if b.try_take(now).is_ok() {
                    admitted.push(now);
                }
            }
            for (i, first) in admitted.iter().enumerate() {
                for (j, last) in admitted.iter().enumerate().skip(i) {
                    let count = f64::from(u32::try_from(j - i + 1).unwrap());
                    let allowed = f64::from(burst) + rate * last.duration_since(*first).as_secs_f64();
                    prop_assert!(count <= allowed + 1e-9, "{count} > {allowed}");
                }
            }
        }

        #[test]
        fn leaky_bucket_stays_within_zero_and_capacity(
            ops in proptest::collection::vec((0u8..6, 0.0f64..3000.0, 0u64..30_000), 1..200),
        ) {
            let t0 = Instant::now();
            let mut b = LeakyBucket::new(1000.0, 50.0, t0).unwrap();
            let mut now = t0;
            for (op, amount, gap_ms) in ops {
                now += Duration::from_millis(gap_ms);
                match op {
                    0 => b.spend(amount, now),
                    1 => b.refund(amount),
                    2 => if let Ok(r) = b.try_reserve(amount, now) { b.settle(r, amount / 3.0); },
                    3 => { let _ = b.try_reserve(amount, now); }
                    4 => b.observe(ThrottleStatus { maximum_available: 1000.0, currently_available: amount - 1000.0, restore_rate: 50.0 }, now).unwrap(),
                    _ => { let _ = b.wait_for(amount, now); }
                }
                let a = b.available(now);
                prop_assert!((0.0..=1000.0).contains(&a), "available {a}");
            }
        }

        #[test]
        fn sliding_window_never_admits_more_than_limit_per_window(
            gaps in proptest::collection::vec(0u64..2_000, 1..300),
        ) {
            let t0 = Instant::now();
            let window = Duration::from_secs(10);
            let mut w = SlidingWindow::new(7, window).unwrap();
            let mut now = t0;
            let mut admitted = Vec::new();
            for gap in gaps {
                now += Duration::from_millis(gap);
                match w.try_acquire(now) {
                    Ok(_) => admitted.push(now),
                    Err(wait) => prop_assert!(!wait.is_zero() && wait <= window),
                }
            }
            for (i, first) in admitted.iter().enumerate() {
                let in_window = admitted[i..].iter().filter(|t| t.duration_since(*first) < window).count();
                prop_assert!(in_window <= 7);
            }
        }
    }
}
