//! Retry classification and backoff for vendor API calls.
//!
//! Backoff follows the AWS guidance ("Exponential Backoff and Jitter", AWS
//! Architecture Blog, and the AWS SDK retry behaviour): capped exponential
//! backoff with *full* or *decorrelated* jitter, and a bounded number of
//! attempts. When the server says how long to wait (`Retry-After`, or
//! ShipBob's `x-retry-after`) we obey it instead of guessing, up to
//! [`MAX_RETRY_AFTER`].
//!
//! Nothing here reads a clock or an OS random source: jitter comes from a
//! caller-supplied `u64` seed run through a tiny internal xorshift, so every
//! delay is reproducible in tests.

// Vendor names such as ShipBob are proper nouns in prose, not code items.
#![allow(clippy::doc_markdown)]

use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// Longest server-requested wait we obey. A larger `Retry-After` is clamped to
/// this (reported as [`DelaySource::RetryAfterCapped`]) so one bad header
/// cannot park a poller for hours; the retry may then be throttled again.
pub const MAX_RETRY_AFTER: Duration = Duration::from_mins(2);

/// Values above this are rejected by [`parse_retry_after`] as nonsense (e.g.
/// an epoch timestamp sent where seconds were expected).
pub const ABSURD_RETRY_AFTER: Duration = Duration::from_hours(24);

/// Whether a failure is worth retrying.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Retry {
    /// Transient: throttling, server overload, gateway errors, timeouts.
    Yes,
    /// Permanent: the same request will fail the same way.
    No,
}

/// Transport-level failures (no HTTP status was received).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Transport {
    /// Connect or read timed out.
    Timeout,
    /// Connection reset or closed before a response arrived.
    Reset,
    /// Anything else (DNS, TLS, invalid URL...): not transient.
    Other,
}

/// Classifies an HTTP status: 429 (throttled: SP-API, Shopify and ShipBob all
/// use it) and 500/502/503/504 are retried; every other status, in particular
/// 400/401/403/404, is not. 408 is deliberately not retried (not in the
/// vendors' retry guidance). Callers must still decide whether a
/// non-idempotent request that may have executed is safe to resend.
#[must_use]
pub fn classify(status: u16) -> Retry {
    match status {
        429 | 500 | 502 | 503 | 504 => Retry::Yes,
        _ => Retry::No,
    }
}

/// Classifies a transport failure: timeouts and resets are retried.
#[must_use]
pub fn classify_transport(failure: Transport) -> Retry {
    match failure {
        Transport::Timeout | Transport::Reset => Retry::Yes,
        Transport::Other => Retry::No,
    }
}

/// Jitter strategy (both from the AWS backoff-and-jitter analysis).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Jitter {
    /// Uniform in `[0, min(cap, base * 2^(attempt-1))]`.
    Full,
    /// `d = min(cap, uniform[base, 3 * previous d])`, starting from `base`.
    Decorrelated,
}

/// Where a delay came from, for logging.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DelaySource {
    /// Computed backoff with jitter.
    Backoff,
    /// The server's `Retry-After`, obeyed as given.
    RetryAfter,
    /// The server's `Retry-After` was above [`RetryPolicy::max_retry_after`]
    /// and was clamped to it.
    RetryAfterCapped,
}

/// Retry configuration. Defaults: base 500 ms, cap 30 s, 5 attempts in total
/// (first try included), full jitter, Retry-After obeyed up to 120 s.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// First backoff step.
    pub base: Duration,
    /// Largest computed backoff.
    pub cap: Duration,
    /// Total attempts, including the first one.
    pub max_attempts: u32,
    /// Jitter strategy.
    pub jitter: Jitter,
    /// Largest server-requested wait that is obeyed.
    pub max_retry_after: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            base: Duration::from_millis(500),
            cap: Duration::from_secs(30),
            max_attempts: 5,
            jitter: Jitter::Full,
            max_retry_after: MAX_RETRY_AFTER,
        }
    }
}

fn to_nanos(d: Duration) -> u64 {
    u64::try_from(d.as_nanos()).unwrap_or(u64::MAX)
}

/// Tiny xorshift64 generator; the seed is scrambled so 0 and small seeds work.
struct XorShift(u64);

impl XorShift {
    fn new(seed: u64, stream: u64) -> Self {
        let mut z = seed ^ stream.wrapping_mul(0x9E37_79B9_7F4A_7C15);
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^= z >> 31;
        Self(if z == 0 { 0x2545_F491_4F6C_DD1D } else { z })
    }

    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    /// Uniform-ish in `[lo, hi]` (modulo bias is negligible for these spans).
    fn between(&mut self, lo: u64, hi: u64) -> u64 {
        if hi <= lo {
            return lo;
        }
        let span = hi - lo;
        let r = self.next();
        lo + if span == u64::MAX { r } else { r % (span + 1) }
    }
}

impl RetryPolicy {
    /// Whether attempt number `attempts_made + 1` should happen.
    #[must_use]
    pub fn should_retry(&self, attempts_made: u32, retry: Retry) -> bool {
        retry == Retry::Yes && attempts_made < self.max_attempts
    }

    /// The wait before the next attempt, or `None` to give up (permanent
    /// error or attempts exhausted). `attempts_made` counts the first try.
    #[must_use]
    pub fn next_delay(
        &self,
        attempts_made: u32,
        retry: Retry,
        retry_after: Option<Duration>,
        seed: u64,
    ) -> Option<Duration> {
        self.should_retry(attempts_made, retry).then(|| self.delay(attempts_made, retry_after, seed))
    }

    /// Delay before retry number `attempt` (1 = first retry; 0 is treated as
    /// 1). Never above `cap`, or above `max_retry_after` when the server gave
    /// a `Retry-After`, which then wins over the computed backoff.
    #[must_use]
    pub fn delay(&self, attempt: u32, retry_after: Option<Duration>, seed: u64) -> Duration {
        self.delay_with_source(attempt, retry_after, seed).0
    }

    /// [`Self::delay`] plus where the value came from.
    #[must_use]
    pub fn delay_with_source(&self, attempt: u32, retry_after: Option<Duration>, seed: u64) -> (Duration, DelaySource) {
        match retry_after {
            Some(ra) if ra > self.max_retry_after => (self.max_retry_after, DelaySource::RetryAfterCapped),
            Some(ra) => (ra, DelaySource::RetryAfter),
            None => (self.backoff(attempt.max(1), seed), DelaySource::Backoff),
        }
    }

    fn backoff(&self, attempt: u32, seed: u64) -> Duration {
        let base = to_nanos(self.base);
        let cap = to_nanos(self.cap);
        let nanos = match self.jitter {
            Jitter::Full => {
                let shift = (attempt - 1).min(63);
                let ceiling = base.saturating_mul(1u64 << shift).min(cap);
                XorShift::new(seed, u64::from(attempt)).between(0, ceiling)
            }
            Jitter::Decorrelated => {
                // Stateless replay of the chain d_i = uniform[base, 3 d_{i-1}].
                let mut prev = base;
                for step in 1..=attempt.min(64) {
                    let hi = prev.saturating_mul(3).min(cap.max(base));
                    prev = XorShift::new(seed, u64::from(step)).between(base, hi);
                }
                prev
            }
        };
        Duration::from_nanos(nanos.min(cap))
    }
}

/// Parses `Retry-After` (RFC 9110) or ShipBob's `x-retry-after`.
///
/// Accepts integer seconds (`"25"`), decimal seconds (`"2.0"`, as Shopify's
/// REST API sends) and the IMF-fixdate form (`"Sun, 06 Nov 1994 08:49:37
/// GMT"`) when `now` is given; a date in the past yields zero. The obsolete
/// RFC 850 and asctime date forms are not supported. Returns `None` for
/// signs, exponents, NaN/inf, empty input, unparsable dates and anything above
/// [`ABSURD_RETRY_AFTER`].
#[must_use]
pub fn parse_retry_after(header: &str, now: Option<SystemTime>) -> Option<Duration> {
    let s = header.trim();
    if s.bytes().next().is_some_and(|b| b.is_ascii_digit()) {
        parse_seconds(s)
    } else {
        let date = parse_imf_fixdate(s)?;
        let wait = date.duration_since(now?).unwrap_or(Duration::ZERO);
        (wait <= ABSURD_RETRY_AFTER).then_some(wait)
    }
}

fn all_digits(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

fn parse_seconds(s: &str) -> Option<Duration> {
    let (int, frac) = s.split_once('.').unwrap_or((s, "0"));
    if !all_digits(int) || !all_digits(frac) {
        return None;
    }
    let secs: f64 = s.parse().ok()?;
    if !secs.is_finite() || secs > ABSURD_RETRY_AFTER.as_secs_f64() {
        return None;
    }
    Some(Duration::from_secs_f64(secs))
}

fn days_in_month(year: i64, month: i64) -> i64 {
    let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    match month {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (March-based years).
fn days_since_epoch(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let year_of_era = y - era * 400;
    let day_of_year = (153 * ((month + 9) % 12) + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

fn parse_imf_fixdate(s: &str) -> Option<SystemTime> {
    const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
    let parts: Vec<&str> = s.split(' ').collect();
    let [weekday, day, month, year, time, "GMT"] = parts.as_slice() else {
        return None;
    };
    if weekday.len() != 4 || !weekday.ends_with(',') || day.len() != 2 || year.len() != 4 {
        return None;
    }
    let month = (1..=12).zip(MONTHS).find(|(_, m)| m == month)?.0;
    let num = |t: &str| all_digits(t).then(|| t.parse::<i64>().ok()).flatten();
    let (year, day) = (num(year)?, num(day)?);
    let hms: Vec<i64> = time.split(':').map(num).collect::<Option<_>>()?;
    let [h, m, sec] = hms.as_slice() else {
        return None;
    };
    let valid = year >= 1970 && (1..=days_in_month(year, month)).contains(&day) && *h < 24 && *m < 60 && *sec < 61;
    if !valid {
        return None;
    }
    let secs = days_since_epoch(year, month, day) * 86_400 + h * 3600 + m * 60 + sec;
    UNIX_EPOCH.checked_add(Duration::from_secs(u64::try_from(secs).ok()?))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn classify_retries_only_transient_statuses() {
        for status in [429, 500, 502, 503, 504] {
            assert_eq!(classify(status), Retry::Yes, "{status}");
        }
        for status in [200, 204, 400, 401, 403, 404, 408, 409, 422, 501, 505] {
            assert_eq!(classify(status), Retry::No, "{status}");
        }
        assert_eq!(classify_transport(Transport::Timeout), Retry::Yes);
        assert_eq!(classify_transport(Transport::Reset), Retry::Yes);
        assert_eq!(classify_transport(Transport::Other), Retry::No);
    }

    #[test]
    fn defaults_match_documented_values() {
        let p = RetryPolicy::default();
        assert_eq!(p.base, Duration::from_millis(500));
        assert_eq!(p.cap, Duration::from_secs(30));
        assert_eq!(p.max_attempts, 5);
        assert_eq!(p.max_retry_after, Duration::from_mins(2));
    }

    #[test]
    fn full_jitter_ceiling_doubles_then_caps() {
        let p = RetryPolicy::default();
        // attempt n ceiling: 0.5, 1, 2, 4, 8, 16, 30 (32 capped) seconds.
        for (attempt, ceiling_ms) in [(1, 500), (2, 1000), (3, 2000), (6, 16_000), (7, 30_000), (40, 30_000)] {
            let max = (0..2000).map(|s| p.delay(attempt, None, s)).max().unwrap();
            assert!(max <= Duration::from_millis(ceiling_ms), "attempt {attempt}: {max:?}");
            assert!(max >= Duration::from_millis(ceiling_ms * 99 / 100), "attempt {attempt}: {max:?}");
        }
        assert_eq!(p.delay(3, None, 42), p.delay(3, None, 42));
        assert_eq!(p.delay(0, None, 42), p.delay(1, None, 42));
    }

    #[test]
    fn decorrelated_jitter_first_step_is_between_base_and_three_base() {
        let p = RetryPolicy { jitter: Jitter::Decorrelated, ..RetryPolicy::default() };
        let first: Vec<Duration> = (0..2000).map(|s| p.delay(1, None, s)).collect();
        assert!(first.iter().all(|d| (Duration::from_millis(500)..=Duration::from_millis(1500)).contains(d)));
        assert!(first.iter().max().unwrap() >= &Duration::from_millis(1480));
        assert!((0..2000).all(|s| p.delay(30, None, s) <= Duration::from_secs(30)));
    }

    #[test]
    fn retry_after_is_obeyed_and_capped() {
        let p = RetryPolicy::default();
        assert_eq!(
            p.delay_with_source(1, Some(Duration::from_secs(25)), 7),
            (Duration::from_secs(25), DelaySource::RetryAfter)
        );
        assert_eq!(p.delay(5, Some(Duration::from_secs(2)), 7), Duration::from_secs(2));
        assert_eq!(
            p.delay_with_source(1, Some(Duration::from_mins(5)), 7),
            (Duration::from_mins(2), DelaySource::RetryAfterCapped)
        );
    }

    #[test]
    fn next_delay_bounds_attempts() {
        let p = RetryPolicy::default();
        assert!(p.next_delay(4, Retry::Yes, None, 1).is_some());
        assert_eq!(p.next_delay(5, Retry::Yes, None, 1), None);
        assert_eq!(p.next_delay(1, Retry::No, Some(Duration::from_secs(1)), 1), None);
        assert_eq!(p.next_delay(1, classify(429), Some(Duration::from_secs(25)), 1), Some(Duration::from_secs(25)));
    }

    #[test]
    fn parse_retry_after_numeric_forms() {
        assert_eq!(parse_retry_after("25", None), Some(Duration::from_secs(25)));
        assert_eq!(parse_retry_after("2.0", None), Some(Duration::from_secs(2)));
        assert_eq!(parse_retry_after("1.5", None), Some(Duration::from_millis(1500)));
        assert_eq!(parse_retry_after(" 7 ", None), Some(Duration::from_secs(7)));
        assert_eq!(parse_retry_after("0", None), Some(Duration::ZERO));
        assert_eq!(parse_retry_after("86400", None), Some(Duration::from_hours(24)));
        for bad in [
            "",
            " ",
            "-1",
            "+5",
            "NaN",
            "nan",
            "inf",
            "1e3",
            "2.",
            ".5",
            "1.2.3",
            "abc",
            "5s",
            "86401",
            "99999999999999999999999",
        ] {
            assert_eq!(parse_retry_after(bad, None), None, "{bad:?}");
        }
    }

    #[test]
    // Unix timestamps are hand-checked in seconds, so keep them in seconds.
    #[allow(clippy::duration_suboptimal_units)]
    fn parse_retry_after_http_date() {
        let date = "Wed, 21 Oct 2015 07:28:00 GMT";
        let instant = UNIX_EPOCH + Duration::from_secs(1_445_412_480);
        assert_eq!(parse_retry_after(date, Some(instant - Duration::from_secs(30))), Some(Duration::from_secs(30)));
        assert_eq!(parse_retry_after(date, Some(instant + Duration::from_secs(5))), Some(Duration::ZERO));
        assert_eq!(parse_retry_after(date, None), None);
        let rfc_example = UNIX_EPOCH + Duration::from_secs(784_111_777);
        assert_eq!(parse_retry_after("Sun, 06 Nov 1994 08:49:37 GMT", Some(rfc_example)), Some(Duration::ZERO));
        assert_eq!(
            parse_retry_after("Tue, 29 Feb 2000 00:00:10 GMT", Some(UNIX_EPOCH + Duration::from_secs(951_782_400))),
            Some(Duration::from_secs(10))
        );
        for bad in [
            "Sun, 31 Feb 1994 08:49:37 GMT",
            "Sunday, 06-Nov-94 08:49:37 GMT",
            "Sun Nov  6 08:49:37 1994",
            "Sun, 06 Nov 1994 08:49:37 UTC",
            "Sun, 06 Nov 1994 25:00:00 GMT",
        ] {
            assert_eq!(parse_retry_after(bad, Some(UNIX_EPOCH)), None, "{bad:?}");
        }
        assert_eq!(parse_retry_after(date, Some(UNIX_EPOCH)), None, "years away is absurd");
    }

    fn policy() -> impl Strategy<Value = RetryPolicy> {
        (0u64..5_000, 0u64..120_000, 0u32..10, any::<bool>(), 0u64..300).prop_map(
            |(base, cap, max_attempts, full, max_ra)| RetryPolicy {
                base: Duration::from_millis(base),
                cap: Duration::from_millis(cap),
                max_attempts,
                jitter: if full { Jitter::Full } else { Jitter::Decorrelated },
                max_retry_after: Duration::from_secs(max_ra),
            },
        )
    }

    proptest! {
        #[test]
        fn backoff_never_exceeds_cap(p in policy(), attempt in any::<u32>(), seed in any::<u64>()) {
            prop_assert!(p.delay(attempt, None, seed) <= p.cap);
        }

        #[test]
        fn retry_after_is_exactly_the_capped_value(p in policy(), attempt in any::<u32>(), seed in any::<u64>(), ra in 0u64..1_000_000) {
            let ra = Duration::from_millis(ra);
            prop_assert_eq!(p.delay(attempt, Some(ra), seed), ra.min(p.max_retry_after));
        }

        #[test]
        fn attempts_are_bounded(p in policy(), seed in any::<u64>(), status in 100u16..600) {
            let mut attempts_made = 1;
            while p.next_delay(attempts_made, classify(status), None, seed).is_some() {
                attempts_made += 1;
                prop_assert!(attempts_made <= p.max_attempts.max(1));
            }
        }

        #[test]
        fn parse_never_panics_or_returns_absurd(s in "\\PC{0,40}", secs in 0u64..2_000_000_000) {
            let now = Some(UNIX_EPOCH + Duration::from_secs(secs));
            if let Some(d) = parse_retry_after(&s, now) {
                prop_assert!(d <= ABSURD_RETRY_AFTER);
            }
        }
    }
}
