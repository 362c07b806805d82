//! The retry policy: which failures the client may send again, and how often.
//!
//! `create_client` is not idempotent, so the client never resends a request
//! that may have reached the server. Two failures are safe, because the
//! request was certainly not processed, and the client retries them only when
//! asked to, a bounded number of times:
//! - a connection that could not be established (the request never left);
//! - a 429 answer, whose `Retry-After` says when the rate limiter lets the
//!   caller in again (the vendor rejects rate-limited requests before doing
//!   anything with them).
//!
//! Timeouts, resets after the request was sent, 5xx answers and every other
//! failure are returned to the caller at once.

use std::time::{Duration, SystemTime};

/// Which safe failures the client retries. The default retries nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct RetryPolicy {
    /// How many times to retry a request whose connection could not be
    /// established. Waits 100 ms, then 200 ms, 400 ms, … between attempts.
    pub connect_retries: u32,
    /// How many times to retry a request answered 429.
    pub rate_limited_retries: u32,
    /// The longest `Retry-After` the client waits; a 429 asking for longer is
    /// returned to the caller.
    pub max_rate_limit_wait: Duration,
}

impl RetryPolicy {
    /// Retries nothing: every failure is returned at once.
    pub const NONE: RetryPolicy = RetryPolicy {
        connect_retries: 0,
        rate_limited_retries: 0,
        max_rate_limit_wait: Duration::ZERO,
    };

    /// Retries a failed connection up to `retries` times.
    #[must_use]
    pub fn connect_retries(mut self, retries: u32) -> Self {
        self.connect_retries = retries;
        self
    }

    /// Retries a 429 up to `retries` times, waiting as its `Retry-After` says
    /// when that is at most `max_wait`.
    #[must_use]
    pub fn rate_limited_retries(mut self, retries: u32, max_wait: Duration) -> Self {
        self.rate_limited_retries = retries;
        self.max_rate_limit_wait = max_wait;
        self
    }

    pub(crate) fn retries_anything(&self) -> bool {
        self.connect_retries > 0 || self.rate_limited_retries > 0
    }
}

/// The retries of one call: after each failed attempt, whether to send the
/// request again and after how long a wait. The schedule lives here, apart
/// from the sending (`auth.rs`), so that its tests need no clock.
#[derive(Debug)]
pub(crate) struct Retries {
    policy: RetryPolicy,
    connects: u32,
    rate_limits: u32,
}

impl Retries {
    pub(crate) fn new(policy: RetryPolicy) -> Self {
        Self {
            policy,
            connects: 0,
            rate_limits: 0,
        }
    }

    /// After a connection that could not be established: the wait before
    /// the next attempt, or `None` when the policy's retries are spent.
    pub(crate) fn after_connect_failure(&mut self) -> Option<Duration> {
        if self.connects >= self.policy.connect_retries {
            return None;
        }
        let wait = connect_backoff(self.connects);
        self.connects += 1;
        Some(wait)
    }

    /// After a 429 with these headers: its `Retry-After`, when it has one no
    /// longer than the policy waits and retries are left; else `None`.
    pub(crate) fn after_rate_limit(
        &mut self,
        headers: &reqwest::header::HeaderMap,
    ) -> Option<Duration> {
        if self.rate_limits >= self.policy.rate_limited_retries {
            return None;
        }
        let wait = retry_after(headers).filter(|wait| *wait <= self.policy.max_rate_limit_wait)?;
        self.rate_limits += 1;
        Some(wait)
    }
}

/// The wait before connect retry number `attempt` (0-based): 100 ms doubling,
/// at most 3.2 s.
pub(crate) fn connect_backoff(attempt: u32) -> Duration {
    Duration::from_millis(100u64 << attempt.min(5))
}

/// A response's `Retry-After` header (RFC 9110, section 10.2.3), read: a
/// number of seconds (what the vendor sends on a 429) or an HTTP date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RetryAfter {
    /// `Retry-After: 4`: wait that long.
    Delay(Duration),
    /// `Retry-After: Wed, 21 Oct 2026 07:28:00 GMT`: wait until then.
    At(SystemTime),
}

impl RetryAfter {
    /// The header of `headers`, when it is there and is one of the two forms;
    /// `None` for a missing, empty or unreadable one.
    pub(crate) fn from_headers(headers: &reqwest::header::HeaderMap) -> Option<Self> {
        let value = headers
            .get(reqwest::header::RETRY_AFTER)?
            .to_str()
            .ok()?
            .trim();
        // delta-seconds is 1*DIGIT: no sign, no fraction.
        if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) {
            return value
                .parse()
                .ok()
                .map(|s| Self::Delay(Duration::from_secs(s)));
        }
        httpdate::parse_http_date(value).ok().map(Self::At)
    }

    /// How long to wait from `now`: the delay, or the time left until the
    /// date (zero once it has passed).
    pub(crate) fn wait_from(self, now: SystemTime) -> Duration {
        match self {
            Self::Delay(wait) => wait,
            Self::At(at) => at.duration_since(now).unwrap_or(Duration::ZERO),
        }
    }
}

impl std::fmt::Display for RetryAfter {
    /// `in 4 s`, or `after Wed, 21 Oct 2026 07:28:00 GMT`: the date is
    /// written back in the header's own form, not as a wait from the clock
    /// of whoever reads the message later.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Delay(wait) => write!(f, "in {} s", wait.as_secs()),
            Self::At(at) => write!(f, "after {}", httpdate::fmt_http_date(*at)),
        }
    }
}

/// How long a response's `Retry-After` says to wait from now.
pub(crate) fn retry_after(headers: &reqwest::header::HeaderMap) -> Option<Duration> {
    RetryAfter::from_headers(headers).map(|r| r.wait_from(SystemTime::now()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::{HeaderMap, HeaderValue, RETRY_AFTER};

    fn retry_after_secs(seconds: &'static str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(RETRY_AFTER, HeaderValue::from_static(seconds));
        headers
    }

    #[test]
    fn connect_failures_wait_100_ms_doubling_up_to_3_2_s_as_often_as_asked() {
        let mut retries = Retries::new(RetryPolicy::NONE.connect_retries(8));
        let waits: Vec<u64> = std::iter::from_fn(|| retries.after_connect_failure())
            .map(|w| w.as_millis() as u64)
            .collect();
        assert_eq!(waits, [100, 200, 400, 800, 1600, 3200, 3200, 3200]);
        assert_eq!(
            Retries::new(RetryPolicy::NONE).after_connect_failure(),
            None
        );
    }

    #[test]
    fn retry_after_reads_seconds_and_http_dates_and_nothing_else() {
        let read = |value: &'static str| RetryAfter::from_headers(&retry_after_secs(value));
        assert_eq!(read("4"), Some(RetryAfter::Delay(Duration::from_secs(4))));
        assert_eq!(read(" 0 "), Some(RetryAfter::Delay(Duration::ZERO)));
        let date = read("Wed, 21 Oct 2026 07:28:00 GMT").expect("an HTTP date");
        assert_eq!(date.to_string(), "after Wed, 21 Oct 2026 07:28:00 GMT");
        let RetryAfter::At(at) = date else {
            panic!("{date:?}")
        };
        assert_eq!(
            date.wait_from(at - Duration::from_secs(90)),
            Duration::from_secs(90)
        );
        assert_eq!(date.wait_from(at + Duration::from_secs(1)), Duration::ZERO);
        // The obsolete date forms RFC 9110 still asks recipients to accept.
        assert_eq!(read("Wednesday, 21-Oct-26 07:28:00 GMT"), Some(date));
        assert_eq!(read("Wed Oct 21 07:28:00 2026"), Some(date));
        for garbage in [
            "",
            "soon",
            "-4",
            "4.5",
            "+4",
            "4 s",
            "99999999999999999999999",
        ] {
            assert_eq!(read(garbage), None, "{garbage:?}");
        }
        assert_eq!(RetryAfter::from_headers(&HeaderMap::new()), None);
        assert_eq!(read("4").map(|r| r.to_string()).as_deref(), Some("in 4 s"));
    }

    #[test]
    fn a_429_waits_as_retry_after_says_within_the_bound() {
        let policy = RetryPolicy::NONE.rate_limited_retries(2, Duration::from_secs(2));
        let mut retries = Retries::new(policy);
        assert_eq!(
            retries.after_rate_limit(&retry_after_secs("1")),
            Some(Duration::from_secs(1))
        );
        assert_eq!(
            retries.after_rate_limit(&retry_after_secs("2")),
            Some(Duration::from_secs(2))
        );
        // The two retries are spent.
        assert_eq!(retries.after_rate_limit(&retry_after_secs("1")), None);

        let mut retries = Retries::new(policy);
        // Longer than the bound, or no usable Retry-After: returned at once.
        assert_eq!(retries.after_rate_limit(&retry_after_secs("60")), None);
        assert_eq!(retries.after_rate_limit(&HeaderMap::new()), None);
        assert_eq!(retries.after_rate_limit(&retry_after_secs("soon")), None);
        // None of those used up a retry.
        assert_eq!(
            retries.after_rate_limit(&retry_after_secs("0")),
            Some(Duration::ZERO)
        );
        // The default policy retries nothing.
        assert_eq!(
            Retries::new(RetryPolicy::NONE).after_rate_limit(&retry_after_secs("1")),
            None
        );
    }
}
