//! Verification: the `X-Webhook-Key` header compared with the company's key
//! in constant time, the optional age limit from `X-Request-Timestamp`, and
//! the body read into a typed [`Event`].
//!
//! The key is compared by [`keys_match`] alone, through
//! `subtle::ConstantTimeEq`: the time it takes does not depend on where the
//! two keys first differ (`tests/webhooks.rs` reads this file and fails if
//! the key bytes meet `==` or another comparison).

use std::fmt;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use subtle::ConstantTimeEq as _;

use super::event::{Event, ShapeError};
use crate::Sensitive;

/// The header that carries the company's webhook key.
pub const KEY_HEADER: &str = "x-webhook-key";
/// The header that carries when the vendor sent the request, in epoch
/// milliseconds.
pub const TIMESTAMP_HEADER: &str = "x-request-timestamp";
/// The environment variable [`WebhookKey::from_env`] reads.
pub const ENV_WEBHOOK_KEY: &str = "CRYPTOMATE_WEBHOOK_KEY";

/// The company's webhook key, the shared secret the vendor sends in
/// `X-Webhook-Key`. `Debug` never shows it and it has no `Display`.
#[derive(Clone)]
pub struct WebhookKey(Sensitive);

impl WebhookKey {
    /// A key; refused when empty (an empty key would accept a request
    /// without the header's value).
    pub fn new(key: impl Into<String>) -> Result<Self, KeyError> {
        let key = key.into();
        if key.is_empty() {
            return Err(KeyError::Empty);
        }
        Ok(Self(Sensitive::new(key)))
    }

    /// The key in `CRYPTOMATE_WEBHOOK_KEY`.
    pub fn from_env() -> Result<Self, KeyError> {
        match std::env::var(ENV_WEBHOOK_KEY) {
            Ok(key) => Self::new(key),
            Err(_) => Err(KeyError::NotSet),
        }
    }

    /// The key itself, to subscribe it (`subscribe_webhook_key`).
    pub fn expose(&self) -> &str {
        self.0.expose()
    }
}

impl fmt::Debug for WebhookKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("WebhookKey(<redacted>)")
    }
}

/// Why a webhook key could not be made.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum KeyError {
    /// The key is empty.
    Empty,
    /// `CRYPTOMATE_WEBHOOK_KEY` is not set (or not Unicode).
    NotSet,
}

impl fmt::Display for KeyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            KeyError::Empty => f.write_str("the webhook key is empty"),
            KeyError::NotSet => write!(f, "{ENV_WEBHOOK_KEY} is not set"),
        }
    }
}

impl std::error::Error for KeyError {}

/// Why a webhook was refused. No variant holds or prints the key, the
/// header's value or the body.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum VerifyError {
    /// The request has no `X-Webhook-Key` header: answer 401.
    MissingKey,
    /// The `X-Webhook-Key` header is not the company's key (a different
    /// value, or the same in another case): answer 401.
    WrongKey,
    /// A maximum age is set and `X-Request-Timestamp` is missing or not
    /// epoch milliseconds: answer 400.
    InvalidTimestamp,
    /// `X-Request-Timestamp` is further from now than the maximum age (in
    /// the past, or in the future): answer 400.
    Stale {
        /// How far the timestamp is from now, in milliseconds.
        age_ms: u64,
        /// The maximum age, in milliseconds.
        max_age_ms: u64,
    },
    /// The body is not JSON (or is cut short): answer 400.
    NotJson {
        /// The 1-based line where reading stopped.
        line: usize,
        /// The 1-based column where reading stopped.
        column: usize,
        /// Whether the body ended early (truncated).
        truncated: bool,
    },
    /// The body is JSON but not a webhook of the documented shape: answer
    /// 400.
    UnknownShape(ShapeError),
}

impl VerifyError {
    /// The HTTP status to answer with: 401 when the key is missing or
    /// wrong, 400 otherwise.
    pub fn status(&self) -> u16 {
        match self {
            VerifyError::MissingKey | VerifyError::WrongKey => 401,
            _ => 400,
        }
    }
}

impl fmt::Display for VerifyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            VerifyError::MissingKey => f.write_str("the webhook has no X-Webhook-Key header"),
            VerifyError::WrongKey => {
                f.write_str("the webhook's X-Webhook-Key is not the company's webhook key")
            }
            VerifyError::InvalidTimestamp => f.write_str(
                "the webhook's X-Request-Timestamp is missing or not epoch milliseconds",
            ),
            VerifyError::Stale { age_ms, max_age_ms } => write!(
                f,
                "the webhook's X-Request-Timestamp is {age_ms} ms from now, more than the \
                 maximum age of {max_age_ms} ms"
            ),
            VerifyError::NotJson {
                line,
                column,
                truncated,
            } => {
                let what = if *truncated {
                    "ends early"
                } else {
                    "is not JSON"
                };
                write!(
                    f,
                    "the webhook's body {what} (line {line}, column {column})"
                )
            }
            VerifyError::UnknownShape(e) => {
                write!(f, "the webhook's body is not a documented webhook: {e}")
            }
        }
    }
}

impl std::error::Error for VerifyError {}

/// Verifies webhooks with the company's key, and optionally their age.
#[derive(Clone, Debug)]
pub struct Verifier {
    key: WebhookKey,
    max_age: Option<Duration>,
}

impl Verifier {
    /// A verifier of `key`, without an age limit.
    pub fn new(key: WebhookKey) -> Self {
        Self { key, max_age: None }
    }

    /// Refuses a webhook whose `X-Request-Timestamp` is further than
    /// `max_age` from now (or missing). The vendor retries a regular event
    /// for minutes, so a limit shorter than its schedule refuses retries.
    pub fn max_age(mut self, max_age: Duration) -> Self {
        self.max_age = Some(max_age);
        self
    }

    /// Verifies a request from its headers and raw body, now.
    pub fn verify(&self, headers: &http::HeaderMap, body: &[u8]) -> Result<Event, VerifyError> {
        self.verify_at(headers, body, SystemTime::now())
    }

    /// Verifies a request from its headers and raw body, as of `now`.
    pub fn verify_at(
        &self,
        headers: &http::HeaderMap,
        body: &[u8],
        now: SystemTime,
    ) -> Result<Event, VerifyError> {
        self.verify_values(
            headers.get(KEY_HEADER).map(|v| v.as_bytes()),
            headers.get(TIMESTAMP_HEADER).map(|v| v.as_bytes()),
            body,
            now,
        )
    }

    /// Verifies a request from the values of its `X-Webhook-Key` and
    /// `X-Request-Timestamp` headers and its raw body, as of `now`: for a
    /// server whose headers are not `http::HeaderMap`. The key is checked
    /// first, so nothing of the body is read for a request without it.
    pub fn verify_values(
        &self,
        key: Option<&[u8]>,
        timestamp: Option<&[u8]>,
        body: &[u8],
        now: SystemTime,
    ) -> Result<Event, VerifyError> {
        let given = key.ok_or(VerifyError::MissingKey)?;
        if !keys_match(self.key.expose().as_bytes(), given) {
            return Err(VerifyError::WrongKey);
        }
        if let Some(max_age) = self.max_age {
            check_age(timestamp, max_age, now)?;
        }
        let value: serde_json::Value =
            serde_json::from_slice(body).map_err(|e| VerifyError::NotJson {
                line: e.line(),
                column: e.column(),
                truncated: e.is_eof(),
            })?;
        let mut event = Event::from_value(value).map_err(VerifyError::UnknownShape)?;
        event.sent_at = epoch_ms(timestamp).map(|ms| UNIX_EPOCH + Duration::from_millis(ms));
        Ok(event)
    }
}

/// Whether the key `given` is the company's key `expected`, in constant
/// time: `subtle` compares every byte whatever the first difference (two
/// keys of different lengths differ at once; the length is not the secret).
fn keys_match(expected: &[u8], given: &[u8]) -> bool {
    bool::from(expected.ct_eq(given))
}

/// The epoch milliseconds of an `X-Request-Timestamp` value.
fn epoch_ms(timestamp: Option<&[u8]>) -> Option<u64> {
    timestamp
        .and_then(|t| std::str::from_utf8(t).ok())
        .and_then(|t| t.trim().parse().ok())
}

/// Checks `X-Request-Timestamp` against `max_age` as of `now`.
fn check_age(
    timestamp: Option<&[u8]>,
    max_age: Duration,
    now: SystemTime,
) -> Result<(), VerifyError> {
    let sent_ms = epoch_ms(timestamp).ok_or(VerifyError::InvalidTimestamp)?;
    let now_ms = now
        .duration_since(UNIX_EPOCH)
        .map(|d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
        .unwrap_or(0);
    let age_ms = now_ms.abs_diff(sent_ms);
    let max_age_ms = u64::try_from(max_age.as_millis()).unwrap_or(u64::MAX);
    if age_ms > max_age_ms {
        return Err(VerifyError::Stale { age_ms, max_age_ms });
    }
    Ok(())
}
