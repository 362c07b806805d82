//! The API key, the client's inner settings, and the hooks that attach the key
//! to every request and apply the retry policy.
//!
//! The generated client carries a [`Settings`] as its inner value (see
//! `codegen/settings.rs`), so the key reaches the wire the same way whether the crate
//! built the `reqwest::Client` or the caller passed its own.

use std::fmt;

use progenitor_client::{ClientHooks, ClientInfo, OperationInfo};
use reqwest::header::{HeaderName, HeaderValue};

use crate::pace::Pacer;
use crate::retry::{Failure, Retries, RetryEvent, RetryHook, RetryPolicy, RetryRule};
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
/// the API key, the pacer, the retry policy and the response size limit. Made by
/// [`Client::builder`], the only way to make a client (progenitor's own
/// constructors are removed or crate-private at generation).
#[derive(Debug, Clone)]
pub struct Settings {
    api_key: ApiKey,
    /// Shared by every clone of the client (and by other clients given the
    /// same pacer); `None` sends without pacing.
    pacer: Option<Pacer>,
    retry: RetryPolicy,
    /// Told of every retry, when the caller asked.
    on_retry: Option<RetryHook>,
    max_response_bytes: usize,
}

impl Settings {
    /// Settings with `api_key`, no pacing and no retries.
    pub fn new(api_key: ApiKey) -> Self {
        Self {
            api_key,
            pacer: None,
            retry: RetryPolicy::NONE,
            on_retry: None,
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

    /// The same settings telling `hook` of every retry.
    #[must_use]
    pub fn with_retry_hook(mut self, hook: impl Fn(&RetryEvent) + Send + Sync + 'static) -> Self {
        self.on_retry = Some(RetryHook(std::sync::Arc::new(hook)));
        self
    }

    /// The same settings with the hook given, or none.
    pub(crate) fn with_retry_hook_of(mut self, hook: Option<RetryHook>) -> Self {
        self.on_retry = hook;
        self
    }

    /// The same settings with another pacer (`None`: no pacing).
    #[must_use]
    pub fn with_pacer(mut self, pacer: Option<Pacer>) -> Self {
        self.pacer = pacer;
        self
    }

    /// The pacer, when requests are paced.
    pub fn pacer(&self) -> Option<&Pacer> {
        self.pacer.as_ref()
    }
}

// The generated client calls `exec` to send each request. An impl for
// `Client` takes precedence over the empty default progenitor emits for
// `&Client`. The generated calls of the `pre` and `post` hooks are removed at
// generation (see `codegen/rewrite/hooks.rs`), so `exec` is the one hook:
// it attaches the key, paces, and applies the retry policy to the calls the
// operation's rule lets it retry.
impl ClientHooks<Settings> for Client {
    async fn exec(
        &self,
        request: reqwest::Request,
        info: &OperationInfo,
    ) -> reqwest::Result<reqwest::Response> {
        self.send(request, info.operation_id).await
    }
}

impl Client {
    /// Sends one attempt of a request when the pacer lets it go.
    async fn paced(&self, request: reqwest::Request) -> reqwest::Result<reqwest::Response> {
        let Some(pacer) = self.inner().pacer() else {
            return self.client().execute(request).await;
        };
        pacer.ready().await;
        let outcome = self.client().execute(request).await;
        // The vendor's block holds for every request of the company: the
        // pacer holds them all until it ends.
        if let Ok(response) = &outcome
            && response.status() == reqwest::StatusCode::TOO_MANY_REQUESTS
            && let Some(wait) = crate::retry::retry_after(response.headers())
        {
            pacer.hold(wait);
        }
        outcome
    }

    /// Sends a request of the operation `operation_id` with the key, under
    /// the retry policy and the operation's retry rule.
    async fn send(
        &self,
        mut request: reqwest::Request,
        operation_id: &'static str,
    ) -> reqwest::Result<reqwest::Response> {
        request
            .headers_mut()
            .insert(API_KEY_HEADER, self.inner().api_key.header_value().clone());
        let settings = self.inner();
        if settings.retry.retries == 0 || !RetryRule::of(operation_id).allows(&request) {
            return self.paced(request).await;
        }
        let mut retries = Retries::new(settings.retry);
        loop {
            // A body that cannot be cloned (a stream) is sent once, unretried.
            let Some(attempt) = request.try_clone() else {
                return self.paced(request).await;
            };
            let outcome = self.paced(attempt).await;
            let Some((reason, wait)) = retries.after(Failure::of(&outcome)) else {
                return outcome;
            };
            drop(outcome);
            if let Some(hook) = &settings.on_retry {
                (hook.0)(&RetryEvent {
                    operation_id,
                    retry: retries.made(),
                    reason,
                    wait,
                });
            }
            tokio::time::sleep(wait).await;
        }
    }
}
