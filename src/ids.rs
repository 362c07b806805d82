//! Identifiers that travel in URL paths: `ClientId`, `ProductRequestId`,
//! `CardId`, `CompanyId`, `BankAccountId`, `OperationId`, the other products' ids and `CountryCode`.
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
//! These replace the spec's schemas of the same names in the generated code
//! (see `codegen::REPLACEMENTS`); they are not the place for other checks of
//! the vendor's id format, which the vendor does not document.

use std::borrow::{Borrow, Cow};
use std::fmt;
use std::ops::Deref;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

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

fn check_segment(kind: &'static str, value: &str) -> Result<(), IdError> {
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

macro_rules! checked_string {
    (
        $(#[$meta:meta])*
        $name:ident, kind = $kind:literal, check = $check:ident,
        schema = $schema:tt
    ) => {
        $(#[$meta])*
        #[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub struct $name(String);

        impl $name {
            /// Checks `value` and wraps it.
            pub fn new(value: impl Into<String>) -> Result<Self, IdError> {
                let value = value.into();
                $check($kind, &value)?;
                Ok(Self(value))
            }

            /// The identifier as text.
            pub fn as_str(&self) -> &str {
                &self.0
            }

            /// The identifier's text, unwrapped.
            pub fn into_string(self) -> String {
                self.0
            }
        }

        impl Deref for $name {
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

        impl Borrow<str> for $name {
            fn borrow(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl FromStr for $name {
            type Err = IdError;

            fn from_str(s: &str) -> Result<Self, IdError> {
                Self::new(s)
            }
        }

        impl TryFrom<&str> for $name {
            type Error = IdError;

            fn try_from(value: &str) -> Result<Self, IdError> {
                Self::new(value)
            }
        }

        impl TryFrom<String> for $name {
            type Error = IdError;

            fn try_from(value: String) -> Result<Self, IdError> {
                Self::new(value)
            }
        }

        impl TryFrom<&String> for $name {
            type Error = IdError;

            fn try_from(value: &String) -> Result<Self, IdError> {
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

        impl From<$name> for String {
            fn from(value: $name) -> String {
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

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(&self.0)
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let text = Cow::<'de, str>::deserialize(deserializer)?;
                Self::new(text.into_owned()).map_err(serde::de::Error::custom)
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

checked_string! {
    /// The identifier of a client (the vendor's are 32 letters and digits).
    ///
    /// Made with `ClientId::new`, `TryFrom` or `parse`, all of which refuse a
    /// value that would not stay one path segment; a response's `id` already
    /// is one.
    ClientId, kind = "a client id", check = check_segment,
    schema = {
        "type": "string",
        "description": "Unique identifier of a client: never empty, never `.` or `..`, no `/` or `\\`.",
        "minLength": 1,
        "pattern": "^[^/\\\\]*[^./\\\\][^/\\\\]*$"
    }
}

checked_string! {
    /// The identifier of a product enablement request (the vendor's are 32
    /// letters and digits), checked like [`ClientId`].
    ProductRequestId, kind = "a product request id", check = check_segment,
    schema = {
        "type": "string",
        "description": "Unique identifier of a product enablement request: never empty, never `.` or `..`, no `/` or `\\`.",
        "minLength": 1,
        "pattern": "^[^/\\\\]*[^./\\\\][^/\\\\]*$"
    }
}

// The product ids are written here until the generator makes every
// `<Thing>Id` of the spec itself (the gen-types work): the spec's segment
// pattern would otherwise make typify generate a newtype that needs the
// `regress` crate, which the types must not depend on.
checked_string! {
    /// The identifier of a virtual wallet (the vendor's are `vw_` and a UUID),
    /// checked like [`ClientId`].
    VirtualWalletId, kind = "a virtual wallet id", check = check_segment,
    schema = {
        "type": "string",
        "description": "Unique identifier of a virtual wallet: never empty, never `.` or `..`, no `/` or `\\`.",
        "minLength": 1,
        "pattern": "^[^/\\\\]*[^./\\\\][^/\\\\]*$"
    }
}

checked_string! {
    /// The identifier of a ramp transfer (the vendor's examples show `evt_`
    /// and 12 hexadecimal digits), checked like [`ClientId`].
    RampTransferId, kind = "a ramp transfer id", check = check_segment,
    schema = {
        "type": "string",
        "description": "Unique identifier of a ramp transfer: never empty, never `.` or `..`, no `/` or `\\`.",
        "minLength": 1,
        "pattern": "^[^/\\\\]*[^./\\\\][^/\\\\]*$"
    }
}

checked_string! {
    /// The identifier of a treasury MPC account (the vendor's are `acc_` and a
    /// UUID), checked like [`ClientId`].
    TreasuryAccountId, kind = "a treasury account id", check = check_segment,
    schema = {
        "type": "string",
        "description": "Unique identifier of a treasury MPC account: never empty, never `.` or `..`, no `/` or `\\`.",
        "minLength": 1,
        "pattern": "^[^/\\\\]*[^./\\\\][^/\\\\]*$"
    }
}

checked_string! {
    /// The identifier of a wallet of a treasury account (the vendor's are
    /// `wallet_` and a UUID), checked like [`ClientId`].
    TreasuryWalletId, kind = "a treasury wallet id", check = check_segment,
    schema = {
        "type": "string",
        "description": "Unique identifier of a wallet of a treasury account: never empty, never `.` or `..`, no `/` or `\\`.",
        "minLength": 1,
        "pattern": "^[^/\\\\]*[^./\\\\][^/\\\\]*$"
    }
}

checked_string! {
    /// The identifier of a card of the Cards product (the vendor's are
    /// `card_` and a UUID), checked like [`ClientId`]. Every operation on a
    /// virtual card takes it, and a card's `id` is one.
    CardId, kind = "a card id", check = check_segment,
    schema = {
        "type": "string",
        "description": "Unique identifier of a card of the Cards product: never empty, never `.` or `..`, no `/` or `\\`.",
        "minLength": 1,
        "pattern": "^[^/\\\\]*[^./\\\\][^/\\\\]*$"
    }
}

checked_string! {
    /// The identifier of a company (the vendor's examples show
    /// `comp_<uuid>`), checked like [`ClientId`].
    CompanyId, kind = "a company id", check = check_segment,
    schema = {
        "type": "string",
        "description": "Unique identifier of a company: never empty, never `.` or `..`, no `/` or `\\`.",
        "minLength": 1,
        "pattern": "^[^/\\\\]*[^./\\\\][^/\\\\]*$"
    }
}

checked_string! {
    /// The identifier of a client's bank account (the vendor's examples show
    /// `ba_abc123`), checked like [`ClientId`].
    BankAccountId, kind = "a bank account id", check = check_segment,
    schema = {
        "type": "string",
        "description": "Unique identifier of a client's bank account: never empty, never `.` or `..`, no `/` or `\\`.",
        "minLength": 1,
        "pattern": "^[^/\\\\]*[^./\\\\][^/\\\\]*$"
    }
}

checked_string! {
    /// The identifier of an operation of the catalog, a product area such as
    /// `management` or `treasury` (see `openapi/DECISIONS.md`, D-MG7),
    /// checked like [`ClientId`].
    OperationId, kind = "an operation id", check = check_segment,
    schema = {
        "type": "string",
        "description": "Identifier of an operation of the catalog: never empty, never `.` or `..`, no `/` or `\\`.",
        "minLength": 1,
        "pattern": "^[^/\\\\]*[^./\\\\][^/\\\\]*$"
    }
}

checked_string! {
    /// The identifier of an individual card (the vendor's are `icard_` and a
    /// UUID), checked like [`ClientId`].
    // Written by hand until the generator makes every `<Thing>Id` of the spec
    // (branch gen-types); then this and its line in `codegen::REPLACEMENTS`
    // go.
    IndividualCardId, kind = "an individual card id", check = check_segment,
    schema = {
        "type": "string",
        "description": "Unique identifier of an individual card: never empty, never `.` or `..`, no `/` or `\\`.",
        "minLength": 1,
        "pattern": "^[^/\\\\]*[^./\\\\][^/\\\\]*$"
    }
}

checked_string! {
    /// An ISO 3166-1 country code of two or three ASCII letters, as the
    /// identification lookup takes it (its page shows alpha-2 codes, the rest
    /// of the API alpha-3; see `openapi/DECISIONS.md`, D13).
    CountryCode, kind = "a country code", check = check_country,
    schema = {
        "type": "string",
        "description": "ISO 3166-1 country code: two or three ASCII letters.",
        "pattern": "^[A-Za-z]{2,3}$"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
