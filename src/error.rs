//! Errors: of configuring a client ([`ConfigError`]) and of calling the API
//! ([`Error`], with the helpers of [`ErrorExt`]).

use std::time::Duration;

use crate::types::ApiError;

/// The error of every API call: progenitor's error, typed with the API's error
/// body. A documented error status arrives as [`Error::ErrorResponse`], which
/// keeps the status, the headers and the decoded body; an undocumented status
/// as [`Error::UnexpectedResponse`], with the response still unread.
pub type Error = progenitor_client::Error<ApiError>;

/// Why a client could not be configured. No variant carries the API key.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ConfigError {
    /// A required environment variable is unset or empty.
    #[error("environment variable {name} is not set")]
    MissingEnv {
        /// The variable.
        name: &'static str,
    },
    /// An environment variable holds bytes that are not Unicode.
    #[error("environment variable {name} is not valid Unicode")]
    EnvNotUnicode {
        /// The variable.
        name: &'static str,
    },
    /// The API key is empty.
    #[error("the API key is empty")]
    EmptyApiKey,
    /// The API key holds characters an HTTP header cannot carry.
    #[error("the API key holds characters an HTTP header cannot carry (only visible ASCII)")]
    InvalidApiKey,
    /// The base URL does not parse.
    #[error("invalid base URL {url:?}")]
    InvalidBaseUrl {
        /// The URL as given.
        url: String,
        /// Why it does not parse.
        #[source]
        source: url::ParseError,
    },
    /// The base URL is neither `https` nor `http`.
    #[error("base URL {url} must use https (or http on loopback)")]
    UnsupportedScheme {
        /// The URL as given.
        url: String,
    },
    /// The base URL is plain `http` on a host that is not loopback.
    #[error(
        "refusing to send the API key over plain http to {url}: use https, or call ClientBuilder::allow_insecure_http(true)"
    )]
    InsecureBaseUrl {
        /// The URL as given.
        url: String,
    },
    /// reqwest could not build its client (for example, no TLS roots).
    #[error("cannot build the HTTP client")]
    Http(#[source] reqwest::Error),
}

impl ApiError {
    /// The machine-readable error code: `code`, or for a 429 `error_code`.
    pub fn code(&self) -> Option<&str> {
        self.code.as_deref().or(self.error_code.as_deref())
    }
}

/// Helpers on [`Error`] for what callers ask of an API error.
pub trait ErrorExt {
    /// The decoded error body of a documented error status.
    fn api_error(&self) -> Option<&ApiError>;

    /// The machine-readable error code of the body (`code` or `error_code`).
    fn code(&self) -> Option<&str> {
        self.api_error().and_then(ApiError::code)
    }

    /// The trace id for support requests: the body's `trace_id`, or else the
    /// `X-Trace-Id` header older versions of the API send.
    fn trace_id(&self) -> Option<&str>;

    /// How long to wait before the next request, from a 429's `Retry-After`
    /// header (in seconds, as the vendor sends it).
    fn retry_after(&self) -> Option<Duration>;
}

impl ErrorExt for Error {
    fn api_error(&self) -> Option<&ApiError> {
        match self {
            Self::ErrorResponse(response) => Some(response.as_ref()),
            _ => None,
        }
    }

    fn trace_id(&self) -> Option<&str> {
        let Self::ErrorResponse(response) = self else {
            return None;
        };
        response.trace_id.as_deref().or_else(|| {
            response
                .headers()
                .get("x-trace-id")
                .and_then(|v| v.to_str().ok())
        })
    }

    fn retry_after(&self) -> Option<Duration> {
        let headers = match self {
            Self::ErrorResponse(response) => response.headers(),
            Self::UnexpectedResponse(response) => response.headers(),
            _ => return None,
        };
        headers
            .get(reqwest::header::RETRY_AFTER)?
            .to_str()
            .ok()?
            .trim()
            .parse::<u64>()
            .ok()
            .map(Duration::from_secs)
    }
}
