//! The API key and the hook that attaches it to every request.
//!
//! The generated client carries an [`ApiKey`] as its inner value (see
//! `codegen.rs`), so the key reaches the wire the same way whether the crate
//! built the `reqwest::Client` or the caller passed its own.

use std::fmt;

use progenitor_client::{ClientHooks, ClientInfo, Error, OperationInfo};
use reqwest::header::{HeaderName, HeaderValue};

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

// The generated client calls this hook before sending each request. An impl
// for `Client` takes precedence over the empty default progenitor emits for
// `&Client`.
impl ClientHooks<ApiKey> for Client {
    async fn pre<E>(
        &self,
        request: &mut reqwest::Request,
        _info: &OperationInfo,
    ) -> Result<(), Error<E>> {
        let headers = request.headers_mut();
        headers.insert(API_KEY_HEADER, self.inner().header_value().clone());
        // progenitor adds an `api-version` header carrying the spec's
        // `info.version`; the vendor documents no such header, so the client
        // sends exactly the headers of the vendor's curl example.
        headers.remove("api-version");
        Ok(())
    }
}
