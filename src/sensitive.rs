//! [`Sensitive`]: personal data that serializes unchanged but never prints.

use std::fmt;

use serde::{Deserialize, Serialize};

/// A string of personal data: an identification number, a document number or
/// a document image.
///
/// It serializes as the plain string, but its `Debug` output is
/// `Sensitive(<redacted>)` and it has no `Display`, so logging a request or an
/// error never prints it. Read it with [`Sensitive::expose`].
#[derive(Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Sensitive(String);

impl Sensitive {
    /// Wraps a value.
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    /// The value itself, for the rare code that must read it.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// Unwraps the value.
    pub fn into_inner(self) -> String {
        self.0
    }
}

impl fmt::Debug for Sensitive {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Sensitive(<redacted>)")
    }
}

impl From<String> for Sensitive {
    fn from(value: String) -> Self {
        Self(value)
    }
}

impl From<&str> for Sensitive {
    fn from(value: &str) -> Self {
        Self(value.to_string())
    }
}

#[cfg(feature = "schemars")]
impl schemars::JsonSchema for Sensitive {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "SensitiveString".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "description": "Personal data, sent as a plain string; never printed by the client."
        })
    }
}
