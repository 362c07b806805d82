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

use std::time::Duration;

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

/// The wait before connect retry number `attempt` (0-based): 100 ms doubling,
/// at most 3.2 s.
pub(crate) fn connect_backoff(attempt: u32) -> Duration {
    Duration::from_millis(100u64 << attempt.min(5))
}

/// The `Retry-After` of a response, in seconds as the vendor sends it.
pub(crate) fn retry_after(headers: &reqwest::header::HeaderMap) -> Option<Duration> {
    headers
        .get(reqwest::header::RETRY_AFTER)?
        .to_str()
        .ok()?
        .trim()
        .parse::<u64>()
        .ok()
        .map(Duration::from_secs)
}
