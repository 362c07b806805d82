//! Errors: of configuring a client ([`ConfigError`]) and of calling the API
//! ([`Error`]).
//!
//! Neither ever prints the API key. [`Error`]'s `Display` and `Debug` never
//! print a response body, nor the free-text `message` of a documented error
//! body, since either may quote personal data or identifiers (the vendor's 404
//! says "Company client not found with id: …"). `Display` says what happened,
//! the status, the error `code` and the trace id, the size and kind of an
//! undecoded body, and when to retry (from `Retry-After`; always said on a
//! 429, the one thing a rate-limited caller needs); `Debug` adds the headers and the transport error. The body
//! and the message are kept, reachable through [`Error::body`],
//! [`Error::api_error`] and [`Error::message`], for a caller that decides to
//! show them.

use std::fmt;
use std::time::Duration;

use bytes::Bytes;
use reqwest::StatusCode;
use reqwest::header::HeaderMap;

use crate::ResponseValue;
use crate::types::ApiError;

/// The largest response body a client reads unless told otherwise, 64 MiB
/// (`ClientBuilder::max_response_bytes` changes it per client); a larger one is
/// [`Error::ResponseTooLarge`], so a hostile or broken server cannot make the
/// client allocate without bound. The list endpoints return every client in
/// one array: 64 MiB holds about 180,000 clients of the documented shape.
pub const DEFAULT_MAX_RESPONSE_BYTES: usize = 64 * 1024 * 1024;

/// The limit on response bodies before it became a setting.
#[deprecated(
    since = "0.2.0",
    note = "the limit is a setting of each client (`ClientBuilder::max_response_bytes`); its default is `DEFAULT_MAX_RESPONSE_BYTES`"
)]
pub const MAX_RESPONSE_BYTES: usize = DEFAULT_MAX_RESPONSE_BYTES;

/// The error of every API call.
///
/// The variants tell apart what a caller acts on differently: a request that
/// never left ([`Connect`](Error::Connect), safe to retry), one that may have
/// reached the server ([`Timeout`](Error::Timeout),
/// [`Transport`](Error::Transport): do not blindly retry a create), a
/// documented error answer ([`ErrorResponse`](Error::ErrorResponse)), and an
/// answer that is not what the spec documents. Every variant that had a
/// response keeps its status and headers, and its body where one was read.
///
/// `Debug` shows the variant, the status, the headers, a documented error's
/// `code` and `trace_id`, and the size of a body or message, never its text.
#[non_exhaustive]
pub enum Error<E = ApiError> {
    /// The request could not be built from the values given (for example a
    /// body builder field that failed to convert). Nothing was sent.
    InvalidRequest(String),
    /// No connection could be made (refused, name resolution, TLS, connect
    /// timeout). The request was never sent, so it is safe to retry.
    Connect(reqwest::Error),
    /// The request timed out after the connection was made. It may have
    /// reached the server.
    Timeout(reqwest::Error),
    /// The connection failed after it was made and before a response arrived
    /// (reset, closed). The request may have reached the server.
    Transport(reqwest::Error),
    /// A status and headers arrived, but the body could not be read in full
    /// (connection reset or closed mid-body, truncated, timed out).
    ResponseBody {
        /// The status of the response.
        status: StatusCode,
        /// Its headers.
        headers: HeaderMap,
        /// Why the body could not be read.
        source: reqwest::Error,
    },
    /// The response body is larger than the client's limit
    /// (`ClientBuilder::max_response_bytes`, by default
    /// [`DEFAULT_MAX_RESPONSE_BYTES`]); reading stopped there.
    ResponseTooLarge {
        /// The status of the response.
        status: StatusCode,
        /// Its headers.
        headers: HeaderMap,
        /// The limit, in bytes, that the body exceeded.
        limit: usize,
    },
    /// A documented error status with its decoded body.
    ErrorResponse(ResponseValue<E>),
    /// A documented status whose body is not what the spec documents: not
    /// JSON, truncated JSON, empty, or JSON of another shape.
    InvalidResponse {
        /// The status of the response.
        status: StatusCode,
        /// Its headers.
        headers: HeaderMap,
        /// The body as received.
        body: Body,
        /// What is wrong with it.
        problem: DecodeProblem,
    },
    /// A status the spec does not document for this operation (a 502 from a
    /// proxy, say), with its body.
    UnexpectedResponse {
        /// The status of the response.
        status: StatusCode,
        /// Its headers.
        headers: HeaderMap,
        /// The body as received.
        body: Body,
    },
}

/// A response body kept by an [`Error`]. Its `Debug` shows only its size,
/// since a body may hold personal data.
#[derive(Clone, PartialEq, Eq)]
pub struct Body(pub(crate) Bytes);

impl Body {
    /// The bytes as received.
    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }

    /// The body as text, with invalid UTF-8 replaced.
    pub fn text_lossy(&self) -> String {
        String::from_utf8_lossy(&self.0).into_owned()
    }

    /// The body's size in bytes.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether the body is empty.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Debug for Body {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Body(<{} bytes>)", self.0.len())
    }
}

/// Why a response body did not decode, without quoting the body.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum DecodeProblem {
    /// The body is empty.
    Empty,
    /// The body is not JSON (for example an HTML error page).
    NotJson {
        /// The 1-based line of the first error.
        line: usize,
        /// The 1-based column of the first error.
        column: usize,
    },
    /// The body ends in the middle of a JSON value.
    Truncated,
    /// The body is JSON of another shape: a missing field, or a field of
    /// another type, at `path` (`.` for the whole body).
    WrongShape {
        /// Where, as a dotted path such as `phone_number` or `documents[0].id`.
        path: String,
        /// What serde says, with quoted values removed.
        reason: String,
    },
}

impl fmt::Display for DecodeProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Empty => f.write_str("the body is empty"),
            Self::NotJson { line, column } => {
                write!(f, "the body is not JSON (line {line}, column {column})")
            }
            Self::Truncated => f.write_str("the body ends in the middle of a JSON value"),
            Self::WrongShape { path, reason } => {
                write!(f, "the JSON does not match the spec at `{path}`: {reason}")
            }
        }
    }
}

/// The fields of an error body the client reports; implemented by the spec's
/// error schema.
pub trait ErrorBody {
    /// The machine-readable error code.
    fn code(&self) -> Option<&str>;
    /// The human-readable message.
    fn message(&self) -> Option<&str>;
    /// The trace id carried in the body.
    fn trace_id(&self) -> Option<&str>;
}

impl ErrorBody for ApiError {
    fn code(&self) -> Option<&str> {
        ApiError::code(self)
    }

    fn message(&self) -> Option<&str> {
        self.message.as_deref()
    }

    fn trace_id(&self) -> Option<&str> {
        self.trace_id.as_deref()
    }
}

impl ApiError {
    /// The machine-readable error code: `code`, or for a 429 `error_code`.
    pub fn code(&self) -> Option<&str> {
        self.code.as_deref().or(self.error_code.as_deref())
    }
}

impl<E> Error<E> {
    /// The status of the response, when one arrived.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Self::ResponseBody { status, .. }
            | Self::ResponseTooLarge { status, .. }
            | Self::InvalidResponse { status, .. }
            | Self::UnexpectedResponse { status, .. } => Some(*status),
            Self::ErrorResponse(response) => Some(response.status()),
            Self::InvalidRequest(_) | Self::Connect(_) | Self::Timeout(_) | Self::Transport(_) => {
                None
            }
        }
    }

    /// The headers of the response, when one arrived.
    pub fn headers(&self) -> Option<&HeaderMap> {
        match self {
            Self::ResponseBody { headers, .. }
            | Self::ResponseTooLarge { headers, .. }
            | Self::InvalidResponse { headers, .. }
            | Self::UnexpectedResponse { headers, .. } => Some(headers),
            Self::ErrorResponse(response) => Some(response.headers()),
            _ => None,
        }
    }

    /// The raw body of a response that did not decode or was not documented.
    pub fn body(&self) -> Option<&Body> {
        match self {
            Self::InvalidResponse { body, .. } | Self::UnexpectedResponse { body, .. } => {
                Some(body)
            }
            _ => None,
        }
    }

    /// The decoded body of a documented error status.
    pub fn api_error(&self) -> Option<&E> {
        match self {
            Self::ErrorResponse(response) => Some(response.as_ref()),
            _ => None,
        }
    }

    /// How long to wait before the next request, from the response's
    /// `Retry-After` header: its seconds (the vendor sends them on a 429), or
    /// the time left until its HTTP date (zero once past). `None` when the
    /// header is missing or is neither form.
    pub fn retry_after(&self) -> Option<Duration> {
        crate::retry::retry_after(self.headers()?)
    }

    /// Whether the request may have reached the server. `false` only when it
    /// certainly did not (it could not be built, or no connection was made):
    /// a create that failed with `true` here may have created the client.
    pub fn may_have_reached_server(&self) -> bool {
        !matches!(self, Self::InvalidRequest(_) | Self::Connect(_))
    }
}

impl<E: ErrorBody> Error<E> {
    /// The machine-readable error code of a documented error body (`code`, or
    /// `error_code` on a 429).
    pub fn code(&self) -> Option<&str> {
        self.api_error().and_then(ErrorBody::code)
    }

    /// The free-text `message` of a documented error body. `Display` and
    /// `Debug` never show it, since the vendor's messages can quote
    /// identifiers and personal data; show or log it only where that is fine.
    pub fn message(&self) -> Option<&str> {
        self.api_error().and_then(ErrorBody::message)
    }

    /// The trace id for support requests: the body's `trace_id`, or else the
    /// `X-Trace-Id` header that older versions of the API send.
    pub fn trace_id(&self) -> Option<&str> {
        self.api_error()
            .and_then(ErrorBody::trace_id)
            .or_else(|| self.headers()?.get("x-trace-id")?.to_str().ok())
    }
}

/// When to retry, for the one-line message of an answer: from its
/// `Retry-After` header (RFC 9110's two forms, parsed, so no free text of the
/// server is quoted), and for a 429 without a usable one, that the caller
/// must wait all the same (the vendor doubles its block at every violation).
fn retry_hint(f: &mut fmt::Formatter<'_>, status: StatusCode, headers: &HeaderMap) -> fmt::Result {
    match crate::retry::RetryAfter::from_headers(headers) {
        Some(retry) => write!(f, "; retry {retry}"),
        None if status == StatusCode::TOO_MANY_REQUESTS => f.write_str(
            "; no usable Retry-After: wait before retrying, since each violation doubles the block",
        ),
        None => Ok(()),
    }
}

/// Describes a body without quoting it: its size and content type.
fn describe_body(headers: &HeaderMap, len: usize) -> String {
    let kind = headers
        .get(reqwest::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(|v| v.split(';').next().unwrap_or(v).trim().to_string())
        .filter(|v| !v.is_empty())
        .unwrap_or_else(|| "no content type".into());
    format!("{len} bytes, {kind}")
}

impl<E: ErrorBody> fmt::Display for Error<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::InvalidRequest(reason) => write!(f, "the request could not be built: {reason}"),
            Self::Connect(_) => f.write_str("cannot connect to the API; the request was not sent"),
            Self::Timeout(_) => f.write_str("the request timed out; it may have reached the server"),
            Self::Transport(_) => f.write_str(
                "the connection failed before a response arrived; the request may have reached the server",
            ),
            Self::ResponseBody { status, .. } => {
                write!(f, "the API answered {status} but its body could not be read in full")
            }
            Self::ResponseTooLarge { status, limit, .. } => write!(
                f,
                "the API answered {status} with a body over the client's limit of {limit} bytes; \
                 raise it with ClientBuilder::max_response_bytes"
            ),
            Self::ErrorResponse(response) => {
                // Not the body's `message`: see the module documentation.
                write!(f, "the API answered {}", response.status())?;
                if let Some(code) = response.as_ref().code() {
                    write!(f, " (code {code})")?;
                }
                if let Some(trace) = self.trace_id() {
                    write!(f, " [trace id {trace}]")?;
                }
                retry_hint(f, response.status(), response.headers())
            }
            Self::InvalidResponse {
                status,
                headers,
                body,
                problem,
            } => {
                write!(
                    f,
                    "the API answered {status} with a body the spec does not allow ({}): {problem}",
                    describe_body(headers, body.len())
                )?;
                retry_hint(f, *status, headers)
            }
            Self::UnexpectedResponse {
                status,
                headers,
                body,
            } => {
                write!(
                    f,
                    "the API answered {status}, a status the spec does not document ({})",
                    describe_body(headers, body.len())
                )?;
                retry_hint(f, *status, headers)
            }
        }
    }
}

/// Stands for a text `Debug` must not show: its size only.
struct Withheld(usize);

impl fmt::Debug for Withheld {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "<{} bytes, not shown>", self.0)
    }
}

impl<E: ErrorBody> fmt::Debug for Error<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::InvalidRequest(reason) => f.debug_tuple("InvalidRequest").field(reason).finish(),
            Self::Connect(e) => f.debug_tuple("Connect").field(e).finish(),
            Self::Timeout(e) => f.debug_tuple("Timeout").field(e).finish(),
            Self::Transport(e) => f.debug_tuple("Transport").field(e).finish(),
            Self::ResponseBody {
                status,
                headers,
                source,
            } => f
                .debug_struct("ResponseBody")
                .field("status", status)
                .field("headers", headers)
                .field("source", source)
                .finish(),
            Self::ResponseTooLarge {
                status,
                headers,
                limit,
            } => f
                .debug_struct("ResponseTooLarge")
                .field("status", status)
                .field("headers", headers)
                .field("limit", limit)
                .finish(),
            Self::ErrorResponse(response) => {
                let body = response.as_ref();
                f.debug_struct("ErrorResponse")
                    .field("status", &response.status())
                    .field("headers", response.headers())
                    .field("code", &body.code())
                    .field("trace_id", &body.trace_id())
                    .field("message", &body.message().map(|m| Withheld(m.len())))
                    .finish_non_exhaustive()
            }
            Self::InvalidResponse {
                status,
                headers,
                body,
                problem,
            } => f
                .debug_struct("InvalidResponse")
                .field("status", status)
                .field("headers", headers)
                .field("body", body)
                .field("problem", problem)
                .finish(),
            Self::UnexpectedResponse {
                status,
                headers,
                body,
            } => f
                .debug_struct("UnexpectedResponse")
                .field("status", status)
                .field("headers", headers)
                .field("body", body)
                .finish(),
        }
    }
}

impl<E: ErrorBody> std::error::Error for Error<E> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::Connect(e) | Self::Timeout(e) | Self::Transport(e) => Some(e),
            Self::ResponseBody { source, .. } => Some(source),
            _ => None,
        }
    }
}

/// A header parameter whose value cannot be a header (a control character in
/// an idempotency key the caller set): nothing was sent. The message names
/// the problem, never the value.
impl<E> From<reqwest::header::InvalidHeaderValue> for Error<E> {
    fn from(e: reqwest::header::InvalidHeaderValue) -> Self {
        Self::InvalidRequest(format!(
            "a header parameter is not a valid header value: {e}"
        ))
    }
}

/// A path parameter that would leave its segment (`.`, `..`, `/`, `\`, or
/// empty: `src/path.rs`): nothing was sent. The message names the parameter,
/// never the value.
impl<E> From<crate::IdError> for Error<E> {
    fn from(e: crate::IdError) -> Self {
        Self::InvalidRequest(e.to_string())
    }
}

impl<E> From<reqwest::Error> for Error<E> {
    /// Classifies an error of sending: whether the request can have left.
    fn from(e: reqwest::Error) -> Self {
        if e.is_builder() {
            // The URL is left out of the message: it carries the path's ids
            // and can be tens of kilobytes long (an over-long id).
            let e = e.without_url();
            let reason = match std::error::Error::source(&e) {
                Some(cause) => format!("{e}: {cause}"),
                None => e.to_string(),
            };
            Self::InvalidRequest(reason)
        } else if e.is_connect() {
            Self::Connect(e)
        } else if e.is_timeout() {
            Self::Timeout(e)
        } else {
            Self::Transport(e)
        }
    }
}

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
    /// A pacer was asked for zero requests a second; to send without
    /// pacing, call `ClientBuilder::without_pacing()`.
    #[error(
        "a pacer needs a rate of at least 1 request a second; to send without pacing, call ClientBuilder::without_pacing()"
    )]
    ZeroRate,
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every variant built from a response says the request reached the
    /// server; only a request never sent says it did not. (`Connect`,
    /// `Timeout` and `Transport` are held to this over the wire in
    /// `tests/faults.rs`.)
    #[test]
    fn a_response_means_the_request_reached_the_server() {
        let status = StatusCode::BAD_GATEWAY;
        let headers = HeaderMap::new();
        let body = Body(Bytes::from_static(b"<html>"));
        let answered: [Error; 4] = [
            Error::ResponseTooLarge {
                status,
                headers: headers.clone(),
                limit: 1,
            },
            Error::ErrorResponse(ResponseValue::new(
                ApiError::default(),
                StatusCode::NOT_FOUND,
                headers.clone(),
            )),
            Error::InvalidResponse {
                status,
                headers: headers.clone(),
                body: body.clone(),
                problem: DecodeProblem::Empty,
            },
            Error::UnexpectedResponse {
                status,
                headers,
                body,
            },
        ];
        for err in &answered {
            assert!(err.may_have_reached_server(), "{err:?}");
            assert!(err.status().is_some(), "{err:?}");
        }
        let unsent: Error = Error::InvalidRequest("no value".into());
        assert!(!unsent.may_have_reached_server());
        assert_eq!(unsent.status(), None);
    }

    #[test]
    fn a_header_value_http_cannot_carry_is_refused_without_quoting_it() {
        let bad = reqwest::header::HeaderValue::try_from("secret\nline")
            .expect_err("a line break is no header value");
        let err: Error = bad.into();
        assert!(matches!(err, Error::InvalidRequest(_)), "{err:?}");
        assert!(!err.may_have_reached_server());
        assert!(!err.to_string().contains("secret"), "{err}");
    }
}
