//! Open enums: string sets the vendor may extend without notice.
//!
//! A closed Rust enum would fail to decode a whole response the day the vendor
//! adds a value, so these keep unknown values in an `Other` variant. They are
//! `#[non_exhaustive]`, so a later release can name a new value without
//! breaking a caller's `match`.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

macro_rules! open_enum {
    (
        $(#[$meta:meta])*
        $name:ident, $schema_name:literal, $description:literal {
            $($(#[$variant_meta:meta])* $variant:ident = $text:literal,)+
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone)]
        #[non_exhaustive]
        pub enum $name {
            $($(#[$variant_meta])* $variant,)+
            /// A value this version of the crate does not know, kept as sent.
            Other(String),
        }

        impl $name {
            /// The value as it appears on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    $(Self::$variant => $text,)+
                    Self::Other(other) => other,
                }
            }

            /// The values this version of the crate knows.
            pub const KNOWN: &'static [&'static str] = &[$($text),+];
        }

        impl From<&str> for $name {
            fn from(text: &str) -> Self {
                match text {
                    $($text => Self::$variant,)+
                    other => Self::Other(other.to_string()),
                }
            }
        }

        impl FromStr for $name {
            type Err = std::convert::Infallible;

            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Ok(Self::from(s))
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                match self {
                    $(Self::$variant => f.write_str(stringify!($variant)),)+
                    Self::Other(other) => f.debug_tuple("Other").field(other).finish(),
                }
            }
        }

        // Equality follows the wire text, so `Other("individual")` (which
        // only hand-made values can hold) equals `Individual`.
        impl PartialEq for $name {
            fn eq(&self, other: &Self) -> bool {
                self.as_str() == other.as_str()
            }
        }

        impl Eq for $name {}

        impl std::hash::Hash for $name {
            fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
                self.as_str().hash(state);
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                crate::str_de::from_str(deserializer, "a string", |text| {
                    Ok::<_, std::convert::Infallible>(Self::from(text))
                })
            }
        }

        #[cfg(feature = "schemars")]
        impl schemars::JsonSchema for $name {
            fn schema_name() -> std::borrow::Cow<'static, str> {
                $schema_name.into()
            }

            fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
                schemars::json_schema!({
                    "type": "string",
                    "description": $description,
                    "examples": [$($text),+]
                })
            }
        }
    };
}

open_enum! {
    /// The kind of a client: `individual` or `business`, or a later value.
    ClientType, "ClientType", "Kind of client; known values are individual and business, and the set is open." {
        /// `individual`: a person.
        Individual = "individual",
        /// `business`: a company.
        Business = "business",
    }
}

open_enum! {
    /// The account status of a client: `PENDING`, or a value the vendor has
    /// not documented yet.
    ClientStatus, "ClientStatus", "Account status of a client; the known value is PENDING, and the set is open." {
        /// `PENDING`: created, not yet approved.
        Pending = "PENDING",
    }
}

open_enum! {
    /// The account status of an individual client (Individual Clients API):
    /// `pending`, `active`, `rejected`, or a later value.
    IndividualClientStatus, "IndividualClientStatus", "Account status of an individual client; known values are pending, active and rejected, and the set is open." {
        /// `pending`: created, not yet reviewed.
        Pending = "pending",
        /// `active`: the client can use the company's products.
        Active = "active",
        /// `rejected`: the client was not accepted.
        Rejected = "rejected",
    }
}

open_enum! {
    /// A product that can be enabled for a client: `cards_individuals`,
    /// `ramps_cards`, `ramps_pix`, or a later value.
    Subproduct, "Subproduct", "A product that can be enabled for a client; known values are cards_individuals, ramps_cards and ramps_pix, and the set is open." {
        /// `cards_individuals`: cards for individuals.
        CardsIndividuals = "cards_individuals",
        /// `ramps_cards`: on- and off-ramps through cards.
        RampsCards = "ramps_cards",
        /// `ramps_pix`: on- and off-ramps through Pix.
        RampsPix = "ramps_pix",
    }
}

open_enum! {
    /// The state of a product enablement request: `requested`,
    /// `pending_documentation`, `in_kyc`, `enabled`, `rejected`, or a later
    /// value.
    ProductRequestStatus, "ProductRequestStatus", "State of a product enablement request; known values are requested, pending_documentation, in_kyc, enabled and rejected, and the set is open." {
        /// `requested`: the request was created.
        Requested = "requested",
        /// `pending_documentation`: waiting on missing data and/or documents.
        PendingDocumentation = "pending_documentation",
        /// `in_kyc`: submitted; the provider is running the compliance review.
        InKyc = "in_kyc",
        /// `enabled`: the product is active for the client.
        Enabled = "enabled",
        /// `rejected`: the request was rejected; `rejection_description` says why.
        Rejected = "rejected",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_values_decode_and_round_trip() {
        let status: ClientStatus = serde_json::from_str("\"FROZEN\"").expect("decodes");
        assert_eq!(status, ClientStatus::Other("FROZEN".into()));
        assert_eq!(
            serde_json::to_string(&status).expect("encodes"),
            "\"FROZEN\""
        );
        let kind: ClientType = serde_json::from_str("\"business\"").expect("decodes");
        assert_eq!(kind, ClientType::Business);
        assert_eq!(format!("{kind:?} {kind}"), "Business business");
    }
}
