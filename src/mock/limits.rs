//! The vendor's rate limit and its doubling penalty, as the mock enforces
//! them when asked ([`MockBuilder::rate_limit`](super::MockBuilder::rate_limit)).
//!
//! The vendor's page (`openapi/vendor/integration/rate-limiting.mdx`) says:
//! 15 requests a second per IP address and 15 per company (the key's), both
//! counted for every request; a request over either is a violation that
//! blocks that IP or company for 1 s, 2 s, 4 s, … (doubling), an hour from
//! the 12th on; while blocked every request is answered `429` with
//! `Retry-After` and consumes no quota; the count of violations resets
//! after an hour of clean traffic. The page does not say how a second is
//! counted: the mock counts a sliding one (no interval of 1 s holds more
//! than the limit), the strictest reading (`openapi/DECISIONS.md` D-RL1).
//!
//! Time is tokio's, so a test with a paused clock sees blocks and windows
//! pass without waiting for them.

use std::collections::{HashMap, VecDeque};
use std::time::Duration;

use tokio::time::Instant;

/// The vendor's rate limit and penalty, or another for a test.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct RateLimit {
    /// Requests allowed in any window, per IP address and per company.
    pub requests: u32,
    /// The window.
    pub window: Duration,
    /// The block of the first violation; each next one doubles it.
    pub first_block: Duration,
    /// The longest block.
    pub max_block: Duration,
    /// From this violation on (1-based), the block is `max_block`.
    pub max_block_from: u32,
    /// How long without a violation resets the count of violations.
    pub forgiven_after: Duration,
}

impl RateLimit {
    /// The vendor's: 15 requests a second; blocks of 1 s doubling, an hour
    /// from the 12th violation; forgiven after an hour clean.
    pub const VENDOR: RateLimit = RateLimit {
        requests: 15,
        window: Duration::from_secs(1),
        first_block: Duration::from_secs(1),
        max_block: Duration::from_secs(3600),
        max_block_from: 12,
        forgiven_after: Duration::from_secs(3600),
    };

    /// The block of violation number `violation` (1-based).
    pub fn block(&self, violation: u32) -> Duration {
        if violation >= self.max_block_from {
            return self.max_block;
        }
        let doubled = self
            .first_block
            .saturating_mul(1u32 << violation.saturating_sub(1).min(31));
        doubled.min(self.max_block)
    }
}

/// What the mock's limiter has done so far, for a test to read.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct LimitStats {
    /// Requests answered `429` (violations and requests while blocked).
    pub rejected: u64,
    /// Violations: requests over the limit (of the IP address, the company
    /// or both) that started a block.
    pub violations: u64,
    /// The most violations one IP address or company has had in a row
    /// (before an hour clean forgave them).
    pub worst_streak: u32,
    /// The longest block given.
    pub longest_block: Duration,
}

/// One IP address's or company's requests and penalty.
#[derive(Debug, Default)]
struct Scope {
    /// When the requests of the current window were admitted.
    admitted: VecDeque<Instant>,
    blocked_until: Option<Instant>,
    violations: u32,
    last_violation: Option<Instant>,
}

/// The state of the mock's limiter.
#[derive(Debug)]
pub(crate) struct Limiter {
    limit: RateLimit,
    scopes: HashMap<String, Scope>,
    stats: LimitStats,
}

impl Limiter {
    pub(crate) fn new(limit: RateLimit) -> Self {
        Limiter {
            limit,
            scopes: HashMap::new(),
            stats: LimitStats::default(),
        }
    }

    pub(crate) fn stats(&self) -> LimitStats {
        self.stats
    }

    /// Whether a request on `path` from `ip` with `key` may go on; when not,
    /// the seconds its `429` tells it to wait.
    pub(crate) fn admit(&mut self, path: &str, ip: &str, key: Option<&str>) -> Result<(), u64> {
        if EXEMPT_PATHS.iter().any(|prefix| under(path, prefix)) {
            return Ok(());
        }
        let now = Instant::now();
        let names: Vec<String> = std::iter::once(format!("ip {ip}"))
            .chain(key.map(|k| format!("company {k}")))
            .collect();
        // A block of either scope rejects at once, consuming nothing.
        let blocked = names
            .iter()
            .filter_map(|name| self.scopes.get(name)?.blocked_until)
            .filter(|until| *until > now)
            .max();
        if let Some(until) = blocked {
            self.stats.rejected += 1;
            return Err(seconds_until(now, until));
        }
        let limit = self.limit;
        let mut over = Vec::new();
        for name in &names {
            let scope = self.scopes.entry(name.clone()).or_default();
            while scope
                .admitted
                .front()
                .is_some_and(|t| now.duration_since(*t) >= limit.window)
            {
                scope.admitted.pop_front();
            }
            if scope.admitted.len() >= limit.requests as usize {
                over.push(name.clone());
            }
        }
        if over.is_empty() {
            for name in &names {
                if let Some(scope) = self.scopes.get_mut(name) {
                    scope.admitted.push_back(now);
                }
            }
            return Ok(());
        }
        // A violation of each scope over its limit.
        let mut longest = Duration::ZERO;
        for name in over {
            let scope = self.scopes.entry(name).or_default();
            if scope
                .last_violation
                .is_some_and(|t| now.duration_since(t) >= limit.forgiven_after)
            {
                scope.violations = 0;
            }
            scope.violations += 1;
            scope.last_violation = Some(now);
            let block = limit.block(scope.violations);
            scope.blocked_until = Some(now + block);
            longest = longest.max(block);
            self.stats.worst_streak = self.stats.worst_streak.max(scope.violations);
            self.stats.longest_block = self.stats.longest_block.max(block);
        }
        self.stats.violations += 1;
        self.stats.rejected += 1;
        Err(longest.as_secs().max(1))
    }
}

/// The path prefixes the vendor's page exempts from its limits ("Excluded
/// paths"); a path under one passes the mock's limiter untouched.
pub const EXEMPT_PATHS: &[&str] = &[
    "/cards/webhook",
    "/treasury/webhook",
    "/virtual-wallets/webhook",
    "/health",
    "/actuator",
    "/swagger-ui",
    "/api-docs",
    "/portal",
    "/dashboard",
    "/geography",
    "/geofence",
    "/events",
    "/mail/inbound",
];

/// Whether `path` is `prefix` or under it (segment-wise).
fn under(path: &str, prefix: &str) -> bool {
    path.strip_prefix(prefix)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
}

/// Whole seconds from `now` until `until`, rounded up: a `Retry-After`.
fn seconds_until(now: Instant, until: Instant) -> u64 {
    let left = until.duration_since(now);
    left.as_secs() + u64::from(left.subsec_nanos() > 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_double_from_1_s_to_an_hour_at_the_12th_violation() {
        let blocks: Vec<u64> = (1..=13)
            .map(|v| RateLimit::VENDOR.block(v).as_secs())
            .collect();
        assert_eq!(
            blocks,
            [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 3600, 3600]
        );
    }

    #[tokio::test(start_paused = true)]
    async fn a_sixteenth_request_in_a_second_is_a_violation_and_blocks_are_free() {
        let mut limiter = Limiter::new(RateLimit::VENDOR);
        for _ in 0..15 {
            assert_eq!(limiter.admit("/x", "127.0.0.1", Some("k")), Ok(()));
        }
        assert_eq!(limiter.admit("/x", "127.0.0.1", Some("k")), Err(1));
        // Blocked: rejected without a new violation.
        tokio::time::advance(Duration::from_millis(500)).await;
        assert_eq!(limiter.admit("/x", "127.0.0.1", Some("k")), Err(1));
        assert_eq!(limiter.stats().violations, 1);
        // The exempt paths pass whatever the block.
        assert_eq!(
            limiter.admit("/cards/webhook/simulate/authorize", "127.0.0.1", Some("k")),
            Ok(())
        );
        // After the block, the window has moved on.
        tokio::time::advance(Duration::from_millis(600)).await;
        assert_eq!(limiter.admit("/x", "127.0.0.1", Some("k")), Ok(()));
        // A second burst: a 2 s block.
        for _ in 0..14 {
            limiter.admit("/x", "127.0.0.1", Some("k")).expect("within");
        }
        assert_eq!(limiter.admit("/x", "127.0.0.1", Some("k")), Err(2));
        // An hour clean forgives: the next violation blocks 1 s again.
        tokio::time::advance(Duration::from_secs(3600)).await;
        for _ in 0..15 {
            limiter.admit("/x", "127.0.0.1", Some("k")).expect("within");
        }
        assert_eq!(limiter.admit("/x", "127.0.0.1", Some("k")), Err(1));
        assert_eq!(limiter.stats().worst_streak, 2);
    }

    #[tokio::test(start_paused = true)]
    async fn the_ip_and_the_company_are_limited_apart() {
        let mut limiter = Limiter::new(RateLimit::VENDOR);
        // Two companies behind one address share its 15.
        for i in 0..15 {
            let key = if i % 2 == 0 { "a" } else { "b" };
            limiter.admit("/x", "10.0.0.1", Some(key)).expect("within");
        }
        assert!(limiter.admit("/x", "10.0.0.1", Some("c")).is_err());
        // One company from two addresses shares its 15 too.
        let mut limiter = Limiter::new(RateLimit::VENDOR);
        for i in 0..15 {
            let ip = if i % 2 == 0 { "10.0.0.1" } else { "10.0.0.2" };
            limiter.admit("/x", ip, Some("a")).expect("within");
        }
        assert!(limiter.admit("/x", "10.0.0.3", Some("a")).is_err());
    }
}
