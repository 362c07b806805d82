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
