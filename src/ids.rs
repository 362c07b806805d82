//! Identifiers that travel in URL paths: every `<Thing>Id` of the spec
//! (`ClientId`, `ProductRequestId`, ...) and `CountryCode`.
//!
//! Each is a string checked when it is made, so that a value can never leave
//! its path segment. The generated code percent-encodes `/` and `%` in path
//! parameters, but not `.` or `\`: an id `..` would be normalised away by the
//! URL parser (`/individuals/..` is `/clients`), and `\` counts as `/` in
//! `http` URLs. So an id is never empty, never `.` or `..`, and has no `/` or
//! `\` (`openapi/DECISIONS.md`, D16). The check runs on every way in:
//! `TryFrom`, `FromStr` and deserialization, so a response's id can be passed
//! back as a path parameter as it is.
//!
//! The ids are generated from the spec (`codegen/spec_types.rs`): every
//! schema named `<Thing>Id` with the segment pattern becomes a newtype and one
//! `checked_string_impls!` invocation, whose impls this file writes once.
//! `CountryCode`, whose check is its own, is written here by hand. This is not
//! the place for other checks of the vendor's id format, which the vendor does
//! not document.

use std::fmt;

/// Why a string is not a valid identifier. Its `Display` names the kind of
/// identifier and the rule, never the value (which may be personal data).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum IdError {
    /// The string is empty.
    Empty {
        /// What the string was meant to be, such as "a client id".
        kind: &'static str,
    },
    /// The string is `.` or `..`, which a URL parser would remove from the
    /// path.
    DotSegment {
        /// What the string was meant to be.
        kind: &'static str,
    },
    /// The string contains `/` or `\`, which would split the path segment.
    Separator {
        /// What the string was meant to be.
        kind: &'static str,
    },
    /// A country code is not two or three ASCII letters.
    NotCountryCode {
        /// What the string was meant to be.
        kind: &'static str,
    },
}

// Display and Error by hand: the types carry no dependency beyond serde,
// serde_json and chrono (see the `client` feature), and schemars with the
// `schemars` feature.
impl fmt::Display for IdError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Empty { kind } => write!(f, "{kind} must not be empty"),
            Self::DotSegment { kind } => {
                write!(
                    f,
                    "{kind} must not be `.` or `..`: it would change the request's path"
                )
            }
            Self::Separator { kind } => write!(
                f,
                "{kind} must not contain `/` or `\\`: it would change the request's path"
            ),
            Self::NotCountryCode { kind } => write!(
                f,
                "{kind} must be two or three ASCII letters (ISO 3166-1 alpha-2 or alpha-3)"
            ),
        }
    }
}

impl std::error::Error for IdError {}

/// The check of every generated `<Thing>Id`: the value stays one path
/// segment.
#[allow(
    dead_code,
    reason = "the generated ids call it; a build without a product may have none"
)]
pub(crate) fn check_segment(kind: &'static str, value: &str) -> Result<(), IdError> {
    if value.is_empty() {
        Err(IdError::Empty { kind })
    } else if value == "." || value == ".." {
        Err(IdError::DotSegment { kind })
    } else if value.contains(['/', '\\']) {
        Err(IdError::Separator { kind })
    } else {
        Ok(())
    }
}

fn check_country(kind: &'static str, value: &str) -> Result<(), IdError> {
    if (2..=3).contains(&value.len()) && value.bytes().all(|b| b.is_ascii_alphabetic()) {
        Ok(())
    } else {
        Err(IdError::NotCountryCode { kind })
    }
}

/// The impls of a checked string `$name(String)` (its struct is written beside
/// the invocation, by the generator or by hand): `new`, which runs `$check`,
/// and every other way in (`FromStr`, `TryFrom`, deserialization) through it;
/// the text out (`Deref`, `AsRef`, `Borrow`, `Display`, `Into<String>`,
/// serialization); and, with the `schemars` feature, the JSON Schema `$schema`.
macro_rules! checked_string_impls {
    (
        $name:ident, kind = $kind:literal, check = $check:path,
        schema = $schema:tt
    ) => {
        impl $name {
            /// Checks `value` and wraps it.
            pub fn new(
                value: impl Into<::std::string::String>,
            ) -> ::std::result::Result<Self, crate::IdError> {
                let value = value.into();
                $check($kind, &value)?;
                ::std::result::Result::Ok(Self(value))
            }

            /// The identifier as text.
            pub fn as_str(&self) -> &str {
                &self.0
            }

            /// The identifier's text, unwrapped.
            pub fn into_string(self) -> ::std::string::String {
                self.0
            }
        }

        impl ::std::ops::Deref for $name {
            type Target = str;

            fn deref(&self) -> &str {
                &self.0
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        impl ::std::borrow::Borrow<str> for $name {
            fn borrow(&self) -> &str {
                &self.0
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl ::std::str::FromStr for $name {
            type Err = crate::IdError;

            fn from_str(s: &str) -> ::std::result::Result<Self, crate::IdError> {
                Self::new(s)
            }
        }

        impl TryFrom<&str> for $name {
            type Error = crate::IdError;

            fn try_from(value: &str) -> ::std::result::Result<Self, crate::IdError> {
                Self::new(value)
            }
        }

        impl TryFrom<::std::string::String> for $name {
            type Error = crate::IdError;

            fn try_from(
                value: ::std::string::String,
            ) -> ::std::result::Result<Self, crate::IdError> {
                Self::new(value)
            }
        }

        impl TryFrom<&::std::string::String> for $name {
            type Error = crate::IdError;

            fn try_from(
                value: &::std::string::String,
            ) -> ::std::result::Result<Self, crate::IdError> {
                Self::new(value.as_str())
            }
        }

        /// So that a builder's setter takes `&created.id` as it takes an
        /// owned id.
        impl From<&$name> for $name {
            fn from(value: &$name) -> Self {
                value.clone()
            }
        }

        impl From<$name> for ::std::string::String {
            fn from(value: $name) -> ::std::string::String {
                value.0
            }
        }

        impl PartialEq<str> for $name {
            fn eq(&self, other: &str) -> bool {
                self.0 == other
            }
        }

        impl PartialEq<&str> for $name {
            fn eq(&self, other: &&str) -> bool {
                self.0 == *other
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(
                &self,
                serializer: S,
            ) -> ::std::result::Result<S::Ok, S::Error> {
                serializer.serialize_str(&self.0)
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::std::result::Result<Self, D::Error> {
                let text = ::std::borrow::Cow::<'de, str>::deserialize(deserializer)?;
                Self::new(text.into_owned()).map_err(::serde::de::Error::custom)
            }
        }

        #[cfg(feature = "schemars")]
        impl schemars::JsonSchema for $name {
            fn schema_name() -> std::borrow::Cow<'static, str> {
                stringify!($name).into()
            }

            fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
                schemars::json_schema!($schema)
            }
        }
    };
}

#[allow(
    unused_imports,
    reason = "the generated ids invoke it by this path; a build without a product may have none"
)]
pub(crate) use checked_string_impls;

/// An ISO 3166-1 country code of two or three ASCII letters, as the
/// identification lookup takes it (its page shows alpha-2 codes, the rest
/// of the API alpha-3; see `openapi/DECISIONS.md`, D13).
///
/// Written by hand, not generated as the `<Thing>Id` schemas are: its check is
/// its own (`codegen::REPLACEMENTS`).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct CountryCode(String);

checked_string_impls! {
    CountryCode, kind = "a country code", check = check_country,
    schema = {
        "type": "string",
        "description": "ISO 3166-1 country code: two or three ASCII letters.",
        "pattern": "^[A-Za-z]{2,3}$"
    }
}

#[cfg(test)]
#[allow(
    dead_code,
    reason = "the impls are written for public types; these private test types use some"
)]
mod tests {
    use super::*;

    /// A checked id as the generator emits one, for the impls' own tests.
    #[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
    struct ClientId(String);

    checked_string_impls! {
        ClientId, kind = "a client id", check = check_segment,
        schema = { "type": "string" }
    }

    /// A second one: the same checks, another kind.
    #[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
    struct ProductRequestId(String);

    checked_string_impls! {
        ProductRequestId, kind = "a product request id", check = check_segment,
        schema = { "type": "string" }
    }

    #[test]
    fn values_that_would_leave_their_segment_are_refused_by_every_way_in() {
        for bad in ["", ".", "..", "a/b", "../companies", "a\\b", "/"] {
            assert!(ClientId::new(bad).is_err(), "{bad:?}");
            assert!(bad.parse::<ProductRequestId>().is_err(), "{bad:?}");
            let json = serde_json::to_string(bad).expect("a JSON string");
            assert!(serde_json::from_str::<ClientId>(&json).is_err(), "{bad:?}");
        }
        for good in [
            "4QWq1rQtjnLM0wMswTRY9AmM4XTvY4GG",
            "%2F",
            "...",
            ".a",
            "a.b",
        ] {
            assert_eq!(ClientId::new(good).expect("valid").as_str(), good);
        }
    }

    #[test]
    fn errors_name_the_rule_and_never_the_value() {
        let e = ClientId::new("../secret-value").expect_err("refused");
        assert_eq!(
            e.to_string(),
            "a client id must not contain `/` or `\\`: it would change the request's path"
        );
        assert!(!e.to_string().contains("secret"));
        assert_eq!(
            ClientId::new("").expect_err("refused").to_string(),
            "a client id must not be empty"
        );
    }

    #[test]
    fn country_codes_are_two_or_three_letters() {
        for good in ["US", "ARG", "br"] {
            assert!(CountryCode::new(good).is_ok(), "{good}");
        }
        for bad in ["", "U", "USAA", "U1", "../", "ÄR"] {
            assert!(CountryCode::new(bad).is_err(), "{bad}");
        }
    }
}
