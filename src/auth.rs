//! The API key, the client's inner settings, and the hooks that attach the key
//! to every request and apply the retry policy.
//!
//! The generated client carries a [`Settings`] as its inner value (see
//! `codegen/settings.rs`), so the key reaches the wire the same way whether the crate
//! built the `reqwest::Client` or the caller passed its own.

use std::fmt;

use progenitor_client::{ClientHooks, ClientInfo, OperationInfo};
use reqwest::header::{HeaderName, HeaderValue};

use crate::retry::{Retries, RetryPolicy};
use crate::{Client, ConfigError};

/// The header the vendor reads the key from.
pub(crate) const API_KEY_HEADER: HeaderName = HeaderName::from_static("x-api-key");

/// A Cryptomate API key.
///
/// It is held as a header value marked sensitive: its `Debug` output is
/// `ApiKey(<redacted>)`, it never appears in an error message, and HTTP
/// libraries that honour the flag (reqwest, hyper's HTTP/2 encoder) keep it out
/// of their own output and header compression tables.
#[derive(Clone, PartialEq, Eq)]
pub struct ApiKey(HeaderValue);

impl ApiKey {
    /// Makes a key from its text. Fails when the text is empty or holds
    /// characters an HTTP header cannot carry; the error does not repeat the key.
    pub fn new(key: impl AsRef<str>) -> Result<Self, ConfigError> {
        let key = key.as_ref().trim();
        if key.is_empty() {
            return Err(ConfigError::EmptyApiKey);
        }
        let mut value = HeaderValue::from_str(key).map_err(|_| ConfigError::InvalidApiKey)?;
        value.set_sensitive(true);
        Ok(Self(value))
    }

    /// The key as the header value sent on the wire (marked sensitive).
    pub(crate) fn header_value(&self) -> &HeaderValue {
        &self.0
    }
}

impl fmt::Debug for ApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ApiKey(<redacted>)")
    }
}

/// What the generated client carries besides its HTTP client and base URL:
/// the API key, the retry policy and the response size limit. Made by
/// [`Client::builder`], the only way to make a client (progenitor's own
/// constructors are removed or crate-private at generation).
#[derive(Debug, Clone)]
pub struct Settings {
    api_key: ApiKey,
    retry: RetryPolicy,
    max_response_bytes: usize,
}

impl Settings {
    /// Settings with `api_key` and no retries.
    pub fn new(api_key: ApiKey) -> Self {
        Self {
            api_key,
            retry: RetryPolicy::NONE,
            max_response_bytes: crate::DEFAULT_MAX_RESPONSE_BYTES,
        }
    }

    /// The same settings with another limit on response bodies.
    #[must_use]
    pub fn with_max_response_bytes(mut self, limit: usize) -> Self {
        self.max_response_bytes = limit;
        self
    }

    /// The limit on response bodies, in bytes.
    pub fn max_response_bytes(&self) -> usize {
        self.max_response_bytes
    }

    /// The same settings with another retry policy.
    #[must_use]
    pub fn with_retry(mut self, retry: RetryPolicy) -> Self {
        self.retry = retry;
        self
    }

    /// The retry policy.
    pub fn retry(&self) -> RetryPolicy {
        self.retry
    }
}

// The generated client calls `exec` to send each request. An impl for
// `Client` takes precedence over the empty default progenitor emits for
// `&Client`. The generated calls of the `pre` and `post` hooks are removed at
// generation (see `codegen/rewrite/hooks.rs`), so `exec` is the one hook:
// it attaches the key and applies the retry policy.
impl ClientHooks<Settings> for Client {
    async fn exec(
        &self,
        request: reqwest::Request,
        _info: &OperationInfo,
    ) -> reqwest::Result<reqwest::Response> {
        self.send(request).await
    }
}

impl Client {
    /// Sends a request with the key, under the retry policy.
    async fn send(&self, mut request: reqwest::Request) -> reqwest::Result<reqwest::Response> {
        request
            .headers_mut()
            .insert(API_KEY_HEADER, self.inner().api_key.header_value().clone());
        let policy = self.inner().retry;
        if !policy.retries_anything() {
            return self.client().execute(request).await;
        }
        let mut retries = Retries::new(policy);
        loop {
            // A body that cannot be cloned (a stream) is sent once, unretried.
            let Some(attempt) = request.try_clone() else {
                return self.client().execute(request).await;
            };
            let outcome = self.client().execute(attempt).await;
            let wait = match &outcome {
                Err(e) if e.is_connect() => retries.after_connect_failure(),
                Ok(response) if response.status() == reqwest::StatusCode::TOO_MANY_REQUESTS => {
                    retries.after_rate_limit(response.headers())
                }
                _ => None,
            };
            let Some(wait) = wait else {
                return outcome;
            };
            drop(outcome);
            tokio::time::sleep(wait).await;
        }
    }
}
