//! Building an authenticated [`Client`]: key, base URL, timeouts, and the
//! environment variables `from_env` reads.

use std::ffi::OsString;
use std::time::Duration;

use crate::{ApiKey, Client, ClientInfo, ConfigError, Pacer, RetryPolicy, Settings};

/// Base URL of the production API.
pub const PRODUCTION_URL: &str = "https://api.cryptomate.me";

/// Base URL of the sandbox API.
pub const SANDBOX_URL: &str = "https://api.sandbox.cryptomate.me";

/// How long connecting (TCP and TLS) may take by default: 10 seconds.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// How long a whole request, from connecting to the last byte of the response
/// body, may take by default: 30 seconds.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);

/// The environment variable [`Client::from_env`] reads the API key from.
pub const ENV_API_KEY: &str = "CRYPTOMATE_API_KEY";

/// The environment variable [`Client::from_env`] reads an optional base URL
/// from (for example [`SANDBOX_URL`]); production when unset or empty.
pub const ENV_BASE_URL: &str = "CRYPTOMATE_BASE_URL";

/// Configures a [`Client`]; made by [`Client::builder`].
///
/// `Debug` output shows the settings with the key redacted.
///
/// The builder is the only way to make a client, so its guarantees (the
/// refusal of plain http off loopback, the timeouts) hold for every client.
/// The constructors progenitor generates are removed or crate-private at
/// generation (`codegen/rewrite/constructors.rs`):
///
/// ```compile_fail,E0599
/// // progenitor's `Client::new` is not generated.
/// let new = cryptomate::Client::new;
/// ```
///
/// ```compile_fail,E0624
/// // progenitor's `Client::new_with_client` is private to the crate.
/// let new_with_client = cryptomate::Client::new_with_client;
/// ```
#[derive(Debug, Clone)]
#[must_use]
pub struct ClientBuilder {
    api_key: ApiKey,
    base_url: String,
    connect_timeout: Duration,
    timeout: Duration,
    http_client: Option<reqwest::Client>,
    allow_insecure_http: bool,
    retry: RetryPolicy,
    on_retry: Option<crate::retry::RetryHook>,
    pacing: Pacing,
    max_response_bytes: usize,
}

/// How a built client paces its requests.
#[derive(Debug, Clone)]
enum Pacing {
    /// A pacer of its own at [`crate::DEFAULT_REQUESTS_PER_SECOND`].
    Default,
    /// The pacer given (shared with whoever else holds it).
    Shared(Pacer),
    /// None.
    Off,
}

impl Client {
    /// Starts configuring a client that authenticates with `api_key`, talking
    /// to [`PRODUCTION_URL`] with the default timeouts unless told otherwise.
    pub fn builder(api_key: ApiKey) -> ClientBuilder {
        ClientBuilder {
            api_key,
            base_url: PRODUCTION_URL.to_string(),
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            timeout: DEFAULT_TIMEOUT,
            http_client: None,
            allow_insecure_http: false,
            retry: RetryPolicy::DEFAULT,
            on_retry: None,
            pacing: Pacing::Default,
            max_response_bytes: crate::DEFAULT_MAX_RESPONSE_BYTES,
        }
    }

    /// The pacer this client and its clones share, when its requests are
    /// paced (the default): hand it to another client's builder
    /// ([`ClientBuilder::pacer`]) to share one budget of requests.
    pub fn pacer(&self) -> Option<&Pacer> {
        self.inner().pacer()
    }

    /// Builds a client from `CRYPTOMATE_API_KEY` and, when set, the base URL in
    /// `CRYPTOMATE_BASE_URL`, with the default timeouts.
    pub fn from_env() -> Result<Client, ConfigError> {
        Self::from_vars(|name| std::env::var_os(name))
    }

    /// [`Client::from_env`] over any source of variables, so that it can be
    /// tested without touching the process environment.
    pub(crate) fn from_vars(var: impl Fn(&str) -> Option<OsString>) -> Result<Client, ConfigError> {
        let read = |name: &'static str| -> Result<Option<String>, ConfigError> {
            match var(name) {
                None => Ok(None),
                Some(value) => value
                    .into_string()
                    .map(|v| Some(v).filter(|v| !v.trim().is_empty()))
                    .map_err(|_| ConfigError::EnvNotUnicode { name }),
            }
        };
        let key = read(ENV_API_KEY)?.ok_or(ConfigError::MissingEnv { name: ENV_API_KEY })?;
        let mut builder = Client::builder(ApiKey::new(key)?);
        if let Some(url) = read(ENV_BASE_URL)? {
            builder = builder.base_url(url.trim());
        }
        builder.build()
    }
}

impl ClientBuilder {
    /// Talks to `url` instead of production: [`SANDBOX_URL`], or a local mock.
    /// A trailing slash is ignored.
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = url.into();
        self
    }

    /// How long connecting may take (default [`DEFAULT_CONNECT_TIMEOUT`]).
    /// Ignored when the caller passes its own HTTP client.
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// How long a whole request may take (default [`DEFAULT_TIMEOUT`]).
    /// Ignored when the caller passes its own HTTP client.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Sends requests through the caller's own `reqwest::Client` (its proxy,
    /// TLS and timeout settings apply); the API key is still attached to every
    /// request by the client.
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http_client = Some(client);
        self
    }

    /// Allows a plain `http://` base URL on a host other than loopback. Off by
    /// default, since the API key would cross the network in clear text.
    pub fn allow_insecure_http(mut self, allow: bool) -> Self {
        self.allow_insecure_http = allow;
        self
    }

    /// How the calls that are safe to send again are retried (see
    /// [`RetryPolicy`] and [`RetryRule`](crate::RetryRule)). The default is
    /// [`RetryPolicy::DEFAULT`]; [`RetryPolicy::NONE`] retries nothing.
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// Calls `hook` before every retry, with the operation, the reason and
    /// the wait (never the key, a header or a body): for logging.
    pub fn on_retry(mut self, hook: impl Fn(&crate::RetryEvent) + Send + Sync + 'static) -> Self {
        self.on_retry = Some(crate::retry::RetryHook(std::sync::Arc::new(hook)));
        self
    }

    /// Paces requests with `pacer`, shared with every other client built
    /// with it (or a clone of it): for several keys of one company, or
    /// several companies behind one IP address, which the vendor limits
    /// together. By default each built client has a pacer of its own at
    /// [`DEFAULT_REQUESTS_PER_SECOND`](crate::DEFAULT_REQUESTS_PER_SECOND)
    /// (14 a second, one under the vendor's 15), shared by its clones.
    pub fn pacer(mut self, pacer: Pacer) -> Self {
        self.pacing = Pacing::Shared(pacer);
        self
    }

    /// Sends every request at once, without pacing: for a caller that
    /// paces on its own, or a server without the vendor's limit (a local
    /// mock). A burst over the vendor's limit earns its penalty block.
    pub fn without_pacing(mut self) -> Self {
        self.pacing = Pacing::Off;
        self
    }

    /// The largest response body the client reads, in bytes (default
    /// [`DEFAULT_MAX_RESPONSE_BYTES`](crate::DEFAULT_MAX_RESPONSE_BYTES), 64
    /// MiB). A larger body is [`Error::ResponseTooLarge`](crate::Error), and
    /// reading stops at the limit. Raise it for a company whose client lists
    /// are larger (each listed client is about 400 bytes); the body is held
    /// in memory once while it is decoded.
    pub fn max_response_bytes(mut self, limit: usize) -> Self {
        self.max_response_bytes = limit;
        self
    }

    /// Checks the settings and builds the client.
    pub fn build(self) -> Result<Client, ConfigError> {
        let base_url = self.base_url.trim_end_matches('/');
        let url = url::Url::parse(base_url).map_err(|source| ConfigError::InvalidBaseUrl {
            url: base_url.to_string(),
            source,
        })?;
        match url.scheme() {
            "https" => {}
            "http" if self.allow_insecure_http || is_loopback(&url) => {}
            "http" => {
                return Err(ConfigError::InsecureBaseUrl {
                    url: base_url.to_string(),
                });
            }
            _ => {
                return Err(ConfigError::UnsupportedScheme {
                    url: base_url.to_string(),
                });
            }
        }
        let http = match self.http_client {
            Some(client) => client,
            None => reqwest::Client::builder()
                .connect_timeout(self.connect_timeout)
                .timeout(self.timeout)
                .user_agent(concat!("cryptomate-rust/", env!("CARGO_PKG_VERSION")))
                .build()
                .map_err(ConfigError::Http)?,
        };
        Ok(Client::new_with_client(
            base_url,
            http,
            Settings::new(self.api_key)
                .with_pacer(match self.pacing {
                    Pacing::Default => Some(Pacer::default()),
                    Pacing::Shared(pacer) => Some(pacer),
                    Pacing::Off => None,
                })
                .with_retry(self.retry)
                .with_retry_hook_of(self.on_retry)
                .with_max_response_bytes(self.max_response_bytes),
        ))
    }
}

fn is_loopback(url: &url::Url) -> bool {
    match url.host() {
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        Some(url::Host::Domain(domain)) => domain.eq_ignore_ascii_case("localhost"),
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vars(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<OsString> {
        let pairs: Vec<(String, OsString)> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), OsString::from(v)))
            .collect();
        move |name| {
            pairs
                .iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.clone())
        }
    }

    #[test]
    fn from_env_defaults_to_production() {
        let client = Client::from_vars(vars(&[(ENV_API_KEY, "k")])).expect("client");
        assert_eq!(client.baseurl(), PRODUCTION_URL);
    }

    #[test]
    fn from_env_reads_the_base_url() {
        let client = Client::from_vars(vars(&[
            (ENV_API_KEY, "k"),
            (ENV_BASE_URL, "https://api.sandbox.cryptomate.me/"),
        ]))
        .expect("client");
        assert_eq!(client.baseurl(), SANDBOX_URL);
    }

    #[test]
    fn from_env_without_a_key_names_the_variable() {
        let err = Client::from_vars(vars(&[(ENV_API_KEY, "  ")])).expect_err("no key");
        assert_eq!(
            err.to_string(),
            "environment variable CRYPTOMATE_API_KEY is not set"
        );
    }

    #[test]
    fn plain_http_is_refused_off_loopback() {
        let key = ApiKey::new("secret-key").expect("key");
        let err = Client::builder(key.clone())
            .base_url("http://api.example.com")
            .build()
            .expect_err("refused");
        assert!(matches!(err, ConfigError::InsecureBaseUrl { .. }));
        assert!(!err.to_string().contains("secret-key"));
        for ok in [
            "http://127.0.0.1:8080",
            "http://localhost:1",
            "http://[::1]:2",
        ] {
            Client::builder(key.clone())
                .base_url(ok)
                .build()
                .expect("loopback is allowed");
        }
        Client::builder(key)
            .base_url("http://api.example.com")
            .allow_insecure_http(true)
            .build()
            .expect("allowed explicitly");
    }

    #[test]
    fn a_bad_base_url_is_named() {
        let key = ApiKey::new("k").expect("key");
        let err = Client::builder(key.clone())
            .base_url("not a url")
            .build()
            .expect_err("bad");
        assert_eq!(err.to_string(), "invalid base URL \"not a url\"");
        let err = Client::builder(key)
            .base_url("ftp://x")
            .build()
            .expect_err("bad");
        assert!(matches!(err, ConfigError::UnsupportedScheme { .. }));
    }
}
