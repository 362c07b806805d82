//! Pacing: keeping a client's requests at or under the vendor's rate, so that
//! it never earns the vendor's doubling penalty block.
//!
//! The vendor allows 15 requests a second per IP address and 15 per company
//! (the key's), and answers a request over either limit with a block of 1 s,
//! then 2 s, 4 s, … up to an hour from the 12th violation on, forgiven only
//! after an hour of clean traffic (`openapi/vendor/integration/rate-limiting.mdx`,
//! `openapi/DECISIONS.md` D-RL1). A [`Pacer`] spaces requests evenly at a
//! rate under that, and makes a request that comes too early wait its turn,
//! in the order the requests came: it queues, it never fails.
//!
//! Every clone of a [`Client`](crate::Client) shares its pacer (the pacer is
//! behind an `Arc` in the client's settings). Several clients of one company
//! (or of one IP address) share one when the caller hands the same pacer to
//! each builder ([`ClientBuilder::pacer`](crate::ClientBuilder::pacer)).
//!
//! It is not a retry policy: what the vendor answers `429` all the same (a
//! limit shared with other processes) is the retry policy's
//! (`src/retry.rs`). But a `429` holds the pacer until its `Retry-After`
//! has passed: the vendor's block rejects every request of the IP address
//! or company meanwhile, so no clone sends one to be rejected.
//!
//! The limiter is `governor`'s GCRA over a clock of tokio's
//! ([`TokioClock`]), and the wait is `tokio::time::sleep_until`, not
//! governor's own `until_ready` (which sleeps on `futures-timer`, a clock
//! of its own): so a test with tokio's paused clock sees the client wait
//! exactly as long as it would for real, without waiting (ARCHITECTURE.md,
//! "Pacing and retries").

use std::fmt;
use std::num::NonZeroU32;
use std::ops::Add;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use governor::clock::{Clock, Reference};
use governor::middleware::NoOpMiddleware;
use governor::nanos::Nanos;
use governor::state::{InMemoryState, NotKeyed};
use governor::{Quota, RateLimiter};

use crate::ConfigError;

/// The vendor's limit: requests per second, per IP address and per company.
pub const VENDOR_REQUESTS_PER_SECOND: u32 = 15;

/// The rate a client keeps to by default: 14 requests a second, evenly
/// spaced (one every 71.4 ms). One under the vendor's 15, so that requests
/// that left on time but arrive bunched by the network (up to about 70 ms
/// apart from where they should be) still make at most 15 in any second
/// (`openapi/DECISIONS.md` D-RL2).
pub const DEFAULT_REQUESTS_PER_SECOND: u32 = 14;

/// A rate limiter for requests, shared by every clone of the clients built
/// with it. Cloning a pacer shares it.
///
/// ```no_run
/// # fn run() -> Result<(), cryptomate::ConfigError> {
/// use cryptomate::{ApiKey, Client, Pacer};
/// // Two keys of one company: one budget of requests between them.
/// let pacer = Pacer::per_second(cryptomate::DEFAULT_REQUESTS_PER_SECOND)?;
/// let reader = Client::builder(ApiKey::new("read-key")?).pacer(pacer.clone()).build()?;
/// let writer = Client::builder(ApiKey::new("write-key")?).pacer(pacer).build()?;
/// # Ok(())
/// # }
/// ```
#[derive(Clone)]
pub struct Pacer {
    inner: Arc<Inner>,
}

struct Inner {
    limiter: RateLimiter<NotKeyed, InMemoryState, TokioClock, NoOpMiddleware<TokioInstant>>,
    /// The requests waiting for their turn, first come first served:
    /// tokio's mutex is fair, so the one holding it is the next to go, and
    /// the others wait without polling the limiter.
    queue: tokio::sync::Mutex<()>,
    per_second: u32,
    /// How many requests had to wait, for a caller's statistics.
    waited: AtomicU64,
    /// Until when the vendor said (a 429's `Retry-After`) that it rejects
    /// every request of this IP address or company: none is sent before.
    held_until: std::sync::Mutex<Option<tokio::time::Instant>>,
}

impl Pacer {
    /// A pacer letting `requests` requests a second through, evenly spaced
    /// (no burst). Fails on zero.
    pub fn per_second(requests: u32) -> Result<Pacer, ConfigError> {
        let requests = NonZeroU32::new(requests).ok_or(ConfigError::ZeroRate)?;
        // Rounded up, so that no second ever holds more than `requests`.
        let period = Duration::from_nanos(1_000_000_000u64.div_ceil(u64::from(requests.get())));
        let quota = Quota::with_period(period).ok_or(ConfigError::ZeroRate)?;
        Ok(Pacer {
            inner: Arc::new(Inner {
                limiter: RateLimiter::direct_with_clock(quota, TokioClock),
                queue: tokio::sync::Mutex::new(()),
                per_second: requests.get(),
                waited: AtomicU64::new(0),
                held_until: std::sync::Mutex::new(None),
            }),
        })
    }

    /// The rate this pacer keeps to, in requests per second.
    pub fn requests_per_second(&self) -> u32 {
        self.inner.per_second
    }

    /// How many requests so far had to wait for their turn.
    pub fn requests_waited(&self) -> u64 {
        self.inner.waited.load(Ordering::Relaxed)
    }

    /// Holds every request of this pacer for `wait`: the vendor answered
    /// 429 with this `Retry-After`, and rejects everything until then (its
    /// block covers the IP address or the company, so every client sharing
    /// the pacer), so sending sooner would only be rejected.
    pub(crate) fn hold(&self, wait: Duration) {
        let until = tokio::time::Instant::now() + wait;
        let mut held = self
            .inner
            .held_until
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        *held = Some(held.map_or(until, |earlier| earlier.max(until)));
    }

    fn held_until(&self) -> Option<tokio::time::Instant> {
        *self
            .inner
            .held_until
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Waits until a request may be sent, in turn with the others waiting.
    pub(crate) async fn ready(&self) {
        let _turn = self.inner.queue.lock().await;
        let mut waited = false;
        while let Some(until) = self
            .held_until()
            .filter(|until| *until > tokio::time::Instant::now())
        {
            waited = true;
            tokio::time::sleep_until(until).await;
        }
        while let Err(not_until) = self.inner.limiter.check() {
            waited = true;
            tokio::time::sleep_until(not_until.earliest_possible().0).await;
        }
        if waited {
            self.inner.waited.fetch_add(1, Ordering::Relaxed);
        }
    }
}

impl Default for Pacer {
    /// A pacer at [`DEFAULT_REQUESTS_PER_SECOND`].
    fn default() -> Self {
        Pacer::per_second(DEFAULT_REQUESTS_PER_SECOND)
            .unwrap_or_else(|_| unreachable!("the default rate is not zero"))
    }
}

impl fmt::Debug for Pacer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Pacer")
            .field("requests_per_second", &self.inner.per_second)
            .finish_non_exhaustive()
    }
}

/// governor's clock over tokio's, so that the pacer follows a paused clock
/// in tests (and `tokio::time::sleep_until` can wait for its answers).
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct TokioClock;

impl Clock for TokioClock {
    type Instant = TokioInstant;

    fn now(&self) -> TokioInstant {
        TokioInstant(tokio::time::Instant::now())
    }
}

/// A tokio instant, as governor reads one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct TokioInstant(tokio::time::Instant);

impl Add<Nanos> for TokioInstant {
    type Output = TokioInstant;

    fn add(self, other: Nanos) -> TokioInstant {
        TokioInstant(self.0 + Duration::from(other))
    }
}

impl Reference for TokioInstant {
    fn duration_since(&self, earlier: Self) -> Nanos {
        Nanos::from(self.0.saturating_duration_since(earlier.0))
    }

    fn saturating_sub(&self, duration: Nanos) -> Self {
        self.0
            .checked_sub(Duration::from(duration))
            .map_or(*self, TokioInstant)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn requests_go_one_period_apart_in_the_order_they_came() {
        let pacer = Pacer::per_second(10).expect("pacer");
        let start = tokio::time::Instant::now();
        let mut sent = Vec::new();
        for _ in 0..5 {
            pacer.ready().await;
            sent.push(start.elapsed().as_millis());
        }
        assert_eq!(sent, [0, 100, 200, 300, 400]);
        assert_eq!(pacer.requests_waited(), 4);
        // After a quiet while, the next goes at once: no burst is saved up.
        tokio::time::sleep(Duration::from_secs(5)).await;
        let before = tokio::time::Instant::now();
        pacer.ready().await;
        pacer.ready().await;
        assert_eq!(before.elapsed(), Duration::from_millis(100));
    }

    #[tokio::test(start_paused = true)]
    async fn a_zero_rate_is_refused_and_the_period_never_undercuts_the_rate() {
        assert!(matches!(Pacer::per_second(0), Err(ConfigError::ZeroRate)));
        // 1 s / 15 is 66,666,666.67 ns: rounded up, the 16th request goes
        // after a whole second, never within it.
        let pacer = Pacer::per_second(15).expect("pacer");
        let start = tokio::time::Instant::now();
        for _ in 0..16 {
            pacer.ready().await;
        }
        assert!(
            start.elapsed() > Duration::from_secs(1),
            "{:?}",
            start.elapsed()
        );
        assert_eq!(pacer.requests_per_second(), 15);
        assert_eq!(
            format!("{pacer:?}"),
            "Pacer { requests_per_second: 15, .. }"
        );
    }
}
